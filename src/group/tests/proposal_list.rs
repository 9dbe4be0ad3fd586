//! The rules of §12.1 and §12.2 on a commit's proposals, as a receiver checks them.

use super::*;
use crate::messages::extensions::{Extension, ExtensionType};
use crate::messages::{
    ExternalInit, GroupContextExtensions, PreSharedKey, ReInit, ResumptionPskUsage, Update,
};
use crate::ratchet_tree::{Capability, RequiredCapabilities};

/// Member 0 receives a raw commit of `proposals` by value from member 1 and rejects it.
fn reject_by_value(f: &Fixture, proposals: Vec<Proposal>) -> Error {
    let message = raw_commit(
        &f.views[1],
        Commit {
            proposals: by_value(proposals),
            path: None,
        },
    );
    rejected(&f.views[0], &message)
}

/// An Update from member `i` with a fresh encryption key, signed.
fn update_from(group: &Group, rng: &mut dyn Random) -> Proposal {
    let s = suite();
    let mut leaf = group.own_leaf_node().unwrap().clone();
    leaf.encryption_key = s.hpke_generate_key_pair(rng).unwrap().1;
    leaf.leaf_node_source = LeafNodeSource::Update;
    leaf.signature = s
        .sign_with_label(
            &group.signer,
            b"LeafNodeTBS",
            &leaf.to_be_signed(group.group_id(), group.own_leaf),
        )
        .unwrap();
    Proposal::Update(Update { leaf_node: leaf })
}

#[test]
fn an_update_from_the_committer_is_rejected() {
    let mut f = Fixture::new(3);
    let update = update_from(&f.views[1], &mut f.rng);
    let (message, reference) = propose(&f.views[1], update);
    let receiver = receive_proposal(&f.views[0], &message);
    let commit = raw_commit(
        &f.views[1],
        Commit {
            proposals: vec![ProposalOrRef::Reference(reference)],
            path: None,
        },
    );
    assert_eq!(
        group_violation(rejected(&receiver, &commit)),
        GroupViolation::UpdateFromCommitter
    );
}

#[test]
fn a_remove_of_the_committer_is_rejected() {
    let f = Fixture::new(3);
    let e = reject_by_value(&f, vec![remove(1)]);
    assert_eq!(group_violation(e), GroupViolation::RemovesCommitter);
}

#[test]
fn two_removes_of_one_leaf_are_rejected() {
    let f = Fixture::new(3);
    let e = reject_by_value(&f, vec![remove(2), remove(2)]);
    assert_eq!(
        group_violation(e),
        GroupViolation::SeveralChangesToOneLeaf { leaf: LeafIndex(2) }
    );
}

#[test]
fn an_update_and_a_remove_of_one_leaf_are_rejected() {
    let mut f = Fixture::new(3);
    let update = update_from(&f.views[2], &mut f.rng);
    let (message, reference) = propose(&f.views[2], update);
    let receiver = receive_proposal(&f.views[0], &message);
    let commit = raw_commit(
        &f.views[1],
        Commit {
            proposals: vec![
                ProposalOrRef::Reference(reference),
                ProposalOrRef::Proposal(remove(2)),
            ],
            path: None,
        },
    );
    assert_eq!(
        group_violation(rejected(&receiver, &commit)),
        GroupViolation::SeveralChangesToOneLeaf { leaf: LeafIndex(2) }
    );
}

#[test]
fn a_remove_of_a_blank_leaf_is_rejected() {
    let f = Fixture::new(3);
    let e = reject_by_value(&f, vec![remove(3)]);
    assert_eq!(
        tree_violation(e),
        TreeViolation::RemovedLeafNotMember { leaf: LeafIndex(3) }
    );
}

#[test]
fn two_adds_of_one_client_are_rejected() {
    let mut f = Fixture::new(2);
    let newcomer = f.outsider("newcomer");
    let e = reject_by_value(&f, vec![add(&newcomer), add(&newcomer)]);
    assert_eq!(group_violation(e), GroupViolation::DuplicateAdd);
}

#[test]
fn an_add_of_a_current_member_is_rejected() {
    let mut f = Fixture::new(3);
    // Member 2's signature key in a new KeyPackage.
    let mut again = f.outsider("member 2 again");
    let member_2 = &f.views[2];
    again.key_package.leaf_node.signature_key =
        member_2.own_leaf_node().unwrap().signature_key.clone();
    again.signer = member_2.signer.clone();
    sign_key_package(&mut again.key_package, &again.signer);
    let e = reject_by_value(&f, vec![add(&again)]);
    assert_eq!(
        group_violation(e),
        GroupViolation::AddOfExistingMember {
            member: LeafIndex(2)
        }
    );
}

#[test]
fn an_add_of_a_member_removed_by_the_same_commit_is_accepted() {
    let mut f = Fixture::new(3);
    let mut again = f.outsider("member 2 again");
    let member_2 = f.views[2].clone();
    again.key_package.leaf_node.signature_key =
        member_2.own_leaf_node().unwrap().signature_key.clone();
    sign_key_package(&mut again.key_package, &member_2.signer);
    let made = commit(
        &f.views[1],
        by_value(vec![remove(2), add(&again)]),
        true,
        &mut f.rng,
    );
    let (processed, next) = process(&f.views[0], &made.message).unwrap();
    assert!(matches!(processed, Processed::Commit(_)));
    assert_eq!(next.epoch_authenticator(), made.next.epoch_authenticator());
}

#[test]
fn two_proposals_of_one_psk_are_rejected() {
    let f = Fixture::new(2);
    let e = reject_by_value(&f, vec![external_psk(b"k", 1), external_psk(b"k", 1)]);
    assert_eq!(group_violation(e), GroupViolation::DuplicatePsk);
}

#[test]
fn two_group_context_extensions_proposals_are_rejected() {
    let f = Fixture::new(2);
    let gce = Proposal::GroupContextExtensions(GroupContextExtensions {
        extensions: Vec::new(),
    });
    let e = reject_by_value(&f, vec![gce.clone(), gce]);
    assert_eq!(
        group_violation(e),
        GroupViolation::SeveralGroupContextExtensions
    );
}

fn reinit(version: u16) -> Proposal {
    Proposal::ReInit(ReInit {
        group_id: b"next".to_vec(),
        version: ProtocolVersion(version),
        cipher_suite: CipherSuiteId(1),
        extensions: Vec::new(),
    })
}

#[test]
fn a_reinit_with_other_proposals_is_rejected() {
    let f = Fixture::new(3);
    let e = reject_by_value(&f, vec![reinit(1), remove(2)]);
    assert_eq!(group_violation(e), GroupViolation::ReInitWithOtherProposals);
}

#[test]
fn a_reinit_to_an_older_version_is_rejected() {
    let f = Fixture::new(2);
    let e = reject_by_value(&f, vec![reinit(0)]);
    assert_eq!(
        group_violation(e),
        GroupViolation::ReInitVersionDowngrade {
            proposed: ProtocolVersion(0),
            group: ProtocolVersion::MLS10
        }
    );
}

#[test]
fn an_external_init_in_a_member_commit_is_rejected() {
    let f = Fixture::new(2);
    let init = Proposal::ExternalInit(ExternalInit {
        kem_output: vec![1; 32],
    });
    let e = reject_by_value(&f, vec![init]);
    assert_eq!(
        group_violation(e),
        GroupViolation::ExternalInitInMemberCommit
    );
}

#[test]
fn a_key_package_with_a_bad_signature_is_rejected() {
    let mut f = Fixture::new(2);
    let mut newcomer = f.outsider("newcomer");
    newcomer.key_package.signature[0] ^= 1;
    let e = reject_by_value(&f, vec![add(&newcomer)]);
    assert_eq!(
        group_violation(e),
        GroupViolation::KeyPackageSignatureInvalid
    );
}

#[test]
fn a_key_package_of_another_cipher_suite_is_rejected() {
    let mut f = Fixture::new(2);
    let mut newcomer = f.outsider("newcomer");
    newcomer.key_package.cipher_suite = CipherSuiteId(3);
    sign_key_package(&mut newcomer.key_package, &newcomer.signer);
    let e = reject_by_value(&f, vec![add(&newcomer)]);
    assert_eq!(
        group_violation(e),
        GroupViolation::KeyPackageCipherSuiteMismatch {
            key_package: CipherSuiteId(3),
            group: CipherSuiteId(1)
        }
    );
}

#[test]
fn a_key_package_whose_init_key_is_its_encryption_key_is_rejected() {
    let mut f = Fixture::new(2);
    let mut newcomer = f.outsider("newcomer");
    newcomer.key_package.init_key = newcomer.key_package.leaf_node.encryption_key.clone();
    sign_key_package(&mut newcomer.key_package, &newcomer.signer);
    let e = reject_by_value(&f, vec![add(&newcomer)]);
    assert_eq!(group_violation(e), GroupViolation::InitKeyIsEncryptionKey);
}

#[test]
fn a_key_package_outside_its_lifetime_is_rejected_when_lifetimes_are_enforced() {
    let mut f = Fixture::new(2);
    let mut newcomer = f.outsider("newcomer");
    newcomer.key_package.leaf_node.leaf_node_source = LeafNodeSource::KeyPackage(Lifetime {
        not_before: 0,
        not_after: 1_000,
    });
    sign_key_package(&mut newcomer.key_package, &newcomer.signer);
    let e = reject_by_value(&f, vec![add(&newcomer)]);
    assert_eq!(
        tree_violation(e),
        TreeViolation::LifetimeNotValid {
            leaf: None,
            not_before: 0,
            not_after: 1_000
        }
    );
}

#[test]
fn a_psk_proposal_with_a_short_nonce_is_rejected() {
    let f = Fixture::new(2);
    let mut psk = external_psk(b"k", 1);
    if let Proposal::PreSharedKey(p) = &mut psk {
        p.psk.psk_nonce.truncate(16);
    }
    let e = reject_by_value(&f, vec![psk]);
    assert_eq!(
        group_violation(e),
        GroupViolation::PskNonceLength {
            length: 16,
            expected: 32
        }
    );
}

#[test]
fn a_resumption_psk_of_usage_reinit_is_rejected_in_a_normal_commit() {
    let f = Fixture::new(2);
    let psk = Proposal::PreSharedKey(PreSharedKey {
        psk: PreSharedKeyId {
            psk: PskSource::Resumption {
                usage: ResumptionPskUsage::REINIT,
                psk_group_id: f.views[0].group_id().to_vec(),
                psk_epoch: 1,
            },
            psk_nonce: vec![0; 32],
        },
    });
    let e = reject_by_value(&f, vec![psk]);
    assert_eq!(group_violation(e), GroupViolation::PskUsageNotAllowed);
}

#[test]
fn required_capabilities_that_a_member_lacks_are_rejected() {
    let f = Fixture::new(2);
    let required = RequiredCapabilities {
        extension_types: vec![ExtensionType(0x0a0a)],
        ..RequiredCapabilities::default()
    };
    let gce = Proposal::GroupContextExtensions(GroupContextExtensions {
        extensions: vec![Extension::new(
            ExtensionType::REQUIRED_CAPABILITIES,
            required.to_bytes(),
        )],
    });
    let e = reject_by_value(&f, vec![gce]);
    assert_eq!(
        group_violation(e),
        GroupViolation::RequiredCapabilityUnsupported {
            member: LeafIndex(0),
            capability: Capability::Extension(ExtensionType(0x0a0a))
        }
    );
}

#[test]
fn a_group_context_extension_that_a_member_lacks_is_rejected() {
    let f = Fixture::new(2);
    let gce = Proposal::GroupContextExtensions(GroupContextExtensions {
        extensions: vec![Extension::new(ExtensionType(0xff00), vec![])],
    });
    let e = reject_by_value(&f, vec![gce]);
    assert_eq!(
        group_violation(e),
        GroupViolation::GroupContextExtensionUnsupported {
            member: LeafIndex(0),
            extension_type: ExtensionType(0xff00)
        }
    );
}

// --- External commits (the list rules, checked on the proposals alone) ---

/// `apply_proposals` for an external commit of `proposals`, by value.
fn external(f: &Fixture, proposals: Vec<Proposal>) -> Error {
    let g = &f.views[0];
    let resolved: Vec<CommittedProposal> = proposals
        .into_iter()
        .map(|proposal| CommittedProposal {
            proposal,
            sender: Sender::NewMemberCommit,
            reference: None,
        })
        .collect();
    super::super::apply_proposals(
        &g.suite,
        &g.context,
        &g.tree,
        Sender::NewMemberCommit,
        &resolved,
        LifetimeCheck::Skipped,
    )
    .unwrap_err()
}

fn external_init() -> Proposal {
    Proposal::ExternalInit(ExternalInit {
        kem_output: vec![1; 32],
    })
}

#[test]
fn an_external_commit_without_an_external_init_is_rejected() {
    let f = Fixture::new(2);
    assert_eq!(
        group_violation(external(&f, vec![remove(1)])),
        GroupViolation::ExternalCommitExternalInitCount { count: 0 }
    );
    assert_eq!(
        group_violation(external(&f, vec![external_init(), external_init()])),
        GroupViolation::ExternalCommitExternalInitCount { count: 2 }
    );
}

#[test]
fn an_external_commit_with_an_add_is_rejected() {
    let mut f = Fixture::new(2);
    let newcomer = f.outsider("newcomer");
    assert_eq!(
        group_violation(external(&f, vec![external_init(), add(&newcomer)])),
        GroupViolation::ExternalCommitProposalNotAllowed {
            proposal_type: crate::messages::ProposalType::ADD
        }
    );
}

#[test]
fn an_external_commit_with_two_removes_is_rejected() {
    let f = Fixture::new(3);
    assert_eq!(
        group_violation(external(&f, vec![external_init(), remove(1), remove(2)])),
        GroupViolation::ExternalCommitSeveralRemoves
    );
}

#[test]
fn an_external_commit_takes_the_leftmost_blank_leaf_or_extends_the_tree() {
    let f = Fixture::new(2);
    let g = &f.views[0];
    let resolved = [CommittedProposal {
        proposal: external_init(),
        sender: Sender::NewMemberCommit,
        reference: None,
    }];
    let p = super::super::apply_proposals(
        &g.suite,
        &g.context,
        &g.tree,
        Sender::NewMemberCommit,
        &resolved,
        LifetimeCheck::Skipped,
    )
    .unwrap();
    assert_eq!(p.committer, LeafIndex(2));
    assert_eq!(p.tree.leaf_count().get(), 4);
    assert!(p.external && p.path_required);
}

#[test]
fn a_key_package_extension_not_in_the_leafs_capabilities_is_rejected() {
    let mut f = Fixture::new(2);
    let mut newcomer = f.outsider("newcomer");
    let unlisted = ExtensionType(0x0a0a);
    newcomer.key_package.extensions = vec![Extension::new(unlisted, vec![])];
    sign_key_package(&mut newcomer.key_package, &newcomer.signer);
    let e = reject_by_value(&f, vec![add(&newcomer)]);
    assert_eq!(
        tree_violation(e),
        TreeViolation::ExtensionNotInCapabilities {
            leaf: None,
            extension_type: unlisted
        }
    );
    // Listed, it is accepted.
    newcomer.key_package.leaf_node.capabilities.extensions = vec![unlisted];
    sign_key_package(&mut newcomer.key_package, &newcomer.signer);
    let made = commit(
        &f.views[1],
        by_value(vec![add(&newcomer)]),
        false,
        &mut f.rng,
    );
    assert!(process(&f.views[0], &made.message).is_ok());
}
