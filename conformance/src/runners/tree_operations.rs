//! Runner for `tree-operations.json`: one Add, Update or Remove proposal applied to a
//! public ratchet tree (RFC 9420 §12.1.1–§12.1.3), with extension and truncation (§7.7)
//! and tree hashes (§7.8).
//!
//! The tree before the proposal must have `tree_hash_before`; after applying it as
//! `proposal_sender`, the serialized tree (without trailing blanks) must equal
//! `tree_after` byte for byte and hash to `tree_hash_after`.
//!
//! The new leaves are validated as far as the vector allows. An Add's leaf comes from a
//! KeyPackage, whose signature covers no group: it is validated fully (§7.3) against the
//! tree. An Update's leaf is signed with the group ID, which the vector does not give, so
//! its signature cannot be verified; every other rule of §7.3 is checked (its source must
//! be `update`). Lifetimes here are eternal, so they are checked against the system clock.

use mls_webapi::clock::{LifetimeCheck, SystemClock};
use mls_webapi::codec::Codec;
use mls_webapi::crypto::CipherSuite;
use mls_webapi::error::Error;
use mls_webapi::messages::Proposal;
use mls_webapi::ratchet_tree::{LeafNodeContext, LeafRules, RatchetTree, check_leaf_node_contents};
use mls_webapi::tree_math::LeafIndex;
use serde::Deserialize;

use crate::check::{CaseResult, bytes_eq, context, fail, hex_bytes, parse};

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    #[serde(with = "hex_bytes")]
    tree_before: Vec<u8>,
    #[serde(with = "hex_bytes")]
    proposal: Vec<u8>,
    proposal_sender: u32,
    #[serde(with = "hex_bytes")]
    tree_hash_before: Vec<u8>,
    #[serde(with = "hex_bytes")]
    tree_after: Vec<u8>,
    #[serde(with = "hex_bytes")]
    tree_hash_after: Vec<u8>,
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    let suite = context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;
    let mut tree = context(RatchetTree::from_bytes(&case.tree_before), "tree_before")?;
    bytes_eq(
        "tree_hash_before",
        &tree.root_tree_hash(&suite),
        &case.tree_hash_before,
    )?;

    let proposal = context(Proposal::from_bytes(&case.proposal), "proposal")?;
    let sender = LeafIndex(case.proposal_sender);
    let clock = SystemClock;
    let rules = LeafRules {
        required_capabilities: None,
        lifetime: LifetimeCheck::Against(&clock),
    };
    match proposal {
        Proposal::Add(add) => {
            let leaf = add.key_package.leaf_node;
            let where_seen = LeafNodeContext::KeyPackage;
            context(
                tree.validate_new_leaf(&suite, &leaf, &where_seen, &rules),
                "Add leaf validation",
            )?;
            context(tree.add_leaf(leaf), "applying the Add")?;
        }
        Proposal::Update(update) => {
            let leaf = update.leaf_node;
            // No group_id in the vector: the signature cannot be checked (see above).
            let where_seen = LeafNodeContext::Update {
                group_id: &[],
                leaf_index: sender,
            };
            context(
                check_leaf_node_contents(&leaf, &where_seen, &rules),
                "Update leaf validation",
            )?;
            context(
                tree.check_leaf_fits(&leaf, &where_seen)
                    .map_err(Error::from),
                "Update leaf validation",
            )?;
            context(tree.update_leaf(sender, leaf), "applying the Update")?;
        }
        Proposal::Remove(remove) => {
            context(tree.remove_leaf(remove.removed), "applying the Remove")?;
        }
        other => return fail(format!("unexpected proposal {other:?}")),
    }

    bytes_eq("tree_after", &tree.to_bytes(), &case.tree_after)?;
    bytes_eq(
        "tree_hash_after",
        &tree.root_tree_hash(&suite),
        &case.tree_hash_after,
    )
}
