//! Credentials (RFC 9420 §5.3): who a member claims to be.

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::read_opaque;

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::CredentialType;

/// One DER-encoded X.509 certificate (RFC 9420 §5.3).
///
/// ```text
/// struct {
///     opaque cert_data<V>;
/// } Certificate;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The DER encoding of the certificate.
    pub cert_data: Vec<u8>,
}

impl Codec for Certificate {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.cert_data);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Certificate {
            cert_data: read_opaque(r)?,
        })
    }
}

/// A member's credential (RFC 9420 §5.3).
///
/// ```text
/// struct {
///     CredentialType credential_type;
///     select (Credential.credential_type) {
///         case basic:
///             opaque identity<V>;
///
///         case x509:
///             Certificate certificates<V>;
///     };
/// } Credential;
/// ```
///
/// The RFC defines no body for other credential types, so their length is unknown and
/// they cannot be decoded: they are rejected with [`DecodeError::InvalidValue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// `basic`: an identity whose format the application defines.
    Basic {
        /// The identity.
        identity: Vec<u8>,
    },
    /// `x509`: a certificate chain, end-entity certificate first.
    X509 {
        /// The chain.
        certificates: Vec<Certificate>,
    },
}

impl Credential {
    /// The credential's type.
    pub fn credential_type(&self) -> CredentialType {
        match self {
            Credential::Basic { .. } => CredentialType::BASIC,
            Credential::X509 { .. } => CredentialType::X509,
        }
    }
}

impl Codec for Credential {
    fn encode(&self, out: &mut Vec<u8>) {
        self.credential_type().encode(out);
        match self {
            Credential::Basic { identity } => write_opaque(out, identity),
            Credential::X509 { certificates } => certificates.encode(out),
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match CredentialType::decode(r)? {
            CredentialType::BASIC => Ok(Credential::Basic {
                identity: read_opaque(r)?,
            }),
            CredentialType::X509 => Ok(Credential::X509 {
                certificates: Vec::decode(r)?,
            }),
            other => Err(DecodeError::InvalidValue {
                field: "Credential.credential_type",
                value: other.0.into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_basic_credential_round_trips() {
        let bytes = [0, 1, 3, b'a', b'b', b'c'];
        let c = Credential::from_bytes(&bytes).unwrap();
        assert_eq!(
            c,
            Credential::Basic {
                identity: b"abc".to_vec()
            }
        );
        assert_eq!(c.to_bytes(), bytes);
    }

    #[test]
    fn an_x509_credential_is_a_vector_of_certificates() {
        let bytes = [0, 2, 5, 2, 1, 2, 1, 3];
        let c = Credential::from_bytes(&bytes).unwrap();
        assert_eq!(
            c,
            Credential::X509 {
                certificates: vec![
                    Certificate {
                        cert_data: vec![1, 2]
                    },
                    Certificate { cert_data: vec![3] },
                ]
            }
        );
        assert_eq!(c.to_bytes(), bytes);
    }

    #[test]
    fn an_unknown_credential_type_is_rejected() {
        assert_eq!(
            Credential::from_bytes(&[0x0a, 0x0a, 0]),
            Err(DecodeError::InvalidValue {
                field: "Credential.credential_type",
                value: 0x0a0a
            })
        );
    }
}
