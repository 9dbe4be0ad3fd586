//! The decoding-differential gate: ours, OpenMLS and mls-rs judge the same bytes (every
//! standalone structure of the RFC 9420 vectors, mutants of a sample of them, and the
//! messages of a short peer run) at the `decode` and `message` levels, and every input on
//! which they disagree must be a reviewed entry of `conformance/decoding-expectations.toml`.

use std::sync::OnceLock;
use std::time::Instant;

use mls_conformance::differential::expectations::{DecodingExpectations, default_path};
use mls_conformance::differential::{self, Run};
use mls_conformance::vectors::find_vector_dir;

/// How many problems are printed in full before the rest are only counted.
const SHOWN: usize = 40;

/// The run both tests look at, made once.
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(judge_everything)
}

fn judge_everything() -> Run {
    let dir = find_vector_dir().unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let run = differential::run(&dir).unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "decoding differential over {}: {} vector inputs, {} mutants, {} peer messages; \
         {} verdicts, {} disagreements, in {:.1?}",
        dir.display(),
        run.vector_inputs,
        run.mutants,
        run.peer_inputs,
        run.verdicts,
        run.disagreements.len(),
        started.elapsed()
    );
    run
}

#[test]
fn every_disagreement_between_the_engines_is_reviewed_and_every_review_still_applies() {
    let run = run();
    let expectations =
        DecodingExpectations::load(&default_path()).unwrap_or_else(|e| panic!("{e}"));
    let problems = expectations.problems(&run.disagreements);
    let shown: Vec<&str> = problems.iter().take(SHOWN).map(String::as_str).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s) with {} (showing {}):\n{}",
        problems.len(),
        default_path().display(),
        shown.len(),
        shown.join("\n")
    );
}

#[test]
fn the_run_judges_every_vector_file_their_mutants_and_the_peer_messages() {
    let run = run();
    // 300 messages.json cases of 17 fields, plus welcome.json and the passive-client files.
    assert!(
        run.vector_inputs > 300 * 17,
        "only {} vector inputs",
        run.vector_inputs
    );
    assert!(run.mutants > 1000, "only {} mutants", run.mutants);
    assert!(
        run.peer_inputs >= 13,
        "only {} peer messages",
        run.peer_inputs
    );
    for ((level, engine), tally) in &run.tally {
        eprintln!("{level:>7} {engine:>7}: {tally:?}");
    }
}
