//! Spec §8.3 `MLSGroupView.deleteState()`: forgets this client's state of the group, and
//! nothing else.

use mls_webapi::webapi::DomExceptionName;

use crate::support::{client, error_name, group, key_package, origin, writes_nothing};

#[test]
fn deleting_removes_only_this_clients_state_of_this_group() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let other = o
        .mls
        .group_create(&g.clients[1].id, &g.clients[1].credential)
        .unwrap();
    let carol = client(&o.mls, "carol");
    let carol_kp = key_package(&o.mls, &carol);
    g.views[1].delete_state().unwrap();
    assert_eq!(
        error_name(g.views[1].details()),
        DomExceptionName::NotFoundError
    );
    // Alice's state of the group, Bob's other group, and key packages remain.
    assert_eq!(g.views[0].details().unwrap().members.len(), 2);
    assert!(other.details().is_ok());
    g.views[0].add(&carol_kp).unwrap();
}

#[test]
fn deleting_twice_resolves_and_writes_nothing_the_second_time() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    g.views[0].delete_state().unwrap();
    writes_nothing(&o.mls, || g.views[0].delete_state());
}
