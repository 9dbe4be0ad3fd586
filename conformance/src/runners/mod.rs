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
}

/// Every kind. The three passive-client files share one format, also reachable as
/// `passive-client` for users' own files.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "tree-math",
        run: tree_math::run,
    },
    Kind {
        name: "crypto-basics",
        run: crypto_basics::run,
    },
    Kind {
        name: "deserialization",
        run: deserialization::run,
    },
    Kind {
        name: "secret-tree",
        run: secret_tree::run,
    },
    Kind {
        name: "key-schedule",
        run: key_schedule::run,
    },
    Kind {
        name: "psk_secret",
        run: psk_secret::run,
    },
    Kind {
        name: "transcript-hashes",
        run: transcript_hashes::run,
    },
    Kind {
        name: "messages",
        run: messages::run,
    },
    Kind {
        name: "message-protection",
        run: message_protection::run,
    },
    Kind {
        name: "tree-operations",
        run: tree_operations::run,
    },
    Kind {
        name: "tree-validation",
        run: tree_validation::run,
    },
    Kind {
        name: "treekem",
        run: treekem::run,
    },
    Kind {
        name: "welcome",
        run: welcome::run,
    },
    Kind {
        name: "passive-client",
        run: passive_client::run,
    },
    Kind {
        name: "passive-client-welcome",
        run: passive_client::run,
    },
    Kind {
        name: "passive-client-handling-commit",
        run: passive_client::run,
    },
    Kind {
        name: "passive-client-random",
        run: passive_client::run,
    },
];

/// The kind with this name.
pub fn kind(name: &str) -> Option<Kind> {
    KINDS.iter().copied().find(|k| k.name == name)
}
