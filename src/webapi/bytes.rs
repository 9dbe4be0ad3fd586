//! Typed bytes and input conversion (spec §3.3): the IDL's `MLSObjectType` and `MLSBytes`,
//! the values a page can pass for a union parameter, and *bytes(value, expected,
//! empty-allowed)*.
//!
//! JavaScript hands a union parameter over as an `MLSBytes` dictionary, a `Uint8Array`
//! or a string; [`Input`] is that value after WebIDL conversion. Each parameter says
//! which of the three its union has ([`Union`]); passing one it lacks is the WebIDL
//! `TypeError` a page would get.

use core::fmt;
use std::str::FromStr;

use super::error::{WebApiError, WebApiResult};

/// `enum MLSObjectType` of the IDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectType {
    /// `"group-epoch"`.
    GroupEpoch,
    /// `"group-identifier"`.
    GroupIdentifier,
    /// `"group-info"`.
    GroupInfo,
    /// `"client-identifier"`.
    ClientIdentifier,
    /// `"credential-basic"`.
    CredentialBasic,
    /// `"key-package"`.
    KeyPackage,
    /// `"proposal"`.
    Proposal,
    /// `"commit-output"`.
    CommitOutput,
    /// `"commit-processed"`.
    CommitProcessed,
    /// `"welcome"`.
    Welcome,
    /// `"exporter-output"`.
    ExporterOutput,
    /// `"exporter-label"`.
    ExporterLabel,
    /// `"exporter-context"`.
    ExporterContext,
    /// `"application-message-ciphertext"`.
    ApplicationMessageCiphertext,
    /// `"application-message-plaintext"`.
    ApplicationMessagePlaintext,
}

impl ObjectType {
    /// Every value, in the IDL's order.
    pub const ALL: [ObjectType; 15] = [
        ObjectType::GroupEpoch,
        ObjectType::GroupIdentifier,
        ObjectType::GroupInfo,
        ObjectType::ClientIdentifier,
        ObjectType::CredentialBasic,
        ObjectType::KeyPackage,
        ObjectType::Proposal,
        ObjectType::CommitOutput,
        ObjectType::CommitProcessed,
        ObjectType::Welcome,
        ObjectType::ExporterOutput,
        ObjectType::ExporterLabel,
        ObjectType::ExporterContext,
        ObjectType::ApplicationMessageCiphertext,
        ObjectType::ApplicationMessagePlaintext,
    ];

    /// The IDL string.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::GroupEpoch => "group-epoch",
            ObjectType::GroupIdentifier => "group-identifier",
            ObjectType::GroupInfo => "group-info",
            ObjectType::ClientIdentifier => "client-identifier",
            ObjectType::CredentialBasic => "credential-basic",
            ObjectType::KeyPackage => "key-package",
            ObjectType::Proposal => "proposal",
            ObjectType::CommitOutput => "commit-output",
            ObjectType::CommitProcessed => "commit-processed",
            ObjectType::Welcome => "welcome",
            ObjectType::ExporterOutput => "exporter-output",
            ObjectType::ExporterLabel => "exporter-label",
            ObjectType::ExporterContext => "exporter-context",
            ObjectType::ApplicationMessageCiphertext => "application-message-ciphertext",
            ObjectType::ApplicationMessagePlaintext => "application-message-plaintext",
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not an `MLSObjectType` value: the dictionary conversion of
/// `MLSBytes` fails with a `TypeError` (spec §3.3).
impl FromStr for ObjectType {
    type Err = WebApiError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ObjectType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| WebApiError::type_error(format!("{s:?} is not an MLSObjectType")))
    }
}

/// `dictionary MLSBytes { MLSObjectType type; Uint8Array content; }`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MlsBytes {
    /// `type`.
    pub kind: ObjectType,
    /// `content`.
    pub content: Vec<u8>,
}

impl MlsBytes {
    /// Bytes of type `kind`.
    pub fn new(kind: ObjectType, content: impl Into<Vec<u8>>) -> Self {
        MlsBytes {
            kind,
            content: content.into(),
        }
    }
}

/// Shows the type and length only: the content may be a secret or a plaintext.
impl fmt::Debug for MlsBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MlsBytes({}, {} bytes)", self.kind, self.content.len())
    }
}

/// A value passed for a union parameter, as WebIDL converted it: the `MLSBytes`
/// dictionary, a `Uint8Array`, or a string (already UTF-8).
#[derive(Clone, PartialEq, Eq)]
pub enum Input {
    /// An `MLSBytes` dictionary (a JavaScript object other than a `Uint8Array`).
    Bytes(MlsBytes),
    /// A `Uint8Array`; the bytes it views at the time of the call.
    Array(Vec<u8>),
    /// A string (`UTF8String`), as its UTF-8 encoding.
    Text(String),
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Bytes(b) => write!(f, "Input::Bytes({b:?})"),
            Input::Array(a) => write!(f, "Input::Array({} bytes)", a.len()),
            Input::Text(t) => write!(f, "Input::Text({} bytes)", t.len()),
        }
    }
}

impl From<MlsBytes> for Input {
    fn from(b: MlsBytes) -> Self {
        Input::Bytes(b)
    }
}

impl From<&MlsBytes> for Input {
    fn from(b: &MlsBytes) -> Self {
        Input::Bytes(b.clone())
    }
}

impl From<Vec<u8>> for Input {
    fn from(a: Vec<u8>) -> Self {
        Input::Array(a)
    }
}

impl From<&Vec<u8>> for Input {
    fn from(a: &Vec<u8>) -> Self {
        Input::Array(a.clone())
    }
}

impl From<&[u8]> for Input {
    fn from(a: &[u8]) -> Self {
        Input::Array(a.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Input {
    fn from(a: &[u8; N]) -> Self {
        Input::Array(a.to_vec())
    }
}

impl From<&str> for Input {
    fn from(t: &str) -> Self {
        Input::Text(t.to_owned())
    }
}

impl From<String> for Input {
    fn from(t: String) -> Self {
        Input::Text(t)
    }
}

/// The members of a parameter's union type (spec §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Union {
    /// `MLSBytesOrUint8Array`.
    BytesOrArray,
    /// `Uint8ArrayOrUTF8String` (the argument of `generateCredential`).
    ArrayOrText,
    /// `MLSBytesOrUint8ArrayOrUTF8String` (`send`, `exportSecret`'s label).
    BytesOrArrayOrText,
}

/// What a parameter accepts: its union, the `MLSBytes` type it expects (`None` for
/// *any*), and whether it may be empty.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The parameter's name, for error messages.
    pub name: &'static str,
    /// The union type.
    pub union: Union,
    /// The expected `MLSBytes` type; `None` for *any*.
    pub expected: Option<ObjectType>,
    /// Whether an empty input is allowed (**bytes.4**).
    pub empty_allowed: bool,
}

impl Param {
    /// A non-empty `MLSBytesOrUint8Array` parameter expecting `expected`.
    pub const fn typed(name: &'static str, expected: ObjectType) -> Self {
        Param {
            name,
            union: Union::BytesOrArray,
            expected: Some(expected),
            empty_allowed: false,
        }
    }

    /// A non-empty `MLSBytesOrUint8Array` parameter accepting any type.
    pub const fn any(name: &'static str) -> Self {
        Param {
            name,
            union: Union::BytesOrArray,
            expected: None,
            empty_allowed: false,
        }
    }
}

/// The string JavaScript makes of an object that is not a `Uint8Array` when the union
/// has a string member but no dictionary (spec §3.3: `generateCredential({})`).
const OBJECT_AS_STRING: &str = "[object Object]";

/// *bytes(value, expected, empty-allowed)* (spec §3.3, **bytes.1**–**bytes.5**), after
/// the WebIDL conversion that decides which union member `value` is.
pub fn bytes(value: Input, param: &Param) -> WebApiResult<Vec<u8>> {
    let b = match (value, param.union) {
        // WebIDL: a string for a union without a string member.
        (Input::Text(_), Union::BytesOrArray) => {
            return Err(WebApiError::type_error(format!(
                "{}: a string is not an MLSBytes or Uint8Array",
                param.name
            )));
        }
        // WebIDL: an object for a union without a dictionary member is stringified.
        (Input::Bytes(_), Union::ArrayOrText) => OBJECT_AS_STRING.as_bytes().to_vec(),
        // spec: bytes.1
        (Input::Bytes(b), _) => match param.expected {
            Some(expected) if b.kind != expected => {
                return Err(WebApiError::type_error(format!(
                    "{}: expected MLSBytes of type {expected:?}, got {:?}",
                    param.name,
                    b.kind.as_str()
                )));
            }
            _ => b.content,
        },
        // spec: bytes.2
        (Input::Array(a), _) => a,
        // spec: bytes.3
        (Input::Text(t), _) => t.into_bytes(),
    };
    // spec: bytes.4
    if b.is_empty() && !param.empty_allowed {
        return Err(WebApiError::type_error(format!(
            "{}: must not be empty",
            param.name
        )));
    }
    // spec: bytes.5
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webapi::error::DomExceptionName;

    const CLIENT: Param = Param::typed("clientId", ObjectType::ClientIdentifier);

    #[test]
    fn every_object_type_round_trips_through_its_string() {
        for t in ObjectType::ALL {
            assert_eq!(t.as_str().parse::<ObjectType>(), Ok(t));
        }
        let e = "client-id".parse::<ObjectType>().unwrap_err();
        assert_eq!(e.name, DomExceptionName::TypeError);
    }

    #[test]
    fn bytes_of_the_wrong_type_are_a_type_error() {
        let wrong = MlsBytes::new(ObjectType::GroupIdentifier, vec![1]);
        let e = bytes(wrong.into(), &CLIENT).unwrap_err();
        assert_eq!(e.name, DomExceptionName::TypeError);
    }

    #[test]
    fn a_bare_array_is_not_type_checked() {
        assert_eq!(bytes(vec![1, 2].into(), &CLIENT), Ok(vec![1, 2]));
    }

    #[test]
    fn an_object_given_for_a_credential_content_becomes_its_string() {
        let param = Param {
            name: "credentialContent",
            union: Union::ArrayOrText,
            expected: None,
            empty_allowed: false,
        };
        let object = MlsBytes::new(ObjectType::KeyPackage, vec![]);
        assert_eq!(
            bytes(object.into(), &param),
            Ok(b"[object Object]".to_vec())
        );
    }

    #[test]
    fn the_debug_form_shows_no_content() {
        let b = MlsBytes::new(ObjectType::ApplicationMessagePlaintext, b"secret".to_vec());
        assert!(!format!("{b:?}").contains("secret"));
    }
}
