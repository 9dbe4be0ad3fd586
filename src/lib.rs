//! # mls-webapi
//!
//! A reference implementation of the Web API for Messaging Layer Security
//! (the `MLS` / `MLSGroupView` interfaces of Mozilla's explainer) over a small,
//! hand-written implementation of RFC 9420.
//!
//! The modules form a strict layering: each imports only its own layer and the layers
//! below it, so the import graph has no cycle (`tests/layering.rs` checks this, with the
//! same list). Bottom up:
//!
//! 1. [`error::DecodeError`] (`error::decode`): why bytes do not decode (RFC 9420 §2.1).
//! 2. [`codec`]: the TLS presentation language of RFC 9420 §2.1 (a hand-written
//!    [`codec::Reader`], the [`codec::Codec`] trait and the [`wire_enum!`] macro).
//! 3. [`clock`]: the time that lifetime checks read.
//! 4. [`tree_math`]: array-based tree arithmetic (RFC 9420 Appendix C).
//! 5. `vocabulary`: the code points and selectors that messages carry and errors name
//!    (protocol version, cipher suites, sender, content, proposal, extension, credential
//!    and PSK types), re-exported from [`messages`].
//! 6. [`error`]: the crate's [`Error`], with the rule violations of every layer above.
//! 7. [`crypto`]: the labelled cryptography of RFC 9420 §5 for the seven cipher suites
//!    (all but HPKE with DHKEM(X448), which suites 4 and 6 need).
//! 8. `state_codec`: the encoding of persisted state that the layers above share.
//! 9. [`messages`]: every wire struct of RFC 9420.
//! 10. [`ratchet_tree`]: the ratchet tree, its hashes and validation (RFC 9420 §4, §7).
//! 11. [`treekem`]: creating and applying UpdatePaths (RFC 9420 §7.4–§7.6).
//! 12. [`psk`]: pre-shared keys (RFC 9420 §8.4).
//! 13. [`secret_tree`]: the secret tree (RFC 9420 §9).
//! 14. [`key_schedule`]: the secrets of an epoch (RFC 9420 §8).
//! 15. [`transcript_hash`]: the transcript hashes (RFC 9420 §8.2).
//! 16. [`framing`]: PublicMessage and PrivateMessage (RFC 9420 §6).
//! 17. [`welcome`]: Welcome messages (RFC 9420 §12.4.3.1).
//! 18. [`group`]: the group state machine: proposals, commits, joining, application
//!     messages, and the persisted form of a group (RFC 9420 §8, §12).
//! 19. [`webapi`]: the Web API of `spec/mls-webapi.md` with its per-origin encrypted
//!     store.
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
//! `webapi::Mls::state_snapshot` (the stored state as bytes, secrets included), and the
//! module `webapi::store` (the per-origin store, whose transactions read records in
//! plaintext). The crate's own tests and the conformance harness turn it on.

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
pub(crate) mod state_codec;
pub mod transcript_hash;
pub mod tree_math;
pub mod treekem;
mod vocabulary;
pub mod webapi;
pub mod welcome;

pub use error::{Error, Result};
