//! The ratchet tree as it is sent in the `ratchet_tree` extension (RFC 9420 §7.1, §12.4.3.3).

use crate::codec::{Codec, Reader, write_opaque};
use crate::crypto::HpkePublicKey;
use crate::error::DecodeError;
use crate::messages::common::{read_hpke_key, read_opaque, write_hpke_key};
use crate::messages::leaf_node::LeafNode;
use crate::tree_math::LeafIndex;
use crate::wire_enum;

wire_enum! {
    /// Whether a node of the tree is a leaf or a parent (RFC 9420 §7.8).
    ///
    /// ```text
    /// enum {
    ///     reserved(0),
    ///     leaf(1),
    ///     parent(2),
    ///     (255)
    /// } NodeType;
    /// ```
    pub struct NodeType(u8) {
        /// A leaf node.
        LEAF = 1,
        /// A parent node.
        PARENT = 2,
    }
}

/// The contents of a non-blank parent node (RFC 9420 §7.1).
///
/// ```text
/// struct {
///     HPKEPublicKey encryption_key;
///     opaque parent_hash<V>;
///     uint32 unmerged_leaves<V>;
/// } ParentNode;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentNode {
    /// The node's HPKE public key.
    pub encryption_key: HpkePublicKey,
    /// The parent hash of this node's parent (§7.9).
    pub parent_hash: Vec<u8>,
    /// Leaves below this node that do not know its private key, in increasing order.
    pub unmerged_leaves: Vec<LeafIndex>,
}

impl Codec for ParentNode {
    fn encode(&self, out: &mut Vec<u8>) {
        write_hpke_key(out, &self.encryption_key);
        write_opaque(out, &self.parent_hash);
        self.unmerged_leaves.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ParentNode {
            encryption_key: read_hpke_key(r)?,
            parent_hash: read_opaque(r)?,
            unmerged_leaves: Vec::decode(r)?,
        })
    }
}

/// A non-blank node of the ratchet tree (RFC 9420 §12.4.3.3).
///
/// ```text
/// struct {
///     NodeType node_type;
///     select (Node.node_type) {
///         case leaf:   LeafNode leaf_node;
///         case parent: ParentNode parent_node;
///     };
/// } Node;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A leaf.
    Leaf(LeafNode),
    /// A parent.
    Parent(ParentNode),
}

impl Node {
    /// The selector written on the wire.
    pub fn node_type(&self) -> NodeType {
        match self {
            Node::Leaf(_) => NodeType::LEAF,
            Node::Parent(_) => NodeType::PARENT,
        }
    }
}

impl Codec for Node {
    fn encode(&self, out: &mut Vec<u8>) {
        self.node_type().encode(out);
        match self {
            Node::Leaf(leaf) => leaf.encode(out),
            Node::Parent(parent) => parent.encode(out),
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match NodeType::decode(r)? {
            NodeType::LEAF => Ok(Node::Leaf(LeafNode::decode(r)?)),
            NodeType::PARENT => Ok(Node::Parent(ParentNode::decode(r)?)),
            other => Err(DecodeError::InvalidValue {
                field: "Node.node_type",
                value: other.0.into(),
            }),
        }
    }
}

/// The nodes of a ratchet tree in array order, `None` for a blank node
/// (RFC 9420 §12.4.3.3).
///
/// ```text
/// optional<Node> ratchet_tree<V>;
/// ```
///
/// Decoding checks the syntax only. The rules on the shape of the list (the last node
/// is not blank; it is extended with blanks to `2^(d+1) - 1` nodes) belong to the tree
/// that is built from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RatchetTreeNodes(pub Vec<Option<Node>>);

impl Codec for RatchetTreeNodes {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Vec::decode(r).map(RatchetTreeNodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::leaf_node::{LeafNodeSource, tests::sample_leaf};

    #[test]
    fn a_tree_with_a_blank_node_round_trips() {
        let tree = RatchetTreeNodes(vec![
            Some(Node::Leaf(sample_leaf(LeafNodeSource::Update))),
            None,
            Some(Node::Parent(ParentNode {
                encryption_key: HpkePublicKey(vec![5; 3]),
                parent_hash: Vec::new(),
                unmerged_leaves: vec![LeafIndex(1), LeafIndex(2)],
            })),
        ]);
        assert_eq!(RatchetTreeNodes::from_bytes(&tree.to_bytes()), Ok(tree));
    }

    #[test]
    fn a_node_presence_byte_of_two_is_rejected() {
        assert_eq!(
            RatchetTreeNodes::from_bytes(&[1, 2]),
            Err(DecodeError::InvalidOptional(2))
        );
    }

    #[test]
    fn an_unknown_node_type_is_rejected() {
        assert_eq!(
            RatchetTreeNodes::from_bytes(&[2, 1, 3]),
            Err(DecodeError::InvalidValue {
                field: "Node.node_type",
                value: 3
            })
        );
    }
}
