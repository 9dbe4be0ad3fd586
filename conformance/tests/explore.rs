//! `explore` finds bugs: our engine with a realistic injected bug is caught and the
//! failure shrunk to a few steps; the invalid script actions fail a run whose engine
//! accepts what it must reject; and a fixed-seed exploration over every engine finds
//! nothing (the CI run of generated scenarios).

use std::collections::HashMap;
use std::time::Instant;

use mls_conformance::driver::{Client, DriverResult, Engine, Handshake};
use mls_conformance::drivers::{self, Intercepted, Interceptor, Ours, Registered, Registry};
use mls_conformance::explore::{self, ExploreExpectations, Settings, found};
use mls_conformance::scenario::{Binding, Script, Verdict, play};

/// A realistic bug planted in our engine.
#[derive(Clone, Copy)]
enum Bug {
    /// A cache of decrypted messages answers a message seen before instead of
    /// decrypting it again (a de-duplication layer in front of decryption). A replayed
    /// message must be rejected: its key was consumed and deleted (RFC 9420 §9.2).
    ReplayCache,
    /// A handshake message seen before is answered with its first outcome. A commit of a
    /// past epoch must be rejected (RFC 9420 §6, §12.4.2).
    HandshakeCache,
    /// A handshake message that fails to process is taken as a stored proposal. A
    /// tampered commit must be rejected (RFC 9420 §6.1, §6.2).
    SwallowedErrors,
}

impl Engine for Bug {
    fn name(&self) -> &'static str {
        match self {
            Bug::ReplayCache => "ours-with-replay-cache",
            Bug::HandshakeCache => "ours-with-handshake-cache",
            Bug::SwallowedErrors => "ours-swallowing-errors",
        }
    }

    fn new_client(&self, identity: &[u8], cipher_suite: u16) -> DriverResult<Box<dyn Client>> {
        Ok(Box::new(Intercepted {
            inner: Ours.new_client(identity, cipher_suite)?,
            interceptor: Buggy {
                bug: *self,
                read: HashMap::new(),
                processed: HashMap::new(),
            },
        }))
    }
}

/// Our client with the bug planted: what it remembers of the messages it has seen.
struct Buggy {
    bug: Bug,
    read: HashMap<Vec<u8>, Vec<u8>>,
    processed: HashMap<Vec<u8>, Handshake>,
}

impl Interceptor for Buggy {
    fn engine(&self) -> &'static str {
        self.bug.name()
    }
    fn unprotect(&mut self, inner: &mut dyn Client, message: &[u8]) -> DriverResult<Vec<u8>> {
        if let (Bug::ReplayCache, Some(plaintext)) = (self.bug, self.read.get(message)) {
            return Ok(plaintext.clone());
        }
        let plaintext = inner.unprotect(message)?;
        self.read.insert(message.to_vec(), plaintext.clone());
        Ok(plaintext)
    }
    fn process_handshake(
        &mut self,
        inner: &mut dyn Client,
        message: &[u8],
    ) -> DriverResult<Handshake> {
        if let (Bug::HandshakeCache, Some(outcome)) = (self.bug, self.processed.get(message)) {
            return Ok(*outcome);
        }
        match (self.bug, inner.process_handshake(message)) {
            (_, Ok(outcome)) => {
                self.processed.insert(message.to_vec(), outcome);
                Ok(outcome)
            }
            (Bug::SwallowedErrors, Err(_)) => Ok(Handshake::ProposalStored),
            (_, Err(e)) => Err(e),
        }
    }
}

#[test]
fn explore_finds_and_shrinks_planted_bug() {
    let registry = Registry::new(vec![Registered::available(Bug::ReplayCache)]);
    // Small groups and scripts keep the test quick; the bug needs two members.
    let settings = Settings {
        engines: vec!["ours-with-replay-cache".into()],
        cases: 256,
        seed: 10,
        max_clients: 4,
        max_steps: 20,
        max_shrink_iters: 512,
        max_failures: 1,
    };
    let exploration = explore::explore(
        &settings,
        &registry,
        &ExploreExpectations::default(),
        &|_| {},
    );
    let failure = exploration
        .failures
        .first()
        .expect("explore finds the replayed message read from the cache");
    assert!(exploration.cases <= 256);
    assert!(
        failure.message.contains("accepted a replayed message"),
        "{}",
        failure.message
    );
    let steps: Vec<String> = failure.script.steps.iter().map(|s| s.describe()).collect();
    assert!(
        steps.len() <= 6,
        "shrunk to {} steps: {steps:#?}",
        steps.len()
    );
    println!(
        "found in case {} of {}, shrunk to {} steps: {steps:#?}",
        failure.case,
        exploration.cases,
        steps.len()
    );

    // The kept script reproduces the failure, and passes on our engine without the bug.
    let dir = std::env::temp_dir().join(format!("explore-planted-{}", std::process::id()));
    let path = found::write(&dir, settings.seed, &failure.script, &failure.message).unwrap();
    let kept = Script::load(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let buggy = play(&kept, &Binding::only("ours-with-replay-cache"), &registry);
    assert_eq!(buggy.verdict, failure.run.verdict);
    let fixed = found::rebound(&kept, "ours");
    let run = play(&fixed, &Binding::only("ours"), &drivers::all());
    assert!(run.verdict.passed(), "{}", run.verdict.summary());
}

/// Plays `steps` with three clients of `bug`; returns the run's verdict.
fn played_with(bug: Bug, steps: &str) -> Verdict {
    let registry = Registry::new(vec![Registered::available(bug)]);
    let script = Script::parse(&format!(
        r#"{{"name":"invalid","clients":[{{"name":"m","count":3,"engine":"{}"}}],
            "steps":[{{"action":"create_group","by":"m1"}},
                     {{"action":"add","by":"m1","members":["m2","m3"]}},{steps}]}}"#,
        bug.name()
    ))
    .unwrap();
    play(&script, &Binding::only(bug.name()), &registry).verdict
}

#[test]
fn an_engine_reading_a_replayed_message_fails_at_the_replay() {
    let steps = r#"{"action":"send","by":"m2"},{"action":"replay"}"#;
    let verdict = played_with(Bug::ReplayCache, steps);
    assert!(
        matches!(&verdict, Verdict::Failed { step: 4, message } if message.contains("accepted a replayed message")),
        "{verdict:?}"
    );
    assert!(played_with(Bug::HandshakeCache, steps).passed());
}

#[test]
fn an_engine_applying_a_stale_commit_fails_at_the_stale_commit() {
    let steps = r#"{"action":"commit","by":"m2"},{"action":"stale_commit"}"#;
    let verdict = played_with(Bug::HandshakeCache, steps);
    assert!(
        matches!(&verdict, Verdict::Failed { step: 4, message } if message.contains("accepted a commit of a past epoch")),
        "{verdict:?}"
    );
    assert!(played_with(Bug::ReplayCache, steps).passed());
}

#[test]
fn an_engine_swallowing_a_tampered_commit_fails_at_the_tamper() {
    let steps = r#"{"action":"tamper","by":"m3","byte":40},{"action":"commit","by":"m1"}"#;
    let verdict = played_with(Bug::SwallowedErrors, steps);
    assert!(
        matches!(&verdict, Verdict::Failed { step: 3, message } if message.contains("accepted a tampered commit")),
        "{verdict:?}"
    );
    assert!(played_with(Bug::ReplayCache, steps).passed());
}

#[test]
fn explore_64_cases_over_every_engine_find_nothing() {
    let registry = drivers::all();
    let engines: Vec<String> = registry
        .available()
        .into_iter()
        .map(str::to_owned)
        .collect();
    // Up to 8 clients and 40 steps (not 16 and 60) leave room for slower engines within
    // the CI budget: ours, OpenMLS and mls-rs play these 64 cases in seconds.
    let settings = Settings {
        engines: engines.clone(),
        cases: 64,
        seed: 64,
        max_clients: 8,
        max_steps: 40,
        max_shrink_iters: 128,
        max_failures: 3,
    };
    let expectations = ExploreExpectations::load(&explore::expectations::default_path()).unwrap();
    let started = Instant::now();
    let exploration = explore::explore(&settings, &registry, &expectations, &|_| {});
    println!(
        "{} cases over {engines:?} in {:.1}s: {}",
        exploration.cases,
        started.elapsed().as_secs_f64(),
        exploration.to_json()
    );
    assert_eq!(exploration.cases, 64);
    let failures: Vec<String> = exploration
        .failures
        .iter()
        .map(|f| {
            format!(
                "{}\n{}",
                f.message,
                serde_json::to_string_pretty(&f.script).unwrap()
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The generator gives a group only the steps all its engines express (the Web API's
    // included), so no case is skipped.
    assert_eq!(exploration.skipped, 0, "cases skipped");
    for engine in &engines {
        assert!(
            exploration.steps_executed[engine] > 0,
            "{engine} ran no step"
        );
        let cases = exploration.cases_with_steps[engine];
        assert!(
            (1..=64).contains(&cases),
            "{engine} ran steps in {cases} cases"
        );
        assert!(cases <= exploration.steps_executed[engine]);
    }
}
