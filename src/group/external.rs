//! GroupInfo export and joining by external commit (RFC 9420 §12.4.3, §12.4.3.2, §8.3).
//!
//! A member publishes a signed GroupInfo of the current epoch with the `external_pub`
//! extension ([`Group::group_info`]):
//!
//! ```text
//! struct {
//!     HPKEPublicKey external_pub;
//! } ExternalPub;
//! ```
//!
//! where `external_priv, external_pub = KEM.DeriveKeyPair(external_secret)` (§8). A
//! joiner reads it and sends an external commit ([`join_by_external_commit`]):
//!
//! - "External Commits MUST contain a `path` field ... The joiner is added at the
//!   leftmost free leaf node (just as if they were added with an Add proposal), and the
//!   path is calculated relative to that leaf node."
//! - "The Commit MUST NOT include any proposals by reference."
//! - "External Commits MUST be signed by the new member."
//! - The `init_secret` comes from the ExternalInit proposal (§8.3):
//!
//!   ```text
//!   kem_output, context = SetupBaseS(external_pub, "")
//!   init_secret = context.export("MLS 1.0 external init secret", KDF.Nh)
//!   ```
//! - "The sender type for the AuthenticatedContent encapsulating the external Commit MUST
//!   be `new_member_commit`."
//!
//! The members process the external commit like any other ([`Group::process`]); the
//! group's external private key gives them the same `init_secret`.

use crate::clock::Clock;
use crate::codec::Codec;
use crate::crypto::{CipherSuite, HpkePublicKey, Random, Secret, SignaturePrivateKey};
use crate::error::{ProtocolViolation, Result};
use crate::framing::{protect_public, sign_content};
use crate::key_schedule::external_init_sender;
use crate::messages::extensions::{Extension, ExtensionType, find};
use crate::messages::{
    Commit, Content, ExternalInit, FramedContent, GroupInfo, LeafNode, LeafNodeSource, MlsMessage,
    PreSharedKey, PreSharedKeyId, Proposal, ProposalOrRef, ProtocolVersion, PskSource, Remove,
    Sender, WireFormat,
};
use crate::ratchet_tree::{
    LeafNodeContext, LeafRules, RatchetTree, RequiredCapabilities, validate_tree,
};
use crate::transcript_hash::interim_transcript_hash;
use crate::tree_math::LeafIndex;
use crate::treekem::create_update_path;
use crate::welcome::sign_group_info;

use super::config::GroupConfig;
use super::create::LeafOptions;
use super::next_epoch::{CommittedProposal, derive_epoch};
use super::proposals::apply_proposals;
use super::psks::{PskLookup, unknown_psk};
use super::state::{Group, GroupParts};
use super::violation::GroupViolation;
use crate::psk::psk_secret_of;

/// The label of the GroupInfo signature (§12.4.3), without the `"MLS 1.0 "` prefix.
const GROUP_INFO_LABEL: &[u8] = b"GroupInfoTBS";

/// Which extensions a GroupInfo carries besides the GroupContext's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GroupInfoOptions {
    /// The `ratchet_tree` extension: the whole public tree (§12.4.3.3).
    pub ratchet_tree: bool,
    /// The `external_pub` extension: the key external joiners encrypt to (§12.4.3.2).
    pub external_pub: bool,
}

impl Group {
    /// A GroupInfo of this epoch, signed by us (§12.4.3):
    ///
    /// ```text
    /// struct {
    ///     GroupContext group_context;
    ///     Extension extensions<V>;
    ///     MAC confirmation_tag;
    ///     uint32 signer;
    ///     /* SignWithLabel(., "GroupInfoTBS", GroupInfoTBS) */
    ///     opaque signature<V>;
    /// } GroupInfo;
    /// ```
    ///
    /// with the confirmation tag of the commit that started the epoch and the
    /// extensions `options` asks for.
    pub fn group_info(&self, options: GroupInfoOptions) -> Result<GroupInfo> {
        let mut extensions = Vec::new();
        if options.ratchet_tree {
            extensions.push(Extension::new(
                ExtensionType::RATCHET_TREE,
                self.tree.to_bytes(),
            ));
        }
        if options.external_pub {
            let (_, external_pub) = self.secrets.external_key_pair(&self.suite)?;
            extensions.push(Extension::new(
                ExtensionType::EXTERNAL_PUB,
                external_pub.0.to_bytes(),
            ));
        }
        let mut group_info = GroupInfo {
            group_context: self.context.clone(),
            extensions,
            confirmation_tag: self.confirmation_tag.clone(),
            signer: self.own_leaf,
            signature: Vec::new(),
        };
        sign_group_info(&self.suite, &self.signer, &mut group_info)?;
        Ok(group_info)
    }
}

/// What an external commit holds beyond its ExternalInit.
#[derive(Debug, Clone, Default)]
pub struct ExternalCommitOptions {
    /// "resync": the leaf of our old appearance in the group, removed by the same
    /// commit (§12.4.3.2: "At most one Remove proposal, with which the joiner removes an
    /// old version of themselves").
    pub remove_old_self: Option<LeafIndex>,
    /// PSKs to inject (fresh nonces are drawn); each must be available through the
    /// lookup given to [`join_by_external_commit`] and to every member.
    pub psks: Vec<PskSource>,
    /// The FramedContent's `authenticated_data`.
    pub authenticated_data: Vec<u8>,
}

/// An external commit and the joiner's group in the epoch it starts. The group is ours
/// only once the delivery service accepts the commit.
#[derive(Debug, Clone)]
pub struct ExternalCommit {
    /// The commit, a PublicMessage from a `new_member_commit` sender.
    pub message: MlsMessage,
    /// Our group in the epoch the commit starts.
    pub next: Group,
}

/// Joins the group of `group_info` by external commit (§12.4.3.2), as a client signing
/// with `signer` and holding a leaf made from `leaf`.
///
/// The GroupInfo is checked first: the ratchet tree (given, else from its
/// `ratchet_tree` extension) is validated (§12.4.3.1) and must have `group_info`'s tree
/// hash, and its signature must verify under the signer's leaf. Then the commit is
/// built: ExternalInit, the optional Remove of our old self, the PSKs, and a path from
/// the leaf we take; the key schedule runs from the exported `init_secret`.
///
/// Fails with [`GroupViolation::MissingRatchetTree`], [`GroupViolation::SignerNotMember`],
/// a [`crate::ratchet_tree::TreeViolation`], a signature error, a
/// [`ProtocolViolation::Rule`] of §12.4.3.2 when there is no `external_pub`, or
/// [`GroupViolation::UnknownPsk`].
#[allow(clippy::too_many_arguments)]
pub fn join_by_external_commit(
    group_info: &GroupInfo,
    ratchet_tree: Option<RatchetTree>,
    signer: SignaturePrivateKey,
    leaf: &LeafOptions,
    options: &ExternalCommitOptions,
    psks: PskLookup<'_>,
    config: GroupConfig,
    clock: &dyn Clock,
    rng: &mut dyn Random,
) -> Result<ExternalCommit> {
    let old = &group_info.group_context;
    let suite = CipherSuite::new(old.cipher_suite.0)?;
    if old.version != ProtocolVersion::MLS10 {
        return Err(crate::error::Unsupported::ProtocolVersion(old.version.0).into());
    }
    let tree = verified_tree(&suite, group_info, ratchet_tree, config, clock)?;
    check_extensions_supported(leaf, &old.extensions)?;
    let external_pub = external_pub(group_info)?;
    let (kem_output, init_secret) = external_init_sender(&suite, &external_pub, rng)?;

    let mut proposals = vec![Proposal::ExternalInit(ExternalInit { kem_output })];
    if let Some(removed) = options.remove_old_self {
        proposals.push(Proposal::Remove(Remove { removed }));
    }
    let psk_ids = options
        .psks
        .iter()
        .map(|psk| {
            Ok(PreSharedKeyId {
                psk: psk.clone(),
                psk_nonce: rng.bytes(suite.hash_len())?,
            })
        })
        .collect::<Result<Vec<PreSharedKeyId>>>()?;
    proposals.extend(
        psk_ids
            .iter()
            .map(|psk| Proposal::PreSharedKey(PreSharedKey { psk: psk.clone() })),
    );
    let committed: Vec<CommittedProposal> = proposals
        .iter()
        .map(|p| CommittedProposal {
            proposal: p.clone(),
            sender: Sender::NewMemberCommit,
            reference: None,
        })
        .collect();
    let lifetime = config.lifetime_check(clock);
    let provisional = apply_proposals(
        &suite,
        old,
        &tree,
        Sender::NewMemberCommit,
        &committed,
        lifetime,
    )?;

    let template = leaf_template(&suite, &signer, leaf)?;
    let context = provisional.group_context(&suite, old, &provisional.tree)?;
    let created = create_update_path(
        &suite,
        &provisional.tree,
        provisional.committer,
        &template,
        &signer,
        &context,
        &[],
        rng,
    )?;
    // Check our own leaf as the members will (§12.4.2), to fail here rather than there.
    let required = RequiredCapabilities::from_extensions(&provisional.extensions)?;
    provisional.tree.validate_new_leaf(
        &suite,
        &created.update_path.leaf_node,
        &LeafNodeContext::Commit {
            group_id: &old.group_id,
            leaf_index: provisional.committer,
        },
        &LeafRules {
            required_capabilities: required.as_ref(),
            lifetime,
        },
    )?;
    let psk_secret = joiner_psk_secret(&suite, &psk_ids, psks)?;

    let content = FramedContent {
        group_id: old.group_id.clone(),
        epoch: old.epoch,
        sender: Sender::NewMemberCommit,
        authenticated_data: options.authenticated_data.clone(),
        content: Content::Commit(Commit {
            proposals: proposals.into_iter().map(ProposalOrRef::Proposal).collect(),
            path: Some(created.update_path.clone()),
        }),
    };
    let mut signed = sign_content(
        &suite,
        WireFormat::MLS_PUBLIC_MESSAGE,
        content,
        old,
        &signer,
    )?;
    // §12.4.3.2: the joiner knows the confirmed transcript hash and "confirmation tag of
    // the most recent Commit", hence the interim transcript hash.
    let interim_before = interim_transcript_hash(
        &suite,
        &old.confirmed_transcript_hash,
        &group_info.confirmation_tag,
    );
    let keys = derive_epoch(
        &suite,
        provisional.group_context(&suite, old, &created.tree)?,
        &interim_before,
        &signed,
        &init_secret,
        &created.commit_secret,
        &psk_secret,
    )?;
    signed.auth.confirmation_tag = Some(keys.confirmation_tag.clone());
    let message = MlsMessage::PublicMessage(protect_public(&suite, &signed, old, None)?);

    let next = Group::from_parts(GroupParts {
        context: keys.context,
        tree: created.tree,
        own_leaf: provisional.committer,
        signer,
        private_keys: created.private_keys,
        secrets: keys.secrets,
        interim_transcript_hash: keys.interim_transcript_hash,
        confirmation_tag: keys.confirmation_tag,
        config,
    })?;
    Ok(ExternalCommit { message, next })
}

/// The ratchet tree of `group_info`, checked (§12.4.3.1 applied to an external joiner):
/// the tree given or the `ratchet_tree` extension's, valid and with the GroupContext's
/// tree hash, and the GroupInfo's signature verified under the `signer` leaf's key.
fn verified_tree(
    suite: &CipherSuite,
    group_info: &GroupInfo,
    given: Option<RatchetTree>,
    config: GroupConfig,
    clock: &dyn Clock,
) -> Result<RatchetTree> {
    let tree = match given {
        Some(tree) => tree,
        None => {
            let extension = find(&group_info.extensions, ExtensionType::RATCHET_TREE)
                .ok_or(GroupViolation::MissingRatchetTree)?;
            RatchetTree::from_bytes(&extension.extension_data)?
        }
    };
    let signer = group_info.signer;
    let signer_key = tree
        .leaf(signer)
        .map(|leaf| leaf.signature_key.clone())
        .ok_or(GroupViolation::SignerNotMember { signer })?;
    suite.verify_with_label(
        &signer_key.0,
        GROUP_INFO_LABEL,
        &group_info.to_be_signed(),
        &group_info.signature,
    )?;
    validate_tree(
        &tree,
        &group_info.group_context,
        config.lifetime_check(clock),
    )?;
    Ok(tree)
}

/// §13.4: "A client joining a group MUST verify that it supports every extension in the
/// GroupContext for the group": each non-default type is listed in our capabilities.
fn check_extensions_supported(leaf: &LeafOptions, extensions: &[Extension]) -> Result<()> {
    let listed = &leaf.capabilities.extensions;
    for e in extensions {
        let t = e.extension_type;
        if !(1..=5).contains(&t.0) && !listed.contains(&t) {
            return Err(GroupViolation::JoinExtensionUnsupported { extension_type: t }.into());
        }
    }
    Ok(())
}

/// The key of the GroupInfo's `external_pub` extension (§12.4.3.2: "to join a group via
/// an external Commit, a new member needs a GroupInfo with an `external_pub` extension").
fn external_pub(group_info: &GroupInfo) -> Result<HpkePublicKey> {
    let extension = find(&group_info.extensions, ExtensionType::EXTERNAL_PUB).ok_or(
        ProtocolViolation::Rule {
            section: "12.4.3.2",
            rule: "an external joiner needs a GroupInfo with an external_pub extension",
        },
    )?;
    Ok(HpkePublicKey(Vec::<u8>::from_bytes(
        &extension.extension_data,
    )?))
}

/// The joiner's leaf before the path fills in its encryption key, source and
/// signature ([`create_update_path`] sets all three).
fn leaf_template(
    suite: &CipherSuite,
    signer: &SignaturePrivateKey,
    options: &LeafOptions,
) -> Result<LeafNode> {
    Ok(LeafNode {
        encryption_key: HpkePublicKey(Vec::new()),
        signature_key: suite.signature_public_key(signer)?,
        credential: options.credential.clone(),
        capabilities: options.capabilities.clone(),
        leaf_node_source: LeafNodeSource::Commit {
            parent_hash: Vec::new(),
        },
        extensions: options.leaf_extensions.clone(),
        signature: Vec::new(),
    })
}

/// `psk_secret` for the PSKs of an external commit (§8.4); the joiner has no group, so
/// every PSK comes from `lookup`.
fn joiner_psk_secret(
    suite: &CipherSuite,
    ids: &[PreSharedKeyId],
    lookup: PskLookup<'_>,
) -> Result<Secret> {
    psk_secret_of(suite, ids, |index, id| {
        lookup(id).ok_or_else(|| unknown_psk(index, id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SeededRandom;
    use crate::error::{CryptoError, Error};
    use crate::group::create::tests::{NOW, group_of, suite};
    use crate::group::{Processed, no_psks};
    use crate::messages::{Credential, Lifetime};

    fn joiner(rng: &mut SeededRandom) -> (SignaturePrivateKey, LeafOptions) {
        let (signer, _) = suite().generate_signature_key_pair(rng).unwrap();
        let options = LeafOptions::new(
            &suite(),
            Credential::Basic {
                identity: b"joiner".to_vec(),
            },
            Lifetime {
                not_before: 0,
                not_after: u64::MAX,
            },
        );
        (signer, options)
    }

    const FULL: GroupInfoOptions = GroupInfoOptions {
        ratchet_tree: true,
        external_pub: true,
    };

    fn join(
        info: &GroupInfo,
        external: &ExternalCommitOptions,
        psks: PskLookup<'_>,
        rng: &mut SeededRandom,
    ) -> Result<ExternalCommit> {
        let (signer, options) = joiner(rng);
        join_by_external_commit(
            info,
            None,
            signer,
            &options,
            external,
            psks,
            GroupConfig::default(),
            &NOW,
            rng,
        )
    }

    #[test]
    fn a_group_info_is_signed_and_carries_the_external_key_of_the_epoch() {
        let mut rng = SeededRandom::new(1);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let info = views[1].group_info(FULL).unwrap();
        let s = suite();
        let signer_key = &views[1].own_leaf_node().unwrap().signature_key;
        s.verify_with_label(
            &signer_key.0,
            GROUP_INFO_LABEL,
            &info.to_be_signed(),
            &info.signature,
        )
        .unwrap();
        let (_, expected) = views[0].secrets.external_key_pair(&s).unwrap();
        assert_eq!(external_pub(&info).unwrap(), expected);
        assert_eq!(info.confirmation_tag, views[1].confirmation_tag());
        let bare = views[1].group_info(GroupInfoOptions::default()).unwrap();
        assert!(bare.extensions.is_empty());
    }

    #[test]
    fn a_joiner_and_the_members_agree_after_an_external_commit() {
        let mut rng = SeededRandom::new(2);
        let views = group_of(3, GroupConfig::default(), &mut rng);
        let info = views[2].group_info(FULL).unwrap();
        let joined = join(&info, &ExternalCommitOptions::default(), &no_psks, &mut rng).unwrap();
        assert_eq!(joined.next.own_leaf_index(), LeafIndex(3));
        for v in &views {
            let (processed, next) = v.process(&joined.message, &no_psks, &NOW).unwrap();
            assert!(
                matches!(processed, Processed::Commit(s) if s.committer == Sender::NewMemberCommit)
            );
            assert_eq!(
                next.epoch_authenticator(),
                joined.next.epoch_authenticator()
            );
        }
    }

    #[test]
    fn a_resync_removes_the_old_appearance_and_injects_the_psks() {
        let mut rng = SeededRandom::new(3);
        let views = group_of(3, GroupConfig::default(), &mut rng);
        let psk = |id: &PreSharedKeyId| match &id.psk {
            PskSource::External { psk_id } if psk_id == b"k" => Some(Secret::new(vec![3; 32])),
            _ => None,
        };
        let external = ExternalCommitOptions {
            remove_old_self: Some(LeafIndex(1)),
            psks: vec![PskSource::External {
                psk_id: b"k".to_vec(),
            }],
            authenticated_data: Vec::new(),
        };
        let info = views[0].group_info(FULL).unwrap();
        let joined = join(&info, &external, &psk, &mut rng).unwrap();
        // The joiner takes the leaf its old self leaves.
        assert_eq!(joined.next.own_leaf_index(), LeafIndex(1));
        let (processed, _) = views[1].process(&joined.message, &psk, &NOW).unwrap();
        assert!(matches!(processed, Processed::Removed(_)));
        let (processed, next) = views[2].process(&joined.message, &psk, &NOW).unwrap();
        assert!(matches!(processed, Processed::Commit(s) if s.psks == 1));
        assert_eq!(
            next.epoch_authenticator(),
            joined.next.epoch_authenticator()
        );
        // A member without the PSK cannot follow.
        assert!(views[2].process(&joined.message, &no_psks, &NOW).is_err());
    }

    #[test]
    fn a_group_info_without_external_pub_is_refused() {
        let mut rng = SeededRandom::new(4);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let info = views[0]
            .group_info(GroupInfoOptions {
                ratchet_tree: true,
                external_pub: false,
            })
            .unwrap();
        let e = join(&info, &ExternalCommitOptions::default(), &no_psks, &mut rng).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Protocol(ProtocolViolation::Rule {
                    section: "12.4.3.2",
                    ..
                })
            ),
            "{e:?}"
        );
    }

    #[test]
    fn a_group_info_with_a_bad_signature_is_refused() {
        let mut rng = SeededRandom::new(5);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let mut info = views[0].group_info(FULL).unwrap();
        info.group_context.epoch += 1;
        let e = join(&info, &ExternalCommitOptions::default(), &no_psks, &mut rng).unwrap_err();
        assert_eq!(e, Error::Crypto(CryptoError::InvalidSignature));
    }

    #[test]
    fn a_group_info_without_a_tree_needs_one_given() {
        let mut rng = SeededRandom::new(6);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let info = views[0]
            .group_info(GroupInfoOptions {
                ratchet_tree: false,
                external_pub: true,
            })
            .unwrap();
        let e = join(&info, &ExternalCommitOptions::default(), &no_psks, &mut rng).unwrap_err();
        assert_eq!(
            e,
            Error::Protocol(ProtocolViolation::Group(GroupViolation::MissingRatchetTree))
        );
        let (signer, options) = joiner(&mut rng);
        let joined = join_by_external_commit(
            &info,
            Some(views[0].tree().clone()),
            signer,
            &options,
            &ExternalCommitOptions::default(),
            &no_psks,
            GroupConfig::default(),
            &NOW,
            &mut rng,
        );
        assert!(joined.is_ok());
    }

    #[test]
    fn an_external_commit_naming_a_psk_the_joiner_lacks_fails() {
        let mut rng = SeededRandom::new(7);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let info = views[0].group_info(FULL).unwrap();
        let external = ExternalCommitOptions {
            psks: vec![PskSource::External {
                psk_id: b"unknown".to_vec(),
            }],
            ..ExternalCommitOptions::default()
        };
        let e = join(&info, &external, &no_psks, &mut rng).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Protocol(ProtocolViolation::Group(GroupViolation::UnknownPsk {
                    index: 0,
                    ..
                }))
            ),
            "{e:?}"
        );
    }
}
