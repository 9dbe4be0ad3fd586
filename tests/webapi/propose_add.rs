//! Spec §8.5 `proposeAdd(keyPackage)`.

use mls_webapi::webapi::{DomExceptionName, ObjectType};

use crate::support::{
    GARBAGE, NOW, client, fails_unchanged, foreign_key_package, group, key_package, origin,
    writes_nothing,
};

#[test]
fn a_proposal_is_cached_by_the_proposer_and_sent_as_a_public_message() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let p = g.views[0].propose_add(key_package(&o.mls, &carol)).unwrap();
    assert_eq!(p.kind, ObjectType::Proposal);
    assert_eq!(p.content[..4], [0, 1, 0, 1]);
    // §5.5: 418 + c bytes with a 32-byte group id.
    assert_eq!(p.content.len(), 418 + carol.credential.content.len());
    assert!(g.views[0].has_pending_proposals().unwrap());
    assert!(!g.views[0].has_pending_commit().unwrap());
}

#[test]
fn proposing_is_allowed_while_a_commit_is_pending() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let dave = client(&o.mls, "dave");
    g.views[0].add(key_package(&o.mls, &carol)).unwrap();
    g.views[0].propose_add(key_package(&o.mls, &dave)).unwrap();
    assert!(g.views[0].has_pending_commit().unwrap());
}

#[test]
fn proposing_the_same_key_package_twice_changes_nothing_the_second_time() {
    let o = origin(3);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let kp = key_package(&o.mls, &bob);
    let first = g.views[0].propose_add(&kp).unwrap();
    let second = writes_nothing(&o.mls, || g.views[0].propose_add(&kp));
    assert_eq!(first, second, "Ed25519 signatures are deterministic");
}

#[test]
fn bad_key_packages_and_missing_state_are_rejected() {
    let o = origin(4);
    let g = group(&o.mls, &["alice", "bob"]);
    let rows = [
        ("garbage", GARBAGE.to_vec(), DomExceptionName::DataError),
        (
            "another cipher suite",
            foreign_key_package(3, "eve", 0, u64::MAX),
            DomExceptionName::OperationError,
        ),
        (
            "expired",
            foreign_key_package(1, "eve", 0, NOW - 1),
            DomExceptionName::OperationError,
        ),
        (
            "a member's identity",
            key_package(&o.mls, g.client("bob")).content,
            DomExceptionName::OperationError,
        ),
    ];
    for (row, bytes, expected) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, expected, || g.views[0].propose_add(bytes.clone()));
    }
    g.views[0].delete_state().unwrap();
    let carol = client(&o.mls, "carol");
    let kp = key_package(&o.mls, &carol);
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].propose_add(&kp)
    });
}
