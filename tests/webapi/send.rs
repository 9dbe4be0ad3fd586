//! Spec §8.10 `send(message)`.

use mls_webapi::webapi::{DomExceptionName, MlsBytes, ObjectType};

use crate::support::{client, fails_unchanged, group, key_package, origin};

#[test]
fn a_message_is_a_padded_private_message_that_members_read() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let ct = g.views[0].send("hello").unwrap();
    assert_eq!(ct.kind, ObjectType::ApplicationMessageCiphertext);
    assert_eq!(ct.content[..4], [0, 1, 0, 2]);
    // §5.5: 190 bytes for any plaintext of 0–29 bytes.
    assert_eq!(ct.content.len(), 190);
    let r = g.views[1].receive(&ct).unwrap();
    assert_eq!(r.kind, ObjectType::ApplicationMessagePlaintext);
    assert_eq!(r.content.unwrap(), b"hello");
}

#[test]
fn an_empty_message_and_typed_plaintext_are_sent() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let empty = g.views[0].send(Vec::new()).unwrap();
    assert_eq!(g.views[1].receive(&empty).unwrap().content.unwrap(), b"");
    let typed = MlsBytes::new(ObjectType::ApplicationMessagePlaintext, b"typed".to_vec());
    let ct = g.views[0].send(typed).unwrap();
    assert_eq!(g.views[1].receive(&ct).unwrap().content.unwrap(), b"typed");
}

#[test]
fn pending_proposals_block_sending_but_a_pending_commit_does_not() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let out = g.views[0].add(key_package(&o.mls, &carol)).unwrap();
    let during = g.views[0].send("during the commit").unwrap();
    g.views[1].propose_remove(&g.clients[1].id).unwrap();
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[1].send("x")
    });
    g.views[1].clear_pending_proposals().unwrap();
    // Bob reads Alice's message after applying her commit: a past epoch.
    g.views[1].receive(&out.commit).unwrap();
    assert_eq!(
        g.views[1].receive(&during).unwrap().content.unwrap(),
        b"during the commit"
    );
}

#[test]
fn sending_without_state_is_not_found() {
    let o = origin(4);
    let g = group(&o.mls, &["alice"]);
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].send("x")
    });
}
