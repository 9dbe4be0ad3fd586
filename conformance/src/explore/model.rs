//! The membership model that turns a generated [`Case`] into a valid [`Script`].
//!
//! The model knows who is a member, who waits to join, who was removed (and in which
//! epoch), and what is pending: Add, Remove, Update and PreSharedKey proposals. Each
//! [`Choice`] is read against it ("the `a`-th current member, modulo their number"); a
//! choice that cannot apply is dropped. What makes a step valid is RFC 9420's:
//!
//! - a committer is a member with no Update of its own pending and not proposed for
//!   removal (§12.2: the committer cannot update or remove itself by reference);
//! - one leaf has at most one pending Update or Remove (§12.2);
//! - a commit without a path is chosen only when the proposals allow it (§12.4);
//! - each PreSharedKey proposal names a PSK of its own, which every client learns first
//!   (§12.2: no PSK twice in one commit);
//! - a member sends application data only with no proposal pending (§12.4: "MUST send
//!   a Commit message before sending application data");
//! - an external join happens only with nothing pending (the runner's rule: an external
//!   commit drops pending proposals);
//! - a removed member sends only once the group is more epochs past its removal than
//!   any engine keeps (`MAX_PAST_EPOCHS`, 3), so that rejection is the one right answer.
//!
//! Every script ends with a commit and a message, so the group shows it still works
//! after whatever came before.

use super::capabilities::Capabilities;
use super::generator::{Case, Choice, Kind};
use crate::scenario::script::{Action, ClientSpec, Message, NamedOrder, Order, Path, Script, Tree};

/// Epochs after its removal from which a removed member's message must be unreadable
/// by every member: one more than any engine keeps.
pub const EPOCHS_BEFORE_SENDING_AFTER_REMOVAL: u64 = 4;

/// The state of the group as the script so far leaves it. Clients are indices.
struct Model {
    capabilities: Capabilities,
    names: Vec<String>,
    members: Vec<usize>,
    waiting: Vec<usize>,
    /// Removed clients and the epoch their removal started.
    departed: Vec<(usize, u64)>,
    invited: Vec<usize>,
    removing: Vec<usize>,
    updating: Vec<usize>,
    psk_pending: bool,
    /// Members that received the latest proposal of the epoch and have proposed or
    /// tampered nothing since: without [`Capabilities::commit_any_time`], only they may
    /// commit the pending proposals.
    holders: Vec<usize>,
    psks: usize,
    epoch: u64,
    sent: bool,
    committed: bool,
    steps: Vec<Action>,
}

/// The script of `case`, its clients on `engines` (each client's pick modulo their
/// number), at most `max_steps` steps long (at least the creation and the closing
/// commit and message).
pub fn script_of(case: &Case, engines: &[String], max_steps: usize) -> Script {
    let clients: Vec<ClientSpec> = (0..case.clients)
        .map(|i| ClientSpec {
            name: format!("c{}", i + 1),
            count: None,
            role: None,
            engine: Some(engine_of(case, engines, i)),
        })
        .collect();
    let capabilities = Capabilities::of_all(clients.iter().filter_map(|c| c.engine.as_deref()));
    let mut model = Model {
        capabilities,
        names: clients.iter().map(|c| c.name.clone()).collect(),
        members: vec![0],
        waiting: (1..case.clients).collect(),
        departed: Vec::new(),
        invited: Vec::new(),
        removing: Vec::new(),
        updating: Vec::new(),
        psk_pending: false,
        holders: Vec::new(),
        psks: 0,
        epoch: 0,
        sent: false,
        committed: false,
        steps: vec![Action::CreateGroup {
            by: clients[0].name.clone(),
        }],
    };
    // Room for the closing commit and message, and for a step that takes two.
    let budget = max_steps.max(4) - 3;
    for choice in &case.choices {
        if model.steps.len() > budget {
            break;
        }
        model.apply(choice);
    }
    model.close();
    Script {
        name: "explore".to_owned(),
        description: String::new(),
        group_id: None,
        clients,
        steps: model.steps,
    }
}

fn engine_of(case: &Case, engines: &[String], client: usize) -> String {
    let pick = case.engines.get(client).copied().unwrap_or(0);
    engines[usize::from(pick) % engines.len().max(1)].clone()
}

/// The `k`-th of `list`, modulo its length.
fn pick(list: &[usize], k: u8) -> Option<usize> {
    (!list.is_empty()).then(|| list[usize::from(k) % list.len()])
}

/// Up to `count` distinct elements of `list`, starting at the `k`-th.
fn pick_many(list: &[usize], k: u8, count: usize) -> Vec<usize> {
    let start = usize::from(k);
    (0..count.min(list.len()))
        .map(|i| list[(start + i) % list.len()])
        .collect()
}

fn without(list: &[usize], out: &[&[usize]]) -> Vec<usize> {
    list.iter()
        .copied()
        .filter(|x| !out.iter().any(|o| o.contains(x)))
        .collect()
}

impl Model {
    fn name(&self, client: usize) -> String {
        self.names[client].clone()
    }

    fn names_of(&self, clients: &[usize]) -> Vec<String> {
        clients.iter().map(|&c| self.name(c)).collect()
    }

    /// Members who may commit (RFC 9420 §12.2).
    fn committers(&self) -> Vec<usize> {
        without(&self.members, &[&self.removing, &self.updating])
    }

    /// Members who may commit the pending proposals without adding or removing by value.
    fn pending_committers(&self) -> Vec<usize> {
        let committers = self.committers();
        if self.capabilities.commit_any_time {
            committers
        } else {
            committers
                .into_iter()
                .filter(|c| self.holders.contains(c))
                .collect()
        }
    }

    /// How many members one commit adds or removes by value at most.
    fn by_value(&self, up_to: usize) -> usize {
        if self.capabilities.several_by_value {
            up_to
        } else {
            1
        }
    }

    /// `by` proposed: every other member receives the proposal.
    fn proposed(&mut self, by: usize) {
        self.holders = without(&self.members, &[&[by]]);
    }

    /// Waiting clients not proposed for adding yet.
    fn addable(&self) -> Vec<usize> {
        without(&self.waiting, &[&self.invited])
    }

    fn anything_pending(&self) -> bool {
        !self.invited.is_empty()
            || !self.removing.is_empty()
            || !self.updating.is_empty()
            || self.psk_pending
    }

    /// Whether a commit of the pending proposals plus `removes_by_value` needs a path
    /// (RFC 9420 §12.4: empty commits, Updates and Removes do).
    fn needs_path(&self, removes_by_value: bool, adds_by_value: bool) -> bool {
        removes_by_value
            || !self.removing.is_empty()
            || !self.updating.is_empty()
            || !(adds_by_value || self.anything_pending())
    }

    fn path(&self, d: u16, needs_path: bool) -> Path {
        if !self.capabilities.path_choice {
            return Path::Auto;
        }
        match (d % 3, needs_path) {
            (1, _) => Path::Include,
            (2, false) => Path::Omit,
            _ => Path::Auto,
        }
    }

    fn tree(&self, d: u16) -> Tree {
        if self.capabilities.out_of_band_tree && (d / 3) % 2 == 1 {
            Tree::OutOfBand
        } else {
            Tree::InExtension
        }
    }

    /// The group moves to the next epoch: `added` and the invited join, `removed` and
    /// those proposed for removal leave, nothing stays pending.
    fn next_epoch(&mut self, added: &[usize], removed: &[usize]) {
        self.epoch += 1;
        let mut joining: Vec<usize> = added.to_vec();
        joining.append(&mut self.invited);
        let mut leaving: Vec<usize> = removed.to_vec();
        leaving.append(&mut self.removing);
        self.waiting.retain(|c| !joining.contains(c));
        self.members.retain(|c| !leaving.contains(c));
        self.members.extend(joining);
        let epoch = self.epoch;
        self.departed.extend(leaving.iter().map(|&c| (c, epoch)));
        self.updating.clear();
        self.psk_pending = false;
        self.holders.clear();
    }

    fn apply(&mut self, choice: &Choice) {
        let Choice { kind, a, b, c, d } = *choice;
        let caps = self.capabilities;
        match kind {
            Kind::Nothing => {}
            Kind::Send | Kind::SendOutOfOrder if self.anything_pending() => {}
            Kind::Send => {
                let Some(by) = pick(&self.members, a) else {
                    return;
                };
                self.steps.push(Action::Send {
                    by: self.name(by),
                    text: None,
                });
                self.sent = true;
            }
            Kind::SendOutOfOrder => {
                let count = 2 + usize::from(a % 5);
                let stride = usize::from(c | 1);
                let messages = (0..count)
                    .map(|i| Message {
                        by: self
                            .name(self.members[(usize::from(b) + i * stride) % self.members.len()]),
                        text: None,
                    })
                    .collect();
                let order = match d % 3 {
                    0 => Order::Named(NamedOrder::Reverse),
                    1 => Order::Named(NamedOrder::OddsThenEvens),
                    _ => {
                        let shift = usize::from(d / 3) % count;
                        Order::Explicit((0..count).map(|i| (i + shift) % count).collect())
                    }
                };
                self.steps.push(Action::SendOutOfOrder { messages, order });
            }
            Kind::Add => {
                let (Some(by), addable) = (pick(&self.committers(), a), self.addable()) else {
                    return;
                };
                let added = pick_many(&addable, c, self.by_value(1 + usize::from(b % 3)));
                if added.is_empty() {
                    return;
                }
                let path = self.path(d, self.needs_path(false, true));
                self.steps.push(Action::Add {
                    by: self.name(by),
                    members: self.names_of(&added),
                    tree: self.tree(d),
                    path,
                });
                self.next_epoch(&added, &[]);
                self.committed = true;
            }
            Kind::Remove => {
                let Some(by) = pick(&self.committers(), a) else {
                    return;
                };
                let removable = without(&self.members, &[&[by], &self.removing, &self.updating]);
                let removed = pick_many(&removable, c, self.by_value(1 + usize::from(b % 2)));
                if removed.is_empty() {
                    return;
                }
                let path = self.path(d, true);
                self.steps.push(Action::Remove {
                    by: self.name(by),
                    members: self.names_of(&removed),
                    path,
                });
                self.next_epoch(&[], &removed);
                self.committed = true;
            }
            Kind::ProposeAdd => {
                let (Some(by), Some(added)) = (pick(&self.members, a), pick(&self.addable(), b))
                else {
                    return;
                };
                self.steps.push(Action::ProposeAdd {
                    by: self.name(by),
                    members: vec![self.name(added)],
                });
                self.invited.push(added);
                self.proposed(by);
            }
            Kind::ProposeRemove => {
                let Some(by) = pick(&self.members, a) else {
                    return;
                };
                let removable = without(&self.members, &[&[by], &self.removing, &self.updating]);
                let Some(removed) = pick(&removable, b) else {
                    return;
                };
                // Someone must still be able to commit.
                if self.committers().iter().all(|&c| c == removed) {
                    return;
                }
                self.steps.push(Action::ProposeRemove {
                    by: self.name(by),
                    members: vec![self.name(removed)],
                });
                self.removing.push(removed);
                self.proposed(by);
            }
            Kind::ProposeUpdate if caps.self_update => {
                let candidates = without(&self.members, &[&self.removing, &self.updating]);
                let Some(by) = pick(&candidates, a) else {
                    return;
                };
                if candidates.len() < 2 {
                    return;
                }
                self.steps.push(Action::ProposeUpdate { by: self.name(by) });
                self.updating.push(by);
                self.proposed(by);
            }
            Kind::ProposePsk if caps.psk => {
                let Some(by) = pick(&self.members, a) else {
                    return;
                };
                self.psks += 1;
                let psk = format!("psk{}", self.psks);
                self.steps.push(Action::RegisterPsk {
                    psk: psk.clone(),
                    secret: hex::encode([u8::try_from(self.psks % 256).unwrap_or(0); 32]),
                    clients: None,
                });
                self.steps.push(Action::ProposePsk {
                    by: self.name(by),
                    psk,
                });
                self.psk_pending = true;
                self.proposed(by);
            }
            Kind::Commit => {
                let Some(by) = pick(&self.pending_committers(), a) else {
                    return;
                };
                let path = self.path(d, self.needs_path(false, false));
                self.steps.push(Action::Commit {
                    by: self.name(by),
                    path,
                    tree: self.tree(d),
                });
                self.next_epoch(&[], &[]);
                self.committed = true;
            }
            Kind::CompetingCommits if caps.competing_commits => {
                let by = pick_many(&self.committers(), a, 2 + usize::from(b % 2));
                if by.len() < 2 {
                    return;
                }
                let path = self.path(d, self.needs_path(false, false));
                self.steps.push(Action::CompetingCommits {
                    by: self.names_of(&by),
                    path,
                    tree: self.tree(d),
                });
                self.next_epoch(&[], &[]);
                self.committed = true;
            }
            Kind::ExternalJoin if caps.external_join => {
                let (Some(by), Some(via)) = (pick(&self.waiting, a), pick(&self.members, b)) else {
                    return;
                };
                if self.anything_pending() {
                    return;
                }
                self.steps.push(Action::ExternalJoin {
                    by: self.name(by),
                    via: self.name(via),
                    tree: self.tree(d),
                });
                self.next_epoch(&[by], &[]);
            }
            Kind::CheckExporter => self.steps.push(Action::CheckExporter {
                label: "explore".to_owned(),
                context: format!("context {b}"),
                length: 1 + usize::from(a % 64),
            }),
            Kind::Replay if self.sent => self.steps.push(Action::Replay),
            Kind::StaleCommit if self.committed => self.steps.push(Action::StaleCommit),
            Kind::SendAfterRemoval => {
                let long_gone: Vec<usize> = self
                    .departed
                    .iter()
                    .filter(|(_, at)| self.epoch >= at + EPOCHS_BEFORE_SENDING_AFTER_REMOVAL)
                    .map(|(c, _)| *c)
                    .collect();
                if let Some(by) = pick(&long_gone, a) {
                    self.steps
                        .push(Action::SendAfterRemoval { by: self.name(by) });
                }
            }
            Kind::Tamper => {
                if let Some(by) = pick(&self.pending_committers(), a) {
                    self.steps.push(Action::Tamper {
                        by: self.name(by),
                        byte: d,
                    });
                    // Its commit is dropped, and with it the one it held.
                    self.holders.retain(|&h| h != by);
                }
            }
            Kind::ProposeUpdate
            | Kind::ProposePsk
            | Kind::CompetingCommits
            | Kind::ExternalJoin
            | Kind::Replay
            | Kind::StaleCommit => {}
        }
    }

    /// A commit and a message: the group still works.
    fn close(&mut self) {
        if let Some(by) = pick(&self.pending_committers(), 0) {
            self.steps.push(Action::Commit {
                by: self.name(by),
                path: Path::Auto,
                tree: Tree::InExtension,
            });
            self.next_epoch(&[], &[]);
        }
        if self.anything_pending() {
            return;
        }
        if let Some(by) = pick(&self.members, 0) {
            self.steps.push(Action::Send {
                by: self.name(by),
                text: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers;
    use crate::scenario::validate;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn engines() -> Vec<String> {
        vec!["ours".into(), "openmls".into(), "mls-rs".into()]
    }

    #[test]
    fn every_generated_script_validates_and_stays_within_its_bounds() {
        let mut runner = TestRunner::new(Config::with_cases(200));
        runner
            .run(&super::super::generator::cases(16, 60), |case| {
                let script = script_of(&case, &engines(), 60);
                prop_assert!(validate(&script, &drivers::all()).is_ok());
                prop_assert!(script.steps.len() <= 60, "{} steps", script.steps.len());
                prop_assert!((2..=16).contains(&script.clients.len()));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn every_action_of_the_language_is_generated() {
        use crate::explore::expectations::action_name;
        use std::collections::BTreeMap;
        let mut runner = TestRunner::new(Config::with_cases(300));
        let seen = std::cell::RefCell::new(BTreeMap::<String, usize>::new());
        runner
            .run(&super::super::generator::cases(16, 60), |case| {
                for step in script_of(&case, &engines(), 60).steps {
                    *seen.borrow_mut().entry(action_name(&step)).or_default() += 1;
                }
                Ok(())
            })
            .unwrap();
        let seen = seen.into_inner();
        println!("{seen:?}");
        let every = [
            "create_group",
            "add",
            "remove",
            "propose_add",
            "propose_remove",
            "propose_update",
            "propose_psk",
            "commit",
            "competing_commits",
            "external_join",
            "send",
            "send_out_of_order",
            "register_psk",
            "check_exporter",
            "replay",
            "stale_commit",
            "send_after_removal",
            "tamper",
        ];
        for action in every {
            assert!(
                seen.contains_key(action),
                "{action} is never generated: {seen:?}"
            );
        }
        assert_eq!(seen.len(), every.len(), "{seen:?}");
    }

    #[test]
    fn a_web_api_client_restricts_the_steps_to_what_the_web_api_expresses() {
        let mut runner = TestRunner::new(Config::with_cases(100));
        let engines = vec!["webapi".to_owned()];
        runner
            .run(&super::super::generator::cases(8, 60), |case| {
                let script = script_of(&case, &engines, 60);
                for step in &script.steps {
                    let expressible = match step {
                        Action::ExternalJoin { .. }
                        | Action::RegisterPsk { .. }
                        | Action::ProposePsk { .. }
                        | Action::ProposeUpdate { .. }
                        | Action::CompetingCommits { .. } => false,
                        Action::Add { path, tree, .. } | Action::Commit { path, tree, .. } => {
                            *path == Path::Auto && *tree == Tree::InExtension
                        }
                        Action::Remove { path, .. } => *path == Path::Auto,
                        _ => true,
                    };
                    prop_assert!(expressible, "{step:?}");
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_choice_that_cannot_apply_is_dropped() {
        let case = Case {
            clients: 2,
            engines: vec![0, 0],
            choices: vec![
                Choice {
                    kind: Kind::Replay,
                    a: 0,
                    b: 0,
                    c: 0,
                    d: 0,
                },
                Choice {
                    kind: Kind::Remove,
                    a: 0,
                    b: 0,
                    c: 0,
                    d: 0,
                },
                Choice {
                    kind: Kind::SendAfterRemoval,
                    a: 0,
                    b: 0,
                    c: 0,
                    d: 0,
                },
            ],
        };
        let script = script_of(&case, &engines(), 60);
        let kinds: Vec<String> = script.steps.iter().map(Action::describe).collect();
        assert_eq!(
            kinds,
            ["c1 creates the group", "c1 commits", "c1 sends a message"]
        );
    }
}
