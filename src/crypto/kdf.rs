//! Hashing, MAC and the labelled KDF functions of RFC 9420 §5.1 and §5.2.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::{CipherSuite, HashAlgorithm, Secret};
use crate::codec::{Codec, write_opaque};
use crate::error::{CryptoError, Error};

/// The prefix RFC 9420 §5.1 puts before every KDF and signature label.
pub const LABEL_PREFIX: &[u8] = b"MLS 1.0 ";

/// The labelled input of `ExpandWithLabel` (§5.1):
///
/// ```text
/// struct {
///     uint16 length;
///     opaque label<V>;
///     opaque context<V>;
/// } KDFLabel;
/// ```
fn kdf_label(length: u16, label: &[u8], context: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + LABEL_PREFIX.len() + label.len() + context.len());
    length.encode(&mut out);
    write_opaque(&mut out, &[LABEL_PREFIX, label].concat());
    write_opaque(&mut out, context);
    out
}

macro_rules! with_hash {
    ($alg:expr, $h:ident => $body:expr) => {
        match $alg {
            HashAlgorithm::Sha256 => {
                type $h = Sha256;
                $body
            }
            HashAlgorithm::Sha384 => {
                type $h = Sha384;
                $body
            }
            HashAlgorithm::Sha512 => {
                type $h = Sha512;
                $body
            }
        }
    };
}

impl CipherSuite {
    /// `Hash(data)`.
    pub fn hash(&self, data: &[u8]) -> Vec<u8> {
        with_hash!(self.hash, H => H::digest(data).to_vec())
    }

    /// `MAC(key, data)`: HMAC with the suite's hash.
    pub fn mac(&self, key: &[u8], data: &[u8]) -> Vec<u8> {
        with_hash!(self.hash, H => {
            // HMAC accepts keys of every length, so this cannot fail.
            let mut mac = <Hmac<H> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        })
    }

    /// Checks `tag == MAC(key, data)` in constant time.
    pub fn verify_mac(&self, key: &[u8], data: &[u8], tag: &[u8]) -> Result<(), Error> {
        with_hash!(self.hash, H => {
            let mut mac = <Hmac<H> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
            mac.update(data);
            mac.verify_slice(tag).map_err(|_| CryptoError::InvalidMac.into())
        })
    }

    /// `KDF.Extract(salt, ikm)`: HKDF-Extract, which is `HMAC(salt, ikm)` (RFC 5869 §2.2;
    /// an empty salt is the same HMAC key as `Nh` zero bytes).
    pub fn extract(&self, salt: &[u8], ikm: &[u8]) -> Secret {
        Secret::new(self.mac(salt, ikm))
    }

    /// `KDF.Expand(prk, info, length)`: HKDF-Expand.
    pub fn expand(&self, prk: &[u8], info: &[u8], length: usize) -> Result<Secret, Error> {
        let mut okm = vec![0u8; length];
        with_hash!(self.hash, H => {
            hkdf::Hkdf::<H>::from_prk(prk)
                .map_err(|_| CryptoError::InvalidLength(prk.len()))?
                .expand(info, &mut okm)
                .map_err(|_| CryptoError::InvalidLength(length))?;
        });
        Ok(Secret::new(okm))
    }

    /// `ExpandWithLabel(Secret, Label, Context, Length)` (§5.1). `label` is given without
    /// the `"MLS 1.0 "` prefix, which this function adds.
    pub fn expand_with_label(
        &self,
        secret: &[u8],
        label: &[u8],
        context: &[u8],
        length: usize,
    ) -> Result<Secret, Error> {
        let len16 = u16::try_from(length).map_err(|_| CryptoError::InvalidLength(length))?;
        self.expand(secret, &kdf_label(len16, label, context), length)
    }

    /// `DeriveSecret(Secret, Label) = ExpandWithLabel(Secret, Label, "", KDF.Nh)` (§5.1).
    pub fn derive_secret(&self, secret: &[u8], label: &[u8]) -> Result<Secret, Error> {
        self.expand_with_label(secret, label, b"", self.hash_len())
    }

    /// `DeriveTreeSecret(Secret, Label, Generation, Length)` (§9): the context is the
    /// generation as a big-endian `uint32`.
    pub fn derive_tree_secret(
        &self,
        secret: &[u8],
        label: &[u8],
        generation: u32,
        length: usize,
    ) -> Result<Secret, Error> {
        self.expand_with_label(secret, label, &generation.to_be_bytes(), length)
    }

    /// `RefHash(label, value) = Hash(RefHashInput)` (§5.2). The label is used verbatim
    /// (callers pass e.g. `"MLS 1.0 KeyPackage Reference"`).
    ///
    /// ```text
    /// struct {
    ///   opaque label<V>;
    ///   opaque value<V>;
    /// } RefHashInput;
    /// ```
    pub fn ref_hash(&self, label: &[u8], value: &[u8]) -> Vec<u8> {
        let mut input = Vec::with_capacity(label.len() + value.len() + 8);
        write_opaque(&mut input, label);
        write_opaque(&mut input, value);
        self.hash(&input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_with_label_prefixes_the_label_and_encodes_the_length() {
        let label = kdf_label(32, b"key", b"ctx");
        assert_eq!(label, b"\x00\x20\x0bMLS 1.0 key\x03ctx".to_vec());
    }

    #[test]
    fn expand_rejects_a_prk_shorter_than_the_hash() {
        let suite = CipherSuite::new(1).unwrap();
        assert!(suite.expand(&[0; 8], b"", 32).is_err());
    }

    #[test]
    fn a_wrong_mac_is_rejected() {
        let suite = CipherSuite::new(1).unwrap();
        let tag = suite.mac(b"k", b"data");
        assert!(suite.verify_mac(b"k", b"data", &tag).is_ok());
        assert_eq!(
            suite.verify_mac(b"k", b"datA", &tag),
            Err(CryptoError::InvalidMac.into())
        );
    }
}
