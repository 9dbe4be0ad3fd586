//! AEAD: AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305.
// STUB: to be implemented by the crypto work (see issue 2).

use super::CipherSuite;
use crate::error::{Error, Unsupported};

impl CipherSuite {
    /// `AEAD.Seal(key, nonce, aad, plaintext)`.
    pub fn aead_seal(
        &self,
        _key: &[u8],
        _nonce: &[u8],
        _aad: &[u8],
        _plaintext: &[u8],
    ) -> Result<Vec<u8>, Error> {
        Err(Unsupported::Primitive {
            suite: self.id(),
            what: "AEAD not implemented yet",
        }
        .into())
    }

    /// `AEAD.Open(key, nonce, aad, ciphertext)`.
    pub fn aead_open(
        &self,
        _key: &[u8],
        _nonce: &[u8],
        _aad: &[u8],
        _ciphertext: &[u8],
    ) -> Result<Vec<u8>, Error> {
        Err(Unsupported::Primitive {
            suite: self.id(),
            what: "AEAD not implemented yet",
        }
        .into())
    }
}
