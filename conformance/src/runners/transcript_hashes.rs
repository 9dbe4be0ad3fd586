//! Runner for the `transcript_hashes` vectors. Not implemented yet.

use crate::check::{CaseResult, fail};

/// Checks one case.
pub fn run(_case: &serde_json::Value) -> CaseResult {
    fail("transcript_hashes: not implemented yet")
}
