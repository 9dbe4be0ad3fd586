//! The mls-webapi conformance harness.
//!
//! A *kind* is one upstream vector format (`tree-math`, `crypto-basics`, ...). Each kind
//! has a runner in [`runners`] that checks one test case (one element of the file's JSON
//! array) and ends in a [`CaseResult`]: passed, failed with the first field that differs,
//! or skipped with a reason. Skips are never counted as passes.

pub mod check;
pub mod expectations;
pub mod report;
pub mod runners;
pub mod vectors;

pub use check::{CaseResult, Stop};

/// How one case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every check held.
    Passed,
    /// A check failed; the message names the first field that differs.
    Failed(String),
    /// The case could not be checked; the reason says why (never counted as passed).
    Skipped(String),
}

impl From<CaseResult> for Outcome {
    fn from(r: CaseResult) -> Self {
        match r {
            Ok(()) => Outcome::Passed,
            Err(Stop::Fail(m)) => Outcome::Failed(m),
            Err(Stop::Skip(m)) => Outcome::Skipped(m),
        }
    }
}
