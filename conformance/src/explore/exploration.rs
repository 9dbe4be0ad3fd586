//! One exploration: generated cases played on the chosen engines, each failure shrunk to
//! a minimal script.
//!
//! Cases come from [`generator::cases`] with a proptest runner seeded from the seed, so
//! a seed always gives the same cases. A case passes when its run passes or is skipped
//! (an engine cannot run or cannot express a step), or when its failure is a reviewed
//! finding of [`ExploreExpectations`]. A failing case is shrunk by proptest (the
//! choices, never the validity: see [`model`]); the minimal script is then cut after
//! its failing step. The exploration goes on with the remaining cases under the next
//! round's seed.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::json;

use super::expectations::ExploreExpectations;
use super::generator;
use super::model::script_of;
use super::progress::Progress;
use crate::drivers::Registry;
use crate::scenario::{Binding, Run, Script, StepOutcome, Verdict, play};

/// What to explore.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The engines clients are drawn from, by registry name.
    pub engines: Vec<String>,
    /// How many cases to play (shrinking runs not counted).
    pub cases: u32,
    /// The seed of the case generator.
    pub seed: u64,
    /// The most clients a case declares (2 to 16).
    pub max_clients: usize,
    /// The most steps a script has.
    pub max_steps: usize,
    /// The most runs spent shrinking one failure.
    pub max_shrink_iters: u32,
    /// The exploration stops after this many failures (each shrunk).
    pub max_failures: usize,
}

/// A failure, shrunk.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The minimal failing script.
    pub script: Script,
    /// Its failing run.
    pub run: Run,
    /// The failing step (from 1) and what went wrong.
    pub step: usize,
    /// What went wrong.
    pub message: String,
    /// The number of the case that failed first (from 1).
    pub case: u32,
}

/// What an exploration did.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// The settings it ran with.
    pub settings: Settings,
    /// Cases played.
    pub cases: u32,
    /// Cases skipped (an engine could not run or express a step).
    pub skipped: u32,
    /// Cases whose failure is a reviewed finding, with the finding's reason.
    pub expected: Vec<String>,
    /// Failures, shrunk.
    pub failures: Vec<Failure>,
    /// Per engine, how many steps ran with one of its clients among those the step
    /// names (every client's engine for steps that name nobody).
    pub steps_executed: BTreeMap<String, u64>,
    /// Per engine, in how many cases it executed at least one step.
    pub cases_with_steps: BTreeMap<String, u64>,
    /// How long it took.
    pub elapsed: Duration,
}

/// How one run ends, for the exploration.
enum Judgement {
    Passed,
    Skipped,
    Expected(String),
    Failed { step: usize, message: String },
}

fn judge(script: &Script, run: &Run, expectations: &ExploreExpectations) -> Judgement {
    match &run.verdict {
        Verdict::Passed => Judgement::Passed,
        Verdict::Skipped { .. } => Judgement::Skipped,
        Verdict::Failed { step, message } => {
            let finding = step
                .checked_sub(1)
                .and_then(|i| script.steps.get(i))
                .and_then(|action| expectations.explains(action, message));
            match finding {
                Some(finding) => Judgement::Expected(format!(
                    "{} ({}): {}",
                    finding.engine, finding.rfc, finding.why
                )),
                None => Judgement::Failed {
                    step: *step,
                    message: message.clone(),
                },
            }
        }
    }
}

/// The binding generated scripts are played under; every client names its engine, so
/// it only labels the run.
fn binding(settings: &Settings) -> Binding {
    Binding::Mixed {
        engines: settings.engines.clone(),
    }
}

/// The proptest runner of round `round`: its seed mixes the exploration's seed and the
/// round.
fn runner(settings: &Settings, round: u32, cases: u32) -> TestRunner {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&settings.seed.to_le_bytes());
    seed[8..12].copy_from_slice(&round.to_le_bytes());
    let config = Config {
        cases,
        max_shrink_iters: settings.max_shrink_iters,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed))
}

/// Adds the steps of `run` to `counts`.
fn count_steps(
    script: &Script,
    run: &Run,
    counts: &mut BTreeMap<String, u64>,
    cases: &mut BTreeMap<String, u64>,
) {
    let mut in_this_case: BTreeMap<String, u64> = BTreeMap::new();
    let engine_of = |name: &str| {
        run.clients
            .iter()
            .find(|(client, _)| client == name)
            .map(|(_, engine)| engine.clone())
    };
    for (trace, action) in run.steps.iter().zip(&script.steps) {
        if !matches!(trace.outcome, StepOutcome::Ok { .. }) {
            continue;
        }
        let mut engines: Vec<String> = action.names().into_iter().filter_map(engine_of).collect();
        if engines.is_empty() {
            engines = run.clients.iter().map(|(_, e)| e.clone()).collect();
        }
        engines.sort();
        engines.dedup();
        for engine in engines {
            *in_this_case.entry(engine).or_default() += 1;
        }
    }
    for (engine, steps) in in_this_case {
        *counts.entry(engine.clone()).or_default() += steps;
        *cases.entry(engine).or_default() += 1;
    }
}

/// Explores with `settings` on the engines of `registry`; `progress` hears after every
/// case and while shrinking.
pub fn explore(
    settings: &Settings,
    registry: &Registry,
    expectations: &ExploreExpectations,
    progress: &dyn Fn(&Progress),
) -> Exploration {
    let started = Instant::now();
    let strategy = generator::cases(settings.max_clients, settings.max_steps);
    let mut exploration = Exploration {
        settings: settings.clone(),
        cases: 0,
        skipped: 0,
        expected: Vec::new(),
        failures: Vec::new(),
        steps_executed: settings.engines.iter().map(|e| (e.clone(), 0)).collect(),
        cases_with_steps: settings.engines.iter().map(|e| (e.clone(), 0)).collect(),
        elapsed: Duration::ZERO,
    };
    let mut round = 0;
    while exploration.cases < settings.cases && exploration.failures.len() < settings.max_failures {
        let state = RefCell::new((exploration, false));
        let report = |shrinking: bool, state: &(Exploration, bool)| {
            progress(&Progress {
                done: state.0.cases,
                total: settings.cases,
                failures: state.0.failures.len() + usize::from(shrinking),
                shrinking,
                started,
            })
        };
        let remaining = settings.cases - state.borrow().0.cases;
        let result = runner(settings, round, remaining).run(&strategy, |case| {
            let script = script_of(&case, &settings.engines, settings.max_steps);
            let run = play(&script, &binding(settings), registry);
            let judgement = judge(&script, &run, expectations);
            let mut state = state.borrow_mut();
            let (exploration, shrinking) = &mut *state;
            if !*shrinking {
                exploration.cases += 1;
                count_steps(
                    &script,
                    &run,
                    &mut exploration.steps_executed,
                    &mut exploration.cases_with_steps,
                );
                match &judgement {
                    Judgement::Skipped => exploration.skipped += 1,
                    Judgement::Expected(why) => exploration.expected.push(why.clone()),
                    Judgement::Passed | Judgement::Failed { .. } => {}
                }
            }
            if let Judgement::Failed { .. } = judgement {
                *shrinking = true;
            }
            report(*shrinking, &state);
            match judgement {
                Judgement::Failed { message, .. } => Err(TestCaseError::fail(message)),
                _ => Ok(()),
            }
        });
        let (explored, _) = state.into_inner();
        exploration = explored;
        match result {
            Ok(()) => break,
            Err(TestError::Fail(_, case)) => {
                let failure = minimal(&case, settings, registry, expectations, exploration.cases);
                exploration.failures.extend(failure);
            }
            Err(TestError::Abort(reason)) => {
                exploration.failures.push(Failure {
                    script: Script {
                        name: "explore".into(),
                        description: String::new(),
                        group_id: None,
                        clients: Vec::new(),
                        steps: Vec::new(),
                    },
                    run: play_aborted(settings),
                    step: 0,
                    message: format!("the generator gave up: {reason}"),
                    case: exploration.cases,
                });
                break;
            }
        }
        round += 1;
    }
    exploration.elapsed = started.elapsed();
    exploration
}

/// A run standing for an exploration proptest aborted.
fn play_aborted(settings: &Settings) -> Run {
    Run {
        script: "explore".into(),
        binding: binding(settings),
        label: binding(settings).label(),
        clients: Vec::new(),
        steps: Vec::new(),
        verdict: Verdict::Failed {
            step: 0,
            message: "aborted".into(),
        },
    }
}

/// The shrunk case's script, cut after its failing step when it still fails so.
fn minimal(
    case: &generator::Case,
    settings: &Settings,
    registry: &Registry,
    expectations: &ExploreExpectations,
    case_number: u32,
) -> Option<Failure> {
    let script = script_of(case, &settings.engines, settings.max_steps);
    let failing = |script: &Script| {
        let run = play(script, &binding(settings), registry);
        match judge(script, &run, expectations) {
            Judgement::Failed { step, message } => Some((run, step, message)),
            _ => None,
        }
    };
    let (run, step, message) = failing(&script)?;
    let mut cut = script.clone();
    cut.steps.truncate(step.max(1));
    let (script, (run, step, message)) = match failing(&cut) {
        Some(found) => (cut, found),
        None => (script, (run, step, message)),
    };
    Some(Failure {
        script,
        run,
        step,
        message,
        case: case_number,
    })
}

impl Exploration {
    /// The JSON summary: `cases`, `failures` (how many), `engines`, `seed`, per-engine
    /// `steps_executed` and `cases_with_steps`, and each failure's script under `failed`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "cases": self.cases,
            "failures": self.failures.len(),
            "engines": self.settings.engines,
            "seed": self.settings.seed,
            "max_clients": self.settings.max_clients,
            "max_steps": self.settings.max_steps,
            "skipped": self.skipped,
            "expected": self.expected,
            "steps_executed": self.steps_executed,
            "cases_with_steps": self.cases_with_steps,
            "elapsed_seconds": self.elapsed.as_secs_f64(),
            "failed": self.failures.iter().map(|f| json!({
                "case": f.case,
                "step": f.step,
                "message": f.message,
                "script": f.script,
            })).collect::<Vec<_>>(),
        })
    }
}
