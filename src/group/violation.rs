//! The rules of the group state machine that input can break (RFC 9420 §12.1, §12.2,
//! §12.4.2, §12.4.3.1), one variant per rule.
//!
//! The enum is defined in the error layer, below this one, so that the crate's error
//! type can carry it; it is re-exported here, where its rules are checked.

pub use crate::error::GroupViolation;
