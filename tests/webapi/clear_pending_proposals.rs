//! Spec §8.13 `clearPendingProposals()`: empties C, keeps P; resolves whether C held
//! anything.

use mls_webapi::webapi::DomExceptionName;

use crate::support::{epoch, fails_unchanged, group, origin, writes_nothing};

#[test]
fn clearing_empties_the_cache_and_lets_the_member_send_again() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    g.views[0].propose_remove(&g.clients[1].id).unwrap();
    assert!(g.views[0].send("x").is_err());
    assert!(g.views[0].clear_pending_proposals().unwrap());
    assert!(!g.views[0].has_pending_proposals().unwrap());
    let ct = g.views[0].send("after clearing").unwrap();
    assert_eq!(
        g.views[1].receive(&ct).unwrap().content.unwrap(),
        b"after clearing"
    );
    // Everything else of the state is kept: both still agree on the exporter.
    let a = g.views[0].export_secret("l", b"", 16).unwrap();
    let b = g.views[1].export_secret("l", b"", 16).unwrap();
    assert_eq!(a.secret, b.secret);
}

#[test]
fn clearing_an_empty_cache_resolves_false_and_writes_nothing() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    assert!(!writes_nothing(&o.mls, || g.views[0].clear_pending_proposals()));
}

#[test]
fn the_pending_commit_stays_applicable() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let p = g.views[1].propose_remove(&g.clients[2].id).unwrap();
    let out = g.views[0].receive(&p).unwrap().commit_output.unwrap();
    assert!(g.views[0].clear_pending_proposals().unwrap());
    assert!(g.views[0].has_pending_commit().unwrap());
    g.views[0].receive(&out.commit).unwrap();
    assert_eq!(epoch(&g.views[0]), 3);
    assert_eq!(g.views[0].details().unwrap().members.len(), 2);
}

#[test]
fn without_state_it_is_not_found() {
    let o = origin(4);
    let g = group(&o.mls, &["alice"]);
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].clear_pending_proposals()
    });
}
