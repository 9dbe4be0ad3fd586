//! The content of a handshake or application message with its framing (RFC 9420 §6).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::commit::Commit;
use crate::messages::common::read_opaque;
use crate::messages::proposal::Proposal;
use crate::messages::sender::Sender;

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::ContentType;

/// The body that a [`ContentType`] selects, shared by `FramedContent` and
/// `PrivateMessageContent` (RFC 9420 §6, §6.3.1):
///
/// ```text
///     select (FramedContent.content_type) {
///         case application:
///           opaque application_data<V>;
///         case proposal:
///           Proposal proposal;
///         case commit:
///           Commit commit;
///     };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// `application_data`.
    Application(Vec<u8>),
    /// `proposal`.
    Proposal(Proposal),
    /// `commit`.
    Commit(Commit),
}

impl Content {
    /// The content type that selects this body.
    pub fn content_type(&self) -> ContentType {
        match self {
            Content::Application(_) => ContentType::APPLICATION,
            Content::Proposal(_) => ContentType::PROPOSAL,
            Content::Commit(_) => ContentType::COMMIT,
        }
    }

    /// Writes the body alone, without its content type.
    pub fn encode_body(&self, out: &mut Vec<u8>) {
        match self {
            Content::Application(data) => write_opaque(out, data),
            Content::Proposal(p) => p.encode(out),
            Content::Commit(c) => c.encode(out),
        }
    }

    /// Reads the body that `content_type` selects; an unknown content type is an
    /// [`DecodeError::InvalidValue`] naming `field`.
    pub fn decode_body(
        r: &mut Reader<'_>,
        content_type: ContentType,
        field: &'static str,
    ) -> Result<Self, DecodeError> {
        Ok(match content_type.check_known(field)? {
            ContentType::APPLICATION => Content::Application(read_opaque(r)?),
            ContentType::PROPOSAL => Content::Proposal(Proposal::decode(r)?),
            _ => Content::Commit(Commit::decode(r)?),
        })
    }
}

/// A message's content with the group, epoch and sender it belongs to (RFC 9420 §6).
///
/// ```text
/// struct {
///     opaque group_id<V>;
///     uint64 epoch;
///     Sender sender;
///     opaque authenticated_data<V>;
///
///     ContentType content_type;
///     select (FramedContent.content_type) {
///         case application:
///           opaque application_data<V>;
///         case proposal:
///           Proposal proposal;
///         case commit:
///           Commit commit;
///     };
/// } FramedContent;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramedContent {
    /// The group.
    pub group_id: Vec<u8>,
    /// The epoch the message was sent in.
    pub epoch: u64,
    /// The sender.
    pub sender: Sender,
    /// Data authenticated but not encrypted.
    pub authenticated_data: Vec<u8>,
    /// The content, whose variant is the `content_type`.
    pub content: Content,
}

impl FramedContent {
    /// The content type.
    pub fn content_type(&self) -> ContentType {
        self.content.content_type()
    }
}

impl Codec for FramedContent {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.group_id);
        self.epoch.encode(out);
        self.sender.encode(out);
        write_opaque(out, &self.authenticated_data);
        self.content_type().encode(out);
        self.content.encode_body(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let group_id = read_opaque(r)?;
        let epoch = r.u64()?;
        let sender = Sender::decode(r)?;
        let authenticated_data = read_opaque(r)?;
        let content_type = ContentType::decode(r)?;
        let content = Content::decode_body(r, content_type, "FramedContent.content_type")?;
        Ok(FramedContent {
            group_id,
            epoch,
            sender,
            authenticated_data,
            content,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_application_message_round_trips() {
        let bytes = [
            1, b'g', 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 3, 0, 1, 2, 0xab, 0xcd,
        ];
        let c = FramedContent::from_bytes(&bytes).unwrap();
        assert_eq!(c.content, Content::Application(vec![0xab, 0xcd]));
        assert_eq!(c.to_bytes(), bytes);
    }

    #[test]
    fn an_unknown_content_type_is_rejected() {
        let bytes = [1, b'g', 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 3, 0, 4, 0];
        assert_eq!(
            FramedContent::from_bytes(&bytes),
            Err(DecodeError::InvalidValue {
                field: "FramedContent.content_type",
                value: 4
            })
        );
    }
}
