//! Spec §8.6 `remove(remClientId)`.

use mls_webapi::codec::Codec;
use mls_webapi::messages::{Content, MlsMessage};
use mls_webapi::webapi::DomExceptionName;

use crate::support::{client, deliver_commit, fails_unchanged, group, key_package, origin};

#[test]
fn removing_commits_with_a_path_and_no_welcome() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let out = g.views[0].remove(&g.clients[1].id).unwrap();
    assert!(out.welcome.is_none());
    let MlsMessage::PublicMessage(m) = MlsMessage::from_bytes(&out.commit).unwrap() else {
        panic!("not a PublicMessage");
    };
    let Content::Commit(commit) = &m.content.content else {
        panic!("not a commit");
    };
    assert!(commit.path.is_some());
    deliver_commit(&[g.views[0].clone(), g.views[2].clone()], &out);
    let removed = g.views[1].receive(&out.commit).unwrap();
    assert_eq!(removed.group_epoch.unwrap(), [0xff; 8]);
    assert_eq!(g.views[0].details().unwrap().members.len(), 2);
}

#[test]
fn removing_ourselves_a_non_member_or_during_a_pending_commit_is_refused() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let stranger = client(&o.mls, "stranger");
    let rows = [
        (
            "ourselves",
            g.clients[0].id.content.clone(),
            DomExceptionName::InvalidStateError,
        ),
        (
            "a stranger",
            stranger.id.content.clone(),
            DomExceptionName::NotFoundError,
        ),
        ("random bytes", vec![5; 32], DomExceptionName::NotFoundError),
    ];
    for (row, id, expected) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, expected, || g.views[0].remove(id.clone()));
    }
    // remove.4 comes before remove.5.
    g.views[0].add(key_package(&o.mls, &stranger)).unwrap();
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].remove(&stranger.id)
    });
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].remove(&g.clients[1].id)
    });
}

#[test]
fn a_cached_removal_of_the_same_member_is_not_committed_twice() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob", "carol"]);
    let p = g.views[1].propose_remove(&g.clients[2].id).unwrap();
    g.views[0].receive(&p).unwrap();
    g.views[0].clear_pending_commit().unwrap();
    let out = g.views[0].remove(&g.clients[2].id).unwrap();
    g.views[0].receive(&out.commit).unwrap();
    // Bob processes the commit, which covers nothing twice.
    g.views[1].receive(&out.commit).unwrap();
    assert_eq!(g.views[1].details().unwrap().members.len(), 2);
}
