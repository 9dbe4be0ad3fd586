//! Runner for `key-schedule.json`: five epochs of the key schedule (RFC 9420 §8), the
//! GroupContext encoding (§8.1), the exporter (§8.5) and the external key pair.
//!
//! Epoch `i` has epoch number `i` and starts from the previous epoch's `init_secret`
//! (`initial_init_secret` for epoch 0). The GroupContext has no extensions. The
//! exporter label is used as its ASCII bytes, not hex-decoded.
//!
//! `external_pub` needs HPKE `DeriveKeyPair`, which suites without an HPKE backend
//! report as unsupported; it is checked last, after every other value of every epoch,
//! so that such a case is skipped only once all else has passed.

use mls_webapi::codec::Codec;
use mls_webapi::crypto::{CipherSuite, Secret};
use mls_webapi::key_schedule::EpochSecrets;
use mls_webapi::messages::extensions::Extension;
use mls_webapi::messages::group_context::GroupContext;
use mls_webapi::messages::{CipherSuiteId, ProtocolVersion};
use serde::Deserialize;

use crate::check::{CaseResult, bytes_eq, context, hex_bytes, parse};

#[derive(Deserialize)]
struct Exporter {
    label: String,
    #[serde(with = "hex_bytes")]
    context: Vec<u8>,
    length: usize,
    #[serde(with = "hex_bytes")]
    secret: Vec<u8>,
}

#[derive(Deserialize)]
struct Epoch {
    #[serde(with = "hex_bytes")]
    tree_hash: Vec<u8>,
    #[serde(with = "hex_bytes")]
    commit_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    psk_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    confirmed_transcript_hash: Vec<u8>,
    #[serde(with = "hex_bytes")]
    group_context: Vec<u8>,
    #[serde(with = "hex_bytes")]
    joiner_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    welcome_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    init_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    sender_data_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    encryption_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    exporter_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    epoch_authenticator: Vec<u8>,
    #[serde(with = "hex_bytes")]
    external_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    confirmation_key: Vec<u8>,
    #[serde(with = "hex_bytes")]
    membership_key: Vec<u8>,
    #[serde(with = "hex_bytes")]
    resumption_psk: Vec<u8>,
    #[serde(with = "hex_bytes")]
    external_pub: Vec<u8>,
    exporter: Exporter,
}

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    #[serde(with = "hex_bytes")]
    group_id: Vec<u8>,
    #[serde(with = "hex_bytes")]
    initial_init_secret: Vec<u8>,
    epochs: Vec<Epoch>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;
    let mut init_secret = Secret::from(&case.initial_init_secret[..]);
    let mut all_secrets = Vec::with_capacity(case.epochs.len());

    for (i, e) in case.epochs.iter().enumerate() {
        let at = |field: &str| format!("epochs[{i}].{field}");
        let group_context = GroupContext {
            version: ProtocolVersion::MLS10,
            cipher_suite: CipherSuiteId(case.cipher_suite),
            group_id: case.group_id.clone(),
            epoch: i as u64,
            tree_hash: e.tree_hash.clone(),
            confirmed_transcript_hash: e.confirmed_transcript_hash.clone(),
            extensions: Vec::<Extension>::new(),
        }
        .to_bytes();
        bytes_eq(&at("group_context"), &group_context, &e.group_context)?;

        let secrets = context(
            EpochSecrets::derive(
                &suite,
                &init_secret,
                &Secret::from(&e.commit_secret[..]),
                &Secret::from(&e.psk_secret[..]),
                &group_context,
            ),
            &at("key schedule"),
        )?;
        for (name, got, want) in [
            ("joiner_secret", &secrets.joiner_secret, &e.joiner_secret),
            ("welcome_secret", &secrets.welcome_secret, &e.welcome_secret),
            ("init_secret", &secrets.init_secret, &e.init_secret),
            (
                "sender_data_secret",
                &secrets.sender_data_secret,
                &e.sender_data_secret,
            ),
            (
                "encryption_secret",
                &secrets.encryption_secret,
                &e.encryption_secret,
            ),
            (
                "exporter_secret",
                &secrets.exporter_secret,
                &e.exporter_secret,
            ),
            (
                "epoch_authenticator",
                &secrets.epoch_authenticator,
                &e.epoch_authenticator,
            ),
            (
                "external_secret",
                &secrets.external_secret,
                &e.external_secret,
            ),
            (
                "confirmation_key",
                &secrets.confirmation_key,
                &e.confirmation_key,
            ),
            ("membership_key", &secrets.membership_key, &e.membership_key),
            ("resumption_psk", &secrets.resumption_psk, &e.resumption_psk),
        ] {
            bytes_eq(&at(name), got.as_bytes(), want)?;
        }

        let x = &e.exporter;
        let exported = context(
            secrets.export(&suite, x.label.as_bytes(), &x.context, x.length),
            &at("exporter"),
        )?;
        bytes_eq(&at("exporter.secret"), exported.as_bytes(), &x.secret)?;

        init_secret = secrets.init_secret.clone();
        all_secrets.push(secrets);
    }

    for (i, (secrets, e)) in all_secrets.iter().zip(&case.epochs).enumerate() {
        let field = format!("epochs[{i}].external_pub");
        let (_, public) = context(secrets.external_key_pair(&suite), &field)?;
        bytes_eq(&field, &public.0, &e.external_pub)?;
    }
    Ok(())
}
