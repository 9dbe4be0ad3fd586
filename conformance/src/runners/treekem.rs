//! Runner for `treekem.json`: TreeKEM (RFC 9420 §7.4–§7.6) on a public ratchet tree with
//! the private state of every member.
//!
//! For each case, in this order:
//!
//! 1. Checks that need no HPKE, for every suite: each UpdatePath merges into the tree
//!    (its shape and the new leaf's parent hash are valid), the merged tree has
//!    `tree_hash_after` and is parent-hash valid, and the new leaf's signature verifies.
//! 2. Every member's private state matches the tree: `encryption_priv` is the key of its
//!    leaf, and each path secret derives the key pair of its node.
//! 3. Each UpdatePath, as each other member: the decrypted path secret is the expected
//!    one, and the `commit_secret` and tree hash agree.
//! 4. Each member creates its own UpdatePath; every other member decrypts it to the same
//!    `commit_secret` and tree.
//!
//! The provisional GroupContext has the case's `group_id`, `epoch` and
//! `confirmed_transcript_hash`, no extensions, and the tree hash of the merged tree. No
//! Commit adds members here, so no leaf is left out of a resolution. Steps 2–4 need HPKE:
//! the X448 suites (4 and 6) are skipped there with the backend's reason.

use mls_webapi::clock::LifetimeCheck;
use mls_webapi::codec::Codec;
use mls_webapi::crypto::{CipherSuite, HpkePrivateKey, OsRandom, Secret, SignaturePrivateKey};
use mls_webapi::error::Error;
use mls_webapi::messages::group_context::GroupContext;
use mls_webapi::messages::{CipherSuiteId, ProtocolVersion, UpdatePath};
use mls_webapi::ratchet_tree::{LeafNodeContext, LeafRules, RatchetTree};
use mls_webapi::tree_math::{LeafIndex, NodeIndex};
use mls_webapi::treekem::{self, PrivateKeys, path_secret::node_key_pair};
use serde::Deserialize;

use crate::check::{CaseResult, Stop, bytes_eq, context, eq, fail, hex_bytes, parse};

#[derive(Deserialize)]
struct PathSecretEntry {
    node: u32,
    #[serde(with = "hex_bytes")]
    path_secret: Vec<u8>,
}

#[derive(Deserialize)]
struct LeafPrivate {
    index: u32,
    #[serde(with = "hex_bytes")]
    encryption_priv: Vec<u8>,
    #[serde(with = "hex_bytes")]
    signature_priv: Vec<u8>,
    path_secrets: Vec<PathSecretEntry>,
}

#[derive(Deserialize)]
struct UpdatePathCase {
    sender: u32,
    #[serde(with = "hex_bytes")]
    update_path: Vec<u8>,
    path_secrets: Vec<Option<String>>,
    #[serde(with = "hex_bytes")]
    commit_secret: Vec<u8>,
    #[serde(with = "hex_bytes")]
    tree_hash_after: Vec<u8>,
}

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    #[serde(with = "hex_bytes")]
    group_id: Vec<u8>,
    epoch: u64,
    #[serde(with = "hex_bytes")]
    confirmed_transcript_hash: Vec<u8>,
    #[serde(with = "hex_bytes")]
    ratchet_tree: Vec<u8>,
    leaves_private: Vec<LeafPrivate>,
    update_paths: Vec<UpdatePathCase>,
}

/// One member: its leaf, its private keys and its signature key.
struct Member {
    leaf: LeafIndex,
    keys: PrivateKeys,
    signer: SignaturePrivateKey,
}

/// What every step needs.
struct Setup {
    suite: CipherSuite,
    tree: RatchetTree,
    group_context: GroupContext,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;
    let tree = context(RatchetTree::from_bytes(&case.ratchet_tree), "ratchet_tree")?;
    let group_context = GroupContext {
        version: ProtocolVersion::MLS10,
        cipher_suite: CipherSuiteId(case.cipher_suite),
        group_id: case.group_id.clone(),
        epoch: case.epoch,
        tree_hash: Vec::new(),
        confirmed_transcript_hash: case.confirmed_transcript_hash.clone(),
        extensions: Vec::new(),
    };
    let setup = Setup {
        suite,
        tree,
        group_context,
    };

    let mut paths = Vec::with_capacity(case.update_paths.len());
    for (k, up) in case.update_paths.iter().enumerate() {
        let path = context(
            UpdatePath::from_bytes(&up.update_path),
            &format!("update_paths[{k}]"),
        )?;
        check_merge(&setup, k, up, &path)?;
        paths.push(path);
    }

    let members = case
        .leaves_private
        .iter()
        .map(|p| member(&setup, p))
        .collect::<Result<Vec<_>, Stop>>()?;
    for (k, (up, path)) in case.update_paths.iter().zip(&paths).enumerate() {
        check_decryption(&setup, k, up, path, &members)?;
    }
    for sender in &members {
        check_own_update_path(&setup, sender, &members)?;
    }
    Ok(())
}

/// Step 1: the public merge of `update_paths[k]`.
fn check_merge(setup: &Setup, k: usize, up: &UpdatePathCase, path: &UpdatePath) -> CaseResult {
    let at = |what: &str| format!("update_paths[{k}] {what}");
    let suite = &setup.suite;
    let sender = LeafIndex(up.sender);
    let merged = context(
        treekem::merge_update_path(suite, &setup.tree, sender, path, &[]),
        &at("merge"),
    )?;
    bytes_eq(
        &at("tree_hash_after"),
        &merged.root_tree_hash(suite),
        &up.tree_hash_after,
    )?;
    context(
        merged.verify_parent_hashes(suite).map_err(Error::from),
        &at("parent hashes after merge"),
    )?;
    let leaf_context = LeafNodeContext::Commit {
        group_id: &setup.group_context.group_id,
        leaf_index: sender,
    };
    context(
        setup
            .tree
            .validate_new_leaf(suite, &path.leaf_node, &leaf_context, &rules()),
        &at("new leaf"),
    )
}

/// The group's leaf rules here: no required capabilities, and lifetimes unchecked (the
/// new leaves come from commits and have none).
fn rules() -> LeafRules<'static> {
    LeafRules {
        required_capabilities: None,
        lifetime: LifetimeCheck::Skipped,
    }
}

/// Step 2: a member's private state, checked against the tree.
fn member(setup: &Setup, p: &LeafPrivate) -> Result<Member, Stop> {
    let at = |what: &str| format!("leaves_private[leaf {}] {what}", p.index);
    let suite = &setup.suite;
    let leaf = LeafIndex(p.index);
    let Some(leaf_node) = setup.tree.leaf(leaf) else {
        return fail(at("is a blank leaf"));
    };
    let mut keys = PrivateKeys::new();
    let private = HpkePrivateKey::from_bytes(&p.encryption_priv[..]);
    let public = context(suite.hpke_public_key(&private), &at("encryption_priv"))?;
    bytes_eq(
        &at("encryption key"),
        &public.0,
        &leaf_node.encryption_key.0,
    )?;
    keys.insert(NodeIndex(2 * p.index), private);

    for entry in &p.path_secrets {
        let node = NodeIndex(entry.node);
        let secret = Secret::from(&entry.path_secret[..]);
        let (private, public) = context(node_key_pair(suite, &secret), &at("path secret"))?;
        let Some(in_tree) = setup.tree.encryption_key(node) else {
            return fail(at(&format!("has a path secret for blank node {}", node.0)));
        };
        bytes_eq(
            &at(&format!("key of node {}", node.0)),
            &public.0,
            &in_tree.0,
        )?;
        keys.insert(node, private);
    }
    Ok(Member {
        leaf,
        keys,
        signer: SignaturePrivateKey::from_bytes(&p.signature_priv[..]),
    })
}

/// Step 3: `update_paths[k]` as each other member.
fn check_decryption(
    setup: &Setup,
    k: usize,
    up: &UpdatePathCase,
    path: &UpdatePath,
    members: &[Member],
) -> CaseResult {
    let sender = LeafIndex(up.sender);
    for receiver in members.iter().filter(|m| m.leaf != sender) {
        let at = |what: &str| format!("update_paths[{k}] as leaf {}: {what}", receiver.leaf.0);
        let applied = context(
            treekem::apply_update_path(
                &setup.suite,
                &setup.tree,
                sender,
                path,
                &setup.group_context,
                &[],
                receiver.leaf,
                &receiver.keys,
            ),
            &at("apply"),
        )?;
        let Some(Some(want)) = up.path_secrets.get(receiver.leaf.0 as usize) else {
            return fail(at("the vector has no path secret for this leaf"));
        };
        let want = hex::decode(want).map_err(|e| Stop::Fail(at(&format!("bad hex: {e}"))))?;
        bytes_eq(&at("path secret"), applied.path_secret.1.as_bytes(), &want)?;
        bytes_eq(
            &at("commit_secret"),
            applied.commit_secret.as_bytes(),
            &up.commit_secret,
        )?;
        bytes_eq(
            &at("tree hash"),
            &applied.group_context.tree_hash,
            &up.tree_hash_after,
        )?;
    }
    Ok(())
}

/// Step 4: our own UpdatePath from `sender`, decrypted by every other member.
fn check_own_update_path(setup: &Setup, sender: &Member, members: &[Member]) -> CaseResult {
    let at = |what: &str| format!("our UpdatePath from leaf {}: {what}", sender.leaf.0);
    let suite = &setup.suite;
    let Some(template) = setup.tree.leaf(sender.leaf) else {
        return fail(at("the sender's leaf is blank"));
    };
    let created = context(
        treekem::create_update_path(
            suite,
            &setup.tree,
            sender.leaf,
            template,
            &sender.signer,
            &setup.group_context,
            &[],
            &mut OsRandom,
        ),
        &at("create"),
    )?;
    context(
        created
            .tree
            .verify_parent_hashes(suite)
            .map_err(Error::from),
        &at("parent hashes"),
    )?;
    let leaf_context = LeafNodeContext::Commit {
        group_id: &setup.group_context.group_id,
        leaf_index: sender.leaf,
    };
    let leaf = &created.update_path.leaf_node;
    context(
        setup
            .tree
            .validate_new_leaf(suite, leaf, &leaf_context, &rules()),
        &at("new leaf"),
    )?;

    for receiver in members.iter().filter(|m| m.leaf != sender.leaf) {
        let at = |what: &str| at(&format!("as leaf {}: {what}", receiver.leaf.0));
        let applied = context(
            treekem::apply_update_path(
                suite,
                &setup.tree,
                sender.leaf,
                &created.update_path,
                &setup.group_context,
                &[],
                receiver.leaf,
                &receiver.keys,
            ),
            &at("apply"),
        )?;
        bytes_eq(
            &at("commit_secret"),
            applied.commit_secret.as_bytes(),
            created.commit_secret.as_bytes(),
        )?;
        bytes_eq(
            &at("tree"),
            &applied.tree.to_bytes(),
            &created.tree.to_bytes(),
        )?;
        let expected = created.path_secret_for(receiver.leaf).map(Secret::as_bytes);
        eq(
            &at("path secret"),
            Some(applied.path_secret.1.as_bytes()),
            expected,
        )?;
    }
    Ok(())
}
