//! Spec §7.6 `groupCreate(clientId, credential)`.

use mls_webapi::webapi::{DomExceptionName, ObjectType};

use crate::support::{client, epoch, fails_unchanged, origin};

#[test]
fn a_new_group_has_its_creator_alone_at_epoch_zero() {
    let o = origin(1);
    let alice = client(&o.mls, "alice");
    let view = o.mls.group_create(&alice.id, &alice.credential).unwrap();
    assert_eq!(view.group_id().len(), 32);
    assert_eq!(view.client_id(), alice.id.content);
    let d = view.details().unwrap();
    assert_eq!(d.kind, ObjectType::GroupInfo);
    assert_eq!(epoch(&view), 0);
    assert_eq!(d.members.len(), 1);
    assert_eq!(d.members[0].client_id, alice.id.content);
    assert_eq!(d.members[0].credential, alice.credential.content);
    assert!(!view.has_pending_commit().unwrap());
    assert!(!view.has_pending_proposals().unwrap());
}

#[test]
fn two_groups_get_different_random_ids() {
    let o = origin(2);
    let alice = client(&o.mls, "alice");
    let a = o.mls.group_create(&alice.id, &alice.credential).unwrap();
    let b = o.mls.group_create(&alice.id, &alice.credential).unwrap();
    assert_ne!(a.group_id(), b.group_id());
}

#[test]
fn bad_credentials_and_unknown_identities_are_rejected() {
    let o = origin(3);
    let alice = client(&o.mls, "alice");
    let rows: Vec<(Vec<u8>, Vec<u8>, DomExceptionName)> = vec![
        (
            alice.id.content.clone(),
            vec![0, 1, 9],
            DomExceptionName::DataError,
        ),
        (
            alice.id.content.clone(),
            vec![0, 2, 0],
            DomExceptionName::NotSupportedError,
        ),
        (
            vec![1; 32],
            alice.credential.content.clone(),
            DomExceptionName::NotFoundError,
        ),
        (
            vec![1; 32],
            vec![0, 2, 0],
            DomExceptionName::NotSupportedError,
        ),
    ];
    for (id, credential, expected) in rows {
        fails_unchanged(&o.mls, expected, || o.mls.group_create(id, credential));
    }
}

#[test]
fn the_group_uses_the_credential_given_to_it() {
    let o = origin(4);
    let alice = client(&o.mls, "alice");
    let work = o.mls.generate_credential("alice@work").unwrap();
    let view = o.mls.group_create(&alice.id, &work).unwrap();
    assert_eq!(view.details().unwrap().members[0].credential, work.content);
}
