//! Leaf node validation (RFC 9420 §7.3).
//!
//! §7.3 lists the checks a client makes on a LeafNode: credential, signature, group
//! capabilities, credential types of the other members, lifetime, extensions, source, and
//! key uniqueness. They are split here by what they need:
//!
//! - [`check_leaf_node_contents`]: the rules on the leaf alone and the group's rules
//!   ([`LeafRules`]);
//! - [`RatchetTree::check_leaf_fits`]: the rules relative to the other members;
//! - [`verify_leaf_signature`]: the signature.
//!
//! [`RatchetTree::validate_new_leaf`] runs all three for a leaf arriving in a KeyPackage,
//! an Update or a Commit. The signature is verified last, so that a leaf breaking a rule
//! that needs no cryptography is rejected for that rule. Credential validation (§5.3.1) is
//! the application's: it is not done here.

use std::collections::BTreeSet;

use crate::clock::LifetimeCheck;
use crate::crypto::CipherSuite;
use crate::error::Error;
use crate::messages::extensions::check_unique;
use crate::messages::{LeafNode, LeafNodeSource, LeafNodeSourceType};
use crate::tree_math::{LeafIndex, NodeIndex};

use super::required_capabilities::{is_default_extension, is_default_proposal};
use super::{Capability, RatchetTree, RequiredCapabilities, TreeViolation};

/// Where a LeafNode was received. This fixes the `leaf_node_source` it must have (§7.3:
/// "Verify the `leaf_node_source` field") and the group context its signature covers
/// (§7.2: `group_id` and `leaf_index` for the `update` and `commit` sources).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafNodeContext<'a> {
    /// In a KeyPackage (also when added by an Add proposal): source `key_package`.
    KeyPackage,
    /// In an Update proposal sent by the member at `leaf_index`: source `update`.
    Update {
        /// The group's ID.
        group_id: &'a [u8],
        /// The sender's leaf, which the Update replaces.
        leaf_index: LeafIndex,
    },
    /// In the UpdatePath of a Commit sent by the member at `leaf_index`: source `commit`.
    Commit {
        /// The group's ID.
        group_id: &'a [u8],
        /// The committer's leaf.
        leaf_index: LeafIndex,
    },
    /// Already at `leaf_index` of a ratchet tree being validated (on joining): any source.
    Tree {
        /// The group's ID.
        group_id: &'a [u8],
        /// The leaf's position.
        leaf_index: LeafIndex,
    },
}

impl LeafNodeContext<'_> {
    /// The leaf's position, if it has one.
    fn leaf_index(&self) -> Option<LeafIndex> {
        match *self {
            LeafNodeContext::KeyPackage => None,
            LeafNodeContext::Update { leaf_index, .. }
            | LeafNodeContext::Commit { leaf_index, .. }
            | LeafNodeContext::Tree { leaf_index, .. } => Some(leaf_index),
        }
    }

    /// The group's ID, empty for a KeyPackage (whose signature does not cover it).
    fn group_id(&self) -> &[u8] {
        match self {
            LeafNodeContext::KeyPackage => &[],
            LeafNodeContext::Update { group_id, .. }
            | LeafNodeContext::Commit { group_id, .. }
            | LeafNodeContext::Tree { group_id, .. } => group_id,
        }
    }

    /// The source the leaf must have, if the context fixes one.
    fn expected_source(&self) -> Option<LeafNodeSourceType> {
        match self {
            LeafNodeContext::KeyPackage => Some(LeafNodeSourceType::KEY_PACKAGE),
            LeafNodeContext::Update { .. } => Some(LeafNodeSourceType::UPDATE),
            LeafNodeContext::Commit { .. } => Some(LeafNodeSourceType::COMMIT),
            LeafNodeContext::Tree { .. } => None,
        }
    }
}

/// The group's rules that a leaf must meet.
#[derive(Clone, Copy)]
pub struct LeafRules<'a> {
    /// The GroupContext's `required_capabilities`, if it has the extension.
    pub required_capabilities: Option<&'a RequiredCapabilities>,
    /// Whether and against which clock to check `lifetime` (§7.3: MUST for a leaf the
    /// client sends, RECOMMENDED for one it receives).
    pub lifetime: LifetimeCheck<'a>,
}

/// Checks the rules of §7.2 and §7.3 that concern the leaf alone, in this order:
///
/// 1. "Verify the `leaf_node_source` field" against the context;
/// 2. "the credential type used in the LeafNode MUST be included in the `credentials`
///    field of the `capabilities` field" (§7.2);
/// 3. "the ID for each extension in the `extensions` field is listed in the
///    `capabilities.extensions` field of the LeafNode" (default extension types, which
///    "MUST NOT be listed", excepted, §7.2), and no extension type appears twice (§13.4);
/// 4. "If the GroupContext has a `required_capabilities` extension, then the required
///    extensions, proposals, and credential types MUST be listed in the LeafNode's
///    `capabilities` field" (default types count as supported, §11.1);
/// 5. the current time is within the `lifetime` of a `key_package` leaf, if `rules` ask.
pub fn check_leaf_node_contents(
    leaf: &LeafNode,
    context: &LeafNodeContext<'_>,
    rules: &LeafRules<'_>,
) -> Result<(), Error> {
    let at = context.leaf_index();
    let found = leaf.leaf_node_source.source_type();
    if let Some(expected) = context.expected_source().filter(|&e| e != found) {
        return Err(TreeViolation::WrongLeafNodeSource {
            leaf: at,
            expected,
            found,
        }
        .into());
    }

    let capabilities = &leaf.capabilities;
    let credential_type = leaf.credential.credential_type();
    if !capabilities.credentials.contains(&credential_type) {
        return Err(TreeViolation::CredentialTypeNotInCapabilities {
            leaf: at,
            credential_type,
        }
        .into());
    }

    // Sets, so that long lists from a peer cost n log n, not n^2.
    let listed_extensions: BTreeSet<_> = capabilities.extensions.iter().collect();
    let listed_proposals: BTreeSet<_> = capabilities.proposals.iter().collect();
    let listed_credentials: BTreeSet<_> = capabilities.credentials.iter().collect();

    for extension in &leaf.extensions {
        let t = extension.extension_type;
        if !is_default_extension(t) && !listed_extensions.contains(&t) {
            return Err(TreeViolation::ExtensionNotInCapabilities {
                leaf: at,
                extension_type: t,
            }
            .into());
        }
    }
    check_unique(&leaf.extensions)?;

    if let Some(required) = rules.required_capabilities {
        let supported = |c: &Capability| match *c {
            Capability::Extension(t) => is_default_extension(t) || listed_extensions.contains(&t),
            Capability::Proposal(t) => is_default_proposal(t) || listed_proposals.contains(&t),
            Capability::Credential(t) => listed_credentials.contains(&t),
        };
        if let Some(capability) = required.all().find(|c| !supported(c)) {
            return Err(TreeViolation::RequiredCapabilityMissing {
                leaf: at,
                capability,
            }
            .into());
        }
    }

    if let LeafNodeSource::KeyPackage(lifetime) = &leaf.leaf_node_source
        && !rules
            .lifetime
            .accepts(lifetime.not_before, lifetime.not_after)
    {
        return Err(TreeViolation::LifetimeNotValid {
            leaf: at,
            not_before: lifetime.not_before,
            not_after: lifetime.not_after,
        }
        .into());
    }
    Ok(())
}

/// Verifies the leaf's signature (§7.3: "Verify that the signature on the LeafNode is valid
/// using `signature_key`"): `VerifyWithLabel(signature_key, "LeafNodeTBS", LeafNodeTBS,
/// signature)`, where `LeafNodeTBS` includes the group ID and leaf index for the `update`
/// and `commit` sources (§7.2). A signature that does not verify, or a malformed signature
/// key, is [`TreeViolation::LeafSignatureInvalid`].
pub fn verify_leaf_signature(
    suite: &CipherSuite,
    leaf: &LeafNode,
    context: &LeafNodeContext<'_>,
) -> Result<(), Error> {
    let at = context.leaf_index();
    // A key_package leaf's TBS ignores the group and position; the others always have one.
    let tbs = leaf.to_be_signed(context.group_id(), at.unwrap_or(LeafIndex(0)));
    match suite.verify_with_label(&leaf.signature_key.0, b"LeafNodeTBS", &tbs, &leaf.signature) {
        Ok(()) => Ok(()),
        Err(Error::Crypto(_)) => Err(TreeViolation::LeafSignatureInvalid { leaf: at }.into()),
        Err(other) => Err(other),
    }
}

/// Validates a LeafNode on its own (§7.3): [`check_leaf_node_contents`], then
/// [`verify_leaf_signature`]. The rules relative to the group's members are
/// [`RatchetTree::check_leaf_fits`].
pub fn validate_leaf_node(
    suite: &CipherSuite,
    leaf: &LeafNode,
    context: &LeafNodeContext<'_>,
    rules: &LeafRules<'_>,
) -> Result<(), Error> {
    check_leaf_node_contents(leaf, context, rules)?;
    verify_leaf_signature(suite, leaf, context)
}

impl RatchetTree {
    /// Checks the rules of §7.3 that relate a leaf to the members of this tree. The leaf it
    /// replaces, if any (the sender's for an Update or Commit, the leaf itself for a leaf
    /// of the tree), is not compared with it:
    ///
    /// - "Verify that the credential type is supported by all members of the group, as
    ///   specified by the `capabilities` field of each member's LeafNode, and that the
    ///   `capabilities` field of this LeafNode indicates support for all the credential
    ///   types currently in use by other members."
    /// - "Verify that the following fields are unique among the members of the group:
    ///   `signature_key`, `encryption_key`" (encryption keys are compared with parent
    ///   nodes too, §12.4.3.1, §16.8).
    /// - For an Update (and a Commit, §7.5), "`encryption_key` represents a different
    ///   public key than the `encryption_key` in the leaf node being replaced".
    pub fn check_leaf_fits(
        &self,
        leaf: &LeafNode,
        context: &LeafNodeContext<'_>,
    ) -> Result<(), TreeViolation> {
        let at = context.leaf_index();
        let replaced = match context {
            LeafNodeContext::KeyPackage => None,
            _ => at,
        };
        let own_type = leaf.credential.credential_type();
        for (member, other) in self.members().filter(|(i, _)| Some(*i) != replaced) {
            if !other.capabilities.credentials.contains(&own_type) {
                return Err(TreeViolation::CredentialTypeUnsupportedByMember {
                    leaf: at,
                    credential_type: own_type,
                    member,
                });
            }
            let other_type = other.credential.credential_type();
            if !leaf.capabilities.credentials.contains(&other_type) {
                return Err(TreeViolation::MemberCredentialTypeUnsupported {
                    leaf: at,
                    credential_type: other_type,
                    member,
                });
            }
            if other.signature_key == leaf.signature_key {
                return Err(TreeViolation::DuplicateSignatureKey {
                    leaf: at,
                    other: member,
                });
            }
        }

        let mut nodes = (0..self.node_width()).map(NodeIndex);
        let replaced_node = replaced.and_then(LeafIndex::to_node);
        if let Some(other) = nodes.find(|&x| {
            Some(x) != replaced_node && self.encryption_key(x) == Some(&leaf.encryption_key)
        }) {
            return Err(TreeViolation::DuplicateEncryptionKey {
                node: at.and_then(LeafIndex::to_node),
                other,
            });
        }

        let updates = matches!(
            context,
            LeafNodeContext::Update { .. } | LeafNodeContext::Commit { .. }
        );
        if let (true, Some(index)) = (updates, replaced) {
            let old = self.leaf(index).map(|l| &l.encryption_key);
            if old == Some(&leaf.encryption_key) {
                return Err(TreeViolation::EncryptionKeyNotChanged { leaf: index });
            }
        }
        Ok(())
    }

    /// Validates a LeafNode about to enter this tree from a KeyPackage (Add), an Update or
    /// a Commit, with every rule of §7.3: [`check_leaf_node_contents`], then
    /// [`Self::check_leaf_fits`], then [`verify_leaf_signature`].
    pub fn validate_new_leaf(
        &self,
        suite: &CipherSuite,
        leaf: &LeafNode,
        context: &LeafNodeContext<'_>,
        rules: &LeafRules<'_>,
    ) -> Result<(), Error> {
        check_leaf_node_contents(leaf, context, rules)?;
        self.check_leaf_fits(leaf, context)?;
        verify_leaf_signature(suite, leaf, context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::messages::extensions::{Extension, ExtensionType};
    use crate::messages::{Credential, CredentialType, Lifetime, ProposalType};
    use crate::ratchet_tree::tree::tests::leaf;

    const SKIP: LeafRules<'static> = LeafRules {
        required_capabilities: None,
        lifetime: LifetimeCheck::Skipped,
    };

    fn tree_leaf(tag: u8) -> LeafNode {
        let mut l = leaf(tag);
        l.capabilities.credentials = vec![CredentialType::BASIC];
        l.signature_key.0 = vec![tag];
        l
    }

    fn in_tree(i: u32) -> LeafNodeContext<'static> {
        LeafNodeContext::Tree {
            group_id: b"g",
            leaf_index: LeafIndex(i),
        }
    }

    fn violation(result: Result<(), Error>) -> TreeViolation {
        match result {
            Err(Error::Protocol(crate::error::ProtocolViolation::Tree(v))) => v,
            other => panic!("expected a tree violation, got {other:?}"),
        }
    }

    #[test]
    fn a_non_default_extension_must_be_listed_but_a_default_one_need_not_be() {
        let mut l = tree_leaf(1);
        l.extensions = vec![Extension::new(ExtensionType::APPLICATION_ID, vec![])];
        assert_eq!(check_leaf_node_contents(&l, &in_tree(0), &SKIP), Ok(()));
        l.extensions
            .push(Extension::new(ExtensionType(0x0a0a), vec![]));
        assert_eq!(
            violation(check_leaf_node_contents(&l, &in_tree(0), &SKIP)),
            TreeViolation::ExtensionNotInCapabilities {
                leaf: Some(LeafIndex(0)),
                extension_type: ExtensionType(0x0a0a)
            }
        );
        l.capabilities.extensions.push(ExtensionType(0x0a0a));
        assert_eq!(check_leaf_node_contents(&l, &in_tree(0), &SKIP), Ok(()));
    }

    #[test]
    fn a_required_capability_the_leaf_lacks_is_reported() {
        let required = RequiredCapabilities {
            extension_types: vec![ExtensionType::EXTERNAL_SENDERS],
            proposal_types: vec![ProposalType::ADD, ProposalType(0xff00)],
            credential_types: vec![],
        };
        let rules = LeafRules {
            required_capabilities: Some(&required),
            lifetime: LifetimeCheck::Skipped,
        };
        assert_eq!(
            violation(check_leaf_node_contents(&tree_leaf(1), &in_tree(0), &rules)),
            TreeViolation::RequiredCapabilityMissing {
                leaf: Some(LeafIndex(0)),
                capability: Capability::Proposal(ProposalType(0xff00))
            }
        );
    }

    #[test]
    fn a_key_package_leaf_outside_its_lifetime_is_rejected_when_lifetimes_are_checked() {
        let mut l = tree_leaf(1);
        l.leaf_node_source = LeafNodeSource::KeyPackage(Lifetime {
            not_before: 10,
            not_after: 20,
        });
        let clock = FixedClock(21);
        let rules = LeafRules {
            required_capabilities: None,
            lifetime: LifetimeCheck::Against(&clock),
        };
        let context = LeafNodeContext::KeyPackage;
        assert_eq!(check_leaf_node_contents(&l, &context, &SKIP), Ok(()));
        assert_eq!(
            violation(check_leaf_node_contents(&l, &context, &rules)),
            TreeViolation::LifetimeNotValid {
                leaf: None,
                not_before: 10,
                not_after: 20
            }
        );
    }

    #[test]
    fn a_new_leaf_must_share_credential_types_and_no_keys_with_the_members() {
        let mut tree = RatchetTree::with_one_member(tree_leaf(0));
        tree.add_leaf(tree_leaf(2)).unwrap();
        let context = LeafNodeContext::KeyPackage;
        assert_eq!(tree.check_leaf_fits(&tree_leaf(4), &context), Ok(()));

        let mut x509 = tree_leaf(4);
        x509.credential = Credential::X509 {
            certificates: vec![],
        };
        x509.capabilities.credentials = vec![CredentialType::BASIC, CredentialType::X509];
        assert_eq!(
            tree.check_leaf_fits(&x509, &context),
            Err(TreeViolation::CredentialTypeUnsupportedByMember {
                leaf: None,
                credential_type: CredentialType::X509,
                member: LeafIndex(0)
            })
        );

        let mut same_signature_key = tree_leaf(4);
        same_signature_key.signature_key.0 = vec![2];
        assert_eq!(
            tree.check_leaf_fits(&same_signature_key, &context),
            Err(TreeViolation::DuplicateSignatureKey {
                leaf: None,
                other: LeafIndex(1)
            })
        );
    }

    #[test]
    fn an_update_may_keep_its_signature_key_but_not_its_encryption_key() {
        let mut tree = RatchetTree::with_one_member(tree_leaf(0));
        tree.add_leaf(tree_leaf(2)).unwrap();
        let context = LeafNodeContext::Update {
            group_id: b"g",
            leaf_index: LeafIndex(1),
        };
        let mut new = tree_leaf(2);
        new.encryption_key.0 = vec![9];
        assert_eq!(tree.check_leaf_fits(&new, &context), Ok(()));
        assert_eq!(
            tree.check_leaf_fits(&tree_leaf(2), &context),
            Err(TreeViolation::EncryptionKeyNotChanged { leaf: LeafIndex(1) })
        );
    }
}
