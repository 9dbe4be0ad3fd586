//! The rules of RFC 9420 §6 (and the sender rule of §12.1.8) that a message can break.

use crate::vocabulary::{ContentType, ProposalType, Sender, SenderType};

/// The rules of RFC 9420 §6 that input can break, one variant per rule.
///
/// Cryptographic failures (a membership tag, signature or AEAD tag that does not verify)
/// are [`crate::error::CryptoError`]s, and a malformed plaintext (including non-zero
/// padding, §6.3.1) is a [`crate::error::DecodeError`]; this enum holds the rules that
/// well-formed, authentic-looking input can still break. No variant carries secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FramingViolation {
    /// §6: "Applications MUST use PrivateMessage to encrypt application messages."
    /// Raised both when protecting and when unprotecting a PublicMessage.
    #[error("§6: an application message must be sent as a PrivateMessage")]
    ApplicationMessageNotEncrypted,

    /// The message names another group than the one processing it (§6: the
    /// `group_id` of a FramedContent or PrivateMessage is the group's).
    #[error("§6: the message belongs to another group")]
    GroupIdMismatch,

    /// The message was sent in another epoch than the group's current one, whose keys
    /// (§8, §9) and GroupContext (§6.1) it must be checked against.
    #[error("§6: the message is for epoch {message}, the group is at epoch {group}")]
    EpochMismatch {
        /// The message's epoch.
        message: u64,
        /// The group's current epoch.
        group: u64,
    },

    /// §6.1: an `external` or `new_member_proposal` sender MUST send a `proposal`, a
    /// `new_member_commit` sender MUST send a `commit`.
    #[error("§6.1: a {sender_type:?} sender cannot send {content_type:?} content")]
    ContentTypeNotAllowedForSender {
        /// The sender's type.
        sender_type: SenderType,
        /// The content type it sent.
        content_type: ContentType,
    },

    /// §6.1: a `new_member_proposal` sender's "`proposal_type` of the Proposal MUST be
    /// `add`".
    #[error("§6.1: a new_member_proposal sender can only propose add, not {proposal_type:?}")]
    NewMemberProposalNotAdd {
        /// The proposal type it sent.
        proposal_type: ProposalType,
    },

    /// §12.1.8: "Messages from `external` senders containing proposal types other than
    /// [add, remove, psk, reinit, group_context_extensions] MUST be rejected as
    /// malformed."
    #[error("§12.1.8: an external sender cannot propose {proposal_type:?}")]
    ProposalTypeNotAllowedForExternalSender {
        /// The proposal type it sent.
        proposal_type: ProposalType,
    },

    /// §6.1: FramedContentAuthData carries a `confirmation_tag` when the content is a
    /// commit.
    #[error("§6.1: a commit must carry a confirmation tag")]
    MissingConfirmationTag,

    /// §6.1: FramedContentAuthData carries a `confirmation_tag` only when the content is
    /// a commit.
    #[error("§6.1: {content_type:?} content carries no confirmation tag")]
    UnexpectedConfirmationTag {
        /// The content type, which is not commit.
        content_type: ContentType,
    },

    /// §6.2: a PublicMessage from a `member` carries a `membership_tag`.
    #[error("§6.2: a member's PublicMessage must carry a membership tag")]
    MissingMembershipTag,

    /// §6.2: only a PublicMessage from a `member` carries a `membership_tag`.
    #[error("§6.2: a PublicMessage from a {sender_type:?} sender carries no membership tag")]
    UnexpectedMembershipTag {
        /// The sender's type, which is not member.
        sender_type: SenderType,
    },

    /// §6.1: "Recipients of an MLSMessage MUST verify the signature with the key
    /// depending on the `sender_type` of the sender"; no such key is known.
    #[error("§6.1: no signature key is known for sender {sender:?}")]
    UnknownSender {
        /// The sender whose key is missing.
        sender: Sender,
    },

    /// §6.3.2: "When constructing a SenderData object from a Sender object, the sender
    /// MUST verify Sender.sender_type is `member`."
    #[error("§6.3.2: a PrivateMessage can only be sent by a member, not a {sender_type:?}")]
    PrivateMessageSenderNotMember {
        /// The sender's type, which is not member.
        sender_type: SenderType,
    },

    /// §6.3.2: the SenderData's `leaf_index` MUST identify a non-blank node; this one
    /// is not even inside the tree.
    #[error("§6.3.2: sender leaf {leaf} is outside the tree of {leaf_count} leaves")]
    SenderLeafOutOfRange {
        /// The leaf index the sender data names.
        leaf: u32,
        /// The number of leaves of the group's tree.
        leaf_count: u32,
    },

    /// §6.3.2: "the recipient MUST verify that the leaf index indicated in the
    /// `leaf_index` field identifies a non-blank node."
    #[error("§6.3.2: sender leaf {leaf} is blank")]
    SenderLeafBlank {
        /// The leaf index the sender data names.
        leaf: u32,
    },
}
