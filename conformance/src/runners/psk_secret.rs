//! Runner for the `psk_secret` vectors. Not implemented yet.

use crate::check::{CaseResult, fail};

/// Checks one case.
pub fn run(_case: &serde_json::Value) -> CaseResult {
    fail("psk_secret: not implemented yet")
}
