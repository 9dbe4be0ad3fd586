//! Spec §4.6: every row of the pending-state machine, as the triple (E, P, C) seen
//! through `details`, `hasPendingCommit` and `hasPendingProposals`.

use mls_webapi::webapi::{DomExceptionName, GroupView, REMOVED_EPOCH};

use crate::support::{client, epoch, fails_unchanged, group, key_package, origin, processed_epoch};

/// (E, P ≠ none, C ≠ empty) of a view.
fn triple(v: &GroupView) -> (u64, bool, bool) {
    (
        epoch(v),
        v.has_pending_commit().unwrap(),
        v.has_pending_proposals().unwrap(),
    )
}

#[test]
fn commits_need_no_pending_commit_and_leave_the_cache() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let a = &g.views[0];
    let dave = client(&o.mls, "dave");
    a.propose_remove(&g.clients[0].id).unwrap();
    assert_eq!(triple(a), (2, false, true));
    // add / remove / close with P = none: P set, E and C unchanged.
    a.add(key_package(&o.mls, &dave)).unwrap();
    assert_eq!(triple(a), (2, true, true));
    // … with P ≠ none: InvalidStateError.
    let dave_again = key_package(&o.mls, &dave);
    for call in [
        Box::new(|| a.close().map(|_| ())) as Box<dyn Fn() -> _>,
        Box::new(|| a.remove(&g.clients[1].id).map(|_| ())),
        Box::new(|| a.add(&dave_again).map(|_| ())),
    ] {
        fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, call);
    }
}

#[test]
fn proposing_is_allowed_with_or_without_a_pending_commit() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let a = &g.views[0];
    a.propose_remove(&g.clients[1].id).unwrap();
    assert_eq!(triple(a), (1, false, true));
    a.close().unwrap();
    a.propose_remove(&g.clients[0].id).unwrap();
    assert_eq!(triple(a), (1, true, true));
}

#[test]
fn receiving_a_proposal_auto_commits_only_without_a_pending_commit() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob"]);
    let p = g.views[1].propose_remove(&g.clients[1].id).unwrap();
    g.views[0].close().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].receive(&p)
    });
    assert_eq!(triple(&g.views[0]), (1, true, false));
    g.views[0].clear_pending_commit().unwrap();
    g.views[0].receive(&p).unwrap();
    assert_eq!(triple(&g.views[0]), (1, true, true));
}

#[test]
fn applying_our_commit_by_echo_or_by_call_enters_the_next_epoch_with_nothing_pending() {
    let o = origin(4);
    let g = group(&o.mls, &["alice", "bob"]);
    g.views[0].propose_remove(&g.clients[0].id).unwrap();
    let out = g.views[0].close().unwrap();
    assert_eq!(
        processed_epoch(&g.views[0].receive(&out.commit).unwrap()),
        2
    );
    assert_eq!(triple(&g.views[0]), (2, false, false));
    g.views[0].close().unwrap();
    g.views[0].apply_pending_commit().unwrap();
    assert_eq!(triple(&g.views[0]), (3, false, false));
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].apply_pending_commit()
    });
}

#[test]
fn a_commit_of_another_member_enters_the_next_epoch_or_removes_us() {
    let o = origin(5);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    g.views[1].propose_remove(&g.clients[1].id).unwrap();
    g.views[1].close().unwrap();
    let out = g.views[0].remove(&g.clients[2].id).unwrap();
    g.views[1].receive(&out.commit).unwrap();
    assert_eq!(triple(&g.views[1]), (3, false, false));
    let removed = g.views[2].receive(&out.commit).unwrap();
    assert_eq!(removed.group_epoch.unwrap(), REMOVED_EPOCH);
    assert!(
        o.mls
            .group_get(g.views[2].group_id(), &g.clients[2].id)
            .unwrap()
            .is_none()
    );
}

#[test]
fn clearing_touches_only_its_own_part_of_the_triple() {
    let o = origin(6);
    let g = group(&o.mls, &["alice", "bob"]);
    let a = &g.views[0];
    a.propose_remove(&g.clients[0].id).unwrap();
    a.close().unwrap();
    assert!(a.clear_pending_commit().unwrap());
    assert_eq!(triple(a), (1, false, true));
    a.close().unwrap();
    assert!(a.clear_pending_proposals().unwrap());
    assert_eq!(triple(a), (1, true, false));
}

#[test]
fn sending_needs_an_empty_cache_and_reads_ignore_the_pending_commit() {
    let o = origin(7);
    let g = group(&o.mls, &["alice", "bob"]);
    let a = &g.views[0];
    a.close().unwrap();
    let ct = a.send("during P").unwrap();
    assert_eq!(triple(a), (1, true, false));
    a.propose_remove(&g.clients[0].id).unwrap();
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || a.send("x"));
    assert_eq!(
        g.views[1].receive(&ct).unwrap().content.unwrap(),
        b"during P"
    );
    assert_eq!(a.details().unwrap().members.len(), 2);
    assert_eq!(a.export_secret("l", b"", 8).unwrap().group_epoch[0], 1);
    a.delete_state().unwrap();
    assert!(
        o.mls
            .group_get(a.group_id(), &g.clients[0].id)
            .unwrap()
            .is_none()
    );
}
