//! The proptest strategy of `explore`: a case is a number of clients, an engine for each,
//! and a list of abstract [`Choice`]s. [`model`](super::model) interprets the choices
//! into a concrete, valid [`Script`](crate::scenario::Script), so whatever proptest
//! shrinks a case to still gives a valid script.

use proptest::collection::vec;
use proptest::prelude::*;

/// The kind of step a choice asks for. Shrinking moves a choice towards the first kind,
/// [`Kind::Nothing`], so choices a failure does not need vanish from the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No step.
    Nothing,
    /// `send`.
    Send,
    /// `add` by value.
    Add,
    /// `remove` by value.
    Remove,
    /// `propose_add`.
    ProposeAdd,
    /// `propose_remove`.
    ProposeRemove,
    /// `propose_update`.
    ProposeUpdate,
    /// `register_psk` then `propose_psk`.
    ProposePsk,
    /// `commit`.
    Commit,
    /// `competing_commits`.
    CompetingCommits,
    /// `external_join`.
    ExternalJoin,
    /// `send_out_of_order`.
    SendOutOfOrder,
    /// `check_exporter`.
    CheckExporter,
    /// `replay` (invalid).
    Replay,
    /// `stale_commit` (invalid).
    StaleCommit,
    /// `send_after_removal` (invalid).
    SendAfterRemoval,
    /// `tamper` (invalid).
    Tamper,
}

/// One abstract step: a kind and numbers that pick who and what ("the `a`-th current
/// member, modulo their number").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// What to do.
    pub kind: Kind,
    /// Picks the actor.
    pub a: u8,
    /// Picks the subject (whom to add, remove, …) or a count.
    pub b: u8,
    /// Picks a second subject or a count.
    pub c: u8,
    /// Picks a variant: path, tree, order, a byte to flip.
    pub d: u16,
}

/// One generated case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// How many clients the script declares.
    pub clients: usize,
    /// Picks each client's engine (index modulo the engine count); at least `clients`
    /// long.
    pub engines: Vec<u8>,
    /// The steps, before interpretation.
    pub choices: Vec<Choice>,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        1 => Just(Kind::Nothing),
        6 => Just(Kind::Send),
        5 => Just(Kind::Add),
        3 => Just(Kind::Remove),
        3 => Just(Kind::ProposeAdd),
        3 => Just(Kind::ProposeRemove),
        2 => Just(Kind::ProposeUpdate),
        1 => Just(Kind::ProposePsk),
        4 => Just(Kind::Commit),
        1 => Just(Kind::CompetingCommits),
        1 => Just(Kind::ExternalJoin),
        2 => Just(Kind::SendOutOfOrder),
        1 => Just(Kind::CheckExporter),
        2 => Just(Kind::Replay),
        1 => Just(Kind::StaleCommit),
        1 => Just(Kind::SendAfterRemoval),
        2 => Just(Kind::Tamper),
    ]
}

fn choice() -> impl Strategy<Value = Choice> {
    (kind(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u16>())
        .prop_map(|(kind, a, b, c, d)| Choice { kind, a, b, c, d })
}

/// Cases of 2 to `max_clients` clients (at most 16) and 5 to `max_steps` choices (fewer
/// when `max_steps` is below 5).
pub fn cases(max_clients: usize, max_steps: usize) -> impl Strategy<Value = Case> {
    let max_clients = max_clients.clamp(2, 16);
    let max_steps = max_steps.max(1);
    (
        2..=max_clients,
        vec(any::<u8>(), max_clients),
        vec(choice(), max_steps.min(5)..=max_steps),
    )
        .prop_map(|(clients, engines, choices)| Case {
            clients,
            engines,
            choices,
        })
}
