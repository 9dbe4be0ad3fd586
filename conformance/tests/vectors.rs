//! Every RFC 9420 vector case as a libtest-mimic trial, gated by `expectations.toml`.
//!
//! Trials are named `<file-stem>/<suite>/<index>`, so `cargo test -p mls-conformance
//! --test vectors -- treekem/1` runs suite 1 of `treekem.json`. A case that:
//!
//! - passes is `ok`, unless `expectations.toml` lists it: then it fails, so the entry
//!   gets removed;
//! - fails is `FAILED` with the runner's message (the first field that differs), unless
//!   listed: then it is `ignored (expected failure: <reason>)`;
//! - is skipped (an unsupported primitive) is `ignored (skipped: <reason>)`.
//!
//! Each expectations entry is a trial too (`expectations.toml: <pattern>`): it fails when
//! its pattern matches no case, or no case that fails. A missing or unreadable upstream
//! file is a failing trial, and no vector directory at all fails the whole run with the
//! places looked at.

use libtest_mimic::{Arguments, Completion, Failed, Trial};
use mls_conformance::expectations::{self, Expectations, ExpectedFailure};
use mls_conformance::{Outcome, runners, vectors};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

/// One case, run at most once however many trials ask for it.
struct Case {
    kind: runners::Kind,
    value: serde_json::Value,
    outcome: OnceLock<Outcome>,
}

impl Case {
    fn outcome(&self) -> &Outcome {
        self.outcome
            .get_or_init(|| vectors::run_case(self.kind, &self.value))
    }
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let expectations_path = expectations::default_path();
    let expectations = match Expectations::load(&expectations_path) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot use the expectations file: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dir = match vectors::find_vector_dir() {
        Ok(dir) => std::fs::canonicalize(&dir).unwrap_or(dir),
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::FAILURE;
        }
    };
    if !args.list {
        println!(
            "vectors: {}\nexpectations: {} ({} entries)",
            std::fs::canonicalize(&dir)
                .unwrap_or_else(|_| dir.clone())
                .display(),
            expectations_path.display(),
            expectations.expected_failure.len()
        );
    }

    let mut trials = Vec::new();
    let mut cases: Vec<(String, Arc<Case>)> = Vec::new();
    for (file, kind_name) in vectors::UPSTREAM_FILES {
        let kind = runners::kind(kind_name).expect("every upstream kind has a runner");
        let path = dir.join(file);
        let stem = file.trim_end_matches(".json");
        let values = match load(&path) {
            Ok(values) => values,
            Err(msg) => {
                trials.push(Trial::test(format!("{stem}/file"), move || Err(msg.into())));
                continue;
            }
        };
        for (index, value) in values.into_iter().enumerate() {
            let name = vectors::case_name(stem, &value, index);
            let case = Arc::new(Case {
                kind,
                value,
                outcome: OnceLock::new(),
            });
            let expected = expectations.matching(&name).cloned();
            trials.push(case_trial(name.clone(), case.clone(), expected));
            cases.push((name, case));
        }
    }
    for entry in expectations.expected_failure {
        let matched: Vec<Arc<Case>> = cases
            .iter()
            .filter(|(name, _)| expectations::glob_match(&entry.pattern, name))
            .map(|(_, case)| case.clone())
            .collect();
        trials.push(entry_trial(entry, matched, &dir));
    }

    libtest_mimic::run(&args, trials).exit_code()
}

/// The cases of an upstream file, or why there are none.
fn load(path: &Path) -> Result<Vec<serde_json::Value>, String> {
    if !path.is_file() {
        return Err(format!(
            "{} is missing: every upstream vector file must be present",
            path.display()
        ));
    }
    vectors::load_cases(path)
}

/// The trial of one case, judged against its expectations entry if any.
fn case_trial(name: String, case: Arc<Case>, expected: Option<ExpectedFailure>) -> Trial {
    Trial::ignorable_test(name, move || match (case.outcome(), expected) {
        (Outcome::Passed, None) => Ok(Completion::Completed),
        (Outcome::Passed, Some(e)) => Err(Failed::from(format!(
            "passes now, but expectations.toml lists it as an expected failure \
             (pattern \"{}\": {}): remove or narrow that entry",
            e.pattern, e.reason
        ))),
        (Outcome::Failed(msg), None) => Err(msg.as_str().into()),
        (Outcome::Failed(_), Some(e)) => Ok(Completion::ignored_with(format!(
            "expected failure: {}",
            e.reason
        ))),
        (Outcome::Skipped(reason), _) => Ok(Completion::ignored_with(format!("skipped: {reason}"))),
    })
}

/// The trial of one expectations entry: it must still match at least one failing case.
fn entry_trial(entry: ExpectedFailure, matched: Vec<Arc<Case>>, dir: &Path) -> Trial {
    let dir = dir.display().to_string();
    let name = format!("expectations.toml: {}", entry.pattern);
    Trial::test(name, move || {
        if matched.is_empty() {
            return Err(format!(
                "pattern \"{}\" matches no case of the vector files in {dir}: remove the entry",
                entry.pattern
            )
            .into());
        }
        let failing = matched
            .iter()
            .filter(|c| matches!(c.outcome(), Outcome::Failed(_)))
            .count();
        if failing == 0 {
            return Err(format!(
                "pattern \"{}\" matches {} cases and none of them fails any more: remove the entry",
                entry.pattern,
                matched.len()
            )
            .into());
        }
        Ok(())
    })
}
