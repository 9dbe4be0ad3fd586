//! One epoch of a group as one member holds it (RFC 9420 §8, §12): the [`Group`] value.
//!
//! A `Group` is a value. Processing a commit never changes it: it builds the next
//! epoch's `Group` and returns it, and any failed check leaves the caller with the
//! epoch it had. Receiving a proposal or an application message returns an updated copy
//! too (the proposal cached, the message key deleted).

use std::collections::{BTreeMap, VecDeque};

use crate::crypto::{CipherSuite, HpkePrivateKey, Secret, SignaturePrivateKey, SignaturePublicKey};
use crate::error::Result;
use crate::key_schedule::EpochSecrets;
use crate::messages::group_context::GroupContext;
use crate::messages::{LeafNode, Proposal, ProposalRef, Sender};
use crate::ratchet_tree::RatchetTree;
use crate::secret_tree::SecretTree;
use crate::tree_math::LeafIndex;
use crate::treekem::PrivateKeys;

use super::config::GroupConfig;

/// A proposal received (or sent) in the current epoch, kept until a commit covers it
/// by reference (§12.4: "Proposals sent by reference are specified by including the hash
/// of the AuthenticatedContent object in which the proposal was sent").
#[derive(Debug, Clone)]
pub struct CachedProposal {
    /// `RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent)` (§5.2).
    pub reference: ProposalRef,
    /// The proposal.
    pub proposal: Proposal,
    /// Who sent it.
    pub sender: Sender,
    /// For an Update this member sent: the private key of the new leaf's encryption
    /// key, installed if a commit applies the Update. Crate-private: a private key.
    pub(crate) own_update_key: Option<HpkePrivateKey>,
}

/// The proposals of the current epoch, in the order they arrived, found by reference in
/// logarithmic time. Cleared by every commit (a proposal belongs to one epoch, §12.4).
#[derive(Debug, Clone, Default)]
pub struct ProposalCache {
    entries: Vec<CachedProposal>,
    by_reference: BTreeMap<ProposalRef, usize>,
}

impl ProposalCache {
    /// The proposal with this reference, if it was received in this epoch.
    pub fn get(&self, reference: &ProposalRef) -> Option<&CachedProposal> {
        self.entries.get(*self.by_reference.get(reference)?)
    }

    /// Caches a proposal. A second copy of the same reference (a duplicate delivery) is
    /// ignored.
    pub fn insert(&mut self, entry: CachedProposal) {
        if !self.by_reference.contains_key(&entry.reference) {
            self.by_reference
                .insert(entry.reference.clone(), self.entries.len());
            self.entries.push(entry);
        }
    }

    /// Every cached proposal, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &CachedProposal> {
        self.entries.iter()
    }

    /// The number of cached proposals.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no proposal is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What a member keeps of a past epoch to decrypt application messages that arrive
/// after the next commit (§9.2, §15.3): the secret tree, the sender-data secret, the
/// GroupContext the signatures cover, and the signature key of every member then.
#[derive(Clone)]
pub struct PastEpoch {
    /// The GroupContext of that epoch.
    pub context: GroupContext,
    /// The epoch's secret tree, with the keys already used deleted.
    pub secret_tree: SecretTree,
    /// The epoch's `sender_data_secret` (§6.3.2).
    pub sender_data_secret: Secret,
    /// Each member's signature key in that epoch.
    pub signature_keys: BTreeMap<LeafIndex, SignaturePublicKey>,
}

impl core::fmt::Debug for PastEpoch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PastEpoch")
            .field("epoch", &self.context.epoch)
            .field("secret_tree", &self.secret_tree)
            .field("members", &self.signature_keys.len())
            .finish()
    }
}

/// One epoch of a group, as the member at [`Group::own_leaf_index`] holds it (§8, §12).
///
/// Everything here is a value: cloning a `Group` gives an independent copy. `Debug`
/// prints the public state and the lengths of secrets only.
#[derive(Clone)]
pub struct Group {
    /// The cipher suite of the GroupContext.
    pub(super) suite: CipherSuite,
    /// The GroupContext of this epoch (§8.1).
    pub(super) context: GroupContext,
    /// The public ratchet tree (§7).
    pub(super) tree: RatchetTree,
    /// Our leaf.
    pub(super) own_leaf: LeafIndex,
    /// Our signature private key (of our leaf's `signature_key`).
    pub(super) signer: SignaturePrivateKey,
    /// Our HPKE private keys: our leaf's and those of our direct path (§4.1).
    pub(super) private_keys: PrivateKeys,
    /// The secrets of this epoch (§8).
    pub(super) secrets: EpochSecrets,
    /// The secret tree of this epoch (§9), rooted at `secrets.encryption_secret`.
    pub(super) secret_tree: SecretTree,
    /// The interim transcript hash after the commit that started this epoch (§8.2).
    pub(super) interim_transcript_hash: Vec<u8>,
    /// The confirmation tag of the commit that started this epoch (for GroupInfo,
    /// §12.4.3).
    pub(super) confirmation_tag: Vec<u8>,
    /// The proposals received in this epoch.
    pub(super) proposals: ProposalCache,
    /// The `resumption_psk` of past epochs, newest last (§8.6); the current epoch's is in
    /// `secrets`.
    pub(super) resumption_psks: BTreeMap<u64, Secret>,
    /// Past epochs kept for late application messages, oldest first.
    pub(super) past_epochs: VecDeque<PastEpoch>,
    /// The application's choices.
    pub(super) config: GroupConfig,
}

/// The parts of a [`Group`] at the start of an epoch, for building one (on creation,
/// on joining, and at each commit). Crate-private: it holds our private keys.
pub(crate) struct GroupParts {
    /// The GroupContext of the epoch.
    pub context: GroupContext,
    /// The ratchet tree.
    pub tree: RatchetTree,
    /// Our leaf.
    pub own_leaf: LeafIndex,
    /// Our signature private key.
    pub signer: SignaturePrivateKey,
    /// Our HPKE private keys.
    pub private_keys: PrivateKeys,
    /// The epoch's secrets.
    pub secrets: EpochSecrets,
    /// The interim transcript hash of the epoch.
    pub interim_transcript_hash: Vec<u8>,
    /// The confirmation tag of the commit (or group creation) that started the epoch.
    pub confirmation_tag: Vec<u8>,
    /// The application's choices.
    pub config: GroupConfig,
}

impl Group {
    /// Builds the group state of an epoch from its parts, with an empty proposal cache,
    /// no retained past epochs and the secret tree rooted at the epoch's
    /// `encryption_secret`. Fails if the cipher suite is not supported. Crate-private,
    /// as [`GroupParts`] is.
    pub(crate) fn from_parts(parts: GroupParts) -> Result<Group> {
        let suite = CipherSuite::new(parts.context.cipher_suite.0)?;
        let secret_tree = SecretTree::with_policy(
            suite,
            parts.secrets.encryption_secret.clone(),
            parts.tree.leaf_count(),
            parts.config.ratchet_policy,
        );
        Ok(Group {
            suite,
            context: parts.context,
            tree: parts.tree,
            own_leaf: parts.own_leaf,
            signer: parts.signer,
            private_keys: parts.private_keys,
            secrets: parts.secrets,
            secret_tree,
            interim_transcript_hash: parts.interim_transcript_hash,
            confirmation_tag: parts.confirmation_tag,
            proposals: ProposalCache::default(),
            resumption_psks: BTreeMap::new(),
            past_epochs: VecDeque::new(),
            config: parts.config,
        })
    }

    /// The cipher suite.
    pub fn cipher_suite(&self) -> CipherSuite {
        self.suite
    }

    /// The group's identifier.
    pub fn group_id(&self) -> &[u8] {
        &self.context.group_id
    }

    /// The epoch number.
    pub fn epoch(&self) -> u64 {
        self.context.epoch
    }

    /// The GroupContext of this epoch (§8.1).
    pub fn group_context(&self) -> &GroupContext {
        &self.context
    }

    /// The public ratchet tree.
    pub fn tree(&self) -> &RatchetTree {
        &self.tree
    }

    /// Our leaf index.
    pub fn own_leaf_index(&self) -> LeafIndex {
        self.own_leaf
    }

    /// Our LeafNode.
    pub fn own_leaf_node(&self) -> Option<&LeafNode> {
        self.tree.leaf(self.own_leaf)
    }

    /// The members: every non-blank leaf, in leaf order.
    pub fn members(&self) -> impl Iterator<Item = (LeafIndex, &LeafNode)> {
        self.tree.members()
    }

    /// The application's choices for this group.
    pub fn config(&self) -> &GroupConfig {
        &self.config
    }

    /// The proposals received in this epoch, not yet committed.
    pub fn pending_proposals(&self) -> &ProposalCache {
        &self.proposals
    }

    /// This epoch with an empty proposal cache: the cached proposals (and the private
    /// key of an Update of ours among them) are dropped; everything else is kept.
    pub fn without_proposals(&self) -> Group {
        Group {
            proposals: ProposalCache::default(),
            ..self.clone()
        }
    }

    /// The interim transcript hash of this epoch (§8.2).
    pub fn interim_transcript_hash(&self) -> &[u8] {
        &self.interim_transcript_hash
    }

    /// The confirmation tag of the commit that started this epoch.
    pub fn confirmation_tag(&self) -> &[u8] {
        &self.confirmation_tag
    }

    /// The `epoch_authenticator` of this epoch (§8.7). Public by design: members
    /// compare it out of band to detect impersonation.
    pub fn epoch_authenticator(&self) -> &[u8] {
        self.secrets.epoch_authenticator.as_bytes()
    }

    /// `MLS-Exporter(label, context, length)` (§8.5). Fails if `length` exceeds
    /// 255 × `KDF.Nh`.
    pub fn export_secret(&self, label: &[u8], context: &[u8], length: usize) -> Result<Secret> {
        self.secrets.export(&self.suite, label, context, length)
    }

    /// The `resumption_psk` of `epoch` of this group, if it is the current epoch or a
    /// retained past one (§8.6).
    pub fn resumption_psk(&self, epoch: u64) -> Option<&Secret> {
        if epoch == self.context.epoch {
            Some(&self.secrets.resumption_psk)
        } else {
            self.resumption_psks.get(&epoch)
        }
    }

    /// The epochs whose application messages can still be decrypted, oldest first
    /// (the retained past epochs, then the current one).
    pub fn readable_epochs(&self) -> impl Iterator<Item = u64> + '_ {
        self.past_epochs
            .iter()
            .map(|p| p.context.epoch)
            .chain(core::iter::once(self.context.epoch))
    }

    /// **Test support only** (feature `test-support`, off by default; not part of the
    /// documented API): the whole state serialized as the store keeps it, which
    /// **exposes every secret of the epoch**, our HPKE private keys included (not the
    /// signature private key, which no state holds). Two groups with equal fingerprints
    /// hold byte-identical states; tests use it to show that a rejected message changed
    /// nothing. `Debug` of the result shows no byte of it.
    #[cfg(any(test, feature = "test-support"))]
    pub fn fingerprint(&self) -> zeroize::Zeroizing<Vec<u8>> {
        self.to_state_bytes()
    }
}

impl core::fmt::Debug for Group {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Group")
            .field("cipher_suite", &self.suite.id())
            .field("group_id", &self.context.group_id)
            .field("epoch", &self.context.epoch)
            .field("own_leaf", &self.own_leaf.0)
            .field("members", &self.tree.members().count())
            .field("private_keys", &self.private_keys)
            .field("secret_tree", &self.secret_tree)
            .field("pending_proposals", &self.proposals.len())
            .field("resumption_psks", &self.resumption_psks.keys())
            .field("past_epochs", &self.past_epochs)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}
