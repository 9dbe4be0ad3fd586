//! Spec §7.5 `generateKeyPackage(clientId, credential)`.

use mls_webapi::codec::Codec;
use mls_webapi::messages::{Credential, LeafNodeSource, MlsMessage};
use mls_webapi::webapi::{DomExceptionName, ObjectType};

use crate::support::{NOW, client, fails_unchanged, origin};

#[test]
fn a_key_package_has_the_layout_of_the_spec() {
    let o = origin(1);
    let alice = client(&o.mls, "alice");
    let kp = o
        .mls
        .generate_key_package(&alice.id, &alice.credential)
        .unwrap();
    assert_eq!(kp.kind, ObjectType::KeyPackage);
    // §5.5: 269 + c bytes (each 64-byte signature has a 2-byte length).
    assert_eq!(kp.content.len(), 269 + alice.credential.content.len());
    assert_eq!(kp.content[..8], [0, 1, 0, 5, 0, 1, 0, 1]);
    let MlsMessage::KeyPackage(parsed) = MlsMessage::from_bytes(&kp.content).unwrap() else {
        panic!("not a key package");
    };
    let leaf = &parsed.leaf_node;
    assert_ne!(parsed.init_key, leaf.encryption_key);
    assert_eq!(
        leaf.credential,
        Credential::Basic {
            identity: b"alice".to_vec()
        }
    );
    let LeafNodeSource::KeyPackage(lifetime) = &leaf.leaf_node_source else {
        panic!("not a key_package leaf");
    };
    assert_eq!(lifetime.not_before, NOW - 3_600);
    assert_eq!(lifetime.not_after, NOW + 7_257_600);
    assert_eq!(
        leaf.capabilities.to_bytes(),
        [2, 0, 1, 2, 0, 1, 0, 0, 2, 0, 1]
    );
    assert!(leaf.extensions.is_empty() && parsed.extensions.is_empty());
}

#[test]
fn every_call_gives_a_different_key_package() {
    let o = origin(2);
    let alice = client(&o.mls, "alice");
    let a = o
        .mls
        .generate_key_package(&alice.id, &alice.credential)
        .unwrap();
    let b = o
        .mls
        .generate_key_package(&alice.id, &alice.credential)
        .unwrap();
    assert_ne!(a, b);
}

#[test]
fn bad_credentials_and_unknown_identities_are_rejected_in_step_order() {
    let o = origin(3);
    let alice = client(&o.mls, "alice");
    let unknown = vec![7u8; 32];
    let rows: Vec<(&str, Vec<u8>, Vec<u8>, DomExceptionName)> = vec![
        (
            "one byte",
            alice.id.content.clone(),
            vec![0],
            DomExceptionName::DataError,
        ),
        (
            "reserved type 0",
            alice.id.content.clone(),
            vec![0, 0, 0],
            DomExceptionName::DataError,
        ),
        (
            "x509",
            alice.id.content.clone(),
            vec![0, 2, 0],
            DomExceptionName::NotSupportedError,
        ),
        (
            "unknown type",
            alice.id.content.clone(),
            vec![0xab, 0xcd],
            DomExceptionName::NotSupportedError,
        ),
        (
            "truncated",
            alice.id.content.clone(),
            vec![0, 1, 5, b'a'],
            DomExceptionName::DataError,
        ),
        (
            "trailing bytes",
            alice.id.content.clone(),
            vec![0, 1, 1, b'a', 0],
            DomExceptionName::DataError,
        ),
        (
            "unknown identity",
            unknown.clone(),
            alice.credential.content.clone(),
            DomExceptionName::NotFoundError,
        ),
        // generateKeyPackage.4 comes before generateKeyPackage.5.
        ("both wrong", unknown, vec![0], DomExceptionName::DataError),
    ];
    for (row, id, credential, expected) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, expected, || {
            o.mls.generate_key_package(id, credential)
        });
    }
}

#[test]
fn the_key_package_may_carry_another_credential_than_earlier_ones() {
    let o = origin(4);
    let alice = client(&o.mls, "alice");
    let other = o.mls.generate_credential("alice@work").unwrap();
    let kp = o.mls.generate_key_package(&alice.id, &other).unwrap();
    assert_eq!(kp.content.len(), 269 + other.content.len());
}
