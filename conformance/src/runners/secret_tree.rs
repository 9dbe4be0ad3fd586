//! Runner for `secret-tree.json`: the sender-data key and nonce (RFC 9420 §6.3.2) and the
//! handshake and application keys and nonces of every leaf of a secret tree (§9, §9.1).
//!
//! The number of leaves is the length of `leaves`; each leaf lists the generations to
//! check (0 and 15 in the upstream file, so generations are skipped on the way).

use mls_webapi::crypto::{CipherSuite, Secret};
use mls_webapi::secret_tree::{RatchetPolicy, RatchetType, SecretTree, sender_data_key};
use mls_webapi::tree_math::{LeafCount, LeafIndex};
use serde::Deserialize;

use crate::check::{CaseResult, bytes_eq, context, fail, hex_bytes, parse};

#[derive(Deserialize)]
struct SenderData {
    #[serde(with = "hex_bytes")]
    sender_data_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    ciphertext: Vec<u8>,
    #[serde(with = "hex_bytes")]
    key: Vec<u8>,
    #[serde(with = "hex_bytes")]
    nonce: Vec<u8>,
}

#[derive(Deserialize)]
struct Generation {
    generation: u32,
    #[serde(with = "hex_bytes")]
    handshake_key: Vec<u8>,
    #[serde(with = "hex_bytes")]
    handshake_nonce: Vec<u8>,
    #[serde(with = "hex_bytes")]
    application_key: Vec<u8>,
    #[serde(with = "hex_bytes")]
    application_nonce: Vec<u8>,
}

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    #[serde(with = "hex_bytes")]
    encryption_secret: Vec<u8>,
    sender_data: SenderData,
    leaves: Vec<Vec<Generation>>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;

    let sd = &case.sender_data;
    let got = context(
        sender_data_key(&suite, &sd.sender_data_secret, &sd.ciphertext),
        "sender_data",
    )?;
    bytes_eq("sender_data.key", got.key.as_bytes(), &sd.key)?;
    bytes_eq("sender_data.nonce", got.nonce.as_bytes(), &sd.nonce)?;

    let n = case.leaves.len();
    let Some(count) = u32::try_from(n).ok().and_then(LeafCount::new) else {
        return fail(format!("{n} leaves is not a power of two"));
    };
    // The vectors may ask for any generation in any order: no limits.
    let policy = RatchetPolicy {
        max_forward_distance: u32::MAX,
        out_of_order_window: u32::MAX,
    };
    let encryption_secret = Secret::new(case.encryption_secret.clone());
    let mut tree = SecretTree::with_policy(suite, encryption_secret, count, policy);
    for (i, gens) in case.leaves.iter().enumerate() {
        // i < n, which fits in a u32 (checked above).
        let leaf = LeafIndex(i as u32);
        for (j, g) in gens.iter().enumerate() {
            let at = format!("leaves[{i}][{j}] (generation {})", g.generation);
            for (which, name, key, nonce) in [
                (
                    RatchetType::Handshake,
                    "handshake",
                    &g.handshake_key,
                    &g.handshake_nonce,
                ),
                (
                    RatchetType::Application,
                    "application",
                    &g.application_key,
                    &g.application_nonce,
                ),
            ] {
                let k = context(
                    tree.take_key(leaf, which, g.generation),
                    &format!("{at}.{name}"),
                )?;
                bytes_eq(&format!("{at}.{name}_key"), k.key.as_bytes(), key)?;
                bytes_eq(&format!("{at}.{name}_nonce"), k.nonce.as_bytes(), nonce)?;
            }
        }
    }
    Ok(())
}
