//! The driver for our own engine, `mls_webapi::group`.
//!
//! Our group state is a value: every operation takes the current [`Group`] and returns
//! a new one, or an error and nothing. A client therefore holds `Option<Group>` and
//! swaps in the new value only once an operation has fully succeeded, so a rejected
//! message or a refused commit leaves it exactly as it was.
//!
//! The configuration makes the choices of the OpenMLS and mls-rs drivers, under which
//! the three engines interoperate: suite 1, basic credentials, the ratchet tree in the
//! Welcome unless a commit asks for it out of band, handshakes as PublicMessage (which
//! OpenMLS accepts under its MIXED policy and mls-rs by default), capabilities that list
//! no default extension or proposal type, leaf lifetimes from an hour back to 84 days
//! ahead, and the same out-of-order limits and number of past epochs as the peers.
//!
//! The Web API runs the same engine with its own fixed settings (spec §5.1); they differ
//! from these in the out-of-order window, lifetime checks and resumption PSKs, and the
//! Web API cannot choose the path or send the tree out of band. Both run every script:
//! this driver as `ours`, the Web API's as `webapi` ([`super::webapi`] lists the
//! differences and tests them).

use std::collections::BTreeMap;

use mls_webapi::clock::{Clock, SystemClock};
use mls_webapi::codec::Codec;
use mls_webapi::crypto::{CipherSuite, OsRandom, Secret, SignaturePrivateKey};
use mls_webapi::group::{
    CommitOptions, ExternalCommitOptions, Group, GroupConfig, GroupInfoOptions, JoinKeys,
    KeyPackageBundle, LeafOptions, LifetimePolicy, PendingCommit, Processed, SentProposal,
};
use mls_webapi::messages::{
    Add, Content, Credential, KeyPackage, Lifetime, MlsMessage, PreSharedKeyId, Proposal,
    PskSource, Remove, WireFormat,
};
use mls_webapi::ratchet_tree::RatchetTree;
use mls_webapi::secret_tree::RatchetPolicy;
use mls_webapi::tree_math::LeafIndex;

use super::{LIFETIME_MARGIN_SECONDS, LIFETIME_SECONDS, MAX_PAST_EPOCHS, RATCHET_WINDOW};
use crate::driver::{
    Client, CommitOutput, CommitRequest, DriverError, DriverResult, Engine, Handshake, Member,
    PathChoice, TreeDelivery,
};

const NAME: &str = "ours";

/// Our engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ours;

impl Engine for Ours {
    fn name(&self) -> &'static str {
        NAME
    }

    fn new_client(&self, identity: &[u8], cipher_suite: u16) -> DriverResult<Box<dyn Client>> {
        Ok(Box::new(OursClient::new(identity, cipher_suite)?))
    }
}

/// The settings of every group a client of ours creates or joins.
fn group_config() -> GroupConfig {
    GroupConfig {
        // OpenMLS is set to 1000 generations both ways; mls-rs keeps every skipped key
        // and goes 1024 ahead.
        ratchet_policy: RatchetPolicy {
            max_forward_distance: RATCHET_WINDOW,
            out_of_order_window: RATCHET_WINDOW,
        },
        // Three prior epochs, as mls-rs keeps by default and OpenMLS is set to.
        past_epochs: MAX_PAST_EPOCHS,
        // PublicMessage handshakes: mls-rs sends the same, OpenMLS accepts them (MIXED).
        handshake_wire_format: WireFormat::MLS_PUBLIC_MESSAGE,
        // The tree travels in the Welcome unless a commit asks otherwise.
        ratchet_tree_in_welcome: true,
        // Lifetimes are checked against the machine's clock.
        lifetime: LifetimePolicy::Enforce,
        ..GroupConfig::default()
    }
}

/// Maps an error of our engine to a [`DriverError`]: `Unsupported` when the engine says
/// the input is valid but not supported, `Failed` otherwise. The `Debug` form names the
/// exact rule that was broken, as for the peers.
fn engine_error(operation: &'static str) -> impl FnOnce(mls_webapi::Error) -> DriverError {
    move |e| match e {
        mls_webapi::Error::Unsupported(_) => {
            DriverError::unsupported(NAME, operation, format!("{e:?}"))
        }
        _ => DriverError::failed(NAME, operation, format!("{e:?}")),
    }
}

fn no_group(operation: &'static str) -> DriverError {
    DriverError::failed(NAME, operation, "the client is not in a group")
}

fn wrong_message(operation: &'static str, expected: &str) -> DriverError {
    DriverError::failed(NAME, operation, format!("the message is not {expected}"))
}

fn decode(operation: &'static str, bytes: &[u8]) -> DriverResult<MlsMessage> {
    MlsMessage::from_bytes(bytes).map_err(|e| engine_error(operation)(e.into()))
}

fn decode_key_package(operation: &'static str, bytes: &[u8]) -> DriverResult<KeyPackage> {
    match decode(operation, bytes)? {
        MlsMessage::KeyPackage(key_package) => Ok(key_package),
        _ => Err(wrong_message(operation, "a key package")),
    }
}

fn decode_tree(operation: &'static str, bytes: Option<&[u8]>) -> DriverResult<Option<RatchetTree>> {
    bytes
        .map(|b| RatchetTree::from_bytes(b).map_err(engine_error(operation)))
        .transpose()
}

/// Whether a commit we made carries an UpdatePath. Our handshakes are PublicMessages,
/// whose content is readable; anything else is not a commit of ours.
fn commit_has_path(operation: &'static str, message: &MlsMessage) -> DriverResult<bool> {
    match message {
        MlsMessage::PublicMessage(m) => match &m.content.content {
            Content::Commit(commit) => Ok(commit.path.is_some()),
            _ => Err(wrong_message(operation, "a commit")),
        },
        _ => Err(wrong_message(operation, "a PublicMessage commit")),
    }
}

/// The external PSKs a client holds, by PSK id.
#[derive(Default)]
struct ExternalPsks(BTreeMap<Vec<u8>, Secret>);

impl ExternalPsks {
    /// The value of the PSK `id` names, as our engine's `PskLookup` asks for it. Our
    /// group's own resumption PSKs the engine finds itself.
    fn find(&self, id: &PreSharedKeyId) -> Option<Secret> {
        match &id.psk {
            PskSource::External { psk_id } => self.0.get(psk_id).cloned(),
            PskSource::Resumption { .. } => None,
        }
    }
}

/// One member of ours.
pub struct OursClient {
    suite: CipherSuite,
    credential: Credential,
    /// One signature key for every leaf of this client, as the peers do.
    signer: SignaturePrivateKey,
    /// The key packages handed out and not yet used to join, with their private keys.
    key_packages: Vec<KeyPackageBundle>,
    /// The external PSKs registered.
    psks: ExternalPsks,
    /// The group in its current epoch, once created or joined.
    group: Option<Group>,
    /// A commit made and not yet applied or discarded.
    pending: Option<PendingCommit>,
    clock: SystemClock,
}

impl OursClient {
    /// A client with a basic credential for `identity` and a fresh signature key for
    /// `cipher_suite` (any suite our engine implements).
    pub fn new(identity: &[u8], cipher_suite: u16) -> DriverResult<Self> {
        const OP: &str = "new_client";
        let suite = CipherSuite::new(cipher_suite).map_err(|e| {
            DriverError::unsupported(NAME, OP, format!("cipher suite {cipher_suite:#06x}: {e:?}"))
        })?;
        let (signer, _) = suite
            .generate_signature_key_pair(&mut OsRandom)
            .map_err(engine_error(OP))?;
        Ok(OursClient {
            suite,
            credential: Credential::Basic {
                identity: identity.to_vec(),
            },
            signer,
            key_packages: Vec::new(),
            psks: ExternalPsks::default(),
            group: None,
            pending: None,
            clock: SystemClock,
        })
    }

    fn group(&self, operation: &'static str) -> DriverResult<&Group> {
        self.group.as_ref().ok_or_else(|| no_group(operation))
    }

    /// What every leaf of this client holds: our credential, capabilities with the one
    /// suite and no default type, and a lifetime from an hour back to 84 days ahead.
    fn leaf_options(&self) -> LeafOptions {
        let now = self.clock.now();
        let lifetime = Lifetime {
            not_before: now.saturating_sub(LIFETIME_MARGIN_SECONDS),
            not_after: now.saturating_add(LIFETIME_SECONDS),
        };
        LeafOptions::new(&self.suite, self.credential.clone(), lifetime)
    }

    /// Keeps the group of a sent proposal and returns the proposal's message.
    fn propose(
        &mut self,
        operation: &'static str,
        make: impl FnOnce(&Group, &mut OsRandom) -> mls_webapi::Result<SentProposal>,
    ) -> DriverResult<Vec<u8>> {
        let group = self.group.as_ref().ok_or_else(|| no_group(operation))?;
        let sent = make(group, &mut OsRandom).map_err(engine_error(operation))?;
        self.group = Some(sent.group);
        Ok(sent.message.to_bytes())
    }

    /// Processes a PublicMessage or PrivateMessage without keeping the result.
    fn process(&self, operation: &'static str, bytes: &[u8]) -> DriverResult<(Processed, Group)> {
        let message = decode(operation, bytes)?;
        let psks = |id: &PreSharedKeyId| self.psks.find(id);
        self.group(operation)?
            .process(&message, &psks, &self.clock)
            .map_err(engine_error(operation))
    }
}

impl Client for OursClient {
    fn engine(&self) -> &'static str {
        NAME
    }

    fn key_package(&mut self) -> DriverResult<Vec<u8>> {
        const OP: &str = "key_package";
        let bundle = KeyPackageBundle::new(
            &self.suite,
            self.signer.clone(),
            &self.leaf_options(),
            &mut OsRandom,
        )
        .map_err(engine_error(OP))?;
        let bytes = MlsMessage::KeyPackage(bundle.key_package.clone()).to_bytes();
        self.key_packages.push(bundle);
        Ok(bytes)
    }

    fn create_group(&mut self, group_id: &[u8]) -> DriverResult<()> {
        const OP: &str = "create_group";
        let creator = KeyPackageBundle::new(
            &self.suite,
            self.signer.clone(),
            &self.leaf_options(),
            &mut OsRandom,
        )
        .map_err(engine_error(OP))?;
        let group = Group::create(
            creator,
            group_id.to_vec(),
            Vec::new(),
            group_config(),
            &self.clock,
            &mut OsRandom,
        )
        .map_err(engine_error(OP))?;
        self.group = Some(group);
        Ok(())
    }

    fn join_from_welcome(
        &mut self,
        welcome: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<()> {
        const OP: &str = "join_from_welcome";
        let MlsMessage::Welcome(welcome) = decode(OP, welcome)? else {
            return Err(wrong_message(OP, "a Welcome"));
        };
        let tree = decode_tree(OP, ratchet_tree)?;
        // The Welcome names the key package it is for by reference (§12.4.3.1).
        let position = self
            .key_packages
            .iter()
            .position(|b| {
                b.reference()
                    .is_ok_and(|r| welcome.secrets_for(&r).is_some())
            })
            .ok_or_else(|| {
                DriverError::failed(NAME, OP, "the Welcome names none of our key packages")
            })?;
        let keys = JoinKeys::from(self.key_packages[position].clone());
        let psks = |id: &PreSharedKeyId| self.psks.find(id);
        let group =
            mls_webapi::group::join(&welcome, &keys, tree, &psks, group_config(), &self.clock)
                .map_err(engine_error(OP))?;
        // A key package is used once (§10).
        self.key_packages.remove(position);
        self.group = Some(group);
        self.pending = None;
        Ok(())
    }

    fn join_by_external_commit(
        &mut self,
        group_info: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<Vec<u8>> {
        const OP: &str = "join_by_external_commit";
        let MlsMessage::GroupInfo(group_info) = decode(OP, group_info)? else {
            return Err(wrong_message(OP, "a GroupInfo"));
        };
        let tree = decode_tree(OP, ratchet_tree)?;
        let leaf = self.leaf_options();
        let psks = |id: &PreSharedKeyId| self.psks.find(id);
        let joined = mls_webapi::group::join_by_external_commit(
            &group_info,
            tree,
            self.signer.clone(),
            &leaf,
            &ExternalCommitOptions::default(),
            &psks,
            group_config(),
            &self.clock,
            &mut OsRandom,
        )
        .map_err(engine_error(OP))?;
        // As with the peers, the joiner is in the new epoch at once.
        self.group = Some(joined.next);
        self.pending = None;
        Ok(joined.message.to_bytes())
    }

    fn group_info(&mut self, tree: TreeDelivery) -> DriverResult<Vec<u8>> {
        const OP: &str = "group_info";
        let options = GroupInfoOptions {
            ratchet_tree: tree == TreeDelivery::InExtension,
            external_pub: true,
        };
        let info = self
            .group(OP)?
            .group_info(options)
            .map_err(engine_error(OP))?;
        Ok(MlsMessage::GroupInfo(info).to_bytes())
    }

    fn ratchet_tree(&self) -> DriverResult<Vec<u8>> {
        Ok(self.group("ratchet_tree")?.tree().to_bytes())
    }

    fn propose_add(&mut self, key_package: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "propose_add";
        let key_package = decode_key_package(OP, key_package)?;
        let clock = self.clock;
        self.propose(OP, |group, rng| {
            group.propose_add(key_package, b"", &clock, rng)
        })
    }

    fn propose_remove(&mut self, leaf_index: u32) -> DriverResult<Vec<u8>> {
        self.propose("propose_remove", |group, rng| {
            group.propose_remove(LeafIndex(leaf_index), b"", rng)
        })
    }

    fn propose_self_update(&mut self) -> DriverResult<Vec<u8>> {
        self.propose("propose_self_update", |group, rng| {
            group.propose_update(b"", rng)
        })
    }

    fn propose_external_psk(&mut self, psk_id: &[u8]) -> DriverResult<Vec<u8>> {
        let psk = PskSource::External {
            psk_id: psk_id.to_vec(),
        };
        self.propose("propose_external_psk", |group, rng| {
            group.propose_psk(psk, b"", rng)
        })
    }

    fn commit(&mut self, request: &CommitRequest) -> DriverResult<CommitOutput> {
        const OP: &str = "commit";
        if self.pending.is_some() {
            return Err(DriverError::failed(
                NAME,
                OP,
                "a commit is pending already; apply or discard it first",
            ));
        }
        let adds = request.add.iter().map(|kp| {
            decode_key_package(OP, kp).map(|key_package| Proposal::Add(Add { key_package }))
        });
        let removes = request.remove.iter().map(|&leaf| {
            Ok(Proposal::Remove(Remove {
                removed: LeafIndex(leaf),
            }))
        });
        let options = CommitOptions {
            proposals: adds.chain(removes).collect::<DriverResult<_>>()?,
            // Our engine adds a path whenever the proposals need one (§12.4); forcing it
            // is a self-update of the committer.
            force_path: request.path == PathChoice::Include,
            ratchet_tree_in_welcome: Some(request.tree == TreeDelivery::InExtension),
            ..CommitOptions::default()
        };
        let psks = |id: &PreSharedKeyId| self.psks.find(id);
        let pending = self
            .group(OP)?
            .commit(&options, &psks, &self.clock, &mut OsRandom)
            .map_err(engine_error(OP))?;
        let has_path = commit_has_path(OP, &pending.message)?;
        if request.path == PathChoice::Omit && has_path {
            // Nothing was kept: the group is as it was before the call.
            return Err(DriverError::unsupported(
                NAME,
                OP,
                "a commit without a path was asked for, but these proposals require one",
            ));
        }
        let output = CommitOutput {
            commit: pending.message.to_bytes(),
            welcome: pending.welcome.as_ref().map(Codec::to_bytes),
            has_path,
        };
        // Until the commit is applied or discarded we stay in the current epoch, as it
        // is after sending (a PrivateMessage commit would have used a ratchet step).
        self.group = Some(pending.current.clone());
        self.pending = Some(pending);
        Ok(output)
    }

    fn apply_pending_commit(&mut self) -> DriverResult<()> {
        const OP: &str = "apply_pending_commit";
        let pending = self
            .pending
            .take()
            .ok_or_else(|| DriverError::failed(NAME, OP, "there is no pending commit"))?;
        self.group = Some(pending.merge());
        Ok(())
    }

    fn discard_pending_commit(&mut self) -> DriverResult<()> {
        // The group already is the current epoch after sending; dropping the pending
        // commit is all there is to do.
        self.pending = None;
        Ok(())
    }

    fn process_handshake(&mut self, message: &[u8]) -> DriverResult<Handshake> {
        const OP: &str = "process_handshake";
        let (processed, group) = self.process(OP, message)?;
        let outcome = match processed {
            Processed::Proposal(_) => Handshake::ProposalStored,
            Processed::Commit(_) => Handshake::CommitApplied { removed: false },
            Processed::Removed(_) => Handshake::CommitApplied { removed: true },
            Processed::Application(_) => {
                // Not kept: the message key stays available to `unprotect`.
                return Err(wrong_message(
                    OP,
                    "a handshake (it is an application message)",
                ));
            }
        };
        if let Handshake::CommitApplied { .. } = outcome {
            // Another member's commit started the epoch; ours can no longer apply.
            self.pending = None;
        }
        self.group = Some(group);
        Ok(outcome)
    }

    fn protect(&mut self, plaintext: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "protect";
        let (message, group) = self
            .group(OP)?
            .encrypt_application(plaintext, b"", &mut OsRandom)
            .map_err(engine_error(OP))?;
        self.group = Some(group);
        Ok(message.to_bytes())
    }

    fn unprotect(&mut self, message: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "unprotect";
        let (processed, group) = self.process(OP, message)?;
        let Processed::Application(application) = processed else {
            return Err(wrong_message(OP, "an application message"));
        };
        self.group = Some(group);
        Ok(application.data)
    }

    fn register_external_psk(&mut self, psk_id: &[u8], secret: &[u8]) -> DriverResult<()> {
        self.psks
            .0
            .insert(psk_id.to_vec(), Secret::new(secret.to_vec()));
        Ok(())
    }

    fn export_secret(&self, label: &[u8], context: &[u8], length: usize) -> DriverResult<Vec<u8>> {
        const OP: &str = "export_secret";
        self.group(OP)?
            .export_secret(label, context, length)
            .map(|secret| secret.as_bytes().to_vec())
            .map_err(engine_error(OP))
    }

    fn epoch_authenticator(&self) -> DriverResult<Vec<u8>> {
        Ok(self
            .group("epoch_authenticator")?
            .epoch_authenticator()
            .to_vec())
    }

    fn epoch(&self) -> DriverResult<u64> {
        Ok(self.group("epoch")?.epoch())
    }

    fn members(&self) -> DriverResult<Vec<Member>> {
        const OP: &str = "members";
        self.group(OP)?
            .members()
            .map(|(leaf, node)| match &node.credential {
                Credential::Basic { identity } => Ok(Member {
                    leaf_index: leaf.0,
                    identity: identity.clone(),
                    signature_key: node.signature_key.0.clone(),
                }),
                Credential::X509 { .. } => Err(DriverError::unsupported(
                    NAME,
                    OP,
                    format!("leaf {} holds a non-basic credential", leaf.0),
                )),
            })
            .collect()
    }

    fn own_leaf_index(&self) -> DriverResult<u32> {
        Ok(self.group("own_leaf_index")?.own_leaf_index().0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers::alice_and_bob;

    #[test]
    fn an_unknown_cipher_suite_is_unsupported() {
        let e = Ours.new_client(b"x", 0x7777).err().unwrap();
        assert!(e.is_unsupported(), "{e}");
    }

    #[test]
    fn an_application_message_refused_as_a_handshake_can_still_be_read() {
        let (mut alice, mut bob) = alice_and_bob(&Ours, &Ours);
        let message = alice.protect(b"hello").unwrap();
        assert!(bob.process_handshake(&message).is_err());
        assert_eq!(bob.unprotect(&message).unwrap(), b"hello");
    }

    #[test]
    fn a_second_commit_waits_for_the_first_and_a_discarded_one_leaves_the_epoch() {
        let (mut alice, mut bob) = alice_and_bob(&Ours, &Ours);
        let first = alice.commit(&CommitRequest::default()).unwrap();
        assert!(alice.commit(&CommitRequest::default()).is_err());
        alice.discard_pending_commit().unwrap();
        assert_eq!(alice.epoch().unwrap(), 1);
        assert!(alice.apply_pending_commit().is_err());
        // Bob takes the discarded commit as any other; Alice has moved on without it.
        bob.process_handshake(&first.commit).unwrap();
        assert_eq!(bob.epoch().unwrap(), 2);
        assert_eq!(alice.epoch().unwrap(), 1);
    }

    #[test]
    fn a_commit_by_another_member_drops_our_pending_commit() {
        let (mut alice, mut bob) = alice_and_bob(&Ours, &Ours);
        alice.commit(&CommitRequest::default()).unwrap();
        let by_bob = bob.commit(&CommitRequest::default()).unwrap();
        bob.apply_pending_commit().unwrap();
        alice.process_handshake(&by_bob.commit).unwrap();
        assert!(alice.apply_pending_commit().is_err());
        assert_eq!(alice.epoch_authenticator(), bob.epoch_authenticator());
    }

    #[test]
    fn a_welcome_for_someone_else_is_refused_and_the_key_package_kept() {
        let mut alice = Ours.new_client(b"alice", 1).unwrap();
        let mut bob = Ours.new_client(b"bob", 1).unwrap();
        let mut carol = Ours.new_client(b"carol", 1).unwrap();
        alice.create_group(b"driver tests").unwrap();
        let carol_kp = carol.key_package().unwrap();
        let request = CommitRequest {
            add: vec![bob.key_package().unwrap()],
            ..CommitRequest::default()
        };
        let output = alice.commit(&request).unwrap();
        let welcome = output.welcome.unwrap();
        assert!(carol.join_from_welcome(&welcome, None).is_err());
        bob.join_from_welcome(&welcome, None).unwrap();
        // Carol's key package is still good for a later Welcome.
        alice.apply_pending_commit().unwrap();
        let request = CommitRequest {
            add: vec![carol_kp],
            ..CommitRequest::default()
        };
        let output = alice.commit(&request).unwrap();
        carol
            .join_from_welcome(&output.welcome.unwrap(), None)
            .unwrap();
    }
}
