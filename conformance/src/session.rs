//! A group run through an in-memory delivery service: every handshake message a member
//! sends reaches every other current member, in order, and each step can be checked for
//! agreement. Members may be driven by different engines; that is the point.
//!
//! The delivery service orders handshake messages: when several members commit in the
//! same epoch ([`Session::commit_race`]), the first commit to arrive wins, its author
//! applies its pending commit, the others drop theirs, and only the winning commit
//! reaches the group. A sender never receives its own message back (engines differ on
//! echoed commits), and a commit is applied by its author before the others see it.
//! Members removed from the group are kept aside, and every application message sent
//! later must be unreadable to them.

use crate::driver::{
    CIPHER_SUITE_1, Client, CommitOutput, CommitRequest, DriverError, Engine, Handshake,
    TreeDelivery,
};

/// The exporter label every agreement check uses.
pub const AGREEMENT_LABEL: &[u8] = b"mls-conformance peers";
/// The exporter context every agreement check uses.
pub const AGREEMENT_CONTEXT: &[u8] = b"agreement";
/// The exporter output length every agreement check uses.
pub const AGREEMENT_LENGTH: usize = 32;

/// Why a session step failed: which member, doing what, and what went wrong.
pub type StepResult<T> = Result<T, String>;

/// A named client. The name is also the identity in its basic credential.
pub struct Participant {
    /// The name, unique within a session.
    pub name: String,
    /// The driven client.
    pub client: Box<dyn Client>,
}

impl Participant {
    /// A fresh client of `engine` named `name`, for cipher suite 1.
    pub fn new(engine: &dyn Engine, name: &str) -> StepResult<Self> {
        let client = engine
            .new_client(name.as_bytes(), CIPHER_SUITE_1)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(Participant {
            name: name.to_owned(),
            client,
        })
    }
}

/// What every member agreed on at one point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// The epoch.
    pub epoch: u64,
    /// The epoch authenticator.
    pub authenticator: Vec<u8>,
    /// `MLS-Exporter(AGREEMENT_LABEL, AGREEMENT_CONTEXT, AGREEMENT_LENGTH)`.
    pub exporter: Vec<u8>,
}

/// An application message on its way: who sent what, and the wire bytes.
struct Sent {
    sender: String,
    plaintext: Vec<u8>,
    wire: Vec<u8>,
}

/// The current members of one group, and those who left it.
pub struct Session {
    members: Vec<Participant>,
    departed: Vec<Participant>,
}

fn step(who: &str, what: &str, e: DriverError) -> String {
    driver_failure(who, what, e)
}

thread_local! {
    /// The last driver error of kind `Unsupported` that ended a step on this thread.
    static UNSUPPORTED: std::cell::RefCell<Option<DriverError>> =
        const { std::cell::RefCell::new(None) };
}

/// A step ended by the driver error `e` of `who` doing `what`, as text. An error of
/// kind `Unsupported` is also kept, for [`take_unsupported`]: the scenario runner then
/// reports the run as skipped (the engine cannot express the step), not failed.
pub fn driver_failure(who: &str, what: &str, e: DriverError) -> String {
    let text = format!("{who} {what}: {e}");
    if e.is_unsupported() {
        UNSUPPORTED.with(|slot| *slot.borrow_mut() = Some(e));
    }
    text
}

/// The unsupported driver error that last ended a step on this thread, if any; taking it
/// clears it.
pub fn take_unsupported() -> Option<DriverError> {
    UNSUPPORTED.with(|slot| slot.borrow_mut().take())
}

impl Session {
    /// `creator` creates the group `group_id`.
    pub fn create(mut creator: Participant, group_id: &[u8]) -> StepResult<Self> {
        creator
            .client
            .create_group(group_id)
            .map_err(|e| step(&creator.name, "creating the group", e))?;
        Ok(Session {
            members: vec![creator],
            departed: Vec::new(),
        })
    }

    /// The names of the current members, in the order they joined.
    pub fn names(&self) -> Vec<String> {
        self.members.iter().map(|p| p.name.clone()).collect()
    }

    /// The names of the members who were removed, in the order they left.
    pub fn departed_names(&self) -> Vec<String> {
        self.departed.iter().map(|p| p.name.clone()).collect()
    }

    /// Whether `name` is a current member.
    pub fn is_member(&self, name: &str) -> bool {
        self.members.iter().any(|p| p.name == name)
    }

    /// Every client of the session, members and departed, with its name.
    pub fn clients_mut(&mut self) -> impl Iterator<Item = (&str, &mut (dyn Client + 'static))> {
        self.members
            .iter_mut()
            .chain(self.departed.iter_mut())
            .map(|p| (p.name.as_str(), p.client.as_mut()))
    }

    /// The client of the current member `name`.
    pub fn member(&mut self, name: &str) -> StepResult<&mut (dyn Client + 'static)> {
        self.members
            .iter_mut()
            .find(|p| p.name == name)
            .map(|p| p.client.as_mut())
            .ok_or_else(|| format!("{name} is not a member"))
    }

    /// The client of `name`, who was removed from the group.
    pub fn departed(&mut self, name: &str) -> StepResult<&mut (dyn Client + 'static)> {
        self.departed
            .iter_mut()
            .find(|p| p.name == name)
            .map(|p| p.client.as_mut())
            .ok_or_else(|| format!("{name} has not left the group"))
    }

    /// The leaf index of the current member `name`, as that member sees it.
    pub fn leaf_of(&mut self, name: &str) -> StepResult<u32> {
        self.member(name)?
            .own_leaf_index()
            .map_err(|e| step(name, "reading its leaf index", e))
    }

    /// Hands a handshake message from `sender` to every other member. Members that the
    /// message removes move to the departed list. Returns each receiver's outcome.
    pub fn deliver(
        &mut self,
        sender: &str,
        message: &[u8],
    ) -> StepResult<Vec<(String, Handshake)>> {
        let mut outcomes = Vec::new();
        for p in self.members.iter_mut().filter(|p| p.name != sender) {
            let outcome = p
                .client
                .process_handshake(message)
                .map_err(|e| step(&p.name, &format!("processing {sender}'s handshake"), e))?;
            outcomes.push((p.name.clone(), outcome));
        }
        let removed: Vec<&str> = outcomes
            .iter()
            .filter(|(_, o)| *o == Handshake::CommitApplied { removed: true })
            .map(|(n, _)| n.as_str())
            .collect();
        let (gone, stay): (Vec<_>, Vec<_>) = std::mem::take(&mut self.members)
            .into_iter()
            .partition(|p| removed.contains(&p.name.as_str()));
        self.members = stay;
        self.departed.extend(gone);
        Ok(outcomes)
    }

    /// `proposer` makes a proposal with `make`; every other member must store it.
    pub fn propose(
        &mut self,
        proposer: &str,
        make: impl FnOnce(&mut dyn Client) -> Result<Vec<u8>, DriverError>,
    ) -> StepResult<()> {
        let proposal = make(self.member(proposer)?).map_err(|e| step(proposer, "proposing", e))?;
        for (name, outcome) in self.deliver(proposer, &proposal)? {
            if outcome != Handshake::ProposalStored {
                return Err(format!("{name} took {proposer}'s proposal as {outcome:?}"));
            }
        }
        Ok(())
    }

    /// `committer` commits `request`, applies it, and every other member processes it.
    pub fn commit(&mut self, committer: &str, request: &CommitRequest) -> StepResult<CommitOutput> {
        let (_, output) = self.commit_race(&[committer], request)?;
        Ok(output)
    }

    /// Each of `committers`, in this order, commits `request` in the current epoch. The
    /// delivery service takes the first commit: its author applies it, every other
    /// committer drops its own pending commit, and every other member (losers included)
    /// processes the winning one. Returns the winner and its commit.
    pub fn commit_race(
        &mut self,
        committers: &[&str],
        request: &CommitRequest,
    ) -> StepResult<(String, CommitOutput)> {
        let (&winner, losers) = committers
            .split_first()
            .ok_or("a commit needs a committer")?;
        let mut outputs = Vec::with_capacity(committers.len());
        for &committer in committers {
            let output = self
                .member(committer)?
                .commit(request)
                .map_err(|e| step(committer, "committing", e))?;
            outputs.push(output);
        }
        self.member(winner)?
            .apply_pending_commit()
            .map_err(|e| step(winner, "applying its commit", e))?;
        for &loser in losers {
            self.member(loser)?.discard_pending_commit().map_err(|e| {
                step(
                    loser,
                    &format!("dropping its commit beaten by {winner}'s"),
                    e,
                )
            })?;
        }
        let output = outputs.swap_remove(0);
        for (name, outcome) in self.deliver(winner, &output.commit)? {
            if !matches!(outcome, Handshake::CommitApplied { .. }) {
                return Err(format!("{name} took {winner}'s commit as {outcome:?}"));
            }
        }
        Ok((winner.to_owned(), output))
    }

    /// `committer` adds `newcomer` by value; the newcomer joins from the Welcome, with
    /// the tree in it or handed over out of band as `tree` says.
    pub fn add(
        &mut self,
        committer: &str,
        mut newcomer: Participant,
        tree: TreeDelivery,
    ) -> StepResult<CommitOutput> {
        let key_package = newcomer
            .client
            .key_package()
            .map_err(|e| step(&newcomer.name, "making a key package", e))?;
        let request = CommitRequest {
            add: vec![key_package],
            tree,
            ..CommitRequest::default()
        };
        let output = self.commit(committer, &request)?;
        self.welcome(committer, newcomer, &output, tree)?;
        Ok(output)
    }

    /// `newcomer` joins from the Welcome in `output`, a commit by `committer` that the
    /// group has applied already.
    pub fn welcome(
        &mut self,
        committer: &str,
        mut newcomer: Participant,
        output: &CommitOutput,
        tree: TreeDelivery,
    ) -> StepResult<()> {
        let welcome = output
            .welcome
            .as_ref()
            .ok_or_else(|| format!("{committer}'s commit has no Welcome"))?;
        let tree_bytes = match tree {
            TreeDelivery::InExtension => None,
            TreeDelivery::OutOfBand => Some(
                self.member(committer)?
                    .ratchet_tree()
                    .map_err(|e| step(committer, "exporting the tree", e))?,
            ),
        };
        newcomer
            .client
            .join_from_welcome(welcome, tree_bytes.as_deref())
            .map_err(|e| {
                step(
                    &newcomer.name,
                    &format!("joining from {committer}'s Welcome"),
                    e,
                )
            })?;
        self.members.push(newcomer);
        Ok(())
    }

    /// `newcomer` joins by external commit against the GroupInfo that `publisher`
    /// exports (tree in it or out of band); every member processes the commit.
    pub fn join_externally(
        &mut self,
        publisher: &str,
        mut newcomer: Participant,
        tree: TreeDelivery,
    ) -> StepResult<()> {
        let client = self.member(publisher)?;
        let group_info = client
            .group_info(tree)
            .map_err(|e| step(publisher, "exporting a GroupInfo", e))?;
        let tree_bytes = match tree {
            TreeDelivery::InExtension => None,
            TreeDelivery::OutOfBand => Some(
                client
                    .ratchet_tree()
                    .map_err(|e| step(publisher, "exporting the tree", e))?,
            ),
        };
        let commit = newcomer
            .client
            .join_by_external_commit(&group_info, tree_bytes.as_deref())
            .map_err(|e| {
                step(
                    &newcomer.name,
                    &format!("joining via {publisher}'s GroupInfo"),
                    e,
                )
            })?;
        let name = newcomer.name.clone();
        self.members.push(newcomer);
        for (receiver, outcome) in self.deliver(&name, &commit)? {
            if outcome != (Handshake::CommitApplied { removed: false }) {
                return Err(format!(
                    "{receiver} took {name}'s external commit as {outcome:?}"
                ));
            }
        }
        Ok(())
    }

    /// Counts `participant` as a member from now on: for a joiner whose external commit
    /// was handed to the group with [`Session::deliver`] rather than
    /// [`Session::join_externally`].
    pub fn admit(&mut self, participant: Participant) {
        self.members.push(participant);
    }

    /// `sender` protects `plaintext`; every other member must recover it exactly, and no
    /// departed member may read it.
    pub fn send(&mut self, sender: &str, plaintext: &[u8]) -> StepResult<Vec<u8>> {
        let mut sent = self.protect_all(&[(sender, plaintext)])?;
        self.receive_all(&sent, &[0])?;
        let message = sent.pop().ok_or("the message was not sent")?;
        Ok(message.wire)
    }

    /// Each `(sender, plaintext)` is protected in the order given; then every member
    /// receives the messages of the others in the order `delivery` lists them (indices
    /// into `messages`), and must recover each exactly. No departed member may read any
    /// of them. This is how out-of-order delivery within an epoch is checked.
    pub fn send_batch(&mut self, messages: &[(&str, &[u8])], delivery: &[usize]) -> StepResult<()> {
        let mut seen = vec![false; messages.len()];
        for &i in delivery {
            match seen.get_mut(i) {
                Some(slot) if !*slot => *slot = true,
                Some(_) => return Err(format!("message {i} is delivered twice")),
                None => return Err(format!("there is no message {i} to deliver")),
            }
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err(format!("message {missing} is never delivered"));
        }
        let sent = self.protect_all(messages)?;
        self.receive_all(&sent, delivery)
    }

    /// Protects each message at its sender, in order.
    fn protect_all(&mut self, messages: &[(&str, &[u8])]) -> StepResult<Vec<Sent>> {
        messages
            .iter()
            .map(|&(sender, plaintext)| {
                let wire = self
                    .member(sender)?
                    .protect(plaintext)
                    .map_err(|e| step(sender, "protecting a message", e))?;
                Ok(Sent {
                    sender: sender.to_owned(),
                    plaintext: plaintext.to_vec(),
                    wire,
                })
            })
            .collect()
    }

    /// Hands `sent[i]` for each `i` of `order` to every member but its sender, and to
    /// every departed member, checking that members read it and the departed cannot.
    fn receive_all(&mut self, sent: &[Sent], order: &[usize]) -> StepResult<()> {
        let in_order = || order.iter().filter_map(|&i| sent.get(i));
        for p in &mut self.members {
            for message in in_order().filter(|m| m.sender != p.name) {
                let sender = &message.sender;
                let got = p
                    .client
                    .unprotect(&message.wire)
                    .map_err(|e| step(&p.name, &format!("unprotecting {sender}'s message"), e))?;
                if got != message.plaintext {
                    return Err(format!("{} read {sender}'s message as {got:02x?}", p.name));
                }
            }
        }
        for p in &mut self.departed {
            for message in in_order() {
                if let Ok(got) = p.client.unprotect(&message.wire) {
                    return Err(format!(
                        "{}, removed from the group, read {}'s later message: {got:02x?}",
                        p.name, message.sender
                    ));
                }
            }
        }
        Ok(())
    }

    /// Checks that every current member is in the same epoch with the same epoch
    /// authenticator, exporter output and member list, and returns what they agree on.
    pub fn agreement(&mut self) -> StepResult<Agreement> {
        let mut agreed: Option<(String, Agreement, Vec<crate::driver::Member>)> = None;
        for p in &self.members {
            let c = p.client.as_ref();
            let who = p.name.as_str();
            let view = Agreement {
                epoch: c.epoch().map_err(|e| step(who, "reading the epoch", e))?,
                authenticator: c
                    .epoch_authenticator()
                    .map_err(|e| step(who, "reading the epoch authenticator", e))?,
                exporter: c
                    .export_secret(AGREEMENT_LABEL, AGREEMENT_CONTEXT, AGREEMENT_LENGTH)
                    .map_err(|e| step(who, "exporting a secret", e))?,
            };
            let roster = c.members().map_err(|e| step(who, "listing members", e))?;
            match &agreed {
                None => agreed = Some((who.to_owned(), view, roster)),
                Some((first, expected, expected_roster)) => {
                    if view != *expected {
                        return Err(format!(
                            "{who} and {first} disagree: {view:02x?} vs {expected:02x?}"
                        ));
                    }
                    if roster != *expected_roster {
                        return Err(format!(
                            "{who} and {first} see different members: {roster:?} vs {expected_roster:?}"
                        ));
                    }
                }
            }
        }
        let (_, agreement, roster) = agreed.ok_or("the group has no members")?;
        let mut names: Vec<Vec<u8>> = self.names().into_iter().map(String::into_bytes).collect();
        let mut listed: Vec<Vec<u8>> = roster.into_iter().map(|m| m.identity).collect();
        names.sort();
        listed.sort();
        if names != listed {
            return Err(format!(
                "the roster lists {listed:?} but the session holds {names:?}"
            ));
        }
        Ok(agreement)
    }
}
