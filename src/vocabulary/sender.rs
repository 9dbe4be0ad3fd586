//! Who sent a message (RFC 9420 §6): the sender types and the sender.

use crate::tree_math::LeafIndex;
use crate::wire_enum;

wire_enum! {
    /// The kind of a message's sender (RFC 9420 §6).
    ///
    /// ```text
    /// enum {
    ///     reserved(0),
    ///     member(1),
    ///     external(2),
    ///     new_member_proposal(3),
    ///     new_member_commit(4),
    ///     (255)
    /// } SenderType;
    /// ```
    pub struct SenderType(u8) {
        /// A member of the group.
        MEMBER = 1,
        /// One of the group's `external_senders`.
        EXTERNAL = 2,
        /// A client proposing to add itself.
        NEW_MEMBER_PROPOSAL = 3,
        /// A client joining by external commit.
        NEW_MEMBER_COMMIT = 4,
    }
}

/// The sender of a message (RFC 9420 §6).
///
/// ```text
/// struct {
///     SenderType sender_type;
///     select (Sender.sender_type) {
///         case member:
///             uint32 leaf_index;
///         case external:
///             uint32 sender_index;
///         case new_member_commit:
///         case new_member_proposal:
///             struct{};
///     };
/// } Sender;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// `member`, at this leaf.
    Member(LeafIndex),
    /// `external`, at this index of the `external_senders` extension.
    External(u32),
    /// `new_member_proposal`.
    NewMemberProposal,
    /// `new_member_commit`.
    NewMemberCommit,
}

impl Sender {
    /// The selector written on the wire.
    pub fn sender_type(&self) -> SenderType {
        match self {
            Sender::Member(_) => SenderType::MEMBER,
            Sender::External(_) => SenderType::EXTERNAL,
            Sender::NewMemberProposal => SenderType::NEW_MEMBER_PROPOSAL,
            Sender::NewMemberCommit => SenderType::NEW_MEMBER_COMMIT,
        }
    }
}
