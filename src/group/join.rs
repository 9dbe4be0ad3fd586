//! Joining a group from a Welcome (RFC 9420 §12.4.3.1): from the decrypted and verified
//! Welcome (see [`crate::welcome`]) to the [`Group`] at the GroupInfo's epoch.

use crate::clock::Clock;
use crate::crypto::{HpkePrivateKey, Secret, SignaturePrivateKey};
use crate::error::Result;
use crate::messages::extensions::{ExtensionType, find};
use crate::messages::{KeyPackage, Welcome};
use crate::ratchet_tree::{RatchetTree, validate_tree};
use crate::transcript_hash::interim_transcript_hash;
use crate::tree_math::{LeafIndex, NodeIndex};
use crate::treekem::PrivateKeys;
use crate::treekem::path_secret::{next_path_secret, node_key_pair};
use crate::welcome;

use super::config::GroupConfig;
use super::psks::PskLookup;
use super::state::{Group, GroupParts};
use super::violation::GroupViolation;

/// Our KeyPackage and its three private keys, made from the
/// [`super::KeyPackageBundle`] that made the KeyPackage (`JoinKeys::from(bundle)`). The
/// private keys are crate-private.
#[derive(Debug, Clone)]
pub struct JoinKeys {
    /// The KeyPackage the Welcome adds.
    pub key_package: KeyPackage,
    /// The private key of its `init_key`.
    pub(crate) init_private: HpkePrivateKey,
    /// The private key of its leaf's `encryption_key`.
    pub(crate) encryption_private: HpkePrivateKey,
    /// The private key of its leaf's `signature_key`.
    pub(crate) signature_private: SignaturePrivateKey,
}

#[cfg(feature = "test-support")]
impl JoinKeys {
    /// **Test support only** (feature `test-support`, off by default; not part of the
    /// documented API): the keys of a KeyPackage made elsewhere, for test vectors that
    /// give the private keys (see `HpkePrivateKey::from_bytes`). Not checked here:
    /// [`super::join`] checks them.
    pub fn from_keys(
        key_package: KeyPackage,
        init_private: HpkePrivateKey,
        encryption_private: HpkePrivateKey,
        signature_private: SignaturePrivateKey,
    ) -> Self {
        JoinKeys {
            key_package,
            init_private,
            encryption_private,
            signature_private,
        }
    }
}

impl JoinKeys {
    /// Checks that each private key belongs to its public key in the KeyPackage, failing
    /// with [`GroupViolation::OwnKeyMismatch`] naming the first that does not.
    pub fn check(&self) -> Result<()> {
        let kp = &self.key_package;
        let suite = crate::crypto::CipherSuite::new(kp.cipher_suite.0)?;
        let mismatch = |which| GroupViolation::OwnKeyMismatch { which };
        if suite.hpke_public_key(&self.init_private)? != kp.init_key {
            return Err(mismatch("init").into());
        }
        if suite.hpke_public_key(&self.encryption_private)? != kp.leaf_node.encryption_key {
            return Err(mismatch("encryption").into());
        }
        if suite.signature_public_key(&self.signature_private)? != kp.leaf_node.signature_key {
            return Err(mismatch("signature").into());
        }
        Ok(())
    }
}

/// Joins the group a Welcome adds us to (§12.4.3.1):
///
/// 1. Check our private keys against the KeyPackage; decrypt the GroupSecrets and the
///    GroupInfo ([`welcome::decrypt`]), with `psks` for the PSKs the GroupSecrets name.
/// 2. Take the ratchet tree given out of band, else the GroupInfo's `ratchet_tree`
///    extension.
/// 3. "Verify the signature on the GroupInfo object ... The public key is taken from the
///    LeafNode of the ratchet tree with leaf index `signer`. If the node is blank ...,
///    return an error"; derive the epoch's secrets and check the confirmation tag
///    ([`welcome::UnverifiedWelcome::verify`]).
/// 4. "Verify the integrity of the ratchet tree" ([`validate_tree`]), with lifetimes
///    checked as `config` says against `clock`, and that we support every GroupContext
///    extension (§13.4).
/// 5. "Identify a leaf whose LeafNode is identical to the one in the KeyPackage."
/// 6. Our leaf's private key is the KeyPackage's; with a `path_secret`, the keys of the
///    lowest common ancestor of our leaf and the signer's and of every non-blank node
///    above it, each checked against the tree ("The private key MUST be the private key
///    that corresponds to the public key in the node").
/// 7. "Set the confirmed transcript hash in the new state to the value of the
///    `confirmed_transcript_hash` in the GroupInfo" and "Use the confirmed transcript
///    hash and confirmation tag to compute the interim transcript hash in the new
///    state."
///
/// Not checked here: that the `group_id` is new to the client (§12.4.3.1), which only
/// the application, holding all its groups, can tell.
pub fn join(
    welcome: &Welcome,
    keys: &JoinKeys,
    ratchet_tree: Option<RatchetTree>,
    psks: PskLookup<'_>,
    config: GroupConfig,
    clock: &dyn Clock,
) -> Result<Group> {
    keys.check()?;
    let unverified = welcome::decrypt(welcome, &keys.key_package, &keys.init_private, psks)?;
    let suite = unverified.suite();
    let tree = match ratchet_tree {
        Some(tree) => tree,
        None => tree_from_group_info(unverified.group_info())?,
    };
    let signer = unverified.group_info().signer;
    let signer_key = tree
        .leaf(signer)
        .map(|leaf| leaf.signature_key.clone())
        .ok_or(GroupViolation::SignerNotMember { signer })?;
    let verified = unverified.verify(&signer_key)?;
    let context = &verified.group_info.group_context;

    validate_tree(&tree, context, config.lifetime_check(clock))?;
    check_extensions_supported(&keys.key_package, context)?;
    let own_leaf = tree
        .find_leaf(&keys.key_package.leaf_node)
        .ok_or(GroupViolation::OwnLeafNotInTree)?;

    let mut private_keys = PrivateKeys::new();
    if let Some(node) = own_leaf.to_node() {
        private_keys.insert(node, keys.encryption_private.clone());
    }
    if let Some(path_secret) = &verified.group_secrets.path_secret {
        let start = common_ancestor(&tree, own_leaf, signer)?;
        add_path_keys(
            &suite,
            &tree,
            start,
            path_secret.path_secret.clone(),
            &mut private_keys,
        )?;
    }

    let interim = interim_transcript_hash(
        &suite,
        &context.confirmed_transcript_hash,
        &verified.group_info.confirmation_tag,
    );
    Group::from_parts(GroupParts {
        context: context.clone(),
        tree,
        own_leaf,
        signer: keys.signature_private.clone(),
        private_keys,
        secrets: verified.epoch_secrets,
        interim_transcript_hash: interim,
        confirmation_tag: verified.group_info.confirmation_tag.clone(),
        config,
    })
}

/// The tree of the GroupInfo's `ratchet_tree` extension (§12.4.3.3).
fn tree_from_group_info(info: &crate::messages::GroupInfo) -> Result<RatchetTree> {
    let extension = find(&info.extensions, ExtensionType::RATCHET_TREE)
        .ok_or(GroupViolation::MissingRatchetTree)?;
    RatchetTree::from_bytes(&extension.extension_data)
}

/// §13.4: "A client joining a group MUST verify that it supports every extension in the
/// GroupContext for the group": each non-default type is listed in our capabilities.
fn check_extensions_supported(
    key_package: &KeyPackage,
    context: &crate::messages::group_context::GroupContext,
) -> Result<()> {
    let listed = &key_package.leaf_node.capabilities.extensions;
    for e in &context.extensions {
        let t = e.extension_type;
        if !(1..=5).contains(&t.0) && !listed.contains(&t) {
            return Err(GroupViolation::JoinExtensionUnsupported { extension_type: t }.into());
        }
    }
    Ok(())
}

/// "the lowest common ancestor of the leaf node `my_leaf` and of the node of the member
/// with leaf index `GroupInfo.signer`".
fn common_ancestor(tree: &RatchetTree, own: LeafIndex, signer: LeafIndex) -> Result<NodeIndex> {
    let (Some(a), Some(b)) = (own.to_node(), signer.to_node()) else {
        return Err(GroupViolation::PathSecretWithoutAncestor.into());
    };
    tree.leaf_count()
        .common_ancestor(a, b)
        .filter(|n| !n.is_leaf())
        .ok_or_else(|| GroupViolation::PathSecretWithoutAncestor.into())
}

/// "Set the private key for this node to the private key derived from the
/// `path_secret`. For each parent of the common ancestor, up to the root of the tree,
/// derive a new path secret, and set the private key for the node to the private key
/// derived from the path secret." Path secrets chain along the committer's filtered
/// direct path, whose nodes are exactly the non-blank ones above `start`: blank nodes
/// are skipped without a derivation step.
fn add_path_keys(
    suite: &crate::crypto::CipherSuite,
    tree: &RatchetTree,
    start: NodeIndex,
    path_secret: Secret,
    keys: &mut PrivateKeys,
) -> Result<()> {
    let count = tree.leaf_count();
    let mut nodes = vec![start];
    nodes.extend(count.direct_path(start).unwrap_or_default());
    let mut secret = path_secret;
    let mut first = true;
    for node in nodes {
        let Some(public) = tree.encryption_key(node) else {
            if first {
                return Err(GroupViolation::PathSecretKeyMismatch { node: node.0 }.into());
            }
            continue;
        };
        first = false;
        let (private, derived) = node_key_pair(suite, &secret)?;
        if &derived != public {
            return Err(GroupViolation::PathSecretKeyMismatch { node: node.0 }.into());
        }
        keys.insert(node, private);
        secret = next_path_secret(suite, &secret)?;
    }
    Ok(())
}
