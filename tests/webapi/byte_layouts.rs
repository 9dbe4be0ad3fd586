//! Spec §5.5 "Informative lengths": each figure the spec states is added up here from its
//! field sizes, term by term as the spec's table lists them, and compared with what the
//! API produces. A term miscounted in the spec (say, a signature of 65 bytes) makes the
//! sum differ from the stated figure; a wrong output makes it differ from the real bytes.

use crate::support::{client, group, key_package, origin};

/// `|varint(n)|`, the length of a vector's length prefix (RFC 9420 §2.1.2).
fn varint_len(n: usize) -> usize {
    match n {
        0..=63 => 1,
        64..=16_383 => 2,
        _ => 4,
    }
}

/// `opaque<V>` holding `n` bytes.
fn opaque(n: usize) -> usize {
    varint_len(n) + n
}

/// The `MLSMessage` header: version and wire_format.
const HEADER: usize = 2 + 2;
/// An Ed25519 `signature<V>`: 64 bytes behind a 2-byte length.
const SIGNATURE: usize = 66;
/// A 32-byte HPKE or signature public key as `opaque<V>`.
const KEY: usize = 33;
/// Our capabilities (§5.1): `02 00 01` `02 00 01` `00` `00` `02 00 01`.
const CAPABILITIES: usize = 3 + 3 + 1 + 1 + 3;
/// A 32-byte group id as `opaque<V>`.
const GROUP_ID: usize = 33;
/// `membership_tag`: a 32-byte HMAC-SHA-256 as `opaque<V>`.
const MEMBERSHIP_TAG: usize = 33;
/// The AEAD tag of AES-128-GCM.
const TAG: usize = 16;

/// The key package row: the output length for an encoded credential of `c` bytes.
fn key_package_len(c: usize) -> usize {
    HEADER
        + 2 // version
        + 2 // cipher_suite
        + KEY // init_key
        + KEY // leaf_node.encryption_key
        + KEY // leaf_node.signature_key
        + c // leaf_node.credential
        + CAPABILITIES // leaf_node.capabilities
        + 1 // leaf_node.leaf_node_source
        + 16 // leaf_node.lifetime
        + 1 // leaf_node.extensions
        + SIGNATURE // leaf_node.signature
        + 1 // extensions
        + SIGNATURE // signature
}

/// *H*: a member's `FramedContent` before its body.
fn framed_content_head() -> usize {
    GROUP_ID
        + 8 // epoch
        + 1 + 4 // sender: sender_type, leaf_index
        + opaque(0) // authenticated_data
        + 1 // content_type
}

/// The Remove proposal row.
fn remove_proposal_len() -> usize {
    HEADER
        + framed_content_head()
        + 2 // proposal_type
        + 4 // removed
        + SIGNATURE
        + MEMBERSHIP_TAG
}

/// The Add proposal row, for a key package whose credential is `c` bytes.
fn add_proposal_len(c: usize) -> usize {
    HEADER
        + framed_content_head()
        + 2 // proposal_type
        + (key_package_len(c) - HEADER) // the KeyPackage, without its MLSMessage header
        + SIGNATURE
        + MEMBERSHIP_TAG
}

/// §5.3: *p*, the padded `PrivateMessageContent` of an `n`-byte plaintext.
fn padded_content_len(n: usize) -> usize {
    let unpadded = opaque(n) + SIGNATURE;
    unpadded.div_ceil(32) * 32
}

/// The application ciphertext row, for an `n`-byte plaintext.
fn application_ciphertext_len(n: usize) -> usize {
    let p = padded_content_len(n);
    HEADER
        + GROUP_ID
        + 8 // epoch
        + 1 // content_type
        + opaque(0) // authenticated_data
        + opaque(4 + 4 + 4 + TAG) // encrypted_sender_data: leaf_index, generation, reuse_guard
        + opaque(p + TAG) // ciphertext
}

#[test]
fn an_encoded_ed25519_signature_is_66_bytes() {
    let o = origin(1);
    let alice = client(&o.mls, "alice");
    let kp = key_package(&o.mls, &alice).content;
    // The key package ends with its signature<V>: `40 40` then 64 bytes.
    let signature = &kp[kp.len() - SIGNATURE..];
    assert_eq!(signature[..2], [0x40, 0x40]);
    assert_eq!(opaque(64), SIGNATURE);
}

#[test]
fn a_key_package_is_269_plus_c_bytes() {
    assert_eq!(key_package_len(0), 269);
    assert_eq!(key_package_len(8), 277, "the spec's figure for \"alice\"");
    let o = origin(2);
    // Credentials of 8 bytes ("alice") and of 104 bytes (a 2-byte identity length).
    for name in ["alice".to_owned(), "a".repeat(100)] {
        let c = client(&o.mls, &name);
        let kp = key_package(&o.mls, &c);
        assert_eq!(
            kp.content.len(),
            key_package_len(c.credential.content.len())
        );
    }
}

#[test]
fn a_remove_proposal_is_157_bytes() {
    assert_eq!(framed_content_head(), 48);
    assert_eq!(remove_proposal_len(), 157);
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob"]);
    let p = g.views[0].propose_remove(&g.clients[1].id).unwrap();
    assert_eq!(p.content.len(), remove_proposal_len());
}

#[test]
fn an_add_proposal_is_418_plus_c_bytes() {
    assert_eq!(add_proposal_len(0), 418);
    let o = origin(4);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let p = g.views[0].propose_add(key_package(&o.mls, &carol)).unwrap();
    assert_eq!(
        p.content.len(),
        add_proposal_len(carol.credential.content.len())
    );
}

#[test]
fn an_application_ciphertext_is_94_plus_p_bytes() {
    for n in [0, 29, 30, 100, 1_000, 16_000] {
        assert_eq!(
            application_ciphertext_len(n),
            94 + padded_content_len(n),
            "{n} bytes"
        );
    }
    let o = origin(5);
    let g = group(&o.mls, &["alice", "bob"]);
    for n in (0..=200).chain([1_000, 16_000]) {
        let ct = g.views[0].send(vec![b'x'; n]).unwrap();
        assert_eq!(ct.content.len(), application_ciphertext_len(n), "{n} bytes");
    }
}

#[test]
fn a_190_byte_ciphertext_holds_0_to_29_bytes() {
    let sizes: Vec<usize> = (0..=100).map(application_ciphertext_len).collect();
    let holding_190: Vec<usize> = (0..=100).filter(|&n| sizes[n] == 190).collect();
    assert_eq!(holding_190, (0..=29).collect::<Vec<_>>());
    let holding_222: Vec<usize> = (0..=100).filter(|&n| sizes[n] == 222).collect();
    assert_eq!(holding_222, (30..=61).collect::<Vec<_>>());
}
