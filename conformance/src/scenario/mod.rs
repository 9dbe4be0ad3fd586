//! Scenario scripts: a group's life written down as JSON, played on any engines.
//!
//! A [`Script`] names clients and lists actions (create, add, remove, propose, commit,
//! external join, send, out-of-order delivery, PSKs, exporter checks). A [`Binding`]
//! gives each client an engine; [`play`] runs the script through the delivery service
//! of [`crate::session`], checks the group after every step and returns a [`Run`]: a
//! per-step trace and a verdict naming the first disagreement. [`catalog`] finds the
//! scripts in `conformance/scenarios/`, [`matrix`] plays them for every pair of engines
//! and in mixed groups, and [`side_by_side`] shows one script on several engines.

pub mod binding;
pub mod catalog;
pub mod matrix;
pub mod runner;
pub mod script;
pub mod side_by_side;
pub mod trace;
pub mod validation;

pub use binding::Binding;
pub use runner::play;
pub use script::{Action, Script};
pub use trace::{Run, StepOutcome, StepTrace, Verdict};
pub use validation::validate;
