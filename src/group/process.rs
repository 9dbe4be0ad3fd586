//! Processing a received message (RFC 9420 §6, §12.1, §12.4.2).
//!
//! [`Group::process`] takes an MLSMessage carrying a PublicMessage or PrivateMessage and
//! returns what it was together with the group state to keep:
//!
//! - an application message: its plaintext; the returned group has the message key
//!   deleted (§9.2). Application messages of a retained past epoch decrypt too.
//! - a proposal: its reference; the returned group has it cached until the next
//!   commit.
//! - a commit: the next epoch's group, after every step of §12.4.2.
//! - a commit that removes us: [`Processed::Removed`]; the returned group is the
//!   current epoch unchanged, useful only to read late messages of that epoch.
//!
//! A message that fails any check returns an error and no group: the caller keeps the
//! one it had, unchanged.
//!
//! [`Group::process`] is two steps that a caller with rules of its own can take apart:
//! [`Group::unprotect`] authenticates a message of the current epoch, and
//! [`Unprotected::process`] acts on it. In between, [`Unprotected::committed_proposals`]
//! shows a commit's proposals resolved, the same whatever the wire format and whether
//! they came by value or by reference.

use subtle::ConstantTimeEq;

use crate::clock::Clock;
use crate::codec::Codec;
use crate::crypto::SignaturePublicKey;
use crate::error::{Error, Result};
use crate::framing::{FramedMessage, FramingViolation, unprotect_private, unprotect_public};
use crate::messages::{
    AuthenticatedContent, Commit, Content, ContentType, FramedContent, MlsMessage, PrivateMessage,
    Proposal, ProposalOrRef, ProposalRef, PublicMessage, Sender,
};
use crate::ratchet_tree::{LeafNodeContext, LeafRules, RequiredCapabilities};
use crate::tree_math::LeafIndex;
use crate::treekem::apply_update_path;

use super::external_senders::external_senders;
use super::next_epoch::{CommittedProposal, PathOutcome, Provisional};
use super::proposals::check_member_capabilities;
use super::psks::PskLookup;
use super::state::{CachedProposal, Group};
use super::violation::GroupViolation;

/// The label of a proposal reference (§5.2), used verbatim by `RefHash`.
const PROPOSAL_REF_LABEL: &[u8] = b"MLS 1.0 Proposal Reference";

/// A decrypted application message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationMessage {
    /// The sender's leaf.
    pub sender: LeafIndex,
    /// The epoch it was sent in.
    pub epoch: u64,
    /// The application data.
    pub data: Vec<u8>,
    /// The `authenticated_data` sent with it, authenticated but not encrypted.
    pub authenticated_data: Vec<u8>,
}

impl ApplicationMessage {
    /// The application message `content` carries, if it is application data from a
    /// member.
    fn of(content: &AuthenticatedContent) -> Option<ApplicationMessage> {
        let (Sender::Member(sender), Content::Application(data)) =
            (content.content.sender, &content.content.content)
        else {
            return None;
        };
        Some(ApplicationMessage {
            sender,
            epoch: content.content.epoch,
            data: data.clone(),
            authenticated_data: content.content.authenticated_data.clone(),
        })
    }
}

/// A proposal received and cached for a later commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedProposal {
    /// Its reference, by which a commit can cover it.
    pub reference: ProposalRef,
    /// The proposal.
    pub proposal: Proposal,
    /// Who sent it.
    pub sender: Sender,
}

/// What a processed commit changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitSummary {
    /// Who committed.
    pub committer: Sender,
    /// The committer's leaf in the new epoch (for an external commit, the joiner's).
    pub committer_leaf: LeafIndex,
    /// The epoch the commit starts.
    pub epoch: u64,
    /// The leaves of the members added.
    pub added: Vec<LeafIndex>,
    /// The leaves removed.
    pub removed: Vec<LeafIndex>,
    /// The leaves updated by Update proposals.
    pub updated: Vec<LeafIndex>,
    /// How many PSKs were injected.
    pub psks: usize,
    /// Whether the commit carried a path.
    pub has_path: bool,
}

/// What a received message was.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one value per received message; boxing would only add noise"
)]
pub enum Processed {
    /// Application data.
    Application(ApplicationMessage),
    /// A proposal, now cached.
    Proposal(ReceivedProposal),
    /// A commit: the returned group is the next epoch.
    Commit(CommitSummary),
    /// A valid commit that removes us (§12.4.2: "clients need to be prepared to receive
    /// a valid Commit message that removes them from the group"). We cannot follow the
    /// group any further: the returned group is the current epoch, unchanged.
    Removed(CommitSummary),
}

/// A message of the current epoch, unprotected and authenticated by
/// [`Group::unprotect`] but not yet acted on.
#[derive(Debug, Clone)]
pub struct Unprotected {
    /// The message's content and its authentication data.
    content: AuthenticatedContent,
    /// The group to continue from: the one it was received in, with a PrivateMessage's
    /// key deleted from its secret tree (§9.2).
    next: Group,
}

impl Unprotected {
    /// The authenticated content.
    pub fn content(&self) -> &AuthenticatedContent {
        &self.content
    }

    /// For a commit, the proposals it covers, resolved (§12.4: by value, or by reference
    /// from the proposal cache), whatever the wire format; `None` for any other content.
    /// Fails with [`GroupViolation::CommitFromSelf`] for a commit from our own leaf and
    /// [`GroupViolation::UnknownProposalReference`] for a reference not cached. These are
    /// the proposals [`Self::process`] validates and applies.
    pub fn committed_proposals(&self) -> Result<Option<Vec<CommittedProposal>>> {
        match &self.content.content.content {
            Content::Commit(commit) => self
                .next
                .commit_proposals(self.content.content.sender, commit)
                .map(Some),
            _ => Ok(None),
        }
    }

    /// Takes the remaining steps for the message (§12.4.2 for a commit) and returns what
    /// it was and the group to keep; see [`Group::process`].
    pub fn process(self, psks: PskLookup<'_>, clock: &dyn Clock) -> Result<(Processed, Group)> {
        let Unprotected { content, mut next } = self;
        match &content.content.content {
            Content::Application(_) => {
                let message = ApplicationMessage::of(&content)
                    .ok_or(Error::Misuse("framing admits member application data only"))?;
                Ok((Processed::Application(message), next))
            }
            Content::Proposal(proposal) => {
                let received = ReceivedProposal {
                    reference: next.proposal_ref(&content),
                    proposal: proposal.clone(),
                    sender: content.content.sender,
                };
                next.proposals.insert(CachedProposal {
                    reference: received.reference.clone(),
                    proposal: received.proposal.clone(),
                    sender: received.sender,
                    own_update_key: None,
                });
                Ok((Processed::Proposal(received), next))
            }
            // `next`: a PrivateMessage commit's handshake key stays deleted in the
            // epoch kept for late messages.
            Content::Commit(commit) => next.process_commit(&content, commit, psks, clock),
        }
    }
}

impl Group {
    /// `RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent)` of a proposal's
    /// message (§5.2).
    pub fn proposal_ref(&self, content: &AuthenticatedContent) -> ProposalRef {
        ProposalRef(self.suite.ref_hash(PROPOSAL_REF_LABEL, &content.to_bytes()))
    }

    /// Processes one received message (§6, §12.4.2). `psks` supplies the external PSKs
    /// (and resumption PSKs of other groups) a commit names; `clock` is read if the
    /// configuration checks lifetimes. Returns what the message was and the group to
    /// keep; on any failure returns an error and `self` stays as it was.
    ///
    /// Messages of our own (a commit we sent) are not processed here: the committer
    /// already holds the epoch it made.
    ///
    /// The same as [`Group::unprotect`] then [`Unprotected::process`], except that an
    /// application message of a retained past epoch is read too.
    pub fn process(
        &self,
        message: &MlsMessage,
        psks: PskLookup<'_>,
        clock: &dyn Clock,
    ) -> Result<(Processed, Group)> {
        if let Some(FramedMessage::Private(m)) = FramedMessage::of(message)
            && m.group_id == self.group_id()
            && m.epoch != self.epoch()
            && m.content_type == ContentType::APPLICATION
        {
            return self.process_past_application(m);
        }
        self.unprotect(message)?.process(psks, clock)
    }

    /// Unprotects a message of this epoch (§6.2, §6.3): checks its group and epoch,
    /// then its membership tag and signature, or decrypts it and verifies its signature.
    /// Nothing is acted on yet: a caller with rules of its own can look at what the
    /// message carries ([`Unprotected::committed_proposals`]) before
    /// [`Unprotected::process`] takes the remaining steps. `self` is not changed.
    pub fn unprotect(&self, message: &MlsMessage) -> Result<Unprotected> {
        let framed = FramedMessage::of(message).ok_or(Error::Misuse(
            "a group processes PublicMessages and PrivateMessages only",
        ))?;
        if framed.group_id() != self.group_id() {
            return Err(FramingViolation::GroupIdMismatch.into());
        }
        if framed.epoch() != self.epoch() {
            return Err(self.wrong_epoch(framed.epoch(), framed.content_type()));
        }
        let mut next = self.clone();
        let content = match framed {
            FramedMessage::Public(m) => self.unprotect_public_message(m)?,
            FramedMessage::Private(m) => next.unprotect_private_message(m)?,
        };
        Ok(Unprotected { content, next })
    }

    /// The error for a message of another epoch than ours.
    fn wrong_epoch(&self, epoch: u64, content: ContentType) -> Error {
        GroupViolation::WrongEpoch {
            epoch,
            current: self.epoch(),
            content,
        }
        .into()
    }

    /// The signature key of a PublicMessage's sender (§6.1): a member's leaf, an
    /// `external_senders` entry, the KeyPackage of a `new_member_proposal`'s Add, or the
    /// LeafNode of a `new_member_commit`'s path.
    fn sender_signature_key(&self, content: &FramedContent) -> Result<SignaturePublicKey> {
        match (content.sender, &content.content) {
            (Sender::Member(leaf), _) => self
                .tree
                .leaf(leaf)
                .map(|l| l.signature_key.clone())
                .ok_or_else(|| GroupViolation::SenderNotMember { leaf }.into()),
            (Sender::External(index), _) => external_senders(&self.context.extensions)?
                .get(index as usize)
                .map(|s| s.signature_key.clone())
                .ok_or_else(|| GroupViolation::UnknownExternalSender { index }.into()),
            (Sender::NewMemberProposal, Content::Proposal(Proposal::Add(add))) => {
                Ok(add.key_package.leaf_node.signature_key.clone())
            }
            (
                Sender::NewMemberCommit,
                Content::Commit(Commit {
                    path: Some(path), ..
                }),
            ) => Ok(path.leaf_node.signature_key.clone()),
            (Sender::NewMemberCommit, Content::Commit(_)) => {
                Err(GroupViolation::PathRequired.into())
            }
            (sender, _) => Err(FramingViolation::UnknownSender { sender }.into()),
        }
    }

    /// Unprotects a PublicMessage of this epoch (§6.2): membership tag, content rules,
    /// signature.
    fn unprotect_public_message(&self, message: &PublicMessage) -> Result<AuthenticatedContent> {
        let key = self.sender_signature_key(&message.content)?;
        unprotect_public(
            &self.suite,
            message,
            &self.context,
            Some(&self.secrets.membership_key),
            |_| Some(key),
        )
    }

    /// Unprotects a PrivateMessage of this epoch (§6.3), deleting its key from this
    /// group's secret tree (the caller's copy) on success.
    fn unprotect_private_message(
        &mut self,
        message: &PrivateMessage,
    ) -> Result<AuthenticatedContent> {
        let tree = &self.tree;
        unprotect_private(
            &self.suite,
            message,
            &self.context,
            &mut self.secret_tree,
            &self.secrets.sender_data_secret,
            |leaf| tree.leaf(leaf).map(|l| l.signature_key.clone()),
        )
    }

    /// An application message of a retained past epoch (§9.2: keys are kept "for a
    /// short time to decrypt late messages in the previous epoch").
    fn process_past_application(&self, message: &PrivateMessage) -> Result<(Processed, Group)> {
        let mut next = self.clone();
        let past = next
            .past_epochs
            .iter_mut()
            .find(|p| p.context.epoch == message.epoch)
            .ok_or_else(|| self.wrong_epoch(message.epoch, message.content_type))?;
        let keys = &past.signature_keys;
        let content = unprotect_private(
            &self.suite,
            message,
            &past.context,
            &mut past.secret_tree,
            &past.sender_data_secret,
            |leaf| keys.get(&leaf).cloned(),
        )?;
        let message = ApplicationMessage::of(&content)
            .ok_or_else(|| self.wrong_epoch(message.epoch, message.content_type))?;
        Ok((Processed::Application(message), next))
    }

    /// The proposals a commit from `committer` covers, by value or from the cache
    /// (§12.4: "Proposals sent by reference are specified by including the hash of the
    /// AuthenticatedContent object in which the proposal was sent"). A commit of our own
    /// is refused first: we hold the epoch we made.
    fn commit_proposals(
        &self,
        committer: Sender,
        commit: &Commit,
    ) -> Result<Vec<CommittedProposal>> {
        if committer == Sender::Member(self.own_leaf) {
            return Err(GroupViolation::CommitFromSelf.into());
        }
        commit
            .proposals
            .iter()
            .map(|p| match p {
                ProposalOrRef::Proposal(proposal) => Ok(CommittedProposal {
                    proposal: proposal.clone(),
                    sender: committer,
                    reference: None,
                }),
                ProposalOrRef::Reference(reference) => {
                    let cached = self
                        .proposals
                        .get(reference)
                        .ok_or(GroupViolation::UnknownProposalReference)?;
                    Ok(CommittedProposal {
                        proposal: cached.proposal.clone(),
                        sender: cached.sender,
                        reference: Some(reference.clone()),
                    })
                }
            })
            .collect()
    }

    /// Every step of §12.4.2 after the message is unprotected and its signature
    /// verified.
    fn process_commit(
        &self,
        content: &AuthenticatedContent,
        commit: &Commit,
        psks: PskLookup<'_>,
        clock: &dyn Clock,
    ) -> Result<(Processed, Group)> {
        let committer = content.content.sender;
        let proposals = self.commit_proposals(committer, commit)?;
        let lifetime = self.config.lifetime_check(clock);
        let provisional = self.apply_proposals(committer, &proposals, lifetime)?;
        if provisional.reinit.is_some() {
            return Err(GroupViolation::ReInitNotSupported.into());
        }
        check_path_present(&provisional, commit)?;
        let psk_secret = self.psk_secret(&provisional.psks, psks)?;
        if let Some(path) = &commit.path {
            self.validate_path_leaf(&provisional, &path.leaf_node, lifetime)?;
        }

        let summary = |epoch| CommitSummary {
            committer,
            committer_leaf: provisional.committer,
            epoch,
            added: provisional.added_leaves(),
            removed: provisional.removed.clone(),
            updated: provisional.updated.clone(),
            psks: provisional.psks.len(),
            has_path: commit.path.is_some(),
        };
        let next_epoch_number = self.epoch().saturating_add(1);
        if provisional.removes(self.own_leaf) {
            if let Some(path) = &commit.path {
                crate::treekem::merge_update_path(
                    &self.suite,
                    &provisional.tree,
                    provisional.committer,
                    path,
                    &provisional.added_leaves(),
                )?;
            }
            return Ok((Processed::Removed(summary(next_epoch_number)), self.clone()));
        }

        let outcome = match &commit.path {
            Some(path) => {
                let context =
                    provisional.group_context(&self.suite, &self.context, &provisional.tree)?;
                let applied = apply_update_path(
                    &self.suite,
                    &provisional.tree,
                    provisional.committer,
                    path,
                    &context,
                    &provisional.added_leaves(),
                    self.own_leaf,
                    &provisional.private_keys,
                )?;
                PathOutcome {
                    tree: applied.tree,
                    private_keys: applied.private_keys,
                    commit_secret: applied.commit_secret,
                }
            }
            None => provisional.without_path(&self.suite),
        };
        let next = self.next_epoch(&provisional, outcome, &psk_secret, content)?;
        check_confirmation_tag(content, &next.confirmation_tag)?;
        Ok((Processed::Commit(summary(next.group.epoch())), next.group))
    }

    /// §12.4.2: "Validate the LeafNode as specified in Section 7.3. The
    /// `leaf_node_source` field MUST be set to `commit`", against the tree after the
    /// proposals, with the new GroupContext extensions' required capabilities; this
    /// includes "Verify that the `encryption_key` value in the LeafNode is different
    /// from the committer's current leaf node." The leaf must also support the group's
    /// extensions (§13.4), which matters for an external joiner's new leaf.
    fn validate_path_leaf(
        &self,
        provisional: &Provisional,
        leaf: &crate::messages::LeafNode,
        lifetime: crate::clock::LifetimeCheck<'_>,
    ) -> Result<()> {
        let required = RequiredCapabilities::from_extensions(&provisional.extensions)?;
        let rules = LeafRules {
            required_capabilities: required.as_ref(),
            lifetime,
        };
        let context = LeafNodeContext::Commit {
            group_id: &self.context.group_id,
            leaf_index: provisional.committer,
        };
        provisional
            .tree
            .validate_new_leaf(&self.suite, leaf, &context, &rules)?;
        check_member_capabilities(
            provisional.committer,
            leaf,
            &provisional.extensions,
            required.as_ref(),
        )
    }
}

/// §12.4.2: "Verify that the `path` value is populated if the `proposals` vector
/// contains any Update or Remove proposals, or if it's empty" (with the path-required
/// types of §12.4, and always for an external commit, §12.4.3.2).
fn check_path_present(provisional: &Provisional, commit: &Commit) -> Result<()> {
    if provisional.path_required && commit.path.is_none() {
        return Err(GroupViolation::PathRequired.into());
    }
    Ok(())
}

/// §12.4.2: "Use the `confirmation_key` for the new epoch to compute the confirmation
/// tag for this message ... and verify that it is the same as the `confirmation_tag`
/// field in the FramedContentAuthData object." Compared in constant time.
fn check_confirmation_tag(content: &AuthenticatedContent, expected: &[u8]) -> Result<()> {
    let got = content.auth.confirmation_tag.as_deref().unwrap_or_default();
    if got.len() == expected.len() && bool::from(got.ct_eq(expected)) {
        Ok(())
    } else {
        Err(GroupViolation::ConfirmationTagMismatch.into())
    }
}
