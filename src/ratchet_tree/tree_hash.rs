//! Tree hashes (RFC 9420 §7.8): the hash of a node summarizes its whole subtree.
//!
//! ```text
//! struct {
//!   NodeType node_type;
//!   select (TreeHashInput.node_type) {
//!     case leaf:   LeafNodeHashInput leaf_node;
//!     case parent: ParentNodeHashInput parent_node;
//!   };
//! } TreeHashInput;
//!
//! struct {
//!     uint32 leaf_index;
//!     optional<LeafNode> leaf_node;
//! } LeafNodeHashInput;
//!
//! struct {
//!     optional<ParentNode> parent_node;
//!     opaque left_hash<V>;
//!     opaque right_hash<V>;
//! } ParentNodeHashInput;
//! ```
//!
//! "For both parent and leaf nodes, the optional node value MUST be absent if the node is
//! blank and present if the node contains a value."

use std::collections::BTreeSet;

use crate::codec::{Codec, write_opaque};
use crate::crypto::CipherSuite;
use crate::messages::{LeafNode, NodeType, ParentNode};
use crate::tree_math::{LeafIndex, NodeIndex};

use super::RatchetTree;

/// The encoded `TreeHashInput` of a leaf.
fn leaf_hash_input(leaf_index: LeafIndex, leaf: Option<&LeafNode>) -> Vec<u8> {
    let mut out = Vec::new();
    NodeType::LEAF.encode(&mut out);
    leaf_index.encode(&mut out);
    match leaf {
        None => out.push(0),
        Some(leaf) => {
            out.push(1);
            leaf.encode(&mut out);
        }
    }
    out
}

/// The encoded `TreeHashInput` of a parent node with its children's tree hashes.
fn parent_hash_input(parent: Option<&ParentNode>, left_hash: &[u8], right_hash: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    NodeType::PARENT.encode(&mut out);
    match parent {
        None => out.push(0),
        Some(parent) => {
            out.push(1);
            parent.encode(&mut out);
        }
    }
    write_opaque(&mut out, left_hash);
    write_opaque(&mut out, right_hash);
    out
}

impl RatchetTree {
    /// The tree hash of `node` (§7.8), or `None` for a node outside the tree. Blank nodes
    /// that the serialized tree leaves out are part of the tree and have hashes too.
    pub fn tree_hash(&self, suite: &CipherSuite, node: NodeIndex) -> Option<Vec<u8>> {
        self.tree_hash_excluding(suite, node, &[])
    }

    /// The tree hash of the root: the GroupContext's `tree_hash` (§8.1).
    pub fn root_tree_hash(&self, suite: &CipherSuite) -> Vec<u8> {
        self.subtree_hash(suite, self.root(), &BTreeSet::new(), &mut |_, _| {})
    }

    /// The tree hash of every node, indexed by node index (all `node_width` of them).
    /// Computes each hash once.
    pub fn tree_hashes(&self, suite: &CipherSuite) -> Vec<Vec<u8>> {
        let mut hashes = vec![Vec::new(); self.node_width() as usize];
        self.subtree_hash(suite, self.root(), &BTreeSet::new(), &mut |node, hash| {
            // Every node of the tree has a slot: node < node_width.
            if let Some(slot) = hashes.get_mut(node.0 as usize) {
                *slot = hash.to_vec();
            }
        });
        hashes
    }

    /// The tree hash of `node` in the tree modified as for an original sibling tree hash
    /// (§7.9): each leaf in `excluded` is blank and removed from the `unmerged_leaves` of
    /// every parent node. `None` for a node outside the tree.
    pub fn tree_hash_excluding(
        &self,
        suite: &CipherSuite,
        node: NodeIndex,
        excluded: &[LeafIndex],
    ) -> Option<Vec<u8>> {
        if !self.leaf_count().contains_node(node) {
            return None;
        }
        // A set: a peer's `unmerged_leaves` list can be long.
        let excluded: BTreeSet<LeafIndex> = excluded.iter().copied().collect();
        Some(self.subtree_hash(suite, node, &excluded, &mut |_, _| {}))
    }

    /// The tree hash of `node`, a node of the tree, reporting the hash of each node of its
    /// subtree to `record` on the way.
    fn subtree_hash(
        &self,
        suite: &CipherSuite,
        node: NodeIndex,
        excluded: &BTreeSet<LeafIndex>,
        record: &mut dyn FnMut(NodeIndex, &[u8]),
    ) -> Vec<u8> {
        let input = match node.to_leaf() {
            Some(leaf_index) => {
                let leaf = self
                    .leaf(leaf_index)
                    .filter(|_| !excluded.contains(&leaf_index));
                leaf_hash_input(leaf_index, leaf)
            }
            None => {
                let (Some(left), Some(right)) = (node.left(), node.right()) else {
                    unreachable!("a parent position inside the tree has two children");
                };
                let left_hash = self.subtree_hash(suite, left, excluded, record);
                let right_hash = self.subtree_hash(suite, right, excluded, record);
                let parent = self.parent(node);
                match parent {
                    Some(p) if p.unmerged_leaves.iter().any(|l| excluded.contains(l)) => {
                        let mut kept = p.clone();
                        kept.unmerged_leaves.retain(|l| !excluded.contains(l));
                        parent_hash_input(Some(&kept), &left_hash, &right_hash)
                    }
                    _ => parent_hash_input(parent, &left_hash, &right_hash),
                }
            }
        };
        let hash = suite.hash(&input);
        record(node, &hash);
        hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratchet_tree::tree::tests::{leaf, parent};

    fn suite() -> CipherSuite {
        CipherSuite::new(1).unwrap()
    }

    #[test]
    fn a_blank_leaf_hashes_its_index_and_an_absent_node() {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        let want = suite().hash(&[1, 0, 0, 0, 1, 0]);
        assert_eq!(tree.tree_hash(&suite(), NodeIndex(2)), Some(want));
    }

    #[test]
    fn every_node_hash_agrees_with_the_hash_of_that_node_alone() {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        tree.extend().unwrap();
        tree.set_leaf(LeafIndex(2), Some(leaf(4))).unwrap();
        tree.set_parent(NodeIndex(3), Some(parent(3, &[2])))
            .unwrap();
        let all = tree.tree_hashes(&suite());
        assert_eq!(all.len(), 7);
        for x in 0..7 {
            assert_eq!(
                Some(all[x as usize].clone()),
                tree.tree_hash(&suite(), NodeIndex(x))
            );
        }
        assert_eq!(all[3], tree.root_tree_hash(&suite()));
        assert_eq!(tree.tree_hash(&suite(), NodeIndex(7)), None);
    }

    #[test]
    fn excluding_a_leaf_equals_blanking_it_and_dropping_it_from_unmerged_lists() {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        tree.extend().unwrap();
        tree.set_leaf(LeafIndex(2), Some(leaf(4))).unwrap();
        tree.set_parent(NodeIndex(3), Some(parent(3, &[2])))
            .unwrap();
        let excluded = tree.tree_hash_excluding(&suite(), NodeIndex(3), &[LeafIndex(2)]);

        let mut blanked = tree.clone();
        blanked.set_leaf(LeafIndex(2), None).unwrap();
        blanked
            .set_parent(NodeIndex(3), Some(parent(3, &[])))
            .unwrap();
        assert_eq!(excluded, blanked.tree_hash(&suite(), NodeIndex(3)));
        assert_ne!(excluded, tree.tree_hash(&suite(), NodeIndex(3)));
    }
}
