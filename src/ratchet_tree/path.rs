//! The public side of merging an UpdatePath into the tree (RFC 9420 §7.5): new keys on
//! the committer's filtered direct path and the parent hashes that chain them.

use crate::crypto::{CipherSuite, HpkePublicKey};
use crate::error::Error;
use crate::messages::ParentNode;
use crate::tree_math::LeafIndex;

use super::RatchetTree;

pub use super::resolution::PathStep;

impl RatchetTree {
    /// Steps 1 to 3 of merging an UpdatePath of the member at `sender` (§7.5):
    ///
    /// 1. "Blank all nodes on the direct path of the sender's leaf."
    /// 2. "For all nodes on the filtered direct path of the sender's leaf, set the public
    ///    key to the public key in the UpdatePath. Set the list of unmerged leaves to the
    ///    empty list."
    /// 3. "Compute parent hashes for the nodes in the sender's filtered direct path", from
    ///    the root down.
    ///
    /// `keys` are the new public keys, one per node of the filtered direct path, leaf side
    /// first. Returns the parent hash that the sender's new leaf must carry; setting the
    /// leaf is left to the caller.
    ///
    /// Fails with [`Error::Misuse`], changing nothing, if `sender` is outside the tree or
    /// the number of keys is not the length of the filtered direct path.
    pub fn merge_path_keys(
        &mut self,
        suite: &CipherSuite,
        sender: LeafIndex,
        keys: &[HpkePublicKey],
    ) -> Result<Vec<u8>, Error> {
        let path = self
            .filtered_direct_path(sender)
            .ok_or(Error::Misuse("merge_path_keys: sender outside the tree"))?;
        if path.len() != keys.len() {
            return Err(Error::Misuse(
                "merge_path_keys: one key per node of the filtered direct path",
            ));
        }
        // Blanking the direct path leaves the copath subtrees alone, so `path` stays the
        // filtered direct path.
        self.blank_direct_path(sender)?;
        for (step, key) in path.iter().zip(keys) {
            let node = ParentNode {
                encryption_key: key.clone(),
                parent_hash: Vec::new(),
                unmerged_leaves: Vec::new(),
            };
            self.set_parent(step.node, Some(node))?;
        }
        self.set_path_parent_hashes(suite, sender)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratchet_tree::tree::tests::{leaf, parent};
    use crate::tree_math::NodeIndex;

    fn suite() -> CipherSuite {
        CipherSuite::new(1).unwrap()
    }

    /// Leaves 0, 1 and 3 of four; node 5 has leaf 3 unmerged, node 1 an old key.
    fn tree() -> RatchetTree {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        tree.extend().unwrap();
        tree.set_leaf(LeafIndex(1), Some(leaf(2))).unwrap();
        tree.set_leaf(LeafIndex(3), Some(leaf(6))).unwrap();
        tree.set_parent(NodeIndex(1), Some(parent(11, &[])))
            .unwrap();
        tree.set_parent(NodeIndex(5), Some(parent(15, &[3])))
            .unwrap();
        tree
    }

    #[test]
    fn merging_sets_fresh_nodes_on_the_filtered_direct_path_and_blanks_the_rest() {
        let mut t = tree();
        // Leaf 3's direct path is nodes 5 and 3. Node 5's copath child, leaf 2, is blank,
        // so the filtered direct path is node 3 alone.
        let keys = [HpkePublicKey(vec![23])];
        let leaf_hash = t.merge_path_keys(&suite(), LeafIndex(3), &keys).unwrap();
        assert!(t.is_blank(NodeIndex(5)));
        let root = t.parent(NodeIndex(3)).unwrap();
        assert_eq!(root, &parent(23, &[]));
        let sibling = t.tree_hash(&suite(), NodeIndex(1)).unwrap();
        assert_eq!(
            leaf_hash,
            crate::ratchet_tree::parent_hash(&suite(), root, &sibling)
        );
    }

    #[test]
    fn merging_the_wrong_number_of_keys_changes_nothing() {
        let mut t = tree();
        let before = t.clone();
        let keys = [HpkePublicKey(vec![21]), HpkePublicKey(vec![23])];
        assert!(t.merge_path_keys(&suite(), LeafIndex(3), &keys).is_err());
        assert!(
            t.merge_path_keys(&suite(), LeafIndex(4), &keys[..1])
                .is_err()
        );
        assert_eq!(t, before);
    }
}
