//! What a client supports (RFC 9420 §7.2).

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
use crate::messages::common::{CipherSuiteId, ProtocolVersion};
use crate::messages::credential::CredentialType;
use crate::messages::extensions::ExtensionType;
use crate::messages::proposal::ProposalType;

/// The protocol versions, cipher suites, and non-default extension, proposal and
/// credential types a client supports (RFC 9420 §7.2). Unknown and GREASE values are
/// kept as they are.
///
/// ```text
/// struct {
///     ProtocolVersion versions<V>;
///     CipherSuite cipher_suites<V>;
///     ExtensionType extensions<V>;
///     ProposalType proposals<V>;
///     CredentialType credentials<V>;
/// } Capabilities;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// Supported protocol versions.
    pub versions: Vec<ProtocolVersion>,
    /// Supported cipher suites.
    pub cipher_suites: Vec<CipherSuiteId>,
    /// Supported non-default extension types.
    pub extensions: Vec<ExtensionType>,
    /// Supported non-default proposal types.
    pub proposals: Vec<ProposalType>,
    /// Supported credential types.
    pub credentials: Vec<CredentialType>,
}

impl Codec for Capabilities {
    fn encode(&self, out: &mut Vec<u8>) {
        self.versions.encode(out);
        self.cipher_suites.encode(out);
        self.extensions.encode(out);
        self.proposals.encode(out);
        self.credentials.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Capabilities {
            versions: Vec::decode(r)?,
            cipher_suites: Vec::decode(r)?,
            extensions: Vec::decode(r)?,
            proposals: Vec::decode(r)?,
            credentials: Vec::decode(r)?,
        })
    }
}
