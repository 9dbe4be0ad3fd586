//! The rules of TreeKEM (RFC 9420 §7.4–§7.6) that an UpdatePath can break; the checks
//! are in [`crate::treekem`].

use crate::tree_math::{LeafIndex, NodeIndex};

/// The rules of RFC 9420 §7.4–§7.6 (and of §12.4.2 on UpdatePaths) that input can break,
/// one variant per rule.
///
/// A path secret that does not decrypt is a [`crate::error::CryptoError::HpkeOpen`]; a
/// new leaf with a `leaf_node_source` other than `commit` is a
/// [`crate::ratchet_tree::TreeViolation::WrongLeafNodeSource`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeKemViolation {
    /// §7.6: the UpdatePath has one node "for each node in the filtered direct path of
    /// the sender's leaf, including the root".
    #[error(
        "the UpdatePath of leaf {} has {got} nodes, but its filtered direct path has {expected}",
        sender.0
    )]
    WrongPathLength {
        /// The committer.
        sender: LeafIndex,
        /// The length of the filtered direct path.
        expected: usize,
        /// The number of UpdatePathNodes.
        got: usize,
    },
    /// §7.6: "The length of the `encrypted_path_secret` vector MUST be equal to the length
    /// of the resolution of the copath node (excluding new leaf nodes)".
    #[error(
        "the UpdatePathNode for node {} has {got} ciphertexts, but the resolution of its \
         copath child has {expected} nodes",
        node.0
    )]
    WrongCiphertextCount {
        /// The node of the filtered direct path.
        node: NodeIndex,
        /// The length of the copath child's resolution.
        expected: usize,
        /// The number of ciphertexts.
        got: usize,
    },
    /// §12.4.2: "Verify that none of the public keys in the UpdatePath appear in any node
    /// of the new ratchet tree."
    #[error("the UpdatePath's key for node {} is already the key of node {}", node.0, other.0)]
    PathKeyAlreadyInTree {
        /// The node the UpdatePath sets the key of (the sender's leaf for the leaf's key).
        node: NodeIndex,
        /// The node of the tree that has that key.
        other: NodeIndex,
    },
    /// §7.5: "verify that the `parent_hash` field of the leaf node matches the parent hash
    /// for the first node in its filtered direct path" (§7.9.2).
    #[error("the parent hash of the new leaf of {} does not match its path", sender.0)]
    ParentHashMismatch {
        /// The committer.
        sender: LeafIndex,
    },
    /// §7.5: "Verify that the derived public keys are the same as the corresponding public
    /// keys sent in the UpdatePath."
    #[error("the key derived for node {} differs from the UpdatePath's", node.0)]
    DerivedKeyMismatch {
        /// The node whose keys differ.
        node: NodeIndex,
    },
    /// §7.5: "Identify a node in the resolution of the copath node for which the recipient
    /// has a private key": we have none.
    #[error("we hold no private key in the resolution of copath node {}", copath_child.0)]
    NoPrivateKeyInResolution {
        /// The copath node whose resolution the path secret was encrypted to.
        copath_child: NodeIndex,
    },
}
