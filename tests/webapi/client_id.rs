//! Spec §8.2 `clientId`: the client id bytes given to `groupCreate`, `groupGet` or
//! `groupJoin`.

use crate::support::{group, origin};

#[test]
fn the_client_id_is_the_one_the_view_was_made_with() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    for (view, client) in g.views.iter().zip(&g.clients) {
        assert_eq!(view.client_id(), client.id.content);
    }
    let found = o
        .mls
        .group_get(g.views[0].group_id(), &g.clients[1].id)
        .unwrap()
        .unwrap();
    assert_eq!(found.client_id(), g.clients[1].id.content);
    g.views[1].delete_state().unwrap();
    assert_eq!(g.views[1].client_id(), g.clients[1].id.content);
}
