//! The engine-driver layer: one small vocabulary in which the harness drives any MLS
//! engine (our own, OpenMLS and mls-rs; see [`crate::drivers`]).
//!
//! Everything crossing this boundary is plain bytes in RFC 9420 wire form (an
//! `MLSMessage` for key packages, proposals, commits, Welcomes and GroupInfos; a
//! TLS-encoded `optional<Node> ratchet_tree<V>` for trees) or small owned values. No
//! library type leaks out, so messages made by one engine can be handed to another, and
//! an engine whose group state is a value (each operation returning a new state) can
//! implement [`Client`] by replacing the state it holds.
//!
//! Each [`Client`] is one member in exactly one group. Operations that an engine cannot
//! perform as asked fail with [`ErrorKind::Unsupported`] rather than quietly doing
//! something else.

use std::fmt;

/// Cipher suite 0x0001, MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519: the one suite all
/// peers are configured for.
pub const CIPHER_SUITE_1: u16 = 0x0001;

/// A short-hand for driver results.
pub type DriverResult<T> = Result<T, DriverError>;

/// An MLS implementation that can make clients.
pub trait Engine {
    /// A short, stable name for reports and test names (`"openmls"`, `"mls-rs"`).
    fn name(&self) -> &'static str;

    /// A new client with a basic credential holding `identity` and a fresh signature
    /// key for `cipher_suite`. Only [`CIPHER_SUITE_1`] needs to be supported; others may
    /// fail with [`ErrorKind::Unsupported`].
    fn new_client(&self, identity: &[u8], cipher_suite: u16) -> DriverResult<Box<dyn Client>>;
}

/// One member of one group, driven through its engine.
///
/// Before [`Client::create_group`], [`Client::join_from_welcome`] or
/// [`Client::join_by_external_commit`] succeeds, only [`Client::key_package`] and
/// [`Client::register_external_psk`] are meaningful; everything else fails.
pub trait Client {
    /// The name of the engine behind this client.
    fn engine(&self) -> &'static str;

    /// A fresh key package, as an `MLSMessage` (wire format `mls_key_package`). Its
    /// private keys stay with this client for a later [`Client::join_from_welcome`].
    fn key_package(&mut self) -> DriverResult<Vec<u8>>;

    /// Creates a one-member group with the given group id; this client sits at leaf 0.
    fn create_group(&mut self, group_id: &[u8]) -> DriverResult<()>;

    /// Joins from a Welcome `MLSMessage`. `ratchet_tree` is the tree sent out of band;
    /// pass `None` when the Welcome carries the `ratchet_tree` extension.
    fn join_from_welcome(
        &mut self,
        welcome: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<()>;

    /// Joins by external commit against a GroupInfo `MLSMessage` that carries
    /// `external_pub`. `ratchet_tree` as for [`Client::join_from_welcome`]. Returns the
    /// commit to deliver to the members; the joiner is in the new epoch already.
    fn join_by_external_commit(
        &mut self,
        group_info: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<Vec<u8>>;

    /// A signed GroupInfo `MLSMessage` for the current epoch, always with the
    /// `external_pub` extension, with or without the `ratchet_tree` extension.
    fn group_info(&mut self, tree: TreeDelivery) -> DriverResult<Vec<u8>>;

    /// The current ratchet tree, TLS-encoded as in the `ratchet_tree` extension.
    fn ratchet_tree(&self) -> DriverResult<Vec<u8>>;

    /// An Add proposal (by reference) for the key package `MLSMessage`.
    fn propose_add(&mut self, key_package: &[u8]) -> DriverResult<Vec<u8>>;

    /// A Remove proposal (by reference) for the member at `leaf_index`.
    fn propose_remove(&mut self, leaf_index: u32) -> DriverResult<Vec<u8>>;

    /// An Update proposal (by reference) refreshing this client's own leaf.
    fn propose_self_update(&mut self) -> DriverResult<Vec<u8>>;

    /// A PreSharedKey proposal (by reference) for the external PSK `psk_id`, which
    /// every member must have registered with [`Client::register_external_psk`].
    fn propose_external_psk(&mut self, psk_id: &[u8]) -> DriverResult<Vec<u8>>;

    /// Commits to every pending proposal plus the by-value adds and removes in
    /// `request`. The commit stays pending until [`Client::apply_pending_commit`] or
    /// [`Client::discard_pending_commit`].
    fn commit(&mut self, request: &CommitRequest) -> DriverResult<CommitOutput>;

    /// Moves to the epoch of this client's pending commit (the delivery service
    /// accepted it).
    fn apply_pending_commit(&mut self) -> DriverResult<()>;

    /// Drops this client's pending commit and stays in the current epoch.
    fn discard_pending_commit(&mut self) -> DriverResult<()>;

    /// Processes a proposal or commit `MLSMessage` from another member or an external
    /// joiner. Proposals are kept for the next commit; commits are applied at once.
    /// Application messages are refused here; use [`Client::unprotect`].
    fn process_handshake(&mut self, message: &[u8]) -> DriverResult<Handshake>;

    /// Encrypts an application message for the group, as an `MLSMessage`.
    fn protect(&mut self, plaintext: &[u8]) -> DriverResult<Vec<u8>>;

    /// Decrypts an application message `MLSMessage` from another member.
    fn unprotect(&mut self, message: &[u8]) -> DriverResult<Vec<u8>>;

    /// Makes the external PSK `(psk_id, secret)` available to this client.
    fn register_external_psk(&mut self, psk_id: &[u8], secret: &[u8]) -> DriverResult<()>;

    /// `MLS-Exporter(label, context, length)` of the current epoch (RFC 9420 §8.5).
    fn export_secret(&self, label: &[u8], context: &[u8], length: usize) -> DriverResult<Vec<u8>>;

    /// The epoch authenticator of the current epoch (RFC 9420 §8.7).
    fn epoch_authenticator(&self) -> DriverResult<Vec<u8>>;

    /// The current epoch number.
    fn epoch(&self) -> DriverResult<u64>;

    /// Every member of the group, ordered by leaf index.
    fn members(&self) -> DriverResult<Vec<Member>>;

    /// This client's own leaf index.
    fn own_leaf_index(&self) -> DriverResult<u32>;
}

/// Where a Welcome or GroupInfo puts the ratchet tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TreeDelivery {
    /// In the `ratchet_tree` extension of the GroupInfo.
    #[default]
    InExtension,
    /// Not in the message; the joiner gets [`Client::ratchet_tree`] out of band.
    OutOfBand,
}

/// Whether a commit carries an UpdatePath.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathChoice {
    /// As the engine decides: RFC 9420 §12.4 requires a path for empty commits and for
    /// Update, Remove, ExternalInit and GroupContextExtensions proposals.
    #[default]
    Auto,
    /// Always include a path (a self-update of the committer's leaf).
    Include,
    /// Never include a path. Fails with [`ErrorKind::Unsupported`] when the proposals
    /// require one.
    Omit,
}

/// What to commit besides the pending proposals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitRequest {
    /// Key package `MLSMessage`s to add by value.
    pub add: Vec<Vec<u8>>,
    /// Leaf indices to remove by value.
    pub remove: Vec<u32>,
    /// Whether to carry an UpdatePath.
    pub path: PathChoice,
    /// How the Welcome (if any) conveys the ratchet tree.
    pub tree: TreeDelivery,
}

/// The messages a commit produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitOutput {
    /// The commit `MLSMessage`, for every other member.
    pub commit: Vec<u8>,
    /// The Welcome `MLSMessage`, present when the commit adds members.
    pub welcome: Option<Vec<u8>>,
    /// Whether the commit carries an UpdatePath.
    pub has_path: bool,
}

/// What processing a handshake message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handshake {
    /// A proposal was validated and kept for the next commit.
    ProposalStored,
    /// A commit was applied; the client is in the new epoch. `removed` is true when the
    /// commit removed this client, which then is no longer a member.
    CommitApplied {
        /// This client was removed by the commit.
        removed: bool,
    },
}

/// One leaf of the group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The leaf index.
    pub leaf_index: u32,
    /// The identity in the member's basic credential.
    pub identity: Vec<u8>,
    /// The member's signature public key.
    pub signature_key: Vec<u8>,
}

/// Why an operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The engine cannot perform the operation as asked (a flag it cannot honour, a
    /// cipher suite it does not offer).
    Unsupported,
    /// The engine tried and reported an error, or rejected its input.
    Failed,
}

/// An operation of a driven engine that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverError {
    /// The engine's name.
    pub engine: &'static str,
    /// The driver operation, e.g. `"process_handshake"`.
    pub operation: &'static str,
    /// Unsupported or failed.
    pub kind: ErrorKind,
    /// What the engine said, or why the driver refused.
    pub message: String,
}

impl DriverError {
    /// The engine reported an error or rejected its input.
    pub fn failed(
        engine: &'static str,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        DriverError {
            engine,
            operation,
            kind: ErrorKind::Failed,
            message: message.into(),
        }
    }

    /// The engine cannot do what was asked.
    pub fn unsupported(
        engine: &'static str,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        DriverError {
            engine,
            operation,
            kind: ErrorKind::Unsupported,
            message: message.into(),
        }
    }

    /// True for [`ErrorKind::Unsupported`].
    pub fn is_unsupported(&self) -> bool {
        self.kind == ErrorKind::Unsupported
    }
}

impl fmt::Display for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::Unsupported => "is unsupported",
            ErrorKind::Failed => "failed",
        };
        write!(
            f,
            "{}: {} {}: {}",
            self.engine, self.operation, what, self.message
        )
    }
}

impl std::error::Error for DriverError {}
