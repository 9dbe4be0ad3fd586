//! A message's content with its authentication, as the protocol handles it
//! (RFC 9420 §6, §6.1).

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
use crate::messages::common::ProtocolVersion;
use crate::messages::framed_content::FramedContent;
use crate::messages::framed_content_auth_data::FramedContentAuthData;
use crate::messages::group_context::GroupContext;
use crate::messages::mls_message::WireFormat;
use crate::messages::sender::Sender;

/// A FramedContent, the wire format it is sent in, and its authentication
/// (RFC 9420 §6).
///
/// ```text
/// struct {
///     WireFormat wire_format;
///     FramedContent content;
///     FramedContentAuthData auth;
/// } AuthenticatedContent;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatedContent {
    /// The wire format the content is (or will be) sent in.
    pub wire_format: WireFormat,
    /// The content.
    pub content: FramedContent,
    /// Its signature and, for a commit, confirmation tag.
    pub auth: FramedContentAuthData,
}

impl Codec for AuthenticatedContent {
    fn encode(&self, out: &mut Vec<u8>) {
        self.wire_format.encode(out);
        self.content.encode(out);
        self.auth.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let wire_format = WireFormat::decode(r)?;
        let content = FramedContent::decode(r)?;
        let auth = FramedContentAuthData::decode_for(r, content.content_type())?;
        Ok(AuthenticatedContent {
            wire_format,
            content,
            auth,
        })
    }
}

/// The encoded `FramedContentTBS` that a message's signature covers (RFC 9420 §6.1).
/// `context` is the group context of the current epoch; it is included only for the
/// `member` and `new_member_commit` senders, and ignored for the others.
///
/// ```text
/// struct {
///     ProtocolVersion version = mls10;
///     WireFormat wire_format;
///     FramedContent content;
///     select (FramedContentTBS.content.sender.sender_type) {
///         case member:
///         case new_member_commit:
///             GroupContext context;
///         case external:
///         case new_member_proposal:
///             struct{};
///     };
/// } FramedContentTBS;
/// ```
pub fn framed_content_tbs(
    wire_format: WireFormat,
    content: &FramedContent,
    context: &GroupContext,
) -> Vec<u8> {
    let mut out = Vec::new();
    ProtocolVersion::MLS10.encode(&mut out);
    wire_format.encode(&mut out);
    content.encode(&mut out);
    match content.sender {
        Sender::Member(_) | Sender::NewMemberCommit => context.encode(&mut out),
        Sender::External(_) | Sender::NewMemberProposal => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AuthenticatedContent of a commit from member 1 in group "g", epoch 0, with
    /// an empty commit and signature `[0xaa]`, without the confirmation tag.
    const COMMIT_WITHOUT_TAG: [u8; 22] = [
        0, 1, // wire_format
        1, b'g', 0, 0, 0, 0, 0, 0, 0, 0, // group_id, epoch
        1, 0, 0, 0, 1, // sender
        0, // authenticated_data
        3, 0, 0, // content_type commit, empty proposals, no path
        1, // signature length ...
    ];

    #[test]
    fn a_commit_with_its_confirmation_tag_round_trips() {
        let mut bytes = COMMIT_WITHOUT_TAG.to_vec();
        bytes.extend_from_slice(&[0xaa, 2, 0xcc, 0xdd]);
        let ac = AuthenticatedContent::from_bytes(&bytes).unwrap();
        assert_eq!(ac.auth.confirmation_tag, Some(vec![0xcc, 0xdd]));
        assert_eq!(ac.to_bytes(), bytes);
    }

    #[test]
    fn a_commit_without_its_confirmation_tag_is_rejected() {
        let mut bytes = COMMIT_WITHOUT_TAG.to_vec();
        bytes.push(0xaa);
        assert!(matches!(
            AuthenticatedContent::from_bytes(&bytes),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn a_proposal_has_no_confirmation_tag() {
        // A Remove proposal from member 1, signature [0xaa], then a stray tag.
        let mut bytes = vec![0, 1, 1, b'g', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0];
        bytes.extend_from_slice(&[2, 0, 3, 0, 0, 0, 0, 1, 0xaa]);
        let ac = AuthenticatedContent::from_bytes(&bytes).unwrap();
        assert_eq!(ac.auth.confirmation_tag, None);
        bytes.extend_from_slice(&[1, 0xcc]);
        assert_eq!(
            AuthenticatedContent::from_bytes(&bytes),
            Err(DecodeError::TrailingBytes(2))
        );
    }
}
