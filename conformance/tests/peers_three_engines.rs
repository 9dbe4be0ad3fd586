//! One group with a member of every engine (ours, OpenMLS, mls-rs) at once. Each engine
//! creates the group in turn; the group then lives through adds, self-updates, proposals
//! by reference from several proposers, a PSK, external joins and removes, with
//! application messages in between, and all members must agree after every step.
//!
//! Names: `alice` uses the creator's engine, `bob` the next engine and `carol` the one
//! after (in the order ours, OpenMLS, mls-rs, wrapping around). Later members are named
//! in the order they arrive.

use mls_conformance::driver::{CommitRequest, Engine, PathChoice, TreeDelivery};
use mls_conformance::drivers::{MlsRs, OpenMls, Ours};
use mls_conformance::session::{Participant, Session, StepResult};

const GROUP_ID: &[u8] = b"three engines group";

/// Checks agreement and that the epoch moved on by exactly one from `epoch`, which then
/// holds the new epoch. `what` names the step for the failure message.
fn next_epoch(group: &mut Session, epoch: &mut u64, what: &str) -> StepResult<()> {
    let agreed = group
        .agreement()
        .map_err(|e| format!("after {what}: {e}"))?;
    if agreed.epoch != *epoch + 1 {
        return Err(format!(
            "after {what} the epoch is {}, not {}",
            agreed.epoch,
            *epoch + 1
        ));
    }
    *epoch = agreed.epoch;
    Ok(())
}

/// Every current member sends one message that every other member reads.
fn everyone_talks(group: &mut Session, topic: &str) -> StepResult<()> {
    for name in group.names() {
        group.send(&name, format!("{name} on {topic}").as_bytes())?;
    }
    Ok(())
}

/// The current leaf of `name`, as `observer` sees it in the roster.
fn leaf_in_roster(group: &mut Session, observer: &str, name: &str) -> StepResult<u32> {
    group
        .member(observer)?
        .members()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|m| m.identity == name.as_bytes())
        .map(|m| m.leaf_index)
        .ok_or_else(|| format!("{observer} does not list {name}"))
}

/// The whole life of a group whose members use `engines[0]` (the creator's), then
/// `engines[1]` and `engines[2]`.
fn a_group_of_three_engines_lives(engines: [&dyn Engine; 3]) -> StepResult<()> {
    let [first, second, third] = engines;

    // Alice creates; Bob joins with the tree in the Welcome, Carol with it out of band.
    let mut group = Session::create(Participant::new(first, "alice")?, GROUP_ID)?;
    let mut epoch = 0;
    group.add(
        "alice",
        Participant::new(second, "bob")?,
        TreeDelivery::InExtension,
    )?;
    next_epoch(&mut group, &mut epoch, "alice adds bob")?;
    group.add(
        "bob",
        Participant::new(third, "carol")?,
        TreeDelivery::OutOfBand,
    )?;
    next_epoch(&mut group, &mut epoch, "bob adds carol")?;
    everyone_talks(&mut group, "the founding")?;

    // Each member's Update proposal is committed by the member of the next engine.
    for (updater, committer) in [("alice", "bob"), ("bob", "carol"), ("carol", "alice")] {
        group.propose(updater, |c| c.propose_self_update())?;
        group.commit(committer, &CommitRequest::default())?;
        next_epoch(
            &mut group,
            &mut epoch,
            &format!("{committer} commits {updater}'s update"),
        )?;
    }
    // Each member commits a self-update of its own (a path and no proposals).
    let full = CommitRequest {
        path: PathChoice::Include,
        ..CommitRequest::default()
    };
    for name in ["carol", "bob", "alice"] {
        group.commit(name, &full)?;
        next_epoch(
            &mut group,
            &mut epoch,
            &format!("{name}'s self-update commit"),
        )?;
    }
    everyone_talks(&mut group, "fresh keys")?;

    // Two proposers, one committer: Alice proposes Dave, Bob proposes Erin, and Carol
    // commits both by reference in one commit with one Welcome.
    let mut dave = Participant::new(second, "dave")?;
    let mut erin = Participant::new(third, "erin")?;
    let dave_kp = dave.client.key_package().map_err(|e| e.to_string())?;
    let erin_kp = erin.client.key_package().map_err(|e| e.to_string())?;
    group.propose("alice", |c| c.propose_add(&dave_kp))?;
    group.propose("bob", |c| c.propose_add(&erin_kp))?;
    let output = group.commit("carol", &CommitRequest::default())?;
    group.welcome("carol", dave, &output, TreeDelivery::InExtension)?;
    group.welcome("carol", erin, &output, TreeDelivery::InExtension)?;
    next_epoch(
        &mut group,
        &mut epoch,
        "carol commits two adds by reference",
    )?;
    everyone_talks(&mut group, "five members")?;

    // An external PSK proposed by Erin and committed by Dave.
    for name in group.names() {
        group
            .member(&name)?
            .register_external_psk(b"three engines psk", &[0x33; 32])
            .map_err(|e| format!("{name}: {e}"))?;
    }
    group.propose("erin", |c| c.propose_external_psk(b"three engines psk"))?;
    group.commit("dave", &CommitRequest::default())?;
    next_epoch(&mut group, &mut epoch, "dave commits erin's PSK")?;

    // A newcomer of each engine joins by external commit, each through the GroupInfo of
    // a member of another engine, with the tree inside or out of band in turn.
    let joiners: [(&dyn Engine, &str, &str, TreeDelivery); 3] = [
        (first, "frank", "bob", TreeDelivery::InExtension),
        (second, "grace", "carol", TreeDelivery::OutOfBand),
        (third, "heidi", "alice", TreeDelivery::InExtension),
    ];
    for (engine, name, publisher, tree) in joiners {
        group.join_externally(publisher, Participant::new(engine, name)?, tree)?;
        next_epoch(
            &mut group,
            &mut epoch,
            &format!("{name} joins via {publisher}"),
        )?;
        group.send(name, format!("{name} is in").as_bytes())?;
    }

    // Removes: by value, by reference, and one that takes out the creator.
    let frank = leaf_in_roster(&mut group, "grace", "frank")?;
    let request = CommitRequest {
        remove: vec![frank],
        ..CommitRequest::default()
    };
    group.commit("grace", &request)?;
    next_epoch(&mut group, &mut epoch, "grace removes frank")?;
    let heidi = leaf_in_roster(&mut group, "dave", "heidi")?;
    group.propose("dave", |c| c.propose_remove(heidi))?;
    group.commit("erin", &CommitRequest::default())?;
    next_epoch(
        &mut group,
        &mut epoch,
        "erin commits dave's removal of heidi",
    )?;
    let alice = leaf_in_roster(&mut group, "carol", "alice")?;
    let request = CommitRequest {
        remove: vec![alice],
        ..CommitRequest::default()
    };
    group.commit("carol", &request)?;
    next_epoch(&mut group, &mut epoch, "carol removes alice")?;

    let names = group.names();
    if names != ["bob", "carol", "dave", "erin", "grace"] {
        return Err(format!("the members left are {names:?}"));
    }
    let last = group.send("bob", b"after the removals")?;
    for gone in ["frank", "heidi", "alice"] {
        if group.departed(gone)?.unprotect(&last).is_ok() {
            return Err(format!("{gone} read a message sent after its removal"));
        }
    }
    everyone_talks(&mut group, "the end")
}

#[test]
fn a_group_created_by_our_engine_with_openmls_and_mls_rs_members_stays_in_agreement()
-> StepResult<()> {
    a_group_of_three_engines_lives([&Ours, &OpenMls, &MlsRs])
}

#[test]
fn a_group_created_by_openmls_with_mls_rs_and_our_members_stays_in_agreement() -> StepResult<()> {
    a_group_of_three_engines_lives([&OpenMls, &MlsRs, &Ours])
}

#[test]
fn a_group_created_by_mls_rs_with_our_and_openmls_members_stays_in_agreement() -> StepResult<()> {
    a_group_of_three_engines_lives([&MlsRs, &Ours, &OpenMls])
}
