//! The cryptography of RFC 9420 §5 for the seven cipher suites of §17.1.
//!
//! A [`CipherSuite`] value names a suite's algorithms and provides every operation the
//! protocol needs: hashing and `RefHash` (§5.2), the labelled KDF functions
//! `ExpandWithLabel` / `DeriveSecret` / `DeriveTreeSecret` (§5.1), MAC, AEAD, HPKE with
//! `EncryptWithLabel` / `DecryptWithLabel` and `DeriveKeyPair` (§5.1.3), and signatures
//! with `SignWithLabel` / `VerifyWithLabel` (§5.1.2).
//!
//! Every primitive comes from a well-kept crate of the RustCrypto family; nothing here
//! implements a primitive. Randomness comes through the [`Random`] trait so that tests
//! and fuzzing can be deterministic.

mod aead;
mod hpke;
mod kdf;
mod random;
mod secret;
mod signature;
mod suite;

pub use hpke::{HpkePrivateKey, HpkePublicKey};
pub use random::{OsRandom, Random, RandomError, SeededRandom};
pub use secret::Secret;
pub use signature::{SignaturePrivateKey, SignaturePublicKey};
pub use suite::{AeadAlgorithm, CipherSuite, HashAlgorithm, KemAlgorithm, SignatureScheme};

pub(crate) use random::{Prefetched, RngAdapter};
