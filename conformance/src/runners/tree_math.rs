//! Runner for the `tree_math` vectors. Not implemented yet.

use crate::check::{CaseResult, fail};

/// Checks one case.
pub fn run(_case: &serde_json::Value) -> CaseResult {
    fail("tree_math: not implemented yet")
}
