//! The `required_capabilities` GroupContext extension (RFC 9420 §11.1), which leaf
//! validation checks every leaf against (§7.3).

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
use crate::messages::extensions::{Extension, ExtensionType, find};
use crate::messages::{CredentialType, ProposalType};

use super::Capability;

/// What every member of the group must support (§11.1).
///
/// ```text
/// struct {
///     ExtensionType extension_types<V>;
///     ProposalType proposal_types<V>;
///     CredentialType credential_types<V>;
/// } RequiredCapabilities;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequiredCapabilities {
    /// Required extension types.
    pub extension_types: Vec<ExtensionType>,
    /// Required proposal types.
    pub proposal_types: Vec<ProposalType>,
    /// Required credential types.
    pub credential_types: Vec<CredentialType>,
}

impl Codec for RequiredCapabilities {
    fn encode(&self, out: &mut Vec<u8>) {
        self.extension_types.encode(out);
        self.proposal_types.encode(out);
        self.credential_types.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(RequiredCapabilities {
            extension_types: Vec::decode(r)?,
            proposal_types: Vec::decode(r)?,
            credential_types: Vec::decode(r)?,
        })
    }
}

impl RequiredCapabilities {
    /// The `required_capabilities` extension of a GroupContext's extensions, decoded, or
    /// `None` if there is none.
    pub fn from_extensions(extensions: &[Extension]) -> Result<Option<Self>, DecodeError> {
        find(extensions, ExtensionType::REQUIRED_CAPABILITIES)
            .map(|e| Self::from_bytes(&e.extension_data))
            .transpose()
    }

    /// Every required capability, extensions first, then proposals, then credentials.
    pub fn all(&self) -> impl Iterator<Item = Capability> + '_ {
        let extensions = self
            .extension_types
            .iter()
            .copied()
            .map(Capability::Extension);
        let proposals = self
            .proposal_types
            .iter()
            .copied()
            .map(Capability::Proposal);
        let credentials = self
            .credential_types
            .iter()
            .copied()
            .map(Capability::Credential);
        extensions.chain(proposals).chain(credentials)
    }
}

/// The extension types that §7.2 calls "default": every client implements them, and they
/// "MUST NOT be listed" in capabilities (`application_id` through `external_senders`).
pub(crate) fn is_default_extension(t: ExtensionType) -> bool {
    (0x0001..=0x0005).contains(&t.0)
}

/// The proposal types that §7.2 calls "default" (`add` through
/// `group_context_extensions`).
pub(crate) fn is_default_proposal(t: ProposalType) -> bool {
    (0x0001..=0x0007).contains(&t.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_capabilities_are_read_from_the_group_context_extensions() {
        let required = RequiredCapabilities {
            extension_types: vec![ExtensionType(0x0a0a)],
            proposal_types: vec![],
            credential_types: vec![CredentialType::BASIC],
        };
        let extensions = [Extension::new(
            ExtensionType::REQUIRED_CAPABILITIES,
            required.to_bytes(),
        )];
        assert_eq!(
            RequiredCapabilities::from_extensions(&extensions),
            Ok(Some(required))
        );
        assert_eq!(RequiredCapabilities::from_extensions(&[]), Ok(None));
    }
}
