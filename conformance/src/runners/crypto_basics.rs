//! Runner for the `crypto_basics` vectors. Not implemented yet.

use crate::check::{CaseResult, fail};

/// Checks one case.
pub fn run(_case: &serde_json::Value) -> CaseResult {
    fail("crypto_basics: not implemented yet")
}
