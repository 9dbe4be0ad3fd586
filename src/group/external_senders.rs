//! The `external_senders` GroupContext extension (RFC 9420 §12.1.8.1): who may send
//! proposals to the group from outside it.

use crate::codec::{Codec, Reader, write_opaque};
use crate::crypto::SignaturePublicKey;
use crate::error::DecodeError;
use crate::messages::Credential;
use crate::messages::extensions::{Extension, ExtensionType, find};

/// One party allowed to send `external` proposals (§12.1.8.1).
///
/// ```text
/// struct {
///   SignaturePublicKey signature_key;
///   Credential credential;
/// } ExternalSender;
///
/// ExternalSender external_senders<V>;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalSender {
    /// The key its proposals are signed with.
    pub signature_key: SignaturePublicKey,
    /// Who it is.
    pub credential: Credential,
}

impl Codec for ExternalSender {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.signature_key.0);
        self.credential.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ExternalSender {
            signature_key: SignaturePublicKey(r.opaque()?.to_vec()),
            credential: Credential::decode(r)?,
        })
    }
}

/// The external senders of a GroupContext's extensions: empty without the extension.
pub fn external_senders(extensions: &[Extension]) -> Result<Vec<ExternalSender>, DecodeError> {
    match find(extensions, ExtensionType::EXTERNAL_SENDERS) {
        Some(e) => Vec::<ExternalSender>::from_bytes(&e.extension_data),
        None => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_external_senders_extension_round_trips() {
        let sender = ExternalSender {
            signature_key: SignaturePublicKey(vec![1, 2]),
            credential: Credential::Basic {
                identity: b"ds".to_vec(),
            },
        };
        let data = vec![sender.clone()].to_bytes();
        let ext = [Extension::new(ExtensionType::EXTERNAL_SENDERS, data)];
        assert_eq!(external_senders(&ext), Ok(vec![sender]));
        assert_eq!(external_senders(&[]), Ok(Vec::new()));
    }
}
