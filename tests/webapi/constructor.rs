//! Spec §7.1: an `MLS` object is a handle; making one neither reads nor creates storage,
//! every handle of one origin sees the same state, and the origin must be a serialized
//! origin, one storage key however it is written (§4.1).

use mls_webapi::webapi::{DomExceptionName, Mls};

use crate::support::{client, stored_origin};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mls-webapi-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn opening_an_origin_creates_nothing_on_disk() {
    let dir = temp_dir("constructor-nothing");
    let mls = Mls::open(&dir, "https://example.com").unwrap();
    assert!(!dir.exists());
    // A reading call on a fresh origin creates nothing either (spec §9.1).
    assert!(mls.group_get(vec![1], vec![2]).unwrap().is_none());
    assert!(!dir.exists());
}

#[test]
fn an_in_memory_origin_starts_empty() {
    let empty = Mls::in_memory("https://example.com")
        .unwrap()
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
    let a = Mls::open(&dir, "https://a.example").unwrap();
    let b = Mls::open(&dir, "https://b.example").unwrap();
    let id = a.generate_identity().unwrap();
    let credential = a.generate_credential("alice").unwrap();
    a.generate_key_package(&id, &credential).unwrap();
    let e = b.generate_key_package(&id, &credential).unwrap_err();
    assert_eq!(e.name, DomExceptionName::NotFoundError);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clones_of_an_object_are_the_same_object() {
    let mls = Mls::in_memory("https://example.com").unwrap();
    let other = mls.clone();
    let id = mls.generate_identity().unwrap();
    let credential = other.generate_credential("alice").unwrap();
    other.generate_key_package(&id, &credential).unwrap();
}

#[test]
fn the_forms_of_one_origin_open_one_storage_key() {
    let dir = temp_dir("constructor-forms");
    let plain = Mls::open(&dir, "https://chat.example").unwrap();
    let id = plain.generate_identity().unwrap();
    let credential = plain.generate_credential("alice").unwrap();
    for form in [
        "https://chat.example/",
        "https://CHAT.example",
        "HTTPS://chat.example:443/",
    ] {
        let other = Mls::open(&dir, form).unwrap();
        other.generate_key_package(&id, &credential).unwrap();
    }
    // One directory: one origin.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn another_scheme_or_port_is_another_storage_key() {
    let dir = temp_dir("constructor-ports");
    let id = Mls::open(&dir, "https://chat.example")
        .unwrap()
        .generate_identity()
        .unwrap();
    for other in ["http://chat.example", "https://chat.example:8443"] {
        let mls = Mls::open(&dir, other).unwrap();
        let credential = mls.generate_credential("alice").unwrap();
        let e = mls.generate_key_package(&id, &credential).unwrap_err();
        assert_eq!(e.name, DomExceptionName::NotFoundError, "{other}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_string_that_is_not_a_serialized_origin_is_a_type_error_and_creates_nothing() {
    let dir = temp_dir("constructor-refused");
    for text in [
        "",
        "null",
        "chat.example",
        "https://chat.example/app",
        "https://chat.example/?q=1",
        "https://chat.example/#f",
        "https://user:pass@chat.example",
        "file:///tmp",
        "blob:https://chat.example/0b7e0c3e",
        "custom://chat.example",
    ] {
        let e = Mls::open(&dir, text).unwrap_err();
        assert_eq!(e.name, DomExceptionName::TypeError, "{text:?}");
        let e = Mls::in_memory(text).unwrap_err();
        assert_eq!(e.name, DomExceptionName::TypeError, "{text:?}");
    }
    assert!(!dir.exists());
}
