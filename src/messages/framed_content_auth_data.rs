//! The signature and confirmation tag that authenticate a FramedContent (RFC 9420 §6.1).

use crate::codec::{Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::read_opaque;
use crate::messages::framed_content::ContentType;

/// The authentication of a FramedContent (RFC 9420 §6.1).
///
/// ```text
/// opaque MAC<V>;
///
/// struct {
///     /* SignWithLabel(., "FramedContentTBS", FramedContentTBS) */
///     opaque signature<V>;
///     select (FramedContent.content_type) {
///         case commit:
///             /*
///               MAC(confirmation_key,
///                   GroupContext.confirmed_transcript_hash)
///             */
///             MAC confirmation_tag;
///         case application:
///         case proposal:
///             struct{};
///     };
/// } FramedContentAuthData;
/// ```
///
/// Its encoding depends on the content type of the content it authenticates, so it is
/// not a [`crate::codec::Codec`]: [`FramedContentAuthData::decode_for`] takes the
/// content type. `confirmation_tag` is `Some` exactly when the content is a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramedContentAuthData {
    /// `SignWithLabel(., "FramedContentTBS", FramedContentTBS)`.
    pub signature: Vec<u8>,
    /// For a commit, `MAC(confirmation_key, confirmed_transcript_hash)`; else `None`.
    pub confirmation_tag: Option<Vec<u8>>,
}

impl FramedContentAuthData {
    /// Appends the encoding. The confirmation tag is written when present, which is
    /// right as long as it is present exactly for commits.
    pub fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.signature);
        if let Some(tag) = &self.confirmation_tag {
            write_opaque(out, tag);
        }
    }

    /// Reads the authentication of content of type `content_type`.
    pub fn decode_for(r: &mut Reader<'_>, content_type: ContentType) -> Result<Self, DecodeError> {
        let signature = read_opaque(r)?;
        let confirmation_tag = match content_type {
            ContentType::COMMIT => Some(read_opaque(r)?),
            _ => None,
        };
        Ok(FramedContentAuthData {
            signature,
            confirmation_tag,
        })
    }
}
