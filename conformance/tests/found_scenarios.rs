//! Every script `mlsconf explore` found and kept under `conformance/scenarios/found/` is
//! replayed as found and with every client on each engine in turn; none may fail (a
//! reviewed finding of `conformance/explore-expectations.toml` excepted).

use mls_conformance::drivers;
use mls_conformance::explore::{ExploreExpectations, expectations, found};
use mls_conformance::scenario::{Binding, Script, Verdict, play, validate};

#[test]
fn every_found_script_passes_on_every_engine() {
    let registry = drivers::all();
    let reviewed = ExploreExpectations::load(&expectations::default_path()).unwrap();
    let dir = found::default_dir();
    let paths = found::scripts_in(&dir).unwrap();
    println!("{} scripts in {}", paths.len(), dir.display());
    assert!(
        dir.join("README.md").is_file(),
        "the folder explains itself"
    );
    let mut failures = Vec::new();
    for path in &paths {
        let script = Script::load(path).unwrap();
        validate(&script, &registry).unwrap();
        let mut runs = vec![(
            script.clone(),
            Binding::Mixed {
                engines: registry.names().iter().map(|e| (*e).to_owned()).collect(),
            },
        )];
        for engine in registry.available() {
            runs.push((found::rebound(&script, engine), Binding::only(engine)));
        }
        for (script, binding) in runs {
            let run = play(&script, &binding, &registry);
            if let Verdict::Failed { step, message } = &run.verdict {
                let action = step.checked_sub(1).and_then(|i| script.steps.get(i));
                if action.and_then(|a| reviewed.explains(a, message)).is_none() {
                    failures.push(format!(
                        "{} ({}): {}",
                        path.display(),
                        run.label,
                        run.verdict.summary()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
