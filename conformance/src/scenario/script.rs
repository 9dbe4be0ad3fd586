//! The scenario script: named clients and the actions they take, as JSON.
//!
//! ```json
//! {
//!   "name": "welcome-join",
//!   "description": "Alice creates a group and adds Bob; they talk.",
//!   "clients": [
//!     { "name": "alice", "role": "creator" },
//!     { "name": "bob", "role": "joiner" },
//!     { "name": "m", "count": 3, "engine": "mls-rs" }
//!   ],
//!   "steps": [
//!     { "action": "create_group", "by": "alice" },
//!     { "action": "add", "by": "alice", "members": ["bob", "m1..m3"], "tree": "out_of_band" },
//!     { "action": "send", "by": "bob", "text": "hi" }
//!   ]
//! }
//! ```
//!
//! A client is bound either to a role (`creator` or `joiner`), which the runner binds to
//! engines so one script runs for every creator × joiner pair, or to a fixed `engine`.
//! `count` declares several clients at once, named `m1`, `m2`, …; in a list of names,
//! `m1..m3` stands for `m1`, `m2`, `m3`. [`Script::parse`] expands both, so the rest of
//! the harness only sees single names.
//!
//! Four actions are *invalid* on purpose: they hand the group a message with a known
//! right answer, rejection, which every engine must give while the group stays as it
//! was and goes on working (`mlsconf explore` generates them):
//!
//! - `{"action":"replay"}`: the last message of a `send` step arrives again
//!   (RFC 9420 §9.2: its key was consumed and deleted);
//! - `{"action":"stale_commit"}`: the last commit of the run arrives again, for an epoch
//!   that is past (RFC 9420 §6, §12.4.2);
//! - `{"action":"send_after_removal","by":"x"}`: `x`, removed earlier, sends; its engine
//!   refuses, or no member reads the message;
//! - `{"action":"tamper","by":"x","byte":7}`: `x` commits the pending proposals, and
//!   byte `7` (modulo the length) of the commit is flipped on its way (RFC 9420 §6.1,
//!   §6.2: signature and membership tag); `x` then drops its commit.

use serde::{Deserialize, Serialize};

use crate::driver::{PathChoice, TreeDelivery};

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    /// A short name, used in test names and reports (`welcome-join`).
    pub name: String,
    /// What the scenario exercises, in a sentence or two.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The group id; the script's name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// The clients, in declaration order (mixed groups hand out engines in this order).
    pub clients: Vec<ClientSpec>,
    /// The actions, played in order.
    pub steps: Vec<Action>,
}

/// One client declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    /// The client's name, also the identity in its credential. With `count`, the prefix
    /// of the names.
    pub name: String,
    /// Declares `count` clients named `<name>1` to `<name><count>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The role the runner binds to an engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// A fixed engine, by registry name, whatever the binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
}

/// A role of a client, bound to an engine per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The engine that creates the group in a creator × joiner pair.
    Creator,
    /// The other engine of the pair.
    Joiner,
}

/// Where a Welcome or GroupInfo puts the ratchet tree (the script's spelling of
/// [`TreeDelivery`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tree {
    /// In the `ratchet_tree` extension.
    #[default]
    InExtension,
    /// Handed to the joiner out of band.
    OutOfBand,
}

impl From<Tree> for TreeDelivery {
    fn from(tree: Tree) -> Self {
        match tree {
            Tree::InExtension => TreeDelivery::InExtension,
            Tree::OutOfBand => TreeDelivery::OutOfBand,
        }
    }
}

/// Whether a commit carries an UpdatePath (the script's spelling of [`PathChoice`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Path {
    /// As the engine decides (RFC 9420 §12.4).
    #[default]
    Auto,
    /// Always.
    Include,
    /// Never; the step fails where the proposals require a path.
    Omit,
}

impl From<Path> for PathChoice {
    fn from(path: Path) -> Self {
        match path {
            Path::Auto => PathChoice::Auto,
            Path::Include => PathChoice::Include,
            Path::Omit => PathChoice::Omit,
        }
    }
}

/// The order in which a batch of application messages reaches each member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Order {
    /// A named order.
    Named(NamedOrder),
    /// Indices into the batch, each exactly once.
    Explicit(Vec<usize>),
}

/// The named delivery orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamedOrder {
    /// Last sent, first delivered.
    Reverse,
    /// The odd-numbered messages first, then the even ones (both halves in order).
    OddsThenEvens,
}

impl Order {
    /// The delivery order of a batch of `len` messages, as indices.
    pub fn indices(&self, len: usize) -> Vec<usize> {
        match self {
            Order::Named(NamedOrder::Reverse) => (0..len).rev().collect(),
            Order::Named(NamedOrder::OddsThenEvens) => (0..len)
                .skip(1)
                .step_by(2)
                .chain((0..len).step_by(2))
                .collect(),
            Order::Explicit(indices) => indices.clone(),
        }
    }
}

/// One application message of an out-of-order batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// The sender.
    pub by: String,
    /// The plaintext; a text naming sender and position when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One step of a script. In JSON, `"action"` names the variant in snake case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// `by` creates the group; it must be the first step.
    CreateGroup {
        /// The creator.
        by: String,
    },
    /// `by` adds `members` by value in one commit; each joins from its Welcome.
    Add {
        /// The committer.
        by: String,
        /// The clients to add; they must not be in the group.
        members: Vec<String>,
        /// Where the Welcome puts the tree.
        #[serde(default)]
        tree: Tree,
        /// Whether the commit carries a path.
        #[serde(default)]
        path: Path,
    },
    /// `by` removes `members` by value in one commit.
    Remove {
        /// The committer.
        by: String,
        /// The members to remove.
        members: Vec<String>,
        /// Whether the commit carries a path.
        #[serde(default)]
        path: Path,
    },
    /// `by` sends one Add proposal per client of `members`; the next commit adds them.
    ProposeAdd {
        /// The proposer.
        by: String,
        /// The clients to add.
        members: Vec<String>,
    },
    /// `by` sends one Remove proposal per member of `members`.
    ProposeRemove {
        /// The proposer.
        by: String,
        /// The members to remove.
        members: Vec<String>,
    },
    /// `by` sends an Update proposal for its own leaf.
    ProposeUpdate {
        /// The proposer.
        by: String,
    },
    /// `by` sends a PreSharedKey proposal for the registered external PSK `psk`.
    ProposePsk {
        /// The proposer.
        by: String,
        /// The PSK id, as text.
        psk: String,
    },
    /// `by` commits every pending proposal. Clients proposed for adding join from the
    /// Welcome.
    Commit {
        /// The committer.
        by: String,
        /// Whether the commit carries a path.
        #[serde(default)]
        path: Path,
        /// Where the Welcome (if any) puts the tree.
        #[serde(default)]
        tree: Tree,
    },
    /// Each of `by` commits the pending proposals in the same epoch; the delivery service
    /// takes the first, the others drop theirs.
    CompetingCommits {
        /// The committers, in the order their commits reach the delivery service.
        by: Vec<String>,
        /// Whether the commits carry a path.
        #[serde(default)]
        path: Path,
        /// Where the Welcome (if any) puts the tree.
        #[serde(default)]
        tree: Tree,
    },
    /// `by`, not a member, joins by external commit with the GroupInfo that `via`
    /// publishes.
    ExternalJoin {
        /// The joiner.
        by: String,
        /// The member publishing the GroupInfo.
        via: String,
        /// Whether the GroupInfo carries the tree or it comes out of band.
        #[serde(default)]
        tree: Tree,
    },
    /// `by` sends an application message; every other member must read it.
    Send {
        /// The sender.
        by: String,
        /// The plaintext; a text naming sender and step when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Every message is sent, in the order listed; then each member receives the others'
    /// messages in `order`.
    SendOutOfOrder {
        /// The batch, in sending order.
        messages: Vec<Message>,
        /// The delivery order: `"reverse"`, `"odds_then_evens"`, or a list of indices.
        order: Order,
    },
    /// `clients` (every client of the script when absent) learn the external PSK `psk`.
    RegisterPsk {
        /// The PSK id, as text.
        psk: String,
        /// The secret, in hex.
        secret: String,
        /// Who learns it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clients: Option<Vec<String>>,
    },
    /// Invalid: the message of the last `send` step reaches every current member but its
    /// sender again; each must reject it (RFC 9420 §9.2: the key that protected it was
    /// consumed and deleted).
    Replay,
    /// Invalid: the last commit of the run reaches every current member but its author
    /// again; each must reject it, its epoch being past (RFC 9420 §6, §12.4.2).
    StaleCommit,
    /// Invalid: `by`, removed earlier, sends an application message. Its engine may
    /// refuse; if it does not, every current member must reject the message. Generated
    /// scripts use it only once the group is more epochs past the removal than any engine
    /// keeps, so that rejection is the one right answer.
    SendAfterRemoval {
        /// The removed client.
        by: String,
    },
    /// Invalid: `by` commits every pending proposal, byte `byte` (modulo the commit's
    /// length) of the commit is flipped on its way, and every other member must reject
    /// it (RFC 9420 §6.1, §6.2: the signature and membership tag cover every byte).
    /// `by` then drops its commit; the proposals stay pending.
    Tamper {
        /// The committer.
        by: String,
        /// The position of the flipped byte, modulo the commit's length.
        byte: u16,
    },
    /// Every member must export the same `MLS-Exporter(label, context, length)`.
    CheckExporter {
        /// The label, as text.
        label: String,
        /// The context, as text.
        #[serde(default)]
        context: String,
        /// The output length in bytes.
        length: usize,
    },
}

impl Script {
    /// Parses a script and expands client counts and name ranges. The result is not
    /// checked against a registry yet: see [`validate`](super::validate).
    pub fn parse(json: &str) -> Result<Script, String> {
        let mut script: Script = serde_json::from_str(json).map_err(|e| e.to_string())?;
        script.expand()?;
        Ok(script)
    }

    /// Reads and parses the script at `path`; errors name the file.
    pub fn load(path: &std::path::Path) -> Result<Script, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Script::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The group id as bytes.
    pub fn group_id(&self) -> Vec<u8> {
        self.group_id
            .as_deref()
            .unwrap_or(&self.name)
            .as_bytes()
            .to_vec()
    }

    /// Replaces every `count` declaration by single clients and every name range by the
    /// names it stands for.
    fn expand(&mut self) -> Result<(), String> {
        let mut clients = Vec::with_capacity(self.clients.len());
        for spec in std::mem::take(&mut self.clients) {
            match spec.count {
                None => clients.push(spec),
                Some(n) => clients.extend((1..=n).map(|i| ClientSpec {
                    name: format!("{}{i}", spec.name),
                    count: None,
                    ..spec.clone()
                })),
            }
        }
        self.clients = clients;
        for action in &mut self.steps {
            for names in action.name_lists_mut() {
                *names = expand_ranges(names)?;
            }
        }
        Ok(())
    }
}

/// `["a", "m1..m3"]` becomes `["a", "m1", "m2", "m3"]`.
pub fn expand_ranges(names: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        match name.split_once("..") {
            None => out.push(name.clone()),
            Some((first, last)) => {
                let (prefix, from) = split_number(first)
                    .ok_or_else(|| format!("range {name:?}: {first:?} does not end in a number"))?;
                let (last_prefix, to) = split_number(last)
                    .ok_or_else(|| format!("range {name:?}: {last:?} does not end in a number"))?;
                if prefix != last_prefix || from > to {
                    return Err(format!(
                        "range {name:?} must run upwards over one prefix, like m1..m9"
                    ));
                }
                out.extend((from..=to).map(|i| format!("{prefix}{i}")));
            }
        }
    }
    Ok(out)
}

/// `"m12"` is `("m", 12)`.
fn split_number(name: &str) -> Option<(&str, u32)> {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (prefix, number) = name.split_at(name.len() - digits);
    Some((prefix, number.parse().ok()?))
}

impl Action {
    /// The lists of client names in this action, for expanding ranges.
    fn name_lists_mut(&mut self) -> Vec<&mut Vec<String>> {
        match self {
            Action::Add { members, .. }
            | Action::Remove { members, .. }
            | Action::ProposeAdd { members, .. }
            | Action::ProposeRemove { members, .. } => vec![members],
            Action::CompetingCommits { by, .. } => vec![by],
            Action::RegisterPsk {
                clients: Some(clients),
                ..
            } => vec![clients],
            _ => Vec::new(),
        }
    }

    /// Every client name the action mentions.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        match self {
            Action::CreateGroup { by }
            | Action::ProposeUpdate { by }
            | Action::ProposePsk { by, .. }
            | Action::Commit { by, .. }
            | Action::Send { by, .. }
            | Action::SendAfterRemoval { by }
            | Action::Tamper { by, .. } => names.push(by),
            Action::Add { by, members, .. }
            | Action::Remove { by, members, .. }
            | Action::ProposeAdd { by, members }
            | Action::ProposeRemove { by, members } => {
                names.push(by);
                names.extend(members.iter().map(String::as_str));
            }
            Action::CompetingCommits { by, .. } => names.extend(by.iter().map(String::as_str)),
            Action::ExternalJoin { by, via, .. } => names.extend([by.as_str(), via.as_str()]),
            Action::SendOutOfOrder { messages, .. } => {
                names.extend(messages.iter().map(|m| m.by.as_str()))
            }
            Action::RegisterPsk { clients, .. } => {
                names.extend(clients.iter().flatten().map(String::as_str))
            }
            Action::CheckExporter { .. } | Action::Replay | Action::StaleCommit => {}
        }
        names
    }

    /// Whether the action moves the group to a new epoch.
    pub fn changes_epoch(&self) -> bool {
        matches!(
            self,
            Action::Add { .. }
                | Action::Remove { .. }
                | Action::Commit { .. }
                | Action::CompetingCommits { .. }
                | Action::ExternalJoin { .. }
        )
    }

    /// The step in words, the same whatever engines play it.
    pub fn describe(&self) -> String {
        let list = |names: &[String]| join_names(names);
        let tree = |tree: &Tree| match tree {
            Tree::InExtension => "",
            Tree::OutOfBand => ", tree out of band",
        };
        let path = |path: &Path| match path {
            Path::Auto => "",
            Path::Include => ", with a path",
            Path::Omit => ", without a path",
        };
        match self {
            Action::CreateGroup { by } => format!("{by} creates the group"),
            Action::Add {
                by,
                members,
                tree: t,
                path: p,
            } => format!("{by} adds {}{}{}", list(members), path(p), tree(t)),
            Action::Remove {
                by,
                members,
                path: p,
            } => format!("{by} removes {}{}", list(members), path(p)),
            Action::ProposeAdd { by, members } => {
                format!("{by} proposes adding {}", list(members))
            }
            Action::ProposeRemove { by, members } => {
                format!("{by} proposes removing {}", list(members))
            }
            Action::ProposeUpdate { by } => format!("{by} proposes updating its leaf"),
            Action::ProposePsk { by, psk } => format!("{by} proposes the PSK {psk:?}"),
            Action::Commit {
                by,
                path: p,
                tree: t,
            } => format!("{by} commits{}{}", path(p), tree(t)),
            Action::CompetingCommits {
                by,
                path: p,
                tree: t,
            } => format!(
                "{} commit at once, {} first{}{}",
                list(by),
                by.first().map_or("nobody", String::as_str),
                path(p),
                tree(t)
            ),
            Action::ExternalJoin { by, via, tree: t } => {
                format!(
                    "{by} joins by external commit via {via}'s GroupInfo{}",
                    tree(t)
                )
            }
            Action::Send { by, .. } => format!("{by} sends a message"),
            Action::SendOutOfOrder { messages, order } => {
                let senders: Vec<String> = messages.iter().map(|m| m.by.clone()).collect();
                let mut unique = senders.clone();
                unique.dedup();
                let order = match order {
                    Order::Named(NamedOrder::Reverse) => "in reverse".to_owned(),
                    Order::Named(NamedOrder::OddsThenEvens) => "odds first, then evens".to_owned(),
                    Order::Explicit(indices) => format!("in the order {indices:?}"),
                };
                format!(
                    "{} messages from {} arrive {order}",
                    messages.len(),
                    list(&unique)
                )
            }
            Action::RegisterPsk { psk, clients, .. } => match clients {
                None => format!("every client learns the PSK {psk:?}"),
                Some(names) => format!("{} learn the PSK {psk:?}", list(names)),
            },
            Action::CheckExporter {
                label,
                context,
                length,
            } => format!("every member exports {length} bytes for {label:?}/{context:?}"),
            Action::Replay => "the last message arrives again (rejected)".to_owned(),
            Action::StaleCommit => "the last commit arrives again (rejected)".to_owned(),
            Action::SendAfterRemoval { by } => {
                format!("{by}, removed, sends a message (rejected)")
            }
            Action::Tamper { by, byte } => {
                format!("{by} commits, byte {byte} flipped on the way (rejected)")
            }
        }
    }
}

/// `a`, `a and b`, `a, b and c`, or `a, b, … and z (26)` for long lists.
fn join_names(names: &[String]) -> String {
    match names {
        [] => "nobody".to_owned(),
        [one] => one.clone(),
        [init @ .., last] if names.len() <= 4 => format!("{} and {last}", init.join(", ")),
        [first, second, .., last] => format!("{first}, {second}, … and {last} ({})", names.len()),
        _ => names.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_declares_numbered_clients_and_ranges_name_them() {
        let script = Script::parse(
            r#"{"name":"n","clients":[{"name":"a","role":"creator"},
                {"name":"m","count":3,"role":"joiner"}],
               "steps":[{"action":"create_group","by":"a"},
                        {"action":"add","by":"a","members":["m1..m3"]}]}"#,
        )
        .unwrap();
        let names: Vec<&str> = script.clients.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "m1", "m2", "m3"]);
        assert_eq!(script.steps[1].names(), ["a", "m1", "m2", "m3"]);
    }

    #[test]
    fn a_range_must_run_upwards_over_one_prefix() {
        assert!(expand_ranges(&["m3..m1".into()]).is_err());
        assert!(expand_ranges(&["m1..n3".into()]).is_err());
        assert!(expand_ranges(&["m..m3".into()]).is_err());
        assert_eq!(
            expand_ranges(&["x".into(), "m9..m11".into()]).unwrap(),
            ["x", "m9", "m10", "m11"]
        );
    }

    #[test]
    fn unknown_fields_and_actions_are_rejected() {
        let typo = r#"{"name":"n","clients":[],"steps":[{"action":"send","by":"a","txt":"x"}]}"#;
        assert!(Script::parse(typo).is_err());
        let unknown = r#"{"name":"n","clients":[],"steps":[{"action":"dance","by":"a"}]}"#;
        assert!(Script::parse(unknown).is_err());
    }

    #[test]
    fn defaults_put_the_tree_in_the_welcome_and_let_the_engine_choose_the_path() {
        let script = Script::parse(
            r#"{"name":"n","clients":[],"steps":[{"action":"add","by":"a","members":["b"]}]}"#,
        )
        .unwrap();
        assert_eq!(
            script.steps[0],
            Action::Add {
                by: "a".into(),
                members: vec!["b".into()],
                tree: Tree::InExtension,
                path: Path::Auto
            }
        );
    }

    #[test]
    fn named_orders_are_permutations() {
        assert_eq!(Order::Named(NamedOrder::Reverse).indices(3), [2, 1, 0]);
        assert_eq!(
            Order::Named(NamedOrder::OddsThenEvens).indices(5),
            [1, 3, 0, 2, 4]
        );
        let parsed: Order = serde_json::from_str("[1, 0]").unwrap();
        assert_eq!(parsed.indices(2), [1, 0]);
        let parsed: Order = serde_json::from_str(r#""reverse""#).unwrap();
        assert_eq!(parsed, Order::Named(NamedOrder::Reverse));
    }

    #[test]
    fn a_script_survives_a_round_trip_through_json() {
        let text = r#"{"name":"n","clients":[{"name":"a","engine":"openmls"}],
            "steps":[{"action":"create_group","by":"a"},
                     {"action":"send_out_of_order","messages":[{"by":"a"}],"order":[0]},
                     {"action":"check_exporter","label":"l","length":16}]}"#;
        let script = Script::parse(text).unwrap();
        let again = Script::parse(&serde_json::to_string(&script).unwrap()).unwrap();
        assert_eq!(script, again);
    }

    #[test]
    fn the_invalid_actions_read_and_write_as_documented() {
        let text = r#"{"name":"n","clients":[{"name":"a","engine":"ours"}],
            "steps":[{"action":"replay"},{"action":"stale_commit"},
                     {"action":"send_after_removal","by":"a"},
                     {"action":"tamper","by":"a","byte":7}]}"#;
        let script = Script::parse(text).unwrap();
        assert_eq!(script.steps[0], Action::Replay);
        assert_eq!(script.steps[1], Action::StaleCommit);
        assert_eq!(
            script.steps[3],
            Action::Tamper {
                by: "a".into(),
                byte: 7
            }
        );
        assert!(!script.steps.iter().any(Action::changes_epoch));
        let json = serde_json::to_string(&script.steps[..2]).unwrap();
        assert_eq!(json, r#"[{"action":"replay"},{"action":"stale_commit"}]"#);
    }

    #[test]
    fn long_name_lists_are_shortened_in_descriptions() {
        let names: Vec<String> = (1..=30).map(|i| format!("m{i}")).collect();
        assert_eq!(join_names(&names), "m1, m2, … and m30 (30)");
        assert_eq!(join_names(&names[..3]), "m1, m2 and m3");
    }
}
