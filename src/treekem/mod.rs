//! TreeKEM (RFC 9420 §7.4–§7.6): how a committer refreshes the keys of its direct path
//! and shares the new path secrets with the group through an UpdatePath, and how the
//! other members merge it and decrypt their part.
//!
//! - [`path_secret`]: the derivations of §7.4 (`path_secret[n]`, `node_secret`, the node
//!   key pair, the `commit_secret`).
//! - [`PrivateKeys`]: the HPKE private keys a member holds for nodes of the tree.
//! - [`create_update_path`]: the committer's side (§7.4, §7.5, §7.6).
//! - [`merge_update_path`] and [`apply_update_path`]: the receiver's side (§7.5).
//!
//! None of these changes the tree it is given: each returns the new tree, so a failed
//! check leaves the caller's tree as it was. The tree side of a merge (blanking the direct
//! path, setting keys, parent hashes) is in [`crate::ratchet_tree`]'s `path.rs`.
//!
//! What is left to the code that processes a Commit (§12.4.2): validating the new
//! LeafNode (§7.3, [`crate::ratchet_tree::RatchetTree::validate_new_leaf`]), and applying
//! the proposals before the path.

mod apply;
mod create;
pub mod path_secret;
mod private_keys;

pub use apply::{AppliedUpdatePath, apply_update_path, merge_update_path};
pub use create::{CreatedUpdatePath, create_update_path};
pub use private_keys::PrivateKeys;

/// The label of the HPKE encryption of path secrets (§7.6).
const UPDATE_PATH_NODE_LABEL: &[u8] = b"UpdatePathNode";

// Defined in the error layer, below this one, so that the crate's error type can carry it.
pub use crate::error::TreeKemViolation;

#[cfg(test)]
mod tests;
