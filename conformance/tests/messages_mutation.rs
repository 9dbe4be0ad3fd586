//! Mutation testing of the message decoders on the fields of `messages.json`.
//!
//! Each case takes one field of one test case, mutates it (truncation, appended bytes,
//! flipped bytes, in any combination) and decodes it as its struct. Decoding must never
//! panic; it either fails with a typed error or yields a value whose encoding is exactly
//! the mutated input, which is what a strict, canonical decoder guarantees.

use std::sync::OnceLock;

use mls_conformance::runners::messages::{FIELDS, Field, field_bytes};
use mls_conformance::vectors::{find_vector_dir, load_cases};
use proptest::prelude::*;
use proptest::sample::Index;

/// Every field of every case of `messages.json`, with the struct it holds.
fn samples() -> &'static [(Field, Vec<u8>)] {
    static SAMPLES: OnceLock<Vec<(Field, Vec<u8>)>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let dir = find_vector_dir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("messages.json");
        let cases = load_cases(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(!cases.is_empty(), "{} holds no cases", path.display());
        let mut out = Vec::new();
        for case in &cases {
            for field in FIELDS {
                let bytes = field_bytes(case, field.name)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
                out.push((*field, bytes));
            }
        }
        out
    })
}

/// One change to the bytes of a field.
#[derive(Debug, Clone)]
enum Mutation {
    /// Keep only the bytes before a position.
    Truncate(Index),
    /// Append bytes.
    Extend(Vec<u8>),
    /// XOR the byte at a position with a non-zero mask.
    Flip(Index, u8),
}

impl Mutation {
    fn apply(&self, bytes: &mut Vec<u8>) {
        match self {
            Mutation::Truncate(at) => {
                let len = at.index(bytes.len() + 1);
                bytes.truncate(len);
            }
            Mutation::Extend(tail) => bytes.extend_from_slice(tail),
            Mutation::Flip(at, mask) => {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] ^= mask;
                }
            }
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        prop::collection::vec(any::<u8>(), 1..8).prop_map(Mutation::Extend),
        (any::<Index>(), 1u8..=255).prop_map(|(at, mask)| Mutation::Flip(at, mask)),
        // Flips of the low bits hit lengths and enum values more often.
        (any::<Index>(), 1u8..=3).prop_map(|(at, mask)| Mutation::Flip(at, mask)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_mutated_message_is_rejected_or_re_encodes_to_itself(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let (field, original) = &samples()[which.index(samples().len())];
        let mut bytes = original.clone();
        for m in &mutations {
            m.apply(&mut bytes);
        }
        if let Ok(encoded) = (field.round_trip)(&bytes) {
            prop_assert_eq!(
                encoded,
                bytes,
                "{} decoded but re-encoded differently",
                field.name
            );
        }
    }
}

#[test]
fn every_unmutated_field_re_encodes_to_itself() {
    for (field, bytes) in samples() {
        assert_eq!(
            (field.round_trip)(bytes).as_ref(),
            Ok(bytes),
            "{}",
            field.name
        );
    }
}
