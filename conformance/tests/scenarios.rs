//! Every scenario script in `conformance/scenarios/` under every binding of the interop
//! matrix, one test each, named `<script>: <binding>`:
//!
//! - `welcome-join: openmls creates, mls-rs joins` (a creator × joiner pair),
//! - `welcome-join: mls-rs creates and joins` (a pair of an engine with itself),
//! - `welcome-join: mixed: mls-rs, openmls` (clients take the engines in turn).
//!
//! A run that needs an engine that is not available is `ignored (skipped: <reason>)`,
//! never `ok`. A failing run shows its first disagreement and the step trace. Filter as
//! usual: `cargo test -p mls-conformance --test scenarios -- large-group`.

use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Completion, Failed, Trial};
use mls_conformance::drivers::{self, Registry};
use mls_conformance::scenario::{Binding, Run, Script, Verdict, catalog, matrix, play};

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let registry = Arc::new(drivers::all());
    let dir = catalog::default_dir();
    let entries = match catalog::load_dir(&dir, &registry) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut trials = Vec::new();
    for entry in entries {
        let name = entry.name();
        match entry.script {
            Err(problem) => trials.push(Trial::test(
                format!("{name}: the script loads"),
                move || Err(problem.into()),
            )),
            Ok(script) => {
                let script = Arc::new(script);
                for binding in matrix::bindings(&registry) {
                    trials.push(trial(script.clone(), binding, registry.clone()));
                }
            }
        }
    }
    libtest_mimic::run(&args, trials).exit_code()
}

/// The test of one script under one binding.
fn trial(script: Arc<Script>, binding: Binding, registry: Arc<Registry>) -> Trial {
    let name = format!("{}: {}", script.name, binding.label());
    Trial::ignorable_test(name, move || {
        let run = play(&script, &binding, &registry);
        match &run.verdict {
            Verdict::Passed => Ok(Completion::Completed),
            Verdict::Skipped { reason } => {
                Ok(Completion::ignored_with(format!("skipped: {reason}")))
            }
            Verdict::Failed { .. } => Err(Failed::from(explain(&run))),
        }
    })
}

/// The first disagreement, then who runs where and every step's outcome.
fn explain(run: &Run) -> String {
    let mut text = matrix::failure_line(run);
    text.push_str("\n\nclients:");
    for (client, engine) in &run.clients {
        text.push_str(&format!(" {client}={engine}"));
    }
    text.push_str("\n\nsteps:\n");
    for step in &run.steps {
        text.push_str(&format!(
            "  {:>3}  {:<60}  {}\n",
            step.number,
            step.action,
            step.outcome.cell()
        ));
    }
    text
}
