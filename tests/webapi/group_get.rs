//! Spec §7.7 `groupGet(groupId, clientId)`: a view, or `None`; it never rejects except
//! for conversion or storage.

use crate::support::{client, group, origin, writes_nothing};

#[test]
fn an_existing_state_gives_a_working_view() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let bob = g.client("bob");
    let view = writes_nothing(&o.mls, || o.mls.group_get(g.views[0].group_id(), &bob.id)).unwrap();
    assert_eq!(view.group_id(), g.views[0].group_id());
    assert_eq!(view.client_id(), bob.id.content);
    let ct = view.send("from a found view").unwrap();
    assert!(g.view("alice").receive(&ct).is_ok());
}

#[test]
fn no_state_gives_none() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let gid = g.views[0].group_id();
    let rows: Vec<(&str, Vec<u8>, Vec<u8>)> = vec![
        (
            "unknown group",
            vec![9; 32],
            g.clients[0].id.content.clone(),
        ),
        ("unknown client", gid.clone(), vec![9; 32]),
        (
            "a client that is not a member",
            gid.clone(),
            carol.id.content.clone(),
        ),
    ];
    for (row, gid, cid) in rows {
        let found = writes_nothing(&o.mls, || o.mls.group_get(gid, cid));
        assert!(found.is_none(), "{row}");
    }
    g.views[1].delete_state().unwrap();
    let found = o.mls.group_get(gid, &g.clients[1].id).unwrap();
    assert!(found.is_none(), "a deleted state");
}
