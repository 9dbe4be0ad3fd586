//! Runner for `welcome.json`: decrypting and authenticating a Welcome (RFC 9420
//! §12.4.3.1), without building a group.
//!
//! The `key_package` and `welcome` are MLSMessage-wrapped. There is no ratchet tree:
//! the GroupInfo's signer key is given as `signer_pub`. The GroupSecrets name no PSKs,
//! so the PSK lookup has nothing to find.
//!
//! Every step after finding our entry by KeyPackageRef needs HPKE, so the X448 suites
//! (4 and 6) are skipped there with the backend's reason.

use mls_webapi::codec::Codec;
use mls_webapi::crypto::{CipherSuite, HpkePrivateKey, SignaturePublicKey};
use mls_webapi::messages::{KeyPackage, MlsMessage, Welcome};
use mls_webapi::welcome;
use serde::Deserialize;

use crate::check::{CaseResult, bytes_eq, context, ensure, fail, hex_bytes, parse};

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    #[serde(with = "hex_bytes")]
    init_priv: Vec<u8>,
    #[serde(with = "hex_bytes")]
    signer_pub: Vec<u8>,
    #[serde(with = "hex_bytes")]
    key_package: Vec<u8>,
    #[serde(with = "hex_bytes")]
    welcome: Vec<u8>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;
    let key_package = match context(MlsMessage::from_bytes(&case.key_package), "key_package")? {
        MlsMessage::KeyPackage(kp) => kp,
        other => return fail(format!("key_package is a {:?}", other.wire_format())),
    };
    let welcome = match context(MlsMessage::from_bytes(&case.welcome), "welcome")? {
        MlsMessage::Welcome(w) => w,
        other => return fail(format!("welcome is a {:?}", other.wire_format())),
    };
    check_reference(&suite, &key_package, &welcome)?;

    let init_private = HpkePrivateKey::from_bytes(&case.init_priv[..]);
    let init_public = context(suite.hpke_public_key(&init_private), "init_priv")?;
    bytes_eq(
        "public key of init_priv",
        &init_public.0,
        &key_package.init_key.0,
    )?;

    let no_psks = |_: &_| None;
    let unverified = context(
        welcome::decrypt(&welcome, &key_package, &init_private, &no_psks),
        "decrypt welcome",
    )?;
    let signer = SignaturePublicKey(case.signer_pub);
    let verified = context(unverified.verify(&signer), "verify welcome")?;
    let tag = suite.mac(
        verified.epoch_secrets.confirmation_key.as_bytes(),
        &verified.group_info.group_context.confirmed_transcript_hash,
    );
    bytes_eq(
        "confirmation_tag",
        &verified.group_info.confirmation_tag,
        &tag,
    )
}

/// The Welcome has an entry for the KeyPackage's reference, computed over the inner
/// KeyPackage. Needs no HPKE, so it runs for every suite.
fn check_reference(suite: &CipherSuite, key_package: &KeyPackage, welcome: &Welcome) -> CaseResult {
    let reference = key_package.reference(suite);
    ensure(
        welcome.secrets_for(&reference).is_some(),
        format!(
            "none of the Welcome's {} entries is for the KeyPackage's reference",
            welcome.secrets.len()
        ),
    )
}
