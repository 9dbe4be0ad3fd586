//! The `MLSGroupView` interface (spec §8), except `receive` (`receive.rs`).

use crate::arguments::{client_id, message_bytes};
use crate::call::{ClientArg, ExportArg, MsgArg, Outcome};
use crate::commit::{collides, member_of};
use crate::error::{ErrorName, Result};
use crate::group_state::GroupState;
use crate::origin_state::{Message, Proposal, ProposalRef, World};
use crate::tokens::{Client, Msg, ViewKey};
use crate::tree;

impl World {
    /// "Load *S*" (spec §8): `NotFoundError` without a group state.
    pub(crate) fn load(&self, view: ViewKey) -> Result<&GroupState> {
        self.groups.get(&view).ok_or(ErrorName::NotFoundError)
    }

    /// `view.deleteState()` (spec §8.3).
    pub fn view_delete_state(&mut self, view: ViewKey) -> Result<Outcome> {
        // spec: view.deleteState.2
        self.groups.remove(&view);
        Ok(Outcome::Done)
    }

    /// `add(keyPackage)` (spec §8.4).
    pub fn add(&mut self, view: ViewKey, key_package: MsgArg) -> Result<Outcome> {
        // spec: add.1
        let b = message_bytes(key_package)?;
        // spec: add.3
        let m = self.decode_key_package(b)?;
        // spec: add.4
        let s = self.load(view)?;
        // spec: add.5
        if s.pending.is_some() {
            return Err(ErrorName::InvalidStateError);
        }
        // spec: add.6
        self.validate_key_package(view, m.msg, m.flipped)?;
        // spec: add.7
        let (commit, welcome) = self.create_commit(view, vec![Proposal::Add(m.msg)], true);
        Ok(Outcome::CommitOutput { commit, welcome })
    }

    /// `proposeAdd(keyPackage)` (spec §8.5).
    pub fn propose_add(&mut self, view: ViewKey, key_package: MsgArg) -> Result<Outcome> {
        // spec: proposeAdd.1
        let b = message_bytes(key_package)?;
        // spec: proposeAdd.3
        let m = self.decode_key_package(b)?;
        // spec: proposeAdd.4
        self.load(view)?;
        // spec: proposeAdd.5
        self.validate_key_package(view, m.msg, m.flipped)?;
        // spec: proposeAdd.6, proposeAdd.7
        Ok(Outcome::Proposal(self.propose(view, Proposal::Add(m.msg))))
    }

    /// `remove(remClientId)` (spec §8.6).
    pub fn remove(&mut self, view: ViewKey, target: ClientArg) -> Result<Outcome> {
        // spec: remove.1
        let rid = client_id(target)?;
        // spec: remove.3
        let s = self.load(view)?;
        // spec: remove.4
        if s.pending.is_some() {
            return Err(ErrorName::InvalidStateError);
        }
        // spec: remove.5
        let target = member(s, rid)?;
        // spec: remove.6
        if target == view.client {
            return Err(ErrorName::InvalidStateError);
        }
        // spec: remove.7
        let (commit, welcome) = self.create_commit(view, vec![Proposal::Remove(target)], true);
        Ok(Outcome::CommitOutput { commit, welcome })
    }

    /// `proposeRemove(remClientId)` (spec §8.7); ourselves is allowed.
    pub fn propose_remove(&mut self, view: ViewKey, target: ClientArg) -> Result<Outcome> {
        // spec: proposeRemove.1
        let rid = client_id(target)?;
        // spec: proposeRemove.3, proposeRemove.4
        let target = member(self.load(view)?, rid)?;
        // spec: proposeRemove.5
        Ok(Outcome::Proposal(
            self.propose(view, Proposal::Remove(target)),
        ))
    }

    /// `close()` (spec §8.8).
    pub fn close(&mut self, view: ViewKey) -> Result<Outcome> {
        // spec: close.2
        let s = self.load(view)?;
        // spec: close.3
        if s.pending.is_some() {
            return Err(ErrorName::InvalidStateError);
        }
        // spec: close.4
        let others = tree::members(&s.tree)
            .into_iter()
            .filter(|m| m.client != view.client)
            .map(|m| Proposal::Remove(m.client))
            .collect();
        // spec: close.5
        let (commit, welcome) = self.create_commit(view, others, false);
        Ok(Outcome::CommitOutput { commit, welcome })
    }

    /// `details()` (spec §8.9): epoch E and its members; P is not reflected.
    pub fn details(&self, view: ViewKey) -> Result<Outcome> {
        // spec: details.2
        let s = self.load(view)?;
        // spec: details.3, details.4
        Ok(Outcome::Details {
            epoch: s.epoch,
            members: tree::members(&s.tree),
        })
    }

    /// `send(message)` (spec §8.10).
    pub fn send(&mut self, view: ViewKey, plaintext: u8) -> Result<Outcome> {
        // spec: send.4
        let s = self.load(view)?;
        // spec: send.5
        if !s.cache.is_empty() {
            return Err(ErrorName::InvalidStateError);
        }
        // spec: send.6
        let (epoch, epoch_id) = (s.epoch, s.epoch_id);
        let record = &mut self.groups.get_mut(&view).expect("loaded").epochs[0];
        let generation = record.own_generation;
        record.own_generation += 1;
        let ct = self.output(Message::Application {
            group: view.group,
            epoch,
            epoch_id,
            sender: view.client,
            generation,
            plaintext,
        });
        // spec: send.8
        Ok(Outcome::Ciphertext(ct))
    }

    /// `hasPendingProposals()` (spec §8.12).
    pub fn has_pending_proposals(&self, view: ViewKey) -> Result<Outcome> {
        Ok(Outcome::Bool(!self.load(view)?.cache.is_empty()))
    }

    /// `clearPendingProposals()` (spec §8.13): C emptied, P kept.
    pub fn clear_pending_proposals(&mut self, view: ViewKey) -> Result<Outcome> {
        self.load(view)?;
        let s = self.groups.get_mut(&view).expect("loaded");
        // spec: clearPendingProposals.3
        let had = !s.cache.is_empty();
        s.cache.clear();
        Ok(Outcome::Bool(had))
    }

    /// `hasPendingCommit()` (spec §8.14).
    pub fn has_pending_commit(&self, view: ViewKey) -> Result<Outcome> {
        Ok(Outcome::Bool(self.load(view)?.pending.is_some()))
    }

    /// `clearPendingCommit()` (spec §8.15): P discarded, C kept.
    pub fn clear_pending_commit(&mut self, view: ViewKey) -> Result<Outcome> {
        self.load(view)?;
        let s = self.groups.get_mut(&view).expect("loaded");
        // spec: clearPendingCommit.3
        Ok(Outcome::Bool(s.pending.take().is_some()))
    }

    /// `applyPendingCommit()` (spec §8.16).
    pub fn apply_pending_commit(&mut self, view: ViewKey) -> Result<Outcome> {
        self.load(view)?;
        let s = self.groups.get_mut(&view).expect("loaded");
        // spec: applyPendingCommit.3
        let Some(p) = s.pending.take() else {
            return Err(ErrorName::InvalidStateError);
        };
        // spec: applyPendingCommit.4
        s.advance(p.next, p.tree);
        // spec: applyPendingCommit.6
        Ok(Outcome::CommitProcessed(Some(s.epoch)))
    }

    /// `exportSecret(label, context, length)` (spec §8.17).
    pub fn export_secret(&self, view: ViewKey, arg: ExportArg) -> Result<Outcome> {
        match arg {
            // spec: exportSecret.1 (bytes.4), exportSecret.3
            ExportArg::EmptyLabel | ExportArg::ZeroLength => Err(ErrorName::TypeError),
            // spec: exportSecret.5, before Load S
            ExportArg::TooLong => Err(ErrorName::OperationError),
            ExportArg::Valid => {
                // spec: exportSecret.6
                let s = self.load(view)?;
                // spec: exportSecret.7, exportSecret.8
                Ok(Outcome::Exported {
                    epoch: s.epoch,
                    epoch_id: s.epoch_id,
                })
            }
        }
    }

    /// *validate-key-package(M, S, ∅)* (spec §6.3): a flipped signature fails **kp.2**; a
    /// client or credential identity already in the tree fails **kp.6**.
    fn validate_key_package(&self, view: ViewKey, kp: Msg, flipped: bool) -> Result<()> {
        let s = self.load(view)?;
        if flipped || collides(member_of(self, kp), tree::members(&s.tree)) {
            return Err(ErrorName::OperationError);
        }
        Ok(())
    }

    /// Builds a proposal of epoch E from our leaf and caches it (spec **proposeAdd.6**,
    /// **proposeAdd.7**, **proposeRemove.5**).
    fn propose(&mut self, view: ViewKey, proposal: Proposal) -> Msg {
        let s = self.groups.get_mut(&view).expect("loaded");
        let reference = ProposalRef {
            epoch_id: s.epoch_id,
            sender: view.client,
            proposal,
        };
        s.cache_proposal(reference);
        let epoch = s.epoch;
        self.output(Message::Proposal {
            group: view.group,
            epoch,
            reference,
        })
    }
}

/// The member whose client id is `rid` (spec **remove.5**, **proposeRemove.4**).
fn member(s: &GroupState, rid: Option<Client>) -> Result<Client> {
    rid.filter(|c| tree::has_member(&s.tree, *c))
        .ok_or(ErrorName::NotFoundError)
}
