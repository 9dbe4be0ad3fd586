//! Runner for `transcript-hashes.json`: the confirmed and interim transcript hashes and
//! the confirmation tag of one commit (RFC 9420 §8.2, §6.1).
//!
//! Decodes `authenticated_content` (a commit), computes the confirmed transcript hash
//! from `interim_transcript_hash_before`, checks the commit's confirmation tag against
//! it with `confirmation_key`, and computes the interim transcript hash. No signature
//! is checked: the case gives no signer key.

use mls_webapi::codec::Codec;
use mls_webapi::crypto::CipherSuite;
use mls_webapi::messages::AuthenticatedContent;
use mls_webapi::transcript_hash::{
    confirmed_transcript_hash, interim_transcript_hash, verify_confirmation_tag,
};
use serde::Deserialize;

use crate::check::{CaseResult, bytes_eq, context, fail, hex_bytes, parse};

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    #[serde(with = "hex_bytes")]
    confirmation_key: Vec<u8>,
    #[serde(with = "hex_bytes")]
    authenticated_content: Vec<u8>,
    #[serde(with = "hex_bytes")]
    interim_transcript_hash_before: Vec<u8>,
    #[serde(with = "hex_bytes")]
    confirmed_transcript_hash_after: Vec<u8>,
    #[serde(with = "hex_bytes")]
    interim_transcript_hash_after: Vec<u8>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;
    let content = context(
        AuthenticatedContent::from_bytes(&case.authenticated_content),
        "authenticated_content",
    )?;
    bytes_eq(
        "authenticated_content re-encoded",
        &content.to_bytes(),
        &case.authenticated_content,
    )?;

    let confirmed = context(
        confirmed_transcript_hash(&suite, &case.interim_transcript_hash_before, &content),
        "confirmed_transcript_hash",
    )?;
    bytes_eq(
        "confirmed_transcript_hash_after",
        &confirmed,
        &case.confirmed_transcript_hash_after,
    )?;

    let Some(tag) = content.auth.confirmation_tag.as_deref() else {
        return fail("authenticated_content has no confirmation_tag");
    };
    context(
        verify_confirmation_tag(&suite, &case.confirmation_key, &confirmed, tag),
        "confirmation_tag",
    )?;

    let interim = interim_transcript_hash(&suite, &confirmed, tag);
    bytes_eq(
        "interim_transcript_hash_after",
        &interim,
        &case.interim_transcript_hash_after,
    )
}
