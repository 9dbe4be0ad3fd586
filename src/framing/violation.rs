//! The rules of RFC 9420 §6 (and the sender rule of §12.1.8) that a message can break.
//!
//! The enum is defined in the error layer, below this one, so that the crate's error
//! type can carry it; it is re-exported here, where its rules are checked.

pub use crate::error::FramingViolation;
