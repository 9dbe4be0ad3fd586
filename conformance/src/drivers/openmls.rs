//! The OpenMLS 0.9.2 driver.
//!
//! Each client owns an `OpenMlsRustCrypto` provider (crypto, randomness and its own
//! in-memory storage), an Ed25519 signature key and at most one `MlsGroup`.

use openmls::prelude::tls_codec::{Deserialize as _, Serialize as _};
use openmls::prelude::{
    BasicCredential, Capabilities, Ciphersuite, CredentialWithKey, GroupId, KeyPackage,
    KeyPackageIn, LeafNodeIndex, LeafNodeParameters, Lifetime, MIXED_CIPHERTEXT_WIRE_FORMAT_POLICY,
    MlsGroup, MlsGroupCreateConfig, MlsGroupJoinConfig, MlsMessageBodyIn, MlsMessageIn,
    MlsMessageOut, ProcessedMessageContent, ProtocolVersion, RatchetTreeIn,
    SenderRatchetConfiguration, SignatureScheme, StagedWelcome,
};
use openmls::schedule::{ExternalPsk, PreSharedKeyId, Psk};
use openmls_basic_credential::SignatureKeyPair;
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider as _;

use super::{LIFETIME_SECONDS, MAX_PAST_EPOCHS, RATCHET_WINDOW, library_error};
use crate::driver::{
    CIPHER_SUITE_1, Client, CommitOutput, CommitRequest, DriverError, DriverResult, Engine,
    Handshake, Member, PathChoice, TreeDelivery,
};

const NAME: &str = "openmls";

/// Suite 0x0001, the only one the peers are configured for.
const CIPHERSUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

/// The OpenMLS engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenMls;

impl Engine for OpenMls {
    fn name(&self) -> &'static str {
        NAME
    }

    fn new_client(&self, identity: &[u8], cipher_suite: u16) -> DriverResult<Box<dyn Client>> {
        Ok(Box::new(OpenMlsClient::new(identity, cipher_suite)?))
    }
}

/// The settings every OpenMLS group uses, whether created, joined by Welcome or joined by
/// external commit.
fn join_config() -> MlsGroupJoinConfig {
    MlsGroupJoinConfig::builder()
        // Send handshakes as PrivateMessage but accept PublicMessage too: mls-rs sends
        // its commits and proposals in the clear, which the default policy rejects.
        .wire_format_policy(MIXED_CIPHERTEXT_WIRE_FORMAT_POLICY)
        // Out-of-order tolerance and forward distance: see `RATCHET_WINDOW`.
        .sender_ratchet_configuration(SenderRatchetConfiguration::new(
            RATCHET_WINDOW,
            RATCHET_WINDOW,
        ))
        // Keep prior epochs' secrets like mls-rs does (the OpenMLS default keeps none).
        .max_past_epochs(MAX_PAST_EPOCHS)
        // Put the tree in Welcomes by default, as mls-rs does; a commit can override it.
        .use_ratchet_tree_extension(true)
        .build()
}

/// The settings for a group this client creates: [`join_config`] plus the suite, the
/// creator's leaf capabilities and lifetime.
fn create_config() -> MlsGroupCreateConfig {
    let join = join_config();
    MlsGroupCreateConfig::builder()
        .ciphersuite(CIPHERSUITE)
        .wire_format_policy(join.wire_format_policy())
        .sender_ratchet_configuration(*join.sender_ratchet_configuration())
        .max_past_epochs(MAX_PAST_EPOCHS)
        .use_ratchet_tree_extension(true)
        // Default capabilities list no default extension or proposal type, which mls-rs
        // would reject (DefaultValueListed).
        .capabilities(Capabilities::default())
        // not_before one hour back, 84 days ahead: see `LIFETIME_SECONDS`.
        .lifetime(Lifetime::new(LIFETIME_SECONDS))
        .build()
}

/// One OpenMLS member.
pub struct OpenMlsClient {
    provider: OpenMlsRustCrypto,
    signer: SignatureKeyPair,
    credential: CredentialWithKey,
    group: Option<MlsGroup>,
}

impl OpenMlsClient {
    /// A client with a basic credential for `identity` and a fresh Ed25519 key.
    pub fn new(identity: &[u8], cipher_suite: u16) -> DriverResult<Self> {
        if cipher_suite != CIPHER_SUITE_1 {
            return Err(DriverError::unsupported(
                NAME,
                "new_client",
                format!("cipher suite {cipher_suite:#06x}: the driver is set up for 0x0001 only"),
            ));
        }
        let provider = OpenMlsRustCrypto::default();
        let signer = SignatureKeyPair::new(SignatureScheme::ED25519)
            .map_err(library_error(NAME, "new_client"))?;
        let credential = CredentialWithKey {
            credential: BasicCredential::new(identity.to_vec()).into(),
            signature_key: signer.public().into(),
        };
        Ok(OpenMlsClient {
            provider,
            signer,
            credential,
            group: None,
        })
    }

    fn group(&self, operation: &'static str) -> DriverResult<&MlsGroup> {
        self.group.as_ref().ok_or_else(|| no_group(operation))
    }

    /// Decodes and validates a key package `MLSMessage`.
    fn key_package_in(&self, operation: &'static str, bytes: &[u8]) -> DriverResult<KeyPackage> {
        let message = decode(operation, bytes)?;
        let MlsMessageBodyIn::KeyPackage(key_package) = message.extract() else {
            return Err(wrong_message(operation, "a key package"));
        };
        validate_key_package(&self.provider, operation, key_package)
    }
}

fn validate_key_package(
    provider: &OpenMlsRustCrypto,
    operation: &'static str,
    key_package: KeyPackageIn,
) -> DriverResult<KeyPackage> {
    key_package
        .validate(provider.crypto(), ProtocolVersion::Mls10)
        .map_err(library_error(NAME, operation))
}

fn decode(operation: &'static str, bytes: &[u8]) -> DriverResult<MlsMessageIn> {
    MlsMessageIn::tls_deserialize_exact(bytes).map_err(library_error(NAME, operation))
}

fn encode(operation: &'static str, message: &MlsMessageOut) -> DriverResult<Vec<u8>> {
    message.to_bytes().map_err(library_error(NAME, operation))
}

fn decode_tree(
    operation: &'static str,
    bytes: Option<&[u8]>,
) -> DriverResult<Option<RatchetTreeIn>> {
    bytes
        .map(|b| RatchetTreeIn::tls_deserialize_exact(b).map_err(library_error(NAME, operation)))
        .transpose()
}

fn no_group(operation: &'static str) -> DriverError {
    DriverError::failed(NAME, operation, "the client is not in a group")
}

fn wrong_message(operation: &'static str, expected: &str) -> DriverError {
    DriverError::failed(NAME, operation, format!("the message is not {expected}"))
}

impl Client for OpenMlsClient {
    fn engine(&self) -> &'static str {
        NAME
    }

    fn key_package(&mut self) -> DriverResult<Vec<u8>> {
        const OP: &str = "key_package";
        let bundle = KeyPackage::builder()
            .key_package_lifetime(Lifetime::new(LIFETIME_SECONDS))
            .leaf_node_capabilities(Capabilities::default())
            .build(
                CIPHERSUITE,
                &self.provider,
                &self.signer,
                self.credential.clone(),
            )
            .map_err(library_error(NAME, OP))?;
        encode(OP, &MlsMessageOut::from(bundle.key_package().clone()))
    }

    fn create_group(&mut self, group_id: &[u8]) -> DriverResult<()> {
        let group = MlsGroup::new_with_group_id(
            &self.provider,
            &self.signer,
            &create_config(),
            GroupId::from_slice(group_id),
            self.credential.clone(),
        )
        .map_err(library_error(NAME, "create_group"))?;
        self.group = Some(group);
        Ok(())
    }

    fn join_from_welcome(
        &mut self,
        welcome: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<()> {
        const OP: &str = "join_from_welcome";
        let MlsMessageBodyIn::Welcome(welcome) = decode(OP, welcome)?.extract() else {
            return Err(wrong_message(OP, "a Welcome"));
        };
        let tree = decode_tree(OP, ratchet_tree)?;
        let group = StagedWelcome::new_from_welcome(&self.provider, &join_config(), welcome, tree)
            .map_err(library_error(NAME, OP))?
            .into_group(&self.provider)
            .map_err(library_error(NAME, OP))?;
        self.group = Some(group);
        Ok(())
    }

    fn join_by_external_commit(
        &mut self,
        group_info: &[u8],
        ratchet_tree: Option<&[u8]>,
    ) -> DriverResult<Vec<u8>> {
        const OP: &str = "join_by_external_commit";
        let MlsMessageBodyIn::GroupInfo(group_info) = decode(OP, group_info)?.extract() else {
            return Err(wrong_message(OP, "a GroupInfo"));
        };
        let mut builder = MlsGroup::external_commit_builder().with_config(join_config());
        if let Some(tree) = decode_tree(OP, ratchet_tree)? {
            builder = builder.with_ratchet_tree(tree);
        }
        // `finalize` merges the commit: the joiner is in the new epoch at once.
        let (group, bundle) = builder
            .build_group(&self.provider, group_info, self.credential.clone())
            .map_err(library_error(NAME, OP))?
            .load_psks(self.provider.storage())
            .map_err(library_error(NAME, OP))?
            .build(
                self.provider.rand(),
                self.provider.crypto(),
                &self.signer,
                |_| true,
            )
            .map_err(library_error(NAME, OP))?
            .finalize(&self.provider)
            .map_err(library_error(NAME, OP))?;
        self.group = Some(group);
        encode(OP, &bundle.into_commit())
    }

    fn group_info(&mut self, tree: TreeDelivery) -> DriverResult<Vec<u8>> {
        const OP: &str = "group_info";
        let with_tree = tree == TreeDelivery::InExtension;
        let message = self
            .group(OP)?
            .export_group_info(self.provider.crypto(), &self.signer, with_tree)
            .map_err(library_error(NAME, OP))?;
        encode(OP, &message)
    }

    fn ratchet_tree(&self) -> DriverResult<Vec<u8>> {
        const OP: &str = "ratchet_tree";
        self.group(OP)?
            .export_ratchet_tree()
            .tls_serialize_detached()
            .map_err(library_error(NAME, OP))
    }

    fn propose_add(&mut self, key_package: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "propose_add";
        let key_package = self.key_package_in(OP, key_package)?;
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        let (message, _reference) = group
            .propose_add_member(&self.provider, &self.signer, &key_package)
            .map_err(library_error(NAME, OP))?;
        encode(OP, &message)
    }

    fn propose_remove(&mut self, leaf_index: u32) -> DriverResult<Vec<u8>> {
        const OP: &str = "propose_remove";
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        let (message, _reference) = group
            .propose_remove_member(&self.provider, &self.signer, LeafNodeIndex::new(leaf_index))
            .map_err(library_error(NAME, OP))?;
        encode(OP, &message)
    }

    fn propose_self_update(&mut self) -> DriverResult<Vec<u8>> {
        const OP: &str = "propose_self_update";
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        let (message, _reference) = group
            .propose_self_update(&self.provider, &self.signer, LeafNodeParameters::default())
            .map_err(library_error(NAME, OP))?;
        encode(OP, &message)
    }

    fn propose_external_psk(&mut self, psk_id: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "propose_external_psk";
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        // A fresh random nonce per proposal, as RFC 9420 §8.4 requires.
        let psk = PreSharedKeyId::new(
            CIPHERSUITE,
            self.provider.rand(),
            Psk::External(ExternalPsk::new(psk_id.to_vec())),
        )
        .map_err(library_error(NAME, OP))?;
        let (message, _reference) = group
            .propose_pre_shared_key(&self.provider, &self.signer, psk)
            .map_err(library_error(NAME, OP))?;
        encode(OP, &message)
    }

    fn commit(&mut self, request: &CommitRequest) -> DriverResult<CommitOutput> {
        const OP: &str = "commit";
        let adds = request
            .add
            .iter()
            .map(|kp| self.key_package_in(OP, kp))
            .collect::<DriverResult<Vec<_>>>()?;
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        let bundle = group
            .commit_builder()
            .consume_proposal_store(true)
            .propose_adds(adds)
            .propose_removals(request.remove.iter().map(|&i| LeafNodeIndex::new(i)))
            // OpenMLS adds a path whenever the proposals need one; forcing it is a
            // self-update of the committer.
            .force_self_update(request.path == PathChoice::Include)
            .load_psks(self.provider.storage())
            .map_err(library_error(NAME, OP))?
            .use_ratchet_tree_extension(request.tree == TreeDelivery::InExtension)
            .build(
                self.provider.rand(),
                self.provider.crypto(),
                &self.signer,
                |_| true,
            )
            .map_err(library_error(NAME, OP))?
            .stage_commit(&self.provider)
            .map_err(library_error(NAME, OP))?;
        let has_path = group
            .pending_commit()
            .is_some_and(|staged| staged.update_path_leaf_node().is_some());
        if request.path == PathChoice::Omit && has_path {
            group
                .clear_pending_commit(self.provider.storage())
                .map_err(library_error(NAME, OP))?;
            return Err(DriverError::unsupported(
                NAME,
                OP,
                "a commit without a path was asked for, but these proposals require one",
            ));
        }
        let (commit, welcome, _group_info) = bundle.into_messages();
        Ok(CommitOutput {
            commit: encode(OP, &commit)?,
            welcome: welcome.map(|w| encode(OP, &w)).transpose()?,
            has_path,
        })
    }

    fn apply_pending_commit(&mut self) -> DriverResult<()> {
        const OP: &str = "apply_pending_commit";
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        if group.pending_commit().is_none() {
            return Err(DriverError::failed(NAME, OP, "there is no pending commit"));
        }
        group
            .merge_pending_commit(&self.provider)
            .map_err(library_error(NAME, OP))
    }

    fn discard_pending_commit(&mut self) -> DriverResult<()> {
        const OP: &str = "discard_pending_commit";
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        group
            .clear_pending_commit(self.provider.storage())
            .map_err(library_error(NAME, OP))
    }

    fn process_handshake(&mut self, message: &[u8]) -> DriverResult<Handshake> {
        const OP: &str = "process_handshake";
        let message = decode(OP, message)?
            .try_into_protocol_message()
            .map_err(library_error(NAME, OP))?;
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        let processed = group
            .process_message(&self.provider, message)
            .map_err(library_error(NAME, OP))?;
        match processed.into_content() {
            // OpenMLS validates a proposal but keeps it only when told to.
            ProcessedMessageContent::ProposalMessage(proposal)
            | ProcessedMessageContent::ExternalJoinProposalMessage(proposal) => {
                group
                    .store_pending_proposal(self.provider.storage(), *proposal)
                    .map_err(library_error(NAME, OP))?;
                Ok(Handshake::ProposalStored)
            }
            ProcessedMessageContent::StagedCommitMessage(staged) => {
                let removed = staged.self_removed();
                group
                    .merge_staged_commit(&self.provider, *staged)
                    .map_err(library_error(NAME, OP))?;
                Ok(Handshake::CommitApplied { removed })
            }
            ProcessedMessageContent::OwnPendingCommit => {
                group
                    .merge_pending_commit(&self.provider)
                    .map_err(library_error(NAME, OP))?;
                Ok(Handshake::CommitApplied { removed: false })
            }
            ProcessedMessageContent::ApplicationMessage(_) => Err(wrong_message(
                OP,
                "a handshake (it is an application message)",
            )),
            ProcessedMessageContent::OwnPrivateMessage => Err(wrong_message(
                OP,
                "from another member (it is this client's own PrivateMessage)",
            )),
        }
    }

    fn protect(&mut self, plaintext: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "protect";
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        let message = group
            .create_message(&self.provider, &self.signer, plaintext)
            .map_err(library_error(NAME, OP))?;
        encode(OP, &message)
    }

    fn unprotect(&mut self, message: &[u8]) -> DriverResult<Vec<u8>> {
        const OP: &str = "unprotect";
        let message = decode(OP, message)?
            .try_into_protocol_message()
            .map_err(library_error(NAME, OP))?;
        let group = self.group.as_mut().ok_or_else(|| no_group(OP))?;
        let processed = group
            .process_message(&self.provider, message)
            .map_err(library_error(NAME, OP))?;
        match processed.into_content() {
            ProcessedMessageContent::ApplicationMessage(application) => {
                Ok(application.into_bytes())
            }
            _ => Err(wrong_message(OP, "an application message")),
        }
    }

    fn register_external_psk(&mut self, psk_id: &[u8], secret: &[u8]) -> DriverResult<()> {
        // OpenMLS keys stored PSKs by the PSK id alone; the nonce does not matter here.
        PreSharedKeyId::external(psk_id.to_vec(), Vec::new())
            .store(&self.provider, secret)
            .map_err(library_error(NAME, "register_external_psk"))
    }

    fn export_secret(&self, label: &[u8], context: &[u8], length: usize) -> DriverResult<Vec<u8>> {
        const OP: &str = "export_secret";
        let label = std::str::from_utf8(label).map_err(|_| {
            DriverError::unsupported(NAME, OP, "OpenMLS takes exporter labels as UTF-8 text")
        })?;
        self.group(OP)?
            .export_secret(self.provider.crypto(), label, context, length)
            .map_err(library_error(NAME, OP))
    }

    fn epoch_authenticator(&self) -> DriverResult<Vec<u8>> {
        Ok(self
            .group("epoch_authenticator")?
            .epoch_authenticator()
            .as_slice()
            .to_vec())
    }

    fn epoch(&self) -> DriverResult<u64> {
        Ok(self.group("epoch")?.epoch().as_u64())
    }

    fn members(&self) -> DriverResult<Vec<Member>> {
        const OP: &str = "members";
        self.group(OP)?
            .members()
            .map(|member| {
                let credential = BasicCredential::try_from(member.credential)
                    .map_err(library_error(NAME, OP))?;
                Ok(Member {
                    leaf_index: member.index.u32(),
                    identity: credential.identity().to_vec(),
                    signature_key: member.signature_key,
                })
            })
            .collect()
    }

    fn own_leaf_index(&self) -> DriverResult<u32> {
        Ok(self.group("own_leaf_index")?.own_leaf_index().u32())
    }
}
