//! One runner per upstream vector kind. A runner checks one test case.

use crate::check::CaseResult;

pub mod crypto_basics;
pub mod deserialization;
pub mod key_schedule;
pub mod message_protection;
pub mod messages;
pub mod passive_client;
pub mod psk_secret;
pub mod secret_tree;
pub mod transcript_hashes;
pub mod tree_math;
pub mod tree_operations;
pub mod tree_validation;
pub mod treekem;
pub mod welcome;

/// A vector kind: its name (the upstream file stem) and its runner.
#[derive(Clone, Copy)]
pub struct Kind {
    /// The kind's name, e.g. `"tree-math"`.
    pub name: &'static str,
    /// Checks one case.
    pub run: fn(&serde_json::Value) -> CaseResult,
    /// What the report must say about how this kind is checked, if anything differs
    /// from the upstream description (shown beside the file in every report).
    pub note: Option<&'static str>,
}

/// Why the passive-client files are run without lifetime checks.
const NO_LIFETIMES: &str = "leaf lifetimes not checked for the passive-client kind: the upstream \
     welcome and handling-commit files carry key packages and leaves that expired in 2024 \
     (mlswg/mls-implementations#181); lifetime enforcement is tested by the library's own tests";

/// Every kind. The three passive-client files share one format, also reachable as
/// `passive-client` for users' own files.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "tree-math",
        run: tree_math::run,
        note: None,
    },
    Kind {
        name: "crypto-basics",
        run: crypto_basics::run,
        note: None,
    },
    Kind {
        name: "deserialization",
        run: deserialization::run,
        note: None,
    },
    Kind {
        name: "secret-tree",
        run: secret_tree::run,
        note: None,
    },
    Kind {
        name: "key-schedule",
        run: key_schedule::run,
        note: None,
    },
    Kind {
        name: "psk_secret",
        run: psk_secret::run,
        note: None,
    },
    Kind {
        name: "transcript-hashes",
        run: transcript_hashes::run,
        note: None,
    },
    Kind {
        name: "messages",
        run: messages::run,
        note: None,
    },
    Kind {
        name: "message-protection",
        run: message_protection::run,
        note: None,
    },
    Kind {
        name: "tree-operations",
        run: tree_operations::run,
        note: None,
    },
    Kind {
        name: "tree-validation",
        run: tree_validation::run,
        note: None,
    },
    Kind {
        name: "treekem",
        run: treekem::run,
        note: None,
    },
    Kind {
        name: "welcome",
        run: welcome::run,
        note: None,
    },
    Kind {
        name: "passive-client",
        run: passive_client::run,
        note: Some(NO_LIFETIMES),
    },
    Kind {
        name: "passive-client-welcome",
        run: passive_client::run,
        note: Some(NO_LIFETIMES),
    },
    Kind {
        name: "passive-client-handling-commit",
        run: passive_client::run,
        note: Some(NO_LIFETIMES),
    },
    Kind {
        name: "passive-client-random",
        run: passive_client::run,
        note: Some(NO_LIFETIMES),
    },
];

/// The kind with this name.
pub fn kind(name: &str) -> Option<Kind> {
    KINDS.iter().copied().find(|k| k.name == name)
}
