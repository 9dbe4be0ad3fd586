//! The integrity checks of a ratchet tree received on joining a group (RFC 9420
//! §12.4.3.1, "Verify the integrity of the ratchet tree").

use std::collections::HashMap;

use crate::clock::LifetimeCheck;
use crate::crypto::CipherSuite;
use crate::error::Error;
use crate::messages::CredentialType;
use crate::messages::group_context::GroupContext;
use crate::tree_math::{LeafIndex, NodeIndex};

use super::leaf_validation::{
    LeafNodeContext, LeafRules, check_leaf_node_contents, verify_leaf_signature,
};
use super::{RatchetTree, RequiredCapabilities, TreeViolation};

/// Verifies the integrity of `tree` for the group described by `group_context`
/// (§12.4.3.1), and returns the first rule it breaks:
///
/// 1. "Verify that the tree hash of the ratchet tree matches the `tree_hash` field in
///    GroupInfo."
/// 2. "For each non-empty parent node, verify that it is 'parent-hash valid'" (§7.9.2).
/// 3. "For each non-empty leaf node, validate the LeafNode as described in" §7.3: first
///    the rules on each leaf alone, then the credential types in use, then the uniqueness
///    of every encryption key (leaves and parents: "Verify that the encryption key in the
///    parent node does not appear in any other node of the tree") and signature key, and
///    last each leaf's signature.
/// 4. "For each non-empty parent node and each entry in the node's `unmerged_leaves`
///    field: Verify that the entry represents a non-blank leaf node that is a descendant
///    of the parent node. Verify that every non-blank intermediate node between the leaf
///    node and the parent node also has an entry for the leaf node in its
///    `unmerged_leaves`." The entries must also be in increasing order (§7.1).
///
/// `lifetime` says whether to check the lifetimes of key_package leaves (RECOMMENDED for a
/// tree received, §7.3). The cipher suite is the GroupContext's; the `required_capabilities`
/// extension, if the GroupContext has one, applies to every leaf.
pub fn validate_tree(
    tree: &RatchetTree,
    group_context: &GroupContext,
    lifetime: LifetimeCheck<'_>,
) -> Result<(), Error> {
    let suite = CipherSuite::new(group_context.cipher_suite.0)?;

    if tree.root_tree_hash(&suite) != group_context.tree_hash {
        return Err(TreeViolation::TreeHashMismatch.into());
    }

    tree.verify_parent_hashes(&suite)?;

    let required = RequiredCapabilities::from_extensions(&group_context.extensions)?;
    let rules = LeafRules {
        required_capabilities: required.as_ref(),
        lifetime,
    };
    let context = |leaf_index| LeafNodeContext::Tree {
        group_id: &group_context.group_id,
        leaf_index,
    };
    for (index, leaf) in tree.members() {
        check_leaf_node_contents(leaf, &context(index), &rules)?;
    }
    check_credential_types(tree)?;
    check_unique_keys(tree)?;
    for (index, leaf) in tree.members() {
        verify_leaf_signature(&suite, leaf, &context(index))?;
    }

    check_unmerged_leaves(tree)?;
    Ok(())
}

/// §7.3: every member supports every credential type in use in the group.
fn check_credential_types(tree: &RatchetTree) -> Result<(), TreeViolation> {
    // Each credential type in use, with the first member that uses it.
    let mut in_use: Vec<(CredentialType, LeafIndex)> = Vec::new();
    for (index, leaf) in tree.members() {
        let t = leaf.credential.credential_type();
        if !in_use.iter().any(|(used, _)| *used == t) {
            in_use.push((t, index));
        }
    }
    for (index, leaf) in tree.members() {
        for &(credential_type, member) in &in_use {
            if !leaf.capabilities.credentials.contains(&credential_type) {
                return Err(TreeViolation::MemberCredentialTypeUnsupported {
                    leaf: Some(index),
                    credential_type,
                    member,
                });
            }
        }
    }
    Ok(())
}

/// §7.3, §12.4.3.1: no two nodes share an encryption key and no two leaves share a
/// signature key. The later node of a pair is reported.
fn check_unique_keys(tree: &RatchetTree) -> Result<(), TreeViolation> {
    let mut encryption_keys: HashMap<&[u8], NodeIndex> = HashMap::new();
    for node in (0..tree.node_width()).map(NodeIndex) {
        if let Some(key) = tree.encryption_key(node) {
            if let Some(&other) = encryption_keys.get(&key.0[..]) {
                return Err(TreeViolation::DuplicateEncryptionKey {
                    node: Some(node),
                    other,
                });
            }
            encryption_keys.insert(&key.0, node);
        }
    }
    let mut signature_keys: HashMap<&[u8], LeafIndex> = HashMap::new();
    for (index, leaf) in tree.members() {
        if let Some(&other) = signature_keys.get(&leaf.signature_key.0[..]) {
            return Err(TreeViolation::DuplicateSignatureKey {
                leaf: Some(index),
                other,
            });
        }
        signature_keys.insert(&leaf.signature_key.0, index);
    }
    Ok(())
}

/// §7.1, §12.4.3.1: the `unmerged_leaves` of every parent node are sorted, name non-blank
/// leaves below it, and are listed by every non-blank node in between.
fn check_unmerged_leaves(tree: &RatchetTree) -> Result<(), TreeViolation> {
    // Every list is checked for order first, so that the lists can then be searched.
    for (node, parent) in tree.parent_nodes() {
        if !parent.unmerged_leaves.is_sorted_by(|a, b| a < b) {
            return Err(TreeViolation::UnmergedLeavesNotSorted { node });
        }
    }
    for (node, parent) in tree.parent_nodes() {
        for &leaf in &parent.unmerged_leaves {
            let below = leaf.to_node().filter(|&x| tree.is_in_subtree(node, x));
            let (Some(_), Some(path)) = (below, tree.direct_path(leaf)) else {
                return Err(TreeViolation::UnmergedLeafNotDescendant { node, leaf });
            };
            if tree.leaf(leaf).is_none() {
                return Err(TreeViolation::UnmergedLeafBlank { node, leaf });
            }
            let between = path.into_iter().take_while(|&x| x != node);
            for intermediate in between {
                let listed = tree
                    .parent(intermediate)
                    .map(|p| p.unmerged_leaves.binary_search(&leaf).is_ok());
                if listed == Some(false) {
                    return Err(TreeViolation::UnmergedLeafMissingBelow {
                        node,
                        leaf,
                        intermediate,
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratchet_tree::tree::tests::{leaf, parent};

    /// Four members, node 3 (root) non-blank with leaf 3 unmerged, node 5 blank.
    fn tree_with_unmerged(unmerged: &[u32]) -> RatchetTree {
        let mut tree = RatchetTree::with_one_member(leaf(0));
        tree.extend().unwrap();
        tree.extend().unwrap();
        for i in 1..4 {
            tree.set_leaf(LeafIndex(i), Some(leaf(i as u8 * 2)))
                .unwrap();
        }
        tree.set_parent(NodeIndex(3), Some(parent(103, unmerged)))
            .unwrap();
        tree
    }

    #[test]
    fn consistent_unmerged_leaves_pass() {
        assert_eq!(check_unmerged_leaves(&tree_with_unmerged(&[2, 3])), Ok(()));
    }

    #[test]
    fn unsorted_unmerged_leaves_are_rejected() {
        assert_eq!(
            check_unmerged_leaves(&tree_with_unmerged(&[3, 2])),
            Err(TreeViolation::UnmergedLeavesNotSorted { node: NodeIndex(3) })
        );
    }

    #[test]
    fn an_unmerged_leaf_outside_the_tree_or_blank_is_rejected() {
        assert_eq!(
            check_unmerged_leaves(&tree_with_unmerged(&[7])),
            Err(TreeViolation::UnmergedLeafNotDescendant {
                node: NodeIndex(3),
                leaf: LeafIndex(7)
            })
        );
        let mut tree = tree_with_unmerged(&[3]);
        tree.set_leaf(LeafIndex(3), None).unwrap();
        assert_eq!(
            check_unmerged_leaves(&tree),
            Err(TreeViolation::UnmergedLeafBlank {
                node: NodeIndex(3),
                leaf: LeafIndex(3)
            })
        );
    }

    #[test]
    fn an_unmerged_leaf_missing_from_a_node_in_between_is_rejected() {
        let mut tree = tree_with_unmerged(&[3]);
        tree.set_parent(NodeIndex(5), Some(parent(105, &[])))
            .unwrap();
        assert_eq!(
            check_unmerged_leaves(&tree),
            Err(TreeViolation::UnmergedLeafMissingBelow {
                node: NodeIndex(3),
                leaf: LeafIndex(3),
                intermediate: NodeIndex(5)
            })
        );
        let mut below = tree_with_unmerged(&[3]);
        below
            .set_parent(NodeIndex(1), Some(parent(101, &[3])))
            .unwrap();
        assert_eq!(
            check_unmerged_leaves(&below),
            Err(TreeViolation::UnmergedLeafNotDescendant {
                node: NodeIndex(1),
                leaf: LeafIndex(3)
            })
        );
    }

    #[test]
    fn a_parent_key_equal_to_a_leaf_key_is_a_duplicate() {
        let mut tree = tree_with_unmerged(&[]);
        tree.set_parent(NodeIndex(5), Some(parent(2, &[]))).unwrap();
        assert_eq!(
            check_unique_keys(&tree),
            Err(TreeViolation::DuplicateEncryptionKey {
                node: Some(NodeIndex(5)),
                other: NodeIndex(2)
            })
        );
    }
}
