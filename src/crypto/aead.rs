//! AEAD (RFC 9420 §5.3 uses it for `PrivateMessage`, `Welcome` and sender data):
//! AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305, all with a 12-byte nonce and a
//! 16-byte tag appended to the ciphertext (RFC 5116 §5.1, RFC 8439 §2.8).

use aes_gcm::aead::{Aead, KeyInit, Nonce, Payload};

use super::{AeadAlgorithm, CipherSuite};
use crate::error::{CryptoError, Error};

impl CipherSuite {
    /// `AEAD.Seal(key, nonce, aad, plaintext)`: the ciphertext followed by the tag.
    ///
    /// `key` must be `AEAD.Nk` bytes and `nonce` `AEAD.Nn` bytes; other lengths are a
    /// misuse (MLS derives both from its key schedule, §9.1).
    pub fn aead_seal(
        &self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, Error> {
        match self.aead {
            AeadAlgorithm::Aes128Gcm => seal::<aes_gcm::Aes128Gcm>(key, nonce, aad, plaintext),
            AeadAlgorithm::Aes256Gcm => seal::<aes_gcm::Aes256Gcm>(key, nonce, aad, plaintext),
            AeadAlgorithm::ChaCha20Poly1305 => {
                seal::<chacha20poly1305::ChaCha20Poly1305>(key, nonce, aad, plaintext)
            }
        }
    }

    /// `AEAD.Open(key, nonce, aad, ciphertext)`: the plaintext, or
    /// [`CryptoError::AeadOpen`] when the tag does not verify (including a ciphertext
    /// shorter than the tag).
    pub fn aead_open(
        &self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, Error> {
        match self.aead {
            AeadAlgorithm::Aes128Gcm => open::<aes_gcm::Aes128Gcm>(key, nonce, aad, ciphertext),
            AeadAlgorithm::Aes256Gcm => open::<aes_gcm::Aes256Gcm>(key, nonce, aad, ciphertext),
            AeadAlgorithm::ChaCha20Poly1305 => {
                open::<chacha20poly1305::ChaCha20Poly1305>(key, nonce, aad, ciphertext)
            }
        }
    }
}

/// A cipher keyed with `key`, and `nonce` as the cipher's nonce type.
fn keyed<C: KeyInit + Aead>(key: &[u8], nonce: &[u8]) -> Result<(C, Nonce<C>), Error> {
    let cipher =
        C::new_from_slice(key).map_err(|_| Error::Misuse("AEAD key is not AEAD.Nk bytes"))?;
    let nonce = Nonce::<C>::try_from(nonce)
        .map_err(|_| Error::Misuse("AEAD nonce is not AEAD.Nn bytes"))?;
    Ok((cipher, nonce))
}

fn seal<C: KeyInit + Aead>(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, Error> {
    let (cipher, nonce) = keyed::<C>(key, nonce)?;
    let payload = Payload {
        msg: plaintext,
        aad,
    };
    cipher
        .encrypt(&nonce, payload)
        .map_err(|_| CryptoError::AeadSeal.into())
}

fn open<C: KeyInit + Aead>(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, Error> {
    let (cipher, nonce) = keyed::<C>(key, nonce)?;
    let payload = Payload {
        msg: ciphertext,
        aad,
    };
    cipher
        .decrypt(&nonce, payload)
        .map_err(|_| CryptoError::AeadOpen.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(suite_id: u16) {
        let suite = CipherSuite::new(suite_id).unwrap();
        let key = vec![7; suite.aead_key_len()];
        let nonce = vec![9; suite.aead_nonce_len()];
        let sealed = suite.aead_seal(&key, &nonce, b"aad", b"hello").unwrap();
        assert_eq!(sealed.len(), 5 + 16, "suite {suite_id}");
        let opened = suite.aead_open(&key, &nonce, b"aad", &sealed).unwrap();
        assert_eq!(opened, b"hello", "suite {suite_id}");
    }

    #[test]
    fn every_aead_round_trips() {
        // Suites 1, 4 and 6 name AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305.
        for id in 1..=7 {
            round_trip(id);
        }
    }

    #[test]
    fn a_flipped_tag_bit_is_rejected_by_every_aead() {
        for suite in CipherSuite::all() {
            let key = vec![1; suite.aead_key_len()];
            let nonce = vec![2; suite.aead_nonce_len()];
            let mut sealed = suite.aead_seal(&key, &nonce, b"", b"message").unwrap();
            let last = sealed.len() - 1;
            sealed[last] ^= 0x01;
            assert_eq!(
                suite.aead_open(&key, &nonce, b"", &sealed),
                Err(CryptoError::AeadOpen.into()),
                "suite {}",
                suite.id()
            );
        }
    }

    #[test]
    fn a_different_aad_is_rejected() {
        let suite = CipherSuite::new(3).unwrap();
        let (key, nonce) = (vec![1; 32], vec![2; 12]);
        let sealed = suite.aead_seal(&key, &nonce, b"one", b"message").unwrap();
        assert_eq!(
            suite.aead_open(&key, &nonce, b"two", &sealed),
            Err(CryptoError::AeadOpen.into())
        );
    }

    #[test]
    fn a_ciphertext_shorter_than_the_tag_is_rejected() {
        for suite in CipherSuite::all() {
            let key = vec![1; suite.aead_key_len()];
            let nonce = vec![2; suite.aead_nonce_len()];
            for len in [0, 1, 15] {
                assert_eq!(
                    suite.aead_open(&key, &nonce, b"", &vec![0; len]),
                    Err(CryptoError::AeadOpen.into())
                );
            }
        }
    }

    #[test]
    fn a_wrong_key_or_nonce_length_is_a_misuse() {
        let suite = CipherSuite::new(1).unwrap();
        assert!(matches!(
            suite.aead_seal(&[0; 32], &[0; 12], b"", b""),
            Err(Error::Misuse(_))
        ));
        assert!(matches!(
            suite.aead_open(&[0; 16], &[0; 11], b"", &[0; 16]),
            Err(Error::Misuse(_))
        ));
    }
}
