//! The `MLSGroupView` interface (spec §8), except `receive` (`receive.rs`).
//!
//! A view is a handle: the `MLS` object, a group id and a client id. It holds no state;
//! every member loads the group state afresh in its job.

use std::collections::BTreeSet;

use crate::codec::Codec;
use crate::messages::{Add, KeyPackage, MlsMessage, Proposal, Remove};
use crate::tree_math::LeafIndex;

use super::bytes::{Input, MlsBytes, ObjectType, Param, Union, bytes};
use super::commit::{advance, create_commit};
use super::decode::decode_message;
use super::dictionaries::{
    CommitOutput, ExporterOutput, GroupDetails, GroupMember, Received, le64,
};
use super::error::{WebApiError, WebApiResult};
use super::mls::{MAX_OPAQUE, Mls};
use super::validate::{client_id_of, leaf_of_client, validate_key_package};

const KEY_PACKAGE: Param = Param::typed("keyPackage", ObjectType::KeyPackage);
const REM_CLIENT_ID: Param = Param::typed("remClientId", ObjectType::ClientIdentifier);
const PLAINTEXT: Param = Param {
    name: "message",
    union: Union::BytesOrArrayOrText,
    expected: Some(ObjectType::ApplicationMessagePlaintext),
    empty_allowed: true,
};
const LABEL: Param = Param {
    name: "label",
    union: Union::BytesOrArrayOrText,
    expected: Some(ObjectType::ExporterLabel),
    empty_allowed: false,
};
const CONTEXT: Param = Param {
    name: "context",
    union: Union::BytesOrArray,
    expected: Some(ObjectType::ExporterContext),
    empty_allowed: true,
};

/// The most bytes `exportSecret` derives: 255 × `Nh` for SHA-256 (**exportSecret.5**).
const MAX_EXPORT: u64 = 255 * 32;

/// An `MLSGroupView` (spec §8): (`[[MLS]]`, `[[GroupId]]`, `[[ClientId]]`).
#[derive(Clone)]
pub struct GroupView {
    pub(crate) mls: Mls,
    pub(crate) group_id: Vec<u8>,
    pub(crate) client_id: Vec<u8>,
}

impl core::fmt::Debug for GroupView {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GroupView")
            .field("group_id", &self.group_id)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// The key package a page passed: **add.3**, **proposeAdd.3**.
fn decode_key_package(b: &[u8]) -> WebApiResult<KeyPackage> {
    match decode_message(b)? {
        MlsMessage::KeyPackage(kp) => Ok(kp),
        _ => Err(WebApiError::data("the message is not a KeyPackage")),
    }
}

impl GroupView {
    /// A view created by `groupCreate`, `groupGet` or `groupJoin`.
    pub(crate) fn new(mls: Mls, group_id: Vec<u8>, client_id: Vec<u8>) -> Self {
        GroupView {
            mls,
            group_id,
            client_id,
        }
    }

    /// `groupId` (spec §8.1): a copy of the view's group id.
    pub fn group_id(&self) -> Vec<u8> {
        // spec: groupId.1
        self.group_id.clone()
    }

    /// **Test support only** (feature `test-support`, off by default; not part of the
    /// documented API): the engine's group state of the current epoch, which **exposes
    /// secrets** (the epoch's secrets, this member's private keys). The conformance
    /// harness reads through it what the Web API does not show but every engine must
    /// agree on: the epoch authenticator, leaf indices and signature keys.
    #[cfg(any(test, feature = "test-support"))]
    pub fn group_for_tests(&self) -> WebApiResult<crate::group::Group> {
        self.mls
            .job(|job, _| Ok(job.load_group(&self.client_id, &self.group_id)?.group))
    }

    /// `clientId` (spec §8.2): a copy of the view's client id.
    pub fn client_id(&self) -> Vec<u8> {
        // spec: clientId.1
        self.client_id.clone()
    }

    /// `deleteState()` (spec §8.3): forgets this client's state of the group.
    pub fn delete_state(&self) -> WebApiResult<()> {
        // spec: view.deleteState.1
        self.mls.job(|job, _| {
            // spec: view.deleteState.2, view.deleteState.3
            job.delete_group(&self.client_id, &self.group_id)
        })
        // spec: view.deleteState.4
    }

    /// `add(keyPackage)` (spec §8.4): commits the addition of one client with the cached
    /// proposals.
    pub fn add(&self, key_package: impl Into<Input>) -> WebApiResult<CommitOutput> {
        // spec: add.1
        let b = bytes(key_package.into(), &KEY_PACKAGE)?;
        // spec: add.2
        self.mls.job(|job, rng| {
            // spec: add.3
            let kp = decode_key_package(&b)?;
            // spec: add.4
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: add.5
            if state.pending.is_some() {
                return Err(WebApiError::invalid_state("a commit is pending"));
            }
            // spec: add.6
            validate_key_package(&kp, &state.group, &BTreeSet::new(), &[], job.now)?;
            // spec: add.7
            let add = Proposal::Add(Add { key_package: kp });
            let out = create_commit(&mut state, vec![add], true, job.now, rng)?;
            // spec: add.8
            job.put_group(&self.client_id, &self.group_id, state)?;
            // spec: add.9
            Ok(out)
        })
    }

    /// `proposeAdd(keyPackage)` (spec §8.5): an Add proposal, cached by us too.
    pub fn propose_add(&self, key_package: impl Into<Input>) -> WebApiResult<MlsBytes> {
        // spec: proposeAdd.1
        let b = bytes(key_package.into(), &KEY_PACKAGE)?;
        // spec: proposeAdd.2
        self.mls.job(|job, rng| {
            // spec: proposeAdd.3
            let kp = decode_key_package(&b)?;
            // spec: proposeAdd.4
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: proposeAdd.5
            validate_key_package(&kp, &state.group, &BTreeSet::new(), &[], job.now)?;
            // spec: proposeAdd.6, proposeAdd.7
            let clock = crate::clock::FixedClock(job.now);
            let sent = state
                .group
                .propose_add(kp, b"", &clock, rng)
                .map_err(|e| WebApiError::engine("the proposal cannot be made", &e))?;
            state.group = sent.group;
            // spec: proposeAdd.8
            job.put_group(&self.client_id, &self.group_id, state)?;
            // spec: proposeAdd.9
            Ok(MlsBytes::new(ObjectType::Proposal, sent.message.to_bytes()))
        })
    }

    /// `remove(remClientId)` (spec §8.6): commits the removal of another member with the
    /// cached proposals.
    pub fn remove(&self, rem_client_id: impl Into<Input>) -> WebApiResult<CommitOutput> {
        // spec: remove.1
        let rid = bytes(rem_client_id.into(), &REM_CLIENT_ID)?;
        // spec: remove.2
        self.mls.job(|job, rng| {
            // spec: remove.3
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: remove.4
            if state.pending.is_some() {
                return Err(WebApiError::invalid_state("a commit is pending"));
            }
            // spec: remove.5
            let leaf = leaf_of_client(&state.group, &rid)
                .ok_or_else(|| WebApiError::not_found("no member has this client id"))?;
            // spec: remove.6
            if leaf == state.group.own_leaf_index() {
                return Err(WebApiError::invalid_state(
                    "a member cannot commit its own removal; use proposeRemove",
                ));
            }
            // spec: remove.7
            let remove = Proposal::Remove(Remove { removed: leaf });
            let out = create_commit(&mut state, vec![remove], true, job.now, rng)?;
            // spec: remove.8
            job.put_group(&self.client_id, &self.group_id, state)?;
            // spec: remove.9
            Ok(out)
        })
    }

    /// `proposeRemove(remClientId)` (spec §8.7): a Remove proposal, possibly of
    /// ourselves, cached by us too.
    pub fn propose_remove(&self, rem_client_id: impl Into<Input>) -> WebApiResult<MlsBytes> {
        // spec: proposeRemove.1
        let rid = bytes(rem_client_id.into(), &REM_CLIENT_ID)?;
        // spec: proposeRemove.2
        self.mls.job(|job, rng| {
            // spec: proposeRemove.3
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: proposeRemove.4
            let leaf = leaf_of_client(&state.group, &rid)
                .ok_or_else(|| WebApiError::not_found("no member has this client id"))?;
            // spec: proposeRemove.5
            let sent = state
                .group
                .propose_remove(leaf, b"", rng)
                .map_err(|e| WebApiError::engine("the proposal cannot be made", &e))?;
            state.group = sent.group;
            // spec: proposeRemove.6
            job.put_group(&self.client_id, &self.group_id, state)?;
            // spec: proposeRemove.7
            Ok(MlsBytes::new(ObjectType::Proposal, sent.message.to_bytes()))
        })
    }

    /// `close()` (spec §8.8): commits the removal of every other member, without the
    /// cached proposals.
    pub fn close(&self) -> WebApiResult<CommitOutput> {
        // spec: close.1
        self.mls.job(|job, rng| {
            // spec: close.2
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: close.3
            if state.pending.is_some() {
                return Err(WebApiError::invalid_state("a commit is pending"));
            }
            // spec: close.4
            let own = state.group.own_leaf_index();
            let others: Vec<LeafIndex> = state
                .group
                .members()
                .map(|(index, _)| index)
                .filter(|&index| index != own)
                .collect();
            let removals = others
                .into_iter()
                .map(|removed| Proposal::Remove(Remove { removed }))
                .collect();
            // spec: close.5
            let out = create_commit(&mut state, removals, false, job.now, rng)?;
            // spec: close.6
            job.put_group(&self.client_id, &self.group_id, state)?;
            // spec: close.7
            Ok(out)
        })
    }

    /// `details()` (spec §8.9): the epoch and the members of the current epoch.
    pub fn details(&self) -> WebApiResult<GroupDetails> {
        // spec: details.1
        self.mls.job(|job, _| {
            // spec: details.2
            let state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: details.3
            let members = state
                .group
                .members()
                .map(|(_, leaf)| GroupMember {
                    client_id: client_id_of(&leaf.signature_key),
                    credential: leaf.credential.to_bytes(),
                })
                .collect();
            // spec: details.4
            Ok(GroupDetails {
                kind: ObjectType::GroupInfo,
                group_id: self.group_id.clone(),
                group_epoch: le64(state.group.epoch()),
                members,
            })
        })
    }

    /// `send(message)` (spec §8.10): encrypts an application message in the current
    /// epoch.
    pub fn send(&self, message: impl Into<Input>) -> WebApiResult<MlsBytes> {
        // spec: send.1
        let pt = bytes(message.into(), &PLAINTEXT)?;
        // spec: send.2
        self.mls.job(|job, rng| {
            // spec: send.3
            if pt.len() > MAX_OPAQUE {
                return Err(WebApiError::operation("the message is too long"));
            }
            // spec: send.4
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: send.5
            if !state.group.pending_proposals().is_empty() {
                return Err(WebApiError::invalid_state(
                    "proposals are pending: commit them before sending",
                ));
            }
            // spec: send.6
            let (ciphertext, group) = state
                .group
                .encrypt_application(&pt, b"", rng)
                .map_err(|e| WebApiError::operation(format!("cannot encrypt: {e}")))?;
            state.group = group;
            // spec: send.7
            job.put_group(&self.client_id, &self.group_id, state)?;
            // spec: send.8
            Ok(MlsBytes::new(
                ObjectType::ApplicationMessageCiphertext,
                ciphertext.to_bytes(),
            ))
        })
    }

    /// `hasPendingProposals()` (spec §8.12): whether the proposal cache is non-empty.
    pub fn has_pending_proposals(&self) -> WebApiResult<bool> {
        // spec: hasPendingProposals.1
        self.mls.job(|job, _| {
            // spec: hasPendingProposals.2
            let state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: hasPendingProposals.3
            Ok(!state.group.pending_proposals().is_empty())
        })
    }

    /// `clearPendingProposals()` (spec §8.13): empties the proposal cache; whether it
    /// held anything.
    pub fn clear_pending_proposals(&self) -> WebApiResult<bool> {
        // spec: clearPendingProposals.1
        self.mls.job(|job, _| {
            // spec: clearPendingProposals.2
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: clearPendingProposals.3
            let had = !state.group.pending_proposals().is_empty();
            // spec: clearPendingProposals.4
            if had {
                state.group = state.group.without_proposals();
                job.put_group(&self.client_id, &self.group_id, state)?;
            }
            // spec: clearPendingProposals.5
            Ok(had)
        })
    }

    /// `hasPendingCommit()` (spec §8.14): whether a commit of ours is pending.
    pub fn has_pending_commit(&self) -> WebApiResult<bool> {
        // spec: hasPendingCommit.1
        self.mls.job(|job, _| {
            // spec: hasPendingCommit.2
            let state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: hasPendingCommit.3
            Ok(state.pending.is_some())
        })
    }

    /// `clearPendingCommit()` (spec §8.15): discards the pending commit; whether there
    /// was one.
    pub fn clear_pending_commit(&self) -> WebApiResult<bool> {
        // spec: clearPendingCommit.1
        self.mls.job(|job, _| {
            // spec: clearPendingCommit.2
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: clearPendingCommit.3
            let had = state.pending.take().is_some();
            // spec: clearPendingCommit.4
            if had {
                job.put_group(&self.client_id, &self.group_id, state)?;
            }
            // spec: clearPendingCommit.5
            Ok(had)
        })
    }

    /// `applyPendingCommit()` (spec §8.16): applies our pending commit without receiving
    /// it back.
    pub fn apply_pending_commit(&self) -> WebApiResult<Received> {
        // spec: applyPendingCommit.1
        self.mls.job(|job, _| {
            // spec: applyPendingCommit.2
            let mut state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: applyPendingCommit.3
            let Some(pending) = state.pending.take() else {
                return Err(WebApiError::invalid_state("no commit is pending"));
            };
            // spec: applyPendingCommit.4
            advance(&mut state, pending.next);
            let epoch = state.group.epoch();
            // spec: applyPendingCommit.5
            job.put_group(&self.client_id, &self.group_id, state)?;
            // spec: applyPendingCommit.6
            Ok(Received::commit_processed(
                self.group_id.clone(),
                le64(epoch),
            ))
        })
    }

    /// `exportSecret(label, context, length)` (spec §8.17): `MLS-Exporter(label, context,
    /// length)` of the current epoch.
    pub fn export_secret(
        &self,
        label: impl Into<Input>,
        context: impl Into<Input>,
        length: u64,
    ) -> WebApiResult<ExporterOutput> {
        // spec: exportSecret.1
        let lb = bytes(label.into(), &LABEL)?;
        // spec: exportSecret.2
        let cb = bytes(context.into(), &CONTEXT)?;
        // spec: exportSecret.3
        if length == 0 {
            return Err(WebApiError::type_error("length must not be 0"));
        }
        // spec: exportSecret.4
        self.mls.job(|job, _| {
            // spec: exportSecret.5
            if length > MAX_EXPORT || lb.len() > MAX_OPAQUE || cb.len() > MAX_OPAQUE {
                return Err(WebApiError::operation(
                    "the length, label or context is too long",
                ));
            }
            // spec: exportSecret.6
            let state = job.load_group(&self.client_id, &self.group_id)?;
            // spec: exportSecret.7 (MAX_EXPORT fits a usize)
            let secret = state
                .group
                .export_secret(&lb, &cb, length as usize)
                .map_err(|e| WebApiError::operation(format!("cannot export: {e}")))?;
            // spec: exportSecret.8
            Ok(ExporterOutput {
                kind: ObjectType::ExporterOutput,
                group_id: self.group_id.clone(),
                group_epoch: le64(state.group.epoch()),
                label: lb.clone(),
                context: cb.clone(),
                secret: secret.as_bytes().to_vec(),
            })
        })
    }
}
