//! Resolutions (RFC 9420 §4.1.1) and the paths through a tree (§4.1.2): direct path,
//! copath and filtered direct path of a leaf.

use std::collections::BTreeSet;

use crate::tree_math::{LeafIndex, NodeIndex};

use super::RatchetTree;

/// One node of a leaf's filtered direct path with the child of that node that lies on the
/// leaf's copath (the child whose subtree the path secret is encrypted to, §7.5, and whose
/// tree hash enters the node's parent hash, §7.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStep {
    /// The node on the filtered direct path.
    pub node: NodeIndex,
    /// Its child on the copath.
    pub copath_child: NodeIndex,
}

impl RatchetTree {
    /// The resolution of `node` (§4.1.1): "an ordered list of non-blank nodes that
    /// collectively cover all non-blank descendants of the node":
    ///
    /// - "The resolution of a non-blank node comprises the node itself, followed by its
    ///   list of unmerged leaves, if any.
    /// - The resolution of a blank leaf node is the empty list.
    /// - The resolution of a blank intermediate node is the result of concatenating the
    ///   resolution of its left child with the resolution of its right child, in that
    ///   order."
    ///
    /// A node outside the tree has an empty resolution. An unmerged leaf index that has no
    /// node index (2^31 and above) is left out; tree validation rejects such a tree.
    pub fn resolution(&self, node: NodeIndex) -> Vec<NodeIndex> {
        self.resolution_excluding(node, &[])
    }

    /// The resolution of `node` without the leaves in `excluded`, whether they appear as
    /// non-blank leaves or as unmerged leaves. TreeKEM needs this: "Any new member (from
    /// an Add proposal) added in the same Commit MUST be excluded from this resolution"
    /// (§7.5).
    pub fn resolution_excluding(&self, node: NodeIndex, excluded: &[LeafIndex]) -> Vec<NodeIndex> {
        let excluded: BTreeSet<LeafIndex> = excluded.iter().copied().collect();
        let mut out = Vec::new();
        self.collect_resolution(node, &excluded, &mut out);
        out
    }

    fn collect_resolution(
        &self,
        node: NodeIndex,
        excluded: &BTreeSet<LeafIndex>,
        out: &mut Vec<NodeIndex>,
    ) {
        if !self.leaf_count().contains_node(node) {
            return;
        }
        if let Some(leaf) = node.to_leaf() {
            if self.leaf(leaf).is_some() && !excluded.contains(&leaf) {
                out.push(node);
            }
            return;
        }
        match self.parent(node) {
            Some(parent) => {
                out.push(node);
                let unmerged = parent
                    .unmerged_leaves
                    .iter()
                    .filter(|l| !excluded.contains(l));
                out.extend(unmerged.filter_map(|l| l.to_node()));
            }
            None => {
                // A parent position always has both children.
                if let (Some(left), Some(right)) = (node.left(), node.right()) {
                    self.collect_resolution(left, excluded, out);
                    self.collect_resolution(right, excluded, out);
                }
            }
        }
    }

    /// The direct path of `leaf` (§4.1.2): its parent, that parent's parent, and so on up
    /// to the root. `None` for a leaf outside the tree.
    pub fn direct_path(&self, leaf: LeafIndex) -> Option<Vec<NodeIndex>> {
        self.leaf_node_index(leaf)
            .and_then(|x| self.leaf_count().direct_path(x))
    }

    /// The copath of `leaf` (§4.1.2): "the node's sibling concatenated with the list of
    /// siblings of all the nodes in its direct path, excluding the root." `None` for a leaf
    /// outside the tree.
    pub fn copath(&self, leaf: LeafIndex) -> Option<Vec<NodeIndex>> {
        self.leaf_node_index(leaf)
            .and_then(|x| self.leaf_count().copath(x))
    }

    /// The filtered direct path of `leaf` with each node's copath child (§4.1.2): "the
    /// node's direct path, with any node removed whose child on the copath of L has an
    /// empty resolution (keeping in mind that any unmerged leaves of the copath child count
    /// toward its resolution)." Ordered from the leaf up to the root. `None` for a leaf
    /// outside the tree.
    pub fn filtered_direct_path(&self, leaf: LeafIndex) -> Option<Vec<PathStep>> {
        let path = self.direct_path(leaf)?;
        let copath = self.copath(leaf)?;
        let steps = path
            .into_iter()
            .zip(copath)
            .map(|(node, copath_child)| PathStep { node, copath_child });
        Some(
            steps
                .filter(|step| !self.resolution(step.copath_child).is_empty())
                .collect(),
        )
    }

    /// The node index of a leaf of this tree.
    fn leaf_node_index(&self, leaf: LeafIndex) -> Option<NodeIndex> {
        if !self.leaf_count().contains_leaf(leaf) {
            return None;
        }
        leaf.to_node()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratchet_tree::tree::tests::{leaf, parent};

    fn n(x: u32) -> NodeIndex {
        NodeIndex(x)
    }

    /// Figure 10 of §4.1.1: X (node 3) with unmerged leaf B (leaf 1), Y (node 9), leaves
    /// 2 and 6 blank.
    fn figure_10() -> RatchetTree {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        for _ in 0..3 {
            tree.extend().unwrap();
        }
        for i in [1, 3, 4, 5, 7] {
            tree.set_leaf(LeafIndex(i), Some(leaf(i as u8 * 2)))
                .unwrap();
        }
        tree.set_parent(n(3), Some(parent(30, &[1]))).unwrap();
        tree.set_parent(n(9), Some(parent(90, &[]))).unwrap();
        tree
    }

    #[test]
    fn the_resolutions_of_figure_10_match_the_rfc() {
        let tree = figure_10();
        assert_eq!(tree.resolution(n(3)), vec![n(3), n(2)]);
        assert_eq!(tree.resolution(n(4)), vec![]);
        assert_eq!(tree.resolution(n(12)), vec![]);
        assert_eq!(tree.resolution(n(7)), vec![n(3), n(2), n(9), n(14)]);
    }

    #[test]
    fn excluded_leaves_leave_the_resolution_as_members_and_as_unmerged_leaves() {
        let tree = figure_10();
        let excluded = [LeafIndex(1), LeafIndex(7)];
        assert_eq!(tree.resolution_excluding(n(7), &excluded), vec![n(3), n(9)]);
    }

    /// Figure 11 of §4.1.2: members A, B, E, F, G at leaves 0, 1, 4, 5, 6; T (1), X (9),
    /// Y (11) and W (7) are non-blank.
    #[test]
    fn the_filtered_direct_paths_of_figure_11_match_the_rfc() {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        for _ in 0..3 {
            tree.extend().unwrap();
        }
        for i in [1, 4, 5, 6] {
            tree.set_leaf(LeafIndex(i), Some(leaf(i as u8 * 2)))
                .unwrap();
        }
        for x in [1, 7, 9, 11] {
            tree.set_parent(n(x), Some(parent(x as u8 + 100, &[])))
                .unwrap();
        }
        let nodes = |l| -> Vec<u32> {
            let steps = tree.filtered_direct_path(LeafIndex(l)).unwrap();
            steps.iter().map(|s| s.node.0).collect()
        };
        assert_eq!(nodes(0), vec![1, 7]);
        assert_eq!(nodes(1), vec![1, 7]);
        assert_eq!(nodes(4), vec![9, 11, 7]);
        assert_eq!(nodes(5), vec![9, 11, 7]);
        assert_eq!(nodes(6), vec![11, 7]);
        let g = tree.filtered_direct_path(LeafIndex(6)).unwrap();
        assert_eq!(g[0].copath_child, n(9));
        assert_eq!(tree.filtered_direct_path(LeafIndex(8)), None);
    }
}
