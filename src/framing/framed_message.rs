//! Telling which framed content an MLSMessage carries (RFC 9420 §6): a PublicMessage or
//! a PrivateMessage, as opposed to a Welcome, GroupInfo or KeyPackage.

use crate::messages::{ContentType, MlsMessage, PrivateMessage, PublicMessage, WireFormat};

/// An MLSMessage that carries a FramedContent: `mls_public_message` or
/// `mls_private_message` (§6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FramedMessage<'a> {
    /// Signed, with a membership tag for members (§6.2).
    Public(&'a PublicMessage),
    /// Signed and encrypted (§6.3).
    Private(&'a PrivateMessage),
}

impl<'a> FramedMessage<'a> {
    /// The framed message `message` carries, or `None` for a Welcome, GroupInfo or
    /// KeyPackage.
    pub fn of(message: &'a MlsMessage) -> Option<Self> {
        match message {
            MlsMessage::PublicMessage(m) => Some(FramedMessage::Public(m)),
            MlsMessage::PrivateMessage(m) => Some(FramedMessage::Private(m)),
            MlsMessage::Welcome(_) | MlsMessage::GroupInfo(_) | MlsMessage::KeyPackage(_) => None,
        }
    }

    /// The wire format.
    pub fn wire_format(&self) -> WireFormat {
        match self {
            FramedMessage::Public(_) => WireFormat::MLS_PUBLIC_MESSAGE,
            FramedMessage::Private(_) => WireFormat::MLS_PRIVATE_MESSAGE,
        }
    }

    /// The group the message is for, readable before any check.
    pub fn group_id(&self) -> &'a [u8] {
        match self {
            FramedMessage::Public(m) => &m.content.group_id,
            FramedMessage::Private(m) => &m.group_id,
        }
    }

    /// The epoch the message was sent in, readable before any check.
    pub fn epoch(&self) -> u64 {
        match self {
            FramedMessage::Public(m) => m.content.epoch,
            FramedMessage::Private(m) => m.epoch,
        }
    }

    /// The content type, readable before any check.
    pub fn content_type(&self) -> ContentType {
        match self {
            FramedMessage::Public(m) => m.content.content_type(),
            FramedMessage::Private(m) => m.content_type,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Codec;

    #[test]
    fn a_private_message_is_a_framed_message_and_a_welcome_is_not() {
        // A PrivateMessage of group "g", epoch 9, application content.
        let private = [
            0, 1, 0, 2, 1, b'g', 0, 0, 0, 0, 0, 0, 0, 9, 1, 0, 2, 1, 2, 1, 3,
        ];
        let m = MlsMessage::from_bytes(&private).unwrap();
        let framed = FramedMessage::of(&m).unwrap();
        assert_eq!(framed.wire_format(), WireFormat::MLS_PRIVATE_MESSAGE);
        assert_eq!(framed.group_id(), b"g");
        assert_eq!(framed.epoch(), 9);
        assert_eq!(framed.content_type(), ContentType::APPLICATION);

        let welcome = MlsMessage::from_bytes(&[0, 1, 0, 3, 0, 1, 0, 1, 0xee]).unwrap();
        assert_eq!(FramedMessage::of(&welcome), None);
    }
}
