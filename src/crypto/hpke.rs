//! HPKE (RFC 9180) as RFC 9420 uses it: `EncryptWithLabel` / `DecryptWithLabel` (§5.1.3),
//! `DeriveKeyPair`, and the exporter used by external commits (§12.4.3.2).
// STUB: to be implemented by the crypto work (see issue 2).

use super::{CipherSuite, Random, Secret};
use crate::error::{Error, Unsupported};

/// An HPKE public key: the KEM's `SerializePublicKey` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HpkePublicKey(pub Vec<u8>);

/// An HPKE private key: the KEM's `SerializePrivateKey` bytes. Zeroized on drop, never
/// printed.
#[derive(Debug, Clone)]
pub struct HpkePrivateKey(pub Secret);

impl CipherSuite {
    /// `DeriveKeyPair(ikm)` of the suite's KEM (RFC 9180 §7.1.3).
    pub fn hpke_derive_key_pair(
        &self,
        _ikm: &[u8],
    ) -> Result<(HpkePrivateKey, HpkePublicKey), Error> {
        Err(self.hpke_todo())
    }

    /// A fresh random key pair.
    pub fn hpke_generate_key_pair(
        &self,
        _rng: &mut dyn Random,
    ) -> Result<(HpkePrivateKey, HpkePublicKey), Error> {
        Err(self.hpke_todo())
    }

    /// The public key of `private`.
    pub fn hpke_public_key(&self, _private: &HpkePrivateKey) -> Result<HpkePublicKey, Error> {
        Err(self.hpke_todo())
    }

    /// `EncryptWithLabel(PublicKey, Label, Context, Plaintext)` (§5.1.3): HPKE base-mode
    /// `SealBase` with `info = EncryptContext{"MLS 1.0 " + label, context}` and empty AAD.
    /// Returns `(kem_output, ciphertext)`.
    pub fn encrypt_with_label(
        &self,
        _public: &[u8],
        _label: &[u8],
        _context: &[u8],
        _plaintext: &[u8],
        _rng: &mut dyn Random,
    ) -> Result<(Vec<u8>, Vec<u8>), Error> {
        Err(self.hpke_todo())
    }

    /// `DecryptWithLabel(PrivateKey, Label, Context, KEMOutput, Ciphertext)` (§5.1.3).
    pub fn decrypt_with_label(
        &self,
        _private: &HpkePrivateKey,
        _label: &[u8],
        _context: &[u8],
        _kem_output: &[u8],
        _ciphertext: &[u8],
    ) -> Result<Vec<u8>, Error> {
        Err(self.hpke_todo())
    }

    /// Sender side of an HPKE export (§12.4.3.2: `SetupBaseS(external_pub, "")` then
    /// `Export(exporter_context, length)`). Returns `(kem_output, exported secret)`.
    pub fn hpke_export_sender(
        &self,
        _public: &[u8],
        _info: &[u8],
        _exporter_context: &[u8],
        _length: usize,
        _rng: &mut dyn Random,
    ) -> Result<(Vec<u8>, Secret), Error> {
        Err(self.hpke_todo())
    }

    /// Receiver side of an HPKE export.
    pub fn hpke_export_receiver(
        &self,
        _private: &HpkePrivateKey,
        _kem_output: &[u8],
        _info: &[u8],
        _exporter_context: &[u8],
        _length: usize,
    ) -> Result<Secret, Error> {
        Err(self.hpke_todo())
    }

    fn hpke_todo(&self) -> Error {
        Unsupported::Primitive {
            suite: self.id(),
            what: "HPKE not implemented yet",
        }
        .into()
    }
}
