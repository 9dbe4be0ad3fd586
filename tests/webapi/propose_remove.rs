//! Spec §8.7 `proposeRemove(remClientId)`: also how a member leaves.

use mls_webapi::webapi::{DomExceptionName, ObjectType, REMOVED_EPOCH};

use crate::support::{client, fails_unchanged, group, origin, processed_epoch};

#[test]
fn a_member_leaves_by_proposing_its_own_removal() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let p = g.views[1].propose_remove(&g.clients[1].id).unwrap();
    assert_eq!(p.kind, ObjectType::Proposal);
    // §5.5: 157 bytes with a 32-byte group id (a 66-byte encoded signature).
    assert_eq!(p.content.len(), 157);
    assert!(g.views[1].has_pending_proposals().unwrap());
    let r = g.views[0].receive(&p).unwrap();
    let commit = r.commit_output.unwrap().commit;
    assert_eq!(processed_epoch(&g.views[0].receive(&commit).unwrap()), 2);
    let left = g.views[1].receive(&commit).unwrap();
    assert_eq!(left.group_epoch.unwrap(), REMOVED_EPOCH);
}

#[test]
fn a_non_member_or_a_missing_state_is_not_found() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let stranger = client(&o.mls, "stranger");
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].propose_remove(&stranger.id)
    });
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].propose_remove(&g.clients[1].id)
    });
}

#[test]
fn our_own_cached_removal_is_never_in_our_own_commit() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob"]);
    g.views[0].propose_remove(&g.clients[0].id).unwrap();
    let out = g.views[0].remove(&g.clients[1].id).unwrap();
    g.views[0].receive(&out.commit).unwrap();
    assert_eq!(g.views[0].details().unwrap().members.len(), 1);
}
