//! Spec §7.3 `generateIdentity()`: a new Ed25519 identity; its client id is SHA-256 of
//! the public key (§5.4).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mls_webapi::clock::FixedClock;
use mls_webapi::crypto::{Random, RandomError, SeededRandom};
use mls_webapi::webapi::{DomExceptionName, Mls, ObjectType};
use sha2::{Digest, Sha256};

use crate::support::{NOW, fails_unchanged, origin};

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

/// A random source that fails once `failing` is set, as an operating system whose source
/// has become unavailable would.
struct Breakable {
    inner: SeededRandom,
    failing: Arc<AtomicBool>,
}

impl Random for Breakable {
    fn try_fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(RandomError);
        }
        self.inner.try_fill(dest)
    }
}

/// An in-memory origin whose random source breaks when the returned flag is set.
fn breakable_origin() -> (Mls, Arc<AtomicBool>) {
    let failing = Arc::new(AtomicBool::new(false));
    let rng = Breakable {
        inner: SeededRandom::new(4),
        failing: failing.clone(),
    };
    let mls = Mls::in_memory("https://example.com")
        .unwrap()
        .with_rng_and_clock(Box::new(rng), Box::new(FixedClock(NOW)));
    (mls, failing)
}

#[test]
fn a_failing_random_source_is_an_unknown_error_and_stores_nothing() {
    let (mls, failing) = breakable_origin();
    failing.store(true, Ordering::SeqCst);
    fails_unchanged(&mls, DomExceptionName::UnknownError, || {
        mls.generate_identity()
    });
    assert!(mls.state_snapshot().unwrap().is_empty());
}

#[test]
fn a_random_source_that_fails_in_group_create_or_generate_key_package_changes_nothing() {
    let (mls, failing) = breakable_origin();
    let id = mls.generate_identity().unwrap();
    let credential = mls.generate_credential("alice").unwrap();
    failing.store(true, Ordering::SeqCst);
    fails_unchanged(&mls, DomExceptionName::UnknownError, || {
        mls.group_create(&id, &credential)
    });
    fails_unchanged(&mls, DomExceptionName::UnknownError, || {
        mls.generate_key_package(&id, &credential)
    });
    failing.store(false, Ordering::SeqCst);
    assert!(mls.group_create(&id, &credential).is_ok());
}
