//! `MLSGroupView.receive(message)` (spec §8.11): the steps **receive.1**–**17**, which
//! decide every row of the decision table §8.11.1.
//!
//! The engine authenticates the message ([`Group::unprotect`]) and, once this layer has
//! judged the commit's resolved proposals, processes it ([`Unprotected::process`]); this
//! layer adds the Web API's rules around it: the order of checks, the proposal types it
//! does not support, the key package rules of §6.3, the pending commit P, and the
//! auto-commit. A commit gets one verdict whatever its wire format and whether its
//! proposals come by value or by reference.
//!
//! [`Unprotected::process`]: crate::group::Unprotected::process

use std::collections::BTreeSet;

use crate::clock::{FixedClock, LifetimeCheck};
use crate::crypto::Random;
use crate::framing::FramedMessage;
use crate::group::{CommitSummary, CommittedProposal, Group, Processed, ReceivedProposal, no_psks};
use crate::messages::{ContentType, KeyPackage, MlsMessage, Proposal, Sender};
use crate::ratchet_tree::{LeafNodeContext, LeafRules, RequiredCapabilities};
use crate::tree_math::LeafIndex;

use super::bytes::{Input, Param, bytes};
use super::commit::{advance, create_commit};
use super::decode::decode_message;
use super::dictionaries::{REMOVED_EPOCH, Received, le64};
use super::error::{WebApiError, WebApiResult};
use super::group_view::GroupView;
use super::job::Job;
use super::origin_state::GroupState;
use super::validate::{check_leaf_rules, suite, validate_key_package};

const MESSAGE: Param = Param::any("message");

/// The proposal types the Web API does not support (**receive.12**).
fn unsupported(proposal: &Proposal) -> bool {
    matches!(
        proposal,
        Proposal::PreSharedKey(_)
            | Proposal::ReInit(_)
            | Proposal::ExternalInit(_)
            | Proposal::GroupContextExtensions(_)
    )
}

fn not_supported_proposal() -> WebApiError {
    WebApiError::not_supported(
        "PSK, ReInit, ExternalInit and GroupContextExtensions proposals are not supported",
    )
}

impl GroupView {
    /// `receive(message)` (spec §8.11): processes one message of this group for this
    /// client.
    pub fn receive(&self, message: impl Into<Input>) -> WebApiResult<Received> {
        // spec: receive.1
        let b = bytes(message.into(), &MESSAGE)?;
        // spec: receive.2
        self.mls.job(|job, rng| {
            // spec: receive.3
            let m = decode_message(&b)?;
            // spec: receive.4
            let Some(framed) = FramedMessage::of(&m) else {
                return Err(WebApiError::not_supported(
                    "receive takes PublicMessages and PrivateMessages; a Welcome is for groupJoin",
                ));
            };
            // spec: receive.5
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: receive.6
            if framed.group_id() != self.group_id {
                return Err(WebApiError::operation("the message is for another group"));
            }
            // spec: receive.7
            if let FramedMessage::Public(public) = framed {
                if !matches!(public.content.sender, Sender::Member(_)) {
                    return Err(WebApiError::not_supported(
                        "messages from senders that are not members are not supported",
                    ));
                }
                if public.content.content_type() == ContentType::APPLICATION {
                    return Err(WebApiError::operation(
                        "an application message must be a PrivateMessage",
                    ));
                }
            }
            // spec: receive.8
            if state.pending.as_ref().is_some_and(|p| p.commit == b) {
                if let Some(pending) = state.pending.take() {
                    advance(&mut state, pending.next);
                }
                return self.commit_processed(job, state);
            }
            // spec: receive.9
            if framed.content_type() == ContentType::APPLICATION {
                return self.receive_application(job, state, &m, framed.epoch());
            }
            self.receive_handshake(job, state, &m, framed, rng)
        })
    }

    /// **receive.16**: persist the new epoch and report it.
    fn commit_processed(&self, job: &mut Job<'_>, state: GroupState) -> WebApiResult<Received> {
        let epoch = state.group.epoch();
        job.put_group(&self.client_id, &self.group_id, state)?;
        Ok(Received::commit_processed(
            self.group_id.clone(),
            le64(epoch),
        ))
    }

    /// **receive.10**–**16**: a proposal or a commit.
    fn receive_handshake(
        &self,
        job: &mut Job<'_>,
        mut state: GroupState,
        m: &MlsMessage,
        framed: FramedMessage<'_>,
        rng: &mut dyn Random,
    ) -> WebApiResult<Received> {
        let group = &state.group;
        // spec: receive.10 (epoch)
        if framed.epoch() != group.epoch() {
            return Err(WebApiError::operation(format!(
                "the message is for epoch {}, the group is at epoch {}",
                framed.epoch(),
                group.epoch()
            )));
        }
        // spec: receive.10 (authentication), receive.11
        let rejected = |e: crate::Error| WebApiError::engine("the message is rejected", &e);
        let opened = group.unprotect(m).map_err(rejected)?;
        // spec: receive.15 (one verdict for every wire format and for proposals by value or
        // by reference: the rows 16 to 18 are decided on the resolved list)
        let committed = opened.committed_proposals().map_err(rejected)?;
        if let Some(proposals) = &committed {
            check_committed_proposals(group, proposals, job.now)?;
        }
        // spec: receive.15 (the engine's part), receive.12 (the proposal is cached by it)
        let clock = FixedClock(job.now);
        let (processed, next) = opened.process(&no_psks, &clock).map_err(rejected)?;
        match processed {
            Processed::Proposal(proposal) => {
                self.receive_proposal(job, state, next, &proposal, rng)
            }
            Processed::Commit(summary) => {
                // spec: receive.15
                check_committer_leaf(&next, &summary)?;
                if next.epoch() == u64::MAX {
                    return Err(WebApiError::operation("the commit leads to epoch 2^64 - 1"));
                }
                advance(&mut state, next);
                // spec: receive.16
                self.commit_processed(job, state)
            }
            Processed::Removed(_) => {
                // spec: receive.15 (a valid commit that removes us)
                job.delete_group(&self.client_id, &self.group_id)?;
                Ok(Received::commit_processed(
                    self.group_id.clone(),
                    REMOVED_EPOCH.to_vec(),
                ))
            }
            Processed::Application(_) => Err(WebApiError::operation(
                "a handshake message carried application data",
            )),
        }
    }

    /// **receive.12**–**14**: a proposal, authenticated and cached in `next` by the
    /// engine.
    fn receive_proposal(
        &self,
        job: &mut Job<'_>,
        mut state: GroupState,
        next: Group,
        received: &ReceivedProposal,
        rng: &mut dyn Random,
    ) -> WebApiResult<Received> {
        // spec: receive.12
        validate_proposal(&state.group, received, job.now)?;
        // spec: receive.13
        if state.pending.is_some() {
            return Err(WebApiError::invalid_state(
                "a commit of ours is pending; deliver the proposal again once it is resolved",
            ));
        }
        // spec: receive.14
        state.group = next;
        let out = create_commit(&mut state, Vec::new(), true, job.now, rng)?;
        job.put_group(&self.client_id, &self.group_id, state)?;
        Ok(Received::commit_output(self.group_id.clone(), out))
    }

    /// **receive.17**: an application message of epoch `epoch`.
    fn receive_application(
        &self,
        job: &mut Job<'_>,
        mut state: GroupState,
        m: &MlsMessage,
        epoch: u64,
    ) -> WebApiResult<Received> {
        // spec: receive.17
        let group = &state.group;
        if epoch > group.epoch() || !group.readable_epochs().any(|e| e == epoch) {
            return Err(WebApiError::operation(format!(
                "application messages of epoch {epoch} can no longer be read"
            )));
        }
        let clock = FixedClock(job.now);
        let rejected = |e: crate::Error| WebApiError::operation(format!("cannot decrypt: {e}"));
        let (processed, next) = group.process(m, &no_psks, &clock).map_err(rejected)?;
        let Processed::Application(app) = processed else {
            return Err(WebApiError::operation(
                "the message is not application data",
            ));
        };
        if app.sender == group.own_leaf_index() {
            return Err(WebApiError::operation(
                "the message was sent by this client",
            ));
        }
        state.group = next;
        // Our pending commit's next epoch keeps this epoch as a past one: delete the key
        // used there too, so that applying the commit cannot make the message readable
        // again. A message of an epoch it no longer keeps is simply not there.
        if let Some(pending) = &mut state.pending
            && let Ok((_, next)) = pending.next.process(m, &no_psks, &clock)
        {
            pending.next = next;
        }
        job.put_group(&self.client_id, &self.group_id, state)?;
        Ok(Received::plaintext(self.group_id.clone(), app.data))
    }
}

/// **receive.12**: a received proposal is of a supported type and valid.
fn validate_proposal(group: &Group, received: &ReceivedProposal, now: u64) -> WebApiResult<()> {
    match &received.proposal {
        Proposal::Add(add) => {
            validate_key_package(&add.key_package, group, &BTreeSet::new(), &[], now)
        }
        Proposal::Remove(remove) => match group.tree().leaf(remove.removed) {
            Some(_) => Ok(()),
            None => Err(WebApiError::operation(
                "the Remove proposal names a blank leaf",
            )),
        },
        Proposal::Update(update) => {
            let Sender::Member(sender) = received.sender else {
                return Err(WebApiError::operation("an Update must come from a member"));
            };
            let invalid = |e: crate::Error| WebApiError::operation(format!("invalid Update: {e}"));
            let required = RequiredCapabilities::from_extensions(&group.group_context().extensions)
                .map_err(|e| invalid(e.into()))?;
            let rules = LeafRules {
                required_capabilities: required.as_ref(),
                lifetime: LifetimeCheck::Skipped,
            };
            let context = LeafNodeContext::Update {
                group_id: group.group_id(),
                leaf_index: sender,
            };
            group
                .tree()
                .validate_new_leaf(&suite(), &update.leaf_node, &context, &rules)
                .map_err(invalid)?;
            check_leaf_rules(&update.leaf_node)
        }
        _ => Err(not_supported_proposal()),
    }
}

/// **receive.15**, the Web API's rules on the proposals a commit covers, resolved (by
/// value or by reference, from a PublicMessage or a PrivateMessage), before the engine
/// validates and applies them: no proposal of a type **receive.12** does not support (row
/// 17, `NotSupportedError`), and every Add meets §6.3 given the commit's removals and its
/// other Adds (row 18, `OperationError`), whether or not the commit removes us (row 19
/// comes after row 18).
fn check_committed_proposals(
    group: &Group,
    proposals: &[CommittedProposal],
    now: u64,
) -> WebApiResult<()> {
    if proposals.iter().any(|p| unsupported(&p.proposal)) {
        return Err(not_supported_proposal());
    }
    let removed: BTreeSet<LeafIndex> = proposals
        .iter()
        .filter_map(|p| match &p.proposal {
            Proposal::Remove(remove) => Some(remove.removed),
            _ => None,
        })
        .collect();
    let adds: Vec<&KeyPackage> = proposals
        .iter()
        .filter_map(|p| match &p.proposal {
            Proposal::Add(add) => Some(&add.key_package),
            _ => None,
        })
        .collect();
    for (i, key_package) in adds.iter().enumerate() {
        let others: Vec<&KeyPackage> = adds[..i].iter().chain(&adds[i + 1..]).copied().collect();
        validate_key_package(key_package, group, &removed, &others, now)?;
    }
    Ok(())
}

/// **receive.15**: the committer's new leaf, if the commit changed it, meets the
/// capability rules of §5.1.
fn check_committer_leaf(next: &Group, summary: &CommitSummary) -> WebApiResult<()> {
    match next.tree().leaf(summary.committer_leaf) {
        Some(leaf) => check_leaf_rules(leaf),
        None => Ok(()),
    }
}
