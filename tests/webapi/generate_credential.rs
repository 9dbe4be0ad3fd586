//! Spec §7.4 `generateCredential(credentialContent)`: the basic credential
//! `00 01 ‖ varint(|id|) ‖ id` (§5.4), a pure function of its input.

use mls_webapi::webapi::{DomExceptionName, Input, MlsBytes, ObjectType};

use crate::support::{fails_unchanged, origin, writes_nothing};

#[test]
fn the_credential_is_the_basic_encoding_of_the_content() {
    let o = origin(1);
    let rows: Vec<(&str, Input, Vec<u8>)> = vec![
        ("a string", "alice".into(), b"\x00\x01\x05alice".to_vec()),
        (
            "64 zero bytes",
            vec![0u8; 64].into(),
            [&[0, 1, 0x40, 0x40][..], &[0; 64]].concat(),
        ),
        (
            "16,384 bytes",
            vec![7u8; 16_384].into(),
            [&[0, 1, 0x80, 0x00, 0x40, 0x00][..], &[7; 16_384]].concat(),
        ),
        (
            "an object becomes \"[object Object]\"",
            MlsBytes::new(ObjectType::CredentialBasic, b"bob".to_vec()).into(),
            b"\x00\x01\x0f[object Object]".to_vec(),
        ),
    ];
    for (row, input, expected) in rows {
        let c = writes_nothing(&o.mls, || o.mls.generate_credential(input));
        assert_eq!(c.kind, ObjectType::CredentialBasic, "{row}");
        assert_eq!(c.content, expected, "{row}");
    }
}

#[test]
fn equal_inputs_give_equal_credentials() {
    let o = origin(2);
    let a = o.mls.generate_credential("alice").unwrap();
    let b = o.mls.generate_credential(b"alice").unwrap();
    assert_eq!(a, b);
}

#[test]
fn an_empty_content_is_a_type_error() {
    let o = origin(3);
    let rows: Vec<Input> = vec!["".into(), Vec::new().into()];
    for input in rows {
        fails_unchanged(&o.mls, DomExceptionName::TypeError, || {
            o.mls.generate_credential(input)
        });
    }
}
