//! Spec §7.7 `groupGet(groupId, clientId)`: a view, or `None`; it never rejects except
//! for conversion or storage.

use crate::support::{client, error_name, group, origin, stored_origin, writes_nothing};

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

/// A stored group state does not hold the identity's signature private key (spec §4.4):
/// it takes it from the identity. With the identity's record gone (a damaged store), the
/// state cannot be read: an `UnknownError`, and nothing is deleted (spec §4.2).
#[test]
fn a_stored_group_whose_identity_is_gone_is_an_unknown_error_and_is_kept() {
    use mls_webapi::webapi::DomExceptionName::UnknownError;
    use mls_webapi::webapi::store::{RecordKind, Store, StoreError, group_record_id};

    let dir = std::env::temp_dir().join(format!(
        "mls-webapi-group-get-identity-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let o = stored_origin(&dir, 4);
    let alice = client(&o.mls, "alice");
    let view = o.mls.group_create(&alice.id, &alice.credential).unwrap();
    let gid = view.group_id();
    let origin = mls_webapi::webapi::Origin::parse("https://example.com").unwrap();
    let store = Store::open(&dir, &origin);
    store
        .transaction(|tx| tx.delete(RecordKind::Identity, &alice.id.content))
        .unwrap();

    let before = o.mls.state_snapshot().unwrap();
    assert_eq!(error_name(o.mls.group_get(&gid, &alice.id)), UnknownError);
    assert_eq!(error_name(view.details()), UnknownError);
    assert!(
        before == o.mls.state_snapshot().unwrap(),
        "the store changed"
    );
    let record_id = group_record_id(&alice.id.content, &gid).unwrap();
    let kept: Result<_, StoreError> = store.get(RecordKind::Group, &record_id);
    assert!(kept.unwrap().is_some(), "the group state was deleted");
    let _ = std::fs::remove_dir_all(&dir);
}
