//! Commits: applying proposals and starting a new epoch (RFC 9420 §12.4).

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
use crate::messages::hash_reference::ProposalRef;
use crate::messages::proposal::Proposal;
use crate::messages::update_path::UpdatePath;
use crate::wire_enum;

wire_enum! {
    /// Whether a Commit carries a proposal itself or a reference to one (RFC 9420 §12.4).
    ///
    /// ```text
    /// enum {
    ///   reserved(0),
    ///   proposal(1),
    ///   reference(2),
    ///   (255)
    /// } ProposalOrRefType;
    /// ```
    pub struct ProposalOrRefType(u8) {
        /// The proposal, by value.
        PROPOSAL = 1,
        /// A reference to a proposal sent earlier.
        REFERENCE = 2,
    }
}

/// A proposal covered by a Commit, by value or by reference (RFC 9420 §12.4).
///
/// ```text
/// struct {
///   ProposalOrRefType type;
///   select (ProposalOrRef.type) {
///     case proposal:  Proposal proposal;
///     case reference: ProposalRef reference;
///   };
/// } ProposalOrRef;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "a commit holds few proposals; boxing would only add noise"
)]
pub enum ProposalOrRef {
    /// `proposal`: the proposal itself.
    Proposal(Proposal),
    /// `reference`: the hash of the AuthenticatedContent that carried it.
    Reference(ProposalRef),
}

impl ProposalOrRef {
    /// The selector written on the wire.
    pub fn ref_type(&self) -> ProposalOrRefType {
        match self {
            ProposalOrRef::Proposal(_) => ProposalOrRefType::PROPOSAL,
            ProposalOrRef::Reference(_) => ProposalOrRefType::REFERENCE,
        }
    }
}

impl Codec for ProposalOrRef {
    fn encode(&self, out: &mut Vec<u8>) {
        self.ref_type().encode(out);
        match self {
            ProposalOrRef::Proposal(p) => p.encode(out),
            ProposalOrRef::Reference(r) => r.encode(out),
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match ProposalOrRefType::decode(r)? {
            ProposalOrRefType::PROPOSAL => Ok(ProposalOrRef::Proposal(Proposal::decode(r)?)),
            ProposalOrRefType::REFERENCE => Ok(ProposalOrRef::Reference(ProposalRef::decode(r)?)),
            other => Err(DecodeError::InvalidValue {
                field: "ProposalOrRef.type",
                value: other.0.into(),
            }),
        }
    }
}

/// A Commit: the proposals it applies and, optionally, a new path for the committer
/// (RFC 9420 §12.4).
///
/// ```text
/// struct {
///     ProposalOrRef proposals<V>;
///     optional<UpdatePath> path;
/// } Commit;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The proposals, in the order they are applied.
    pub proposals: Vec<ProposalOrRef>,
    /// The committer's new path, if any.
    pub path: Option<UpdatePath>,
}

impl Codec for Commit {
    fn encode(&self, out: &mut Vec<u8>) {
        self.proposals.encode(out);
        self.path.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Commit {
            proposals: Vec::decode(r)?,
            path: Option::decode(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_commit_without_a_path_round_trips() {
        let c = Commit::from_bytes(&[0, 0]).unwrap();
        assert!(c.proposals.is_empty() && c.path.is_none());
        assert_eq!(c.to_bytes(), [0, 0]);
    }

    #[test]
    fn a_commit_path_presence_byte_of_two_is_rejected() {
        assert_eq!(
            Commit::from_bytes(&[0, 2]),
            Err(DecodeError::InvalidOptional(2))
        );
    }

    #[test]
    fn a_proposal_reference_round_trips() {
        let bytes = [4, 2, 2, 0xaa, 0xbb, 0];
        let c = Commit::from_bytes(&bytes).unwrap();
        assert_eq!(
            c.proposals,
            vec![ProposalOrRef::Reference(ProposalRef(vec![0xaa, 0xbb]))]
        );
        assert_eq!(c.to_bytes(), bytes);
    }

    #[test]
    fn an_unknown_proposal_or_ref_type_is_rejected() {
        assert_eq!(
            Commit::from_bytes(&[1, 3, 0]),
            Err(DecodeError::InvalidValue {
                field: "ProposalOrRef.type",
                value: 3
            })
        );
    }
}
