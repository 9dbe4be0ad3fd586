//! The shared algorithms of spec §6.4–§6.6 over a [`GroupState`]: *select* the proposals
//! of a commit, *create-commit*, and *advance* to the next epoch. Also the engine
//! configuration every group of the Web API uses (spec §5.1).

use std::collections::BTreeSet;

use crate::clock::FixedClock;
use crate::codec::Codec;
use crate::crypto::Random;
use crate::framing::PaddingPolicy;
use crate::group::{ByReference, CommitOptions, Group, GroupConfig, LifetimePolicy, no_psks};
use crate::messages::{KeyPackage, Proposal, ProposalRef, WireFormat};
use crate::secret_tree::RatchetPolicy;
use crate::tree_math::LeafIndex;

use super::dictionaries::CommitOutput;
use super::error::{WebApiError, WebApiResult};
use super::origin_state::{GroupState, PendingState};
use super::validate::validate_key_package;

/// The engine configuration of every group (spec §5.1): PublicMessage handshakes,
/// padding to 32 bytes, the ratchet tree in every Welcome, 3 past epochs, and a
/// window of 1,024 generations forward with 32 skipped keys kept.
///
/// Lifetimes are *not* checked by the engine: it would also check the leaves of a tree
/// being joined, which spec §5.2 forbids. This layer checks them where §5.2 says
/// (**kp.5**: `add`, `proposeAdd`, received Add proposals and commits).
pub fn group_config() -> GroupConfig {
    GroupConfig {
        ratchet_policy: RatchetPolicy {
            max_forward_distance: 1024,
            out_of_order_window: 32,
        },
        past_epochs: 3,
        resumption_psks: 0,
        handshake_wire_format: WireFormat::MLS_PUBLIC_MESSAGE,
        padding: PaddingPolicy::WEB_API,
        ratchet_tree_in_welcome: true,
        lifetime: LifetimePolicy::Skip,
    }
}

/// *select(V, C)* (spec §6.4): the cached proposals a commit of `by_value` covers by
/// reference, in cache order. The library's selection (**select.1**–**select.3**,
/// **select.5**: [`Group::committable_proposals`]), with *validate-key-package* (§6.3) as
/// the policy on cached Adds (**select.4**).
fn select(group: &Group, by_value: &[Proposal], now: u64) -> Vec<ProposalRef> {
    // spec: select.4
    let admit = |kp: &KeyPackage, removed: &BTreeSet<LeafIndex>, adds: &[&KeyPackage]| {
        validate_key_package(kp, group, removed, adds, now).is_ok()
    };
    // spec: select.1, select.2, select.3, select.5
    group.committable_proposals(by_value, &admit)
}

/// *create-commit(S, V, useCache)* (spec §6.5): commits `by_value` and, if `use_cache`,
/// the cached proposals *select* chooses; sets P and returns the `MLSCommitOutput`.
pub fn create_commit(
    state: &mut GroupState,
    by_value: Vec<Proposal>,
    use_cache: bool,
    now: u64,
    rng: &mut dyn Random,
) -> WebApiResult<CommitOutput> {
    let group = &state.group;
    // spec: commit.1
    if group.epoch() >= u64::MAX - 1 {
        return Err(WebApiError::operation(
            "the group is at its last epoch: a commit would reach 2^64 - 1",
        ));
    }
    // spec: commit.2
    let references = match use_cache {
        true => select(group, &by_value, now),
        false => Vec::new(),
    };
    // spec: commit.3
    let add_only = (!references.is_empty() || !by_value.is_empty())
        && by_value.iter().all(|p| matches!(p, Proposal::Add(_)))
        && references.iter().all(|r| {
            group
                .pending_proposals()
                .get(r)
                .is_some_and(|c| matches!(c.proposal, Proposal::Add(_)))
        });
    // spec: commit.4, commit.5
    let options = CommitOptions {
        proposals: by_value,
        by_reference: ByReference::Only(references),
        force_path: !add_only,
        authenticated_data: Vec::new(),
        group_info: false,
        // The group's setting: the Web API always puts the tree in the Welcome (§5.1).
        ratchet_tree_in_welcome: None,
    };
    let pending = group
        .commit(&options, &no_psks, &FixedClock(now), rng)
        .map_err(|e| WebApiError::engine("the commit cannot be created", &e))?;
    let commit = pending.message.to_bytes();
    let welcome = pending.welcome.as_ref().map(Codec::to_bytes);
    let group_id = group.group_id().to_vec();
    // spec: commit.6
    state.group = pending.current;
    state.pending = Some(PendingState {
        commit: commit.clone(),
        welcome: welcome.clone(),
        next: pending.next,
    });
    // spec: commit.7
    Ok(CommitOutput::new(group_id, commit, welcome))
}

/// *advance(S, N)* (spec §6.6): `next` becomes the current epoch; the engine has already
/// moved the old epoch to the past epochs it keeps (**advance.1**–**2**); P and C are
/// gone (**advance.3**).
pub fn advance(state: &mut GroupState, next: Group) {
    // spec: advance.1, advance.2 (done by the engine when it made `next`)
    // spec: advance.3
    state.group = next;
    state.pending = None;
}
