//! A group state (spec §4.4): the triple (E, P, C) of the pending-state machine (§4.6),
//! the tree of E, and the application ratchets of E and of the retained past epochs.

use std::collections::BTreeMap;

use crate::origin_state::ProposalRef;
use crate::ratchet::Ratchet;
use crate::tokens::{Client, EpochId, Msg};
use crate::tree::Tree;

/// How many past epochs are kept for late application messages (spec §5.1).
pub const PAST_EPOCHS: usize = 3;

/// The pending commit P (spec **commit.6**).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The commit message.
    pub commit: Msg,
    /// The epoch E + 1 it creates.
    pub next: EpochId,
    /// The tree of E + 1.
    pub tree: Tree,
}

/// What is kept of one epoch for application messages (spec §4.4 `current`,
/// `pastEpochs`): the receiving ratchet of each sender, and our own sending generation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochRecord {
    /// Which epoch.
    pub id: EpochId,
    /// Its number.
    pub epoch: u64,
    /// The next generation we send (spec **send.6**).
    pub own_generation: u32,
    /// The receiving ratchets, per sender.
    pub ratchets: BTreeMap<Client, Ratchet>,
}

impl EpochRecord {
    fn new(id: EpochId, epoch: u64) -> Self {
        EpochRecord {
            id,
            epoch,
            own_generation: 0,
            ratchets: BTreeMap::new(),
        }
    }
}

/// A group state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupState {
    /// E.
    pub epoch: u64,
    /// Which epoch E.
    pub epoch_id: EpochId,
    /// The tree of E.
    pub tree: Tree,
    /// P.
    pub pending: Option<Pending>,
    /// C, in arrival order (spec §4.4).
    pub cache: Vec<ProposalRef>,
    /// The records of E (first) and of up to [`PAST_EPOCHS`] past epochs.
    pub epochs: Vec<EpochRecord>,
}

impl GroupState {
    /// A state at `epoch` with P none, C empty and no past epochs (spec
    /// **groupCreate.8**, **groupJoin.17**).
    pub fn new(epoch: u64, epoch_id: EpochId, tree: Tree) -> Self {
        GroupState {
            epoch,
            epoch_id,
            tree,
            pending: None,
            cache: Vec::new(),
            epochs: vec![EpochRecord::new(epoch_id, epoch)],
        }
    }

    /// *advance(S, N)* (spec §6.6): E moves to the past epochs (**advance.1**, at most
    /// three kept), N becomes E + 1, P none, C empty (**advance.3**).
    pub fn advance(&mut self, next: EpochId, tree: Tree) {
        self.epoch += 1;
        self.epoch_id = next;
        self.tree = tree;
        self.pending = None;
        self.cache.clear();
        self.epochs.insert(0, EpochRecord::new(next, self.epoch));
        self.epochs.truncate(1 + PAST_EPOCHS);
    }

    /// Inserts a proposal into C unless it is there (spec **proposeAdd.7**,
    /// **receive.14**).
    pub fn cache_proposal(&mut self, reference: ProposalRef) {
        if !self.cache.contains(&reference) {
            self.cache.push(reference);
        }
    }
}
