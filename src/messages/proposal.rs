//! Proposals: requested changes to a group, applied by a later Commit (RFC 9420 §12.1).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::{CipherSuiteId, ProtocolVersion, read_opaque};
use crate::messages::extensions::Extension;
use crate::messages::key_package::KeyPackage;
use crate::messages::leaf_node::LeafNode;
use crate::messages::pre_shared_key_id::PreSharedKeyId;
use crate::tree_math::LeafIndex;

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::ProposalType;

/// Adds the client of a KeyPackage to the group (RFC 9420 §12.1.1).
///
/// ```text
/// struct {
///     KeyPackage key_package;
/// } Add;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Add {
    /// The new member's KeyPackage.
    pub key_package: KeyPackage,
}

impl Codec for Add {
    fn encode(&self, out: &mut Vec<u8>) {
        self.key_package.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Add {
            key_package: KeyPackage::decode(r)?,
        })
    }
}

/// Replaces the sender's leaf (RFC 9420 §12.1.2).
///
/// ```text
/// struct {
///     LeafNode leaf_node;
/// } Update;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// The sender's new leaf.
    pub leaf_node: LeafNode,
}

impl Codec for Update {
    fn encode(&self, out: &mut Vec<u8>) {
        self.leaf_node.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Update {
            leaf_node: LeafNode::decode(r)?,
        })
    }
}

/// Removes the member at a leaf (RFC 9420 §12.1.3).
///
/// ```text
/// struct {
///     uint32 removed;
/// } Remove;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remove {
    /// The leaf of the member to remove.
    pub removed: LeafIndex,
}

impl Codec for Remove {
    fn encode(&self, out: &mut Vec<u8>) {
        self.removed.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Remove {
            removed: LeafIndex::decode(r)?,
        })
    }
}

/// Injects a pre-shared key into the next epoch (RFC 9420 §12.1.4).
///
/// ```text
/// struct {
///     PreSharedKeyID psk;
/// } PreSharedKey;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreSharedKey {
    /// The PSK.
    pub psk: PreSharedKeyId,
}

impl Codec for PreSharedKey {
    fn encode(&self, out: &mut Vec<u8>) {
        self.psk.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(PreSharedKey {
            psk: PreSharedKeyId::decode(r)?,
        })
    }
}

/// Asks to reinitialize the group with new parameters (RFC 9420 §12.1.5).
///
/// ```text
/// struct {
///     opaque group_id<V>;
///     ProtocolVersion version;
///     CipherSuite cipher_suite;
///     Extension extensions<V>;
/// } ReInit;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReInit {
    /// The new group's identifier.
    pub group_id: Vec<u8>,
    /// The new group's protocol version.
    pub version: ProtocolVersion,
    /// The new group's cipher suite.
    pub cipher_suite: CipherSuiteId,
    /// The new group's context extensions.
    pub extensions: Vec<Extension>,
}

impl Codec for ReInit {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.group_id);
        self.version.encode(out);
        self.cipher_suite.encode(out);
        self.extensions.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ReInit {
            group_id: read_opaque(r)?,
            version: ProtocolVersion::decode(r)?,
            cipher_suite: CipherSuiteId::decode(r)?,
            extensions: Vec::decode(r)?,
        })
    }
}

/// Carries the KEM output of an external joiner (RFC 9420 §12.1.6).
///
/// ```text
/// struct {
///   opaque kem_output<V>;
/// } ExternalInit;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalInit {
    /// The KEM output encapsulated to the group's `external_pub`.
    pub kem_output: Vec<u8>,
}

impl Codec for ExternalInit {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.kem_output);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ExternalInit {
            kem_output: read_opaque(r)?,
        })
    }
}

/// Replaces the extensions of the group context (RFC 9420 §12.1.7).
///
/// ```text
/// struct {
///   Extension extensions<V>;
/// } GroupContextExtensions;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupContextExtensions {
    /// The new extensions.
    pub extensions: Vec<Extension>,
}

impl Codec for GroupContextExtensions {
    fn encode(&self, out: &mut Vec<u8>) {
        self.extensions.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(GroupContextExtensions {
            extensions: Vec::decode(r)?,
        })
    }
}

/// A proposal of one of the seven types of RFC 9420 (§12.1).
///
/// ```text
/// struct {
///     ProposalType proposal_type;
///     select (Proposal.proposal_type) {
///         case add:                      Add;
///         case update:                   Update;
///         case remove:                   Remove;
///         case psk:                      PreSharedKey;
///         case reinit:                   ReInit;
///         case external_init:            ExternalInit;
///         case group_context_extensions: GroupContextExtensions;
///     };
/// } Proposal;
/// ```
///
/// The body of any other proposal type has no length prefix, so it cannot be skipped:
/// such a proposal is rejected with [`DecodeError::InvalidValue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// `add`.
    Add(Add),
    /// `update`.
    Update(Update),
    /// `remove`.
    Remove(Remove),
    /// `psk`.
    PreSharedKey(PreSharedKey),
    /// `reinit`.
    ReInit(ReInit),
    /// `external_init`.
    ExternalInit(ExternalInit),
    /// `group_context_extensions`.
    GroupContextExtensions(GroupContextExtensions),
}

impl Proposal {
    /// The proposal's type.
    pub fn proposal_type(&self) -> ProposalType {
        match self {
            Proposal::Add(_) => ProposalType::ADD,
            Proposal::Update(_) => ProposalType::UPDATE,
            Proposal::Remove(_) => ProposalType::REMOVE,
            Proposal::PreSharedKey(_) => ProposalType::PSK,
            Proposal::ReInit(_) => ProposalType::REINIT,
            Proposal::ExternalInit(_) => ProposalType::EXTERNAL_INIT,
            Proposal::GroupContextExtensions(_) => ProposalType::GROUP_CONTEXT_EXTENSIONS,
        }
    }
}

impl Codec for Proposal {
    fn encode(&self, out: &mut Vec<u8>) {
        self.proposal_type().encode(out);
        match self {
            Proposal::Add(p) => p.encode(out),
            Proposal::Update(p) => p.encode(out),
            Proposal::Remove(p) => p.encode(out),
            Proposal::PreSharedKey(p) => p.encode(out),
            Proposal::ReInit(p) => p.encode(out),
            Proposal::ExternalInit(p) => p.encode(out),
            Proposal::GroupContextExtensions(p) => p.encode(out),
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(match ProposalType::decode(r)? {
            ProposalType::ADD => Proposal::Add(Add::decode(r)?),
            ProposalType::UPDATE => Proposal::Update(Update::decode(r)?),
            ProposalType::REMOVE => Proposal::Remove(Remove::decode(r)?),
            ProposalType::PSK => Proposal::PreSharedKey(PreSharedKey::decode(r)?),
            ProposalType::REINIT => Proposal::ReInit(ReInit::decode(r)?),
            ProposalType::EXTERNAL_INIT => Proposal::ExternalInit(ExternalInit::decode(r)?),
            ProposalType::GROUP_CONTEXT_EXTENSIONS => {
                Proposal::GroupContextExtensions(GroupContextExtensions::decode(r)?)
            }
            other => {
                return Err(DecodeError::InvalidValue {
                    field: "Proposal.proposal_type",
                    value: other.0.into(),
                });
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remove_proposal_round_trips() {
        let p = Proposal::Remove(Remove {
            removed: LeafIndex(0x0102_0304),
        });
        let bytes = [0, 3, 1, 2, 3, 4];
        assert_eq!(p.to_bytes(), bytes);
        assert_eq!(Proposal::from_bytes(&bytes), Ok(p));
    }

    #[test]
    fn an_unknown_proposal_type_is_rejected() {
        assert_eq!(
            Proposal::from_bytes(&[0x0a, 0x0a]),
            Err(DecodeError::InvalidValue {
                field: "Proposal.proposal_type",
                value: 0x0a0a
            })
        );
    }

    #[test]
    fn a_group_context_extensions_proposal_may_be_empty() {
        assert_eq!(
            Proposal::from_bytes(&[0, 7, 0]),
            Ok(Proposal::GroupContextExtensions(GroupContextExtensions {
                extensions: Vec::new()
            }))
        );
    }
}
