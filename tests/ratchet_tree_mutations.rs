//! Mutation tests of the ratchet tree (RFC 9420 §7, §12.1, §12.4.3.1): each test takes an
//! input that passes (a tree of `tree-validation.json` or `tree-operations.json`), breaks
//! one rule, and asserts the specific [`TreeViolation`] that reports it.
//!
//! The vectors are read from `$MLS_TEST_VECTORS`, or else from `../shared/test-vectors`
//! next to the crate. The tests fail if neither exists.
//!
//! A mutated tree gets a GroupContext with the mutated tree's own hash, as a malicious
//! member signing the GroupInfo would give it, so that the check under test is reached.
//! Changing a leaf changes the tree hashes that enter the parent hashes above it, unless
//! every non-blank parent above it lists it as unmerged (its "uncovered" leaves): leaf
//! mutations that must get past the parent-hash check use such a leaf.

use std::path::PathBuf;

use mls_webapi::clock::LifetimeCheck;
use mls_webapi::codec::Codec;
use mls_webapi::crypto::CipherSuite;
use mls_webapi::error::{Error, ProtocolViolation};
use mls_webapi::messages::group_context::GroupContext;
use mls_webapi::messages::{
    CipherSuiteId, LeafNodeSource, Lifetime, Proposal, ProtocolVersion, RatchetTreeNodes,
};
use mls_webapi::ratchet_tree::{
    LeafNodeContext, LeafRules, RatchetTree, TreeViolation, check_leaf_node_contents,
    validate_leaf_node, validate_tree,
};
use mls_webapi::tree_math::LeafIndex;

/// The directory of the RFC 9420 test vectors.
fn vectors_dir() -> PathBuf {
    let dir = std::env::var_os("MLS_TEST_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/test-vectors")
        });
    assert!(
        dir.is_dir(),
        "test vectors not found at {}: set MLS_TEST_VECTORS",
        dir.display()
    );
    dir
}

/// Every value of `"key": ...` in a vector file, in order, as text (strings without their
/// quotes). The files are arrays of flat cases whose keys each appear once per case, so
/// the n-th value of each key belongs to the n-th case.
fn field_values(json: &str, key: &str) -> Vec<String> {
    let pattern = format!("\"{key}\":");
    json.match_indices(&pattern)
        .map(|(at, _)| {
            let rest = json[at + pattern.len()..].trim_start();
            match rest.strip_prefix('"') {
                Some(string) => string.split('"').next().unwrap_or_default().to_string(),
                None => rest
                    .split(|c: char| c == ',' || c == '}' || c.is_whitespace())
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            }
        })
        .collect()
}

/// One case of `tree-validation.json`.
struct ValidationCase {
    suite: CipherSuite,
    group_id: Vec<u8>,
    tree: RatchetTree,
}

fn validation_cases() -> Vec<ValidationCase> {
    let json = std::fs::read_to_string(vectors_dir().join("tree-validation.json"))
        .expect("tree-validation.json is readable");
    let suites = field_values(&json, "cipher_suite");
    let trees = field_values(&json, "tree");
    let group_ids = field_values(&json, "group_id");
    assert_eq!(suites.len(), 98);
    assert_eq!((trees.len(), group_ids.len()), (98, 98));
    suites
        .iter()
        .zip(trees)
        .zip(group_ids)
        .map(|((suite, tree), group_id)| ValidationCase {
            suite: CipherSuite::new(suite.parse().unwrap()).unwrap(),
            group_id: hex::decode(group_id).unwrap(),
            tree: RatchetTree::from_bytes(&hex::decode(tree).unwrap()).unwrap(),
        })
        .collect()
}

/// A GroupContext for `tree` that carries the tree's own hash.
fn group_context(case: &ValidationCase, tree: &RatchetTree) -> GroupContext {
    GroupContext {
        version: ProtocolVersion::MLS10,
        cipher_suite: CipherSuiteId(case.suite.id()),
        group_id: case.group_id.clone(),
        epoch: 0,
        tree_hash: tree.root_tree_hash(&case.suite),
        confirmed_transcript_hash: Vec::new(),
        extensions: Vec::new(),
    }
}

/// Validates as on joining, without lifetimes (every leaf of the file is expired).
fn validate(case: &ValidationCase, tree: &RatchetTree) -> Result<(), Error> {
    validate_tree(tree, &group_context(case, tree), LifetimeCheck::Skipped)
}

/// The tree violation inside an error; panics on any other error.
fn violation(result: Result<(), Error>) -> TreeViolation {
    match result {
        Err(Error::Protocol(ProtocolViolation::Tree(v))) => v,
        other => panic!("expected a tree violation, got {other:?}"),
    }
}

/// A member whose leaf no parent hash covers: every non-blank parent above it lists it as
/// unmerged.
fn uncovered_leaf(tree: &RatchetTree) -> Option<LeafIndex> {
    tree.members().map(|(i, _)| i).find(|&leaf| {
        let path = tree.direct_path(leaf).unwrap_or_default();
        path.iter().all(|&node| {
            tree.parent(node)
                .is_none_or(|p| p.unmerged_leaves.contains(&leaf))
        })
    })
}

/// Applies `mutate` to the uncovered leaf of each case that has one, checks the result,
/// and returns how many cases were exercised.
fn mutate_uncovered_leaves(
    mutate: impl Fn(&mut RatchetTree, LeafIndex),
    check: impl Fn(LeafIndex, TreeViolation),
) -> usize {
    let mut exercised = 0;
    for case in validation_cases() {
        let Some(leaf) = uncovered_leaf(&case.tree) else {
            continue;
        };
        assert_eq!(
            validate(&case, &case.tree),
            Ok(()),
            "unmutated input passes"
        );
        let mut tree = case.tree.clone();
        mutate(&mut tree, leaf);
        check(leaf, violation(validate(&case, &tree)));
        exercised += 1;
    }
    exercised
}

#[test]
fn a_flipped_byte_in_a_parent_hash_makes_the_tree_not_parent_hash_valid() {
    let mut exercised = 0;
    for case in validation_cases() {
        let Some((node, _)) = case
            .tree
            .parent_nodes()
            .find(|(_, p)| !p.parent_hash.is_empty())
        else {
            continue;
        };
        let mut tree = case.tree.clone();
        tree.parent_mut(node).unwrap().parent_hash[0] ^= 0x01;
        let got = violation(validate(&case, &tree));
        assert!(
            matches!(got, TreeViolation::ParentNotParentHashValid { .. }),
            "got {got:?}"
        );
        exercised += 1;
    }
    assert!(
        exercised >= 7 * 10,
        "only {exercised} trees have a parent hash"
    );
}

#[test]
fn a_group_context_tree_hash_that_differs_from_the_tree_is_rejected() {
    for case in validation_cases() {
        let mut context = group_context(&case, &case.tree);
        context.tree_hash[0] ^= 0x80;
        let got = violation(validate_tree(&case.tree, &context, LifetimeCheck::Skipped));
        assert_eq!(got, TreeViolation::TreeHashMismatch);
    }
}

#[test]
fn a_flipped_byte_in_a_leaf_signature_is_rejected_in_the_tree() {
    let exercised = mutate_uncovered_leaves(
        |tree, leaf| {
            let mut node = tree.leaf(leaf).unwrap().clone();
            node.signature[5] ^= 0x01;
            tree.set_leaf(leaf, Some(node)).unwrap();
        },
        |leaf, got| {
            assert_eq!(
                got,
                TreeViolation::LeafSignatureInvalid { leaf: Some(leaf) }
            );
        },
    );
    assert!(exercised > 0, "no tree has an uncovered leaf");
}

#[test]
fn a_flipped_byte_in_any_leaf_signature_is_rejected_by_leaf_validation() {
    for case in validation_cases() {
        // The first and the last member: signature checks are slow in debug builds.
        let members: Vec<_> = case.tree.members().collect();
        let ends = [members.first(), members.last()];
        for &(index, leaf) in ends.into_iter().flatten() {
            let context = LeafNodeContext::Tree {
                group_id: &case.group_id,
                leaf_index: index,
            };
            let rules = LeafRules {
                required_capabilities: None,
                lifetime: LifetimeCheck::Skipped,
            };
            assert_eq!(
                validate_leaf_node(&case.suite, leaf, &context, &rules),
                Ok(())
            );
            let mut broken = leaf.clone();
            let last = broken.signature.len() - 1;
            broken.signature[last] ^= 0x01;
            let got = violation(validate_leaf_node(&case.suite, &broken, &context, &rules));
            assert_eq!(
                got,
                TreeViolation::LeafSignatureInvalid { leaf: Some(index) }
            );
        }
    }
}

#[test]
fn a_leaf_whose_capabilities_omit_its_credential_type_is_rejected() {
    let exercised = mutate_uncovered_leaves(
        |tree, leaf| {
            let mut node = tree.leaf(leaf).unwrap().clone();
            let own = node.credential.credential_type();
            node.capabilities.credentials.retain(|&t| t != own);
            tree.set_leaf(leaf, Some(node)).unwrap();
        },
        |leaf, got| {
            assert!(
                matches!(
                    got,
                    TreeViolation::CredentialTypeNotInCapabilities { leaf: Some(l), .. } if l == leaf
                ),
                "got {got:?}"
            );
        },
    );
    assert!(exercised > 0, "no tree has an uncovered leaf");
}

#[test]
fn two_nodes_with_one_encryption_key_are_rejected() {
    let exercised = mutate_uncovered_leaves(
        |tree, leaf| {
            let (other, _) = tree.members().find(|&(i, _)| i != leaf).unwrap();
            let key = tree.leaf(other).unwrap().encryption_key.clone();
            let mut node = tree.leaf(leaf).unwrap().clone();
            node.encryption_key = key;
            tree.set_leaf(leaf, Some(node)).unwrap();
        },
        |_, got| {
            assert!(
                matches!(got, TreeViolation::DuplicateEncryptionKey { .. }),
                "got {got:?}"
            );
        },
    );
    assert!(exercised > 0, "no tree has an uncovered leaf");
}

#[test]
fn malformed_serialized_trees_are_rejected() {
    let case = &validation_cases()[0];
    let nodes = case.tree.to_nodes();

    let mut trailing = nodes.clone();
    trailing.0.extend([None, None]);
    assert_eq!(
        RatchetTree::from_nodes(trailing),
        Err(TreeViolation::TrailingBlankNode)
    );

    let mut swapped = nodes.clone();
    swapped.0.swap(0, 1);
    assert!(matches!(
        RatchetTree::from_nodes(swapped),
        Err(TreeViolation::NodeTypeMismatch { .. })
    ));

    assert_eq!(
        RatchetTree::from_nodes(RatchetTreeNodes(Vec::new())),
        Err(TreeViolation::EmptyTree)
    );
}

/// One case of `tree-operations.json`: the tree before and the proposal.
fn operation_cases() -> Vec<(RatchetTree, Proposal, LeafIndex)> {
    let json = std::fs::read_to_string(vectors_dir().join("tree-operations.json"))
        .expect("tree-operations.json is readable");
    let trees = field_values(&json, "tree_before");
    let proposals = field_values(&json, "proposal");
    let senders = field_values(&json, "proposal_sender");
    assert_eq!((trees.len(), proposals.len(), senders.len()), (5, 5, 5));
    trees
        .iter()
        .zip(&proposals)
        .zip(&senders)
        .map(|((tree, proposal), sender)| {
            (
                RatchetTree::from_bytes(&hex::decode(tree).unwrap()).unwrap(),
                Proposal::from_bytes(&hex::decode(proposal).unwrap()).unwrap(),
                LeafIndex(sender.parse().unwrap()),
            )
        })
        .collect()
}

/// The Update proposal's leaf of `tree-operations.json`.
fn update_leaf() -> mls_webapi::messages::LeafNode {
    operation_cases()
        .into_iter()
        .find_map(|(_, proposal, _)| match proposal {
            Proposal::Update(update) => Some(update.leaf_node),
            _ => None,
        })
        .expect("tree-operations.json has an Update")
}

#[test]
fn a_blank_leaf_as_update_sender_or_removed_member_is_refused_and_the_tree_is_unchanged() {
    let leaf = update_leaf();
    let mut exercised = 0;
    for (tree, _, _) in operation_cases() {
        let blank = (0..tree.leaf_count().get())
            .map(LeafIndex)
            .filter(|&l| tree.leaf(l).is_none());
        let outside = LeafIndex(tree.leaf_count().get());
        for sender in blank.chain([outside]) {
            let mut changed = tree.clone();
            assert_eq!(
                violation(changed.update_leaf(sender, leaf.clone())),
                TreeViolation::UpdateSenderNotMember { leaf: sender }
            );
            assert_eq!(
                violation(changed.remove_leaf(sender)),
                TreeViolation::RemovedLeafNotMember { leaf: sender }
            );
            assert_eq!(changed, tree, "a failed operation changed the tree");
            exercised += 1;
        }
    }
    assert!(exercised > 5, "no tree with a blank leaf");
}

#[test]
fn an_update_whose_leaf_has_source_key_package_is_rejected() {
    let mut leaf = update_leaf();
    let context = LeafNodeContext::Update {
        group_id: &[],
        leaf_index: LeafIndex(3),
    };
    let rules = LeafRules {
        required_capabilities: None,
        lifetime: LifetimeCheck::Skipped,
    };
    assert_eq!(check_leaf_node_contents(&leaf, &context, &rules), Ok(()));
    leaf.leaf_node_source = LeafNodeSource::KeyPackage(Lifetime {
        not_before: 0,
        not_after: u64::MAX,
    });
    let got = violation(check_leaf_node_contents(&leaf, &context, &rules));
    assert!(
        matches!(got, TreeViolation::WrongLeafNodeSource { .. }),
        "got {got:?}"
    );
}

#[test]
fn an_update_that_keeps_the_old_encryption_key_is_rejected() {
    let (tree, proposal, sender) = operation_cases().swap_remove(2);
    let Proposal::Update(update) = proposal else {
        panic!("case 2 is the Update");
    };
    let context = LeafNodeContext::Update {
        group_id: &[],
        leaf_index: sender,
    };
    assert_eq!(tree.check_leaf_fits(&update.leaf_node, &context), Ok(()));
    let mut leaf = update.leaf_node;
    leaf.encryption_key = tree.leaf(sender).unwrap().encryption_key.clone();
    assert_eq!(
        tree.check_leaf_fits(&leaf, &context),
        Err(TreeViolation::EncryptionKeyNotChanged { leaf: sender })
    );
}
