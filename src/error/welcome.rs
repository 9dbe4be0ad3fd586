//! The rules of joining by Welcome (RFC 9420 §12.4.3.1) that a Welcome can break; the
//! checks are in [`crate::welcome`].

use crate::vocabulary::{CipherSuiteId, ProtocolVersion, PskSource};

/// The rules of RFC 9420 §12.4.3.1 (and of §8.4 for the PSKs it names) that a Welcome
/// can break, one variant per rule.
///
/// A signature, tag or ciphertext that does not verify is a
/// [`crate::error::CryptoError`], not one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WelcomeViolation {
    /// "Identify an entry in the `secrets` array where the `new_member` value
    /// corresponds to one of this client's KeyPackages ... If no such field exists ...
    /// return an error."
    #[error("no entry of the Welcome is for our KeyPackage (of {entries} entries)")]
    NotForOurKeyPackage {
        /// How many entries the Welcome has.
        entries: usize,
    },
    /// "... or if the cipher suite indicated in the KeyPackage does not match the one in
    /// the Welcome message, return an error."
    #[error("the Welcome uses cipher suite {welcome:?} but our KeyPackage {key_package:?}")]
    WelcomeCipherSuiteMismatch {
        /// The Welcome's suite.
        welcome: CipherSuiteId,
        /// The KeyPackage's suite.
        key_package: CipherSuiteId,
    },
    /// "Verify that the `cipher_suite` in the GroupInfo matches the `cipher_suite` in
    /// the KeyPackage."
    #[error("the GroupInfo uses cipher suite {group_info:?} but our KeyPackage {key_package:?}")]
    GroupInfoCipherSuiteMismatch {
        /// The GroupInfo's suite.
        group_info: CipherSuiteId,
        /// The KeyPackage's suite.
        key_package: CipherSuiteId,
    },
    /// The GroupContext of the GroupInfo names a protocol version other than our
    /// KeyPackage's (§8.1: `ProtocolVersion version = mls10`).
    #[error("the GroupInfo has protocol version {group_info:?} but our KeyPackage {key_package:?}")]
    VersionMismatch {
        /// The GroupContext's version.
        group_info: ProtocolVersion,
        /// The KeyPackage's version.
        key_package: ProtocolVersion,
    },
    /// "If a PreSharedKeyID is part of the GroupSecrets and the client is not in
    /// possession of the corresponding PSK, return an error."
    #[error("the PSK at position {index} of the GroupSecrets is not available: {psk:?}")]
    UnknownPsk {
        /// Its position in `GroupSecrets.psks`.
        index: usize,
        /// Which PSK it names (an identifier, not the key).
        psk: PskSource,
    },
    /// "If a PreSharedKeyID has type `resumption` with usage `reinit` or `branch`,
    /// verify that it is the only such PSK."
    #[error("the GroupSecrets name {count} resumption PSKs of usage reinit or branch")]
    SeveralReinitOrBranchPsks {
        /// How many it names.
        count: usize,
    },
    /// §8.4: "the `psk_nonce` of its PreSharedKeyID MUST be set to a fresh random value
    /// of length `KDF.Nh`".
    #[error("the PSK at position {index} has a {length}-byte nonce, not {expected}")]
    PskNonceLength {
        /// Its position in `GroupSecrets.psks`.
        index: usize,
        /// The nonce's length.
        length: usize,
        /// `KDF.Nh`.
        expected: usize,
    },
    /// "If a PreSharedKeyID was used that has type `resumption` with usage `reinit` or
    /// `branch`, verify that the `epoch` field in the GroupInfo is equal to 1."
    #[error("a reinit or branch Welcome must start epoch 1, not {epoch}")]
    ReinitOrBranchNotEpochOne {
        /// The GroupInfo's epoch.
        epoch: u64,
    },
}
