//! Runner for `psk_secret.json`: combining PSKs into `psk_secret` (RFC 9420 §8.4).
//!
//! Every PSK of the file is an external one, so its `PreSharedKeyID` is
//! `01 || psk_id<V> || psk_nonce<V>`.

use mls_webapi::codec::Codec;
use mls_webapi::crypto::{CipherSuite, Secret};
use mls_webapi::messages::{PreSharedKeyId, PskSource};
use mls_webapi::psk::{PskInput, psk_secret};
use serde::Deserialize;

use crate::check::{CaseResult, bytes_eq, context, hex_bytes, parse};

#[derive(Deserialize)]
struct Psk {
    #[serde(with = "hex_bytes")]
    psk_id: Vec<u8>,
    #[serde(with = "hex_bytes")]
    psk: Vec<u8>,
    #[serde(with = "hex_bytes")]
    psk_nonce: Vec<u8>,
}

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    psks: Vec<Psk>,
    #[serde(with = "hex_bytes")]
    psk_secret: Vec<u8>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;
    let ids: Vec<Vec<u8>> = case
        .psks
        .iter()
        .map(|p| {
            PreSharedKeyId {
                psk: PskSource::External {
                    psk_id: p.psk_id.clone(),
                },
                psk_nonce: p.psk_nonce.clone(),
            }
            .to_bytes()
        })
        .collect();
    let keys: Vec<Secret> = case.psks.iter().map(|p| Secret::from(&p.psk[..])).collect();
    let inputs: Vec<PskInput<'_>> = ids
        .iter()
        .zip(&keys)
        .map(|(id, psk)| PskInput { id, psk })
        .collect();
    let got = context(psk_secret(&suite, &inputs), "psk_secret")?;
    bytes_eq("psk_secret", got.as_bytes(), &case.psk_secret)
}
