//! The mls-rs 0.57 driver.
//!
//! Each client owns one mls-rs `Client` (its configuration: RustCrypto, basic identities,
//! in-memory key package, PSK and group-state storage, and [`PeerRules`]) and at most one
//! `Group`.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use mls_rs::client_builder::{MlsConfig, PaddingMode};
use mls_rs::error::MlsError;
use mls_rs::group::{CommitEffect, ExportedTree, GroupContext, ReceivedMessage, Roster};
use mls_rs::identity::basic::{BasicCredential, BasicIdentityProvider};
use mls_rs::identity::{Credential, SigningIdentity};
use mls_rs::mls_rules::{
    CommitDirection, CommitOptions, CommitSource, EncryptionOptions, ProposalBundle,
};
use mls_rs::psk::{ExternalPskId, PreSharedKey};
use mls_rs::storage_provider::in_memory::{InMemoryGroupStateStorage, InMemoryPreSharedKeyStorage};
use mls_rs::time::MlsTime;
use mls_rs::{CipherSuite, CipherSuiteProvider as _, CryptoProvider as _, ExtensionList};
use mls_rs::{Group, MlsMessage, MlsRules};
use mls_rs_crypto_rustcrypto::RustCryptoProvider;

use super::{LIFETIME_MARGIN_SECONDS, LIFETIME_SECONDS, MAX_PAST_EPOCHS, library_error};
use crate::driver::{
    CIPHER_SUITE_1, Client, CommitOutput, CommitRequest, DriverError, DriverResult, Engine,
    Handshake, Member, PathChoice, TreeDelivery,
};

const NAME: &str = "mls-rs";

/// The mls-rs engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct MlsRs;

impl Engine for MlsRs {
    fn name(&self) -> &'static str {
        NAME
    }

    fn new_client(&self, identity: &[u8], cipher_suite: u16) -> DriverResult<Box<dyn Client>> {
        const OP: &str = "new_client";
        if cipher_suite != CIPHER_SUITE_1 {
            return Err(DriverError::unsupported(
                NAME,
                OP,
                format!("cipher suite {cipher_suite:#06x}: the driver is set up for 0x0001 only"),
            ));
        }
        let crypto = RustCryptoProvider::new();
        let suite = crypto
            .cipher_suite_provider(CipherSuite::CURVE25519_AES128)
            .ok_or_else(|| DriverError::unsupported(NAME, OP, "RustCrypto lacks suite 0x0001"))?;
        let (secret_key, public_key) = suite
            .signature_key_generate()
            .map_err(library_error(NAME, OP))?;
        let credential = BasicCredential::new(identity.to_vec()).into_credential();
        let rules = PeerRules::default();
        let psks = InMemoryPreSharedKeyStorage::default();
        let client = mls_rs::Client::builder()
            .crypto_provider(crypto)
            // Basic credentials; this provider accepts any identity bytes.
            .identity_provider(BasicIdentityProvider::new())
            .mls_rules(rules.clone())
            .psk_store(psks.clone())
            // Prior epochs kept for late application messages; OpenMLS is set alike.
            .group_state_storage(
                InMemoryGroupStateStorage::new()
                    .with_max_epoch_retention(MAX_PAST_EPOCHS)
                    .map_err(library_error(NAME, OP))?,
            )
            // From an hour back (`not_before`) to 84 days on: see `LIFETIME_SECONDS`.
            .key_package_lifetime(Duration::from_secs(
                LIFETIME_SECONDS + LIFETIME_MARGIN_SECONDS,
            ))
            .signing_identity(
                SigningIdentity::new(credential, public_key),
                secret_key,
                CipherSuite::CURVE25519_AES128,
            )
            .build();
        Ok(Box::new(MlsRsClient {
            client,
            rules,
            psks,
            group: None,
        }))
    }
}

/// The mls-rs policy hooks, shared between a client and its group.
///
/// mls-rs takes the path and ratchet-tree choices of a commit from its `MlsRules`, not
/// from the commit builder, so the driver sets these two flags right before each commit.
#[derive(Debug, Clone)]
pub struct PeerRules {
    path_required: Arc<AtomicBool>,
    tree_in_extension: Arc<AtomicBool>,
}

impl Default for PeerRules {
    fn default() -> Self {
        PeerRules {
            // mls-rs default: a path only when the proposals need one.
            path_required: Arc::new(AtomicBool::new(false)),
            // mls-rs default, and what OpenMLS is set to: the tree travels in the Welcome.
            tree_in_extension: Arc::new(AtomicBool::new(true)),
        }
    }
}

impl PeerRules {
    fn set_for(&self, request: &CommitRequest) {
        self.path_required
            .store(request.path == PathChoice::Include, Ordering::SeqCst);
        self.tree_in_extension
            .store(request.tree == TreeDelivery::InExtension, Ordering::SeqCst);
    }
}

impl MlsRules for PeerRules {
    type Error = Infallible;

    fn filter_proposals(
        &self,
        _direction: CommitDirection,
        _source: CommitSource,
        _current_roster: &Roster,
        _current_context: &GroupContext,
        proposals: ProposalBundle,
    ) -> Result<ProposalBundle, Self::Error> {
        // Every valid proposal is committed, as OpenMLS does with `|_| true`.
        Ok(proposals)
    }

    fn commit_options(
        &self,
        _new_roster: &Roster,
        _new_context: &GroupContext,
        _proposals: &ProposalBundle,
    ) -> Result<CommitOptions, Self::Error> {
        Ok(CommitOptions::new()
            .with_path_required(self.path_required.load(Ordering::SeqCst))
            .with_ratchet_tree_extension(self.tree_in_extension.load(Ordering::SeqCst)))
    }

    fn encryption_options(
        &self,
        _current_roster: &Roster,
        _current_context: &GroupContext,
    ) -> Result<EncryptionOptions, Self::Error> {
        // mls-rs defaults: handshakes as PublicMessage (OpenMLS is set to accept them),
        // application messages padded with the step function (any padding interoperates).
        Ok(EncryptionOptions::new(false, PaddingMode::StepFunction))
    }
}

/// One mls-rs member.
pub struct MlsRsClient<C: MlsConfig> {
    client: mls_rs::Client<C>,
    rules: PeerRules,
    psks: InMemoryPreSharedKeyStorage,
    group: Option<Group<C>>,
}

fn decode(operation: &'static str, bytes: &[u8]) -> DriverResult<MlsMessage> {
    MlsMessage::from_bytes(bytes).map_err(library_error(NAME, operation))
}

fn encode(operation: &'static str, message: &MlsMessage) -> DriverResult<Vec<u8>> {
    message.to_bytes().map_err(library_error(NAME, operation))
}

fn decode_tree(
    operation: &'static str,
    bytes: Option<&[u8]>,
) -> DriverResult<Option<ExportedTree<'static>>> {
    bytes
        .map(|b| {
            ExportedTree::from_bytes(b)
                .map(ExportedTree::into_owned)
                .map_err(library_error(NAME, operation))
        })
        .transpose()
}

/// Where a fresh leaf's lifetime starts: an hour back, to absorb clock skew between
/// peers (mls-rs would otherwise start it now).
fn not_before() -> MlsTime {
    MlsTime::now() - Duration::from_secs(LIFETIME_MARGIN_SECONDS)
}

fn no_group(operation: &'static str) -> DriverError {
    DriverError::failed(NAME, operation, "the client is not in a group")
}

fn wrong_message(operation: &'static str, expected: &str) -> DriverError {
    DriverError::failed(NAME, operation, format!("the message is not {expected}"))
}

impl<C: MlsConfig> MlsRsClient<C> {
    fn group(&self, operation: &'static str) -> DriverResult<&Group<C>> {
        self.group.as_ref().ok_or_else(|| no_group(operation))
    }

    fn group_mut(&mut self, operation: &'static str) -> DriverResult<&mut Group<C>> {
        self.group.as_mut().ok_or_else(|| no_group(operation))
    }

    /// Writes the group state to the client's in-memory storage. mls-rs keeps prior
    /// epochs in memory until then, and trims them to three only when writing; writing
    /// after every change keeps its retention what the configuration says.
    fn persist(&mut self, operation: &'static str) -> DriverResult<()> {
        self.group_mut(operation)?
            .write_to_storage()
            .map_err(library_error(NAME, operation))
    }

    /// Sends a proposal made by `make` and persists the state.
    fn propose(
        &mut self,
        operation: &'static str,
        make: impl FnOnce(&mut Group<C>) -> Result<MlsMessage, MlsError>,
    ) -> DriverResult<Vec<u8>> {
        let message = make(self.group_mut(operation)?).map_err(library_error(NAME, operation))?;
        self.persist(operation)?;
        encode(operation, &message)
    }
}

impl<C: MlsConfig + 'static> Client for MlsRsClient<C> {
    fn engine(&self) -> &'static str {
        NAME
    }

    fn key_package(&mut self) -> DriverResult<Vec<u8>> {
        const OP: &str = "key_package";
        let message = self
            .client
            .generate_key_package_message(
                ExtensionList::new(),
                ExtensionList::new(),
                Some(not_before()),
            )
            .map_err(library_error(NAME, OP))?;
        encode(OP, &message)
    }

    fn create_group(&mut self, group_id: &[u8]) -> DriverResult<()> {
        const OP: &str = "create_group";
        // The creator's leaf gets the same lifetime as a key package (the time given
        // here is where mls-rs starts the leaf's lifetime).
        let group = self
            .client
            .create_group_with_id(
                group_id.to_vec(),
                ExtensionList::new(),
                ExtensionList::new(),
                Some(not_before()),
            )
            .map_err(library_error(NAME, OP))?;
        self.group = Some(group);
        self.persist(OP)
    }

    fn join_from_welcome(
        &mut self,
        welcome: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<()> {
        const OP: &str = "join_from_welcome";
        let welcome = decode(OP, welcome)?;
        let tree = decode_tree(OP, ratchet_tree)?;
        let (group, _info) = self
            .client
            .join_group(tree, &welcome, None)
            .map_err(library_error(NAME, OP))?;
        self.group = Some(group);
        self.persist(OP)
    }

    fn join_by_external_commit(
        &mut self,
        group_info: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<Vec<u8>> {
        const OP: &str = "join_by_external_commit";
        let group_info = decode(OP, group_info)?;
        let mut builder = self
            .client
            .external_commit_builder()
            .map_err(library_error(NAME, OP))?;
        if let Some(tree) = decode_tree(OP, ratchet_tree)? {
            builder = builder.with_tree_data(tree);
        }
        // mls-rs has no pending state for external commits: the group is in the new epoch.
        let (group, commit) = builder.build(group_info).map_err(library_error(NAME, OP))?;
        self.group = Some(group);
        self.persist(OP)?;
        encode(OP, &commit)
    }

    fn group_info(&mut self, tree: TreeDelivery) -> DriverResult<Vec<u8>> {
        const OP: &str = "group_info";
        // The `allowing_ext_commit` form adds `external_pub`.
        let message = self
            .group(OP)?
            .group_info_message_allowing_ext_commit(tree == TreeDelivery::InExtension)
            .map_err(library_error(NAME, OP))?;
        encode(OP, &message)
    }

    fn ratchet_tree(&self) -> DriverResult<Vec<u8>> {
        const OP: &str = "ratchet_tree";
        self.group(OP)?
            .export_tree()
            .to_bytes()
            .map_err(library_error(NAME, OP))
    }

    fn propose_add(&mut self, key_package: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "propose_add";
        let key_package = decode(OP, key_package)?;
        self.propose(OP, |group| group.propose_add(key_package, Vec::new()))
    }

    fn propose_remove(&mut self, leaf_index: u32) -> DriverResult<Vec<u8>> {
        self.propose("propose_remove", |group| {
            group.propose_remove(leaf_index, Vec::new())
        })
    }

    fn propose_self_update(&mut self) -> DriverResult<Vec<u8>> {
        self.propose("propose_self_update", |group| {
            group.propose_update(Vec::new())
        })
    }

    fn propose_external_psk(&mut self, psk_id: &[u8]) -> DriverResult<Vec<u8>> {
        let psk_id = ExternalPskId::new(psk_id.to_vec());
        self.propose("propose_external_psk", |group| {
            group.propose_external_psk(psk_id, Vec::new())
        })
    }

    fn commit(&mut self, request: &CommitRequest) -> DriverResult<CommitOutput> {
        const OP: &str = "commit";
        let adds = request
            .add
            .iter()
            .map(|kp| decode(OP, kp))
            .collect::<DriverResult<Vec<_>>>()?;
        self.rules.set_for(request);
        let group = self.group_mut(OP)?;
        // The builder includes every cached proposal by reference.
        let mut builder = group.commit_builder();
        for key_package in adds {
            builder = builder
                .add_member(key_package)
                .map_err(library_error(NAME, OP))?;
        }
        for &leaf_index in &request.remove {
            builder = builder
                .remove_member(leaf_index)
                .map_err(library_error(NAME, OP))?;
        }
        let built = builder.build();
        self.rules.set_for(&CommitRequest::default());
        let output = built.map_err(library_error(NAME, OP))?;
        let has_path = output.contains_update_path;
        if request.path == PathChoice::Omit && has_path {
            self.group_mut(OP)?.clear_pending_commit();
            return Err(DriverError::unsupported(
                NAME,
                OP,
                "a commit without a path was asked for, but these proposals require one",
            ));
        }
        // One Welcome for all new members is the mls-rs default (`single_welcome_message`).
        let welcome = match output.welcome_messages.as_slice() {
            [] => None,
            [welcome] => Some(encode(OP, welcome)?),
            _ => {
                self.group_mut(OP)?.clear_pending_commit();
                return Err(DriverError::unsupported(
                    NAME,
                    OP,
                    "mls-rs produced several Welcomes; the driver hands out one",
                ));
            }
        };
        let commit = encode(OP, &output.commit_message)?;
        self.persist(OP)?;
        Ok(CommitOutput {
            commit,
            welcome,
            has_path,
        })
    }

    fn apply_pending_commit(&mut self) -> DriverResult<()> {
        const OP: &str = "apply_pending_commit";
        self.group_mut(OP)?
            .apply_pending_commit()
            .map_err(library_error(NAME, OP))?;
        self.persist(OP)
    }

    fn discard_pending_commit(&mut self) -> DriverResult<()> {
        const OP: &str = "discard_pending_commit";
        self.group_mut(OP)?.clear_pending_commit();
        self.persist(OP)
    }

    fn process_handshake(&mut self, message: &[u8]) -> DriverResult<Handshake> {
        const OP: &str = "process_handshake";
        let message = decode(OP, message)?;
        // Proposals are cached by mls-rs itself; commits are applied immediately.
        let received = self
            .group_mut(OP)?
            .process_incoming_message(message)
            .map_err(library_error(NAME, OP))?;
        let outcome = match received {
            ReceivedMessage::Proposal(_) => Handshake::ProposalStored,
            ReceivedMessage::Commit(description) => match description.effect {
                CommitEffect::NewEpoch(_) => Handshake::CommitApplied { removed: false },
                CommitEffect::Removed { .. } => Handshake::CommitApplied { removed: true },
                CommitEffect::ReInit(_) => {
                    return Err(DriverError::unsupported(
                        NAME,
                        OP,
                        "the commit re-initialises the group, which the driver does not model",
                    ));
                }
            },
            ReceivedMessage::ApplicationMessage(_) => {
                return Err(wrong_message(
                    OP,
                    "a handshake (it is an application message)",
                ));
            }
            ReceivedMessage::GroupInfo(_)
            | ReceivedMessage::Welcome
            | ReceivedMessage::KeyPackage(_) => {
                return Err(wrong_message(OP, "a handshake (it is not framed content)"));
            }
        };
        self.persist(OP)?;
        Ok(outcome)
    }

    fn protect(&mut self, plaintext: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "protect";
        let message = self
            .group_mut(OP)?
            .encrypt_application_message(plaintext, Vec::new())
            .map_err(library_error(NAME, OP))?;
        self.persist(OP)?;
        encode(OP, &message)
    }

    fn unprotect(&mut self, message: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "unprotect";
        let message = decode(OP, message)?;
        let received = self
            .group_mut(OP)?
            .process_incoming_message(message)
            .map_err(library_error(NAME, OP))?;
        self.persist(OP)?;
        match received {
            ReceivedMessage::ApplicationMessage(application) => Ok(application.data().to_vec()),
            _ => Err(wrong_message(OP, "an application message")),
        }
    }

    fn register_external_psk(&mut self, psk_id: &[u8], secret: &[u8]) -> DriverResult<()> {
        // The client was built with this store; clones share one map.
        self.psks.insert(
            ExternalPskId::new(psk_id.to_vec()),
            PreSharedKey::new(secret.to_vec()),
        );
        Ok(())
    }

    fn export_secret(&self, label: &[u8], context: &[u8], length: usize) -> DriverResult<Vec<u8>> {
        const OP: &str = "export_secret";
        self.group(OP)?
            .export_secret(label, context, length)
            .map(|secret| secret.as_bytes().to_vec())
            .map_err(library_error(NAME, OP))
    }

    fn epoch_authenticator(&self) -> DriverResult<Vec<u8>> {
        const OP: &str = "epoch_authenticator";
        self.group(OP)?
            .epoch_authenticator()
            .map(|secret| secret.as_bytes().to_vec())
            .map_err(library_error(NAME, OP))
    }

    fn epoch(&self) -> DriverResult<u64> {
        Ok(self.group("epoch")?.current_epoch())
    }

    fn members(&self) -> DriverResult<Vec<Member>> {
        const OP: &str = "members";
        self.group(OP)?
            .roster()
            .members_iter()
            .map(|member| {
                let identity = match &member.signing_identity.credential {
                    Credential::Basic(basic) => basic.identifier.clone(),
                    _ => {
                        return Err(DriverError::unsupported(
                            NAME,
                            OP,
                            format!("leaf {} holds a non-basic credential", member.index),
                        ));
                    }
                };
                Ok(Member {
                    leaf_index: member.index,
                    identity,
                    signature_key: member.signing_identity.signature_key.as_bytes().to_vec(),
                })
            })
            .collect()
    }

    fn own_leaf_index(&self) -> DriverResult<u32> {
        Ok(self.group("own_leaf_index")?.current_member_index())
    }
}
