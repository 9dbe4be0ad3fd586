//! Spec §8.4 `add(keyPackage)`.

use mls_webapi::codec::Codec;
use mls_webapi::messages::{Content, MlsMessage};
use mls_webapi::webapi::{DomExceptionName, ObjectType};

use crate::support::{
    GARBAGE, NOW, client, deliver_commit, epoch, fails_unchanged, flipped, foreign_key_package,
    group, key_package, origin, other_version, truncated, with_trailing_byte,
};

#[test]
fn adding_commits_and_welcomes_the_new_member() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let out = g.views[0].add(key_package(&o.mls, &carol)).unwrap();
    assert_eq!(out.kind, ObjectType::CommitOutput);
    assert_eq!(out.group_id, g.views[0].group_id());
    assert_eq!(out.commit[..4], [0, 1, 0, 1]);
    let welcome = out.welcome.clone().unwrap();
    assert_eq!(welcome[..6], [0, 1, 0, 3, 0, 1]);
    assert!(out.group_info.is_none() && out.ratchet_tree.is_none() && out.client_id.is_none());
    let MlsMessage::PublicMessage(m) = MlsMessage::from_bytes(&out.commit).unwrap() else {
        panic!("not a PublicMessage");
    };
    let Content::Commit(commit) = &m.content.content else {
        panic!("not a commit");
    };
    assert!(
        commit.path.is_none(),
        "an add-only commit has no path (§5.1)"
    );
    // P is set; the membership changes only when it is applied.
    assert!(g.views[0].has_pending_commit().unwrap());
    assert_eq!(g.views[0].details().unwrap().members.len(), 2);
    deliver_commit(&g.views, &out);
    assert_eq!(epoch(&g.views[1]), 2);
    let joined = o.mls.group_join(&carol.id, &welcome).unwrap();
    assert_eq!(joined.details().unwrap().members.len(), 3);
}

#[test]
fn malformed_key_packages_are_data_errors_before_the_state_is_loaded() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let kp = key_package(&o.mls, &carol).content;
    let ciphertext = g.views[1].send("x").unwrap().content;
    let rows = [
        ("garbage", GARBAGE.to_vec(), DomExceptionName::DataError),
        ("truncated", truncated(&kp), DomExceptionName::DataError),
        (
            "trailing byte",
            with_trailing_byte(&kp),
            DomExceptionName::DataError,
        ),
        ("a ciphertext", ciphertext, DomExceptionName::DataError),
        (
            "version 2",
            other_version(&kp),
            DomExceptionName::NotSupportedError,
        ),
    ];
    for (row, bytes, expected) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, expected, || g.views[0].add(bytes.clone()));
    }
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::DataError, || {
        g.views[0].add(GARBAGE)
    });
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].add(&kp)
    });
}

#[test]
fn a_pending_commit_makes_add_an_invalid_state() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let dave = client(&o.mls, "dave");
    g.views[0].add(key_package(&o.mls, &carol)).unwrap();
    let dave_kp = key_package(&o.mls, &dave);
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].add(&dave_kp)
    });
    // add.5 comes before add.6: an invalid key package is still an InvalidStateError.
    let foreign = foreign_key_package(3, "eve", 0, u64::MAX);
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].add(foreign)
    });
}

#[test]
fn invalid_key_packages_are_operation_errors() {
    let o = origin(4);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let carol_kp = key_package(&o.mls, &carol).content;
    let impostor = crate::support::Client {
        name: "bob".into(),
        id: o.mls.generate_identity().unwrap(),
        credential: g.client("bob").credential.clone(),
    };
    let rows = [
        (
            "another cipher suite",
            foreign_key_package(3, "eve", 0, u64::MAX),
        ),
        ("expired", foreign_key_package(1, "eve", 0, NOW - 1)),
        (
            "not yet valid",
            foreign_key_package(1, "eve", NOW + 1, u64::MAX),
        ),
        ("a broken signature", flipped(&carol_kp, carol_kp.len() - 1)),
        (
            "a member's own new key package",
            key_package(&o.mls, g.client("bob")).content,
        ),
        (
            "another client with a member's identity",
            key_package(&o.mls, &impostor).content,
        ),
    ];
    for (row, bytes) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
            g.views[0].add(bytes.clone())
        });
    }
}

#[test]
fn a_key_package_expires_84_days_after_it_was_made() {
    let o = origin(5);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let kp = key_package(&o.mls, &bob);
    o.clock.set(NOW + 7_257_600 + 1);
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].add(&kp)
    });
    o.clock.set(NOW + 7_257_600);
    g.views[0].add(&kp).unwrap();
}

#[test]
fn cached_proposals_are_committed_along_and_a_conflicting_cached_add_is_left_out() {
    let o = origin(6);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let dave = client(&o.mls, "dave");
    let dave_kp = key_package(&o.mls, &dave);
    // Bob proposes Dave and Carol's removal; Alice caches both (her auto-commits are
    // thrown away).
    let p1 = g.views[1].propose_add(&dave_kp).unwrap();
    let p2 = g.views[1].propose_remove(&g.clients[2].id).unwrap();
    for p in [&p1, &p2] {
        g.views[0].receive(p).unwrap();
        g.views[0].clear_pending_commit().unwrap();
    }
    // Alice adds Dave herself: the cached Add of the same key package is left out, the
    // cached Remove is included.
    let out = g.views[0].add(&dave_kp).unwrap();
    g.views[0].receive(&out.commit).unwrap();
    let names: Vec<Vec<u8>> = g.views[0]
        .details()
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.credential[3..].to_vec())
        .collect();
    assert_eq!(
        names,
        [b"alice".to_vec(), b"bob".to_vec(), b"dave".to_vec()]
    );
}
