//! The steps of §12.4.2 for a received commit, and what a valid commit gives.

use super::*;
use crate::error::CryptoError;
use crate::framing::FramingViolation;
use crate::messages::{PreSharedKey, ResumptionPskUsage};

#[test]
fn a_commit_with_a_path_takes_every_member_to_the_same_epoch() {
    let mut f = Fixture::new(4);
    let made = commit(&f.views[1], by_value(vec![remove(3)]), true, &mut f.rng);
    for receiver in [0, 2] {
        let (processed, next) = process(&f.views[receiver], &made.message).unwrap();
        let Processed::Commit(summary) = processed else {
            panic!("not a commit: {processed:?}");
        };
        assert_eq!(summary.removed, vec![LeafIndex(3)]);
        assert_eq!(next.epoch(), 2);
        assert_eq!(next.epoch_authenticator(), made.next.epoch_authenticator());
        assert_eq!(next.tree(), made.next.tree());
        assert_eq!(
            next.export_secret(b"l", b"c", 16).unwrap().as_bytes(),
            made.next.export_secret(b"l", b"c", 16).unwrap().as_bytes()
        );
    }
}

#[test]
fn proposals_by_reference_are_cached_then_committed() {
    let mut f = Fixture::new(3);
    let newcomer = f.outsider("newcomer");
    let (message, reference) = propose(&f.views[2], add(&newcomer));
    let receiver = receive_proposal(&f.views[0], &message);
    let committer = receive_proposal(&f.views[1], &message);
    assert_eq!(receiver.pending_proposals().len(), 1);
    let made = commit(
        &committer,
        vec![ProposalOrRef::Reference(reference)],
        false,
        &mut f.rng,
    );
    let (processed, next) = process(&receiver, &made.message).unwrap();
    let Processed::Commit(summary) = processed else {
        panic!("not a commit");
    };
    assert_eq!(summary.added, vec![LeafIndex(3)]);
    assert!(!summary.has_path);
    assert_eq!(next.epoch_authenticator(), made.next.epoch_authenticator());
    assert!(next.pending_proposals().is_empty());
}

#[test]
fn a_commit_that_removes_us_is_reported_as_a_removal() {
    let mut f = Fixture::new(3);
    let made = commit(&f.views[1], by_value(vec![remove(0)]), true, &mut f.rng);
    let before = f.views[0].fingerprint();
    let (processed, kept) = process(&f.views[0], &made.message).unwrap();
    let Processed::Removed(summary) = processed else {
        panic!("not a removal: {processed:?}");
    };
    assert_eq!(summary.removed, vec![LeafIndex(0)]);
    assert_eq!(kept.fingerprint(), before);
}

#[test]
fn a_commit_of_another_epoch_is_rejected() {
    let mut f = Fixture::new(3);
    let made = commit(&f.views[1], by_value(vec![remove(2)]), true, &mut f.rng);
    let (_, next) = process(&f.views[0], &made.message).unwrap();
    // The same commit again, now one epoch late.
    assert_eq!(
        group_violation(rejected(&next, &made.message)),
        GroupViolation::WrongEpoch {
            epoch: 1,
            current: 2,
            content: crate::messages::ContentType::COMMIT
        }
    );
}

#[test]
fn a_commit_of_another_group_is_rejected() {
    let f = Fixture::new(2);
    let mut other = f.views[1].clone();
    other.context.group_id = b"another group".to_vec();
    let message = raw_commit(
        &other,
        Commit {
            proposals: Vec::new(),
            path: None,
        },
    );
    let e = rejected(&f.views[0], &message);
    assert_eq!(
        e,
        Error::Protocol(ProtocolViolation::Framing(
            FramingViolation::GroupIdMismatch
        ))
    );
}

#[test]
fn a_commit_from_a_blank_leaf_is_rejected() {
    let f = Fixture::new(3);
    let mut ghost = f.views[1].clone();
    ghost.own_leaf = LeafIndex(3);
    let message = raw_commit(
        &ghost,
        Commit {
            proposals: by_value(vec![remove(2)]),
            path: None,
        },
    );
    assert_eq!(
        group_violation(rejected(&f.views[0], &message)),
        GroupViolation::SenderNotMember { leaf: LeafIndex(3) }
    );
}

#[test]
fn a_commit_with_a_bad_membership_tag_is_rejected() {
    let mut f = Fixture::new(3);
    let made = commit(&f.views[1], by_value(vec![remove(2)]), true, &mut f.rng);
    let MlsMessage::PublicMessage(mut m) = made.message else {
        unreachable!()
    };
    if let Some(tag) = &mut m.membership_tag {
        tag[0] ^= 1;
    }
    let e = rejected(&f.views[0], &MlsMessage::PublicMessage(m));
    assert_eq!(e, Error::Crypto(CryptoError::InvalidMac));
}

#[test]
fn a_commit_signed_by_another_member_is_rejected() {
    let f = Fixture::new(3);
    let mut impostor = f.views[1].clone();
    impostor.signer = f.views[2].signer.clone();
    let message = raw_commit(
        &impostor,
        Commit {
            proposals: by_value(vec![remove(2)]),
            path: None,
        },
    );
    let e = rejected(&f.views[0], &message);
    assert_eq!(e, Error::Crypto(CryptoError::InvalidSignature));
}

#[test]
fn our_own_commit_is_not_processed_as_a_received_one() {
    let mut f = Fixture::new(2);
    let made = commit(&f.views[0], Vec::new(), true, &mut f.rng);
    assert_eq!(
        group_violation(rejected(&f.views[0], &made.message)),
        GroupViolation::CommitFromSelf
    );
}

#[test]
fn a_reference_to_a_proposal_not_received_is_rejected() {
    let f = Fixture::new(2);
    let message = raw_commit(
        &f.views[1],
        Commit {
            proposals: vec![ProposalOrRef::Reference(ProposalRef(vec![7; 32]))],
            path: None,
        },
    );
    assert_eq!(
        group_violation(rejected(&f.views[0], &message)),
        GroupViolation::UnknownProposalReference
    );
}

#[test]
fn a_remove_without_a_path_is_rejected() {
    let f = Fixture::new(3);
    let message = raw_commit(
        &f.views[1],
        Commit {
            proposals: by_value(vec![remove(2)]),
            path: None,
        },
    );
    assert_eq!(
        group_violation(rejected(&f.views[0], &message)),
        GroupViolation::PathRequired
    );
}

#[test]
fn an_empty_commit_without_a_path_is_rejected() {
    let f = Fixture::new(2);
    let message = raw_commit(
        &f.views[1],
        Commit {
            proposals: Vec::new(),
            path: None,
        },
    );
    assert_eq!(
        group_violation(rejected(&f.views[0], &message)),
        GroupViolation::PathRequired
    );
}

#[test]
fn a_psk_we_do_not_hold_is_rejected() {
    let f = Fixture::new(2);
    let message = raw_commit(
        &f.views[1],
        Commit {
            proposals: by_value(vec![external_psk(b"unknown", 1)]),
            path: None,
        },
    );
    assert_eq!(
        group_violation(rejected(&f.views[0], &message)),
        GroupViolation::UnknownPsk {
            index: 0,
            psk: PskSource::External {
                psk_id: b"unknown".to_vec()
            }
        }
    );
}

#[test]
fn a_wrong_confirmation_tag_is_rejected() {
    let mut f = Fixture::new(3);
    let made = commit(&f.views[1], by_value(vec![remove(2)]), true, &mut f.rng);
    let MlsMessage::PublicMessage(m) = made.message else {
        unreachable!()
    };
    // Re-seal with another tag, so that the membership tag is valid.
    let mut ac = m.authenticated_content();
    let mut tag = ac.auth.confirmation_tag.take().unwrap();
    tag[0] ^= 1;
    let message = seal_public(&f.views[1], ac, Some(tag));
    assert_eq!(
        group_violation(rejected(&f.views[0], &message)),
        GroupViolation::ConfirmationTagMismatch
    );
}

#[test]
fn a_path_with_a_node_missing_is_rejected() {
    let mut f = Fixture::new(4);
    let made = commit(&f.views[1], by_value(vec![remove(3)]), true, &mut f.rng);
    let mut path = made.path.unwrap().update_path;
    path.nodes.pop();
    let message = raw_commit(
        &f.views[1],
        Commit {
            proposals: by_value(vec![remove(3)]),
            path: Some(path),
        },
    );
    let e = rejected(&f.views[0], &message);
    assert!(
        matches!(
            e,
            Error::Protocol(ProtocolViolation::TreeKem(
                crate::treekem::TreeKemViolation::WrongPathLength { .. }
            ))
        ),
        "{e:?}"
    );
}

#[test]
fn the_resumption_psk_of_a_past_epoch_can_be_injected() {
    let mut f = Fixture::new(3);
    let first = commit(&f.views[1], Vec::new(), true, &mut f.rng);
    let (_, receiver) = process(&f.views[0], &first.message).unwrap();
    let resumption = Proposal::PreSharedKey(PreSharedKey {
        psk: PreSharedKeyId {
            psk: PskSource::Resumption {
                usage: ResumptionPskUsage::APPLICATION,
                psk_group_id: receiver.group_id().to_vec(),
                psk_epoch: 1,
            },
            psk_nonce: vec![5; 32],
        },
    });
    let second = commit(&first.next, by_value(vec![resumption]), false, &mut f.rng);
    let (processed, next) = process(&receiver, &second.message).unwrap();
    assert!(matches!(processed, Processed::Commit(ref s) if s.psks == 1));
    assert_eq!(
        next.epoch_authenticator(),
        second.next.epoch_authenticator()
    );
    assert!(next.resumption_psk(1).is_some() && next.resumption_psk(2).is_some());
}

#[test]
fn only_the_configured_number_of_resumption_psks_is_kept() {
    let mut f = Fixture::new(2);
    let mut receiver = f.views[0].clone();
    receiver.config.resumption_psks = 2;
    let mut committer = f.views[1].clone();
    for _ in 0..4 {
        let made = commit(&committer, Vec::new(), true, &mut f.rng);
        receiver = process(&receiver, &made.message).unwrap().1;
        committer = made.next;
    }
    assert_eq!(receiver.epoch(), 5);
    let kept: Vec<u64> = (1..=5)
        .filter(|&e| receiver.resumption_psk(e).is_some())
        .collect();
    assert_eq!(kept, vec![3, 4, 5]);
}

#[test]
fn debug_output_of_a_group_shows_no_secret() {
    let f = Fixture::new(2);
    let g = &f.views[0];
    let shown = format!("{g:?}");
    let hex: String = g
        .epoch_authenticator()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let bytes = format!("{:?}", g.epoch_authenticator());
    assert!(!shown.contains(&hex) && !shown.contains(&bytes[1..20]));
    assert!(shown.contains("epoch: 1"));
}

#[test]
fn a_proposal_and_a_commit_sent_as_private_messages_are_processed() {
    let mut f = Fixture::new(4);
    let ac = signed(
        &f.views[3],
        Content::Proposal(remove(2)),
        WireFormat::MLS_PRIVATE_MESSAGE,
    );
    let reference = f.views[3].proposal_ref(&ac);
    let proposal = seal_private(&f.views[3], &ac, &mut f.rng);
    let receiver = receive_proposal(&f.views[0], &proposal);
    assert!(receiver.pending_proposals().get(&reference).is_some());
    // Its handshake key is gone: the same message does not decrypt twice.
    rejected(&receiver, &proposal);

    let committer = receive_proposal(&f.views[1], &proposal);
    let made = commit_as(
        &committer,
        vec![ProposalOrRef::Reference(reference)],
        true,
        WireFormat::MLS_PRIVATE_MESSAGE,
        &mut f.rng,
    );
    let (processed, next) = process(&receiver, &made.message).unwrap();
    assert!(matches!(processed, Processed::Commit(ref s) if s.removed == vec![LeafIndex(2)]));
    assert_eq!(next.epoch_authenticator(), made.next.epoch_authenticator());
}

/// A PublicMessage proposal from external sender `index`, signed with `signer`.
fn external_proposal(
    group: &Group,
    index: u32,
    proposal: Proposal,
    signer: &crate::crypto::SignaturePrivateKey,
) -> MlsMessage {
    let framed = FramedContent {
        group_id: group.group_id().to_vec(),
        epoch: group.epoch(),
        sender: Sender::External(index),
        authenticated_data: Vec::new(),
        content: Content::Proposal(proposal),
    };
    let ac = sign_content(
        &group.suite,
        WireFormat::MLS_PUBLIC_MESSAGE,
        framed,
        &group.context,
        signer,
    )
    .unwrap();
    let m = protect_public(&group.suite, &ac, &group.context, None).unwrap();
    MlsMessage::PublicMessage(m)
}

#[test]
fn a_proposal_from_an_unknown_external_sender_is_rejected() {
    let mut f = Fixture::new(2);
    let (signer, _) = suite().generate_signature_key_pair(&mut f.rng).unwrap();
    let message = external_proposal(&f.views[0], 0, remove(1), &signer);
    assert_eq!(
        group_violation(rejected(&f.views[0], &message)),
        GroupViolation::UnknownExternalSender { index: 0 }
    );
}

#[test]
fn a_proposal_from_a_listed_external_sender_is_cached() {
    use crate::group::ExternalSender;
    use crate::messages::extensions::{Extension, ExtensionType};
    let mut f = Fixture::new(2);
    let (signer, signature_key) = suite().generate_signature_key_pair(&mut f.rng).unwrap();
    let senders = vec![ExternalSender {
        signature_key,
        credential: Credential::Basic {
            identity: b"delivery service".to_vec(),
        },
    }];
    let mut receiver = f.views[0].clone();
    receiver.context.extensions = vec![Extension::new(
        ExtensionType::EXTERNAL_SENDERS,
        senders.to_bytes(),
    )];
    let message = external_proposal(&receiver, 0, remove(1), &signer);
    let next = receive_proposal(&receiver, &message);
    let cached = next.pending_proposals().iter().next().unwrap();
    assert_eq!(cached.sender, Sender::External(0));
}

#[test]
fn a_commit_lists_the_same_resolved_proposals_in_either_wire_format_by_value_or_by_reference() {
    let mut f = Fixture::new(3);
    let unchanged = f.views[0].group_context().extensions.clone();
    let gce = Proposal::GroupContextExtensions(crate::messages::GroupContextExtensions {
        extensions: unchanged,
    });
    let (message, reference) = propose(&f.views[2], gce.clone());
    let receiver = receive_proposal(&f.views[0], &message);
    let committer = receive_proposal(&f.views[1], &message);
    for wire_format in [
        WireFormat::MLS_PUBLIC_MESSAGE,
        WireFormat::MLS_PRIVATE_MESSAGE,
    ] {
        for proposals in [
            by_value(vec![gce.clone()]),
            vec![ProposalOrRef::Reference(reference.clone())],
        ] {
            let made = commit_as(&committer, proposals, true, wire_format, &mut f.rng);
            let opened = receiver.unprotect(&made.message).unwrap();
            let listed: Vec<Proposal> = opened
                .committed_proposals()
                .unwrap()
                .unwrap()
                .into_iter()
                .map(|p| p.proposal)
                .collect();
            assert_eq!(listed, vec![gce.clone()], "{wire_format:?}");
            let (processed, _) = opened.process(&no_psks, &NOW).unwrap();
            assert!(matches!(processed, Processed::Commit(_)));
        }
    }
}

#[test]
fn an_unprotected_proposal_lists_no_committed_proposals() {
    let f = Fixture::new(2);
    let (message, _) = propose(&f.views[1], remove(1));
    let opened = f.views[0].unprotect(&message).unwrap();
    assert!(opened.committed_proposals().unwrap().is_none());
}
