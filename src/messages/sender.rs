//! Who sent a message (RFC 9420 §6).

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
use crate::tree_math::LeafIndex;

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::{Sender, SenderType};

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
