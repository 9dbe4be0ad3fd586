//! Spec §7.9 `getGroupIdFromMessage(message)`: the group id a message claims, read
//! without keys or state.

use mls_webapi::webapi::{DomExceptionName, ObjectType};

use crate::support::{
    GARBAGE, client, fails_unchanged, group, key_package, origin, other_version, truncated,
    writes_nothing,
};

#[test]
fn public_and_private_messages_give_their_group_id() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let gid = g.views[0].group_id();
    let commit = g.views[0].close().unwrap().commit;
    g.views[0].clear_pending_commit().unwrap();
    let proposal = g.views[1]
        .propose_add(key_package(&o.mls, &carol))
        .unwrap()
        .content;
    g.views[1].clear_pending_proposals().unwrap();
    let ciphertext = g.views[0].send("hi").unwrap().content;
    // Another origin, without any state, reads them too.
    let fresh = origin(2);
    for (row, message) in [
        ("commit", commit),
        ("proposal", proposal),
        ("ciphertext", ciphertext),
    ] {
        let id = writes_nothing(&fresh.mls, || fresh.mls.get_group_id_from_message(message));
        assert_eq!(id.kind, ObjectType::GroupIdentifier, "{row}");
        assert_eq!(id.content, gid, "{row}");
    }
}

#[test]
fn welcomes_key_packages_and_malformed_bytes_are_rejected() {
    let o = origin(3);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let kp = key_package(&o.mls, &bob);
    let welcome = g.views[0].add(&kp).unwrap().welcome.unwrap();
    let commit = g.views[0].close();
    assert!(commit.is_err(), "a commit is pending");
    let ciphertext = g.views[0].send("x").unwrap().content;
    let rows = [
        ("welcome", welcome, DomExceptionName::NotSupportedError),
        (
            "key package",
            kp.content,
            DomExceptionName::NotSupportedError,
        ),
        ("garbage", GARBAGE.to_vec(), DomExceptionName::DataError),
        (
            "truncated",
            truncated(&ciphertext),
            DomExceptionName::DataError,
        ),
        (
            "version 2",
            other_version(&ciphertext),
            DomExceptionName::NotSupportedError,
        ),
    ];
    for (row, message, expected) in rows {
        println!("{row}");
        fails_unchanged(&o.mls, expected, || {
            o.mls.get_group_id_from_message(message)
        });
    }
}
