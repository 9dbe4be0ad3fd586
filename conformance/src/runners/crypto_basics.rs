//! Runner for `crypto-basics.json`: the labelled primitives of RFC 9420 §5 (`RefHash`,
//! `ExpandWithLabel`, `DeriveSecret`, `DeriveTreeSecret`, `SignWithLabel`,
//! `EncryptWithLabel`), one case per cipher suite.
//!
//! Hash, KDF and signature checks run first and HPKE last, so that a suite whose HPKE is
//! unsupported (X448) is skipped only after everything else in its case has passed.

use mls_webapi::crypto::{CipherSuite, HpkePrivateKey, SeededRandom, SignaturePrivateKey};
use serde::Deserialize;

use crate::check::{CaseResult, bytes_eq, context, ensure, parse};

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    ref_hash: RefHash,
    expand_with_label: ExpandWithLabel,
    derive_secret: DeriveSecret,
    derive_tree_secret: DeriveTreeSecret,
    sign_with_label: SignWithLabel,
    encrypt_with_label: EncryptWithLabel,
}

#[derive(Deserialize)]
struct RefHash {
    label: String,
    #[serde(with = "crate::check::hex_bytes")]
    value: Vec<u8>,
    #[serde(with = "crate::check::hex_bytes")]
    out: Vec<u8>,
}

#[derive(Deserialize)]
struct ExpandWithLabel {
    #[serde(with = "crate::check::hex_bytes")]
    secret: Vec<u8>,
    label: String,
    #[serde(with = "crate::check::hex_bytes")]
    context: Vec<u8>,
    length: u16,
    #[serde(with = "crate::check::hex_bytes")]
    out: Vec<u8>,
}

#[derive(Deserialize)]
struct DeriveSecret {
    #[serde(with = "crate::check::hex_bytes")]
    secret: Vec<u8>,
    label: String,
    #[serde(with = "crate::check::hex_bytes")]
    out: Vec<u8>,
}

#[derive(Deserialize)]
struct DeriveTreeSecret {
    #[serde(with = "crate::check::hex_bytes")]
    secret: Vec<u8>,
    label: String,
    generation: u32,
    length: u16,
    #[serde(with = "crate::check::hex_bytes")]
    out: Vec<u8>,
}

#[derive(Deserialize)]
struct SignWithLabel {
    #[serde(rename = "priv", with = "crate::check::hex_bytes")]
    private: Vec<u8>,
    #[serde(rename = "pub", with = "crate::check::hex_bytes")]
    public: Vec<u8>,
    #[serde(with = "crate::check::hex_bytes")]
    content: Vec<u8>,
    label: String,
    #[serde(with = "crate::check::hex_bytes")]
    signature: Vec<u8>,
}

#[derive(Deserialize)]
struct EncryptWithLabel {
    #[serde(rename = "priv", with = "crate::check::hex_bytes")]
    private: Vec<u8>,
    #[serde(rename = "pub", with = "crate::check::hex_bytes")]
    public: Vec<u8>,
    label: String,
    #[serde(with = "crate::check::hex_bytes")]
    context: Vec<u8>,
    #[serde(with = "crate::check::hex_bytes")]
    plaintext: Vec<u8>,
    #[serde(with = "crate::check::hex_bytes")]
    kem_output: Vec<u8>,
    #[serde(with = "crate::check::hex_bytes")]
    ciphertext: Vec<u8>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;

    check_ref_hash(suite, &case.ref_hash)?;
    check_expand_with_label(suite, &case.expand_with_label)?;
    check_derive_secret(suite, &case.derive_secret)?;
    check_derive_tree_secret(suite, &case.derive_tree_secret)?;
    check_sign_with_label(suite, &case.sign_with_label)?;
    check_encrypt_with_label(suite, &case.encrypt_with_label)
}

/// `out == RefHash(label, value)`; the label is used verbatim (no "MLS 1.0 " prefix).
fn check_ref_hash(suite: CipherSuite, v: &RefHash) -> CaseResult {
    let out = suite.ref_hash(v.label.as_bytes(), &v.value);
    bytes_eq("ref_hash.out", &out, &v.out)
}

fn check_expand_with_label(suite: CipherSuite, v: &ExpandWithLabel) -> CaseResult {
    let out = context(
        suite.expand_with_label(
            &v.secret,
            v.label.as_bytes(),
            &v.context,
            usize::from(v.length),
        ),
        "expand_with_label",
    )?;
    bytes_eq("expand_with_label.out", out.as_bytes(), &v.out)
}

fn check_derive_secret(suite: CipherSuite, v: &DeriveSecret) -> CaseResult {
    let out = context(
        suite.derive_secret(&v.secret, v.label.as_bytes()),
        "derive_secret",
    )?;
    bytes_eq("derive_secret.out", out.as_bytes(), &v.out)
}

fn check_derive_tree_secret(suite: CipherSuite, v: &DeriveTreeSecret) -> CaseResult {
    let out = context(
        suite.derive_tree_secret(
            &v.secret,
            v.label.as_bytes(),
            v.generation,
            usize::from(v.length),
        ),
        "derive_tree_secret",
    )?;
    bytes_eq("derive_tree_secret.out", out.as_bytes(), &v.out)
}

/// Verifies the given signature, checks that `priv` belongs to `pub`, then signs anew
/// and verifies that. ECDSA signatures are randomized by other implementations, so the
/// vector's signature bytes are never compared with ours.
fn check_sign_with_label(suite: CipherSuite, v: &SignWithLabel) -> CaseResult {
    let label = v.label.as_bytes();
    context(
        suite.verify_with_label(&v.public, label, &v.content, &v.signature),
        "sign_with_label.signature: the vector's signature does not verify",
    )?;

    let private = SignaturePrivateKey::from_bytes(v.private.as_slice());
    let public = context(suite.signature_public_key(&private), "sign_with_label.priv")?;
    bytes_eq(
        "sign_with_label.pub (derived from priv)",
        &public.0,
        &v.public,
    )?;

    let own = context(
        suite.sign_with_label(&private, label, &v.content),
        "sign_with_label: signing anew",
    )?;
    context(
        suite.verify_with_label(&v.public, label, &v.content, &own),
        "sign_with_label: our own signature does not verify",
    )?;
    let mut other_content = v.content.clone();
    other_content.push(0);
    ensure(
        suite
            .verify_with_label(&v.public, label, &other_content, &v.signature)
            .is_err(),
        "sign_with_label.signature: also verifies over different content",
    )
}

/// Decrypts the given ciphertext, checks that `priv` belongs to `pub`, then encrypts
/// anew to `pub` and decrypts that. HPKE is randomized, so ciphertexts are never compared.
fn check_encrypt_with_label(suite: CipherSuite, v: &EncryptWithLabel) -> CaseResult {
    let label = v.label.as_bytes();
    let private = HpkePrivateKey::from_bytes(v.private.as_slice());
    let plaintext = context(
        suite.decrypt_with_label(&private, label, &v.context, &v.kem_output, &v.ciphertext),
        "encrypt_with_label: decrypting the vector's ciphertext",
    )?;
    bytes_eq("encrypt_with_label.plaintext", &plaintext, &v.plaintext)?;

    let public = context(suite.hpke_public_key(&private), "encrypt_with_label.priv")?;
    bytes_eq(
        "encrypt_with_label.pub (derived from priv)",
        &public.0,
        &v.public,
    )?;

    let (kem_output, ciphertext) = context(
        suite.encrypt_with_label(
            &v.public,
            label,
            &v.context,
            &v.plaintext,
            &mut SeededRandom::new(u64::from(suite.id())),
        ),
        "encrypt_with_label: encrypting anew",
    )?;
    let own = context(
        suite.decrypt_with_label(&private, label, &v.context, &kem_output, &ciphertext),
        "encrypt_with_label: decrypting our own ciphertext",
    )?;
    bytes_eq("encrypt_with_label: our own round trip", &own, &v.plaintext)
}
