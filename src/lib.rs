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
//! - [`ratchet_tree`]: the ratchet tree, its hashes and validation (RFC 9420 §4, §7).
//! - [`treekem`]: creating and applying UpdatePaths (RFC 9420 §7.4–§7.6).
//! - [`framing`]: PublicMessage and PrivateMessage (RFC 9420 §6).
//! - [`welcome`]: Welcome messages (RFC 9420 §12.4.3.1).
//! - [`group`]: the group state machine: proposals, commits, joining, application
//!   messages, and the persisted form of a group (RFC 9420 §8, §12).
//!
//! On top of them, [`webapi`] implements the Web API of `spec/mls-webapi.md` with its
//! per-origin encrypted store. [`clock`] and [`error`] serve every layer.

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
