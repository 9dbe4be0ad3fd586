//! Spec §7.1: an `MLS` object is a handle; making one neither reads nor creates storage,
//! and every handle of one origin sees the same state.

use mls_webapi::webapi::Mls;

use crate::support::{client, stored_origin};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mls-webapi-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn opening_an_origin_creates_nothing_on_disk() {
    let dir = temp_dir("constructor-nothing");
    let mls = Mls::open(&dir, "https://example.com");
    assert!(!dir.exists());
    // A reading call on a fresh origin creates nothing either (spec §9.1).
    assert!(mls.group_get(vec![1], vec![2]).unwrap().is_none());
    assert!(!dir.exists());
}

#[test]
fn an_in_memory_origin_starts_empty() {
    let empty = Mls::in_memory("https://example.com")
        .state_snapshot()
        .unwrap();
    assert!(empty.is_empty());
}

#[test]
fn two_objects_of_one_stored_origin_see_the_same_state() {
    let dir = temp_dir("constructor-shared");
    let first = stored_origin(&dir, 1);
    let alice = client(&first.mls, "alice");
    let view = first
        .mls
        .group_create(&alice.id, &alice.credential)
        .unwrap();
    let second = stored_origin(&dir, 2);
    let found = second.mls.group_get(view.group_id(), &alice.id).unwrap();
    assert!(found.is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn origins_share_nothing() {
    let dir = temp_dir("constructor-origins");
    let a = Mls::open(&dir, "https://a.example");
    let b = Mls::open(&dir, "https://b.example");
    let id = a.generate_identity().unwrap();
    let credential = a.generate_credential("alice").unwrap();
    a.generate_key_package(&id, &credential).unwrap();
    let e = b.generate_key_package(&id, &credential).unwrap_err();
    assert_eq!(e.name, mls_webapi::webapi::DomExceptionName::NotFoundError);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clones_of_an_object_are_the_same_object() {
    let mls = Mls::in_memory("https://example.com");
    let other = mls.clone();
    let id = mls.generate_identity().unwrap();
    let credential = other.generate_credential("alice").unwrap();
    other.generate_key_package(&id, &credential).unwrap();
}
