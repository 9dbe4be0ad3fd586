//! Who sent a message (RFC 9420 §6).

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
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

impl Codec for Sender {
    fn encode(&self, out: &mut Vec<u8>) {
        self.sender_type().encode(out);
        match self {
            Sender::Member(leaf) => leaf.encode(out),
            Sender::External(index) => index.encode(out),
            Sender::NewMemberProposal | Sender::NewMemberCommit => {}
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match SenderType::decode(r)? {
            SenderType::MEMBER => Ok(Sender::Member(LeafIndex::decode(r)?)),
            SenderType::EXTERNAL => Ok(Sender::External(r.u32()?)),
            SenderType::NEW_MEMBER_PROPOSAL => Ok(Sender::NewMemberProposal),
            SenderType::NEW_MEMBER_COMMIT => Ok(Sender::NewMemberCommit),
            other => Err(DecodeError::InvalidValue {
                field: "Sender.sender_type",
                value: other.0.into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sender_type_round_trips() {
        for sender in [
            Sender::Member(LeafIndex(5)),
            Sender::External(9),
            Sender::NewMemberProposal,
            Sender::NewMemberCommit,
        ] {
            assert_eq!(Sender::from_bytes(&sender.to_bytes()), Ok(sender));
        }
    }

    #[test]
    fn the_reserved_sender_type_is_rejected() {
        assert_eq!(
            Sender::from_bytes(&[0]),
            Err(DecodeError::InvalidValue {
                field: "Sender.sender_type",
                value: 0
            })
        );
    }
}
