//! What a `required_capabilities` extension can demand (RFC 9420 §11.1).

use crate::vocabulary::{CredentialType, ExtensionType, ProposalType};

/// One capability that a `required_capabilities` extension can demand (§11.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// An extension type.
    Extension(ExtensionType),
    /// A proposal type.
    Proposal(ProposalType),
    /// A credential type.
    Credential(CredentialType),
}
