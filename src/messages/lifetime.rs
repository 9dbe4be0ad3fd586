//! The validity period of a KeyPackage's leaf (RFC 9420 §7.2).

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;

/// The range of times, in seconds since the Unix epoch, in which a leaf is valid
/// (RFC 9420 §7.2).
///
/// ```text
/// struct {
///     uint64 not_before;
///     uint64 not_after;
/// } Lifetime;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    /// The first second of validity.
    pub not_before: u64,
    /// The last second of validity.
    pub not_after: u64,
}

impl Lifetime {
    /// True if `now` (seconds since the Unix epoch) lies within the lifetime.
    pub fn contains(&self, now: u64) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

impl Codec for Lifetime {
    fn encode(&self, out: &mut Vec<u8>) {
        self.not_before.encode(out);
        self.not_after.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Lifetime {
            not_before: r.u64()?,
            not_after: r.u64()?,
        })
    }
}
