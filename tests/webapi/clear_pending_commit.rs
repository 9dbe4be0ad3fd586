//! Spec §8.15 `clearPendingCommit()`: discards P, keeps C.

use mls_webapi::webapi::DomExceptionName;

use crate::support::{epoch, fails_unchanged, group, origin, writes_nothing};

#[test]
fn clearing_discards_the_commit_and_keeps_the_proposals() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    g.views[0].propose_remove(&g.clients[0].id).unwrap();
    g.views[0].close().unwrap();
    assert!(g.views[0].clear_pending_commit().unwrap());
    assert!(!g.views[0].has_pending_commit().unwrap());
    assert!(g.views[0].has_pending_proposals().unwrap());
    assert_eq!(epoch(&g.views[0]), 1);
    // A new commit can be made.
    g.views[0].close().unwrap();
}

#[test]
fn clearing_nothing_resolves_false_and_writes_nothing() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    assert!(!writes_nothing(&o.mls, || g.views[0].clear_pending_commit()));
}

#[test]
fn without_state_it_is_not_found() {
    let o = origin(3);
    let g = group(&o.mls, &["alice"]);
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].clear_pending_commit()
    });
}
