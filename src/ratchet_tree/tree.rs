//! The ratchet tree as an array of optional nodes (RFC 9420 §4.1, §7.1), its serialized
//! form (§12.4.3.3), and extension and truncation (§7.7).

use crate::codec::Codec;
use crate::crypto::HpkePublicKey;
use crate::error::Error;
use crate::messages::{LeafNode, Node, ParentNode, RatchetTreeNodes};
use crate::tree_math::{LeafCount, LeafIndex, NodeIndex};

use super::TreeViolation;

/// A ratchet tree: a perfect binary tree of `2^d` leaves whose nodes are each blank or hold
/// a [`LeafNode`] (at even node indices) or a [`ParentNode`] (at odd node indices)
/// (§4.1: "Each node in a ratchet tree is either _blank_ (containing no value) or it holds
/// an HPKE public key with some associated data").
///
/// Leaves and parents are kept in separate arrays, so that a leaf can never sit at a
/// parent's position or the other way round. The tree always holds its full width: the
/// blank nodes that the serialized form leaves out (§12.4.3.3) are present here, so every
/// node index below the width has a node, blank or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatchetTree {
    /// The number of leaves; always `leaves.len()`.
    leaf_count: LeafCount,
    /// `leaves[i]` is leaf `i`, node `2i`.
    leaves: Vec<Option<LeafNode>>,
    /// `parents[k]` is node `2k + 1`; there are `leaf_count - 1` of them.
    parents: Vec<Option<ParentNode>>,
}

/// The position of a parent node in [`RatchetTree::parents`]: node `2k + 1` is slot `k`.
fn parent_slot(node: NodeIndex) -> usize {
    (node.0 / 2) as usize
}

impl RatchetTree {
    /// The tree of a new group (§11): "A tree with a single node, a leaf node containing an
    /// HPKE public key and credential for the creator".
    pub fn with_one_member(leaf: LeafNode) -> Self {
        RatchetTree {
            // 1 is a power of two and at most LeafCount::MAX.
            leaf_count: LeafCount::new(1)
                .unwrap_or_else(|| unreachable!("1 is a valid leaf count")),
            leaves: vec![Some(leaf)],
            parents: Vec::new(),
        }
    }

    /// Builds the tree from the `ratchet_tree` extension's node list (§12.4.3.3):
    ///
    /// ```text
    /// optional<Node> ratchet_tree<V>;
    /// ```
    ///
    /// "The receiver MUST check that the last node in `ratchet_tree` is non-blank, and
    /// then extend the tree to the right until it has a length of the form 2^(d+1) - 1,
    /// adding the minimum number of blank values possible." Leaves must sit at even
    /// positions and parents at odd ones. A list of even length is rejected too: its last
    /// node would be a parent whose right subtree is all blank, which the protocol never
    /// produces (such a parent is left out of every filtered direct path, §4.1.2).
    pub fn from_nodes(nodes: RatchetTreeNodes) -> Result<Self, TreeViolation> {
        let nodes = nodes.0;
        match nodes.last() {
            None => return Err(TreeViolation::EmptyTree),
            Some(None) => return Err(TreeViolation::TrailingBlankNode),
            Some(Some(_)) => {}
        }
        if nodes.len().is_multiple_of(2) {
            return Err(TreeViolation::EvenNodeCount { count: nodes.len() });
        }
        // An odd list of 2m + 1 nodes holds m + 1 leaves; the tree has the next power of two.
        let leaf_count = u32::try_from(nodes.len())
            .ok()
            .and_then(|len| LeafCount::covering(len / 2 + 1))
            .ok_or(TreeViolation::TreeTooLarge)?;

        let mut leaves = Vec::with_capacity(leaf_count.get() as usize);
        let mut parents = Vec::with_capacity(leaf_count.get() as usize - 1);
        for (x, node) in nodes.into_iter().enumerate() {
            // x < nodes.len(), which fits a u32 (checked above).
            let index = NodeIndex(x as u32);
            match (index.is_leaf(), node) {
                (true, None) => leaves.push(None),
                (true, Some(Node::Leaf(leaf))) => leaves.push(Some(leaf)),
                (false, None) => parents.push(None),
                (false, Some(Node::Parent(parent))) => parents.push(Some(parent)),
                (_, Some(_)) => return Err(TreeViolation::NodeTypeMismatch { node: index }),
            }
        }
        leaves.resize(leaf_count.get() as usize, None);
        parents.resize(leaf_count.get() as usize - 1, None);
        Ok(RatchetTree {
            leaf_count,
            leaves,
            parents,
        })
    }

    /// Decodes an encoded `optional<Node> ratchet_tree<V>` and builds the tree from it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Ok(Self::from_nodes(RatchetTreeNodes::from_bytes(bytes)?)?)
    }

    /// The node list to send (§12.4.3.3): every node in array order, without the blank
    /// nodes after the last non-blank one ("the sender MUST NOT include blank nodes after
    /// the last non-blank node").
    pub fn to_nodes(&self) -> RatchetTreeNodes {
        let mut nodes = Vec::with_capacity(self.leaves.len() + self.parents.len());
        let mut parents = self.parents.iter();
        for leaf in &self.leaves {
            nodes.push(leaf.clone().map(Node::Leaf));
            // The last leaf has no parent slot after it: the iterator simply ends.
            if let Some(parent) = parents.next() {
                nodes.push(parent.clone().map(Node::Parent));
            }
        }
        while let Some(None) = nodes.last() {
            nodes.pop();
        }
        RatchetTreeNodes(nodes)
    }

    /// The encoded node list of [`Self::to_nodes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_nodes().to_bytes()
    }

    /// The number of leaves, blank or not: a power of two.
    pub fn leaf_count(&self) -> LeafCount {
        self.leaf_count
    }

    /// The number of nodes, `2 * leaf_count - 1`.
    pub fn node_width(&self) -> u32 {
        self.leaf_count.node_width()
    }

    /// The root node.
    pub fn root(&self) -> NodeIndex {
        self.leaf_count.root()
    }

    /// The leaf at `leaf`, or `None` if it is blank or outside the tree.
    pub fn leaf(&self, leaf: LeafIndex) -> Option<&LeafNode> {
        self.leaves.get(leaf.0 as usize)?.as_ref()
    }

    /// The parent node at `node`, or `None` if it is blank, a leaf position, or outside the
    /// tree.
    pub fn parent(&self, node: NodeIndex) -> Option<&ParentNode> {
        if node.is_leaf() {
            return None;
        }
        self.parents.get(parent_slot(node))?.as_ref()
    }

    /// The parent node at `node` for changing in place (TreeKEM sets keys, parent hashes
    /// and unmerged leaves this way); `None` as for [`Self::parent`].
    pub fn parent_mut(&mut self, node: NodeIndex) -> Option<&mut ParentNode> {
        if node.is_leaf() {
            return None;
        }
        self.parents.get_mut(parent_slot(node))?.as_mut()
    }

    /// True if `node` is blank. Nodes outside the tree count as blank.
    pub fn is_blank(&self, node: NodeIndex) -> bool {
        match node.to_leaf() {
            Some(leaf) => self.leaf(leaf).is_none(),
            None => self.parent(node).is_none(),
        }
    }

    /// The HPKE public key of a non-blank node, leaf or parent.
    pub fn encryption_key(&self, node: NodeIndex) -> Option<&HpkePublicKey> {
        match node.to_leaf() {
            Some(leaf) => self.leaf(leaf).map(|l| &l.encryption_key),
            None => self.parent(node).map(|p| &p.encryption_key),
        }
    }

    /// Sets leaf `leaf` to `value` (`None` blanks it). Fails with [`Error::Misuse`] for a
    /// leaf outside the tree, changing nothing.
    pub fn set_leaf(&mut self, leaf: LeafIndex, value: Option<LeafNode>) -> Result<(), Error> {
        let slot = self
            .leaves
            .get_mut(leaf.0 as usize)
            .ok_or(Error::Misuse("set_leaf: leaf outside the tree"))?;
        *slot = value;
        Ok(())
    }

    /// Sets parent node `node` to `value` (`None` blanks it). Fails with [`Error::Misuse`]
    /// for a leaf position or a node outside the tree, changing nothing.
    pub fn set_parent(&mut self, node: NodeIndex, value: Option<ParentNode>) -> Result<(), Error> {
        if node.is_leaf() {
            return Err(Error::Misuse("set_parent: node is a leaf position"));
        }
        let slot = self
            .parents
            .get_mut(parent_slot(node))
            .ok_or(Error::Misuse("set_parent: node outside the tree"))?;
        *slot = value;
        Ok(())
    }

    /// Blanks every node on the direct path of `leaf` (§7.4: "Blank all the nodes on the
    /// direct path from the leaf to the root"). Fails with [`Error::Misuse`] for a leaf
    /// outside the tree, changing nothing.
    pub fn blank_direct_path(&mut self, leaf: LeafIndex) -> Result<(), Error> {
        let path = self
            .direct_path(leaf)
            .ok_or(Error::Misuse("blank_direct_path: leaf outside the tree"))?;
        for node in path {
            self.set_parent(node, None)?;
        }
        Ok(())
    }

    /// The non-blank leaves, in leaf order: the members of the group.
    pub fn members(&self) -> impl Iterator<Item = (LeafIndex, &LeafNode)> {
        // There are at most 2^31 leaves, so each position fits a u32.
        self.leaves
            .iter()
            .enumerate()
            .filter_map(|(i, leaf)| Some((LeafIndex(i as u32), leaf.as_ref()?)))
    }

    /// The non-blank parent nodes, in node order.
    pub fn parent_nodes(&self) -> impl Iterator<Item = (NodeIndex, &ParentNode)> {
        // Slot k is node 2k + 1 < 2^32 - 1.
        self.parents
            .iter()
            .enumerate()
            .filter_map(|(k, parent)| Some((NodeIndex(2 * k as u32 + 1), parent.as_ref()?)))
    }

    /// The leftmost leaf holding exactly `leaf` (§12.4.3.1: "Identify a leaf whose LeafNode
    /// is identical to the one in the KeyPackage").
    pub fn find_leaf(&self, leaf: &LeafNode) -> Option<LeafIndex> {
        self.members()
            .find(|(_, candidate)| *candidate == leaf)
            .map(|(index, _)| index)
    }

    /// The leftmost blank leaf, if any (where an Add places its member, §12.1.1).
    pub fn first_blank_leaf(&self) -> Option<LeafIndex> {
        // At most 2^31 leaves: the position fits a u32.
        self.leaves
            .iter()
            .position(Option::is_none)
            .map(|i| LeafIndex(i as u32))
    }

    /// Doubles the width of the tree (§7.7): "a new blank root node is added, whose left
    /// subtree is the existing tree and right subtree is a new all-blank subtree." Node
    /// indices of existing nodes do not change. Fails, changing nothing, if the tree would
    /// exceed 2^31 leaves.
    pub fn extend(&mut self) -> Result<(), TreeViolation> {
        let doubled = self
            .leaf_count
            .get()
            .checked_mul(2)
            .and_then(LeafCount::new)
            .ok_or(TreeViolation::TreeTooLarge)?;
        self.leaves.resize(doubled.get() as usize, None);
        self.parents.resize(doubled.get() as usize - 1, None);
        self.leaf_count = doubled;
        Ok(())
    }

    /// Halves the tree for as long as its right subtree is all blank (§7.7): "When the
    /// right subtree of the tree no longer has any non-blank nodes, it can be safely
    /// removed. The root of the tree and the right subtree are discarded (whether or not
    /// the root node is blank)." A tree of one leaf is never truncated.
    pub fn truncate(&mut self) {
        while let Some(half) = self.truncated_size() {
            let half_leaves = half.get() as usize;
            self.leaves.truncate(half_leaves);
            // Drops the old root (slot half - 1) and the right subtree's parents.
            self.parents.truncate(half_leaves - 1);
            self.leaf_count = half;
        }
    }

    /// The size of the tree without its root and right subtree, if that subtree is all
    /// blank.
    fn truncated_size(&self) -> Option<LeafCount> {
        let half =
            LeafCount::new(self.leaf_count.get() / 2).filter(|_| self.leaf_count.get() > 1)?;
        let half_leaves = half.get() as usize;
        // The right subtree: leaves half.. and parent slots half.. (nodes past the root).
        let right_leaves_blank = self.leaves.iter().skip(half_leaves).all(Option::is_none);
        let right_parents_blank = self.parents.iter().skip(half_leaves).all(Option::is_none);
        (right_leaves_blank && right_parents_blank).then_some(half)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::messages::leaf_node::{LeafNodeSource, tests::sample_leaf};

    /// A leaf whose encryption key is `[tag]`, so that leaves can be told apart.
    pub(crate) fn leaf(tag: u8) -> LeafNode {
        let mut leaf = sample_leaf(LeafNodeSource::Update);
        leaf.encryption_key = HpkePublicKey(vec![tag]);
        leaf
    }

    /// A parent node whose encryption key is `[tag]`.
    pub(crate) fn parent(tag: u8, unmerged: &[u32]) -> ParentNode {
        ParentNode {
            encryption_key: HpkePublicKey(vec![tag]),
            parent_hash: Vec::new(),
            unmerged_leaves: unmerged.iter().copied().map(LeafIndex).collect(),
        }
    }

    fn nodes(list: Vec<Option<Node>>) -> RatchetTreeNodes {
        RatchetTreeNodes(list)
    }

    #[test]
    fn a_serialized_tree_is_padded_to_a_power_of_two_and_serialized_back_without_trailing_blanks() {
        let list = vec![
            Some(Node::Leaf(leaf(0))),
            Some(Node::Parent(parent(1, &[]))),
            Some(Node::Leaf(leaf(2))),
            None,
            Some(Node::Leaf(leaf(4))),
        ];
        let tree = RatchetTree::from_nodes(nodes(list.clone())).unwrap();
        assert_eq!(tree.leaf_count().get(), 4);
        assert_eq!(tree.node_width(), 7);
        assert!(tree.is_blank(NodeIndex(5)) && tree.is_blank(NodeIndex(6)));
        assert_eq!(tree.leaf(LeafIndex(2)), Some(&leaf(4)));
        assert_eq!(tree.parent(NodeIndex(1)), Some(&parent(1, &[])));
        assert_eq!(tree.to_nodes(), nodes(list));
    }

    #[test]
    fn malformed_node_lists_are_rejected() {
        let l = || Some(Node::Leaf(leaf(0)));
        let p = || Some(Node::Parent(parent(1, &[])));
        let cases = [
            (vec![], TreeViolation::EmptyTree),
            (vec![l(), None, None], TreeViolation::TrailingBlankNode),
            (vec![l(), p()], TreeViolation::EvenNodeCount { count: 2 }),
            (
                vec![l(), l(), l()],
                TreeViolation::NodeTypeMismatch { node: NodeIndex(1) },
            ),
            (
                vec![l(), None, p()],
                TreeViolation::NodeTypeMismatch { node: NodeIndex(2) },
            ),
        ];
        for (list, want) in cases {
            assert_eq!(RatchetTree::from_nodes(nodes(list)), Err(want));
        }
    }

    #[test]
    fn extending_keeps_node_indices_and_truncating_undoes_it() {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        tree.extend().unwrap();
        assert_eq!(tree.leaf_count().get(), 4);
        assert_eq!(tree.leaf(LeafIndex(0)), Some(&leaf(0)));
        tree.set_leaf(LeafIndex(1), Some(leaf(2))).unwrap();
        tree.truncate();
        assert_eq!(tree.leaf_count().get(), 2);
        tree.set_leaf(LeafIndex(1), None).unwrap();
        tree.truncate();
        assert_eq!(tree, RatchetTree::with_one_member(leaf(0)));
    }

    #[test]
    fn truncation_keeps_a_right_subtree_with_a_non_blank_parent() {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        tree.extend().unwrap();
        tree.set_parent(NodeIndex(5), Some(parent(5, &[]))).unwrap();
        tree.truncate();
        assert_eq!(tree.leaf_count().get(), 4);
    }

    #[test]
    fn setters_refuse_positions_outside_the_tree_or_of_the_wrong_type() {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        let before = tree.clone();
        assert!(tree.set_leaf(LeafIndex(2), Some(leaf(1))).is_err());
        assert!(tree.set_parent(NodeIndex(2), None).is_err());
        assert!(tree.set_parent(NodeIndex(3), None).is_err());
        assert!(tree.blank_direct_path(LeafIndex(5)).is_err());
        assert_eq!(tree, before);
    }
}
