//! Spec §3.3: input conversion for every parameter of the table — a typed `MLSBytes` of
//! the wrong type, an empty input, a string where the union has none — and the inputs
//! that pass: a bare `Uint8Array` of any content, the two inputs allowed to be empty,
//! `any` parameters, strings for `send` and `exportSecret`'s label.

use mls_webapi::webapi::{DomExceptionName, Input, MlsBytes, ObjectType, WebApiResult};

use crate::support::{Group, Origin, fails_unchanged, group, key_package, origin};

/// A group of Alice and Bob, and a key package of Carol.
struct Fixture {
    o: Origin,
    g: Group,
    carol_kp: MlsBytes,
}

fn fixture() -> Fixture {
    let o = origin(10);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = crate::support::client(&o.mls, "carol");
    let carol_kp = key_package(&o.mls, &carol);
    Fixture { o, g, carol_kp }
}

/// One parameter: its name, the type it expects, and a call that passes `input` for it
/// (and valid values for the others).
struct Param {
    name: &'static str,
    expected: Option<ObjectType>,
    empty_allowed: bool,
    text_allowed: bool,
    call: fn(&Fixture, Input) -> WebApiResult<()>,
}

fn ok<T>(r: WebApiResult<T>) -> WebApiResult<()> {
    r.map(|_| ())
}

/// The parameters of the table of spec §3.3.
fn params() -> Vec<Param> {
    use ObjectType::*;
    vec![
        Param {
            name: "generateKeyPackage(clientId)",
            expected: Some(ClientIdentifier),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.generate_key_package(i, &f.g.clients[0].credential)),
        },
        Param {
            name: "generateKeyPackage(credential)",
            expected: Some(CredentialBasic),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.generate_key_package(&f.g.clients[0].id, i)),
        },
        Param {
            name: "groupCreate(clientId)",
            expected: Some(ClientIdentifier),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.group_create(i, &f.g.clients[0].credential)),
        },
        Param {
            name: "groupCreate(credential)",
            expected: Some(CredentialBasic),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.group_create(&f.g.clients[0].id, i)),
        },
        Param {
            name: "groupGet(groupId)",
            expected: Some(GroupIdentifier),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.group_get(i, &f.g.clients[0].id)),
        },
        Param {
            name: "groupGet(clientId)",
            expected: Some(ClientIdentifier),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.group_get(f.g.views[0].group_id(), i)),
        },
        Param {
            name: "groupJoin(clientId)",
            expected: Some(ClientIdentifier),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.group_join(i, crate::support::GARBAGE)),
        },
        Param {
            name: "groupJoin(welcome)",
            expected: Some(Welcome),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.group_join(&f.g.clients[0].id, i)),
        },
        Param {
            name: "getGroupIdFromMessage(message)",
            expected: None,
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.get_group_id_from_message(i)),
        },
        Param {
            name: "getGroupEpochFromMessage(message)",
            expected: None,
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.o.mls.get_group_epoch_from_message(i)),
        },
        Param {
            name: "add(keyPackage)",
            expected: Some(KeyPackage),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.g.views[0].add(i)),
        },
        Param {
            name: "proposeAdd(keyPackage)",
            expected: Some(KeyPackage),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.g.views[0].propose_add(i)),
        },
        Param {
            name: "remove(remClientId)",
            expected: Some(ClientIdentifier),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.g.views[0].remove(i)),
        },
        Param {
            name: "proposeRemove(remClientId)",
            expected: Some(ClientIdentifier),
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.g.views[0].propose_remove(i)),
        },
        Param {
            name: "send(message)",
            expected: Some(ApplicationMessagePlaintext),
            empty_allowed: true,
            text_allowed: true,
            call: |f, i| ok(f.g.views[0].send(i)),
        },
        Param {
            name: "receive(message)",
            expected: None,
            empty_allowed: false,
            text_allowed: false,
            call: |f, i| ok(f.g.views[0].receive(i)),
        },
        Param {
            name: "exportSecret(label)",
            expected: Some(ExporterLabel),
            empty_allowed: false,
            text_allowed: true,
            call: |f, i| ok(f.g.views[0].export_secret(i, b"", 32)),
        },
        Param {
            name: "exportSecret(context)",
            expected: Some(ExporterContext),
            empty_allowed: true,
            text_allowed: false,
            call: |f, i| ok(f.g.views[0].export_secret("label", i, 32)),
        },
    ]
}

/// A type other than `expected` (or any type, for `any` parameters).
fn other_type(expected: Option<ObjectType>) -> ObjectType {
    match expected {
        Some(ObjectType::GroupEpoch) => ObjectType::Proposal,
        _ => ObjectType::GroupEpoch,
    }
}

#[test]
fn mlsbytes_of_the_wrong_type_are_a_type_error_for_every_typed_parameter() {
    let f = fixture();
    for p in params().iter().filter(|p| p.expected.is_some()) {
        let wrong = MlsBytes::new(other_type(p.expected), f.carol_kp.content.clone());
        fails_unchanged(&f.o.mls, DomExceptionName::TypeError, || {
            (p.call)(&f, wrong.into())
        });
    }
}

#[test]
fn an_empty_input_is_a_type_error_except_for_the_plaintext_and_the_context() {
    let f = fixture();
    for p in params().iter().filter(|p| !p.empty_allowed) {
        fails_unchanged(&f.o.mls, DomExceptionName::TypeError, || {
            (p.call)(&f, Vec::new().into())
        });
        if let Some(kind) = p.expected {
            let empty = MlsBytes::new(kind, Vec::new());
            fails_unchanged(&f.o.mls, DomExceptionName::TypeError, || {
                (p.call)(&f, empty.into())
            });
        }
    }
    let allowed: Vec<&str> = params()
        .iter()
        .filter(|p| p.empty_allowed)
        .map(|p| p.name)
        .collect();
    assert_eq!(allowed, ["send(message)", "exportSecret(context)"]);
    for p in params().iter().filter(|p| p.empty_allowed) {
        (p.call)(&f, Vec::new().into()).unwrap_or_else(|e| panic!("{}: {e}", p.name));
    }
}

#[test]
fn a_string_is_a_type_error_where_the_union_has_no_string() {
    let f = fixture();
    for p in params().iter().filter(|p| !p.text_allowed) {
        fails_unchanged(&f.o.mls, DomExceptionName::TypeError, || {
            (p.call)(&f, "hello".into())
        });
    }
    for p in params().iter().filter(|p| p.text_allowed) {
        (p.call)(&f, "hello".into()).unwrap_or_else(|e| panic!("{}: {e}", p.name));
    }
}

#[test]
fn any_parameters_accept_mlsbytes_of_every_type() {
    let f = fixture();
    let message = f.g.views[0].send("hi").unwrap();
    for kind in ObjectType::ALL {
        let typed = MlsBytes::new(kind, message.content.clone());
        let id = f.o.mls.get_group_id_from_message(typed.clone()).unwrap();
        assert_eq!(id.content, f.g.views[0].group_id());
        f.o.mls.get_group_epoch_from_message(typed.clone()).unwrap();
    }
    let received = f.g.views[1]
        .receive(MlsBytes::new(ObjectType::CommitOutput, message.content))
        .unwrap();
    assert_eq!(received.content.as_deref(), Some(&b"hi"[..]));
}

#[test]
fn a_bare_array_is_never_type_checked() {
    let f = fixture();
    let kp = f.carol_kp.content.clone();
    let out = f.g.views[0].add(kp).unwrap();
    assert!(out.welcome.is_some());
}

#[test]
fn parameters_are_converted_left_to_right_and_the_first_failure_wins() {
    let f = fixture();
    let wrong_id = MlsBytes::new(ObjectType::GroupIdentifier, vec![1]);
    let e =
        f.o.mls
            .generate_key_package(wrong_id, Vec::new())
            .unwrap_err();
    assert!(e.message.contains("clientId"), "{e}");
    let e = f.g.views[0]
        .export_secret("label", MlsBytes::new(ObjectType::ExporterLabel, vec![]), 0)
        .unwrap_err();
    assert!(e.message.contains("context"), "{e}");
}

#[test]
fn a_string_label_and_plaintext_are_taken_as_utf8() {
    let f = fixture();
    let out = f.g.views[0].export_secret("läbel", b"", 8).unwrap();
    assert_eq!(out.label, "läbel".as_bytes());
    let ct = f.g.views[0].send("héllo").unwrap();
    let pt = f.g.views[1].receive(&ct).unwrap();
    assert_eq!(pt.content.unwrap(), "héllo".as_bytes());
}
