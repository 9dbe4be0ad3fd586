//! The ratchet tree (RFC 9420 §4, §7): its nodes, resolutions and paths, tree hashes and
//! parent hashes, the validation of its leaves and of a whole tree on joining, and the
//! changes that Add, Update and Remove proposals make to it.
//!
//! - [`RatchetTree`] (`tree.rs`): the array of optional nodes over a power-of-two width,
//!   built from and serialized to the `ratchet_tree` extension's node list (§12.4.3.3),
//!   with extension and truncation (§7.7).
//! - `resolution.rs`: resolutions (§4.1.1), direct paths, copaths and filtered direct
//!   paths (§4.1.2).
//! - `tree_hash.rs`: tree hashes (§7.8).
//! - `parent_hash.rs`: parent hashes and the verification of a tree's parent-hash chains
//!   (§7.9).
//! - `leaf_validation.rs`: the rules of §7.3 for one LeafNode.
//! - `validation.rs`: the integrity checks of a tree received on joining (§12.4.3.1).
//! - `operations.rs`: Add, Update and Remove applied to the tree (§12.1.1–§12.1.3).
//!
//! Every check here reports a specific [`TreeViolation`]; nothing panics on a tree received
//! from a peer, and an operation that fails leaves the tree as it was.

mod leaf_validation;
mod operations;
mod parent_hash;
pub mod path;
mod required_capabilities;
mod resolution;
mod tree;
mod tree_hash;
mod validation;

pub use leaf_validation::{
    LeafNodeContext, LeafRules, check_leaf_node_contents, validate_leaf_node, verify_leaf_signature,
};
pub use parent_hash::parent_hash;
pub use required_capabilities::RequiredCapabilities;
pub use resolution::PathStep;
pub use tree::RatchetTree;
pub use validation::validate_tree;

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::Capability;

// Defined in the error layer, below this one, so that the crate's error type can carry it.
pub use crate::error::TreeViolation;
