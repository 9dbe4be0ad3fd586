//! A client's KeyPackages with their private keys (RFC 9420 §10), and a new group of one
//! member at epoch 0 (§11).
//!
//! ```text
//! struct {
//!     ProtocolVersion version;
//!     CipherSuite cipher_suite;
//!     HPKEPublicKey init_key;
//!     LeafNode leaf_node;
//!     Extension extensions<V>;
//!     /* SignWithLabel(., "KeyPackageTBS", KeyPackageTBS) */
//!     opaque signature<V>;
//! } KeyPackage;
//! ```
//!
//! §11: "To initialize a group, the creator of the group MUST take the following steps:
//! Initialize a one-member group with the following initial values: Ratchet tree: A tree
//! with a single node, a leaf node containing an HPKE public key and credential for the
//! creator; Group ID: A value set by the creator; Epoch: 0; Tree hash: The root hash of
//! the above ratchet tree; Confirmed transcript hash: The zero-length octet string; Epoch
//! secret: A fresh random value of size `KDF.Nh`; Extensions: Any values of the creator's
//! choosing." Then the confirmation tag over the empty confirmed transcript hash gives
//! the interim transcript hash.

use crate::clock::Clock;
use crate::codec::Codec;
use crate::crypto::{CipherSuite, HpkePrivateKey, Random, Secret, SignaturePrivateKey};
use crate::error::{Error, Result};
use crate::key_schedule::EpochSecrets;
use crate::messages::extensions::{Extension, ExtensionType, check_unique};
use crate::messages::group_context::GroupContext;
use crate::messages::{
    Capabilities, CipherSuiteId, Credential, KeyPackage, KeyPackageRef, LeafNode, LeafNodeSource,
    Lifetime, ProtocolVersion,
};
use crate::ratchet_tree::{
    LeafNodeContext, LeafRules, RatchetTree, RequiredCapabilities, check_leaf_node_contents,
};
use crate::transcript_hash::{confirmation_tag, interim_transcript_hash};
use crate::tree_math::LeafIndex;
use crate::treekem::PrivateKeys;

use super::config::GroupConfig;
use super::join::JoinKeys;
use super::state::{Group, GroupParts};
use super::violation::GroupViolation;

/// The label of a LeafNode signature (§7.2), without the `"MLS 1.0 "` prefix.
pub(super) const LEAF_NODE_LABEL: &[u8] = b"LeafNodeTBS";

/// The label of a KeyPackage signature (§10), without the `"MLS 1.0 "` prefix.
const KEY_PACKAGE_LABEL: &[u8] = b"KeyPackageTBS";

/// What a client puts in the leaves it makes: its credential, what it supports, how
/// long a KeyPackage is valid, and extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafOptions {
    /// The client's credential (§5.3).
    pub credential: Credential,
    /// What the client supports (§7.2).
    pub capabilities: Capabilities,
    /// The validity period of a KeyPackage's leaf (§7.2).
    pub lifetime: Lifetime,
    /// The leaf's extensions (§7.2); their non-default types must be in `capabilities`.
    pub leaf_extensions: Vec<Extension>,
    /// The KeyPackage's own extensions (§10).
    pub key_package_extensions: Vec<Extension>,
}

impl LeafOptions {
    /// Options with the smallest honest capabilities: protocol version mls10, the one
    /// cipher suite `suite`, the credential's own type, and no non-default extension or
    /// proposal type; no extensions.
    pub fn new(suite: &CipherSuite, credential: Credential, lifetime: Lifetime) -> Self {
        let capabilities = Capabilities {
            versions: vec![ProtocolVersion::MLS10],
            cipher_suites: vec![CipherSuiteId(suite.id())],
            extensions: Vec::new(),
            proposals: Vec::new(),
            credentials: vec![credential.credential_type()],
        };
        LeafOptions {
            credential,
            capabilities,
            lifetime,
            leaf_extensions: Vec::new(),
            key_package_extensions: Vec::new(),
        }
    }
}

/// A KeyPackage with the private keys that go with it: the init key that a Welcome is
/// encrypted to, the leaf's encryption key, and the signature key (§10).
///
/// Publish [`KeyPackageBundle::key_package`]; keep the bundle to join a group with the
/// Welcome that names it. A KeyPackage is used once (§10: "KeyPackages are intended to
/// be used only once"). `Debug` shows the KeyPackage's public parts only.
#[derive(Clone)]
pub struct KeyPackageBundle {
    /// The signed KeyPackage to publish.
    pub key_package: KeyPackage,
    /// The private key of `key_package.init_key`.
    pub(crate) init_private: HpkePrivateKey,
    /// The private key of `key_package.leaf_node.encryption_key`.
    pub(crate) encryption_private: HpkePrivateKey,
    /// The private key of `key_package.leaf_node.signature_key`.
    pub(crate) signer: SignaturePrivateKey,
}

impl core::fmt::Debug for KeyPackageBundle {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyPackageBundle")
            .field("key_package", &self.key_package)
            .finish_non_exhaustive()
    }
}

impl KeyPackageBundle {
    /// A fresh KeyPackage for `suite`, signed with `signer` (§10): a random init key
    /// pair, a leaf with a random encryption key pair, `leaf_node_source = key_package`
    /// with the options' lifetime, and both signatures:
    ///
    /// ```text
    /// leaf_node.signature = SignWithLabel(signer, "LeafNodeTBS", LeafNodeTBS)
    /// signature = SignWithLabel(signer, "KeyPackageTBS", KeyPackageTBS)
    /// ```
    ///
    /// Fails with [`Error::Misuse`] if the options break a rule of §7.2 (a leaf
    /// extension whose type the capabilities do not list, a credential type they do not
    /// list, two extensions of one type) or do not list `suite`.
    pub fn new(
        suite: &CipherSuite,
        signer: SignaturePrivateKey,
        options: &LeafOptions,
        rng: &mut dyn Random,
    ) -> Result<Self> {
        check_unique(&options.key_package_extensions)?;
        if !options
            .capabilities
            .cipher_suites
            .contains(&CipherSuiteId(suite.id()))
        {
            return Err(Error::Misuse(
                "a KeyPackage's capabilities must list its own cipher suite",
            ));
        }
        let (encryption_private, encryption_key) = suite.hpke_generate_key_pair(rng)?;
        let (init_private, init_key) = suite.hpke_generate_key_pair(rng)?;
        let mut leaf_node = LeafNode {
            encryption_key,
            signature_key: suite.signature_public_key(&signer)?,
            credential: options.credential.clone(),
            capabilities: options.capabilities.clone(),
            leaf_node_source: LeafNodeSource::KeyPackage(options.lifetime),
            extensions: options.leaf_extensions.clone(),
            signature: Vec::new(),
        };
        let no_rules = LeafRules {
            required_capabilities: None,
            lifetime: crate::clock::LifetimeCheck::Skipped,
        };
        check_leaf_node_contents(&leaf_node, &LeafNodeContext::KeyPackage, &no_rules)
            .map_err(|_| Error::Misuse("the leaf options break a rule of RFC 9420 §7.2"))?;
        // A KeyPackage's leaf signature does not cover a group or a position (§7.2).
        leaf_node.signature = suite.sign_with_label(
            &signer,
            LEAF_NODE_LABEL,
            &leaf_node.to_be_signed(&[], LeafIndex(0)),
        )?;
        let mut key_package = KeyPackage {
            version: ProtocolVersion::MLS10,
            cipher_suite: CipherSuiteId(suite.id()),
            init_key,
            leaf_node,
            extensions: options.key_package_extensions.clone(),
            signature: Vec::new(),
        };
        key_package.signature =
            suite.sign_with_label(&signer, KEY_PACKAGE_LABEL, &key_package.to_be_signed())?;
        Ok(KeyPackageBundle {
            key_package,
            init_private,
            encryption_private,
            signer,
        })
    }

    /// `MakeKeyPackageRef(KeyPackage)` (§5.2): how a Welcome names this KeyPackage.
    pub fn reference(&self) -> Result<KeyPackageRef> {
        let suite = CipherSuite::new(self.key_package.cipher_suite.0)?;
        Ok(self.key_package.reference(&suite))
    }
}

impl From<KeyPackageBundle> for JoinKeys {
    /// The keys [`super::join`] takes to join with the Welcome that names this bundle.
    fn from(bundle: KeyPackageBundle) -> Self {
        JoinKeys {
            key_package: bundle.key_package,
            init_private: bundle.init_private,
            encryption_private: bundle.encryption_private,
            signature_private: bundle.signer,
        }
    }
}

impl Group {
    /// Creates a group of one member, the creator, at epoch 0 (§11), from the creator's
    /// KeyPackage: its leaf is the tree's only leaf, with its encryption and signature
    /// keys. `extensions` are the GroupContext extensions.
    ///
    /// The epoch's secrets come from a fresh random value of `KDF.Nh` bytes through the
    /// key schedule (the `joiner_secret` position, with no PSK), which gives an
    /// `epoch_secret` as random as the one §11 asks for; the `joiner_secret` and
    /// `welcome_secret` of epoch 0 are never used. Then, as §11 lists:
    ///
    /// ```text
    /// confirmation_tag = MAC(confirmation_key, "")
    /// interim_transcript_hash = Hash("" || confirmation_tag)
    /// ```
    ///
    /// Fails if the creator's leaf does not meet the group's `required_capabilities` or
    /// does not support one of `extensions` (§13.4), if its lifetime is not valid at
    /// `clock` (per `config`), or if two extensions share a type.
    pub fn create(
        creator: KeyPackageBundle,
        group_id: Vec<u8>,
        extensions: Vec<Extension>,
        config: GroupConfig,
        clock: &dyn Clock,
        rng: &mut dyn Random,
    ) -> Result<Group> {
        let suite = CipherSuite::new(creator.key_package.cipher_suite.0)?;
        check_unique(&extensions)?;
        let leaf = creator.key_package.leaf_node;
        check_creator_supports(&leaf, &extensions, config, clock)?;

        let tree = RatchetTree::with_one_member(leaf);
        let context = GroupContext {
            version: ProtocolVersion::MLS10,
            cipher_suite: CipherSuiteId(suite.id()),
            group_id,
            epoch: 0,
            tree_hash: tree.root_tree_hash(&suite),
            confirmed_transcript_hash: Vec::new(),
            extensions,
        };
        let fresh = Secret::new(rng.bytes(suite.hash_len())?);
        let secrets = EpochSecrets::from_joiner_secret(
            &suite,
            fresh,
            &Secret::zero(suite.hash_len()),
            &context.to_bytes(),
        )?;
        let tag = confirmation_tag(
            &suite,
            secrets.confirmation_key.as_bytes(),
            &context.confirmed_transcript_hash,
        );
        let interim = interim_transcript_hash(&suite, &context.confirmed_transcript_hash, &tag);

        let own_leaf = LeafIndex(0);
        let mut private_keys = PrivateKeys::new();
        let own_node = own_leaf
            .to_node()
            .ok_or(Error::Misuse("leaf 0 has a node"))?;
        private_keys.insert(own_node, creator.encryption_private);
        Group::from_parts(GroupParts {
            context,
            tree,
            own_leaf,
            signer: creator.signer,
            private_keys,
            secrets,
            interim_transcript_hash: interim,
            confirmation_tag: tag,
            config,
        })
    }
}

/// The creator's leaf must meet the rules of §7.3 for the group it creates: the
/// `required_capabilities` of `extensions`, support for every non-default GroupContext
/// extension (§13.4), and a valid lifetime.
fn check_creator_supports(
    leaf: &LeafNode,
    extensions: &[Extension],
    config: GroupConfig,
    clock: &dyn Clock,
) -> Result<()> {
    let required = RequiredCapabilities::from_extensions(extensions)?;
    let rules = LeafRules {
        required_capabilities: required.as_ref(),
        lifetime: config.lifetime_check(clock),
    };
    check_leaf_node_contents(leaf, &LeafNodeContext::KeyPackage, &rules)?;
    for e in extensions {
        if !is_default_extension(e.extension_type)
            && !leaf.capabilities.extensions.contains(&e.extension_type)
        {
            return Err(GroupViolation::GroupContextExtensionUnsupported {
                member: LeafIndex(0),
                extension_type: e.extension_type,
            }
            .into());
        }
    }
    Ok(())
}

/// The extension types of RFC 9420 itself (§17.3), which every client supports and
/// which "MUST NOT be listed" in capabilities (§7.2).
fn is_default_extension(t: ExtensionType) -> bool {
    (1..=5).contains(&t.0)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::crypto::SeededRandom;
    use crate::group::{CommitOptions, join, no_psks};
    use crate::messages::{Add, MlsMessage, Proposal};
    use crate::ratchet_tree::verify_leaf_signature;

    /// The clock of the sender-side tests.
    pub(in crate::group) const NOW: FixedClock = FixedClock(1_700_000_000);

    pub(in crate::group) fn suite() -> CipherSuite {
        CipherSuite::new(1).unwrap()
    }

    /// A client named `name`, valid forever.
    pub(in crate::group) fn bundle(name: &[u8], rng: &mut SeededRandom) -> KeyPackageBundle {
        let s = suite();
        let (signer, _) = s.generate_signature_key_pair(rng).unwrap();
        let options = LeafOptions::new(
            &s,
            Credential::Basic {
                identity: name.to_vec(),
            },
            Lifetime {
                not_before: 0,
                not_after: u64::MAX,
            },
        );
        KeyPackageBundle::new(&s, signer, &options, rng).unwrap()
    }

    /// A group of `n` members at epoch 1, built through the public API: member 0 creates
    /// it with `config` and adds the others, who join from the Welcome (with `config`
    /// too). `views[i]` is member `i`'s group.
    pub(in crate::group) fn group_of(
        n: usize,
        config: GroupConfig,
        rng: &mut SeededRandom,
    ) -> Vec<Group> {
        let creator = bundle(b"member 0", rng);
        let group =
            Group::create(creator, b"group".to_vec(), Vec::new(), config, &NOW, rng).unwrap();
        let others: Vec<KeyPackageBundle> = (1..n)
            .map(|i| bundle(format!("member {i}").as_bytes(), rng))
            .collect();
        let options = CommitOptions {
            proposals: others
                .iter()
                .map(|b| {
                    Proposal::Add(Add {
                        key_package: b.key_package.clone(),
                    })
                })
                .collect(),
            ..CommitOptions::default()
        };
        let pending = group.commit(&options, &no_psks, &NOW, rng).unwrap();
        // The tree goes out of band, so that configurations without it in the Welcome work.
        let tree = pending.next.tree().clone();
        let mut views = Vec::new();
        if let Some(MlsMessage::Welcome(welcome)) = &pending.welcome {
            for b in others {
                let keys = b.into();
                let joined = join(welcome, &keys, Some(tree.clone()), &no_psks, config, &NOW);
                views.push(joined.unwrap());
            }
        }
        views.insert(0, pending.merge());
        views
    }

    #[test]
    fn a_key_package_is_signed_and_its_keys_match_the_private_keys() {
        let s = suite();
        let b = bundle(b"alice", &mut SeededRandom::new(1));
        let kp = &b.key_package;
        let sig_key = &kp.leaf_node.signature_key;
        s.verify_with_label(
            &sig_key.0,
            KEY_PACKAGE_LABEL,
            &kp.to_be_signed(),
            &kp.signature,
        )
        .unwrap();
        verify_leaf_signature(&s, &kp.leaf_node, &LeafNodeContext::KeyPackage).unwrap();
        assert_eq!(s.hpke_public_key(&b.init_private).unwrap(), kp.init_key);
        assert_eq!(
            s.hpke_public_key(&b.encryption_private).unwrap(),
            kp.leaf_node.encryption_key
        );
        assert_ne!(kp.init_key, kp.leaf_node.encryption_key);
        assert_eq!(KeyPackage::from_bytes(&kp.to_bytes()).as_ref(), Ok(kp));
    }

    #[test]
    fn a_bundle_prints_no_private_key() {
        let b = bundle(b"alice", &mut SeededRandom::new(1));
        let shown = format!("{b:?}");
        assert!(!shown.contains("init_private") && !shown.contains("Secret"));
    }

    #[test]
    fn options_that_do_not_list_the_suite_are_refused() {
        let s = suite();
        let mut rng = SeededRandom::new(2);
        let (signer, _) = s.generate_signature_key_pair(&mut rng).unwrap();
        let mut options = LeafOptions::new(
            &s,
            Credential::Basic { identity: vec![1] },
            Lifetime {
                not_before: 0,
                not_after: 1,
            },
        );
        options.capabilities.cipher_suites = vec![CipherSuiteId(2)];
        assert!(matches!(
            KeyPackageBundle::new(&s, signer, &options, &mut rng),
            Err(Error::Misuse(_))
        ));
    }

    #[test]
    fn a_new_group_is_at_epoch_zero_with_its_creator_alone() {
        let mut rng = SeededRandom::new(3);
        let b = bundle(b"alice", &mut rng);
        let leaf = b.key_package.leaf_node.clone();
        let group = Group::create(
            b,
            b"group".to_vec(),
            Vec::new(),
            GroupConfig::default(),
            &FixedClock(10),
            &mut rng,
        )
        .unwrap();
        assert_eq!(group.epoch(), 0);
        assert_eq!(group.group_id(), b"group");
        assert_eq!(group.own_leaf_index(), LeafIndex(0));
        assert_eq!(group.members().count(), 1);
        assert_eq!(group.own_leaf_node(), Some(&leaf));
        assert!(group.group_context().confirmed_transcript_hash.is_empty());
        let s = suite();
        let tag = s.mac(group.secrets.confirmation_key.as_bytes(), b"");
        assert_eq!(group.confirmation_tag(), tag.as_slice());
        assert_eq!(
            group.interim_transcript_hash(),
            interim_transcript_hash(&s, b"", &tag).as_slice()
        );
    }

    #[test]
    fn a_creator_must_support_the_groups_extensions() {
        let mut rng = SeededRandom::new(4);
        let b = bundle(b"alice", &mut rng);
        let unknown = Extension::new(ExtensionType(0xff00), vec![]);
        let err = Group::create(
            b,
            b"g".to_vec(),
            vec![unknown],
            GroupConfig::default(),
            &FixedClock(10),
            &mut rng,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            Error::Protocol(crate::error::ProtocolViolation::Group(
                GroupViolation::GroupContextExtensionUnsupported { .. }
            ))
        ));
    }

    #[test]
    fn a_creator_whose_lifetime_has_passed_is_refused() {
        let s = suite();
        let mut rng = SeededRandom::new(5);
        let (signer, _) = s.generate_signature_key_pair(&mut rng).unwrap();
        let options = LeafOptions::new(
            &s,
            Credential::Basic { identity: vec![1] },
            Lifetime {
                not_before: 0,
                not_after: 5,
            },
        );
        let b = KeyPackageBundle::new(&s, signer, &options, &mut rng).unwrap();
        let result = Group::create(
            b,
            b"g".to_vec(),
            Vec::new(),
            GroupConfig::default(),
            &FixedClock(10),
            &mut rng,
        );
        assert!(result.is_err());
    }

    #[test]
    fn members_added_at_creation_agree_with_the_creator() {
        let views = group_of(4, GroupConfig::default(), &mut SeededRandom::new(6));
        for v in &views {
            assert_eq!(v.epoch(), 1);
            assert_eq!(v.epoch_authenticator(), views[0].epoch_authenticator());
            assert_eq!(v.tree(), views[0].tree());
        }
        let leaves: Vec<u32> = views.iter().map(|v| v.own_leaf_index().0).collect();
        assert_eq!(leaves, [0, 1, 2, 3]);
    }
}
