//! The mls-webapi conformance harness.
//!
//! A *kind* is one upstream vector format (`tree-math`, `crypto-basics`, ...). Each kind
//! has a runner in [`runners`] that checks one test case (one element of the file's JSON
//! array) and ends in a [`CaseResult`]: passed, failed with the first field that differs,
//! or skipped with a reason. Skips are never counted as passes.
//!
//! Engines are driven through [`driver`]: a [`driver::Engine`] makes
//! [`driver::Client`]s that speak RFC 9420 wire bytes, [`drivers`] implements them for
//! our engine, OpenMLS and mls-rs, [`session`] runs a group across engines through an
//! in-memory delivery service, and [`commit_layout`] finds the fields of a commit to
//! tamper with.
//! [`scenario`] plays JSON scripts of a group's life on any mix of engines, checking
//! agreement after every step; it makes the interop matrix of `mlsconf interop`.
//! [`differential`] decodes the same bytes with all three engines and lists where they
//! disagree. [`explore`] generates scripts with proptest, plays them on any mix of
//! engines and shrinks each failure to a minimal script (`mlsconf explore`).

pub mod check;
pub mod commit_layout;
pub mod demo;
pub mod differential;
pub mod driver;
pub mod drivers;
pub mod expectations;
pub mod explore;
pub mod full_report;
pub mod judged;
pub mod parallel;
pub mod report;
pub mod runners;
pub mod scenario;
pub mod session;
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
