//! Spec §7.3 `generateIdentity()`: a new Ed25519 identity; its client id is SHA-256 of
//! the public key (§5.4).

use mls_webapi::webapi::ObjectType;
use sha2::{Digest, Sha256};

use crate::support::origin;

#[test]
fn an_identity_is_a_32_byte_client_identifier() {
    let o = origin(1);
    let id = o.mls.generate_identity().unwrap();
    assert_eq!(id.kind, ObjectType::ClientIdentifier);
    assert_eq!(id.content.len(), 32);
}

#[test]
fn every_call_gives_a_new_identity_and_stores_it() {
    let o = origin(2);
    let before = o.mls.state_snapshot().unwrap();
    let first = o.mls.generate_identity().unwrap();
    let after_one = o.mls.state_snapshot().unwrap();
    assert!(before != after_one);
    let second = o.mls.generate_identity().unwrap();
    assert_ne!(first, second);
}

#[test]
fn the_client_id_is_the_sha256_of_the_signature_key_in_the_leaf() {
    let o = origin(3);
    let id = o.mls.generate_identity().unwrap();
    let credential = o.mls.generate_credential("alice").unwrap();
    let kp = o.mls.generate_key_package(&id, &credential).unwrap();
    // The signature key is the third 32-byte key of the key package (§5.5): after the
    // 4-byte header, version, suite and the init and encryption keys.
    let offset = 4 + 4 + 33 + 33 + 1;
    let signature_key = &kp.content[offset..offset + 32];
    assert_eq!(
        Sha256::digest(signature_key).as_slice(),
        id.content.as_slice()
    );
}
