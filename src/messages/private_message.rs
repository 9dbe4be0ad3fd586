//! Messages that are signed and encrypted (RFC 9420 §6.3).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::read_opaque;
use crate::messages::framed_content::ContentType;
use crate::messages::sender_data::{PrivateContentAad, SenderDataAad};

/// A signed and encrypted message (RFC 9420 §6.3).
///
/// ```text
/// struct {
///     opaque group_id<V>;
///     uint64 epoch;
///     ContentType content_type;
///     opaque authenticated_data<V>;
///     opaque encrypted_sender_data<V>;
///     opaque ciphertext<V>;
/// } PrivateMessage;
/// ```
///
/// The content type selects the body of the encrypted `PrivateMessageContent`, so an
/// unknown one is rejected when decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateMessage {
    /// The group.
    pub group_id: Vec<u8>,
    /// The epoch the message was sent in.
    pub epoch: u64,
    /// The type of the encrypted content.
    pub content_type: ContentType,
    /// Data authenticated but not encrypted.
    pub authenticated_data: Vec<u8>,
    /// The encrypted `SenderData`.
    pub encrypted_sender_data: Vec<u8>,
    /// The encrypted `PrivateMessageContent`.
    pub ciphertext: Vec<u8>,
}

impl PrivateMessage {
    /// The AAD of the sender data encryption (§6.3.2).
    pub fn sender_data_aad(&self) -> SenderDataAad {
        SenderDataAad {
            group_id: self.group_id.clone(),
            epoch: self.epoch,
            content_type: self.content_type,
        }
    }

    /// The AAD of the content encryption (§6.3.1).
    pub fn content_aad(&self) -> PrivateContentAad {
        PrivateContentAad {
            group_id: self.group_id.clone(),
            epoch: self.epoch,
            content_type: self.content_type,
            authenticated_data: self.authenticated_data.clone(),
        }
    }
}

impl Codec for PrivateMessage {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.group_id);
        self.epoch.encode(out);
        self.content_type.encode(out);
        write_opaque(out, &self.authenticated_data);
        write_opaque(out, &self.encrypted_sender_data);
        write_opaque(out, &self.ciphertext);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(PrivateMessage {
            group_id: read_opaque(r)?,
            epoch: r.u64()?,
            content_type: ContentType::decode(r)?.check_known("PrivateMessage.content_type")?,
            authenticated_data: read_opaque(r)?,
            encrypted_sender_data: read_opaque(r)?,
            ciphertext: read_opaque(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_message_round_trips() {
        let bytes = [1, b'g', 0, 0, 0, 0, 0, 0, 0, 9, 1, 0, 2, 1, 2, 1, 3];
        let m = PrivateMessage::from_bytes(&bytes).unwrap();
        assert_eq!(m.content_type, ContentType::APPLICATION);
        assert_eq!(m.to_bytes(), bytes);
    }

    #[test]
    fn a_private_message_of_unknown_content_type_is_rejected() {
        let bytes = [1, b'g', 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0];
        assert_eq!(
            PrivateMessage::from_bytes(&bytes),
            Err(DecodeError::InvalidValue {
                field: "PrivateMessage.content_type",
                value: 0
            })
        );
    }
}
