//! The changes that Add, Update and Remove proposals make to the ratchet tree (RFC 9420
//! §12.1.1–§12.1.3).
//!
//! These are the tree operations only: validating the proposal (its KeyPackage or
//! LeafNode, §7.3, §10.1) is the caller's job, before applying it. Each operation checks
//! its own preconditions before changing anything, so a failed operation leaves the tree
//! as it was.

use crate::error::Error;
use crate::messages::LeafNode;
use crate::tree_math::LeafIndex;

use super::{RatchetTree, TreeViolation};

impl RatchetTree {
    /// Adds a member (§12.1.1) and returns its leaf:
    ///
    /// - "Identify the leaf L for the new member: if there are empty leaves in the tree, L
    ///   is the leftmost empty leaf. Otherwise, the tree is extended to the right as
    ///   described in Section 7.7, and L is assigned the leftmost new blank leaf.
    /// - For each non-blank intermediate node along the path from the leaf L to the root,
    ///   add L's leaf index to the `unmerged_leaves` list for the node.
    /// - Set the leaf node L to a new node containing the LeafNode object carried in the
    ///   `leaf_node` field of the KeyPackage in the Add."
    ///
    /// L is inserted in order, keeping each `unmerged_leaves` list sorted (§7.1). Fails
    /// only if the tree would exceed 2^31 leaves, changing nothing.
    pub fn add_leaf(&mut self, leaf: LeafNode) -> Result<LeafIndex, Error> {
        let index = match self.first_blank_leaf() {
            Some(blank) => blank,
            None => {
                let first_new = LeafIndex(self.leaf_count().get());
                self.extend()?;
                first_new
            }
        };
        // `index` is a leaf of the (possibly extended) tree, so it has a direct path and
        // setting it cannot fail.
        for node in self.direct_path(index).unwrap_or_default() {
            if let Some(parent) = self.parent_mut(node)
                && let Err(position) = parent.unmerged_leaves.binary_search(&index)
            {
                parent.unmerged_leaves.insert(position, index);
            }
        }
        self.set_leaf(index, Some(leaf))?;
        Ok(index)
    }

    /// Applies an Update from the member at `sender` (§12.1.2):
    ///
    /// - "Replace the sender's LeafNode with the one contained in the Update proposal.
    /// - Blank the intermediate nodes along the path from the sender's leaf to the root."
    ///
    /// Fails with [`TreeViolation::UpdateSenderNotMember`], changing nothing, if `sender`
    /// is blank or outside the tree.
    pub fn update_leaf(&mut self, sender: LeafIndex, leaf: LeafNode) -> Result<(), Error> {
        if self.leaf(sender).is_none() {
            return Err(TreeViolation::UpdateSenderNotMember { leaf: sender }.into());
        }
        self.set_leaf(sender, Some(leaf))?;
        self.blank_direct_path(sender)
    }

    /// Removes the member at `removed` (§12.1.3):
    ///
    /// - "Replace the leaf node L with a blank node.
    /// - Blank the intermediate nodes along the path from L to the root.
    /// - Truncate the tree by removing the right subtree until there is at least one
    ///   non-blank leaf node in the right subtree."
    ///
    /// Fails with [`TreeViolation::RemovedLeafNotMember`], changing nothing, if `removed`
    /// is blank or outside the tree ("A Remove proposal is invalid if the `removed` field
    /// does not identify a non-blank leaf node").
    pub fn remove_leaf(&mut self, removed: LeafIndex) -> Result<(), Error> {
        if self.leaf(removed).is_none() {
            return Err(TreeViolation::RemovedLeafNotMember { leaf: removed }.into());
        }
        self.set_leaf(removed, None)?;
        self.blank_direct_path(removed)?;
        self.truncate();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratchet_tree::tree::tests::{leaf, parent};
    use crate::tree_math::NodeIndex;

    fn four_members() -> RatchetTree {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        for i in 1..4 {
            assert_eq!(tree.add_leaf(leaf(i * 2)), Ok(LeafIndex(i.into())));
        }
        tree
    }

    #[test]
    fn adding_to_a_full_tree_extends_it_and_marks_the_leaf_unmerged_on_non_blank_parents() {
        let mut tree = four_members();
        tree.set_parent(NodeIndex(3), Some(parent(103, &[])))
            .unwrap();
        assert_eq!(tree.add_leaf(leaf(8)), Ok(LeafIndex(4)));
        assert_eq!(tree.leaf_count().get(), 8);
        assert_eq!(tree.parent(NodeIndex(3)).unwrap().unmerged_leaves, vec![]);
        assert!(tree.is_blank(NodeIndex(7)));

        tree.set_parent(NodeIndex(7), Some(parent(107, &[4])))
            .unwrap();
        tree.remove_leaf(LeafIndex(1)).unwrap();
        tree.set_parent(NodeIndex(7), Some(parent(107, &[4])))
            .unwrap();
        assert_eq!(tree.add_leaf(leaf(10)), Ok(LeafIndex(1)));
        let unmerged = &tree.parent(NodeIndex(7)).unwrap().unmerged_leaves;
        assert_eq!(unmerged, &vec![LeafIndex(1), LeafIndex(4)]);
    }

    #[test]
    fn an_update_replaces_the_leaf_and_blanks_its_direct_path() {
        let mut tree = four_members();
        tree.set_parent(NodeIndex(1), Some(parent(101, &[])))
            .unwrap();
        tree.set_parent(NodeIndex(3), Some(parent(103, &[])))
            .unwrap();
        tree.set_parent(NodeIndex(5), Some(parent(105, &[])))
            .unwrap();
        tree.update_leaf(LeafIndex(1), leaf(50)).unwrap();
        assert_eq!(tree.leaf(LeafIndex(1)), Some(&leaf(50)));
        assert!(tree.is_blank(NodeIndex(1)) && tree.is_blank(NodeIndex(3)));
        assert!(!tree.is_blank(NodeIndex(5)));
    }

    #[test]
    fn removing_the_last_members_truncates_the_tree() {
        let mut tree = four_members();
        tree.add_leaf(leaf(8)).unwrap();
        tree.remove_leaf(LeafIndex(4)).unwrap();
        assert_eq!(tree.leaf_count().get(), 4);
        tree.remove_leaf(LeafIndex(3)).unwrap();
        assert_eq!(tree.leaf_count().get(), 4);
        tree.remove_leaf(LeafIndex(2)).unwrap();
        assert_eq!(tree.leaf_count().get(), 2);
    }

    #[test]
    fn a_blank_sender_or_removed_leaf_is_refused_and_the_tree_is_unchanged() {
        let mut tree = four_members();
        tree.remove_leaf(LeafIndex(2)).unwrap();
        let before = tree.clone();
        assert_eq!(
            tree.update_leaf(LeafIndex(2), leaf(60)),
            Err(TreeViolation::UpdateSenderNotMember { leaf: LeafIndex(2) }.into())
        );
        assert_eq!(
            tree.remove_leaf(LeafIndex(2)),
            Err(TreeViolation::RemovedLeafNotMember { leaf: LeafIndex(2) }.into())
        );
        assert_eq!(
            tree.remove_leaf(LeafIndex(9)),
            Err(TreeViolation::RemovedLeafNotMember { leaf: LeafIndex(9) }.into())
        );
        assert_eq!(tree, before);
    }
}
