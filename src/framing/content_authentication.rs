//! Content authentication (RFC 9420 §6.1): signing a FramedContent, verifying its
//! signature, and the rules that tie a sender type to what it may send.
//!
//! ```text
//! struct {
//!     ProtocolVersion version = mls10;
//!     WireFormat wire_format;
//!     FramedContent content;
//!     select (FramedContentTBS.content.sender.sender_type) {
//!         case member:
//!         case new_member_commit:
//!             GroupContext context;
//!         case external:
//!         case new_member_proposal:
//!             struct{};
//!     };
//! } FramedContentTBS;
//!
//! struct {
//!     /* SignWithLabel(., "FramedContentTBS", FramedContentTBS) */
//!     opaque signature<V>;
//!     select (FramedContent.content_type) {
//!         case commit:
//!             /* MAC(confirmation_key, GroupContext.confirmed_transcript_hash) */
//!             MAC confirmation_tag;
//!         case application:
//!         case proposal:
//!             struct{};
//!     };
//! } FramedContentAuthData;
//! ```
//!
//! Nothing here looks at a ratchet tree: the signer's key and the GroupContext are
//! parameters, so that a message can be checked from the keys alone (the
//! message-protection test vectors give no tree).

use super::FramingViolation;
use crate::crypto::{CipherSuite, SignaturePrivateKey, SignaturePublicKey};
use crate::error::{Error, Result};
use crate::messages::{
    AuthenticatedContent, Content, ContentType, FramedContent, FramedContentAuthData, ProposalType,
    Sender, SenderType, WireFormat, framed_content_tbs, group_context::GroupContext,
};

/// The label of the content signature (§6.1), without the `"MLS 1.0 "` prefix.
const LABEL: &[u8] = b"FramedContentTBS";

/// Signs `content` for sending in `wire_format` in the epoch of `context`:
/// `signature = SignWithLabel(signer, "FramedContentTBS", FramedContentTBS)` (§6.1).
///
/// The result has no confirmation tag yet. For a commit, the caller computes it from
/// the new epoch's confirmed transcript hash, which covers this signature (§8.2), and
/// sets `auth.confirmation_tag` before protecting the message.
///
/// Fails if the content breaks a rule of [`check_content_rules`] or does not belong to
/// the group and epoch of `context`.
pub fn sign_content(
    suite: &CipherSuite,
    wire_format: WireFormat,
    content: FramedContent,
    context: &GroupContext,
    signer: &SignaturePrivateKey,
) -> Result<AuthenticatedContent> {
    check_group_and_epoch(&content.group_id, content.epoch, context)?;
    check_content_rules(wire_format, &content)?;
    let tbs = framed_content_tbs(wire_format, &content, context);
    let signature = suite.sign_with_label(signer, LABEL, &tbs)?;
    Ok(AuthenticatedContent {
        wire_format,
        content,
        auth: FramedContentAuthData {
            signature,
            confirmation_tag: None,
        },
    })
}

/// Verifies the signature of `content` against `signature_key`:
/// `VerifyWithLabel(signature_key, "FramedContentTBS", FramedContentTBS, signature)`
/// (§6.1). The caller picks the key by sender type (§6.1): the member's leaf, the
/// `external_senders` entry, or the LeafNode of the KeyPackage or commit path.
pub fn verify_content_signature(
    suite: &CipherSuite,
    content: &AuthenticatedContent,
    context: &GroupContext,
    signature_key: &SignaturePublicKey,
) -> Result<()> {
    let tbs = framed_content_tbs(content.wire_format, &content.content, context);
    suite.verify_with_label(&signature_key.0, LABEL, &tbs, &content.auth.signature)
}

/// Checks that a message's `group_id` and `epoch` are those of `context`: its keys and
/// the GroupContext its signature covers are those of one group and epoch.
pub fn check_group_and_epoch(group_id: &[u8], epoch: u64, context: &GroupContext) -> Result<()> {
    if group_id != context.group_id.as_slice() {
        return Err(FramingViolation::GroupIdMismatch.into());
    }
    if epoch != context.epoch {
        return Err(FramingViolation::EpochMismatch {
            message: epoch,
            group: context.epoch,
        }
        .into());
    }
    Ok(())
}

/// Checks the rules that tie the sender and content type to the wire format:
///
/// - §6: application messages are sent as PrivateMessage only;
/// - §6.3.2: a PrivateMessage's sender is a `member`;
/// - §6.1: `external` and `new_member_proposal` senders send proposals, the latter
///   only `add`; `new_member_commit` senders send commits;
/// - §12.1.8: `external` senders propose only add, remove, psk, reinit and
///   group_context_extensions.
///
/// A wire format other than PublicMessage or PrivateMessage cannot carry a
/// FramedContent and is a [`Error::Misuse`].
pub fn check_content_rules(wire_format: WireFormat, content: &FramedContent) -> Result<()> {
    let sender_type = content.sender.sender_type();
    let content_type = content.content_type();
    match wire_format {
        WireFormat::MLS_PUBLIC_MESSAGE if content_type == ContentType::APPLICATION => {
            return Err(FramingViolation::ApplicationMessageNotEncrypted.into());
        }
        WireFormat::MLS_PUBLIC_MESSAGE => {}
        WireFormat::MLS_PRIVATE_MESSAGE if sender_type != SenderType::MEMBER => {
            return Err(FramingViolation::PrivateMessageSenderNotMember { sender_type }.into());
        }
        WireFormat::MLS_PRIVATE_MESSAGE => {}
        _ => {
            return Err(Error::Misuse(
                "only a PublicMessage or PrivateMessage carries a FramedContent",
            ));
        }
    }
    let not_allowed = FramingViolation::ContentTypeNotAllowedForSender {
        sender_type,
        content_type,
    };
    match (&content.sender, &content.content) {
        (Sender::Member(_), _) => Ok(()),
        (Sender::NewMemberCommit, Content::Commit(_)) => Ok(()),
        (Sender::NewMemberProposal, Content::Proposal(p)) => match p.proposal_type() {
            ProposalType::ADD => Ok(()),
            proposal_type => {
                Err(FramingViolation::NewMemberProposalNotAdd { proposal_type }.into())
            }
        },
        (Sender::External(_), Content::Proposal(p)) => match p.proposal_type() {
            ProposalType::ADD
            | ProposalType::REMOVE
            | ProposalType::PSK
            | ProposalType::REINIT
            | ProposalType::GROUP_CONTEXT_EXTENSIONS => Ok(()),
            proposal_type => {
                Err(
                    FramingViolation::ProposalTypeNotAllowedForExternalSender { proposal_type }
                        .into(),
                )
            }
        },
        _ => Err(not_allowed.into()),
    }
}

/// Checks that `auth` carries a confirmation tag exactly when `content` is a commit
/// (§6.1).
pub fn check_confirmation_tag_presence(
    content: &FramedContent,
    auth: &FramedContentAuthData,
) -> Result<()> {
    match (content.content_type(), &auth.confirmation_tag) {
        (ContentType::COMMIT, Some(_)) => Ok(()),
        (ContentType::COMMIT, None) => Err(FramingViolation::MissingConfirmationTag.into()),
        (_, None) => Ok(()),
        (content_type, Some(_)) => {
            Err(FramingViolation::UnexpectedConfirmationTag { content_type }.into())
        }
    }
}
