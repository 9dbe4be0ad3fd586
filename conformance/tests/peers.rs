//! Interop between our engine and the peer engines: for every creator × joiner pair of
//! {ours, OpenMLS, mls-rs} (nine pairs, each engine with itself included), the same
//! scenarios run through one in-memory delivery service, and after every step all
//! members must agree on the epoch, the epoch authenticator, an exporter output and the
//! member list.
//!
//! Names: the creator is always `alice`; `bob` joins with the other engine of the pair;
//! later members are named in the order they arrive (`carol`, `dave`, `erin`).

use mls_conformance::driver::{CommitRequest, Engine, Handshake, PathChoice, TreeDelivery};
use mls_conformance::session::{Participant, Session, StepResult};

const GROUP_ID: &[u8] = b"peers interop group";

/// Alice (creator's engine) creates the group and adds Bob (joiner's engine).
fn alice_and_bob(
    creator: &dyn Engine,
    joiner: &dyn Engine,
    tree: TreeDelivery,
) -> StepResult<Session> {
    let mut group = Session::create(Participant::new(creator, "alice")?, GROUP_ID)?;
    group.add("alice", Participant::new(joiner, "bob")?, tree)?;
    let agreed = group.agreement()?;
    check(
        agreed.epoch == 1,
        format!("after one add the epoch is {}", agreed.epoch),
    )?;
    Ok(group)
}

fn check(condition: bool, failure: impl Into<String>) -> StepResult<()> {
    if condition {
        Ok(())
    } else {
        Err(failure.into())
    }
}

fn joins_from_a_welcome(
    creator: &dyn Engine,
    joiner: &dyn Engine,
    tree: TreeDelivery,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, tree)?;
    let bob = group.leaf_of("bob")?;
    check(bob == 1, format!("bob sits at leaf {bob}, not 1"))
}

/// A Welcome made with the tree out of band must really lack it: Carol, added in the same
/// commit as Bob, cannot join without the tree, while Bob joins with it.
fn a_welcome_without_the_tree_needs_it_out_of_band(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = Session::create(Participant::new(creator, "alice")?, GROUP_ID)?;
    let mut bob = Participant::new(joiner, "bob")?;
    let mut carol = Participant::new(joiner, "carol")?;
    let add = [&mut bob, &mut carol]
        .into_iter()
        .map(|p| p.client.key_package().map_err(|e| e.to_string()))
        .collect::<StepResult<Vec<_>>>()?;
    let request = CommitRequest {
        add,
        tree: TreeDelivery::OutOfBand,
        ..CommitRequest::default()
    };
    let output = group.commit("alice", &request)?;
    let welcome = output
        .welcome
        .as_deref()
        .ok_or("alice's commit has no Welcome")?;
    if carol.client.join_from_welcome(welcome, None).is_ok() {
        return Err("carol joined without the tree, so the Welcome carried it".into());
    }
    group.welcome("alice", bob, &output, TreeDelivery::OutOfBand)?;
    // Carol's leaf is in the tree but nobody runs it; Bob removes it.
    let carol_leaf = group
        .member("bob")?
        .members()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|m| m.identity == b"carol")
        .ok_or("carol is not in the roster")?
        .leaf_index;
    let request = CommitRequest {
        remove: vec![carol_leaf],
        ..CommitRequest::default()
    };
    group.commit("bob", &request)?;
    group.agreement().map(drop)
}

fn application_messages_flow_both_ways(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    for round in 0..3 {
        group.send("alice", format!("alice says {round}").as_bytes())?;
        group.send("bob", format!("bob answers {round}").as_bytes())?;
    }
    group.send("bob", b"")?;
    group.agreement().map(drop)
}

fn messages_arriving_out_of_order_are_read(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    let sent: Vec<(Vec<u8>, Vec<u8>)> = (0..12)
        .map(|i| {
            let text = format!("message {i}").into_bytes();
            let wire = group
                .member("alice")?
                .protect(&text)
                .map_err(|e| e.to_string())?;
            Ok((text, wire))
        })
        .collect::<StepResult<_>>()?;
    let bob = group.member("bob")?;
    for (text, wire) in sent.iter().rev() {
        let got = bob.unprotect(wire).map_err(|e| e.to_string())?;
        check(got == *text, format!("bob read {got:02x?} for {text:02x?}"))?;
    }
    Ok(())
}

/// Alice reads a message Bob sent `epochs_back` epochs ago, if her engine still holds
/// that epoch: both drivers keep three prior epochs.
fn a_message_from_an_earlier_epoch(
    creator: &dyn Engine,
    joiner: &dyn Engine,
    epochs_back: u64,
) -> StepResult<bool> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    let late = group
        .member("bob")?
        .protect(b"sent before the commits")
        .map_err(|e| e.to_string())?;
    for _ in 0..epochs_back {
        group.commit("alice", &CommitRequest::default())?;
    }
    group.agreement()?;
    Ok(group.member("alice")?.unprotect(&late).is_ok())
}

fn messages_from_up_to_three_epochs_back_are_read(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    for epochs_back in 1..=5 {
        let read = a_message_from_an_earlier_epoch(creator, joiner, epochs_back)?;
        check(
            read == (epochs_back <= 3),
            format!(
                "a message from {epochs_back} epochs back was {}",
                if read { "read" } else { "not read" }
            ),
        )?;
    }
    Ok(())
}

fn each_side_commits_and_the_other_follows(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    let before = group.agreement()?;
    let by_alice = group.commit("alice", &CommitRequest::default())?;
    check(by_alice.has_path, "an empty commit by alice has no path")?;
    let after_alice = group.agreement()?;
    check(
        after_alice.epoch == before.epoch + 1,
        "alice's commit did not advance the epoch",
    )?;
    let by_bob = group.commit("bob", &CommitRequest::default())?;
    check(by_bob.has_path, "an empty commit by bob has no path")?;
    let after_bob = group.agreement()?;
    check(
        after_bob.epoch == before.epoch + 2,
        "bob's commit did not advance the epoch",
    )?;
    group.send("alice", b"after two commits")?;
    group.send("bob", b"still here")?;
    Ok(())
}

fn an_add_without_a_path_is_followed(creator: &dyn Engine, joiner: &dyn Engine) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    let mut carol = Participant::new(creator, "carol")?;
    let key_package = carol.client.key_package().map_err(|e| e.to_string())?;
    let request = CommitRequest {
        add: vec![key_package],
        path: PathChoice::Omit,
        ..CommitRequest::default()
    };
    let output = group.commit("bob", &request)?;
    check(
        !output.has_path,
        "bob's add-only commit carries a path although Omit was asked",
    )?;
    group.welcome("bob", carol, &output, TreeDelivery::InExtension)?;
    group.agreement()?;
    group.send("carol", b"hello from carol")?;
    Ok(())
}

fn a_commit_with_a_forced_path_is_followed(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    let mut carol = Participant::new(joiner, "carol")?;
    let key_package = carol.client.key_package().map_err(|e| e.to_string())?;
    let request = CommitRequest {
        add: vec![key_package],
        path: PathChoice::Include,
        tree: TreeDelivery::OutOfBand,
        ..CommitRequest::default()
    };
    let output = group.commit("alice", &request)?;
    check(
        output.has_path,
        "alice's commit has no path although Include was asked",
    )?;
    group.welcome("alice", carol, &output, TreeDelivery::OutOfBand)?;
    group.agreement().map(drop)
}

fn a_path_that_cannot_be_omitted_is_refused(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    let before = group.agreement()?;
    let request = CommitRequest {
        remove: vec![0],
        path: PathChoice::Omit,
        ..CommitRequest::default()
    };
    match group.member("bob")?.commit(&request) {
        Err(e) if e.is_unsupported() => {}
        Err(e) => return Err(format!("expected Unsupported, got {e}")),
        Ok(_) => return Err("a remove without a path was accepted".into()),
    }
    check(
        group.agreement()? == before,
        "a refused commit changed bob's state",
    )?;
    // Bob can still commit normally afterwards: the refused commit left nothing pending.
    group.commit("bob", &CommitRequest::default())?;
    group.agreement().map(drop)
}

fn a_proposal_by_reference_is_committed_by_the_other_engine(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    // Bob proposes to add Carol; Alice commits the proposal by reference.
    let mut carol = Participant::new(creator, "carol")?;
    let key_package = carol.client.key_package().map_err(|e| e.to_string())?;
    group.propose("bob", |bob| bob.propose_add(&key_package))?;
    let output = group.commit("alice", &CommitRequest::default())?;
    group.welcome("alice", carol, &output, TreeDelivery::InExtension)?;
    group.agreement()?;
    // Alice proposes to remove Carol; Bob commits it.
    let carol_leaf = group.leaf_of("carol")?;
    group.propose("alice", |alice| alice.propose_remove(carol_leaf))?;
    group.commit("bob", &CommitRequest::default())?;
    check(
        group.names() == ["alice", "bob"],
        format!("members left: {:?}", group.names()),
    )?;
    group.agreement()?;
    group.send("bob", b"just us again")?;
    Ok(())
}

fn an_external_psk_proposed_by_one_is_committed_by_the_other(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    for name in ["alice", "bob"] {
        let client = group.member(name)?;
        client
            .register_external_psk(b"psk one", &[0x11; 32])
            .map_err(|e| e.to_string())?;
        client
            .register_external_psk(b"psk two", &[0x22; 32])
            .map_err(|e| e.to_string())?;
    }
    let before = group.agreement()?;
    group.propose("bob", |bob| bob.propose_external_psk(b"psk one"))?;
    group.commit("alice", &CommitRequest::default())?;
    let after_one = group.agreement()?;
    group.propose("alice", |alice| alice.propose_external_psk(b"psk two"))?;
    group.commit("bob", &CommitRequest::default())?;
    let after_two = group.agreement()?;
    check(
        before.exporter != after_one.exporter && after_one.exporter != after_two.exporter,
        "a PSK commit did not change the exporter",
    )?;
    group.send("alice", b"keyed with two PSKs")?;
    Ok(())
}

fn a_self_update_heals_the_updater(creator: &dyn Engine, joiner: &dyn Engine) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    let start = group.agreement()?;
    let keys_before = group
        .member("alice")?
        .members()
        .map_err(|e| e.to_string())?;
    // Bob's Update proposal, committed by Alice.
    group.propose("bob", |bob| bob.propose_self_update())?;
    group.commit("alice", &CommitRequest::default())?;
    let after_update = group.agreement()?;
    // Bob's own self-update commit (a commit with a path and no proposals).
    let request = CommitRequest {
        path: PathChoice::Include,
        ..CommitRequest::default()
    };
    group.commit("bob", &request)?;
    let after_commit = group.agreement()?;
    check(
        start.authenticator != after_update.authenticator
            && after_update.authenticator != after_commit.authenticator,
        "a self-update left the epoch authenticator unchanged",
    )?;
    let keys_after = group.member("bob")?.members().map_err(|e| e.to_string())?;
    check(
        keys_before == keys_after,
        "a self-update changed a signature key or identity",
    )?;
    group.send("bob", b"fresh keys")?;
    Ok(())
}

fn a_removed_member_cannot_read_later_messages(
    creator: &dyn Engine,
    joiner: &dyn Engine,
    remover: &str,
    removed: &str,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    group.add(
        "alice",
        Participant::new(joiner, "carol")?,
        TreeDelivery::OutOfBand,
    )?;
    let leaf = group.leaf_of(removed)?;
    let request = CommitRequest {
        remove: vec![leaf],
        ..CommitRequest::default()
    };
    group.commit(remover, &request)?;
    check(
        !group.names().iter().any(|n| n == removed),
        format!("{removed} is still a member"),
    )?;
    group.agreement()?;
    let secret = group.send(remover, b"not for the removed")?;
    if let Ok(text) = group.departed(removed)?.unprotect(&secret) {
        return Err(format!(
            "{removed} read a message after removal: {text:02x?}"
        ));
    }
    group.send("carol", b"carol is still in")?;
    Ok(())
}

fn newcomers_join_by_external_commit(creator: &dyn Engine, joiner: &dyn Engine) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    // Dave (creator's engine) joins through Bob's GroupInfo, tree inside.
    group.join_externally(
        "bob",
        Participant::new(creator, "dave")?,
        TreeDelivery::InExtension,
    )?;
    group.agreement()?;
    group.send("dave", b"dave joined on his own")?;
    // Erin (joiner's engine) joins through Alice's GroupInfo, tree out of band; that
    // GroupInfo must really lack the tree.
    let bare = group
        .member("alice")?
        .group_info(TreeDelivery::OutOfBand)
        .map_err(|e| e.to_string())?;
    let mut erin = Participant::new(joiner, "erin")?;
    if erin.client.join_by_external_commit(&bare, None).is_ok() {
        return Err("erin joined without the tree, so the GroupInfo carried it".into());
    }
    group.join_externally("alice", erin, TreeDelivery::OutOfBand)?;
    let agreed = group.agreement()?;
    check(
        agreed.epoch == 3,
        format!("after two external joins the epoch is {}", agreed.epoch),
    )?;
    group.send("erin", b"erin too")?;
    group.commit("dave", &CommitRequest::default())?;
    group.agreement().map(drop)
}

fn a_commit_reports_the_removal_to_the_removed(
    creator: &dyn Engine,
    joiner: &dyn Engine,
) -> StepResult<()> {
    let mut group = alice_and_bob(creator, joiner, TreeDelivery::InExtension)?;
    let request = CommitRequest {
        remove: vec![group.leaf_of("bob")?],
        ..CommitRequest::default()
    };
    let output = group
        .member("alice")?
        .commit(&request)
        .map_err(|e| e.to_string())?;
    group
        .member("alice")?
        .apply_pending_commit()
        .map_err(|e| e.to_string())?;
    let outcomes = group.deliver("alice", &output.commit)?;
    check(
        outcomes == [("bob".to_owned(), Handshake::CommitApplied { removed: true })],
        format!("bob saw {outcomes:?}"),
    )
}

/// One module per creator × joiner pair; the test names read as sentences.
macro_rules! creator_and_joiner {
    ($module:ident, $creator:expr, $joiner:expr) => {
        mod $module {
            use super::*;

            fn run(scenario: fn(&dyn Engine, &dyn Engine) -> StepResult<()>) -> StepResult<()> {
                scenario(&$creator, &$joiner)
            }

            #[test]
            fn the_joiner_joins_from_a_welcome_carrying_the_tree() -> StepResult<()> {
                run(|c, j| joins_from_a_welcome(c, j, TreeDelivery::InExtension))
            }

            #[test]
            fn the_joiner_joins_from_a_welcome_with_the_tree_out_of_band() -> StepResult<()> {
                run(|c, j| joins_from_a_welcome(c, j, TreeDelivery::OutOfBand))
            }

            #[test]
            fn a_welcome_without_the_tree_needs_it_out_of_band() -> StepResult<()> {
                run(super::a_welcome_without_the_tree_needs_it_out_of_band)
            }

            #[test]
            fn application_messages_flow_both_ways() -> StepResult<()> {
                run(super::application_messages_flow_both_ways)
            }

            #[test]
            fn messages_arriving_out_of_order_are_read() -> StepResult<()> {
                run(super::messages_arriving_out_of_order_are_read)
            }

            #[test]
            fn messages_from_up_to_three_epochs_back_are_read() -> StepResult<()> {
                run(super::messages_from_up_to_three_epochs_back_are_read)
            }

            #[test]
            fn each_side_commits_and_the_other_follows() -> StepResult<()> {
                run(super::each_side_commits_and_the_other_follows)
            }

            #[test]
            fn an_add_without_a_path_is_followed() -> StepResult<()> {
                run(super::an_add_without_a_path_is_followed)
            }

            #[test]
            fn a_commit_with_a_forced_path_is_followed() -> StepResult<()> {
                run(super::a_commit_with_a_forced_path_is_followed)
            }

            #[test]
            fn a_path_that_cannot_be_omitted_is_refused() -> StepResult<()> {
                run(super::a_path_that_cannot_be_omitted_is_refused)
            }

            #[test]
            fn a_proposal_by_reference_is_committed_by_the_other_engine() -> StepResult<()> {
                run(super::a_proposal_by_reference_is_committed_by_the_other_engine)
            }

            #[test]
            fn an_external_psk_proposed_by_one_is_committed_by_the_other() -> StepResult<()> {
                run(super::an_external_psk_proposed_by_one_is_committed_by_the_other)
            }

            #[test]
            fn a_self_update_heals_the_updater() -> StepResult<()> {
                run(super::a_self_update_heals_the_updater)
            }

            #[test]
            fn the_removed_joiner_cannot_read_later_messages() -> StepResult<()> {
                run(|c, j| a_removed_member_cannot_read_later_messages(c, j, "alice", "bob"))
            }

            #[test]
            fn the_removed_creator_cannot_read_later_messages() -> StepResult<()> {
                run(|c, j| a_removed_member_cannot_read_later_messages(c, j, "bob", "alice"))
            }

            #[test]
            fn a_commit_reports_the_removal_to_the_removed() -> StepResult<()> {
                run(super::a_commit_reports_the_removal_to_the_removed)
            }

            #[test]
            fn newcomers_join_by_external_commit() -> StepResult<()> {
                run(super::newcomers_join_by_external_commit)
            }
        }
    };
}

creator_and_joiner!(
    ours_creates_and_ours_joins,
    mls_conformance::drivers::Ours,
    mls_conformance::drivers::Ours
);
creator_and_joiner!(
    ours_creates_and_openmls_joins,
    mls_conformance::drivers::Ours,
    mls_conformance::drivers::OpenMls
);
creator_and_joiner!(
    ours_creates_and_mls_rs_joins,
    mls_conformance::drivers::Ours,
    mls_conformance::drivers::MlsRs
);
creator_and_joiner!(
    openmls_creates_and_ours_joins,
    mls_conformance::drivers::OpenMls,
    mls_conformance::drivers::Ours
);
creator_and_joiner!(
    openmls_creates_and_openmls_joins,
    mls_conformance::drivers::OpenMls,
    mls_conformance::drivers::OpenMls
);
creator_and_joiner!(
    openmls_creates_and_mls_rs_joins,
    mls_conformance::drivers::OpenMls,
    mls_conformance::drivers::MlsRs
);
creator_and_joiner!(
    mls_rs_creates_and_ours_joins,
    mls_conformance::drivers::MlsRs,
    mls_conformance::drivers::Ours
);
creator_and_joiner!(
    mls_rs_creates_and_openmls_joins,
    mls_conformance::drivers::MlsRs,
    mls_conformance::drivers::OpenMls
);
creator_and_joiner!(
    mls_rs_creates_and_mls_rs_joins,
    mls_conformance::drivers::MlsRs,
    mls_conformance::drivers::MlsRs
);
