//! The one error type of the crate, grouped by who is at fault.
//!
//! - [`Error::Decode`]: the bytes a peer sent are not a valid encoding.
//! - [`Error::Protocol`]: the bytes decode, but what they say violates RFC 9420.
//! - [`Error::Unsupported`]: valid, but something we do not implement (a cipher suite,
//!   a primitive no well-kept crate provides).
//! - [`Error::Misuse`]: the caller asked for something that cannot be done.
//! - [`Error::Crypto`]: a signature, MAC, AEAD tag or HPKE ciphertext did not verify, or a
//!   key is malformed.
//!
//! No variant ever carries secret material.
//!
//! The files of this module are layers of the crate (see the crate doc): [`DecodeError`]
//! (`decode.rs`) is the lowest layer, below the codec that returns it. The rest sits above
//! the tree math and the vocabulary, whose values the violations carry, and below every
//! module that checks a rule: the violations of the ratchet tree (`tree.rs`), TreeKEM
//! (`treekem.rs`), framing (`framing.rs`), Welcome (`welcome.rs`) and group
//! (`group.rs`) are defined here and re-exported by the module that checks them.

use thiserror::Error as ThisError;

mod decode;
mod framing;
mod group;
mod tree;
mod treekem;
mod welcome;

pub use decode::DecodeError;
pub use framing::FramingViolation;
pub use group::GroupViolation;
pub use tree::TreeViolation;
pub use treekem::TreeKemViolation;
pub use welcome::WelcomeViolation;

/// The result type used throughout the crate.
pub type Result<T> = core::result::Result<T, Error>;

/// Every error this crate returns.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
pub enum Error {
    /// Malformed, truncated or non-canonical bytes.
    #[error("decode error: {0}")]
    Decode(#[from] DecodeError),
    /// Well-formed input that breaks a rule of RFC 9420.
    #[error("protocol violation: {0}")]
    Protocol(#[from] ProtocolViolation),
    /// Valid input that this implementation does not support.
    #[error("unsupported: {0}")]
    Unsupported(#[from] Unsupported),
    /// The caller used the API in a way it does not allow.
    #[error("misuse: {0}")]
    Misuse(&'static str),
    /// A cryptographic check failed or a key is malformed.
    #[error("crypto error: {0}")]
    Crypto(#[from] CryptoError),
}

/// A rule of RFC 9420 that the input breaks. Each variant names the rule.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum ProtocolViolation {
    /// A generic violation, described by the section it breaks and a short sentence.
    #[error("RFC 9420 §{section}: {rule}")]
    Rule {
        /// The RFC section, e.g. "12.4.2".
        section: &'static str,
        /// The rule, in words.
        rule: &'static str,
    },
    /// A ratchet tree or leaf node breaks a rule of §7 or §12.4.3.1.
    #[error("ratchet tree: {0}")]
    Tree(#[from] TreeViolation),
    /// An UpdatePath breaks a rule of §7.4–§7.6.
    #[error("TreeKEM: {0}")]
    TreeKem(#[from] TreeKemViolation),
    /// A PublicMessage or PrivateMessage breaks a rule of §6.
    #[error("framing: {0}")]
    Framing(#[from] FramingViolation),
    /// A Welcome breaks a rule of §12.4.3.1.
    #[error("welcome: {0}")]
    Welcome(#[from] WelcomeViolation),
    /// A proposal, commit or joined group state breaks a rule of §12.
    #[error("group: {0}")]
    Group(#[from] GroupViolation),
}

macro_rules! violation_into_error {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(v: $t) -> Self {
                Error::Protocol(v.into())
            }
        }
    )*};
}
violation_into_error!(
    TreeViolation,
    TreeKemViolation,
    FramingViolation,
    WelcomeViolation,
    GroupViolation
);

/// Something valid that this implementation does not support.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
pub enum Unsupported {
    /// A cipher suite outside 0x0001..=0x0007.
    #[error("cipher suite 0x{0:04x}")]
    CipherSuite(u16),
    /// A primitive of a known suite that no well-kept crate provides.
    #[error("cipher suite 0x{suite:04x}: {what}")]
    Primitive {
        /// The suite.
        suite: u16,
        /// The missing primitive and why.
        what: &'static str,
    },
    /// A protocol version other than mls10.
    #[error("protocol version 0x{0:04x}")]
    ProtocolVersion(u16),
}

/// A failed cryptographic check or a malformed key. Never carries key material.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
pub enum CryptoError {
    /// A signature did not verify.
    #[error("signature does not verify")]
    InvalidSignature,
    /// A MAC (membership tag, confirmation tag) did not verify.
    #[error("MAC does not verify")]
    InvalidMac,
    /// AEAD decryption failed.
    #[error("AEAD decryption failed")]
    AeadOpen,
    /// AEAD encryption failed (input too long).
    #[error("AEAD encryption failed")]
    AeadSeal,
    /// HPKE decryption failed.
    #[error("HPKE decryption failed")]
    HpkeOpen,
    /// HPKE encryption failed.
    #[error("HPKE encryption failed")]
    HpkeSeal,
    /// A public key is not a valid encoding for its algorithm.
    #[error("invalid {0} public key")]
    InvalidPublicKey(&'static str),
    /// A private key is not a valid encoding for its algorithm.
    #[error("invalid {0} private key")]
    InvalidPrivateKey(&'static str),
    /// A private key does not belong to the public key it was paired with.
    #[error("private key does not match public key")]
    KeyMismatch,
    /// A KDF output length was out of range.
    #[error("invalid KDF output length {0}")]
    InvalidLength(usize),
    /// The random source failed: no key, nonce or id could be made.
    #[error("the random source failed")]
    RandomFailed,
}
