//! The shared decoding algorithms of spec §6.1 (*decode-message*) and §6.2
//! (*decode-credential*), and what can be read of a message without keys.

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
use crate::framing::FramedMessage;
use crate::messages::{Credential, CredentialType, MlsMessage, ProtocolVersion};

use super::error::{WebApiError, WebApiResult};

/// *decode-message(B)* (spec §6.1).
///
/// The body of a version other than mls10 has no defined layout, so **message.1** is
/// read as: *B* must decode as an `MLSMessage` whose version field may hold any value.
/// Bytes that do not are a `DataError` (so garbage is never mistaken for a future
/// version); a complete message of another version is a `NotSupportedError`
/// (**message.2**).
pub fn decode_message(b: &[u8]) -> WebApiResult<MlsMessage> {
    let malformed = |e: DecodeError| WebApiError::data(format!("not an MLSMessage: {e}"));
    let version = ProtocolVersion::decode(&mut Reader::new(b)).map_err(malformed)?;
    if version == ProtocolVersion::MLS10 {
        // spec: message.1, message.3
        return MlsMessage::from_bytes(b).map_err(malformed);
    }
    // spec: message.1 (with the version field read as mls10)
    let mut as_mls10 = b.to_vec();
    as_mls10[..2].copy_from_slice(&ProtocolVersion::MLS10.0.to_be_bytes());
    MlsMessage::from_bytes(&as_mls10).map_err(malformed)?;
    // spec: message.2
    Err(WebApiError::not_supported(format!(
        "protocol version 0x{:04x} is not mls10",
        version.0
    )))
}

/// *decode-credential(B)* (spec §6.2).
pub fn decode_credential(b: &[u8]) -> WebApiResult<Credential> {
    // spec: credential.1
    let [high, low, ..] = *b else {
        return Err(WebApiError::data("a credential needs at least two bytes"));
    };
    match CredentialType(u16::from_be_bytes([high, low])) {
        // spec: credential.2
        CredentialType(0) => Err(WebApiError::data("credential type 0 is reserved")),
        // spec: credential.4
        // spec: credential.5
        CredentialType::BASIC => Credential::from_bytes(b)
            .map_err(|e| WebApiError::data(format!("not a basic credential: {e}"))),
        // spec: credential.3
        other => Err(WebApiError::not_supported(format!(
            "credential type 0x{:04x} is not supported",
            other.0
        ))),
    }
}

/// The group id and epoch a message claims, unauthenticated (**getGroupIdFromMessage.4**
/// –**5**): those of a PublicMessage's FramedContent, a PrivateMessage, or a GroupInfo's
/// group context. A Welcome or KeyPackage carries neither: `NotSupportedError`.
pub fn claimed_group_and_epoch(message: &MlsMessage) -> WebApiResult<(&[u8], u64)> {
    if let Some(framed) = FramedMessage::of(message) {
        return Ok((framed.group_id(), framed.epoch()));
    }
    match message {
        MlsMessage::GroupInfo(info) => Ok((&info.group_context.group_id, info.group_context.epoch)),
        _ => Err(WebApiError::not_supported(
            "a Welcome or KeyPackage carries no group id or epoch in the clear",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webapi::DomExceptionName;

    fn name<T: core::fmt::Debug>(r: WebApiResult<T>) -> DomExceptionName {
        r.unwrap_err().name
    }

    #[test]
    fn another_protocol_version_is_not_supported_but_garbage_is_a_data_error() {
        // A complete (empty-bodied) GroupInfo-less message cannot be built by hand
        // here; a Welcome of suite 1 with no secrets and an empty group info can.
        let welcome = [0, 1, 0, 3, 0, 1, 0, 0];
        assert!(decode_message(&welcome).is_ok());
        let mut other = welcome;
        other[1] = 2;
        assert_eq!(
            name(decode_message(&other)),
            DomExceptionName::NotSupportedError
        );
        assert_eq!(
            name(decode_message(&[0, 2, 0, 1])),
            DomExceptionName::DataError
        );
        assert_eq!(
            name(decode_message(&[0xde, 0xad, 0xbe, 0xef])),
            DomExceptionName::DataError
        );
    }

    #[test]
    fn truncated_bytes_and_unknown_wire_formats_are_data_errors() {
        assert_eq!(name(decode_message(&[0])), DomExceptionName::DataError);
        assert_eq!(
            name(decode_message(&[0, 1, 0, 9])),
            DomExceptionName::DataError
        );
        assert_eq!(
            name(decode_message(&[0, 1, 0, 3])),
            DomExceptionName::DataError
        );
    }

    #[test]
    fn the_credential_rules_are_checked_in_order() {
        assert_eq!(name(decode_credential(&[0])), DomExceptionName::DataError);
        assert_eq!(
            name(decode_credential(&[0, 0, 0])),
            DomExceptionName::DataError
        );
        assert_eq!(
            name(decode_credential(&[0, 2, 0])),
            DomExceptionName::NotSupportedError
        );
        assert_eq!(
            name(decode_credential(&[0, 1, 2, 7])),
            DomExceptionName::DataError
        );
        assert_eq!(
            decode_credential(&[0, 1, 1, 7]),
            Ok(Credential::Basic { identity: vec![7] })
        );
    }
}
