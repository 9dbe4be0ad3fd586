//! Runner for the `secret_tree` vectors. Not implemented yet.

use crate::check::{CaseResult, fail};

/// Checks one case.
pub fn run(_case: &serde_json::Value) -> CaseResult {
    fail("secret_tree: not implemented yet")
}
