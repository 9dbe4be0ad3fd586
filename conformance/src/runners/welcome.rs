//! Runner for the `welcome` vectors. Not implemented yet.

use crate::check::{CaseResult, fail};

/// Checks one case.
pub fn run(_case: &serde_json::Value) -> CaseResult {
    fail("welcome: not implemented yet")
}
