//! Spec §8.11 `receive(message)`: one test per row (or group of rows) of the decision
//! table §8.11.1. Every rejected row also checks that the stored state is unchanged.

use mls_webapi::codec::Codec;
use mls_webapi::crypto::Secret;
use mls_webapi::group::Processed;
use mls_webapi::messages::extensions::{Extension, ExtensionType};
use mls_webapi::messages::group_context::GroupContext;
use mls_webapi::messages::{
    CipherSuiteId, Content, GroupContextExtensions, GroupInfo, MlsMessage, PreSharedKeyId,
    Proposal, ProtocolVersion, PskSource, Sender,
};
use mls_webapi::tree_math::LeafIndex;
use mls_webapi::webapi::{DomExceptionName, ObjectType, REMOVED_EPOCH};

use crate::support::{
    GARBAGE, NOW, add_stranger, client, deliver_commit, epoch, error_name, fails_unchanged,
    flipped, group, group_with_peer, key_package, origin, other_version, peer_bundle,
    processed_epoch, truncated, with_trailing_byte,
};

/// The PublicMessage inside `bytes`.
fn public(bytes: &[u8]) -> mls_webapi::messages::PublicMessage {
    match MlsMessage::from_bytes(bytes).unwrap() {
        MlsMessage::PublicMessage(m) => m,
        other => panic!("not a PublicMessage: {other:?}"),
    }
}

#[test]
fn row_1_bytes_that_are_no_complete_mls_message_are_data_errors() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let ct = g.views[0].send("x").unwrap().content;
    let mut unknown_format = ct.clone();
    unknown_format[3] = 9;
    for bytes in [
        GARBAGE.to_vec(),
        truncated(&ct),
        with_trailing_byte(&ct),
        unknown_format,
    ] {
        fails_unchanged(&o.mls, DomExceptionName::DataError, || {
            g.views[1].receive(bytes)
        });
    }
}

#[test]
fn row_2_another_protocol_version_is_not_supported() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let ct = g.views[0].send("x").unwrap().content;
    fails_unchanged(&o.mls, DomExceptionName::NotSupportedError, || {
        g.views[1].receive(other_version(&ct))
    });
}

#[test]
fn row_3_welcomes_group_infos_and_key_packages_are_not_supported() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let kp = key_package(&o.mls, &carol);
    let welcome = g.views[0].add(&kp).unwrap().welcome.unwrap();
    let group_info = MlsMessage::GroupInfo(GroupInfo {
        group_context: GroupContext {
            version: ProtocolVersion::MLS10,
            cipher_suite: CipherSuiteId(1),
            group_id: g.views[0].group_id(),
            epoch: 1,
            tree_hash: vec![0; 32],
            confirmed_transcript_hash: vec![0; 32],
            extensions: vec![],
        },
        extensions: vec![],
        confirmation_tag: vec![0; 32],
        signer: LeafIndex(0),
        signature: vec![0; 64],
    })
    .to_bytes();
    for bytes in [welcome, group_info, kp.content] {
        fails_unchanged(&o.mls, DomExceptionName::NotSupportedError, || {
            g.views[1].receive(bytes)
        });
    }
}

#[test]
fn row_4_without_a_group_state_a_message_is_not_found() {
    let o = origin(4);
    let g = group(&o.mls, &["alice", "bob"]);
    let ct = g.views[0].send("x").unwrap();
    g.views[1].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[1].receive(&ct)
    });
}

#[test]
fn row_5_a_message_of_another_group_is_an_operation_error() {
    let o = origin(5);
    let g = group(&o.mls, &["alice", "bob"]);
    let other = group(&o.mls, &["carol", "dave"]);
    let ct = other.views[0].send("elsewhere").unwrap();
    let commit = other.views[0].close().unwrap().commit;
    for bytes in [ct.content, commit] {
        fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
            g.views[1].receive(bytes)
        });
    }
}

#[test]
fn row_6_a_public_message_from_a_non_member_is_not_supported() {
    let o = origin(6);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let p = g.views[0].propose_add(key_package(&o.mls, &carol)).unwrap();
    let mut m = public(&p.content);
    m.content.sender = Sender::NewMemberProposal;
    m.membership_tag = None;
    let forged = MlsMessage::PublicMessage(m).to_bytes();
    fails_unchanged(&o.mls, DomExceptionName::NotSupportedError, || {
        g.views[1].receive(forged)
    });
}

#[test]
fn row_7_application_data_in_a_public_message_is_an_operation_error() {
    let o = origin(7);
    let g = group(&o.mls, &["alice", "bob"]);
    let p = g.views[0].propose_remove(&g.clients[0].id).unwrap();
    let mut m = public(&p.content);
    m.content.content = Content::Application(b"in the clear".to_vec());
    let forged = MlsMessage::PublicMessage(m).to_bytes();
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[1].receive(forged)
    });
}

#[test]
fn row_8_our_own_commit_echoed_applies_the_pending_commit() {
    let o = origin(8);
    let g = group(&o.mls, &["alice", "bob"]);
    g.views[0].propose_remove(&g.clients[0].id).unwrap();
    let out = g.views[0].close().unwrap();
    let r = g.views[0].receive(&out.commit).unwrap();
    assert_eq!(r.kind, ObjectType::CommitProcessed);
    assert_eq!(r.group_id, g.views[0].group_id());
    assert_eq!(processed_epoch(&r), 2);
    assert!(!g.views[0].has_pending_commit().unwrap());
    assert!(!g.views[0].has_pending_proposals().unwrap());
}

#[test]
fn row_9_a_handshake_of_another_epoch_is_an_operation_error() {
    let o = origin(9);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    // Alice and Bob commit at the same epoch; Bob's wins.
    let lost = g.views[0].close().unwrap();
    let won = g.views[1].remove(&g.clients[2].id).unwrap();
    let ahead = {
        // Carol is left behind by one epoch.
        deliver_commit(&g.views[..2], &won);
        assert_eq!(epoch(&g.views[0]), 3);
        g.views[0].propose_remove(&g.clients[0].id).unwrap()
    };
    // Alice's own lost commit is now of a past epoch.
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].receive(&lost.commit)
    });
    // Carol, still at epoch 2, gets a proposal of epoch 3.
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[2].receive(&ahead)
    });
}

#[test]
fn row_10_a_handshake_that_fails_authentication_is_an_operation_error() {
    let o = origin(10);
    let g = group(&o.mls, &["alice", "bob"]);
    let p = g.views[0].propose_remove(&g.clients[0].id).unwrap().content;
    let commit = g.views[0].close().unwrap().commit;
    let mut blank_sender = public(&p);
    blank_sender.content.sender = Sender::Member(LeafIndex(7));
    let rows = [
        ("membership tag", flipped(&p, p.len() - 1)),
        ("signature", flipped(&p, p.len() - 40)),
        ("commit signature", flipped(&commit, commit.len() - 80)),
        (
            "blank sender",
            MlsMessage::PublicMessage(blank_sender).to_bytes(),
        ),
    ];
    for (row, bytes) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
            g.views[1].receive(bytes.clone())
        });
    }
}

#[test]
fn row_11_our_own_commit_after_clearing_it_is_an_operation_error() {
    let o = origin(11);
    let g = group(&o.mls, &["alice", "bob"]);
    let out = g.views[0].close().unwrap();
    g.views[0].clear_pending_commit().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].receive(&out.commit)
    });
}

#[test]
fn row_12_psk_proposals_are_not_supported() {
    let o = origin(12);
    let (g, mut peer) = group_with_peer(&o.mls, &["alice", "bob"], false);
    let sent = peer
        .group
        .propose_psk(
            PskSource::External {
                psk_id: b"psk".to_vec(),
            },
            b"",
            &mut peer.rng,
        )
        .unwrap();
    let bytes = sent.message.to_bytes();
    fails_unchanged(&o.mls, DomExceptionName::NotSupportedError, || {
        g.views[0].receive(&bytes)
    });
}

#[test]
fn row_13_an_invalid_add_proposal_is_an_operation_error() {
    let o = origin(13);
    let (g, mut peer) = group_with_peer(&o.mls, &["alice", "bob"], true);
    // The peer does not check lifetimes; the Web API does (kp.5).
    let expired = peer_bundle("old", 5, 0, NOW - 10);
    let clock = mls_webapi::clock::FixedClock(NOW);
    let sent = peer
        .group
        .propose_add(expired.key_package, b"", &clock, &mut peer.rng)
        .unwrap();
    let bytes = sent.message.to_bytes();
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].receive(&bytes)
    });
}

#[test]
fn row_14_a_valid_proposal_during_a_pending_commit_is_an_invalid_state_and_not_cached() {
    let o = origin(14);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let p = g.views[1].propose_remove(&g.clients[2].id).unwrap();
    g.views[0].close().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].receive(&p)
    });
    assert!(!g.views[0].has_pending_proposals().unwrap());
    // Delivered again once the pending commit is resolved, it is accepted.
    g.views[0].clear_pending_commit().unwrap();
    assert_eq!(
        g.views[0].receive(&p).unwrap().kind,
        ObjectType::CommitOutput
    );
}

#[test]
fn row_15_a_valid_proposal_is_cached_and_auto_committed() {
    let o = origin(15);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let p = g.views[1].propose_add(key_package(&o.mls, &carol)).unwrap();
    let r = g.views[0].receive(&p).unwrap();
    assert_eq!(r.kind, ObjectType::CommitOutput);
    assert_eq!(r.group_id, g.views[0].group_id());
    assert!(r.group_epoch.is_none() && r.content.is_none());
    let out = r.commit_output.unwrap();
    assert!(out.welcome.is_some(), "the commit adds Carol");
    assert!(g.views[0].has_pending_proposals().unwrap());
    assert!(g.views[0].has_pending_commit().unwrap());
    assert_eq!(epoch(&g.views[0]), 1);
    // Our own proposal echoed back is auto-committed too; a Remove has no Welcome.
    let own = g.views[1].propose_remove(&g.clients[1].id).unwrap();
    g.views[1].clear_pending_proposals().unwrap();
    let r = g.views[1].receive(&own).unwrap();
    assert!(r.commit_output.unwrap().welcome.is_none());
    // The auto-commit is processed by the others.
    deliver_commit(&g.views[..1], &out);
    o.mls.group_join(&carol.id, out.welcome.unwrap()).unwrap();
}

#[test]
fn row_15_a_peers_update_proposal_is_committed_by_reference() {
    let o = origin(151);
    let (g, mut peer) = group_with_peer(&o.mls, &["alice"], false);
    let sent = peer.group.propose_update(b"", &mut peer.rng).unwrap();
    peer.group = sent.group;
    let r = g.views[0].receive(sent.message.to_bytes()).unwrap();
    let commit = r.commit_output.unwrap().commit;
    g.views[0].receive(&commit).unwrap();
    let Processed::Commit(summary) = peer.receive(&commit) else {
        panic!("not a commit");
    };
    assert_eq!(summary.updated.len(), 1);
}

#[test]
fn row_16_a_commit_that_references_an_unknown_proposal_is_an_operation_error() {
    let o = origin(16);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let p = g.views[1].propose_remove(&g.clients[1].id).unwrap();
    let auto = g.views[0].receive(&p).unwrap().commit_output.unwrap();
    // Carol never saw the proposal.
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[2].receive(&auto.commit)
    });
    // Nor does she once she has cleared it.
    g.views[2].receive(&p).unwrap();
    g.views[2].clear_pending_commit().unwrap();
    g.views[2].clear_pending_proposals().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[2].receive(&auto.commit)
    });
}

#[test]
fn row_17_a_commit_with_an_unsupported_proposal_is_not_supported_in_either_wire_format() {
    let o = origin(17);
    for private in [false, true] {
        let (g, mut peer) = group_with_peer(&o.mls, &["alice", "bob"], private);
        let psk = PreSharedKeyId {
            psk: PskSource::External {
                psk_id: b"psk".to_vec(),
            },
            psk_nonce: vec![1; 32],
        };
        let lookup = |_: &PreSharedKeyId| Some(Secret::new(vec![7; 32]));
        let gce =
            |extensions| Proposal::GroupContextExtensions(GroupContextExtensions { extensions });
        let unchanged = peer.group.group_context().extensions.clone();
        let rows = [
            (
                "psk",
                Proposal::PreSharedKey(mls_webapi::messages::PreSharedKey { psk }),
            ),
            (
                "group context extensions",
                gce(vec![Extension::new(
                    ExtensionType::REQUIRED_CAPABILITIES,
                    vec![0, 0, 0],
                )]),
            ),
            ("group context extensions left unchanged", gce(unchanged)),
        ];
        for (row, proposal) in rows {
            println!("{row}, private: {private}");
            let before = peer.group.clone();
            let (commit, _) = peer.commit(vec![proposal], &lookup);
            peer.group = before;
            fails_unchanged(&o.mls, DomExceptionName::NotSupportedError, || {
                g.views[0].receive(&commit)
            });
        }
    }
}

/// By reference, an unsupported proposal never reaches row 17: row 12 keeps it out of the
/// cache, so a commit that references it is row 16, in either wire format.
#[test]
fn row_17_an_unsupported_proposal_by_reference_is_never_cached_so_its_commit_is_row_16() {
    use mls_webapi::group::{ByReference, CommitOptions};
    let o = origin(171);
    for private in [false, true] {
        let (g, mut peer) = group_with_peer(&o.mls, &["alice"], private);
        let psk_id = PskSource::External {
            psk_id: b"psk".to_vec(),
        };
        let sent = peer.group.propose_psk(psk_id, b"", &mut peer.rng).unwrap();
        let proposal = sent.message.to_bytes();
        fails_unchanged(&o.mls, DomExceptionName::NotSupportedError, || {
            g.views[0].receive(&proposal)
        });
        let options = CommitOptions {
            by_reference: ByReference::Only(vec![sent.reference]),
            force_path: true,
            ..CommitOptions::default()
        };
        let lookup = |_: &PreSharedKeyId| Some(Secret::new(vec![7; 32]));
        let clock = mls_webapi::clock::FixedClock(NOW);
        let commit = sent
            .group
            .commit(&options, &lookup, &clock, &mut peer.rng)
            .unwrap()
            .message
            .to_bytes();
        fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
            g.views[0].receive(&commit)
        });
    }
}

#[test]
fn row_18_a_commit_that_adds_an_invalid_member_is_an_operation_error() {
    let o = origin(18);
    for private in [false, true] {
        let (g, mut peer) = group_with_peer(&o.mls, &["alice", "bob"], private);
        let expired = peer_bundle("old", 6, 0, NOW - 10);
        let add = Proposal::Add(mls_webapi::messages::Add {
            key_package: expired.key_package,
        });
        let (commit, _) = peer.commit(vec![add], &mls_webapi::group::no_psks);
        fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
            g.views[0].receive(&commit)
        });
    }
}

#[test]
fn row_18_before_19_a_commit_that_removes_us_and_adds_an_invalid_member_is_an_operation_error() {
    let o = origin(181);
    for private in [false, true] {
        let (g, mut peer) = group_with_peer(&o.mls, &["alice", "bob"], private);
        // Fresh keys, but the identity of a member (kp.6): the engine accepts it, the Web
        // API does not.
        let same_identity = peer_bundle("peer", 99, 0, u64::MAX);
        let rows = [
            ("keeps us", Vec::new()),
            (
                "removes us",
                vec![Proposal::Remove(mls_webapi::messages::Remove {
                    removed: LeafIndex(1),
                })],
            ),
        ];
        for (row, mut proposals) in rows {
            println!("{row}, private: {private}");
            proposals.push(Proposal::Add(mls_webapi::messages::Add {
                key_package: same_identity.key_package.clone(),
            }));
            let before = peer.group.clone();
            let (commit, _) = peer.commit(proposals, &mls_webapi::group::no_psks);
            peer.group = before;
            fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
                g.views[1].receive(&commit)
            });
        }
        // Without the Add, the same Remove is row 19 for Bob (leaf 1).
        let remove = Proposal::Remove(mls_webapi::messages::Remove {
            removed: LeafIndex(1),
        });
        let (commit, _) = peer.commit(vec![remove], &mls_webapi::group::no_psks);
        let r = g.views[1].receive(&commit).unwrap();
        assert_eq!(r.group_epoch.unwrap(), REMOVED_EPOCH);
    }
}

#[test]
fn row_19_a_commit_that_removes_us_deletes_our_state() {
    let o = origin(19);
    let g = group(&o.mls, &["alice", "bob"]);
    let out = g.views[0].remove(&g.clients[1].id).unwrap();
    let r = g.views[1].receive(&out.commit).unwrap();
    assert_eq!(r.group_epoch.unwrap(), REMOVED_EPOCH);
    assert!(
        o.mls
            .group_get(g.views[1].group_id(), &g.clients[1].id)
            .unwrap()
            .is_none()
    );
    assert_eq!(
        error_name(g.views[1].details()),
        DomExceptionName::NotFoundError
    );
}

#[test]
fn row_20_a_commit_of_another_member_discards_our_pending_commit_and_proposals() {
    let o = origin(20);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    g.views[0].propose_remove(&g.clients[0].id).unwrap();
    let lost = g.views[0].close().unwrap();
    let won = g.views[1].remove(&g.clients[2].id).unwrap();
    assert_eq!(
        processed_epoch(&g.views[0].receive(&won.commit).unwrap()),
        3
    );
    assert!(!g.views[0].has_pending_commit().unwrap());
    assert!(!g.views[0].has_pending_proposals().unwrap());
    assert!(g.views[0].receive(&lost.commit).is_err());
}

#[test]
fn row_21_application_messages_too_new_or_too_old_are_operation_errors() {
    let o = origin(21);
    let g = group(&o.mls, &["alice", "bob"]);
    let old = g.views[0].send("old").unwrap();
    for i in 0..4 {
        let out = add_stranger(&o.mls, &g.views[0], &format!("stranger {i}"));
        deliver_commit(&g.views, &out);
    }
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[1].receive(&old)
    });
    // Alice moves on alone; Bob, one epoch behind, cannot read her new messages.
    let out = add_stranger(&o.mls, &g.views[0], "one more");
    g.views[0].receive(&out.commit).unwrap();
    let new = g.views[0].send("new").unwrap();
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[1].receive(&new)
    });
}

#[test]
fn row_22_a_ciphertext_that_does_not_decrypt_is_an_operation_error() {
    let o = origin(22);
    let g = group(&o.mls, &["alice", "bob"]);
    let ct = g.views[0].send("x").unwrap().content;
    for at in [ct.len() - 1, ct.len() - 60, 50] {
        fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
            g.views[1].receive(flipped(&ct, at))
        });
    }
    assert_eq!(g.views[1].receive(&ct).unwrap().content.unwrap(), b"x");
}

#[test]
fn row_23_our_own_application_message_is_an_operation_error() {
    let o = origin(23);
    let g = group(&o.mls, &["alice", "bob"]);
    let ct = g.views[0].send("mine").unwrap();
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].receive(&ct)
    });
}

#[test]
fn row_24_a_generation_too_far_ahead_is_an_operation_error() {
    let o = origin(24);
    let (g, mut peer) = group_with_peer(&o.mls, &["alice"], false);
    let mut last = Vec::new();
    for i in 0..=1025u32 {
        last = peer.send(&i.to_be_bytes());
    }
    // Generation 1025 is more than 1,024 past the next unused one (0).
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].receive(&last)
    });
}

#[test]
fn row_25_a_replayed_or_dropped_message_is_an_operation_error() {
    let o = origin(25);
    let g = group(&o.mls, &["alice", "bob"]);
    let sent: Vec<_> = (0..40)
        .map(|i| g.views[0].send(format!("m{i}")).unwrap())
        .collect();
    g.views[1].receive(&sent[39]).unwrap();
    // Replayed.
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[1].receive(&sent[39])
    });
    // Dropped: more than 32 generations below the newest.
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[1].receive(&sent[0])
    });
    // Kept: within the window.
    assert_eq!(
        g.views[1].receive(&sent[20]).unwrap().content.unwrap(),
        b"m20"
    );
}

#[test]
fn row_26_a_valid_application_message_gives_its_plaintext() {
    let o = origin(26);
    let (g, mut peer) = group_with_peer(&o.mls, &["alice"], true);
    let r = g.views[0].receive(peer.send(b"from the peer")).unwrap();
    assert_eq!(r.kind, ObjectType::ApplicationMessagePlaintext);
    assert_eq!(r.group_id, g.views[0].group_id());
    assert_eq!(r.content.unwrap(), b"from the peer");
    assert!(r.group_epoch.is_none() && r.commit_output.is_none());
}

#[test]
fn row_27_a_late_message_of_a_retained_past_epoch_gives_its_plaintext_once() {
    let o = origin(27);
    let g = group(&o.mls, &["alice", "bob"]);
    let late = g.views[0].send("late").unwrap();
    for i in 0..3 {
        let out = add_stranger(&o.mls, &g.views[0], &format!("stranger {i}"));
        deliver_commit(&g.views, &out);
    }
    assert_eq!(g.views[1].receive(&late).unwrap().content.unwrap(), b"late");
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[1].receive(&late)
    });
}

#[test]
fn a_message_read_while_our_commit_is_pending_cannot_be_read_again_after_it() {
    let o = origin(28);
    let g = group(&o.mls, &["alice", "bob"]);
    let ct = g.views[1].send("once").unwrap();
    let out = g.views[0].close().unwrap();
    g.views[0].receive(&ct).unwrap();
    g.views[0].apply_pending_commit().unwrap();
    assert_eq!(epoch(&g.views[0]), 2);
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].receive(&ct)
    });
    drop(out);
}

#[test]
fn a_peer_sending_private_handshakes_is_followed() {
    let o = origin(29);
    let (g, mut peer) = group_with_peer(&o.mls, &["alice", "bob"], true);
    let (commit, _) = peer.commit(Vec::new(), &mls_webapi::group::no_psks);
    for v in &g.views {
        assert_eq!(processed_epoch(&v.receive(&commit).unwrap()), 3);
    }
    let out = g.views[1].remove(&g.clients[0].id).unwrap();
    g.views[1].receive(&out.commit).unwrap();
    let Processed::Commit(_) = peer.receive(&out.commit) else {
        panic!("not a commit");
    };
    let ct = g.views[1].send("still here").unwrap();
    let Processed::Application(app) = peer.receive(&ct.content) else {
        panic!("not application data");
    };
    assert_eq!(app.data, b"still here");
}
