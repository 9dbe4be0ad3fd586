//! Spec §8.9 `details()`: the current epoch and its members in leaf order.

use mls_webapi::webapi::{DomExceptionName, ObjectType};

use crate::support::{client, fails_unchanged, group, key_package, origin, writes_nothing};

#[test]
fn details_list_the_members_in_leaf_order_with_their_credentials() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let d = writes_nothing(&o.mls, || g.views[1].details());
    assert_eq!(d.kind, ObjectType::GroupInfo);
    assert_eq!(d.group_id, g.views[0].group_id());
    assert_eq!(d.group_epoch, [2, 0, 0, 0, 0, 0, 0, 0]);
    for (member, c) in d.members.iter().zip(&g.clients) {
        assert_eq!(member.client_id, c.id.content);
        assert_eq!(member.credential, c.credential.content);
    }
}

#[test]
fn a_pending_commit_is_not_reflected() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let before = g.views[0].details().unwrap();
    g.views[0].add(key_package(&o.mls, &bob)).unwrap();
    assert_eq!(g.views[0].details().unwrap(), before);
}

#[test]
fn details_without_state_are_not_found() {
    let o = origin(3);
    let g = group(&o.mls, &["alice"]);
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].details()
    });
}
