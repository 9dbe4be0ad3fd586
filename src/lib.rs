//! # mls-webapi
//!
//! A reference implementation of the Web API for Messaging Layer Security
//! (the `MLS` / `MLSGroupView` interfaces of Mozilla's explainer) over a small,
//! hand-written implementation of RFC 9420.
//!
//! The protocol layers, bottom up:
//!
//! - [`codec`]: the TLS presentation language of RFC 9420 §2.1 (a hand-written
//!   [`codec::Reader`] and the [`codec::Codec`] trait).
//! - [`crypto`]: the labelled cryptography of RFC 9420 §5 for all seven cipher suites.
//! - [`tree_math`]: array-based tree arithmetic (RFC 9420 Appendix C).
//! - [`secret_tree`], [`key_schedule`], [`psk`], [`transcript_hash`]: the secrets of an
//!   epoch (RFC 9420 §8, §9).
//! - [`messages`]: every wire struct of RFC 9420.
//!
//! ## Private keys
//!
//! No public function or field gives the bytes of a private key:
//! [`crypto::HpkePrivateKey`] and [`crypto::SignaturePrivateKey`] are opaque, and the
//! persistent state encodings, which hold them, are crate-private. The identity's
//! signature private key is stored once, in its identity record ([`webapi`]).
//!
//! The cargo feature `test-support` (off by default, and not part of the documented API)
//! adds, for tests only, items that **expose secrets**: `HpkePrivateKey::from_bytes`,
//! `SignaturePrivateKey::from_bytes` and `group::JoinKeys::from_keys` (for test vectors
//! that give private keys), `group::Group::fingerprint` and
//! `webapi::Mls::state_snapshot` (the stored state as bytes, secrets included). The
//! crate's own tests and the conformance harness turn it on.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod clock;
pub mod codec;
pub mod crypto;
pub mod error;
pub mod framing;
pub mod group;
pub mod key_schedule;
pub mod messages;
pub mod psk;
pub mod ratchet_tree;
pub mod secret_tree;
pub mod transcript_hash;
pub mod tree_math;
pub mod treekem;
pub mod webapi;
pub mod welcome;

pub use error::{Error, Result};
