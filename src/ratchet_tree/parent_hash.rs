//! Parent hashes (RFC 9420 §7.9): computing them along a path, and verifying that every
//! non-blank parent node of a tree is parent-hash valid (§7.9.2).

use std::collections::BTreeSet;

use crate::codec::write_opaque;
use crate::crypto::CipherSuite;
use crate::error::Error;
use crate::messages::{LeafNodeSource, ParentNode};
use crate::tree_math::{LeafIndex, NodeIndex};

use super::{RatchetTree, TreeViolation};

/// The parent hash of `parent` with the given original sibling tree hash (§7.9): the hash
/// of its `ParentHashInput`.
///
/// ```text
/// struct {
///     HPKEPublicKey encryption_key;
///     opaque parent_hash<V>;
///     opaque original_sibling_tree_hash<V>;
/// } ParentHashInput;
/// ```
///
/// `parent.parent_hash` must already hold the parent hash of the next node above it on the
/// filtered direct path (empty for the root).
pub fn parent_hash(
    suite: &CipherSuite,
    parent: &ParentNode,
    original_sibling_tree_hash: &[u8],
) -> Vec<u8> {
    let mut input = Vec::new();
    write_opaque(&mut input, &parent.encryption_key.0);
    write_opaque(&mut input, &parent.parent_hash);
    write_opaque(&mut input, original_sibling_tree_hash);
    suite.hash(&input)
}

impl RatchetTree {
    /// The `original_sibling_tree_hash` of parent node `parent` with copath child `sibling`
    /// (§7.9): "the tree hash of S in the ratchet tree modified as follows: For each leaf L
    /// in `P.unmerged_leaves`, blank L and remove it from the `unmerged_leaves` sets of all
    /// parent nodes." A blank `parent` has no unmerged leaves. `None` if `sibling` is not a
    /// child of `parent` in this tree.
    pub fn original_sibling_tree_hash(
        &self,
        suite: &CipherSuite,
        parent: NodeIndex,
        sibling: NodeIndex,
    ) -> Option<Vec<u8>> {
        if parent.left() != Some(sibling) && parent.right() != Some(sibling) {
            return None;
        }
        let unmerged = self
            .parent(parent)
            .map(|p| &p.unmerged_leaves[..])
            .unwrap_or(&[]);
        self.tree_hash_excluding(suite, sibling, unmerged)
    }

    /// The `parent_hash` a node carries: a parent node's field, or a leaf's when its
    /// `leaf_node_source` is `commit`. `None` for blank nodes and other leaves.
    pub fn node_parent_hash(&self, node: NodeIndex) -> Option<&[u8]> {
        match node.to_leaf() {
            Some(leaf) => match &self.leaf(leaf)?.leaf_node_source {
                LeafNodeSource::Commit { parent_hash } => Some(parent_hash),
                _ => None,
            },
            None => Some(&self.parent(node)?.parent_hash),
        }
    }

    /// Sets the `parent_hash` of each node on the filtered direct path of `leaf`, from the
    /// root down, and returns the parent hash that the leaf itself must carry (§7.5: "Compute
    /// parent hashes for the nodes in the sender's filtered direct path ... these hashes are
    /// computed from root to leaf, so that each hash incorporates all the non-blank nodes
    /// above it. The root node always has a zero-length hash for its parent hash.").
    ///
    /// This is the last step of merging an UpdatePath, once the path's nodes hold their new
    /// keys. Fails with [`Error::Misuse`], changing nothing, if `leaf` is outside the tree
    /// or a node of its filtered direct path is blank.
    pub fn set_path_parent_hashes(
        &mut self,
        suite: &CipherSuite,
        leaf: LeafIndex,
    ) -> Result<Vec<u8>, Error> {
        let path = self.filtered_direct_path(leaf).ok_or(Error::Misuse(
            "set_path_parent_hashes: leaf outside the tree",
        ))?;
        if path.iter().any(|step| self.parent(step.node).is_none()) {
            return Err(Error::Misuse(
                "set_path_parent_hashes: blank node on the filtered direct path",
            ));
        }
        let mut above = Vec::new();
        for step in path.iter().rev() {
            let sibling_hash = self
                .original_sibling_tree_hash(suite, step.node, step.copath_child)
                .ok_or(Error::Misuse(
                    "set_path_parent_hashes: copath child is not a child",
                ))?;
            let Some(node) = self.parent_mut(step.node) else {
                unreachable!("every node of the path was checked to be non-blank");
            };
            node.parent_hash = above;
            above = parent_hash(suite, node, &sibling_hash);
        }
        Ok(above)
    }

    /// Verifies that every non-blank parent node is parent-hash valid (§7.9.2), the top-down
    /// way: "verifying that there is exactly one descendant of each non-blank parent node
    /// for which the parent node is parent-hash valid." Because that descendant is itself a
    /// leaf or a non-blank parent that passes the same check, every parent node is chained
    /// back to a leaf.
    pub fn verify_parent_hashes(&self, suite: &CipherSuite) -> Result<(), TreeViolation> {
        let hashes = self.tree_hashes(suite);
        for (node, parent) in self.parent_nodes() {
            match self.count_valid_descendants(suite, node, parent, &hashes) {
                1 => {}
                0 => return Err(TreeViolation::ParentNotParentHashValid { node }),
                _ => return Err(TreeViolation::ParentHashNotUnique { node }),
            }
        }
        Ok(())
    }

    /// How many descendants of `node` carry its parent hash: at most one per child.
    fn count_valid_descendants(
        &self,
        suite: &CipherSuite,
        node: NodeIndex,
        parent: &ParentNode,
        hashes: &[Vec<u8>],
    ) -> usize {
        let (Some(left), Some(right)) = (node.left(), node.right()) else {
            unreachable!("a parent position has two children");
        };
        [(left, right), (right, left)]
            .into_iter()
            .filter(|&(child, sibling)| {
                self.is_valid_through(suite, parent, child, sibling, hashes)
            })
            .count()
    }

    /// True if `parent` (P) is parent-hash valid through a node D below `child` (C), with
    /// `sibling` (S) the other child (§7.9.2):
    ///
    /// - "D is in the resolution of C, and the intersection of P's `unmerged_leaves` with
    ///   the subtree under C is equal to the resolution of C with D removed."
    /// - "The `parent_hash` field of D is equal to the parent hash of P with copath child S."
    ///
    /// The first rule leaves one candidate: D is the only node of C's resolution that is not
    /// an unmerged leaf of P.
    fn is_valid_through(
        &self,
        suite: &CipherSuite,
        parent: &ParentNode,
        child: NodeIndex,
        sibling: NodeIndex,
        hashes: &[Vec<u8>],
    ) -> bool {
        let resolution: BTreeSet<NodeIndex> = self.resolution(child).into_iter().collect();
        let unmerged_under_child: BTreeSet<NodeIndex> =
            self.unmerged_nodes_under(parent, child).collect();
        if !unmerged_under_child.is_subset(&resolution) {
            return false;
        }
        let mut rest = resolution.difference(&unmerged_under_child);
        let (Some(&descendant), None) = (rest.next(), rest.next()) else {
            return false;
        };
        let Some(carried) = self.node_parent_hash(descendant) else {
            return false;
        };
        // The tree hash of S is already original unless P lists leaves below S.
        let sibling_hash = if self.unmerged_nodes_under(parent, sibling).next().is_none() {
            hashes.get(sibling.0 as usize).cloned()
        } else {
            self.tree_hash_excluding(suite, sibling, &parent.unmerged_leaves)
        };
        sibling_hash.is_some_and(|h| carried == parent_hash(suite, parent, &h))
    }

    /// The node indices of the unmerged leaves of `parent` that lie below `head`.
    fn unmerged_nodes_under<'a>(
        &'a self,
        parent: &'a ParentNode,
        head: NodeIndex,
    ) -> impl Iterator<Item = NodeIndex> + 'a {
        parent
            .unmerged_leaves
            .iter()
            .filter_map(|l| l.to_node())
            .filter(move |&x| self.is_in_subtree(head, x))
    }

    /// True if `x` is `head` or a descendant of it.
    pub(crate) fn is_in_subtree(&self, head: NodeIndex, x: NodeIndex) -> bool {
        self.leaf_count().common_ancestor(head, x) == Some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::HpkePublicKey;
    use crate::ratchet_tree::tree::tests::{leaf, parent};

    fn suite() -> CipherSuite {
        CipherSuite::new(1).unwrap()
    }

    fn commit_leaf(tag: u8, parent_hash: Vec<u8>) -> crate::messages::LeafNode {
        let mut l = leaf(tag);
        l.leaf_node_source = LeafNodeSource::Commit { parent_hash };
        l
    }

    /// Four members; leaf 0 committed, setting nodes 1 and 3 with correct parent hashes.
    fn committed_tree() -> RatchetTree {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        tree.extend().unwrap();
        for i in 1..4 {
            tree.set_leaf(LeafIndex(i), Some(leaf(i as u8 * 2)))
                .unwrap();
        }
        tree.set_parent(NodeIndex(1), Some(parent(101, &[])))
            .unwrap();
        tree.set_parent(NodeIndex(3), Some(parent(103, &[])))
            .unwrap();
        let leaf_hash = tree.set_path_parent_hashes(&suite(), LeafIndex(0)).unwrap();
        tree.set_leaf(LeafIndex(0), Some(commit_leaf(0, leaf_hash)))
            .unwrap();
        tree
    }

    #[test]
    fn a_path_set_by_a_commit_is_parent_hash_valid() {
        let tree = committed_tree();
        assert_eq!(tree.node_parent_hash(NodeIndex(3)), Some(&[][..]));
        assert_eq!(tree.verify_parent_hashes(&suite()), Ok(()));
    }

    #[test]
    fn a_changed_parent_key_breaks_the_chain_at_that_node_and_above() {
        let mut tree = committed_tree();
        tree.parent_mut(NodeIndex(1)).unwrap().encryption_key = HpkePublicKey(vec![9]);
        assert_eq!(
            tree.verify_parent_hashes(&suite()),
            Err(TreeViolation::ParentNotParentHashValid { node: NodeIndex(1) })
        );
    }

    #[test]
    fn an_unmerged_leaf_below_the_sibling_is_left_out_of_the_original_sibling_hash() {
        let mut tree = committed_tree();
        let before = tree.tree_hash(&suite(), NodeIndex(5));
        // Leaf 3 blanked, then re-added: it becomes unmerged at the root.
        tree.set_leaf(LeafIndex(3), None).unwrap();
        let without = tree.tree_hash(&suite(), NodeIndex(5));
        tree.set_leaf(LeafIndex(3), Some(leaf(50))).unwrap();
        tree.parent_mut(NodeIndex(3)).unwrap().unmerged_leaves = vec![LeafIndex(3)];
        assert_ne!(before, without);
        assert_eq!(
            tree.original_sibling_tree_hash(&suite(), NodeIndex(3), NodeIndex(5)),
            without
        );
        assert_eq!(
            tree.original_sibling_tree_hash(&suite(), NodeIndex(3), NodeIndex(6)),
            None
        );
    }

    #[test]
    fn setting_parent_hashes_over_a_blank_path_node_changes_nothing() {
        let mut tree = committed_tree();
        tree.set_parent(NodeIndex(1), None).unwrap();
        tree.set_leaf(LeafIndex(1), None).unwrap();
        tree.set_parent(NodeIndex(5), Some(parent(105, &[])))
            .unwrap();
        tree.set_parent(NodeIndex(3), None).unwrap();
        let before = tree.clone();
        assert!(tree.set_path_parent_hashes(&suite(), LeafIndex(2)).is_err());
        assert_eq!(tree, before);
    }
}
