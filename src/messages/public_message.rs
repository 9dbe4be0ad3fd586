//! Messages that are signed but not encrypted (RFC 9420 §6.2).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::authenticated_content::{AuthenticatedContent, framed_content_tbs};
use crate::messages::common::read_opaque;
use crate::messages::framed_content::FramedContent;
use crate::messages::framed_content_auth_data::FramedContentAuthData;
use crate::messages::group_context::GroupContext;
use crate::messages::mls_message::WireFormat;
use crate::messages::sender::Sender;

/// A signed, unencrypted message; a member's also carries a membership tag
/// (RFC 9420 §6.2).
///
/// ```text
/// struct {
///     FramedContent content;
///     FramedContentAuthData auth;
///     select (PublicMessage.content.sender.sender_type) {
///         case member:
///             MAC membership_tag;
///         case external:
///         case new_member_commit:
///         case new_member_proposal:
///             struct{};
///     };
/// } PublicMessage;
/// ```
///
/// `membership_tag` is `Some` exactly when the sender is a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicMessage {
    /// The content.
    pub content: FramedContent,
    /// Its authentication.
    pub auth: FramedContentAuthData,
    /// `MAC(membership_key, AuthenticatedContentTBM)` for a member's message.
    pub membership_tag: Option<Vec<u8>>,
}

impl PublicMessage {
    /// The AuthenticatedContent this message carries (wire format
    /// `mls_public_message`).
    pub fn authenticated_content(&self) -> AuthenticatedContent {
        AuthenticatedContent {
            wire_format: WireFormat::MLS_PUBLIC_MESSAGE,
            content: self.content.clone(),
            auth: self.auth.clone(),
        }
    }

    /// The encoded `AuthenticatedContentTBM` that the membership tag covers
    /// (RFC 9420 §6.2), with `context` the group context of the current epoch.
    ///
    /// ```text
    /// struct {
    ///   FramedContentTBS content_tbs;
    ///   FramedContentAuthData auth;
    /// } AuthenticatedContentTBM;
    /// ```
    pub fn to_be_maced(&self, context: &GroupContext) -> Vec<u8> {
        let mut out = framed_content_tbs(WireFormat::MLS_PUBLIC_MESSAGE, &self.content, context);
        self.auth.encode(&mut out);
        out
    }
}

impl Codec for PublicMessage {
    fn encode(&self, out: &mut Vec<u8>) {
        self.content.encode(out);
        self.auth.encode(out);
        if let Some(tag) = &self.membership_tag {
            write_opaque(out, tag);
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let content = FramedContent::decode(r)?;
        let auth = FramedContentAuthData::decode_for(r, content.content_type())?;
        let membership_tag = match content.sender {
            Sender::Member(_) => Some(read_opaque(r)?),
            _ => None,
        };
        Ok(PublicMessage {
            content,
            auth,
            membership_tag,
        })
    }
}
