//! Runner for `messages.json`: a codec round trip of every wire struct (RFC 9420 §6,
//! §7, §10, §12).
//!
//! Every field is decoded as its struct and re-encoded, which must give the same bytes.
//! The MLSMessage-wrapped fields must also carry the expected wire format, and the three
//! PublicMessages the content type their name says. The contents are random (signatures
//! and MACs do not verify, and an application message is sent as a PublicMessage), so
//! nothing beyond syntax is checked.

use mls_webapi::codec::Codec;
use mls_webapi::error::DecodeError;
use mls_webapi::messages::{
    Add, Commit, ContentType, ExternalInit, GroupContextExtensions, GroupSecrets, MlsMessage,
    PreSharedKey, RatchetTreeNodes, ReInit, Remove, Update, WireFormat,
};

use crate::check::{CaseResult, bytes_eq, context, eq, fail};

/// Decodes a whole input as one struct and returns its re-encoding.
pub type RoundTrip = fn(&[u8]) -> Result<Vec<u8>, DecodeError>;

/// One field of a `messages.json` case.
#[derive(Clone, Copy)]
pub struct Field {
    /// The field's name in the JSON file.
    pub name: &'static str,
    /// The RFC struct it holds.
    pub rfc_struct: &'static str,
    /// For an MLSMessage-wrapped field, the wire format it must have.
    pub wire_format: Option<WireFormat>,
    /// For a PublicMessage, the content type it must have.
    pub content_type: Option<ContentType>,
    /// Decodes and re-encodes the field's struct.
    pub round_trip: RoundTrip,
}

fn via<T: Codec>(bytes: &[u8]) -> Result<Vec<u8>, DecodeError> {
    T::from_bytes(bytes).map(|value| value.to_bytes())
}

const fn field(name: &'static str, rfc_struct: &'static str, round_trip: RoundTrip) -> Field {
    Field {
        name,
        rfc_struct,
        wire_format: None,
        content_type: None,
        round_trip,
    }
}

const fn wrapped(name: &'static str, wire_format: WireFormat) -> Field {
    Field {
        name,
        rfc_struct: "MLSMessage",
        wire_format: Some(wire_format),
        content_type: None,
        round_trip: via::<MlsMessage>,
    }
}

const fn public(name: &'static str, content_type: ContentType) -> Field {
    Field {
        content_type: Some(content_type),
        ..wrapped(name, WireFormat::MLS_PUBLIC_MESSAGE)
    }
}

/// Every field of a case, in the order of the file.
pub const FIELDS: &[Field] = &[
    wrapped("mls_welcome", WireFormat::MLS_WELCOME),
    wrapped("mls_group_info", WireFormat::MLS_GROUP_INFO),
    wrapped("mls_key_package", WireFormat::MLS_KEY_PACKAGE),
    field(
        "ratchet_tree",
        "optional<Node> ratchet_tree<V>",
        via::<RatchetTreeNodes>,
    ),
    field("group_secrets", "GroupSecrets", via::<GroupSecrets>),
    field("add_proposal", "Add", via::<Add>),
    field("update_proposal", "Update", via::<Update>),
    field("remove_proposal", "Remove", via::<Remove>),
    field(
        "pre_shared_key_proposal",
        "PreSharedKey",
        via::<PreSharedKey>,
    ),
    field("re_init_proposal", "ReInit", via::<ReInit>),
    field(
        "external_init_proposal",
        "ExternalInit",
        via::<ExternalInit>,
    ),
    field(
        "group_context_extensions_proposal",
        "GroupContextExtensions",
        via::<GroupContextExtensions>,
    ),
    field("commit", "Commit", via::<Commit>),
    public("public_message_application", ContentType::APPLICATION),
    public("public_message_proposal", ContentType::PROPOSAL),
    public("public_message_commit", ContentType::COMMIT),
    wrapped("private_message", WireFormat::MLS_PRIVATE_MESSAGE),
];

/// The bytes of field `name` of a case.
pub fn field_bytes(case: &serde_json::Value, name: &str) -> Result<Vec<u8>, crate::Stop> {
    let Some(text) = case.get(name).and_then(serde_json::Value::as_str) else {
        return fail(format!("malformed test case: no hex string {name}"));
    };
    hex::decode(text).map_err(|e| crate::Stop::Fail(format!("malformed test case: {name}: {e}")))
}

/// Checks the wire format, and for a PublicMessage the content type, of a wrapped field.
fn check_wrapper(f: &Field, bytes: &[u8]) -> CaseResult {
    let Some(want) = f.wire_format else {
        return Ok(());
    };
    let message = context(MlsMessage::from_bytes(bytes), f.name)?;
    eq(
        &format!("{}.wire_format", f.name),
        message.wire_format(),
        want,
    )?;
    if let (Some(want), MlsMessage::PublicMessage(m)) = (f.content_type, &message) {
        eq(
            &format!("{}.content.content_type", f.name),
            m.content.content_type(),
            want,
        )?;
    }
    Ok(())
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    for f in FIELDS {
        let bytes = field_bytes(case, f.name)?;
        let what = format!("{} (as {})", f.name, f.rfc_struct);
        let encoded = context((f.round_trip)(&bytes), &what)?;
        bytes_eq(&format!("{what} re-encoded"), &encoded, &bytes)?;
        check_wrapper(f, &bytes)?;
    }
    Ok(())
}
