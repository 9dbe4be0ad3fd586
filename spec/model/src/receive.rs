//! `receive(message)` (spec §8.11), row by row of the decision table §8.11.1.

use crate::arguments::{decode_message, message_bytes};
use crate::call::{MsgArg, Outcome};
use crate::error::{ErrorName, Result};
use crate::origin_state::{Commit, Message, World};
use crate::tokens::ViewKey;

impl World {
    /// `receive(message)` (spec §8.11).
    pub fn receive(&mut self, view: ViewKey, message: MsgArg) -> Result<Outcome> {
        // spec: receive.1
        let b = message_bytes(message)?;
        // spec: receive.3 (row 1)
        let m = decode_message(b)?;
        let message = self.messages[&m.msg].clone();
        // spec: receive.4 (row 3)
        let Some((group, epoch)) = message.claimed_group_and_epoch() else {
            return Err(ErrorName::NotSupportedError);
        };
        // spec: receive.5 (row 4)
        let s = self.load(view)?;
        // spec: receive.6 (row 5)
        if group != view.group {
            return Err(ErrorName::OperationError);
        }
        // spec: receive.7 (rows 6, 7): the Web API sends neither
        // spec: receive.8 (row 8): bytes equal to P's commit create the same epoch
        if let Message::Commit(c) = &message
            && !m.flipped
            && s.pending.as_ref().is_some_and(|p| p.next == c.next)
        {
            return self.apply_pending_commit(view);
        }
        // spec: receive.9
        if let Message::Application {
            epoch_id,
            sender,
            generation,
            plaintext,
            ..
        } = message
        {
            // spec: receive.17
            let s = self.groups.get_mut(&view).expect("loaded");
            // row 21: an epoch neither current nor retained
            let Some(record) = s
                .epochs
                .iter_mut()
                .find(|r| r.id == epoch_id && r.epoch == epoch)
            else {
                return Err(ErrorName::OperationError);
            };
            // rows 22, 23
            if m.flipped || sender == view.client {
                return Err(ErrorName::OperationError);
            }
            // rows 24, 25: the key is used, dropped or too far ahead; row 26, 27
            if !record
                .ratchets
                .entry(sender)
                .or_default()
                .consume(generation)
            {
                return Err(ErrorName::OperationError);
            }
            return Ok(Outcome::Plaintext(plaintext));
        }
        // spec: receive.10 (rows 9, 10): another epoch, another fork of it, or a flipped
        // membership tag
        let epoch_id = match &message {
            Message::Proposal { reference, .. } => reference.epoch_id,
            Message::Commit(c) => c.epoch_id,
            _ => unreachable!("handled above"),
        };
        if epoch != s.epoch || epoch_id != s.epoch_id || m.flipped {
            return Err(ErrorName::OperationError);
        }
        match message {
            Message::Proposal { reference, .. } => {
                // spec: receive.12 (rows 12, 13): a proposal made in this very epoch was
                // validated against this very tree by its sender
                // spec: receive.13 (row 14)
                if s.pending.is_some() {
                    return Err(ErrorName::InvalidStateError);
                }
                // spec: receive.14 (row 15)
                self.groups
                    .get_mut(&view)
                    .expect("loaded")
                    .cache_proposal(reference);
                let (commit, welcome) = self.create_commit(view, Vec::new(), true);
                Ok(Outcome::AutoCommit { commit, welcome })
            }
            Message::Commit(c) => self.receive_commit(view, c),
            _ => unreachable!("handled above"),
        }
    }

    /// A commit of another member at E (spec **receive.11**, **receive.15**).
    fn receive_commit(&mut self, view: ViewKey, c: Commit) -> Result<Outcome> {
        // spec: receive.11 (row 11)
        if c.sender == view.client {
            return Err(ErrorName::OperationError);
        }
        let s = self.groups.get_mut(&view).expect("loaded");
        // spec: receive.15 (row 16)
        if !c.by_reference.iter().all(|r| s.cache.contains(r)) {
            return Err(ErrorName::OperationError);
        }
        // spec: receive.15 (row 19)
        if c.removes.contains(&view.client) {
            self.groups.remove(&view);
            return Ok(Outcome::CommitProcessed(None));
        }
        // spec: receive.15 (row 20), receive.16
        s.advance(c.next, c.tree);
        Ok(Outcome::CommitProcessed(Some(s.epoch)))
    }
}
