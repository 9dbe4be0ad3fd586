//! The rules of the ratchet tree (RFC 9420 §7, §12.1.1–§12.1.3, §12.4.3.1) that input
//! can break; the checks are in [`crate::ratchet_tree`].

use crate::tree_math::{LeafIndex, NodeIndex};
use crate::vocabulary::{Capability, CredentialType, ExtensionType, LeafNodeSourceType};

/// The rules of RFC 9420 §7, §12.1.1–§12.1.3 and §12.4.3.1 that input can break, one
/// variant per rule. Variants carry node and leaf indices and public values, never
/// secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeViolation {
    // --- The shape of a serialized tree (§4.1, §12.4.3.3) ---
    /// A tree has at least one leaf, so its node list is not empty.
    #[error("the ratchet tree has no nodes")]
    EmptyTree,
    /// §12.4.3.3: "The receiver MUST check that the last node in `ratchet_tree` is
    /// non-blank."
    #[error("the last node of the serialized ratchet tree is blank")]
    TrailingBlankNode,
    /// The last non-blank node of a tree made by the protocol is always a leaf, so its
    /// serialized form has an odd number of nodes.
    #[error("the serialized ratchet tree has an even number of nodes ({count})")]
    EvenNodeCount {
        /// The number of nodes in the list.
        count: usize,
    },
    /// Leaves sit at even node indices and parents at odd ones (§4.1, Appendix C).
    #[error("node {} holds the wrong type of node for its position", node.0)]
    NodeTypeMismatch {
        /// The misplaced node.
        node: NodeIndex,
    },
    /// A tree holds at most 2^31 leaves (node indices are `uint32`).
    #[error("the ratchet tree would exceed 2^31 leaves")]
    TreeTooLarge,

    // --- Tree hash (§7.8, §12.4.3.1) ---
    /// §12.4.3.1: "Verify that the tree hash of the ratchet tree matches the `tree_hash`
    /// field in GroupInfo."
    #[error("the tree hash does not match the GroupContext's tree_hash")]
    TreeHashMismatch,

    // --- Parent hashes (§7.9.2) ---
    /// §7.9.2: "the new member MUST authenticate that each non-blank parent node P is
    /// parent-hash valid": no descendant of this node carries its parent hash.
    #[error("parent node {} is not parent-hash valid", node.0)]
    ParentNotParentHashValid {
        /// The parent node.
        node: NodeIndex,
    },
    /// §7.9.2: each non-blank parent is covered by "exactly one" chain, but more than one
    /// descendant of this node carries its parent hash.
    #[error("parent node {} is parent-hash valid through more than one descendant", node.0)]
    ParentHashNotUnique {
        /// The parent node.
        node: NodeIndex,
    },

    // --- Unmerged leaves (§7.1, §12.4.3.1) ---
    /// §7.1: "The entries in the `unmerged_leaves` vector MUST be sorted in increasing
    /// order."
    #[error("the unmerged_leaves of node {} are not in increasing order", node.0)]
    UnmergedLeavesNotSorted {
        /// The parent node.
        node: NodeIndex,
    },
    /// §12.4.3.1: an unmerged leaf must be "a descendant of the parent node".
    #[error("unmerged leaf {} of node {} is not below it", leaf.0, node.0)]
    UnmergedLeafNotDescendant {
        /// The parent node.
        node: NodeIndex,
        /// The listed leaf.
        leaf: LeafIndex,
    },
    /// §12.4.3.1: an unmerged leaf must be "a non-blank leaf node".
    #[error("unmerged leaf {} of node {} is blank", leaf.0, node.0)]
    UnmergedLeafBlank {
        /// The parent node.
        node: NodeIndex,
        /// The listed leaf.
        leaf: LeafIndex,
    },
    /// §12.4.3.1: "every non-blank intermediate node between the leaf node and the parent
    /// node also has an entry for the leaf node in its `unmerged_leaves`."
    #[error(
        "leaf {} is unmerged at node {} but not at node {} below it",
        leaf.0,
        node.0,
        intermediate.0
    )]
    UnmergedLeafMissingBelow {
        /// The parent node that lists the leaf.
        node: NodeIndex,
        /// The listed leaf.
        leaf: LeafIndex,
        /// The non-blank node in between that does not list it.
        intermediate: NodeIndex,
    },

    // --- Key uniqueness (§7.3, §12.4.3.1, §16.8) ---
    /// §7.3 / §12.4.3.1: encryption keys are unique among the nodes of the tree.
    #[error("node {node:?} has the same encryption key as node {}", other.0)]
    DuplicateEncryptionKey {
        /// The node being checked (`None` for a new member's leaf, which has no position
        /// yet).
        node: Option<NodeIndex>,
        /// The other node with the same key.
        other: NodeIndex,
    },
    /// §7.3: signature keys are unique among the members of the group.
    #[error("leaf {leaf:?} has the same signature key as leaf {}", other.0)]
    DuplicateSignatureKey {
        /// The leaf being checked (`None` for a new member's leaf).
        leaf: Option<LeafIndex>,
        /// The other leaf with the same key.
        other: LeafIndex,
    },

    // --- One LeafNode (§7.2, §7.3) ---
    /// §7.3: "Verify that the signature on the LeafNode is valid using `signature_key`."
    #[error("the signature of leaf {leaf:?} does not verify")]
    LeafSignatureInvalid {
        /// The leaf's position, if it has one (a KeyPackage's leaf has none).
        leaf: Option<LeafIndex>,
    },
    /// §7.2: "the credential type used in the LeafNode MUST be included in the
    /// `credentials` field of the `capabilities` field."
    #[error("leaf {leaf:?} does not list its own credential type {credential_type:?}")]
    CredentialTypeNotInCapabilities {
        /// The leaf's position, if it has one.
        leaf: Option<LeafIndex>,
        /// The credential type it uses.
        credential_type: CredentialType,
    },
    /// §7.2 / §7.3: "The types of any non-default extensions that appear in the
    /// `extensions` field of a LeafNode MUST be included in the `extensions` field of the
    /// `capabilities` field."
    #[error("leaf {leaf:?} carries extension {extension_type:?} it does not list")]
    ExtensionNotInCapabilities {
        /// The leaf's position, if it has one.
        leaf: Option<LeafIndex>,
        /// The unlisted extension type.
        extension_type: ExtensionType,
    },
    /// §7.3: "the required extensions, proposals, and credential types MUST be listed in
    /// the LeafNode's `capabilities` field."
    #[error("leaf {leaf:?} does not support the required {capability:?}")]
    RequiredCapabilityMissing {
        /// The leaf's position, if it has one.
        leaf: Option<LeafIndex>,
        /// The missing capability.
        capability: Capability,
    },
    /// §7.3: "Verify that the credential type is supported by all members of the group".
    #[error("member {} does not support credential type {credential_type:?} of leaf {leaf:?}", member.0)]
    CredentialTypeUnsupportedByMember {
        /// The leaf being validated.
        leaf: Option<LeafIndex>,
        /// Its credential type.
        credential_type: CredentialType,
        /// A member whose capabilities do not list it.
        member: LeafIndex,
    },
    /// §7.3: "the `capabilities` field of this LeafNode indicates support for all the
    /// credential types currently in use by other members."
    #[error("leaf {leaf:?} does not support credential type {credential_type:?} of member {}", member.0)]
    MemberCredentialTypeUnsupported {
        /// The leaf being validated.
        leaf: Option<LeafIndex>,
        /// The credential type of the other member.
        credential_type: CredentialType,
        /// The other member.
        member: LeafIndex,
    },
    /// §7.3: the current time must be within the `lifetime` of a key_package leaf.
    #[error("leaf {leaf:?} is outside its lifetime [{not_before}, {not_after}]")]
    LifetimeNotValid {
        /// The leaf's position, if it has one.
        leaf: Option<LeafIndex>,
        /// The lifetime's first second.
        not_before: u64,
        /// The lifetime's last second.
        not_after: u64,
    },
    /// §7.3: "Verify the `leaf_node_source` field": key_package in a KeyPackage, update in
    /// an Update proposal, commit in an UpdatePath.
    #[error("leaf {leaf:?} has leaf_node_source {found:?} where {expected:?} is required")]
    WrongLeafNodeSource {
        /// The leaf's position, if it has one.
        leaf: Option<LeafIndex>,
        /// The source the context requires.
        expected: LeafNodeSourceType,
        /// The source the leaf has.
        found: LeafNodeSourceType,
    },
    /// §7.3: an Update's `encryption_key` must be "a different public key than the
    /// `encryption_key` in the leaf node being replaced" (and a Commit's, §7.5).
    #[error("the new leaf at {} keeps the encryption key of the leaf it replaces", leaf.0)]
    EncryptionKeyNotChanged {
        /// The replaced leaf.
        leaf: LeafIndex,
    },

    // --- Proposals applied to the tree (§12.1.2, §12.1.3) ---
    /// §12.1.2: an Update replaces "the sender's LeafNode", so the sender must occupy a
    /// non-blank leaf of the tree.
    #[error("the Update's sender at leaf {} is not a member", leaf.0)]
    UpdateSenderNotMember {
        /// The sender's leaf.
        leaf: LeafIndex,
    },
    /// §12.1.3: "A Remove proposal is invalid if the `removed` field does not identify a
    /// non-blank leaf node."
    #[error("the removed leaf {} is blank or outside the tree", leaf.0)]
    RemovedLeafNotMember {
        /// The `removed` leaf.
        leaf: LeafIndex,
    },
}
