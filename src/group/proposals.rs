//! Validating a commit's list of proposals (RFC 9420 §12.1, §12.2) and applying it to
//! the ratchet tree and GroupContext (§12.3).
//!
//! Each rule is one small `check_*` function returning the [`GroupViolation`] (or, for
//! a rule on a LeafNode or the tree, the [`crate::ratchet_tree::TreeViolation`]) that
//! names it. The list checks run first, then the proposals are applied to a copy of the
//! tree, in the order of §12.3:
//!
//! > * If there is a GroupContextExtensions proposal, replace the `extensions` field of
//! >   the GroupContext for the group with the contents of the proposal. The new
//! >   `extensions` MUST be used when evaluating other proposals in this list.
//! > * Apply any Update proposals to the ratchet tree, in any order.
//! > * Apply any Remove proposals to the ratchet tree, in any order.
//! > * Apply any Add proposals to the ratchet tree, in the order they appear in the list.
//! > * Look up the PSK secrets for any PreSharedKey proposals, in the order they appear
//! >   in the list.
//! > * If there is an ExternalInit proposal, use it to derive the `init_secret` for use
//! >   later in Commit processing.
//! > * If there is a ReInit proposal, note its parameters for application later in
//! >   Commit processing.
//!
//! Each LeafNode (of an Update or an Add's KeyPackage) is validated (§7.3) against the
//! tree as it stands when it is applied, so the tree after the commit holds only valid
//! leaves (§12.2: "After processing the Commit the ratchet tree is invalid" is a reason
//! to reject it).

use std::collections::{BTreeMap, BTreeSet};

use crate::clock::LifetimeCheck;
use crate::codec::Codec;
use crate::crypto::CipherSuite;
use crate::error::{Error, Result};
use crate::messages::extensions::{Extension, check_unique};
use crate::messages::group_context::GroupContext;
use crate::messages::{
    CipherSuiteId, KeyPackage, LeafNode, PreSharedKeyId, Proposal, ProposalType, ProtocolVersion,
    PskSource, ResumptionPskUsage, Sender,
};
use crate::ratchet_tree::{
    Capability, LeafNodeContext, LeafRules, RatchetTree, RequiredCapabilities, TreeViolation,
    check_leaf_node_contents, verify_leaf_signature,
};
use crate::tree_math::LeafIndex;
use crate::treekem::PrivateKeys;

use super::next_epoch::{CommittedProposal, Provisional};
use super::violation::GroupViolation;

/// The proposal types whose presence makes a commit's path mandatory (§12.4):
///
/// ```text
/// pathRequiredTypes = [
///     update,
///     remove,
///     external_init,
///     group_context_extensions
/// ]
/// ```
const PATH_REQUIRED_TYPES: [ProposalType; 4] = [
    ProposalType::UPDATE,
    ProposalType::REMOVE,
    ProposalType::EXTERNAL_INIT,
    ProposalType::GROUP_CONTEXT_EXTENSIONS,
];

/// Validates the proposals a commit covers and applies them to `tree` and the
/// extensions of `context`, for the committer `committer` (§12.2, §12.3). Returns the
/// [`Provisional`] next epoch, without our private keys (see
/// [`crate::group::Group::apply_proposals`]). Nothing given is changed.
///
/// `committer` is `Sender::Member` for a regular commit and `Sender::NewMemberCommit`
/// for an external one; any other sender cannot commit.
pub fn apply_proposals(
    suite: &CipherSuite,
    context: &GroupContext,
    tree: &RatchetTree,
    committer: Sender,
    proposals: &[CommittedProposal],
    lifetime: LifetimeCheck<'_>,
) -> Result<Provisional> {
    let external = match committer {
        Sender::Member(leaf) => {
            check_regular_list(tree, leaf, proposals)?;
            false
        }
        Sender::NewMemberCommit => {
            check_external_list(proposals)?;
            true
        }
        Sender::External(_) | Sender::NewMemberProposal => {
            return Err(Error::Misuse(
                "only a member or a new member (external commit) can commit",
            ));
        }
    };
    check_unique_psks(proposals)?;
    // §12.3: "The new `extensions` MUST be used when evaluating other proposals in this
    // list."
    let extensions = extensions_after(context, proposals)?;
    let required = RequiredCapabilities::from_extensions(&extensions)?;
    let rules = LeafRules {
        required_capabilities: required.as_ref(),
        lifetime,
    };
    for p in proposals {
        check_proposal(suite, context, &p.proposal, &rules)?;
    }

    let mut next = Provisional {
        committer: LeafIndex(0),
        external,
        tree: tree.clone(),
        extensions,
        psks: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
        updated: Vec::new(),
        path_required: external || proposals.is_empty(),
        external_init: None,
        reinit: None,
        private_keys: PrivateKeys::new(),
    };
    for p in proposals {
        next.path_required |= PATH_REQUIRED_TYPES.contains(&p.proposal.proposal_type());
    }

    // §12.3, in order: GroupContextExtensions (above), Update, Remove, Add,
    // PreSharedKey, ExternalInit, ReInit.
    for p in proposals {
        if let Proposal::Update(update) = &p.proposal {
            let Sender::Member(sender) = p.sender else {
                return Err(GroupViolation::UpdateFromNonMember {
                    sender_type: p.sender.sender_type(),
                }
                .into());
            };
            apply_update(suite, context, &mut next, sender, &update.leaf_node, &rules)?;
        }
    }
    for p in proposals {
        if let Proposal::Remove(remove) = &p.proposal {
            check_removed_leaf_is_member(&next.tree, remove.removed)?;
            next.tree.remove_leaf(remove.removed)?;
            next.removed.push(remove.removed);
        }
    }
    for p in proposals {
        if let Proposal::Add(add) = &p.proposal {
            apply_add(&mut next, &add.key_package)?;
        }
    }
    for p in proposals {
        match &p.proposal {
            Proposal::PreSharedKey(psk) => next.psks.push(psk.psk.clone()),
            Proposal::ExternalInit(init) => next.external_init = Some(init.kem_output.clone()),
            Proposal::ReInit(reinit) => next.reinit = Some(reinit.clone()),
            _ => {}
        }
    }

    check_capabilities_after_commit(&next.tree, &next.extensions, required.as_ref())?;
    next.committer = match committer {
        Sender::Member(leaf) => leaf,
        _ => leaf_for_external_joiner(&mut next.tree)?,
    };
    Ok(next)
}

/// The GroupContext extensions after the list's GroupContextExtensions proposal, if it
/// has one (§12.3: "replace the `extensions` field of the GroupContext for the group with
/// the contents of the proposal"), checked for repeated types (§13.4).
fn extensions_after(
    context: &GroupContext,
    proposals: &[CommittedProposal],
) -> Result<Vec<Extension>> {
    let mut extensions = context.extensions.clone();
    for p in proposals {
        if let Proposal::GroupContextExtensions(gce) = &p.proposal {
            check_unique(&gce.extensions)?;
            extensions = gce.extensions.clone();
        }
    }
    Ok(extensions)
}

// --- The list of a regular commit (§12.2) ---

/// The rules of §12.2 on the list of a regular (member's) commit.
fn check_regular_list(
    tree: &RatchetTree,
    committer: LeafIndex,
    proposals: &[CommittedProposal],
) -> Result<()> {
    check_no_external_init(proposals)?;
    check_reinit_alone(proposals)?;
    check_at_most_one_group_context_extensions(proposals)?;
    check_no_update_from_committer(committer, proposals)?;
    check_committer_not_removed(committer, proposals)?;
    check_one_change_per_leaf(proposals)?;
    check_adds_are_distinct(proposals)?;
    check_adds_are_new_clients(tree, proposals)?;
    check_proposal_types_supported(tree, proposals)?;
    Ok(())
}

/// §12.2: the list is invalid if "It contains an ExternalInit proposal."
fn check_no_external_init(proposals: &[CommittedProposal]) -> Result<()> {
    if proposals
        .iter()
        .any(|p| matches!(p.proposal, Proposal::ExternalInit(_)))
    {
        return Err(GroupViolation::ExternalInitInMemberCommit.into());
    }
    Ok(())
}

/// §12.2: "It contains a ReInit proposal together with any other proposal."
fn check_reinit_alone(proposals: &[CommittedProposal]) -> Result<()> {
    let has_reinit = proposals
        .iter()
        .any(|p| matches!(p.proposal, Proposal::ReInit(_)));
    if has_reinit && proposals.len() > 1 {
        return Err(GroupViolation::ReInitWithOtherProposals.into());
    }
    Ok(())
}

/// §12.2: "It contains multiple GroupContextExtensions proposals."
fn check_at_most_one_group_context_extensions(proposals: &[CommittedProposal]) -> Result<()> {
    let count = proposals
        .iter()
        .filter(|p| matches!(p.proposal, Proposal::GroupContextExtensions(_)))
        .count();
    if count > 1 {
        return Err(GroupViolation::SeveralGroupContextExtensions.into());
    }
    Ok(())
}

/// §12.2: "It contains an Update proposal generated by the committer."
fn check_no_update_from_committer(
    committer: LeafIndex,
    proposals: &[CommittedProposal],
) -> Result<()> {
    if proposals
        .iter()
        .any(|p| matches!(p.proposal, Proposal::Update(_)) && p.sender == Sender::Member(committer))
    {
        return Err(GroupViolation::UpdateFromCommitter.into());
    }
    Ok(())
}

/// §12.2: "It contains a Remove proposal that removes the committer."
fn check_committer_not_removed(
    committer: LeafIndex,
    proposals: &[CommittedProposal],
) -> Result<()> {
    if proposals
        .iter()
        .any(|p| matches!(&p.proposal, Proposal::Remove(r) if r.removed == committer))
    {
        return Err(GroupViolation::RemovesCommitter.into());
    }
    Ok(())
}

/// §12.2: "It contains multiple Update and/or Remove proposals that apply to the same
/// leaf."
fn check_one_change_per_leaf(proposals: &[CommittedProposal]) -> Result<()> {
    let mut changed = BTreeSet::new();
    for p in proposals {
        let leaf = match (&p.proposal, p.sender) {
            (Proposal::Remove(r), _) => r.removed,
            (Proposal::Update(_), Sender::Member(sender)) => sender,
            _ => continue,
        };
        if !changed.insert(leaf) {
            return Err(GroupViolation::SeveralChangesToOneLeaf { leaf }.into());
        }
    }
    Ok(())
}

/// The KeyPackages of the Add proposals of a list.
fn added_key_packages(proposals: &[CommittedProposal]) -> impl Iterator<Item = &KeyPackage> {
    proposals.iter().filter_map(|p| match &p.proposal {
        Proposal::Add(add) => Some(&add.key_package),
        _ => None,
    })
}

/// §12.2: "It contains multiple Add proposals that contain KeyPackages that represent
/// the same client according to the application (for example, identical signature
/// keys)." Identical signature keys are what this implementation compares.
fn check_adds_are_distinct(proposals: &[CommittedProposal]) -> Result<()> {
    let mut keys = BTreeSet::new();
    for kp in added_key_packages(proposals) {
        if !keys.insert(&kp.leaf_node.signature_key.0) {
            return Err(GroupViolation::DuplicateAdd.into());
        }
    }
    Ok(())
}

/// §12.2: "It contains an Add proposal with a KeyPackage that represents a client
/// already in the group according to the application, unless there is a Remove proposal
/// in the list removing the matching client from the group." Same client = same
/// signature key.
fn check_adds_are_new_clients(tree: &RatchetTree, proposals: &[CommittedProposal]) -> Result<()> {
    let removed = removed_leaves(proposals);
    let members: BTreeMap<&[u8], LeafIndex> = tree
        .members()
        .map(|(index, leaf)| (&leaf.signature_key.0[..], index))
        .collect();
    for kp in added_key_packages(proposals) {
        if let Some(&member) = members.get(&kp.leaf_node.signature_key.0[..])
            && !removed.contains(&member)
        {
            return Err(GroupViolation::AddOfExistingMember { member }.into());
        }
    }
    Ok(())
}

/// The leaves the Remove proposals of a list remove.
fn removed_leaves(proposals: &[CommittedProposal]) -> BTreeSet<LeafIndex> {
    proposals
        .iter()
        .filter_map(|p| match &p.proposal {
            Proposal::Remove(r) => Some(r.removed),
            _ => None,
        })
        .collect()
}

/// The proposal types RFC 9420 defines, which every client supports (§7.2: they "MUST
/// NOT be listed" in capabilities).
fn is_default_proposal_type(t: ProposalType) -> bool {
    (1..=7).contains(&t.0)
}

/// §12.2: "It contains a Proposal with a non-default proposal type that is not
/// supported by some members of the group that will process the Commit (i.e., members
/// being added or removed by the Commit do not need to support the proposal type)."
/// Every type this implementation can decode is a default one, so this check can only
/// fail once new proposal types are added.
fn check_proposal_types_supported(
    tree: &RatchetTree,
    proposals: &[CommittedProposal],
) -> Result<()> {
    let removed = removed_leaves(proposals);
    for p in proposals {
        let proposal_type = p.proposal.proposal_type();
        if is_default_proposal_type(proposal_type) {
            continue;
        }
        let unsupported = tree.members().find(|(leaf, node)| {
            !removed.contains(leaf) && !node.capabilities.proposals.contains(&proposal_type)
        });
        if let Some((member, _)) = unsupported {
            return Err(GroupViolation::ProposalTypeUnsupported {
                member,
                proposal_type,
            }
            .into());
        }
    }
    Ok(())
}

// --- The list of an external commit (§12.2, §12.4.3.2) ---

/// The rules of §12.2 and §12.4.3.2 on the list of an external commit: "Exactly one
/// ExternalInit", "At most one Remove proposal", "Zero or more PreSharedKey proposals",
/// "No other proposals", and none by reference.
fn check_external_list(proposals: &[CommittedProposal]) -> Result<()> {
    if proposals.iter().any(|p| p.reference.is_some()) {
        return Err(GroupViolation::ExternalCommitProposalByReference.into());
    }
    for p in proposals {
        let proposal_type = p.proposal.proposal_type();
        if ![
            ProposalType::EXTERNAL_INIT,
            ProposalType::REMOVE,
            ProposalType::PSK,
        ]
        .contains(&proposal_type)
        {
            return Err(GroupViolation::ExternalCommitProposalNotAllowed { proposal_type }.into());
        }
    }
    let count_of = |t: ProposalType| {
        proposals
            .iter()
            .filter(|p| p.proposal.proposal_type() == t)
            .count()
    };
    let inits = count_of(ProposalType::EXTERNAL_INIT);
    if inits != 1 {
        return Err(GroupViolation::ExternalCommitExternalInitCount { count: inits }.into());
    }
    if count_of(ProposalType::REMOVE) > 1 {
        return Err(GroupViolation::ExternalCommitSeveralRemoves.into());
    }
    Ok(())
}

// --- Rules for both kinds of commit ---

/// §12.2: "It contains multiple PreSharedKey proposals that reference the same
/// PreSharedKeyID." The whole PreSharedKeyID is compared, nonce included, as the rule
/// says.
fn check_unique_psks(proposals: &[CommittedProposal]) -> Result<()> {
    let mut seen = BTreeSet::new();
    for p in proposals {
        if let Proposal::PreSharedKey(psk) = &p.proposal
            && !seen.insert(psk.psk.to_bytes())
        {
            return Err(GroupViolation::DuplicatePsk.into());
        }
    }
    Ok(())
}

/// The rules of §12.1 on one proposal that do not depend on the tree; `rules` are the
/// group's rules for a new leaf after this commit's GroupContextExtensions.
fn check_proposal(
    suite: &CipherSuite,
    context: &GroupContext,
    proposal: &Proposal,
    rules: &LeafRules<'_>,
) -> Result<()> {
    match proposal {
        Proposal::Add(add) => validate_key_package(suite, context.version, &add.key_package, rules),
        Proposal::PreSharedKey(psk) => check_psk_proposal(suite, &psk.psk),
        Proposal::ReInit(reinit) => check_reinit_version(context, reinit.version),
        _ => Ok(()),
    }
}

/// KeyPackage validation (§10.1) for a group of cipher suite `suite` and protocol
/// `version`, with the group's leaf `rules` (its `required_capabilities`, and whether to
/// check lifetimes). The one implementation of §10.1: an Add proposal (§12.1.1: "An Add
/// proposal is invalid if the KeyPackage is invalid according to Section 10.1"), the Web
/// API's *validate-key-package* and the decoding differential use it. In this order:
///
/// 1. "Verify that the cipher suite and protocol version of the KeyPackage match those
///    in the GroupContext."
/// 2. "Verify that the `leaf_node` of the KeyPackage is valid for a KeyPackage according
///    to Section 7.3", on its own: [`check_leaf_node_contents`] (source `key_package`,
///    capabilities, extensions, the group's required capabilities, lifetime).
/// 3. The KeyPackage's own extensions: no type twice (§13.4), and each listed in
///    `leaf_node.capabilities` (§10: "Extensions included in the `extensions` or
///    `leaf_node.extensions` fields MUST be included in the `leaf_node.capabilities`
///    field"; default types, which are never listed, excepted as for the leaf, §7.2).
/// 4. "Verify that the signature on the KeyPackage is valid using the public key in
///    `leaf_node.credential`" (the leaf's `signature_key`).
/// 5. The leaf's own signature (§7.3).
/// 6. "Verify that the value of `leaf_node.encryption_key` is different from the value
///    of the `init_key` field."
///
/// The §7.3 rules that relate the leaf to a group's members (unique keys, credential
/// types) are [`RatchetTree::check_leaf_fits`], checked when an Add is applied.
pub fn validate_key_package(
    suite: &CipherSuite,
    version: ProtocolVersion,
    kp: &KeyPackage,
    rules: &LeafRules<'_>,
) -> Result<()> {
    let group_suite = CipherSuiteId(suite.id());
    if kp.cipher_suite != group_suite {
        return Err(GroupViolation::KeyPackageCipherSuiteMismatch {
            key_package: kp.cipher_suite,
            group: group_suite,
        }
        .into());
    }
    if kp.version != version {
        return Err(GroupViolation::KeyPackageVersionMismatch {
            key_package: kp.version,
            group: version,
        }
        .into());
    }
    let leaf = &kp.leaf_node;
    check_leaf_node_contents(leaf, &LeafNodeContext::KeyPackage, rules)?;
    check_unique(&kp.extensions)?;
    if let Some(unlisted) = kp
        .extensions
        .iter()
        .find(|e| !supports(leaf, Capability::Extension(e.extension_type)))
    {
        return Err(TreeViolation::ExtensionNotInCapabilities {
            leaf: None,
            extension_type: unlisted.extension_type,
        }
        .into());
    }
    match suite.verify_with_label(
        &leaf.signature_key.0,
        b"KeyPackageTBS",
        &kp.to_be_signed(),
        &kp.signature,
    ) {
        Ok(()) => {}
        Err(Error::Crypto(_)) => return Err(GroupViolation::KeyPackageSignatureInvalid.into()),
        Err(other) => return Err(other),
    }
    verify_leaf_signature(suite, leaf, &LeafNodeContext::KeyPackage)?;
    if kp.init_key == leaf.encryption_key {
        return Err(GroupViolation::InitKeyIsEncryptionKey.into());
    }
    Ok(())
}

/// §12.1.4: a PreSharedKey proposal is invalid if its PSK is a resumption PSK of usage
/// `reinit` or `branch` outside a reinitialization or branch (this implementation does
/// neither), or if "The `psk_nonce` is not of length `KDF.Nh`."
fn check_psk_proposal(suite: &CipherSuite, id: &PreSharedKeyId) -> Result<()> {
    if let PskSource::Resumption { usage, .. } = id.psk
        && (usage == ResumptionPskUsage::REINIT || usage == ResumptionPskUsage::BRANCH)
    {
        return Err(GroupViolation::PskUsageNotAllowed.into());
    }
    if id.psk_nonce.len() != suite.hash_len() {
        return Err(GroupViolation::PskNonceLength {
            length: id.psk_nonce.len(),
            expected: suite.hash_len(),
        }
        .into());
    }
    Ok(())
}

/// §12.1.5: "A ReInit proposal is invalid if the `version` field is less than the
/// version for the current group."
fn check_reinit_version(
    context: &GroupContext,
    proposed: crate::messages::ProtocolVersion,
) -> Result<()> {
    if proposed.0 < context.version.0 {
        return Err(GroupViolation::ReInitVersionDowngrade {
            proposed,
            group: context.version,
        }
        .into());
    }
    Ok(())
}

// --- Applying (§12.3) ---

/// Validates the LeafNode of an Update from the member at `sender` (§12.1.2: "invalid if
/// the LeafNode is invalid for an Update proposal according to Section 7.3") against the
/// tree so far, then applies it.
fn apply_update(
    suite: &CipherSuite,
    context: &GroupContext,
    next: &mut Provisional,
    sender: LeafIndex,
    leaf: &LeafNode,
    rules: &LeafRules<'_>,
) -> Result<()> {
    if next.tree.leaf(sender).is_none() {
        return Err(TreeViolation::UpdateSenderNotMember { leaf: sender }.into());
    }
    let leaf_context = LeafNodeContext::Update {
        group_id: &context.group_id,
        leaf_index: sender,
    };
    next.tree
        .validate_new_leaf(suite, leaf, &leaf_context, rules)?;
    next.tree.update_leaf(sender, leaf.clone())?;
    next.updated.push(sender);
    Ok(())
}

/// §12.1.3: "A Remove proposal is invalid if the `removed` field does not identify a
/// non-blank leaf node."
fn check_removed_leaf_is_member(tree: &RatchetTree, removed: LeafIndex) -> Result<()> {
    if tree.leaf(removed).is_none() {
        return Err(TreeViolation::RemovedLeafNotMember { leaf: removed }.into());
    }
    Ok(())
}

/// Checks the LeafNode of an Add's KeyPackage, valid on its own
/// ([`validate_key_package`]), against the members of the tree so far (§7.3), then adds
/// it at the leftmost blank leaf (§12.1.1).
fn apply_add(next: &mut Provisional, kp: &KeyPackage) -> Result<()> {
    next.tree
        .check_leaf_fits(&kp.leaf_node, &LeafNodeContext::KeyPackage)?;
    let leaf = next.tree.add_leaf(kp.leaf_node.clone())?;
    next.added.push((leaf, kp.clone()));
    Ok(())
}

/// The extension types every client implements (§7.2), which capabilities do not list.
fn is_default_extension_type(t: crate::messages::extensions::ExtensionType) -> bool {
    (1..=5).contains(&t.0)
}

/// True if `leaf` supports `capability` (§11.1: default types count as supported).
fn supports(leaf: &LeafNode, capability: Capability) -> bool {
    let caps = &leaf.capabilities;
    match capability {
        Capability::Extension(t) => is_default_extension_type(t) || caps.extensions.contains(&t),
        Capability::Proposal(t) => is_default_proposal_type(t) || caps.proposals.contains(&t),
        Capability::Credential(t) => caps.credentials.contains(&t),
    }
}

/// After the proposals, every member supports the group's requirements:
///
/// - §12.1.7: a GroupContextExtensions proposal "is invalid if it includes a
///   `required_capabilities` extension and some members of the group do not support
///   some of the required capabilities (including those added in the same Commit, and
///   excluding those removed)";
/// - §13.4: "The `capabilities` field MUST indicate support for each extension in the
///   GroupContext."
fn check_capabilities_after_commit(
    tree: &RatchetTree,
    extensions: &[Extension],
    required: Option<&RequiredCapabilities>,
) -> Result<()> {
    for (member, leaf) in tree.members() {
        check_member_capabilities(member, leaf, extensions, required)?;
    }
    Ok(())
}

/// The member at `member`, with leaf `leaf`, supports the `required` capabilities and
/// every GroupContext extension in `extensions` (§12.1.7, §13.4).
pub(super) fn check_member_capabilities(
    member: LeafIndex,
    leaf: &LeafNode,
    extensions: &[Extension],
    required: Option<&RequiredCapabilities>,
) -> Result<()> {
    if let Some(capability) = required
        .into_iter()
        .flat_map(RequiredCapabilities::all)
        .find(|&c| !supports(leaf, c))
    {
        return Err(GroupViolation::RequiredCapabilityUnsupported { member, capability }.into());
    }
    if let Some(e) = extensions
        .iter()
        .find(|e| !supports(leaf, Capability::Extension(e.extension_type)))
    {
        return Err(GroupViolation::GroupContextExtensionUnsupported {
            member,
            extension_type: e.extension_type,
        }
        .into());
    }
    Ok(())
}

/// §12.4.2: "If this is an external Commit, assign the sender the leftmost blank leaf
/// node in the new ratchet tree. If there are no blank leaf nodes in the new ratchet
/// tree, add a blank leaf to the right side of the new ratchet tree and assign it to the
/// sender."
fn leaf_for_external_joiner(tree: &mut RatchetTree) -> Result<LeafIndex> {
    if let Some(blank) = tree.first_blank_leaf() {
        return Ok(blank);
    }
    let first_new = LeafIndex(tree.leaf_count().get());
    tree.extend()?;
    Ok(first_new)
}
