//! Encoding and decoding a PublicMessage (RFC 9420 §6.2).
//!
//! ```text
//! struct {
//!     FramedContent content;
//!     FramedContentAuthData auth;
//!     select (PublicMessage.content.sender.sender_type) {
//!         case member:
//!             MAC membership_tag;
//!         case external:
//!         case new_member_commit:
//!         case new_member_proposal:
//!             struct{};
//!     };
//! } PublicMessage;
//!
//! struct {
//!   FramedContentTBS content_tbs;
//!   FramedContentAuthData auth;
//! } AuthenticatedContentTBM;
//!
//! membership_tag = MAC(membership_key, AuthenticatedContentTBM)
//! ```
//!
//! "When decoding a PublicMessage into an AuthenticatedContent, the application MUST
//! check `membership_tag` and MUST check that the FramedContentAuthData is valid." The
//! signature is checked here; the confirmation tag of a commit can only be checked once
//! the commit has been applied (§12.4.2), with
//! [`crate::transcript_hash::verify_confirmation_tag`].

use super::FramingViolation;
use super::content_authentication::{
    check_confirmation_tag_presence, check_content_rules, check_group_and_epoch,
    verify_content_signature,
};
use crate::crypto::{CipherSuite, Secret, SignaturePublicKey};
use crate::error::{Error, Result};
use crate::messages::{
    AuthenticatedContent, FramedContent, PublicMessage, Sender, WireFormat,
    group_context::GroupContext,
};

/// Encodes a signed AuthenticatedContent as a PublicMessage (§6.2). For a `member`
/// sender, `membership_key` is required and the membership tag is
/// `MAC(membership_key, AuthenticatedContentTBM)`; other senders have no tag.
///
/// `content` must have been signed for the PublicMessage wire format (see
/// [`super::sign_content`]) and, for a commit, carry its confirmation tag. An
/// application message is rejected (§6).
pub fn protect_public(
    suite: &CipherSuite,
    content: &AuthenticatedContent,
    context: &GroupContext,
    membership_key: Option<&Secret>,
) -> Result<PublicMessage> {
    if content.wire_format != WireFormat::MLS_PUBLIC_MESSAGE {
        return Err(Error::Misuse(
            "the content was signed for another wire format than PublicMessage",
        ));
    }
    check_content_rules(content.wire_format, &content.content)?;
    check_group_and_epoch(&content.content.group_id, content.content.epoch, context)?;
    check_confirmation_tag_presence(&content.content, &content.auth)?;
    let mut message = PublicMessage {
        content: content.content.clone(),
        auth: content.auth.clone(),
        membership_tag: None,
    };
    if let Sender::Member(_) = message.content.sender {
        let key = membership_key.ok_or(Error::Misuse(
            "a member's PublicMessage needs the membership key",
        ))?;
        message.membership_tag = Some(suite.mac(key.as_bytes(), &message.to_be_maced(context)));
    }
    Ok(message)
}

/// Decodes a PublicMessage into the AuthenticatedContent it carries (§6.2), checking,
/// in order:
///
/// 1. the group and epoch are those of `context`;
/// 2. the rules of [`super::check_content_rules`] (an application message is
///    rejected) and that a confirmation tag is present exactly for a commit;
/// 3. for a `member` sender, the membership tag, in constant time, under
///    `membership_key` (required for members);
/// 4. the signature, under the key `signature_key` returns for the content. It sees
///    the whole content, so it can find a member's leaf, an external sender's entry
///    or the LeafNode of a `new_member_commit`'s path; `None` means no key is known.
///
/// Nothing is changed by a failure: this function holds no state.
pub fn unprotect_public(
    suite: &CipherSuite,
    message: &PublicMessage,
    context: &GroupContext,
    membership_key: Option<&Secret>,
    signature_key: impl FnOnce(&FramedContent) -> Option<SignaturePublicKey>,
) -> Result<AuthenticatedContent> {
    let content = message.authenticated_content();
    check_group_and_epoch(&content.content.group_id, content.content.epoch, context)?;
    check_content_rules(content.wire_format, &content.content)?;
    check_confirmation_tag_presence(&content.content, &content.auth)?;
    verify_membership_tag(suite, message, context, membership_key)?;
    let sender = content.content.sender;
    let key = signature_key(&content.content).ok_or(FramingViolation::UnknownSender { sender })?;
    verify_content_signature(suite, &content, context, &key)?;
    Ok(content)
}

/// Checks that the membership tag is present exactly for a `member` sender and, if so,
/// that it is `MAC(membership_key, AuthenticatedContentTBM)`, in constant time.
fn verify_membership_tag(
    suite: &CipherSuite,
    message: &PublicMessage,
    context: &GroupContext,
    membership_key: Option<&Secret>,
) -> Result<()> {
    match (&message.content.sender, &message.membership_tag) {
        (Sender::Member(_), Some(tag)) => {
            let key = membership_key.ok_or(Error::Misuse(
                "a member's PublicMessage is checked with the membership key",
            ))?;
            suite.verify_mac(key.as_bytes(), &message.to_be_maced(context), tag)
        }
        (Sender::Member(_), None) => Err(FramingViolation::MissingMembershipTag.into()),
        (_, None) => Ok(()),
        (sender, Some(_)) => Err(FramingViolation::UnexpectedMembershipTag {
            sender_type: sender.sender_type(),
        }
        .into()),
    }
}
