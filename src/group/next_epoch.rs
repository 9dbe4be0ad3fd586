//! From one epoch to the next (RFC 9420 §12.4.1, §12.4.2): the steps that the committer
//! and every member processing its commit share.
//!
//! ```text
//!   Group (epoch n)
//!     | Group::apply_proposals            validate (§12.2), apply (§12.3)
//!     V
//!   Provisional                           tree and extensions after the proposals
//!     | create_update_path (committer),   apply_update_path (members), or no path
//!     V
//!   PathOutcome                           tree after the path, our keys, commit_secret
//!     | Group::next_epoch                 transcript hashes (§8.2), key schedule (§8),
//!     V                                   confirmation tag (§6.1)
//!   NextEpoch { Group (epoch n+1), confirmation_tag }
//! ```
//!
//! A committer signs its commit's FramedContent before calling [`Group::next_epoch`]
//! (the confirmed transcript hash covers the signature), then puts the returned
//! confirmation tag into the commit. A member processing the commit compares the
//! returned tag with the commit's (§12.4.2).

use std::collections::BTreeMap;

use crate::clock::LifetimeCheck;
use crate::codec::Codec;
use crate::crypto::{CipherSuite, HpkePrivateKey, Secret};
use crate::error::{Error, Result};
use crate::key_schedule::{EpochSecrets, external_init_receiver};
use crate::messages::extensions::Extension;
use crate::messages::group_context::GroupContext;
use crate::messages::{
    AuthenticatedContent, KeyPackage, PreSharedKeyId, Proposal, ProposalRef, ReInit, Sender,
};
use crate::ratchet_tree::RatchetTree;
use crate::transcript_hash::{
    confirmation_tag, confirmed_transcript_hash, interim_transcript_hash,
};
use crate::tree_math::LeafIndex;
use crate::treekem::PrivateKeys;

use super::proposals::apply_proposals;
use super::state::{Group, GroupParts, PastEpoch};

/// One proposal a commit covers, resolved: by value (then the committer sent it) or by
/// reference (then it came from the proposal cache).
#[derive(Debug, Clone)]
pub struct CommittedProposal {
    /// The proposal.
    pub proposal: Proposal,
    /// Who proposed it.
    pub sender: Sender,
    /// Its reference, when the commit covers it by reference.
    pub reference: Option<ProposalRef>,
}

/// The next epoch after a commit's proposals are validated and applied (§12.2, §12.3),
/// before its path.
#[derive(Debug, Clone)]
pub struct Provisional {
    /// The committer's leaf: the member's own, or for an external commit the leaf the
    /// joiner takes ("the leftmost blank leaf node in the new ratchet tree", extended
    /// if there is none, §12.4.2).
    pub committer: LeafIndex,
    /// True for an external commit (`new_member_commit` sender).
    pub external: bool,
    /// The ratchet tree after the proposals.
    pub tree: RatchetTree,
    /// The GroupContext extensions of the next epoch.
    pub extensions: Vec<Extension>,
    /// The PSKs to inject, in the order of the PreSharedKey proposals.
    pub psks: Vec<PreSharedKeyId>,
    /// The members added, with their leaves, in the order of the Add proposals.
    pub added: Vec<(LeafIndex, KeyPackage)>,
    /// The leaves removed.
    pub removed: Vec<LeafIndex>,
    /// The leaves updated by Update proposals.
    pub updated: Vec<LeafIndex>,
    /// Whether the commit must carry a path (§12.4).
    pub path_required: bool,
    /// The `kem_output` of the ExternalInit proposal, for an external commit.
    pub external_init: Option<Vec<u8>>,
    /// The ReInit proposal, if the commit holds one.
    pub reinit: Option<ReInit>,
    /// Our private keys after the proposals: those of nodes that are now blank are
    /// dropped, and if the commit applies an Update we sent, our leaf's key is the one
    /// of that Update. Empty when computed without a group (an external joiner).
    pub private_keys: PrivateKeys,
}

impl Provisional {
    /// The leaves added by the commit, for the path's encryption (§7.6: "excluding new
    /// leaf nodes").
    pub fn added_leaves(&self) -> Vec<LeafIndex> {
        self.added.iter().map(|(leaf, _)| *leaf).collect()
    }

    /// True if the commit removes the member at `leaf`.
    pub fn removes(&self, leaf: LeafIndex) -> bool {
        self.removed.contains(&leaf)
    }

    /// The provisional GroupContext of §12.4.1 / §12.4.2 over `tree` (the tree after the
    /// path, or after the proposals when there is none): the old GroupContext with the
    /// next epoch number, `tree`'s hash and the new extensions, and the old confirmed
    /// transcript hash.
    pub fn group_context(
        &self,
        suite: &CipherSuite,
        old: &GroupContext,
        tree: &RatchetTree,
    ) -> Result<GroupContext> {
        let epoch = old
            .epoch
            .checked_add(1)
            .ok_or(Error::Misuse("the epoch counter is exhausted"))?;
        Ok(GroupContext {
            version: old.version,
            cipher_suite: old.cipher_suite,
            group_id: old.group_id.clone(),
            epoch,
            tree_hash: tree.root_tree_hash(suite),
            confirmed_transcript_hash: old.confirmed_transcript_hash.clone(),
            extensions: self.extensions.clone(),
        })
    }

    /// The outcome of a commit without a path (§12.4.2: "If the `path` value is not
    /// populated, define `commit_secret` as the all-zero vector of length `KDF.Nh`").
    pub fn without_path(&self, suite: &CipherSuite) -> PathOutcome {
        PathOutcome {
            tree: self.tree.clone(),
            private_keys: self.private_keys.clone(),
            commit_secret: Secret::zero(suite.hash_len()),
        }
    }
}

/// What a commit's path (or its absence) gives one member: the tree of the next epoch,
/// that member's private keys in it, and the `commit_secret`.
#[derive(Debug, Clone)]
pub struct PathOutcome {
    /// The ratchet tree of the next epoch.
    pub tree: RatchetTree,
    /// Our HPKE private keys in that tree.
    pub private_keys: PrivateKeys,
    /// `commit_secret` (§12.4.1): the path secret after the root's, or zeros without a
    /// path.
    pub commit_secret: Secret,
}

/// The keys and hashes of the next epoch (§8, §8.2), before they are put into a
/// [`Group`].
#[derive(Debug, Clone)]
pub struct EpochKeys {
    /// The GroupContext of the next epoch, with its confirmed transcript hash.
    pub context: GroupContext,
    /// The secrets of the next epoch.
    pub secrets: EpochSecrets,
    /// `MAC(confirmation_key, confirmed_transcript_hash)` (§6.1).
    pub confirmation_tag: Vec<u8>,
    /// `Hash(confirmed_transcript_hash || InterimTranscriptHashInput)` (§8.2).
    pub interim_transcript_hash: Vec<u8>,
}

/// The transcript hashes, key schedule and confirmation tag of the epoch a commit
/// starts (§12.4.1, §12.4.2):
///
/// - "Use the FramedContent to update the confirmed transcript hash and update the new
///   GroupContext": `provisional` (see [`Provisional::group_context`]) gets the
///   confirmed transcript hash of `commit` over `interim_before`;
/// - "Use the `init_secret` from the previous epoch, the `commit_secret` and
///   `psk_secret` ..., and the new GroupContext to compute the new `joiner_secret`,
///   `welcome_secret`, `epoch_secret`, and derived secrets for the new epoch";
/// - "Use the `confirmation_key` for the new epoch to compute the `confirmation_tag`";
/// - "Calculate the interim transcript hash using the new confirmed transcript hash and
///   the `confirmation_tag`."
///
/// `commit` must be signed; any confirmation tag it carries is ignored (the committer
/// has none yet, a receiver compares its own with the returned one).
pub fn derive_epoch(
    suite: &CipherSuite,
    provisional: GroupContext,
    interim_before: &[u8],
    commit: &AuthenticatedContent,
    init_secret: &Secret,
    commit_secret: &Secret,
    psk_secret: &Secret,
) -> Result<EpochKeys> {
    let mut context = provisional;
    context.confirmed_transcript_hash = confirmed_transcript_hash(suite, interim_before, commit)?;
    let secrets = EpochSecrets::derive(
        suite,
        init_secret,
        commit_secret,
        psk_secret,
        &context.to_bytes(),
    )?;
    let tag = confirmation_tag(
        suite,
        secrets.confirmation_key.as_bytes(),
        &context.confirmed_transcript_hash,
    );
    let interim = interim_transcript_hash(suite, &context.confirmed_transcript_hash, &tag);
    Ok(EpochKeys {
        context,
        secrets,
        confirmation_tag: tag,
        interim_transcript_hash: interim,
    })
}

/// The next epoch's [`Group`] and the confirmation tag of the commit that starts it.
#[derive(Debug, Clone)]
pub struct NextEpoch {
    /// The group in the next epoch.
    pub group: Group,
    /// The commit's confirmation tag: the committer sets it in the commit, a receiver
    /// checks it against the commit's.
    pub confirmation_tag: Vec<u8>,
}

impl Group {
    /// Validates a commit's proposals (§12.2) and applies them in the order of §12.3
    /// (see [`apply_proposals`]), then carries our private keys over: keys of nodes the
    /// proposals blanked are dropped, and an Update of ours that the commit applies
    /// installs its leaf key. `self` is not changed.
    pub fn apply_proposals(
        &self,
        committer: Sender,
        proposals: &[CommittedProposal],
        lifetime: LifetimeCheck<'_>,
    ) -> Result<Provisional> {
        let mut provisional = apply_proposals(
            &self.suite,
            &self.context,
            &self.tree,
            committer,
            proposals,
            lifetime,
        )?;
        provisional.private_keys = self.keys_after_proposals(&provisional, proposals);
        Ok(provisional)
    }

    /// Our private keys for the provisional tree.
    fn keys_after_proposals(
        &self,
        provisional: &Provisional,
        proposals: &[CommittedProposal],
    ) -> PrivateKeys {
        let mut keys = PrivateKeys::new();
        for node in self.private_keys.nodes() {
            if let Some(key) = self.private_keys.get(node)
                && !provisional.tree.is_blank(node)
            {
                keys.insert(node, key.clone());
            }
        }
        if let Some(key) = self.own_update_key(proposals)
            && let Some(node) = self.own_leaf.to_node()
        {
            keys.insert(node, key);
        }
        keys
    }

    /// The leaf private key of an Update we sent that `proposals` commit, if any.
    fn own_update_key(&self, proposals: &[CommittedProposal]) -> Option<HpkePrivateKey> {
        proposals
            .iter()
            .filter(|p| p.sender == Sender::Member(self.own_leaf))
            .filter_map(|p| p.reference.as_ref())
            .filter_map(|r| self.proposals.get(r))
            .find_map(|cached| cached.own_update_key.clone())
    }

    /// The `init_secret` the next epoch starts from: this epoch's, or for an external
    /// commit the one exported from its ExternalInit with the group's external key pair
    /// (§8.3).
    fn init_secret_for(&self, provisional: &Provisional) -> Result<Secret> {
        match &provisional.external_init {
            None => Ok(self.secrets.init_secret.clone()),
            Some(kem_output) => {
                let (external_private, _) = self.secrets.external_key_pair(&self.suite)?;
                external_init_receiver(&self.suite, &external_private, kem_output)
            }
        }
    }

    /// The next epoch's group (§12.4.1, §12.4.2): [`derive_epoch`] over the
    /// provisional GroupContext of `path.tree`, with this epoch's interim transcript hash
    /// and `init_secret` (or the external one), then the new state: our keys from `path`,
    /// a fresh secret tree, an empty proposal cache, this epoch's resumption PSK and
    /// secret tree retained as the configuration allows.
    ///
    /// `commit` is the signed commit. Fails with [`Error::Misuse`] if the commit removes
    /// us (there is no next epoch for us). `self` is not changed.
    pub fn next_epoch(
        &self,
        provisional: &Provisional,
        path: PathOutcome,
        psk_secret: &Secret,
        commit: &AuthenticatedContent,
    ) -> Result<NextEpoch> {
        if provisional.removes(self.own_leaf) {
            return Err(Error::Misuse(
                "a commit that removes this member has no next epoch for it",
            ));
        }
        let context = provisional.group_context(&self.suite, &self.context, &path.tree)?;
        let init_secret = self.init_secret_for(provisional)?;
        let keys = derive_epoch(
            &self.suite,
            context,
            &self.interim_transcript_hash,
            commit,
            &init_secret,
            &path.commit_secret,
            psk_secret,
        )?;
        let mut group = Group::from_parts(GroupParts {
            context: keys.context,
            tree: path.tree,
            own_leaf: self.own_leaf,
            signer: self.signer.clone(),
            private_keys: path.private_keys,
            secrets: keys.secrets,
            interim_transcript_hash: keys.interim_transcript_hash,
            confirmation_tag: keys.confirmation_tag.clone(),
            config: self.config,
        })?;
        group.resumption_psks = self.retained_resumption_psks();
        group.past_epochs = self.retained_past_epochs();
        Ok(NextEpoch {
            group,
            confirmation_tag: keys.confirmation_tag,
        })
    }

    /// The resumption PSKs to carry into the next epoch: the retained ones and this
    /// epoch's, the newest `config.resumption_psks` of them.
    fn retained_resumption_psks(&self) -> BTreeMap<u64, Secret> {
        let mut psks = self.resumption_psks.clone();
        psks.insert(self.context.epoch, self.secrets.resumption_psk.clone());
        while psks.len() > self.config.resumption_psks {
            psks.pop_first();
        }
        psks
    }

    /// The past epochs to carry into the next epoch: the retained ones and this one, the
    /// newest `config.past_epochs` of them.
    fn retained_past_epochs(&self) -> std::collections::VecDeque<PastEpoch> {
        let mut past = self.past_epochs.clone();
        past.push_back(PastEpoch {
            context: self.context.clone(),
            secret_tree: self.secret_tree.clone(),
            sender_data_secret: self.secrets.sender_data_secret.clone(),
            signature_keys: self
                .tree
                .members()
                .map(|(leaf, node)| (leaf, node.signature_key.clone()))
                .collect(),
        });
        while past.len() > self.config.past_epochs {
            past.pop_front();
        }
        past
    }
}
