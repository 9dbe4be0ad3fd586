//! Spec §8.1 `groupId`: a copy of the view's group id, readable without state.

use crate::support::{group, origin};

#[test]
fn the_group_id_is_a_copy_and_outlives_the_state() {
    let o = origin(1);
    let g = group(&o.mls, &["alice"]);
    let mut id = g.views[0].group_id();
    id[0] ^= 0xff;
    assert_ne!(
        g.views[0].group_id(),
        id,
        "changing the copy changes nothing"
    );
    g.views[0].delete_state().unwrap();
    assert_eq!(g.views[0].group_id().len(), 32);
}

#[test]
fn a_joined_group_has_the_creators_group_id() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    assert_eq!(g.views[0].group_id(), g.views[1].group_id());
}
