//! Plays a script on the engines of a binding, through the delivery service of
//! [`Session`], and checks the group after every step.
//!
//! After every step all members must be in the same epoch with the same epoch
//! authenticator, exporter output and member list (and that list must be the clients the
//! script put in the group). A step that commits must move the group one epoch on and
//! change the authenticator and the exporter; any other step must leave them alone.
//! Every application message must be read by every other member exactly as sent, and by
//! no member removed earlier. The invalid actions (`replay`, `stale_commit`,
//! `send_after_removal`, `tamper`) must be rejected by every member they reach, and then
//! the checks above hold as for any step that does not commit: a rejection changes
//! nothing. The first check that fails ends the run and is its verdict, except a step an
//! engine cannot express (a driver error of kind `Unsupported`, e.g. an Update proposal by
//! a Web API client): it ends the run as skipped, naming the step, the engine and why,
//! never as passed or failed.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::binding::Binding;
use super::script::{Action, Path, Script, Tree};
use super::trace::{Run, StepOutcome, StepTrace, Verdict};
use super::validation::validate;
use crate::driver::{CommitOutput, CommitRequest, DriverError};
use crate::drivers::Registry;
use crate::drivers::registry::Lookup;
use crate::session::{self, Agreement, Participant, Session, StepResult};

/// Plays `script` with the engines `binding` gives its clients, looked up in `registry`.
/// A run needing an unavailable engine is skipped, with the engine's reason.
pub fn play(script: &Script, binding: &Binding, registry: &Registry) -> Run {
    let clients = binding.assign(script);
    let mut run = Run {
        script: script.name.clone(),
        binding: binding.clone(),
        label: binding.label(),
        clients,
        steps: script
            .steps
            .iter()
            .enumerate()
            .map(|(i, action)| StepTrace {
                number: i + 1,
                action: action.describe(),
                outcome: StepOutcome::NotRun,
            })
            .collect(),
        verdict: Verdict::Passed,
    };
    if let Err(problem) = validate(script, registry) {
        run.verdict = Verdict::Failed {
            step: 0,
            message: problem,
        };
        return run;
    }
    let participants = match participants(&run.clients, registry) {
        Ok(participants) => participants,
        Err(verdict) => {
            run.verdict = verdict;
            return run;
        }
    };
    let mut stage = Stage {
        script,
        waiting: participants,
        invited: Vec::new(),
        group: None,
        last: None,
        last_sent: None,
        last_commit: None,
    };
    for (trace, action) in run.steps.iter_mut().zip(&script.steps) {
        let number = trace.number;
        session::take_unsupported();
        let result = catch_unwind(AssertUnwindSafe(|| stage.play(number, action)))
            .unwrap_or_else(|panic| Err(format!("an engine panicked: {}", panic_text(&panic))));
        let unsupported = session::take_unsupported();
        match result {
            Ok(outcome) => trace.outcome = outcome,
            Err(_) if unsupported.is_some() => {
                // The engine cannot express this step: the run says nothing about it.
                let reason = unsupported.map(|e| e.to_string()).unwrap_or_default();
                run.verdict = Verdict::Skipped {
                    reason: format!("step {number} ({}): {reason}", trace.action),
                };
                break;
            }
            Err(message) => {
                trace.outcome = StepOutcome::Failed {
                    message: message.clone(),
                };
                run.verdict = Verdict::Failed {
                    step: number,
                    message,
                };
                break;
            }
        }
    }
    run
}

/// A fresh client for each (name, engine), or the verdict when one cannot be made.
fn participants(
    clients: &[(String, String)],
    registry: &Registry,
) -> Result<Vec<Participant>, Verdict> {
    let mut made = Vec::with_capacity(clients.len());
    for (name, engine) in clients {
        let engine = registry.engine(engine).map_err(|lookup| match lookup {
            Lookup::Unavailable { name, reason } => Verdict::Skipped {
                reason: format!("{name}: {reason}"),
            },
            unknown @ Lookup::Unknown(_) => Verdict::Failed {
                step: 0,
                message: unknown.to_string(),
            },
        })?;
        let participant = Participant::new(engine, name)
            .map_err(|message| Verdict::Failed { step: 0, message })?;
        made.push(participant);
    }
    Ok(made)
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned())
}

/// The state of a run between steps.
struct Stage<'s> {
    script: &'s Script,
    /// Clients not in the group (yet).
    waiting: Vec<Participant>,
    /// Clients proposed for adding, who join from the next commit's Welcome.
    invited: Vec<String>,
    /// The group, once created.
    group: Option<Session>,
    /// What the members agreed on after the last step.
    last: Option<Agreement>,
    /// The sender and wire bytes of the last `send` step's message, for `replay`.
    last_sent: Option<(String, Vec<u8>)>,
    /// The author and wire bytes of the last commit made by a member, for `stale_commit`.
    last_commit: Option<(String, Vec<u8>)>,
}

/// What an invalid message is, for [`Stage::all_reject`].
#[derive(Clone, Copy)]
enum Carrying {
    /// An application message, handed to `unprotect`.
    Application,
    /// A proposal or commit, handed to `process_handshake`.
    Handshake,
}

fn failed(who: &str, what: &str, e: DriverError) -> String {
    session::driver_failure(who, what, e)
}

impl Stage<'_> {
    /// Plays one action and checks the group afterwards.
    fn play(&mut self, number: usize, action: &Action) -> StepResult<StepOutcome> {
        let note = self.act(number, action)?;
        self.check(action, note)
    }

    fn group(&mut self) -> StepResult<&mut Session> {
        self.group
            .as_mut()
            .ok_or_else(|| "the group does not exist yet".to_owned())
    }

    fn waiting_mut(&mut self, name: &str) -> StepResult<&mut Participant> {
        match self.waiting.iter().position(|p| p.name == name) {
            Some(at) => Ok(&mut self.waiting[at]),
            None => Err(self.cannot_join(name)),
        }
    }

    fn take_waiting(&mut self, name: &str) -> StepResult<Participant> {
        match self.waiting.iter().position(|p| p.name == name) {
            Some(at) => Ok(self.waiting.remove(at)),
            None => Err(self.cannot_join(name)),
        }
    }

    fn cannot_join(&self, name: &str) -> String {
        format!("{name} cannot join: it {}", self.whereabouts(name))
    }

    /// Where a client is, for error messages.
    fn whereabouts(&self, name: &str) -> &'static str {
        match &self.group {
            Some(group) if group.is_member(name) => "is a member already",
            Some(group) if group.departed_names().iter().any(|n| n == name) => {
                "was removed (a removed client does not rejoin)"
            }
            _ if self.waiting.iter().any(|p| p.name == name) => "is waiting to join",
            _ => "is not a client of the script",
        }
    }

    /// Performs the action; returns a note for the trace.
    fn act(&mut self, number: usize, action: &Action) -> StepResult<Option<String>> {
        match action {
            Action::CreateGroup { by } => {
                let creator = self.take_waiting(by)?;
                self.group = Some(Session::create(creator, &self.script.group_id())?);
                Ok(None)
            }
            Action::Add {
                by,
                members,
                tree,
                path,
            } => {
                let add = members
                    .iter()
                    .map(|m| self.key_package(m))
                    .collect::<StepResult<Vec<_>>>()?;
                let request = CommitRequest {
                    add,
                    remove: Vec::new(),
                    path: (*path).into(),
                    tree: (*tree).into(),
                };
                let output = self.group()?.commit(by, &request)?;
                self.last_commit = Some((by.clone(), output.commit.clone()));
                self.welcome(by, members, &output, *tree)?;
                Ok(None)
            }
            Action::Remove { by, members, path } => {
                let group = self.group()?;
                let remove = members
                    .iter()
                    .map(|m| group.leaf_of(m))
                    .collect::<StepResult<Vec<_>>>()?;
                let request = CommitRequest {
                    remove,
                    path: (*path).into(),
                    ..CommitRequest::default()
                };
                let output = group.commit(by, &request)?;
                if let Some(still) = members.iter().find(|m| group.is_member(m)) {
                    return Err(format!(
                        "{still} was removed, but its engine did not report it"
                    ));
                }
                self.last_commit = Some((by.clone(), output.commit.clone()));
                self.welcome(by, &[], &output, Tree::InExtension)?;
                Ok(None)
            }
            Action::ProposeAdd { by, members } => {
                for member in members {
                    let key_package = self.key_package(member)?;
                    self.group()?.propose(by, |c| c.propose_add(&key_package))?;
                    self.invited.push(member.clone());
                }
                Ok(None)
            }
            Action::ProposeRemove { by, members } => {
                let group = self.group()?;
                for member in members {
                    let leaf = group.leaf_of(member)?;
                    group.propose(by, |c| c.propose_remove(leaf))?;
                }
                Ok(None)
            }
            Action::ProposeUpdate { by } => {
                self.group()?.propose(by, |c| c.propose_self_update())?;
                Ok(None)
            }
            Action::ProposePsk { by, psk } => {
                self.group()?
                    .propose(by, |c| c.propose_external_psk(psk.as_bytes()))?;
                Ok(None)
            }
            Action::Commit { by, path, tree } => {
                let by = [by.clone()];
                self.commit_pending(&by, *path, *tree)
            }
            Action::CompetingCommits { by, path, tree } => self.commit_pending(by, *path, *tree),
            Action::ExternalJoin { by, via, tree } => {
                if !self.invited.is_empty() {
                    return Err(format!(
                        "the proposals to add {} are pending; an external commit would drop \
                         them, so commit them first",
                        self.invited.join(", ")
                    ));
                }
                let joiner = self.take_waiting(by)?;
                self.group()?.join_externally(via, joiner, (*tree).into())?;
                Ok(None)
            }
            Action::Send { by, text } => {
                let text = text
                    .clone()
                    .unwrap_or_else(|| format!("{by} speaking in step {number}"));
                let wire = self.group()?.send(by, text.as_bytes())?;
                self.last_sent = Some((by.clone(), wire));
                Ok(None)
            }
            Action::SendOutOfOrder { messages, order } => {
                let texts: Vec<String> = messages
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        m.text
                            .clone()
                            .unwrap_or_else(|| format!("{}: message {i} of step {number}", m.by))
                    })
                    .collect();
                let batch: Vec<(&str, &[u8])> = messages
                    .iter()
                    .zip(&texts)
                    .map(|(m, t)| (m.by.as_str(), t.as_bytes()))
                    .collect();
                let delivery = order.indices(messages.len());
                self.group()?.send_batch(&batch, &delivery)?;
                Ok(None)
            }
            Action::RegisterPsk {
                psk,
                secret,
                clients,
            } => {
                let secret = hex::decode(secret).map_err(|e| format!("the PSK secret: {e}"))?;
                self.register_psk(psk.as_bytes(), &secret, clients.as_deref())?;
                Ok(None)
            }
            Action::CheckExporter {
                label,
                context,
                length,
            } => self.check_exporter(label.as_bytes(), context.as_bytes(), *length),
            Action::Replay => {
                let (sender, wire) = self
                    .last_sent
                    .clone()
                    .ok_or("there is no earlier message of a send step to replay")?;
                self.all_reject(&sender, &wire, Carrying::Application, "a replayed message")
            }
            Action::StaleCommit => {
                let (author, wire) = self
                    .last_commit
                    .clone()
                    .ok_or("there is no earlier commit to deliver again")?;
                self.all_reject(
                    &author,
                    &wire,
                    Carrying::Handshake,
                    "a commit of a past epoch",
                )
            }
            Action::SendAfterRemoval { by } => {
                let text = format!("{by} speaking after its removal in step {number}");
                let sent = self.group()?.departed(by)?.protect(text.as_bytes());
                match sent {
                    Err(_) => Ok(Some(format!("{by}'s engine refused to send"))),
                    Ok(wire) => self.all_reject(
                        by,
                        &wire,
                        Carrying::Application,
                        "a message from a removed member",
                    ),
                }
            }
            Action::Tamper { by, byte } => self.tamper(by, usize::from(*byte)),
        }
    }

    /// `by` commits the pending proposals; the commit reaches every other member with
    /// the byte at `at` (modulo its length) flipped, and `by` drops its commit.
    fn tamper(&mut self, by: &str, at: usize) -> StepResult<Option<String>> {
        let group = self.group()?;
        let output = group
            .member(by)?
            .commit(&CommitRequest::default())
            .map_err(|e| failed(by, "committing", e))?;
        let mut wire = output.commit;
        let at = at % wire.len().max(1);
        if let Some(byte) = wire.get_mut(at) {
            *byte ^= 0xff;
        }
        let rejected = self.all_reject(by, &wire, Carrying::Handshake, "a tampered commit")?;
        self.group()?
            .member(by)?
            .discard_pending_commit()
            .map_err(|e| failed(by, "dropping its commit", e))?;
        Ok(rejected.map(|note| format!("byte {at} flipped; {note}")))
    }

    /// Hands `wire`, which `sender` sent, to every current member but `sender`; each
    /// must reject it.
    fn all_reject(
        &mut self,
        sender: &str,
        wire: &[u8],
        carrying: Carrying,
        what: &str,
    ) -> StepResult<Option<String>> {
        let group = self.group()?;
        let mut rejected = 0;
        for name in group.names().into_iter().filter(|n| n != sender) {
            let client = group.member(&name)?;
            let accepted = match carrying {
                Carrying::Application => client
                    .unprotect(wire)
                    .map(|plaintext| format!("read it as {plaintext:02x?}")),
                Carrying::Handshake => client
                    .process_handshake(wire)
                    .map(|outcome| format!("took it as {outcome:?}")),
            };
            if let Ok(how) = accepted {
                return Err(format!("{name} accepted {what} from {sender}: it {how}"));
            }
            rejected += 1;
        }
        Ok(Some(format!("rejected by {rejected}")))
    }

    /// A fresh key package of the waiting client `name`.
    fn key_package(&mut self, name: &str) -> StepResult<Vec<u8>> {
        self.waiting_mut(name)?
            .client
            .key_package()
            .map_err(|e| failed(name, "making a key package", e))
    }

    /// Commits the pending proposals by the first of `committers` (the others compete
    /// and lose), then lets the invited clients join.
    fn commit_pending(
        &mut self,
        committers: &[String],
        path: Path,
        tree: Tree,
    ) -> StepResult<Option<String>> {
        let request = CommitRequest {
            path: path.into(),
            tree: tree.into(),
            ..CommitRequest::default()
        };
        let names: Vec<&str> = committers.iter().map(String::as_str).collect();
        let (winner, output) = self.group()?.commit_race(&names, &request)?;
        self.last_commit = Some((winner.clone(), output.commit.clone()));
        self.welcome(&winner, &[], &output, tree)?;
        Ok((committers.len() > 1).then(|| format!("{winner}'s commit won")))
    }

    /// The clients added by value (`added`) and every invited client join from the
    /// Welcome of `committer`'s commit, which the group has applied.
    fn welcome(
        &mut self,
        committer: &str,
        added: &[String],
        output: &CommitOutput,
        tree: Tree,
    ) -> StepResult<()> {
        let mut newcomers: Vec<String> = added.to_vec();
        newcomers.append(&mut self.invited);
        if newcomers.is_empty() {
            if output.welcome.is_some() {
                return Err(format!(
                    "{committer}'s commit carries a Welcome, but nobody was to be added"
                ));
            }
            return Ok(());
        }
        for name in newcomers {
            let newcomer = self.take_waiting(&name)?;
            self.group()?
                .welcome(committer, newcomer, output, tree.into())?;
        }
        Ok(())
    }

    /// `psk_id` and `secret` go to the clients named, or to every client of the script.
    fn register_psk(
        &mut self,
        psk_id: &[u8],
        secret: &[u8],
        names: Option<&[String]>,
    ) -> StepResult<()> {
        let wanted = |name: &str| names.is_none_or(|list| list.iter().any(|n| n == name));
        let waiting = self
            .waiting
            .iter_mut()
            .map(|p| (p.name.as_str(), p.client.as_mut()));
        let grouped = self.group.iter_mut().flat_map(Session::clients_mut);
        for (name, client) in waiting.chain(grouped).filter(|(n, _)| wanted(n)) {
            client
                .register_external_psk(psk_id, secret)
                .map_err(|e| failed(name, "registering a PSK", e))?;
        }
        Ok(())
    }

    /// Every member exports the same secret; the note shows its start.
    fn check_exporter(
        &mut self,
        label: &[u8],
        context: &[u8],
        length: usize,
    ) -> StepResult<Option<String>> {
        let group = self.group()?;
        let mut first: Option<(String, Vec<u8>)> = None;
        for name in group.names() {
            let secret = group
                .member(&name)?
                .export_secret(label, context, length)
                .map_err(|e| failed(&name, "exporting a secret", e))?;
            match &first {
                None => first = Some((name, secret)),
                Some((who, expected)) if *expected != secret => {
                    return Err(format!(
                        "{name} exports {} but {who} exports {}",
                        hex::encode(&secret),
                        hex::encode(expected)
                    ));
                }
                Some(_) => {}
            }
        }
        let (_, secret) = first.ok_or("the group has no members")?;
        Ok(Some(format!("exporter {}…", short_hex(&secret))))
    }

    /// The checks after every step; see the module documentation.
    fn check(&mut self, action: &Action, note: Option<String>) -> StepResult<StepOutcome> {
        let group = self.group()?;
        let agreed = group.agreement()?;
        let members = group.names().len();
        match &self.last {
            None if agreed.epoch != 0 => {
                return Err(format!("a new group starts in epoch {}", agreed.epoch));
            }
            None => {}
            Some(last) if action.changes_epoch() => {
                if agreed.epoch != last.epoch + 1 {
                    return Err(format!(
                        "a commit moved the group from epoch {} to {}",
                        last.epoch, agreed.epoch
                    ));
                }
                if agreed.authenticator == last.authenticator {
                    return Err("a commit left the epoch authenticator unchanged".into());
                }
                if agreed.exporter == last.exporter {
                    return Err("a commit left the exporter output unchanged".into());
                }
            }
            Some(last) => {
                if agreed.epoch != last.epoch {
                    return Err(format!(
                        "the group moved from epoch {} to {} without a commit",
                        last.epoch, agreed.epoch
                    ));
                }
                if *last != agreed {
                    return Err("the epoch's secrets changed without a commit".into());
                }
            }
        }
        let outcome = StepOutcome::Ok {
            epoch: agreed.epoch,
            members,
            authenticator: hex::encode(&agreed.authenticator),
            note,
        };
        self.last = Some(agreed);
        Ok(outcome)
    }
}

/// The first four bytes of `bytes`, in hex.
pub fn short_hex(bytes: &[u8]) -> String {
    hex::encode(&bytes[..bytes.len().min(4)])
}
