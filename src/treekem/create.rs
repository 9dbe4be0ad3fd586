//! The committer's side of TreeKEM: a fresh direct path and the UpdatePath that shares it
//! (RFC 9420 §7.4, §7.5, §7.6).

use super::path_secret::{node_key_pair, path_secrets};
use super::{PrivateKeys, UPDATE_PATH_NODE_LABEL};
use crate::codec::Codec;
use crate::crypto::{CipherSuite, Random, Secret, SignaturePrivateKey};
use crate::error::{Error, Result};
use crate::messages::group_context::GroupContext;
use crate::messages::{HpkeCiphertext, LeafNode, LeafNodeSource, UpdatePath, UpdatePathNode};
use crate::ratchet_tree::RatchetTree;
use crate::tree_math::{LeafIndex, NodeIndex};

/// What a committer gets from [`create_update_path`].
#[derive(Debug)]
pub struct CreatedUpdatePath {
    /// The UpdatePath to put in the Commit.
    pub update_path: UpdatePath,
    /// The tree with the path merged and the new leaf in place.
    pub tree: RatchetTree,
    /// The provisional GroupContext: the one given, with the new tree's hash.
    pub group_context: GroupContext,
    /// The committer's private keys after the Commit: its new leaf's and one per node of
    /// its filtered direct path. They replace all its earlier keys.
    pub private_keys: PrivateKeys,
    /// The path secret of each node of the filtered direct path, leaf side first, for the
    /// Welcome's `path_secret` (§12.4.3.1).
    pub path_secrets: Vec<(NodeIndex, Secret)>,
    /// `commit_secret`: the path secret after the root's (§12.4.1).
    pub commit_secret: Secret,
}

impl CreatedUpdatePath {
    /// The path secret for a new member at `leaf`: the one of the lowest node of the
    /// committer's filtered direct path that is an ancestor of `leaf` (§12.4.1: "Identify
    /// the lowest common ancestor in the tree of the new member's leaf node and the member
    /// sending the Commit"). `None` if no such node is on the path.
    pub fn path_secret_for(&self, leaf: LeafIndex) -> Option<&Secret> {
        let leaf = leaf.to_node()?;
        let count = self.tree.leaf_count();
        self.path_secrets
            .iter()
            .find(|(node, _)| count.common_ancestor(*node, leaf) == Some(*node))
            .map(|(_, secret)| secret)
    }
}

/// Refreshes the direct path of the member at `sender` in `tree` (the tree after the
/// Commit's proposals) and builds the UpdatePath that shares it (§7.5):
///
/// 1. "Blank all nodes along the direct path of the sender's leaf."
/// 2. Generate a path secret per node of the filtered direct path and replace each
///    node's public key with `node_pub[n]`.
/// 3. "Compute the new parent hashes for the nodes along the filtered direct path and the
///    sender's leaf node."
/// 4. "Update the leaf node for the sender": `leaf_template` with a fresh
///    `encryption_key`, `leaf_node_source = commit` with the parent hash, signed with
///    `signer` over the group of `group_context`.
///
/// Then, with the provisional GroupContext (`group_context` with the new tree's hash),
/// each path secret is encrypted to every node of the resolution of the node's copath
/// child, leaving out `new_members`, the leaves added by the same Commit (§7.6):
///
/// ```text
/// (kem_output, ciphertext) =
///   EncryptWithLabel(node_public_key, "UpdatePathNode",
///                    group_context, path_secret)
/// ```
///
/// Fails with [`Error::Misuse`] if `sender` is outside the tree. `tree` is not changed.
#[allow(clippy::too_many_arguments)]
pub fn create_update_path(
    suite: &CipherSuite,
    tree: &RatchetTree,
    sender: LeafIndex,
    leaf_template: &LeafNode,
    signer: &SignaturePrivateKey,
    group_context: &GroupContext,
    new_members: &[LeafIndex],
    rng: &mut dyn Random,
) -> Result<CreatedUpdatePath> {
    let path = tree
        .filtered_direct_path(sender)
        .ok_or(Error::Misuse("create_update_path: sender outside the tree"))?;
    let sender_node = sender
        .to_node()
        .ok_or(Error::Misuse("create_update_path: sender outside the tree"))?;

    let mut private_keys = PrivateKeys::new();
    let (leaf_private, leaf_public) = suite.hpke_generate_key_pair(rng)?;
    private_keys.insert(sender_node, leaf_private);

    let first = Secret::new(rng.bytes(suite.hash_len())?);
    let (secrets, commit_secret) = path_secrets(suite, first, path.len())?;
    let mut public_keys = Vec::with_capacity(path.len());
    for (step, secret) in path.iter().zip(&secrets) {
        let (private, public) = node_key_pair(suite, secret)?;
        private_keys.insert(step.node, private);
        public_keys.push(public);
    }

    let mut new_tree = tree.clone();
    let parent_hash = new_tree.merge_path_keys(suite, sender, &public_keys)?;
    let mut leaf = leaf_template.clone();
    leaf.encryption_key = leaf_public;
    leaf.leaf_node_source = LeafNodeSource::Commit { parent_hash };
    leaf.signature = suite.sign_with_label(
        signer,
        b"LeafNodeTBS",
        &leaf.to_be_signed(&group_context.group_id, sender),
    )?;
    new_tree.set_leaf(sender, Some(leaf.clone()))?;

    let mut context = group_context.clone();
    context.tree_hash = new_tree.root_tree_hash(suite);
    let context_bytes = context.to_bytes();

    let mut nodes = Vec::with_capacity(path.len());
    for ((step, secret), public) in path.iter().zip(&secrets).zip(public_keys) {
        let mut encrypted_path_secret = Vec::new();
        for target in new_tree.resolution_excluding(step.copath_child, new_members) {
            // A resolution lists non-blank nodes and unmerged leaves; an unmerged leaf that
            // is blank is a tree that was not validated.
            let key = new_tree.encryption_key(target).ok_or(Error::Misuse(
                "create_update_path: a resolution node has no key (unvalidated tree)",
            ))?;
            let (kem_output, ciphertext) = suite.encrypt_with_label(
                &key.0,
                UPDATE_PATH_NODE_LABEL,
                &context_bytes,
                secret.as_bytes(),
                rng,
            )?;
            encrypted_path_secret.push(HpkeCiphertext {
                kem_output,
                ciphertext,
            });
        }
        nodes.push(UpdatePathNode {
            encryption_key: public,
            encrypted_path_secret,
        });
    }

    Ok(CreatedUpdatePath {
        update_path: UpdatePath {
            leaf_node: leaf,
            nodes,
        },
        tree: new_tree,
        group_context: context,
        private_keys,
        path_secrets: path.iter().map(|s| s.node).zip(secrets).collect(),
        commit_secret,
    })
}
