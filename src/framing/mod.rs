//! Not implemented yet (issue 3).

/// The rules of RFC 9420 §6 that input can break, one variant per rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FramingViolation {}
