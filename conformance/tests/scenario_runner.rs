//! The scenario runner catches engines that disagree: an engine wrapped to lie about one
//! thing must make a run fail at the step where the lie shows, with the rest of the
//! trace not run; an engine that cannot run, or cannot express a step, must make it
//! skipped, never passed.

use mls_conformance::driver::{Client, DriverResult, Engine, Handshake};
use mls_conformance::drivers::{
    Intercepted, Interceptor, MlsRs, NOT_AVAILABLE_YET, OpenMls, Registered, Registry, WebApi,
};
use mls_conformance::scenario::{Binding, Script, StepOutcome, Verdict, play};

/// The one lie a faulty client tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lie {
    /// Its epoch authenticator has one byte flipped.
    Authenticator,
    /// It reads every application message as something else.
    Plaintext,
    /// It claims to read messages it cannot decrypt (such as after its removal).
    ReadsEverything,
    /// It applies commits but never says it was removed.
    StaysAfterRemoval,
}

/// OpenMLS, with every client telling `lie`.
struct Faulty(Lie);

impl Engine for Faulty {
    fn name(&self) -> &'static str {
        "faulty"
    }

    fn new_client(&self, identity: &[u8], cipher_suite: u16) -> DriverResult<Box<dyn Client>> {
        Ok(Box::new(Intercepted {
            inner: OpenMls.new_client(identity, cipher_suite)?,
            interceptor: self.0,
        }))
    }
}

impl Interceptor for Lie {
    fn engine(&self) -> &'static str {
        "faulty"
    }
    fn process_handshake(
        &mut self,
        inner: &mut dyn Client,
        message: &[u8],
    ) -> DriverResult<Handshake> {
        let outcome = inner.process_handshake(message)?;
        Ok(match (*self, outcome) {
            (Lie::StaysAfterRemoval, Handshake::CommitApplied { .. }) => {
                Handshake::CommitApplied { removed: false }
            }
            (_, outcome) => outcome,
        })
    }
    fn unprotect(&mut self, inner: &mut dyn Client, message: &[u8]) -> DriverResult<Vec<u8>> {
        match (*self, inner.unprotect(message)) {
            (Lie::Plaintext, Ok(mut text)) => {
                text.push(b'!');
                Ok(text)
            }
            (Lie::ReadsEverything, Err(_)) => Ok(b"a guess".to_vec()),
            (_, result) => result,
        }
    }
    fn epoch_authenticator(&self, inner: &dyn Client) -> DriverResult<Vec<u8>> {
        let mut authenticator = inner.epoch_authenticator()?;
        if *self == Lie::Authenticator {
            authenticator[0] ^= 1;
        }
        Ok(authenticator)
    }
}

/// A registry with the faulty engine, both peers and an engine still to come.
fn registry(lie: Lie) -> Registry {
    Registry::new(vec![
        Registered::available(Faulty(lie)),
        Registered::available(OpenMls),
        Registered::available(MlsRs),
        Registered::not_available_yet("ours"),
    ])
}

/// Alice (creator) adds Bob (joiner), Bob talks, Alice removes Bob, Alice talks.
fn script() -> Script {
    Script::parse(
        r#"{
        "name": "liars",
        "clients": [{ "name": "alice", "role": "creator" }, { "name": "bob", "role": "joiner" }],
        "steps": [
            { "action": "create_group", "by": "alice" },
            { "action": "add", "by": "alice", "members": ["bob"] },
            { "action": "send", "by": "bob" },
            { "action": "remove", "by": "alice", "members": ["bob"] },
            { "action": "send", "by": "alice" }
        ]}"#,
    )
    .expect("the script parses")
}

/// The step at which the run failed, and its message.
fn failure(lie: Lie, binding: &Binding) -> (usize, String) {
    let run = play(&script(), binding, &registry(lie));
    match run.verdict {
        Verdict::Failed { step, message } => {
            assert!(
                matches!(run.steps[step - 1].outcome, StepOutcome::Failed { .. }),
                "the failing step is marked failed"
            );
            assert!(
                run.steps[step..]
                    .iter()
                    .all(|s| s.outcome == StepOutcome::NotRun),
                "steps after the failure did not run"
            );
            (step, message)
        }
        other => panic!("the run should fail but is {other:?}"),
    }
}

#[test]
fn honest_engines_pass_the_script_in_every_pair() {
    let registry = registry(Lie::Authenticator);
    for binding in Binding::pairs(&["openmls", "mls-rs"]) {
        let run = play(&script(), &binding, &registry);
        assert_eq!(run.verdict, Verdict::Passed, "{}", binding.label());
    }
}

#[test]
fn a_different_epoch_authenticator_fails_the_first_step_with_two_members() {
    let (step, message) = failure(Lie::Authenticator, &Binding::pair("openmls", "faulty"));
    assert_eq!(step, 2, "{message}");
    assert!(message.contains("disagree"), "{message}");
}

#[test]
fn a_message_read_wrongly_fails_the_step_that_sent_it() {
    let (step, message) = failure(Lie::Plaintext, &Binding::pair("faulty", "mls-rs"));
    assert_eq!(step, 3, "{message}");
    assert!(message.contains("alice read bob's message"), "{message}");
}

#[test]
fn a_removed_member_reading_a_later_message_fails_the_run() {
    let (step, message) = failure(Lie::ReadsEverything, &Binding::pair("mls-rs", "faulty"));
    assert_eq!(step, 5, "{message}");
    assert!(message.contains("bob, removed from the group"), "{message}");
}

#[test]
fn a_member_that_misses_its_removal_fails_the_removal_step() {
    let (step, message) = failure(Lie::StaysAfterRemoval, &Binding::pair("openmls", "faulty"));
    assert_eq!(step, 4, "{message}");
    assert!(message.contains("bob was removed"), "{message}");
}

#[test]
fn a_run_needing_an_unavailable_engine_is_skipped_with_its_reason() {
    let run = play(
        &script(),
        &Binding::pair("openmls", "ours"),
        &registry(Lie::Authenticator),
    );
    assert_eq!(
        run.verdict,
        Verdict::Skipped {
            reason: format!("ours: {NOT_AVAILABLE_YET}")
        }
    );
    assert!(!run.verdict.passed());
    assert!(run.steps.iter().all(|s| s.outcome == StepOutcome::NotRun));
}

#[test]
fn every_step_of_a_passing_run_records_epoch_and_membership() {
    let run = play(
        &script(),
        &Binding::pair("mls-rs", "openmls"),
        &registry(Lie::Authenticator),
    );
    let seen: Vec<(u64, usize)> = run
        .steps
        .iter()
        .map(|s| match &s.outcome {
            StepOutcome::Ok { epoch, members, .. } => (*epoch, *members),
            other => panic!("step {} is {other:?}", s.number),
        })
        .collect();
    assert_eq!(seen, [(0, 1), (1, 2), (1, 2), (2, 1), (2, 1)]);
}

#[test]
fn a_script_with_a_mistake_fails_before_any_engine_runs() {
    let mut broken = script();
    broken.steps.swap(0, 1);
    let run = play(
        &broken,
        &Binding::only("openmls"),
        &registry(Lie::Authenticator),
    );
    match run.verdict {
        Verdict::Failed { step: 0, message } => {
            assert!(message.contains("first step"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn competing_commits_leave_everyone_in_the_winners_epoch() {
    let script = Script::parse(
        r#"{
        "name": "race",
        "clients": [{ "name": "a", "role": "creator" }, { "name": "b", "role": "joiner" },
                    { "name": "c", "role": "joiner" }],
        "steps": [
            { "action": "create_group", "by": "a" },
            { "action": "add", "by": "a", "members": ["b", "c"] },
            { "action": "competing_commits", "by": ["c", "a", "b"] },
            { "action": "send", "by": "a" }
        ]}"#,
    )
    .expect("the script parses");
    let run = play(
        &script,
        &Binding::pair("openmls", "mls-rs"),
        &registry(Lie::Authenticator),
    );
    assert_eq!(run.verdict, Verdict::Passed);
    match &run.steps[2].outcome {
        StepOutcome::Ok { epoch, note, .. } => {
            assert_eq!(*epoch, 2);
            assert_eq!(note.as_deref(), Some("c's commit won"));
        }
        other => panic!("{other:?}"),
    }
}

/// OpenMLS and the Web API.
fn with_webapi() -> Registry {
    Registry::new(vec![
        Registered::available(OpenMls),
        Registered::available(WebApi),
    ])
}

#[test]
fn the_webapi_engine_passes_a_script_it_can_express() {
    for binding in Binding::pairs(&["openmls", "webapi"]) {
        let run = play(&script(), &binding, &with_webapi());
        assert_eq!(run.verdict, Verdict::Passed, "{}", binding.label());
    }
}

#[test]
fn a_step_the_engine_cannot_express_skips_the_run_naming_engine_and_step() {
    let script = Script::parse(
        r#"{
        "name": "update",
        "clients": [{ "name": "alice", "role": "creator" }, { "name": "bob", "role": "joiner" }],
        "steps": [
            { "action": "create_group", "by": "alice" },
            { "action": "add", "by": "alice", "members": ["bob"] },
            { "action": "propose_update", "by": "bob" },
            { "action": "commit", "by": "alice" }
        ]}"#,
    )
    .expect("the script parses");
    let run = play(&script, &Binding::pair("openmls", "webapi"), &with_webapi());
    let Verdict::Skipped { reason } = &run.verdict else {
        panic!("the run should be skipped but is {:?}", run.verdict);
    };
    assert!(
        reason.starts_with("step 3 (bob proposes updating its leaf)"),
        "{reason}"
    );
    assert!(
        reason.contains("webapi: propose_self_update is unsupported"),
        "{reason}"
    );
    assert!(!run.verdict.passed() && !run.verdict.failed());
    assert!(matches!(run.steps[1].outcome, StepOutcome::Ok { .. }));
    assert!(
        run.steps[2..]
            .iter()
            .all(|s| s.outcome == StepOutcome::NotRun)
    );
    // The same script with Bob on OpenMLS runs to the end.
    let run = play(&script, &Binding::only("openmls"), &with_webapi());
    assert_eq!(run.verdict, Verdict::Passed);
}
