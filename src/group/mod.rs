//! The group state machine (RFC 9420 §8, §12): one epoch of a group as a value, and the
//! ways to reach the next one.
//!
//! - [`Group`] (`state.rs`): one epoch as one member holds it: GroupContext, ratchet
//!   tree, our private keys, the epoch's secrets and secret tree, the transcript hashes,
//!   the proposals received in the epoch, and what is kept of past epochs.
//! - [`GroupConfig`] (`config.rs`): the application's choices.
//! - `proposals.rs`: the validation of a commit's proposal list (§12.2) and its
//!   application in the order of §12.3, giving a [`Provisional`] next epoch.
//! - `next_epoch.rs`: from a [`Provisional`] epoch, the commit's path and PSKs, the key
//!   schedule step to the next [`Group`] (§8, §8.2, §12.4.1, §12.4.2). Both the
//!   committer and the members that process the commit use it.
//! - `psks.rs`: resolving the PSKs a commit or Welcome names (§8.4, §8.6).
//! - `join.rs`: joining from a Welcome (§12.4.3.1).
//! - `persist.rs`: the persistent encodings of a [`Group`], a [`PendingCommit`] and a
//!   [`KeyPackageBundle`] (`to_state_bytes` / `from_state_bytes`), crate-private because
//!   they hold private keys; none holds the signature private key.
//! - `process.rs`: processing a received message (§6, §12.4.2): proposals are cached,
//!   commits give the next epoch, application messages their plaintext.
//!
//! Every function here takes `&self` and returns a new value: a check that fails leaves
//! the caller with the state it had.

mod application;
mod commit;
mod config;
mod create;
mod external;
mod external_senders;
mod join;
mod next_epoch;
pub(crate) mod persist;
mod process;
mod proposals;
mod propose;
mod psks;
mod state;
mod violation;

#[cfg(test)]
mod tests;

pub use commit::{AddPolicy, ByReference, CommitOptions, PendingCommit};
pub use config::{GroupConfig, LifetimePolicy};
pub use create::{KeyPackageBundle, LeafOptions};
pub use external::{
    ExternalCommit, ExternalCommitOptions, GroupInfoOptions, join_by_external_commit,
};
pub use external_senders::{ExternalSender, external_senders};
pub use join::{JoinKeys, join};
pub use next_epoch::{
    CommittedProposal, EpochKeys, NextEpoch, PathOutcome, Provisional, derive_epoch,
};
pub use persist::FORMAT_VERSION;
pub use process::{ApplicationMessage, CommitSummary, Processed, ReceivedProposal, Unprotected};
pub use proposals::{apply_proposals, validate_key_package};
pub use propose::SentProposal;

pub use psks::{PskLookup, no_psks};
pub use state::{CachedProposal, Group, PastEpoch, ProposalCache};
pub use violation::GroupViolation;
