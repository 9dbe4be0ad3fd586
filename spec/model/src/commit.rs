//! *select* and *create-commit* (spec §6.4, §6.5).

use crate::call::Member;
use crate::group_state::Pending;
use crate::origin_state::{Commit, Message, Proposal, ProposalRef, World};
use crate::tokens::{EpochId, Msg, ViewKey};
use crate::tree::{self, Tree};

/// The member a key package would add.
pub(crate) fn member_of(world: &World, key_package: Msg) -> Member {
    match world.messages[&key_package] {
        Message::KeyPackage { owner, credential } => Member {
            client: owner,
            credential,
        },
        _ => unreachable!("an Add proposal holds a key package"),
    }
}

/// **kp.6**: whether `new` has the signature key (the client) or the credential identity
/// of one of `others`.
pub(crate) fn collides(new: Member, others: impl IntoIterator<Item = Member>) -> bool {
    others
        .into_iter()
        .any(|m| m.client == new.client || m.credential == new.credential)
}

impl World {
    /// *create-commit(S, V, useCache)* (spec §6.5) for the view's state, which exists and
    /// has no pending commit. Sets P and returns the commit and the Welcome.
    pub(crate) fn create_commit(
        &mut self,
        view: ViewKey,
        by_value: Vec<Proposal>,
        use_cache: bool,
    ) -> (Msg, Option<Msg>) {
        let state = &self.groups[&view];
        let me = view.client;
        // spec: select.1
        let mut removed: Vec<_> = by_value
            .iter()
            .filter_map(|p| match p {
                Proposal::Remove(c) => Some(*c),
                Proposal::Add(_) => None,
            })
            .collect();
        let mut added: Vec<Member> = by_value
            .iter()
            .filter_map(|p| match p {
                Proposal::Add(kp) => Some(member_of(self, *kp)),
                Proposal::Remove(_) => None,
            })
            .collect();
        let mut chosen = vec![false; state.cache.len()];
        if use_cache {
            // spec: select.2
            for (i, r) in state.cache.iter().enumerate() {
                if let Proposal::Remove(c) = r.proposal
                    && c != me
                    && !removed.contains(&c)
                {
                    removed.push(c);
                    chosen[i] = true;
                }
            }
            // spec: select.3 (the Web API makes no Update)
            // spec: select.4 (kp.6 against the members that stay and the Adds in L)
            for (i, r) in state.cache.iter().enumerate() {
                if let Proposal::Add(kp) = r.proposal {
                    let new = member_of(self, kp);
                    let staying = tree::members(&state.tree)
                        .into_iter()
                        .filter(|m| !removed.contains(&m.client));
                    if !collides(new, staying.chain(added.iter().copied())) {
                        added.push(new);
                        chosen[i] = true;
                    }
                }
            }
        }
        // spec: select.5 (by reference first, in cache order, then by value)
        let by_reference: Vec<ProposalRef> = state
            .cache
            .iter()
            .zip(&chosen)
            .filter(|(_, c)| **c)
            .map(|(r, _)| *r)
            .collect();
        let mut in_order: Vec<Proposal> = by_reference.iter().map(|r| r.proposal).collect();
        in_order.extend(by_value.iter().copied());

        // spec: commit.3
        let adds: Vec<Msg> = in_order
            .iter()
            .filter_map(|p| match p {
                Proposal::Add(kp) => Some(*kp),
                Proposal::Remove(_) => None,
            })
            .collect();
        let path = in_order.is_empty() || adds.len() < in_order.len();

        // spec: commit.4 (RFC 9420 §12.3: Removes, then Adds in the order listed)
        let mut next_tree: Tree = state.tree.clone();
        for c in &removed {
            tree::remove(&mut next_tree, *c);
        }
        for kp in &adds {
            tree::add(&mut next_tree, member_of(self, *kp));
        }
        let (group, epoch, epoch_id) = (view.group, state.epoch, state.epoch_id);
        // Without a path nothing in the commit is random: equal proposals give equal
        // bytes and the same epoch E + 1.
        let next = if path {
            EpochId(self.token())
        } else {
            let key = (epoch_id, me, by_reference.clone(), by_value.clone());
            match self.deterministic_epochs.get(&key) {
                Some(id) => *id,
                None => {
                    let id = EpochId(self.token());
                    self.deterministic_epochs.insert(key, id);
                    id
                }
            }
        };
        let commit = self.output(Message::Commit(Commit {
            group,
            epoch,
            epoch_id,
            sender: me,
            by_reference,
            removes: removed,
            next,
            tree: next_tree.clone(),
        }));
        // spec: commit.5
        let welcome = (!adds.is_empty()).then(|| {
            self.output(Message::Welcome {
                group,
                epoch: epoch + 1,
                epoch_id: next,
                tree: next_tree.clone(),
                new_members: adds,
            })
        });
        // spec: commit.6
        let state = self.groups.get_mut(&view).expect("the state exists");
        state.pending = Some(Pending {
            commit,
            next,
            tree: next_tree,
        });
        // spec: commit.7
        (commit, welcome)
    }
}
