//! What one run of a script did, step by step, and how it ended.

use serde::Serialize;

use super::binding::Binding;

/// One run of one script under one binding.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// The script's name.
    pub script: String,
    /// The binding, as given.
    pub binding: Binding,
    /// The binding's readable name.
    pub label: String,
    /// Every client's engine, in declaration order: (client, engine).
    pub clients: Vec<(String, String)>,
    /// Every step of the script, run or not.
    pub steps: Vec<StepTrace>,
    /// How the run ended.
    pub verdict: Verdict,
}

/// One step of a run.
#[derive(Debug, Clone, Serialize)]
pub struct StepTrace {
    /// The step number, from 1.
    pub number: usize,
    /// The step in words.
    pub action: String,
    /// What happened.
    pub outcome: StepOutcome,
}

/// What happened in one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum StepOutcome {
    /// The step ran and every check after it held.
    Ok {
        /// The epoch every member is in.
        epoch: u64,
        /// How many members the group has.
        members: usize,
        /// The epoch authenticator every member has, in hex.
        authenticator: String,
        /// Anything else worth showing (who won a race, an exporter value).
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The step failed, or a check after it did; the message names the first
    /// disagreement.
    Failed {
        /// What went wrong.
        message: String,
    },
    /// The step did not run: an earlier one failed, or the run was skipped.
    NotRun,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Verdict {
    /// Every step ran and every check held.
    Passed,
    /// Step `step` failed (0 when the run could not even start).
    Failed {
        /// The failing step number.
        step: usize,
        /// The first disagreement.
        message: String,
    },
    /// The run needs an engine that cannot run, or a step an engine cannot express;
    /// never counted as passed.
    Skipped {
        /// Why, e.g. `mls-rs: engine not available yet` when a registry lists an engine
        /// whose driver cannot run, or `step 5 (…): webapi: propose_self_update is
        /// unsupported: …`.
        reason: String,
    },
}

impl Verdict {
    /// Whether the run passed.
    pub fn passed(&self) -> bool {
        *self == Verdict::Passed
    }

    /// Whether the run failed.
    pub fn failed(&self) -> bool {
        matches!(self, Verdict::Failed { .. })
    }

    /// Whether the run was skipped.
    pub fn skipped(&self) -> bool {
        matches!(self, Verdict::Skipped { .. })
    }

    /// One line: `passed`, `failed at step N: …`, or `skipped: …`.
    pub fn summary(&self) -> String {
        match self {
            Verdict::Passed => "passed".to_owned(),
            Verdict::Failed { step, message } => format!("failed at step {step}: {message}"),
            Verdict::Skipped { reason } => format!("skipped: {reason}"),
        }
    }
}

impl StepOutcome {
    /// A short cell for tables: `ok, epoch 3, 4 members` or `FAILED` or `-`.
    pub fn cell(&self) -> String {
        match self {
            StepOutcome::Ok { epoch, members, .. } => {
                let plural = if *members == 1 { "" } else { "s" };
                format!("ok, epoch {epoch}, {members} member{plural}")
            }
            StepOutcome::Failed { .. } => "FAILED".to_owned(),
            StepOutcome::NotRun => "-".to_owned(),
        }
    }
}
