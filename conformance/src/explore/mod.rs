//! Generated scenarios: `mlsconf explore`.
//!
//! [`generator`] draws abstract cases with proptest; [`model`] interprets them through a
//! small model of who is a member and what is pending into valid scripts of the
//! scenario language (valid steps, and invalid ones with a known right answer:
//! rejection). [`exploration`] plays them with the scenario runner, whose checks after
//! every step are the invariants, shrinks each failure to a minimal script and judges it
//! against the reviewed findings of [`expectations`]; [`found`] keeps the failures
//! under `conformance/scenarios/found/`. [`capabilities`] restricts the steps to what
//! every engine of a group can express (the Web API expresses fewer). [`progress`]
//! reports where an exploration is.

pub mod capabilities;
pub mod expectations;
pub mod exploration;
pub mod found;
pub mod generator;
pub mod model;
pub mod progress;

pub use capabilities::Capabilities;
pub use expectations::ExploreExpectations;
pub use exploration::{Exploration, Failure, Settings, explore};
pub use progress::Progress;
