//! Why bytes could not be decoded (RFC 9420 §2.1): the one error of the codec, and so the
//! lowest layer of the crate.

use thiserror::Error as ThisError;

/// Why bytes could not be decoded (RFC 9420 §2.1).
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
pub enum DecodeError {
    /// The input ended before the value did.
    #[error("truncated: needed {needed} more bytes, {remaining} left")]
    Truncated {
        /// Bytes the value still needed.
        needed: usize,
        /// Bytes that were left.
        remaining: usize,
    },
    /// A variable-length header used more bytes than its value needs (§2.1.2).
    #[error("variable-length integer is not minimally encoded")]
    NonMinimalLength,
    /// A variable-length header starts with the reserved prefix `11` (§2.1.2).
    #[error("variable-length integer uses the reserved prefix 0b11")]
    ReservedLengthPrefix,
    /// Bytes were left after a whole message was decoded.
    #[error("{0} trailing bytes after the value")]
    TrailingBytes(usize),
    /// An `optional<T>` presence byte was neither 0 nor 1.
    #[error("optional presence byte {0} is neither 0 nor 1")]
    InvalidOptional(u8),
    /// A field holds a value its type does not allow (for example an unknown selector
    /// of a `select` whose body cannot be skipped).
    #[error("invalid value for {field}: {value}")]
    InvalidValue {
        /// The field, named as in the RFC.
        field: &'static str,
        /// The offending value.
        value: u64,
    },
}
