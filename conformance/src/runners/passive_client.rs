//! Runner for the passive-client vectors (`passive-client-welcome.json`,
//! `passive-client-handling-commit.json`, `passive-client-random.json`, and users' own
//! files of the same format): join through a Welcome, then follow the group's epochs as
//! a member that never sends (RFC 9420 §12.4.2, §12.4.3.1).
//!
//! Each case:
//!
//! 1. checks that the three private keys belong to the public keys of the KeyPackage
//!    (MLSMessage-wrapped);
//! 2. joins with the Welcome, the out-of-band `ratchet_tree` when given, and the
//!    case's external PSKs;
//! 3. compares `initial_epoch_authenticator`;
//! 4. for each epoch, processes the proposals (committed by reference), then the commit,
//!    and compares `epoch_authenticator`.
//!
//! **Lifetimes are not checked** ([`LifetimePolicy::Skip`]): the upstream files carry
//! leaves whose lifetimes expired in 2024 (the joiner's KeyPackage in
//! `passive-client-welcome.json`, the other members' leaves in
//! `passive-client-handling-commit.json`; mlswg/mls-implementations#181). A passing case
//! here therefore says nothing about lifetime enforcement, which the library's own tests
//! cover. Every case runs with this policy, users' files included.
//!
//! Joining needs HPKE, so the X448 suites (4 and 6) are skipped with the backend's
//! reason.

use mls_webapi::clock::SystemClock;
use mls_webapi::codec::Codec;
use mls_webapi::crypto::{CipherSuite, HpkePrivateKey, Secret, SignaturePrivateKey};
use mls_webapi::group::{self, Group, GroupConfig, JoinKeys, LifetimePolicy, Processed};
use mls_webapi::messages::{MlsMessage, PreSharedKeyId, PskSource};
use mls_webapi::ratchet_tree::RatchetTree;
use serde::Deserialize;

use crate::check::{CaseResult, Stop, bytes_eq, context, fail, hex_bytes, parse};

#[derive(Deserialize)]
struct ExternalPsk {
    #[serde(with = "hex_bytes")]
    psk_id: Vec<u8>,
    #[serde(with = "hex_bytes")]
    psk: Vec<u8>,
}

#[derive(Deserialize)]
struct Epoch {
    proposals: Vec<Hex>,
    #[serde(with = "hex_bytes")]
    commit: Vec<u8>,
    #[serde(with = "hex_bytes")]
    epoch_authenticator: Vec<u8>,
}

#[derive(Deserialize)]
struct Hex(#[serde(with = "hex_bytes")] Vec<u8>);

#[derive(Deserialize)]
struct Case {
    cipher_suite: u16,
    external_psks: Vec<ExternalPsk>,
    #[serde(with = "hex_bytes")]
    key_package: Vec<u8>,
    #[serde(with = "hex_bytes")]
    signature_priv: Vec<u8>,
    #[serde(with = "hex_bytes")]
    encryption_priv: Vec<u8>,
    #[serde(with = "hex_bytes")]
    init_priv: Vec<u8>,
    #[serde(with = "hex_bytes")]
    welcome: Vec<u8>,
    #[serde(with = "hex_bytes::option")]
    ratchet_tree: Option<Vec<u8>>,
    #[serde(with = "hex_bytes")]
    initial_epoch_authenticator: Vec<u8>,
    epochs: Vec<Epoch>,
}

/// The configuration of every passive-client run: the defaults, with lifetimes not
/// checked (see the module documentation).
fn config() -> GroupConfig {
    GroupConfig {
        lifetime: LifetimePolicy::Skip,
        ..GroupConfig::default()
    }
}

/// Checks one case.
pub fn run(case: &serde_json::Value) -> CaseResult {
    let case: Case = parse(case)?;
    context(CipherSuite::new(case.cipher_suite), "cipher_suite")?;
    let key_package = match context(MlsMessage::from_bytes(&case.key_package), "key_package")? {
        MlsMessage::KeyPackage(kp) => kp,
        other => return fail(format!("key_package is a {:?}", other.wire_format())),
    };
    let welcome = match context(MlsMessage::from_bytes(&case.welcome), "welcome")? {
        MlsMessage::Welcome(w) => w,
        other => return fail(format!("welcome is a {:?}", other.wire_format())),
    };
    let tree = case
        .ratchet_tree
        .as_deref()
        .map(|bytes| context(RatchetTree::from_bytes(bytes), "ratchet_tree"))
        .transpose()?;
    let keys = JoinKeys::from_keys(
        key_package,
        HpkePrivateKey::from_bytes(&case.init_priv),
        HpkePrivateKey::from_bytes(&case.encryption_priv),
        SignaturePrivateKey::from_bytes(&case.signature_priv),
    );
    context(keys.check(), "private keys against the key package")?;

    let external_psks = &case.external_psks;
    let lookup = |id: &PreSharedKeyId| match &id.psk {
        PskSource::External { psk_id } => external_psks
            .iter()
            .find(|p| &p.psk_id == psk_id)
            .map(|p| Secret::from(&p.psk[..])),
        PskSource::Resumption { .. } => None,
    };
    let clock = SystemClock;
    let mut group = context(
        group::join(&welcome, &keys, tree, &lookup, config(), &clock),
        "join",
    )?;
    bytes_eq(
        "initial_epoch_authenticator",
        group.epoch_authenticator(),
        &case.initial_epoch_authenticator,
    )?;

    for (i, epoch) in case.epochs.iter().enumerate() {
        group = follow_epoch(group, epoch, &lookup, &clock)
            .map_err(|stop| prefix(stop, &format!("epochs[{i}]")))?;
        bytes_eq(
            &format!("epochs[{i}].epoch_authenticator"),
            group.epoch_authenticator(),
            &epoch.epoch_authenticator,
        )?;
    }
    Ok(())
}

/// Processes one epoch's proposals, then its commit, and returns the next epoch.
fn follow_epoch(
    mut group: Group,
    epoch: &Epoch,
    lookup: &dyn Fn(&PreSharedKeyId) -> Option<Secret>,
    clock: &SystemClock,
) -> Result<Group, Stop> {
    for (j, proposal) in epoch.proposals.iter().enumerate() {
        let what = format!("proposals[{j}]");
        let message = context(MlsMessage::from_bytes(&proposal.0), &what)?;
        let (processed, next) = context(group.process(&message, lookup, clock), &what)?;
        if !matches!(processed, Processed::Proposal(_)) {
            return fail(format!("{what} is not a proposal"));
        }
        group = next;
    }
    let message = context(MlsMessage::from_bytes(&epoch.commit), "commit")?;
    let (processed, next) = context(group.process(&message, lookup, clock), "commit")?;
    match processed {
        Processed::Commit(_) => Ok(next),
        other => fail(format!("the commit was processed as {other:?}")),
    }
}

/// Adds where a stop happened to its message.
fn prefix(stop: Stop, what: &str) -> Stop {
    match stop {
        Stop::Fail(m) => Stop::Fail(format!("{what}: {m}")),
        Stop::Skip(m) => Stop::Skip(format!("{what}: {m}")),
    }
}
