//! The plaintext of a PrivateMessage's ciphertext (RFC 9420 §6.3.1).

use crate::codec::Reader;
use crate::error::DecodeError;
use crate::messages::framed_content::{Content, ContentType};
use crate::messages::framed_content_auth_data::FramedContentAuthData;

/// The content, its authentication and zero padding, as encrypted in a PrivateMessage
/// (RFC 9420 §6.3.1).
///
/// ```text
/// struct {
///     select (PrivateMessage.content_type) {
///         case application:
///           opaque application_data<V>;
///
///         case proposal:
///           Proposal proposal;
///
///         case commit:
///           Commit commit;
///     };
///
///     FramedContentAuthData auth;
///     opaque padding[length_of_padding];
/// } PrivateMessageContent;
/// ```
///
/// The padding is every byte after `auth`; each must be zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateMessageContent {
    /// The content; its variant must match the PrivateMessage's `content_type`.
    pub content: Content,
    /// Its authentication.
    pub auth: FramedContentAuthData,
    /// The number of zero bytes of padding.
    pub padding_len: usize,
}

impl PrivateMessageContent {
    /// The plaintext to encrypt.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.content.encode_body(&mut out);
        self.auth.encode(&mut out);
        out.resize(out.len() + self.padding_len, 0);
        out
    }

    /// Reads a whole decrypted plaintext of a PrivateMessage of type `content_type`.
    /// Fails with [`DecodeError::InvalidValue`] on a padding byte that is not zero.
    pub fn from_bytes(plaintext: &[u8], content_type: ContentType) -> Result<Self, DecodeError> {
        let mut r = Reader::new(plaintext);
        let content = Content::decode_body(&mut r, content_type, "PrivateMessage.content_type")?;
        let auth = FramedContentAuthData::decode_for(&mut r, content_type)?;
        let padding = r.rest();
        if let Some(&byte) = padding.iter().find(|&&b| b != 0) {
            return Err(DecodeError::InvalidValue {
                field: "PrivateMessageContent.padding",
                value: byte.into(),
            });
        }
        Ok(PrivateMessageContent {
            content,
            auth,
            padding_len: padding.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_padding_round_trips() {
        // Application data [0xab], signature [0xcc], three bytes of padding.
        let bytes = [1, 0xab, 1, 0xcc, 0, 0, 0];
        let c = PrivateMessageContent::from_bytes(&bytes, ContentType::APPLICATION).unwrap();
        assert_eq!(c.padding_len, 3);
        assert_eq!(c.to_bytes(), bytes);
    }

    #[test]
    fn non_zero_padding_is_rejected() {
        assert_eq!(
            PrivateMessageContent::from_bytes(&[1, 0xab, 1, 0xcc, 0, 7], ContentType::APPLICATION),
            Err(DecodeError::InvalidValue {
                field: "PrivateMessageContent.padding",
                value: 7
            })
        );
    }

    #[test]
    fn an_encrypted_commit_needs_its_confirmation_tag() {
        // An empty commit and signature [0xcc], then padding instead of a tag: the zero
        // byte reads as an empty tag, so the tag must be checked by the MAC, not here.
        let ok =
            PrivateMessageContent::from_bytes(&[0, 0, 1, 0xcc, 0], ContentType::COMMIT).unwrap();
        assert_eq!(ok.auth.confirmation_tag, Some(Vec::new()));
        assert!(matches!(
            PrivateMessageContent::from_bytes(&[0, 0, 1, 0xcc], ContentType::COMMIT),
            Err(DecodeError::Truncated { .. })
        ));
    }
}
