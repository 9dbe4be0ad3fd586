//! The outermost message: one of the five wire formats (RFC 9420 §6).

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
use crate::messages::common::ProtocolVersion;
use crate::messages::group_info::GroupInfo;
use crate::messages::key_package::KeyPackage;
use crate::messages::private_message::PrivateMessage;
use crate::messages::public_message::PublicMessage;
use crate::messages::welcome::Welcome;
use crate::wire_enum;

wire_enum! {
    /// The format of an MLSMessage's body (RFC 9420 §6, §17.2).
    ///
    /// ```text
    /// // See the "MLS Wire Formats" IANA registry for values
    /// uint16 WireFormat;
    /// ```
    pub struct WireFormat(u16) {
        /// `mls_public_message`.
        MLS_PUBLIC_MESSAGE = 1,
        /// `mls_private_message`.
        MLS_PRIVATE_MESSAGE = 2,
        /// `mls_welcome`.
        MLS_WELCOME = 3,
        /// `mls_group_info`.
        MLS_GROUP_INFO = 4,
        /// `mls_key_package`.
        MLS_KEY_PACKAGE = 5,
    }
}

/// An MLS message of protocol version mls10 (RFC 9420 §6). The version is written as
/// mls10 and any other version is rejected when decoding, since the body of another
/// version cannot be read.
///
/// ```text
/// struct {
///     ProtocolVersion version = mls10;
///     WireFormat wire_format;
///     select (MLSMessage.wire_format) {
///         case mls_public_message:
///             PublicMessage public_message;
///         case mls_private_message:
///             PrivateMessage private_message;
///         case mls_welcome:
///             Welcome welcome;
///         case mls_group_info:
///             GroupInfo group_info;
///         case mls_key_package:
///             KeyPackage key_package;
///     };
/// } MLSMessage;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MlsMessage {
    /// `mls_public_message`.
    PublicMessage(PublicMessage),
    /// `mls_private_message`.
    PrivateMessage(PrivateMessage),
    /// `mls_welcome`.
    Welcome(Welcome),
    /// `mls_group_info`.
    GroupInfo(GroupInfo),
    /// `mls_key_package`.
    KeyPackage(KeyPackage),
}

impl MlsMessage {
    /// The wire format of the body.
    pub fn wire_format(&self) -> WireFormat {
        match self {
            MlsMessage::PublicMessage(_) => WireFormat::MLS_PUBLIC_MESSAGE,
            MlsMessage::PrivateMessage(_) => WireFormat::MLS_PRIVATE_MESSAGE,
            MlsMessage::Welcome(_) => WireFormat::MLS_WELCOME,
            MlsMessage::GroupInfo(_) => WireFormat::MLS_GROUP_INFO,
            MlsMessage::KeyPackage(_) => WireFormat::MLS_KEY_PACKAGE,
        }
    }
}

impl Codec for MlsMessage {
    fn encode(&self, out: &mut Vec<u8>) {
        ProtocolVersion::MLS10.encode(out);
        self.wire_format().encode(out);
        match self {
            MlsMessage::PublicMessage(m) => m.encode(out),
            MlsMessage::PrivateMessage(m) => m.encode(out),
            MlsMessage::Welcome(m) => m.encode(out),
            MlsMessage::GroupInfo(m) => m.encode(out),
            MlsMessage::KeyPackage(m) => m.encode(out),
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let version = ProtocolVersion::decode(r)?;
        if version != ProtocolVersion::MLS10 {
            return Err(DecodeError::InvalidValue {
                field: "MLSMessage.version",
                value: version.0.into(),
            });
        }
        Ok(match WireFormat::decode(r)? {
            WireFormat::MLS_PUBLIC_MESSAGE => MlsMessage::PublicMessage(PublicMessage::decode(r)?),
            WireFormat::MLS_PRIVATE_MESSAGE => {
                MlsMessage::PrivateMessage(PrivateMessage::decode(r)?)
            }
            WireFormat::MLS_WELCOME => MlsMessage::Welcome(Welcome::decode(r)?),
            WireFormat::MLS_GROUP_INFO => MlsMessage::GroupInfo(GroupInfo::decode(r)?),
            WireFormat::MLS_KEY_PACKAGE => MlsMessage::KeyPackage(KeyPackage::decode(r)?),
            other => {
                return Err(DecodeError::InvalidValue {
                    field: "MLSMessage.wire_format",
                    value: other.0.into(),
                });
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_wire_format_is_rejected() {
        assert_eq!(
            MlsMessage::from_bytes(&[0, 1, 0, 6, 0, 0]),
            Err(DecodeError::InvalidValue {
                field: "MLSMessage.wire_format",
                value: 6
            })
        );
    }

    #[test]
    fn a_version_other_than_mls10_is_rejected() {
        assert_eq!(
            MlsMessage::from_bytes(&[0, 2, 0, 3]),
            Err(DecodeError::InvalidValue {
                field: "MLSMessage.version",
                value: 2
            })
        );
    }

    #[test]
    fn a_wrapped_welcome_round_trips() {
        let bytes = [0, 1, 0, 3, 0, 1, 0, 1, 0xee];
        let m = MlsMessage::from_bytes(&bytes).unwrap();
        assert_eq!(m.wire_format(), WireFormat::MLS_WELCOME);
        assert_eq!(m.to_bytes(), bytes);
    }

    #[test]
    fn a_public_message_from_a_member_needs_its_membership_tag() {
        // An application message from member 0, signature [0xaa], no membership tag.
        let bytes = [
            0, 1, 0, 1, 1, b'g', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0xaa,
        ];
        assert!(matches!(
            MlsMessage::from_bytes(&bytes),
            Err(DecodeError::Truncated { .. })
        ));
        let with_tag = [&bytes[..], &[1, 0xbb]].concat();
        let m = MlsMessage::from_bytes(&with_tag).unwrap();
        assert_eq!(m.to_bytes(), with_tag);
    }
}
