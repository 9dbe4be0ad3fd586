//! Spec §7.8 `groupJoin(clientId, welcome)`.

use mls_webapi::codec::Codec;
use mls_webapi::messages::MlsMessage;
use mls_webapi::webapi::{DomExceptionName, MlsBytes, ObjectType};

use crate::support::{
    GARBAGE, NOW, client, epoch, fails_unchanged, group, key_package, origin, other_version,
    truncated, with_trailing_byte,
};

/// `welcome` re-encoded after `change` modified it.
fn modified(welcome: &[u8], change: impl FnOnce(&mut mls_webapi::messages::Welcome)) -> Vec<u8> {
    let MlsMessage::Welcome(mut w) = MlsMessage::from_bytes(welcome).unwrap() else {
        panic!("not a Welcome");
    };
    change(&mut w);
    MlsMessage::Welcome(w).to_bytes()
}

#[test]
fn a_welcome_joins_the_group_and_consumes_the_key_package() {
    let o = origin(1);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let out = g.views[0].add(key_package(&o.mls, &bob)).unwrap();
    g.views[0].receive(&out.commit).unwrap();
    let welcome = MlsBytes::new(ObjectType::Welcome, out.welcome.unwrap());
    let view = o.mls.group_join(&bob.id, &welcome).unwrap();
    assert_eq!(view.group_id(), g.views[0].group_id());
    assert_eq!(view.client_id(), bob.id.content);
    assert_eq!(epoch(&view), 1);
    assert_eq!(view.details().unwrap().members.len(), 2);
    // The key package is gone: the same Welcome finds nothing (a replay).
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        o.mls.group_join(&bob.id, &welcome)
    });
}

#[test]
fn malformed_and_unsupported_welcomes_are_rejected_before_any_state_is_read() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let kp = key_package(&o.mls, &bob);
    let out = g.views[0].add(&kp).unwrap();
    let welcome = out.welcome.unwrap();
    let unknown_id = vec![3u8; 32];
    let rows: Vec<(&str, Vec<u8>, Vec<u8>, DomExceptionName)> = vec![
        (
            "garbage",
            bob.id.content.clone(),
            GARBAGE.to_vec(),
            DomExceptionName::DataError,
        ),
        (
            "truncated",
            bob.id.content.clone(),
            truncated(&welcome),
            DomExceptionName::DataError,
        ),
        (
            "trailing byte",
            bob.id.content.clone(),
            with_trailing_byte(&welcome),
            DomExceptionName::DataError,
        ),
        (
            "a commit",
            bob.id.content.clone(),
            out.commit.clone(),
            DomExceptionName::DataError,
        ),
        (
            "a key package",
            bob.id.content.clone(),
            kp.content.clone(),
            DomExceptionName::DataError,
        ),
        (
            "version 2",
            bob.id.content.clone(),
            other_version(&welcome),
            DomExceptionName::NotSupportedError,
        ),
        (
            "suite 0x0003",
            bob.id.content.clone(),
            modified(&welcome, |w| w.cipher_suite.0 = 3),
            DomExceptionName::NotSupportedError,
        ),
        (
            "unknown identity",
            unknown_id.clone(),
            welcome.clone(),
            DomExceptionName::NotFoundError,
        ),
        // groupJoin.4 comes before groupJoin.6.
        (
            "both wrong",
            unknown_id,
            GARBAGE.to_vec(),
            DomExceptionName::DataError,
        ),
    ];
    for (row, id, bytes, expected) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, expected, || o.mls.group_join(id, bytes));
    }
    // Nothing was consumed: the real Welcome still works.
    o.mls.group_join(&bob.id, &welcome).unwrap();
}

#[test]
fn a_welcome_for_someone_else_is_not_found() {
    let o = origin(3);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let carol = client(&o.mls, "carol");
    key_package(&o.mls, &carol);
    let out = g.views[0].add(key_package(&o.mls, &bob)).unwrap();
    let welcome = out.welcome.unwrap();
    // Another identity of the same origin does not find Bob's key package (spec §10,
    // difference 10).
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        o.mls.group_join(&carol.id, &welcome)
    });
    // Nor does an origin that never had it.
    let other = origin(4);
    let bob_elsewhere = other.mls.generate_identity().unwrap();
    fails_unchanged(&other.mls, DomExceptionName::NotFoundError, || {
        other.mls.group_join(&bob_elsewhere, &welcome)
    });
}

#[test]
fn a_welcome_that_does_not_decrypt_is_an_operation_error_and_keeps_the_key_package() {
    let o = origin(5);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let out = g.views[0].add(key_package(&o.mls, &bob)).unwrap();
    let welcome = out.welcome.unwrap();
    let rows = [
        (
            "group secrets",
            modified(&welcome, |w| {
                w.secrets[0].encrypted_group_secrets.ciphertext[0] ^= 1
            }),
        ),
        (
            "group info",
            modified(&welcome, |w| w.encrypted_group_info[0] ^= 1),
        ),
    ];
    for (row, bytes) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
            o.mls.group_join(&bob.id, bytes)
        });
    }
    o.mls.group_join(&bob.id, &welcome).unwrap();
}

#[test]
fn joining_a_group_the_client_already_has_a_state_of_is_an_invalid_state() {
    let o = origin(6);
    let g = group(&o.mls, &["alice", "bob"]);
    let (alice, bob) = (&g.views[0], g.client("bob"));
    // Alice removes Bob; Bob never hears of it and keeps his state.
    let out = alice.remove(&bob.id).unwrap();
    alice.receive(&out.commit).unwrap();
    // Alice adds Bob again with a new key package.
    let out = alice.add(key_package(&o.mls, bob)).unwrap();
    let welcome = out.welcome.unwrap();
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        o.mls.group_join(&bob.id, &welcome)
    });
    // Once Bob forgets the old state, the Welcome works.
    g.views[1].delete_state().unwrap();
    o.mls.group_join(&bob.id, &welcome).unwrap();
}

#[test]
fn lifetimes_of_leaves_in_the_tree_and_of_our_key_package_are_not_checked_at_join() {
    let o = origin(7);
    // Alice's and Bob's leaves come from key packages: an add-only commit has no path.
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let carol_kp = key_package(&o.mls, &carol);
    // 100 days later every leaf of the tree, and Carol's key package, has expired.
    o.clock.set(NOW + 100 * 86_400);
    let dave = client(&o.mls, "dave");
    let out = g.views[0].add(key_package(&o.mls, &dave)).unwrap();
    o.mls.group_join(&dave.id, out.welcome.unwrap()).unwrap();
    // Carol's expired key package cannot be added any more (kp.5) …
    let e = g.views[1].propose_add(&carol_kp).unwrap_err();
    assert_eq!(e.name, DomExceptionName::OperationError);
    // … but if it was added in time, Carol joins late all the same.
    o.clock.set(NOW);
    let bob_view = &g.views[1];
    let out = bob_view.add(&carol_kp).unwrap();
    o.clock.set(NOW + 100 * 86_400);
    o.mls.group_join(&carol.id, out.welcome.unwrap()).unwrap();
}
