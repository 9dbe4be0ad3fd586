//! Spec §8.16 `applyPendingCommit()`: applies P without receiving it back.

use mls_webapi::webapi::{DomExceptionName, ObjectType};

use crate::support::{epoch, fails_unchanged, group, origin, processed_epoch};

#[test]
fn applying_moves_to_the_next_epoch_like_the_echo_would() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let out = g.views[0].remove(&g.clients[2].id).unwrap();
    let r = g.views[0].apply_pending_commit().unwrap();
    assert_eq!(r.kind, ObjectType::CommitProcessed);
    assert_eq!(processed_epoch(&r), 3);
    assert!(!g.views[0].has_pending_commit().unwrap());
    g.views[1].receive(&out.commit).unwrap();
    let a = g.views[0].export_secret("l", b"c", 32).unwrap();
    let b = g.views[1].export_secret("l", b"c", 32).unwrap();
    assert_eq!(a.secret, b.secret);
    // The echo, arriving after all, is of a past epoch now.
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].receive(&out.commit)
    });
}

#[test]
fn without_a_pending_commit_it_is_an_invalid_state() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].apply_pending_commit()
    });
    assert_eq!(epoch(&g.views[0]), 0);
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].apply_pending_commit()
    });
}
