//! Spec §7.10 `getGroupEpochFromMessage(message)`: the epoch a message claims, as
//! `LE64`, unauthenticated.

use mls_webapi::codec::Codec;
use mls_webapi::messages::MlsMessage;
use mls_webapi::webapi::{DomExceptionName, ObjectType, le64};

use crate::support::{
    GARBAGE, client, deliver_commit, fails_unchanged, group, key_package, origin, writes_nothing,
};

#[test]
fn messages_give_their_epoch_in_little_endian() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let out = g.views[0].close().unwrap();
    let e = writes_nothing(&o.mls, || o.mls.get_group_epoch_from_message(&out.commit));
    assert_eq!(e.kind, ObjectType::GroupEpoch);
    assert_eq!(e.content, [1, 0, 0, 0, 0, 0, 0, 0]);
    deliver_commit(&g.views[..1], &out);
    let ct = g.views[0].send("at epoch 2").unwrap();
    assert_eq!(
        o.mls.get_group_epoch_from_message(&ct).unwrap().content,
        le64(2)
    );
}

#[test]
fn the_claimed_epoch_is_returned_as_is_even_the_largest() {
    let o = origin(2);
    let g = group(&o.mls, &["alice"]);
    let ct = g.views[0].send("x").unwrap();
    let MlsMessage::PrivateMessage(mut m) = MlsMessage::from_bytes(&ct.content).unwrap() else {
        panic!("not a PrivateMessage");
    };
    m.epoch = u64::MAX;
    let forged = MlsMessage::PrivateMessage(m).to_bytes();
    let e = o.mls.get_group_epoch_from_message(forged).unwrap();
    assert_eq!(e.content, [0xff; 8]);
}

#[test]
fn welcomes_key_packages_and_malformed_bytes_are_rejected() {
    let o = origin(3);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let kp = key_package(&o.mls, &bob);
    let welcome = g.views[0].add(&kp).unwrap().welcome.unwrap();
    let rows = [
        ("welcome", welcome, DomExceptionName::NotSupportedError),
        (
            "key package",
            kp.content,
            DomExceptionName::NotSupportedError,
        ),
        ("garbage", GARBAGE.to_vec(), DomExceptionName::DataError),
    ];
    for (row, message, expected) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, expected, || {
            o.mls.get_group_epoch_from_message(message)
        });
    }
}
