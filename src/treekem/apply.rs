//! The receiver's side of TreeKEM: merging a received UpdatePath and decrypting the path
//! secret meant for us (RFC 9420 §7.5).

use super::path_secret::{next_path_secret, node_key_pair};
use super::{PrivateKeys, TreeKemViolation, UPDATE_PATH_NODE_LABEL};
use crate::codec::Codec;
use crate::crypto::{CipherSuite, Secret};
use crate::error::{Error, Result};
use crate::messages::group_context::GroupContext;
use crate::messages::{LeafNodeSource, LeafNodeSourceType, UpdatePath};
use crate::ratchet_tree::path::PathStep;
use crate::ratchet_tree::{RatchetTree, TreeViolation};
use crate::tree_math::{LeafIndex, NodeIndex};

/// What a member gets from [`apply_update_path`].
#[derive(Debug)]
pub struct AppliedUpdatePath {
    /// The tree with the path merged and the committer's new leaf in place.
    pub tree: RatchetTree,
    /// The provisional GroupContext: the one given, with the new tree's hash.
    pub group_context: GroupContext,
    /// Our private keys after the Commit: the earlier ones without those of the
    /// committer's direct path, plus the ones derived from the decrypted path secret.
    pub private_keys: PrivateKeys,
    /// The node whose path secret we decrypted (the lowest node of the committer's
    /// filtered direct path above us), and that path secret.
    pub path_secret: (NodeIndex, Secret),
    /// `commit_secret`: the path secret after the root's (§12.4.2).
    pub commit_secret: Secret,
}

/// Checks a received UpdatePath of the member at `sender` against `tree` (the tree after
/// the Commit's proposals) and merges it, returning the new tree (§7.5, §7.6, §12.4.2):
///
/// - the new leaf's `leaf_node_source` is `commit`;
/// - there is one UpdatePathNode per node of the filtered direct path;
/// - each has one ciphertext per node of its copath child's resolution, without
///   `new_members` (the leaves added by the same Commit);
/// - "none of the public keys in the UpdatePath appear in any node of the new ratchet
///   tree";
/// - after the keys are merged and the parent hashes computed, the leaf's `parent_hash`
///   is the parent hash of the first node of its filtered direct path.
///
/// Needs no HPKE. `tree` is not changed. The new LeafNode's own validation (§7.3) is
/// the caller's.
pub fn merge_update_path(
    suite: &CipherSuite,
    tree: &RatchetTree,
    sender: LeafIndex,
    update_path: &UpdatePath,
    new_members: &[LeafIndex],
) -> Result<RatchetTree> {
    let leaf = &update_path.leaf_node;
    let LeafNodeSource::Commit { parent_hash } = &leaf.leaf_node_source else {
        return Err(TreeViolation::WrongLeafNodeSource {
            leaf: Some(sender),
            expected: LeafNodeSourceType::COMMIT,
            found: leaf.leaf_node_source.source_type(),
        }
        .into());
    };
    let path = tree
        .filtered_direct_path(sender)
        .ok_or(Error::Misuse("merge_update_path: sender outside the tree"))?;
    check_shape(tree, sender, &path, update_path, new_members)?;
    check_keys_are_new(tree, sender, &path, update_path)?;

    let mut merged = tree.clone();
    let keys: Vec<_> = update_path
        .nodes
        .iter()
        .map(|n| n.encryption_key.clone())
        .collect();
    let expected = merged.merge_path_keys(suite, sender, &keys)?;
    if *parent_hash != expected {
        return Err(TreeKemViolation::ParentHashMismatch { sender }.into());
    }
    merged.set_leaf(sender, Some(leaf.clone()))?;
    Ok(merged)
}

/// The number of UpdatePathNodes and of ciphertexts in each (§7.6).
fn check_shape(
    tree: &RatchetTree,
    sender: LeafIndex,
    path: &[PathStep],
    update_path: &UpdatePath,
    new_members: &[LeafIndex],
) -> Result<()> {
    if update_path.nodes.len() != path.len() {
        return Err(TreeKemViolation::WrongPathLength {
            sender,
            expected: path.len(),
            got: update_path.nodes.len(),
        }
        .into());
    }
    for (step, node) in path.iter().zip(&update_path.nodes) {
        let expected = tree
            .resolution_excluding(step.copath_child, new_members)
            .len();
        let got = node.encrypted_path_secret.len();
        if got != expected {
            return Err(TreeKemViolation::WrongCiphertextCount {
                node: step.node,
                expected,
                got,
            }
            .into());
        }
    }
    Ok(())
}

/// §12.4.2: "Verify that none of the public keys in the UpdatePath appear in any node of
/// the new ratchet tree."
fn check_keys_are_new(
    tree: &RatchetTree,
    sender: LeafIndex,
    path: &[PathStep],
    update_path: &UpdatePath,
) -> Result<()> {
    let sender_node = sender
        .to_node()
        .ok_or(Error::Misuse("merge_update_path: sender outside the tree"))?;
    let leaf_key = (sender_node, &update_path.leaf_node.encryption_key);
    let path_keys = path
        .iter()
        .zip(&update_path.nodes)
        .map(|(step, node)| (step.node, &node.encryption_key));
    for (node, key) in core::iter::once(leaf_key).chain(path_keys) {
        let mut all = (0..tree.node_width()).map(NodeIndex);
        if let Some(other) = all.find(|&x| tree.encryption_key(x) == Some(key)) {
            return Err(TreeKemViolation::PathKeyAlreadyInTree { node, other }.into());
        }
    }
    Ok(())
}

/// Merges a received UpdatePath ([`merge_update_path`]) and decrypts the path secret
/// meant for the member at `receiver`, whose private keys are `keys` (§7.5):
///
/// 1. "Identify a node in the filtered direct path for which the recipient is in the
///    subtree of the non-updated child."
/// 2. "Identify a node in the resolution of the copath node for which the recipient has
///    a private key."
/// 3. "Decrypt the path secret for the parent of the copath node using the private key
///    from the resolution node", with the provisional GroupContext (`group_context` with
///    the merged tree's hash):
///
///    ```text
///    path_secret =
///      DecryptWithLabel(node_private_key, "UpdatePathNode",
///                       group_context, kem_output, ciphertext)
///    ```
/// 4. "Derive path secrets for ancestors of that node in the sender's filtered direct
///    path", and from the last one the `commit_secret`.
/// 5. "Derive the node secrets and node key pairs from the path secrets."
/// 6. "Verify that the derived public keys are the same as the corresponding public keys
///    sent in the UpdatePath."
/// 7. "Store the derived private keys": returned in the result, where the keys of the
///    committer's old direct path are dropped.
///
/// Fails with [`Error::Misuse`] if `receiver` is the sender, is not a member, or was
/// added by this Commit. `tree` and `keys` are not changed.
#[allow(clippy::too_many_arguments)]
pub fn apply_update_path(
    suite: &CipherSuite,
    tree: &RatchetTree,
    sender: LeafIndex,
    update_path: &UpdatePath,
    group_context: &GroupContext,
    new_members: &[LeafIndex],
    receiver: LeafIndex,
    keys: &PrivateKeys,
) -> Result<AppliedUpdatePath> {
    let merged = merge_update_path(suite, tree, sender, update_path, new_members)?;
    let mut context = group_context.clone();
    context.tree_hash = merged.root_tree_hash(suite);

    let path = tree
        .filtered_direct_path(sender)
        .ok_or(Error::Misuse("apply_update_path: sender outside the tree"))?;
    let receiver_node = receiver
        .to_node()
        .filter(|_| receiver != sender && tree.leaf(receiver).is_some())
        .ok_or(Error::Misuse(
            "apply_update_path: the receiver is the sender or not a member",
        ))?;
    if new_members.contains(&receiver) {
        return Err(Error::Misuse(
            "apply_update_path: a member added by this Commit gets its path secret from the Welcome",
        ));
    }
    let count = tree.leaf_count();
    let position = path
        .iter()
        .position(|step| {
            count.common_ancestor(step.copath_child, receiver_node) == Some(step.copath_child)
        })
        .ok_or(Error::Misuse(
            "apply_update_path: the receiver is below no copath node of the sender",
        ))?;
    // `position` was found in `path`.
    let step = path[position];
    let resolution = tree.resolution_excluding(step.copath_child, new_members);
    let (index, private) = resolution
        .iter()
        .enumerate()
        .find_map(|(i, &node)| keys.get(node).map(|key| (i, key)))
        .ok_or(TreeKemViolation::NoPrivateKeyInResolution {
            copath_child: step.copath_child,
        })?;
    // `check_shape` (in the merge) matched every node's ciphertexts to its resolution, and
    // `position` and `index` come from the path and that resolution: the lookup succeeds.
    let ciphertext = update_path
        .nodes
        .get(position)
        .and_then(|node| node.encrypted_path_secret.get(index))
        .ok_or(Error::Misuse(
            "apply_update_path: ciphertext missing after the shape check",
        ))?;
    let decrypted = Secret::new(suite.decrypt_with_label(
        private,
        UPDATE_PATH_NODE_LABEL,
        &context.to_bytes(),
        &ciphertext.kem_output,
        &ciphertext.ciphertext,
    )?);

    let mut private_keys = keys.clone();
    for node in tree.direct_path(sender).unwrap_or_default() {
        private_keys.remove(node);
    }
    let mut current = decrypted.clone();
    for (step, sent) in path.iter().zip(&update_path.nodes).skip(position) {
        let (private, public) = node_key_pair(suite, &current)?;
        if public != sent.encryption_key {
            return Err(TreeKemViolation::DerivedKeyMismatch { node: step.node }.into());
        }
        private_keys.insert(step.node, private);
        current = next_path_secret(suite, &current)?;
    }

    Ok(AppliedUpdatePath {
        tree: merged,
        group_context: context,
        private_keys,
        path_secret: (step.node, decrypted),
        commit_secret: current,
    })
}
