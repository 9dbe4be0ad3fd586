//! Spec §8.8 `close()`: commits the removal of every other member, ignoring the cache.

use mls_webapi::webapi::{DomExceptionName, REMOVED_EPOCH};

use crate::support::{client, epoch, fails_unchanged, group, key_package, origin};

#[test]
fn closing_removes_everyone_else() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let out = g.views[0].close().unwrap();
    assert!(out.welcome.is_none());
    for v in &g.views[1..] {
        assert_eq!(
            v.receive(&out.commit).unwrap().group_epoch.unwrap(),
            REMOVED_EPOCH
        );
    }
    g.views[0].receive(&out.commit).unwrap();
    assert_eq!(g.views[0].details().unwrap().members.len(), 1);
    assert_eq!(epoch(&g.views[0]), 3);
}

#[test]
fn closing_a_group_of_one_is_an_empty_commit() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    let out = g.views[0].close().unwrap();
    g.views[0].receive(&out.commit).unwrap();
    assert_eq!(epoch(&g.views[0]), 1);
}

#[test]
fn cached_adds_are_not_committed_by_close() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    g.views[0].propose_add(key_package(&o.mls, &carol)).unwrap();
    let out = g.views[0].close().unwrap();
    assert!(out.welcome.is_none());
    g.views[0].apply_pending_commit().unwrap();
    assert_eq!(g.views[0].details().unwrap().members.len(), 1);
}

#[test]
fn closing_during_a_pending_commit_or_without_state_is_refused() {
    let o = origin(4);
    let g = group(&o.mls, &["alice", "bob"]);
    g.views[0].close().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].close()
    });
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].close()
    });
}
