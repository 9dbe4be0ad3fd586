//! Spec §5: the fixed defaults and encodings — lifetime bounds, capabilities, padding
//! sizes, ids, epochs and credentials.

use mls_webapi::codec::Codec;
use mls_webapi::messages::{LeafNodeSource, MlsMessage};
use mls_webapi::webapi::{REMOVED_EPOCH, le64};

use crate::support::{NOW, client, group, key_package, origin};

#[test]
fn key_packages_live_from_an_hour_ago_to_84_days_ahead() {
    let o = origin(1);
    let alice = client(&o.mls, "alice");
    let kp = key_package(&o.mls, &alice);
    let MlsMessage::KeyPackage(kp) = MlsMessage::from_bytes(&kp.content).unwrap() else {
        panic!("not a key package");
    };
    let LeafNodeSource::KeyPackage(lifetime) = kp.leaf_node.leaf_node_source else {
        panic!("not a key_package leaf");
    };
    assert_eq!(
        (lifetime.not_before, lifetime.not_after),
        (NOW - 3_600, NOW + 7_257_600)
    );
    assert_eq!(lifetime.not_after - lifetime.not_before, 7_261_200);
}

#[test]
fn our_leaves_list_mls10_suite_1_and_basic_only() {
    let o = origin(2);
    let alice = client(&o.mls, "alice");
    let kp = key_package(&o.mls, &alice).content;
    let MlsMessage::KeyPackage(kp) = MlsMessage::from_bytes(&kp).unwrap() else {
        panic!("not a key package");
    };
    assert_eq!(
        kp.leaf_node.capabilities.to_bytes(),
        [
            0x02, 0x00, 0x01, 0x02, 0x00, 0x01, 0x00, 0x00, 0x02, 0x00, 0x01
        ]
    );
}

#[test]
fn application_messages_are_padded_to_32_byte_buckets() {
    let o = origin(3);
    let g = group(&o.mls, &["alice", "bob"]);
    // §5.3: p = 32·⌈(|varint(n)| + n + 66) / 32⌉, and §5.5: the ciphertext is 94 + p bytes
    // (while the ciphertext's own length prefix is 2 bytes).
    let size = |n: usize| g.views[0].send(vec![b'x'; n]).unwrap().content.len();
    for n in 0..=29 {
        assert_eq!(size(n), 190, "{n} bytes");
    }
    assert_eq!(size(30), 222);
    assert_eq!(size(61), 222);
    assert_eq!(size(62), 254);
}

#[test]
fn ids_epochs_and_credentials_have_the_spec_encodings() {
    let o = origin(4);
    let g = group(&o.mls, &["alice", "bob"]);
    assert_eq!(g.views[0].group_id().len(), 32);
    assert_eq!(g.clients[0].id.content.len(), 32);
    assert_eq!(le64(1), [1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(REMOVED_EPOCH, [0xff; 8]);
    assert_eq!(g.clients[0].credential.content, b"\x00\x01\x05alice");
    let d = g.views[1].details().unwrap();
    assert_eq!(d.group_epoch, le64(1));
}

#[test]
fn handshakes_are_public_messages_and_welcomes_carry_the_tree() {
    let o = origin(5);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let out = g.views[0].add(key_package(&o.mls, &bob)).unwrap();
    assert_eq!(out.commit[2..4], [0, 1]);
    // Bob joins from the Welcome alone: the tree is inside it.
    o.mls.group_join(&bob.id, out.welcome.unwrap()).unwrap();
}
