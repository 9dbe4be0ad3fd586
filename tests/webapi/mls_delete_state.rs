//! Spec §7.2 `MLS.deleteState()`: removes every identity, key package and group state of
//! the origin; idempotent; views stay objects but find no state.

use mls_webapi::webapi::DomExceptionName;

use crate::support::{error_name, group, key_package, only_origin_dir, origin, stored_origin};

#[test]
fn deleting_a_fresh_origin_twice_resolves() {
    let o = origin(1);
    o.mls.delete_state().unwrap();
    o.mls.delete_state().unwrap();
    assert!(o.mls.state_snapshot().unwrap().is_empty());
}

#[test]
fn after_deletion_nothing_of_the_origin_is_found() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let alice = g.client("alice").clone();
    o.mls.delete_state().unwrap();
    assert!(o.mls.state_snapshot().unwrap().is_empty());
    // spec: MLS.deleteState.2 (views stay usable as objects)
    assert_eq!(g.views[0].group_id().len(), 32);
    assert_eq!(
        error_name(g.views[0].details()),
        DomExceptionName::NotFoundError
    );
    assert_eq!(
        error_name(g.views[1].send("hi")),
        DomExceptionName::NotFoundError
    );
    assert!(
        o.mls
            .group_get(g.views[0].group_id(), &alice.id)
            .unwrap()
            .is_none()
    );
    let e = o.mls.generate_key_package(&alice.id, &alice.credential);
    assert_eq!(error_name(e), DomExceptionName::NotFoundError);
}

#[test]
fn deletion_consumes_unused_key_packages_too() {
    let o = origin(3);
    let g = group(&o.mls, &["alice"]);
    let bob = crate::support::client(&o.mls, "bob");
    let bob_kp = key_package(&o.mls, &bob);
    let out = g.views[0].add(&bob_kp).unwrap();
    o.mls.delete_state().unwrap();
    let bob_again = o.mls.generate_identity().unwrap();
    let e = o.mls.group_join(&bob_again, out.welcome.unwrap());
    assert_eq!(error_name(e), DomExceptionName::NotFoundError);
}

#[test]
fn deleting_a_stored_origin_removes_its_directory_contents() {
    let dir = std::env::temp_dir().join(format!("mls-webapi-delete-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = stored_origin(&dir, 4);
    group(&o.mls, &["alice"]);
    assert!(!o.mls.state_snapshot().unwrap().is_empty());
    o.mls.delete_state().unwrap();
    assert!(o.mls.state_snapshot().unwrap().is_empty());
    o.mls.delete_state().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn delete_state_removes_a_database_overwritten_with_garbage_and_the_origin_starts_empty() {
    let dir =
        std::env::temp_dir().join(format!("mls-webapi-delete-garbage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = stored_origin(&dir, 5);
    let g = group(&o.mls, &["alice"]);
    let alice = g.client("alice").clone();
    let origin_dir = only_origin_dir(&dir);
    let database = origin_dir.join("state.sqlite");
    let length = std::fs::metadata(&database).unwrap().len() as usize;
    std::fs::write(&database, vec![0xa5; length]).unwrap();
    // Every other call fails on the damaged file.
    assert_eq!(
        error_name(g.views[0].details()),
        DomExceptionName::UnknownError
    );
    assert_eq!(
        error_name(o.mls.generate_identity()),
        DomExceptionName::UnknownError
    );
    o.mls.delete_state().unwrap();
    assert!(!dir.join(&origin_dir).exists());
    assert!(o.mls.state_snapshot().unwrap().is_empty());
    assert!(
        o.mls
            .group_get(g.views[0].group_id(), &alice.id)
            .unwrap()
            .is_none()
    );
    o.mls.generate_identity().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
