//! What a message carries (RFC 9420 §6).

use crate::error::DecodeError;
use crate::wire_enum;

wire_enum! {
    /// What a message carries (RFC 9420 §6).
    ///
    /// ```text
    /// enum {
    ///     reserved(0),
    ///     application(1),
    ///     proposal(2),
    ///     commit(3),
    ///     (255)
    /// } ContentType;
    /// ```
    pub struct ContentType(u8) {
        /// Application data.
        APPLICATION = 1,
        /// A proposal.
        PROPOSAL = 2,
        /// A commit.
        COMMIT = 3,
    }
}

impl ContentType {
    /// Fails with [`DecodeError::InvalidValue`] naming `field` unless this is one of
    /// the three content types the RFC defines.
    pub fn check_known(self, field: &'static str) -> Result<Self, DecodeError> {
        match self {
            ContentType::APPLICATION | ContentType::PROPOSAL | ContentType::COMMIT => Ok(self),
            other => Err(DecodeError::InvalidValue {
                field,
                value: other.0.into(),
            }),
        }
    }
}
