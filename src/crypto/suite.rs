//! The seven cipher suites of RFC 9420 §17.1 and the algorithms each one names.

use crate::error::{Error, Unsupported};

/// A cipher suite's hash function (and the HKDF and HMAC built on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// A cipher suite's HPKE KEM (RFC 9180 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KemAlgorithm {
    /// DHKEM(X25519, HKDF-SHA256), 0x0020.
    X25519,
    /// DHKEM(X448, HKDF-SHA512), 0x0021.
    X448,
    /// DHKEM(P-256, HKDF-SHA256), 0x0010.
    P256,
    /// DHKEM(P-384, HKDF-SHA384), 0x0011.
    P384,
    /// DHKEM(P-521, HKDF-SHA512), 0x0012.
    P521,
}

/// A cipher suite's AEAD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AeadAlgorithm {
    /// AES-128-GCM.
    Aes128Gcm,
    /// AES-256-GCM.
    Aes256Gcm,
    /// ChaCha20-Poly1305.
    ChaCha20Poly1305,
}

/// A cipher suite's signature scheme (RFC 9420 §17.1, TLS SignatureScheme names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureScheme {
    /// ecdsa_secp256r1_sha256.
    EcdsaP256Sha256,
    /// ecdsa_secp384r1_sha384.
    EcdsaP384Sha384,
    /// ecdsa_secp521r1_sha512.
    EcdsaP521Sha512,
    /// ed25519.
    Ed25519,
    /// ed448.
    Ed448,
}

/// One of the seven cipher suites of RFC 9420 §17.1. Cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CipherSuite {
    id: u16,
    /// The KEM.
    pub kem: KemAlgorithm,
    /// The AEAD.
    pub aead: AeadAlgorithm,
    /// The hash.
    pub hash: HashAlgorithm,
    /// The signature scheme.
    pub signature: SignatureScheme,
}

impl CipherSuite {
    /// MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519.
    pub const MLS_128_DHKEMX25519_AES128GCM_SHA256_ED25519: u16 = 0x0001;
    /// MLS_128_DHKEMP256_AES128GCM_SHA256_P256.
    pub const MLS_128_DHKEMP256_AES128GCM_SHA256_P256: u16 = 0x0002;
    /// MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519.
    pub const MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_ED25519: u16 = 0x0003;
    /// MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448.
    pub const MLS_256_DHKEMX448_AES256GCM_SHA512_ED448: u16 = 0x0004;
    /// MLS_256_DHKEMP521_AES256GCM_SHA512_P521.
    pub const MLS_256_DHKEMP521_AES256GCM_SHA512_P521: u16 = 0x0005;
    /// MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448.
    pub const MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_ED448: u16 = 0x0006;
    /// MLS_256_DHKEMP384_AES256GCM_SHA384_P384.
    pub const MLS_256_DHKEMP384_AES256GCM_SHA384_P384: u16 = 0x0007;

    /// The suite with this code point, or `Unsupported` for any other value.
    pub fn new(id: u16) -> Result<Self, Error> {
        use AeadAlgorithm::*;
        use HashAlgorithm::*;
        use SignatureScheme::*;
        let (kem, aead, hash, signature) = match id {
            0x0001 => (KemAlgorithm::X25519, Aes128Gcm, Sha256, Ed25519),
            0x0002 => (KemAlgorithm::P256, Aes128Gcm, Sha256, EcdsaP256Sha256),
            0x0003 => (KemAlgorithm::X25519, ChaCha20Poly1305, Sha256, Ed25519),
            0x0004 => (KemAlgorithm::X448, Aes256Gcm, Sha512, Ed448),
            0x0005 => (KemAlgorithm::P521, Aes256Gcm, Sha512, EcdsaP521Sha512),
            0x0006 => (KemAlgorithm::X448, ChaCha20Poly1305, Sha512, Ed448),
            0x0007 => (KemAlgorithm::P384, Aes256Gcm, Sha384, EcdsaP384Sha384),
            other => return Err(Unsupported::CipherSuite(other).into()),
        };
        Ok(CipherSuite {
            id,
            kem,
            aead,
            hash,
            signature,
        })
    }

    /// All seven suites, in code-point order.
    pub fn all() -> impl Iterator<Item = CipherSuite> {
        (1u16..=7).filter_map(|id| CipherSuite::new(id).ok())
    }

    /// The suite's code point.
    pub fn id(&self) -> u16 {
        self.id
    }

    /// `KDF.Nh`: the hash (and KDF extract) output length.
    pub fn hash_len(&self) -> usize {
        match self.hash {
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// `AEAD.Nk`: the AEAD key length.
    pub fn aead_key_len(&self) -> usize {
        match self.aead {
            AeadAlgorithm::Aes128Gcm => 16,
            AeadAlgorithm::Aes256Gcm | AeadAlgorithm::ChaCha20Poly1305 => 32,
        }
    }

    /// `AEAD.Nn`: the AEAD nonce length.
    pub fn aead_nonce_len(&self) -> usize {
        12
    }
}
