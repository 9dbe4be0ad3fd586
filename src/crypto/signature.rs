//! Signatures: `SignWithLabel` / `VerifyWithLabel` (§5.1.2) over Ed25519, Ed448 and
//! ECDSA on P-256, P-384 and P-521.
// STUB: to be implemented by the crypto work (see issue 2).

use super::{CipherSuite, Random, Secret};
use crate::error::{Error, Unsupported};

/// A signature public key: raw `SignaturePublicKey` bytes (Ed25519/Ed448 native encoding,
/// uncompressed SEC1 point for ECDSA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignaturePublicKey(pub Vec<u8>);

/// A signature private key (Ed25519/Ed448 seed, ECDSA big-endian scalar; short ECDSA
/// scalars are left-padded on use). Zeroized on drop, never printed.
#[derive(Debug, Clone)]
pub struct SignaturePrivateKey(pub Secret);

impl CipherSuite {
    /// A fresh random signature key pair.
    pub fn generate_signature_key_pair(
        &self,
        _rng: &mut dyn Random,
    ) -> Result<(SignaturePrivateKey, SignaturePublicKey), Error> {
        Err(self.sig_todo())
    }

    /// The public key of `private`.
    pub fn signature_public_key(
        &self,
        _private: &SignaturePrivateKey,
    ) -> Result<SignaturePublicKey, Error> {
        Err(self.sig_todo())
    }

    /// `SignWithLabel(SignatureKey, Label, Content)` (§5.1.2): signs
    /// `SignContent{"MLS 1.0 " + label, content}`.
    pub fn sign_with_label(
        &self,
        _private: &SignaturePrivateKey,
        _label: &[u8],
        _content: &[u8],
    ) -> Result<Vec<u8>, Error> {
        Err(self.sig_todo())
    }

    /// `VerifyWithLabel(VerificationKey, Label, Content, SignatureValue)` (§5.1.2).
    pub fn verify_with_label(
        &self,
        _public: &[u8],
        _label: &[u8],
        _content: &[u8],
        _signature: &[u8],
    ) -> Result<(), Error> {
        Err(self.sig_todo())
    }

    fn sig_todo(&self) -> Error {
        Unsupported::Primitive {
            suite: self.id(),
            what: "signatures not implemented yet",
        }
        .into()
    }
}
