//! Spec §8.12 `hasPendingProposals()`: whether C holds own or received proposals.

use mls_webapi::webapi::DomExceptionName;

use crate::support::{fails_unchanged, group, origin, writes_nothing};

#[test]
fn own_and_received_proposals_are_pending_until_a_commit() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    assert!(!writes_nothing(&o.mls, || g.views[0].has_pending_proposals()));
    let p = g.views[0].propose_remove(&g.clients[0].id).unwrap();
    assert!(writes_nothing(&o.mls, || g.views[0].has_pending_proposals()));
    let r = g.views[1].receive(&p).unwrap();
    assert!(g.views[1].has_pending_proposals().unwrap());
    g.views[1]
        .receive(&r.commit_output.unwrap().commit)
        .unwrap();
    assert!(!g.views[1].has_pending_proposals().unwrap());
}

#[test]
fn without_state_it_is_not_found() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].has_pending_proposals()
    });
}
