//! Runner for `tree-validation.json`: resolutions (RFC 9420 §4.1.1), tree hashes (§7.8),
//! parent hashes (§7.9.2) and leaf signatures (§7.3) of trees built by real protocol runs.
//!
//! `resolutions` and `tree_hashes` cover every node of the tree's full width, including
//! the trailing blank nodes the serialized `tree` leaves out. The tree is then validated as
//! on joining (§12.4.3.1) for a GroupContext with the vector's `group_id` and the root's
//! tree hash from `tree_hashes`: parent hashes, every leaf (signatures with `group_id` for
//! update and commit leaves), unmerged leaves and key uniqueness.
//!
//! Lifetimes are not checked: every key_package leaf of this file has an expired lifetime
//! (the upstream leaves expired in 2024, mlswg/mls-implementations#181), so the check
//! would fail on the wall clock.

use mls_webapi::clock::LifetimeCheck;
use mls_webapi::crypto::CipherSuite;
use mls_webapi::messages::group_context::GroupContext;
use mls_webapi::messages::{CipherSuiteId, ProtocolVersion};
use mls_webapi::ratchet_tree::{RatchetTree, validate_tree};
use mls_webapi::tree_math::NodeIndex;
use serde::Deserialize;

use crate::check::{CaseResult, bytes_eq, context, eq, fail, hex_bytes, parse};

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    #[serde(with = "hex_bytes")]
    tree: Vec<u8>,
    #[serde(with = "hex_bytes")]
    group_id: Vec<u8>,
    resolutions: Vec<Vec<u32>>,
    tree_hashes: Vec<String>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;
    let tree = context(RatchetTree::from_bytes(&case.tree), "tree")?;

    let width = tree.node_width() as usize;
    eq("number of resolutions", case.resolutions.len(), width)?;
    eq("number of tree hashes", case.tree_hashes.len(), width)?;
    let hashes = tree.tree_hashes(&suite);
    for (x, (want_resolution, want_hash)) in
        case.resolutions.iter().zip(&case.tree_hashes).enumerate()
    {
        let node = NodeIndex(x as u32);
        let resolution: Vec<u32> = tree.resolution(node).iter().map(|n| n.0).collect();
        eq(&format!("resolutions[{x}]"), &resolution, want_resolution)?;
        let Ok(want_hash) = hex::decode(want_hash) else {
            return fail(format!("tree_hashes[{x}] is not hex"));
        };
        bytes_eq(&format!("tree_hashes[{x}]"), &hashes[x], &want_hash)?;
    }

    let root_hash = hashes[tree.root().0 as usize].clone();
    let group_context = GroupContext {
        version: ProtocolVersion::MLS10,
        cipher_suite: CipherSuiteId(case.cipher_suite),
        group_id: case.group_id,
        epoch: 0,
        tree_hash: root_hash,
        confirmed_transcript_hash: Vec::new(),
        extensions: Vec::new(),
    };
    // Lifetimes skipped: every key_package leaf of this file is expired (see above).
    context(
        validate_tree(&tree, &group_context, LifetimeCheck::Skipped),
        "tree validation",
    )
}
