//! UpdatePaths made here and applied by every other member, whole and with one thing
//! wrong.

use super::*;
use crate::codec::Codec;
use crate::crypto::{CipherSuite, HpkePublicKey, Random, SeededRandom, SignaturePrivateKey};
use crate::error::{CryptoError, Error};
use crate::messages::group_context::GroupContext;
use crate::messages::leaf_node::tests::sample_leaf;
use crate::messages::{
    CipherSuiteId, HpkeCiphertext, LeafNodeSource, Lifetime, ProtocolVersion, UpdatePath,
};
use crate::ratchet_tree::{RatchetTree, TreeViolation};
use crate::tree_math::{LeafIndex, NodeIndex};

fn suite() -> CipherSuite {
    CipherSuite::new(1).unwrap()
}

/// A group: its tree, each member's private keys and signature key.
struct Group {
    tree: RatchetTree,
    keys: Vec<Option<PrivateKeys>>,
    signers: Vec<Option<SignaturePrivateKey>>,
    context: GroupContext,
    rng: SeededRandom,
}

impl Group {
    /// `n` members in a tree with blank parents.
    fn new(n: u32) -> Group {
        let mut group = Group {
            tree: RatchetTree::with_one_member(sample_leaf(LeafNodeSource::Update)),
            keys: Vec::new(),
            signers: Vec::new(),
            context: GroupContext {
                version: ProtocolVersion::MLS10,
                cipher_suite: CipherSuiteId(1),
                group_id: b"group".to_vec(),
                epoch: 4,
                tree_hash: Vec::new(),
                confirmed_transcript_hash: vec![9; 32],
                extensions: Vec::new(),
            },
            rng: SeededRandom::new(9420),
        };
        for i in 0..n {
            let leaf = group.new_leaf(LeafIndex(i));
            if i == 0 {
                group.tree.set_leaf(LeafIndex(0), Some(leaf)).unwrap();
            } else {
                group.tree.add_leaf(leaf).unwrap();
            }
        }
        // A tree of fresh leaves has no parents to be unmerged at.
        assert!(group.tree.parent_nodes().next().is_none());
        group
    }

    /// A leaf with fresh keys for position `at`, whose private keys are recorded.
    fn new_leaf(&mut self, at: LeafIndex) -> crate::messages::LeafNode {
        let s = suite();
        let (private, public) = s.hpke_generate_key_pair(&mut self.rng).unwrap();
        let (signer, signature_key) = s.generate_signature_key_pair(&mut self.rng).unwrap();
        let mut keys = PrivateKeys::new();
        keys.insert(at.to_node().unwrap(), private);
        let slot = at.0 as usize;
        if self.keys.len() <= slot {
            self.keys.resize(slot + 1, None);
            self.signers.resize(slot + 1, None);
        }
        self.keys[slot] = Some(keys);
        self.signers[slot] = Some(signer);
        let mut leaf = sample_leaf(LeafNodeSource::KeyPackage(Lifetime {
            not_before: 0,
            not_after: u64::MAX,
        }));
        leaf.encryption_key = public;
        leaf.signature_key = signature_key;
        leaf
    }

    /// Adds a member at the leftmost free leaf (unmerged where its path is non-blank).
    fn add(&mut self) -> LeafIndex {
        let at = self
            .tree
            .first_blank_leaf()
            .unwrap_or(LeafIndex(self.tree.leaf_count().get()));
        let leaf = self.new_leaf(at);
        assert_eq!(self.tree.add_leaf(leaf).unwrap(), at);
        at
    }

    fn members(&self) -> Vec<LeafIndex> {
        self.tree.members().map(|(i, _)| i).collect()
    }

    /// `sender` commits with a path, leaving `new_members` out; every other member
    /// applies it and must agree on the commit secret and the tree. The group moves on.
    fn commit(&mut self, sender: LeafIndex, new_members: &[LeafIndex]) {
        let s = suite();
        let created = self.create(sender, new_members);
        for receiver in self.members() {
            if receiver == sender || new_members.contains(&receiver) {
                continue;
            }
            let applied = self
                .apply(sender, &created.update_path, new_members, receiver)
                .unwrap();
            assert_eq!(
                applied.commit_secret.as_bytes(),
                created.commit_secret.as_bytes(),
                "receiver {receiver:?}"
            );
            assert_eq!(applied.tree, created.tree);
            assert_eq!(applied.group_context, created.group_context);
            let want = created.path_secret_for(receiver).unwrap();
            assert_eq!(applied.path_secret.1.as_bytes(), want.as_bytes());
            self.keys[receiver.0 as usize] = Some(applied.private_keys);
        }
        assert_eq!(created.tree.verify_parent_hashes(&s), Ok(()));
        self.keys[sender.0 as usize] = Some(created.private_keys);
        self.tree = created.tree;
    }

    fn create(&mut self, sender: LeafIndex, new_members: &[LeafIndex]) -> CreatedUpdatePath {
        let template = self.tree.leaf(sender).unwrap().clone();
        let signer = self.signers[sender.0 as usize].clone().unwrap();
        create_update_path(
            &suite(),
            &self.tree,
            sender,
            &template,
            &signer,
            &self.context,
            new_members,
            &mut self.rng,
        )
        .unwrap()
    }

    fn apply(
        &self,
        sender: LeafIndex,
        path: &UpdatePath,
        new_members: &[LeafIndex],
        receiver: LeafIndex,
    ) -> crate::Result<AppliedUpdatePath> {
        let keys = self.keys[receiver.0 as usize].as_ref().unwrap();
        apply_update_path(
            &suite(),
            &self.tree,
            sender,
            path,
            &self.context,
            new_members,
            receiver,
            keys,
        )
    }

    /// Applies `path` as `receiver`, expecting `want`, and checks the tree is as before.
    fn apply_fails(&self, sender: LeafIndex, path: &UpdatePath, receiver: LeafIndex, want: Error) {
        let before = self.tree.clone();
        let got = self.apply(sender, path, &[], receiver);
        assert_eq!(got.err(), Some(want));
        assert_eq!(self.tree, before);
    }
}

#[test]
fn every_member_derives_the_committers_commit_secret_over_several_commits() {
    let mut g = Group::new(5);
    for sender in [0, 3, 4, 1, 2, 0] {
        g.commit(LeafIndex(sender), &[]);
    }
}

#[test]
fn an_unmerged_leaf_gets_the_path_secret_through_its_own_key() {
    let mut g = Group::new(3);
    g.commit(LeafIndex(0), &[]);
    let added = g.add();
    assert_eq!(added, LeafIndex(3));
    // Node 3, the root, is non-blank after the commit: leaf 3 is unmerged there.
    assert_eq!(
        g.tree.parent(NodeIndex(3)).unwrap().unmerged_leaves,
        vec![added]
    );
    g.commit(LeafIndex(1), &[]);
    g.commit(LeafIndex(3), &[]);
}

#[test]
fn members_added_by_the_same_commit_are_left_out_of_the_resolutions() {
    let mut g = Group::new(2);
    g.commit(LeafIndex(0), &[]);
    let added = g.add();
    let created = g.create(LeafIndex(0), &[added]);
    // Leaf 0's path is node 1 (copath leaf 1) and node 3 (copath node 5: only leaf 2).
    let counts: Vec<usize> = created
        .update_path
        .nodes
        .iter()
        .map(|n| n.encrypted_path_secret.len())
        .collect();
    assert_eq!(counts, vec![1, 0]);
    assert!(matches!(
        g.apply(LeafIndex(0), &created.update_path, &[added], added),
        Err(Error::Misuse(_))
    ));
    g.commit(LeafIndex(0), &[added]);
}

#[test]
fn an_update_path_with_the_wrong_number_of_nodes_is_rejected() {
    let mut g = Group::new(4);
    let mut path = g.create(LeafIndex(0), &[]).update_path;
    path.nodes.pop();
    g.apply_fails(
        LeafIndex(0),
        &path,
        LeafIndex(1),
        TreeKemViolation::WrongPathLength {
            sender: LeafIndex(0),
            expected: 2,
            got: 1,
        }
        .into(),
    );
}

#[test]
fn an_update_path_node_with_a_missing_ciphertext_is_rejected() {
    let mut g = Group::new(4);
    let mut path = g.create(LeafIndex(0), &[]).update_path;
    path.nodes[1].encrypted_path_secret.pop();
    g.apply_fails(
        LeafIndex(0),
        &path,
        LeafIndex(1),
        TreeKemViolation::WrongCiphertextCount {
            node: NodeIndex(3),
            expected: 2,
            got: 1,
        }
        .into(),
    );
}

#[test]
fn a_flipped_byte_in_an_encrypted_path_secret_is_rejected() {
    let mut g = Group::new(4);
    let mut path = g.create(LeafIndex(0), &[]).update_path;
    // Leaf 3 decrypts the root's path secret, encrypted to leaves 2 and 3 in that order.
    path.nodes[1].encrypted_path_secret[1].ciphertext[0] ^= 1;
    g.apply_fails(
        LeafIndex(0),
        &path,
        LeafIndex(3),
        CryptoError::HpkeOpen.into(),
    );
    assert!(g.apply(LeafIndex(0), &path, &[], LeafIndex(2)).is_ok());
}

#[test]
fn a_flipped_parent_hash_in_the_new_leaf_is_rejected() {
    let mut g = Group::new(4);
    let mut path = g.create(LeafIndex(0), &[]).update_path;
    let LeafNodeSource::Commit { parent_hash } = &mut path.leaf_node.leaf_node_source else {
        unreachable!("a created leaf comes from a commit");
    };
    parent_hash[0] ^= 1;
    g.apply_fails(
        LeafIndex(0),
        &path,
        LeafIndex(1),
        TreeKemViolation::ParentHashMismatch {
            sender: LeafIndex(0),
        }
        .into(),
    );
}

#[test]
fn a_changed_public_key_in_the_path_breaks_the_parent_hash() {
    let mut g = Group::new(4);
    let mut path = g.create(LeafIndex(0), &[]).update_path;
    path.nodes[1].encryption_key = HpkePublicKey(vec![7; 32]);
    g.apply_fails(
        LeafIndex(0),
        &path,
        LeafIndex(1),
        TreeKemViolation::ParentHashMismatch {
            sender: LeafIndex(0),
        }
        .into(),
    );
}

/// A committer that signs a consistent path whose root key is not the one its path
/// secret derives: parent hashes and ciphertexts are all made for the wrong key.
#[test]
fn a_public_key_that_does_not_match_the_derived_one_is_rejected() {
    let mut g = Group::new(4);
    let s = suite();
    let sender = LeafIndex(0);
    let created = g.create(sender, &[]);
    let mut path = created.update_path.clone();
    let (_, wrong) = s.hpke_generate_key_pair(&mut g.rng).unwrap();
    path.nodes[1].encryption_key = wrong;

    let mut tree = g.tree.clone();
    let keys: Vec<_> = path
        .nodes
        .iter()
        .map(|n| n.encryption_key.clone())
        .collect();
    let parent_hash = tree.merge_path_keys(&s, sender, &keys).unwrap();
    path.leaf_node.leaf_node_source = LeafNodeSource::Commit { parent_hash };
    tree.set_leaf(sender, Some(path.leaf_node.clone())).unwrap();
    let mut context = g.context.clone();
    context.tree_hash = tree.root_tree_hash(&s);
    let mut rng = SeededRandom::new(1);
    for (node, (at, secret)) in path.nodes.iter_mut().zip(&created.path_secrets) {
        node.encrypted_path_secret = encrypt_to_resolution(&mut rng, &tree, *at, secret, &context);
    }
    g.apply_fails(
        sender,
        &path,
        LeafIndex(2),
        TreeKemViolation::DerivedKeyMismatch { node: NodeIndex(3) }.into(),
    );
}

/// The path secret of `node` (on leaf 0's path) encrypted to its copath child's
/// resolution in `tree`.
fn encrypt_to_resolution(
    rng: &mut dyn Random,
    tree: &RatchetTree,
    node: NodeIndex,
    secret: &crate::crypto::Secret,
    context: &GroupContext,
) -> Vec<HpkeCiphertext> {
    let s = suite();
    let step = tree
        .filtered_direct_path(LeafIndex(0))
        .unwrap()
        .into_iter()
        .find(|st| st.node == node)
        .unwrap();
    tree.resolution(step.copath_child)
        .into_iter()
        .map(|target| {
            let key = tree.encryption_key(target).unwrap();
            let (kem_output, ciphertext) = s
                .encrypt_with_label(
                    &key.0,
                    b"UpdatePathNode",
                    &context.to_bytes(),
                    secret.as_bytes(),
                    rng,
                )
                .unwrap();
            HpkeCiphertext {
                kem_output,
                ciphertext,
            }
        })
        .collect()
}

#[test]
fn a_new_leaf_that_is_not_from_a_commit_is_rejected() {
    let mut g = Group::new(2);
    let mut path = g.create(LeafIndex(0), &[]).update_path;
    path.leaf_node.leaf_node_source = LeafNodeSource::Update;
    g.apply_fails(
        LeafIndex(0),
        &path,
        LeafIndex(1),
        TreeViolation::WrongLeafNodeSource {
            leaf: Some(LeafIndex(0)),
            expected: crate::messages::LeafNodeSourceType::COMMIT,
            found: crate::messages::LeafNodeSourceType::UPDATE,
        }
        .into(),
    );
}

#[test]
fn a_path_key_already_in_the_tree_is_rejected() {
    let mut g = Group::new(2);
    let mut path = g.create(LeafIndex(0), &[]).update_path;
    path.nodes[0].encryption_key = g.tree.leaf(LeafIndex(1)).unwrap().encryption_key.clone();
    g.apply_fails(
        LeafIndex(0),
        &path,
        LeafIndex(1),
        TreeKemViolation::PathKeyAlreadyInTree {
            node: NodeIndex(1),
            other: NodeIndex(2),
        }
        .into(),
    );
}
