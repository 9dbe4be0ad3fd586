//! Spec §8.14 `hasPendingCommit()`.

use mls_webapi::webapi::DomExceptionName;

use crate::support::{fails_unchanged, group, origin, writes_nothing};

#[test]
fn a_commit_is_pending_from_its_creation_until_it_is_applied() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    assert!(!writes_nothing(&o.mls, || g.views[0].has_pending_commit()));
    let out = g.views[0].remove(&g.clients[1].id).unwrap();
    assert!(writes_nothing(&o.mls, || g.views[0].has_pending_commit()));
    g.views[0].receive(&out.commit).unwrap();
    assert!(!g.views[0].has_pending_commit().unwrap());
}

#[test]
fn without_state_it_is_not_found() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].has_pending_commit()
    });
}
