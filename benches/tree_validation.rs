//! Validating the ratchet tree of a 1,024-member group on joining (RFC 9420 §12.4.3.1):
//! tree hash, parent hashes, every leaf (signature included) and unmerged leaves.
//!
//! The tree is built the way a group grows, with cipher suite 1 and a seeded random source:
//! 1,000 members are added from KeyPackages, every second one of them then commits (its
//! direct path gets fresh keys and parent hashes, as when an UpdatePath is merged, and its
//! leaf is re-signed with source `commit`), and 24 more members are added, which become
//! unmerged leaves of the non-blank parents above them. The parents above only the last 24
//! members stay blank; every other parent node is non-blank and parent-hash valid.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mls_webapi::clock::{FixedClock, LifetimeCheck};
use mls_webapi::crypto::{CipherSuite, SeededRandom, SignaturePrivateKey};
use mls_webapi::messages::group_context::GroupContext;
use mls_webapi::messages::{
    Capabilities, CipherSuiteId, Credential, CredentialType, LeafNode, LeafNodeSource, Lifetime,
    ParentNode, ProtocolVersion,
};
use mls_webapi::ratchet_tree::{RatchetTree, validate_tree};
use mls_webapi::tree_math::LeafIndex;

const MEMBERS: u32 = 1024;
const FIRST_ADDED: u32 = 1000;
const GROUP_ID: &[u8] = b"benchmark group";

/// Signs `leaf` as the member at `index` would.
fn sign(suite: &CipherSuite, key: &SignaturePrivateKey, leaf: &mut LeafNode, index: LeafIndex) {
    let tbs = leaf.to_be_signed(GROUP_ID, index);
    leaf.signature = suite
        .sign_with_label(key, b"LeafNodeTBS", &tbs)
        .expect("signing with a fresh key");
}

/// A member's KeyPackage leaf with its signature key.
fn key_package_leaf(
    suite: &CipherSuite,
    rng: &mut SeededRandom,
    i: u32,
) -> (SignaturePrivateKey, LeafNode) {
    let (signature_private, signature_key) = suite.generate_signature_key_pair(rng).unwrap();
    let (_, encryption_key) = suite.hpke_generate_key_pair(rng).unwrap();
    let mut leaf = LeafNode {
        encryption_key,
        signature_key,
        credential: Credential::Basic {
            identity: format!("member {i}").into_bytes(),
        },
        capabilities: Capabilities {
            versions: vec![ProtocolVersion::MLS10],
            cipher_suites: vec![CipherSuiteId(suite.id())],
            extensions: Vec::new(),
            proposals: Vec::new(),
            credentials: vec![CredentialType::BASIC],
        },
        leaf_node_source: LeafNodeSource::KeyPackage(Lifetime {
            not_before: 0,
            not_after: u64::MAX,
        }),
        extensions: Vec::new(),
        signature: Vec::new(),
    };
    sign(suite, &signature_private, &mut leaf, LeafIndex(i));
    (signature_private, leaf)
}

/// The member at `leaf` commits with a path: its direct path is blanked, its filtered
/// direct path gets fresh keys and parent hashes, and its leaf is re-signed with source
/// `commit` and the parent hash of the path (§7.5, §7.9).
fn commit(
    suite: &CipherSuite,
    rng: &mut SeededRandom,
    tree: &mut RatchetTree,
    key: &SignaturePrivateKey,
    leaf: LeafIndex,
) {
    tree.blank_direct_path(leaf).unwrap();
    for step in tree.filtered_direct_path(leaf).unwrap() {
        let (_, encryption_key) = suite.hpke_generate_key_pair(rng).unwrap();
        let node = ParentNode {
            encryption_key,
            parent_hash: Vec::new(),
            unmerged_leaves: Vec::new(),
        };
        tree.set_parent(step.node, Some(node)).unwrap();
    }
    let parent_hash = tree.set_path_parent_hashes(suite, leaf).unwrap();
    let mut node = tree.leaf(leaf).unwrap().clone();
    node.encryption_key = suite.hpke_generate_key_pair(rng).unwrap().1;
    node.leaf_node_source = LeafNodeSource::Commit { parent_hash };
    sign(suite, key, &mut node, leaf);
    tree.set_leaf(leaf, Some(node)).unwrap();
}

/// The 1,024-member tree and the GroupContext it belongs to.
fn group() -> (RatchetTree, GroupContext) {
    let suite = CipherSuite::new(1).unwrap();
    let mut rng = SeededRandom::new(1024);
    let mut keys = Vec::new();
    let mut tree = None::<RatchetTree>;
    for i in 0..FIRST_ADDED {
        let (key, leaf) = key_package_leaf(&suite, &mut rng, i);
        keys.push(key);
        match tree.as_mut() {
            None => tree = Some(RatchetTree::with_one_member(leaf)),
            Some(tree) => assert_eq!(tree.add_leaf(leaf).unwrap(), LeafIndex(i)),
        }
    }
    let mut tree = tree.unwrap();
    for (i, key) in keys.iter().enumerate().step_by(2) {
        commit(&suite, &mut rng, &mut tree, key, LeafIndex(i as u32));
    }
    for i in FIRST_ADDED..MEMBERS {
        let (_, leaf) = key_package_leaf(&suite, &mut rng, i);
        assert_eq!(tree.add_leaf(leaf).unwrap(), LeafIndex(i));
    }

    let context = GroupContext {
        version: ProtocolVersion::MLS10,
        cipher_suite: CipherSuiteId(suite.id()),
        group_id: GROUP_ID.to_vec(),
        epoch: 600,
        tree_hash: tree.root_tree_hash(&suite),
        confirmed_transcript_hash: vec![0; 32],
        extensions: Vec::new(),
    };
    (tree, context)
}

fn bench(c: &mut Criterion) {
    let (tree, context) = group();
    assert_eq!(tree.leaf_count().get(), MEMBERS);
    let parents = tree.parent_nodes().count();
    let with_unmerged = tree
        .parent_nodes()
        .filter(|(_, p)| !p.unmerged_leaves.is_empty())
        .count();
    eprintln!(
        "tree: {MEMBERS} members, {parents} of {} parent nodes non-blank, \
         {with_unmerged} with unmerged leaves",
        MEMBERS - 1
    );
    let clock = FixedClock(1_700_000_000);
    let lifetime = LifetimeCheck::Against(&clock);
    validate_tree(&tree, &context, lifetime).expect("the benchmark tree is valid");

    c.bench_function("validate_tree, 1024 members, suite 1", |b| {
        b.iter(|| validate_tree(black_box(&tree), black_box(&context), lifetime))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
