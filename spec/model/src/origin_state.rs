//! The state of every origin (spec §4.1): identities (§4.2), key packages (§4.3) and group
//! states (§4.4), and the messages that were output, which outlive all of them.

use std::collections::{BTreeMap, BTreeSet};

use crate::group_state::GroupState;
use crate::tokens::{Client, CredentialName, EpochId, Group, Msg, Origin, ViewKey};
use crate::tree::Tree;

/// An identity (spec §4.2). Its key pair is its token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The storage key it belongs to.
    pub origin: Origin,
    /// False once `MLS.deleteState()` removed it.
    pub alive: bool,
}

/// A proposal's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Proposal {
    /// Add the key package.
    Add(Msg),
    /// Remove the member (by leaf; a client has at most one leaf in a tree).
    Remove(Client),
}

/// What determines a proposal's bytes, hence its `ProposalRef` (RFC 9420 §5.2): the
/// epoch, the sender and the content. Ed25519 is deterministic, so two equal
/// `ProposalRef`s are equal bytes, and the cache holds one of them (spec **proposeAdd.7**).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProposalRef {
    /// The epoch it was made in.
    pub epoch_id: EpochId,
    /// Who made it.
    pub sender: Client,
    /// What it proposes.
    pub proposal: Proposal,
}

/// A message the Web API output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// A key package (spec §7.5).
    KeyPackage {
        /// The identity that made it.
        owner: Client,
        /// Its leaf's credential.
        credential: CredentialName,
    },
    /// A Welcome (spec **commit.5**) to the epoch a commit creates.
    Welcome {
        /// The group.
        group: Group,
        /// The epoch it welcomes to.
        epoch: u64,
        /// Which epoch of that number.
        epoch_id: EpochId,
        /// The tree of that epoch.
        tree: Tree,
        /// The key packages it is addressed to, in order.
        new_members: Vec<Msg>,
    },
    /// A proposal, a PublicMessage (spec **proposeAdd.6**, **proposeRemove.5**).
    Proposal {
        /// The group.
        group: Group,
        /// Its epoch number.
        epoch: u64,
        /// What identifies it.
        reference: ProposalRef,
    },
    /// A commit, a PublicMessage (spec **commit.4**).
    Commit(Commit),
    /// An application message, a PrivateMessage (spec **send.6**).
    Application {
        /// The group.
        group: Group,
        /// Its epoch number.
        epoch: u64,
        /// Which epoch of that number.
        epoch_id: EpochId,
        /// The sender.
        sender: Client,
        /// The generation of the sender's application ratchet.
        generation: u32,
        /// Which plaintext.
        plaintext: u8,
    },
}

/// A commit (spec §6.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// The group.
    pub group: Group,
    /// The epoch it commits, E.
    pub epoch: u64,
    /// Which epoch E.
    pub epoch_id: EpochId,
    /// The committer.
    pub sender: Client,
    /// The proposals it includes by reference (spec **select.2**–**select.4**).
    pub by_reference: Vec<ProposalRef>,
    /// Everyone it removes, by value or by reference.
    pub removes: Vec<Client>,
    /// The epoch E + 1 it creates. Commits with equal bytes create the same epoch.
    pub next: EpochId,
    /// The tree of E + 1.
    pub tree: Tree,
}

impl Message {
    /// The group and epoch number a handshake or application message claims (spec
    /// **getGroupIdFromMessage.5**, **getGroupEpochFromMessage.5**); `None` for a key
    /// package or a Welcome, which carry none in the clear.
    pub fn claimed_group_and_epoch(&self) -> Option<(Group, u64)> {
        match self {
            Message::KeyPackage { .. } | Message::Welcome { .. } => None,
            Message::Proposal { group, epoch, .. } | Message::Application { group, epoch, .. } => {
                Some((*group, *epoch))
            }
            Message::Commit(c) => Some((c.group, c.epoch)),
        }
    }
}

/// Every origin's state, and what was output.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// Identities ever made, with their origin; dead after `MLS.deleteState()`.
    pub identities: BTreeMap<Client, Identity>,
    /// Key packages still stored (spec §4.3): not consumed by `groupJoin` and not
    /// deleted with their origin.
    pub stored_key_packages: BTreeSet<Msg>,
    /// Group states (spec §4.4), per (client id, group id); the origin is the client's.
    pub groups: BTreeMap<ViewKey, GroupState>,
    /// Every message output so far.
    pub messages: BTreeMap<Msg, Message>,
    /// Every group id drawn so far.
    pub group_ids: BTreeSet<Group>,
    /// The views the page holds: from `groupCreate`, `groupJoin`, `groupGet`.
    pub views: BTreeSet<ViewKey>,
    /// The epochs that add-only commits created, by what determines their bytes (see
    /// [`crate::commit`]).
    pub deterministic_epochs: BTreeMap<(EpochId, Client, Vec<ProposalRef>, Vec<Proposal>), EpochId>,
    next_token: u32,
}

impl World {
    /// An empty world: no origin has state.
    pub fn new() -> Self {
        World::default()
    }

    /// A fresh number for a token of any kind.
    pub(crate) fn token(&mut self) -> u32 {
        self.next_token += 1;
        self.next_token
    }

    /// Records a message and returns its token.
    pub(crate) fn output(&mut self, message: Message) -> Msg {
        let m = Msg(self.token());
        self.messages.insert(m, message);
        m
    }

    /// Whether `client` is an identity of `origin` now (spec **generateKeyPackage.5**).
    pub fn has_identity(&self, origin: Origin, client: Client) -> bool {
        self.identities
            .get(&client)
            .is_some_and(|i| i.alive && i.origin == origin)
    }

    /// The origin of a view: its client's.
    pub fn origin_of(&self, view: ViewKey) -> Option<Origin> {
        self.identities.get(&view.client).map(|i| i.origin)
    }

    /// Whether the model holds a group state for the view, and so what `groupGet`,
    /// `details()` and the pending-state getters see.
    pub fn group(&self, view: ViewKey) -> Option<&GroupState> {
        self.groups.get(&view)
    }
}
