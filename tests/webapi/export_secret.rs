//! Spec §8.17 `exportSecret(label, context, length)`.

use mls_webapi::webapi::{DomExceptionName, MlsBytes, ObjectType, le64};

use crate::support::{deliver_commit, fails_unchanged, group, origin, writes_nothing};

#[test]
fn the_output_names_the_label_and_context_used_and_members_agree() {
    let o = origin(1);
    let g = group(&o.mls, &["alice", "bob"]);
    let context = MlsBytes::new(ObjectType::ExporterContext, b"ctx".to_vec());
    let a = writes_nothing(&o.mls, || {
        g.views[0].export_secret("label", context.clone(), 42)
    });
    assert_eq!(a.kind, ObjectType::ExporterOutput);
    assert_eq!(a.group_id, g.views[0].group_id());
    assert_eq!(a.group_epoch, le64(1));
    assert_eq!(a.label, b"label");
    assert_eq!(
        a.context, b"ctx",
        "the context, not the label (spec §10, difference 1)"
    );
    assert_eq!(a.secret.len(), 42);
    let b = g.views[1].export_secret(b"label", b"ctx", 42).unwrap();
    assert_eq!(a.secret, b.secret);
}

#[test]
fn the_secret_changes_with_every_epoch_and_ignores_a_pending_commit() {
    let o = origin(2);
    let g = group(&o.mls, &["alice", "bob"]);
    let before = g.views[0].export_secret("l", b"", 32).unwrap();
    let out = g.views[0].close().unwrap();
    let pending = g.views[0].export_secret("l", b"", 32).unwrap();
    assert_eq!(before, pending);
    deliver_commit(&g.views[..1], &out);
    let after = g.views[0].export_secret("l", b"", 32).unwrap();
    assert_ne!(before.secret, after.secret);
    assert_eq!(after.group_epoch, le64(2));
}

#[test]
fn lengths_of_zero_or_beyond_255_hashes_are_refused() {
    let o = origin(3);
    let g = group(&o.mls, &["alice"]);
    fails_unchanged(&o.mls, DomExceptionName::TypeError, || {
        g.views[0].export_secret("l", b"", 0)
    });
    assert_eq!(
        g.views[0]
            .export_secret("l", b"", 8160)
            .unwrap()
            .secret
            .len(),
        8160
    );
    for length in [8161, u64::MAX] {
        fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
            g.views[0].export_secret("l", b"", length)
        });
    }
}

#[test]
fn limits_are_checked_before_the_state_is_loaded() {
    let o = origin(4);
    let g = group(&o.mls, &["alice"]);
    g.views[0].delete_state().unwrap();
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[0].export_secret("l", b"", 9000)
    });
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        g.views[0].export_secret("l", b"", 32)
    });
}
