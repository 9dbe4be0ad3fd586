//! The errors of the Web API (spec §3.5): a `DOMException` name (or `TypeError`) and an
//! informative message, and the one table that names the errors of the protocol engine.
//!
//! Which name an error gets is decided by the spec step that raises it. Most steps name
//! their error directly (`WebApiError::not_found(..)`); a step that hands its work to the
//! engine (decrypting a Welcome, processing a commit) names the engine's error through
//! [`engine_error_name`], so that every such decision is made in one place.
//!
//! Messages never carry secrets, keys or plaintexts (spec §3.2).

use crate::error::{CryptoError, Error, ProtocolViolation, Unsupported};
use crate::group::GroupViolation;
use crate::webapi::store::StoreError;
use crate::welcome::WelcomeViolation;

/// The kinds of error the Web API raises (spec §3.5). `SecurityError` is only thrown by
/// the JavaScript constructor and has no counterpart in this crate's API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DomExceptionName {
    /// WebIDL conversion failed, an `MLSBytes` has the wrong type, a non-empty input is
    /// empty, or `exportSecret` is asked for 0 bytes.
    TypeError,
    /// Bytes do not decode as the structure the parameter requires.
    DataError,
    /// The identity, key package or group state the call needs does not exist.
    NotFoundError,
    /// The state forbids the call now (a pending commit, pending proposals, ourselves).
    InvalidStateError,
    /// Validation against the state or a cryptographic check failed.
    OperationError,
    /// Valid MLS that this implementation does not support.
    NotSupportedError,
    /// Storage or platform failure.
    UnknownError,
}

impl DomExceptionName {
    /// The name as JavaScript shows it (`error.name`).
    pub fn as_str(self) -> &'static str {
        match self {
            DomExceptionName::TypeError => "TypeError",
            DomExceptionName::DataError => "DataError",
            DomExceptionName::NotFoundError => "NotFoundError",
            DomExceptionName::InvalidStateError => "InvalidStateError",
            DomExceptionName::OperationError => "OperationError",
            DomExceptionName::NotSupportedError => "NotSupportedError",
            DomExceptionName::UnknownError => "UnknownError",
        }
    }
}

impl core::fmt::Display for DomExceptionName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejected call: the error name and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {message}")]
pub struct WebApiError {
    /// The `DOMException` name, or `TypeError`.
    pub name: DomExceptionName,
    /// What went wrong, for a developer. Informative only.
    pub message: String,
}

/// The result of a Web API call.
pub type WebApiResult<T> = Result<T, WebApiError>;

impl WebApiError {
    /// An error named `name`.
    pub fn new(name: DomExceptionName, message: impl Into<String>) -> Self {
        WebApiError {
            name,
            message: message.into(),
        }
    }

    /// A `TypeError`.
    pub fn type_error(message: impl Into<String>) -> Self {
        Self::new(DomExceptionName::TypeError, message)
    }

    /// A `DataError`.
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(DomExceptionName::DataError, message)
    }

    /// A `NotFoundError`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(DomExceptionName::NotFoundError, message)
    }

    /// An `InvalidStateError`.
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(DomExceptionName::InvalidStateError, message)
    }

    /// An `OperationError`.
    pub fn operation(message: impl Into<String>) -> Self {
        Self::new(DomExceptionName::OperationError, message)
    }

    /// A `NotSupportedError`.
    pub fn not_supported(message: impl Into<String>) -> Self {
        Self::new(DomExceptionName::NotSupportedError, message)
    }

    /// An `UnknownError`.
    pub fn unknown(message: impl Into<String>) -> Self {
        Self::new(DomExceptionName::UnknownError, message)
    }

    /// The error for an engine failure in a step that validates or processes input
    /// (see [`engine_error_name`]); `context` says what was being done.
    pub fn engine(context: &str, error: &Error) -> Self {
        Self::new(engine_error_name(error), format!("{context}: {error}"))
    }
}

/// Every storage failure is an `UnknownError` (spec §3.5, **persist.2**).
impl From<StoreError> for WebApiError {
    fn from(error: StoreError) -> Self {
        // spec: persist.2
        WebApiError::unknown(format!("storage: {error}"))
    }
}

/// **The table**: the name of an engine error raised while a step validates or
/// processes input (a key package, a Welcome, a proposal, a commit, an application
/// message).
///
/// | Engine error | Name | Spec |
/// |---|---|---|
/// | a PSK in a Welcome's GroupSecrets (we hold no PSKs) | `NotSupportedError` | groupJoin.9 |
/// | a GroupInfo without the `ratchet_tree` extension | `NotSupportedError` | groupJoin.12 |
/// | a commit with a PSK, ReInit or ExternalInit proposal | `NotSupportedError` | receive.15, row 17 |
/// | an unsupported cipher suite or protocol version inside a message | `NotSupportedError` | message.2 |
/// | a failure of the random source | `UnknownError` | §3.5 |
/// | everything else: rule violations, failed signatures, MACs, AEAD and HPKE, and bytes that only turn out malformed after decryption | `OperationError` | §3.5 |
///
/// Decoding the bytes a page passed in is not in this table: it happens before any
/// engine step and is always a `DataError` (spec §6.1).
pub fn engine_error_name(error: &Error) -> DomExceptionName {
    use DomExceptionName::{NotSupportedError, OperationError, UnknownError};
    match error {
        Error::Crypto(CryptoError::RandomFailed) => UnknownError,
        Error::Protocol(ProtocolViolation::Welcome(WelcomeViolation::UnknownPsk { .. })) => {
            NotSupportedError
        }
        Error::Protocol(ProtocolViolation::Group(
            GroupViolation::MissingRatchetTree
            | GroupViolation::UnknownPsk { .. }
            | GroupViolation::ReInitNotSupported
            | GroupViolation::ExternalInitInMemberCommit,
        )) => NotSupportedError,
        Error::Unsupported(Unsupported::ProtocolVersion(_) | Unsupported::CipherSuite(_)) => {
            NotSupportedError
        }
        _ => OperationError,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeError;

    #[test]
    fn a_psk_the_engine_cannot_find_is_not_supported() {
        let error: Error = GroupViolation::ReInitNotSupported.into();
        assert_eq!(
            engine_error_name(&error),
            DomExceptionName::NotSupportedError
        );
        let error: Error = GroupViolation::MissingRatchetTree.into();
        assert_eq!(
            engine_error_name(&error),
            DomExceptionName::NotSupportedError
        );
    }

    #[test]
    fn bytes_malformed_after_decryption_are_an_operation_error() {
        let error: Error = DecodeError::TrailingBytes(1).into();
        assert_eq!(engine_error_name(&error), DomExceptionName::OperationError);
    }

    #[test]
    fn the_display_starts_with_the_name() {
        let e = WebApiError::not_found("no identity");
        assert_eq!(e.to_string(), "NotFoundError: no identity");
    }
}
