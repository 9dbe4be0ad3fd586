//! Tests of the group state machine: the rules of §12.2, §12.4.2 and §12.4.3.1, each fed
//! a violating input and checked for its specific error and for a group left unchanged.
//!
//! The fixtures build a group of a few members directly (every member's view of one
//! epoch), sign proposals and commits as any member, and commit with the same
//! `next_epoch` core the committer side uses. A "raw" commit skips the committer's own
//! validation, so that a receiver can be fed a commit that breaks a rule.

mod application;
mod commit_processing;
mod joining;
mod proposal_list;

use crate::clock::{FixedClock, LifetimeCheck};
use crate::codec::Codec;
use crate::crypto::{
    CipherSuite, HpkePrivateKey, Random, Secret, SeededRandom, SignaturePrivateKey,
};
use crate::error::{Error, ProtocolViolation};
use crate::framing::{PaddingPolicy, protect_private, protect_public, sign_content};
use crate::key_schedule::EpochSecrets;
use crate::messages::group_context::GroupContext;
use crate::messages::{
    Add, AuthenticatedContent, Capabilities, CipherSuiteId, Commit, Content, Credential,
    CredentialType, FramedContent, KeyPackage, LeafNode, LeafNodeSource, Lifetime, MlsMessage,
    PreSharedKeyId, Proposal, ProposalOrRef, ProposalRef, ProtocolVersion, PskSource, Remove,
    Sender, WireFormat,
};
use crate::ratchet_tree::{RatchetTree, TreeViolation};
use crate::tree_math::LeafIndex;
use crate::treekem::{CreatedUpdatePath, PrivateKeys, create_update_path};

use super::state::GroupParts;
use super::{
    CommittedProposal, Group, GroupConfig, GroupViolation, PathOutcome, Processed, no_psks,
};

/// The suite of every fixture.
fn suite() -> CipherSuite {
    CipherSuite::new(1).unwrap()
}

/// A clock in 2025, inside every fixture lifetime.
const NOW: FixedClock = FixedClock(1_750_000_000);

/// A client with its KeyPackage and the private keys behind it.
#[derive(Clone)]
struct Client {
    key_package: KeyPackage,
    signer: SignaturePrivateKey,
    encryption_private: HpkePrivateKey,
    init_private: HpkePrivateKey,
}

/// The capabilities of every fixture leaf.
fn capabilities() -> Capabilities {
    Capabilities {
        versions: vec![ProtocolVersion::MLS10],
        cipher_suites: vec![CipherSuiteId(1)],
        extensions: Vec::new(),
        proposals: Vec::new(),
        credentials: vec![CredentialType::BASIC],
    }
}

/// Signs a KeyPackage's leaf and then the KeyPackage.
fn sign_key_package(kp: &mut KeyPackage, signer: &SignaturePrivateKey) {
    let s = suite();
    kp.leaf_node.signature = s
        .sign_with_label(
            signer,
            b"LeafNodeTBS",
            &kp.leaf_node.to_be_signed(b"", LeafIndex(0)),
        )
        .unwrap();
    kp.signature = s
        .sign_with_label(signer, b"KeyPackageTBS", &kp.to_be_signed())
        .unwrap();
}

/// A new client named `name` whose KeyPackage is valid from 2020 to 2030.
fn client(name: &str, rng: &mut dyn Random) -> Client {
    let s = suite();
    let (signer, signature_key) = s.generate_signature_key_pair(rng).unwrap();
    let (encryption_private, encryption_key) = s.hpke_generate_key_pair(rng).unwrap();
    let (init_private, init_key) = s.hpke_generate_key_pair(rng).unwrap();
    let mut key_package = KeyPackage {
        version: ProtocolVersion::MLS10,
        cipher_suite: CipherSuiteId(1),
        init_key,
        leaf_node: LeafNode {
            encryption_key,
            signature_key,
            credential: Credential::Basic {
                identity: name.as_bytes().to_vec(),
            },
            capabilities: capabilities(),
            leaf_node_source: LeafNodeSource::KeyPackage(Lifetime {
                not_before: 1_577_836_800,
                not_after: 1_893_456_000,
            }),
            extensions: Vec::new(),
            signature: Vec::new(),
        },
        extensions: Vec::new(),
        signature: Vec::new(),
    };
    sign_key_package(&mut key_package, &signer);
    Client {
        key_package,
        signer,
        encryption_private,
        init_private,
    }
}

/// A group of `n` members at epoch 1, all leaves filled and all parents blank, and
/// each member's view of it (`views[i]` is member `i`'s). Lifetimes are enforced
/// against [`NOW`].
struct Fixture {
    views: Vec<Group>,
    rng: SeededRandom,
}

impl Fixture {
    fn new(n: usize) -> Fixture {
        let mut rng = SeededRandom::new(7);
        let s = suite();
        let clients: Vec<Client> = (0..n)
            .map(|i| client(&format!("member {i}"), &mut rng))
            .collect();
        let mut tree = RatchetTree::with_one_member(clients[0].key_package.leaf_node.clone());
        for c in &clients[1..] {
            tree.add_leaf(c.key_package.leaf_node.clone()).unwrap();
        }
        let mut context = GroupContext {
            version: ProtocolVersion::MLS10,
            cipher_suite: CipherSuiteId(1),
            group_id: b"fixture group".to_vec(),
            epoch: 1,
            tree_hash: tree.root_tree_hash(&s),
            confirmed_transcript_hash: rng.bytes(32).unwrap(),
            extensions: Vec::new(),
        };
        context.tree_hash = tree.root_tree_hash(&s);
        let init = Secret::new(rng.bytes(32).unwrap());
        let commit_secret = Secret::new(rng.bytes(32).unwrap());
        let secrets = EpochSecrets::derive(
            &s,
            &init,
            &commit_secret,
            &Secret::zero(32),
            &context.to_bytes(),
        )
        .unwrap();
        let confirmation_tag = rng.bytes(32).unwrap();
        let views = clients
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let leaf = LeafIndex(i as u32);
                let mut keys = PrivateKeys::new();
                keys.insert(leaf.to_node().unwrap(), c.encryption_private.clone());
                Group::from_parts(GroupParts {
                    context: context.clone(),
                    tree: tree.clone(),
                    own_leaf: leaf,
                    signer: c.signer.clone(),
                    private_keys: keys,
                    secrets: secrets.clone(),
                    interim_transcript_hash: vec![9; 32],
                    confirmation_tag: confirmation_tag.clone(),
                    config: GroupConfig::default(),
                })
                .unwrap()
            })
            .collect();
        Fixture { views, rng }
    }

    /// A fresh client, not in the group.
    fn outsider(&mut self, name: &str) -> Client {
        client(name, &mut self.rng)
    }
}

/// Signs `content` as `group`'s own member for a PublicMessage, with `tag` as the
/// confirmation tag of a commit, and adds the membership tag.
fn public_message(group: &Group, content: Content, tag: Option<Vec<u8>>) -> MlsMessage {
    let ac = signed(group, content, WireFormat::MLS_PUBLIC_MESSAGE);
    seal_public(group, ac, tag)
}

/// The AuthenticatedContent of `content` from `group`'s member, signed.
fn signed(group: &Group, content: Content, wire_format: WireFormat) -> AuthenticatedContent {
    let framed = FramedContent {
        group_id: group.group_id().to_vec(),
        epoch: group.epoch(),
        sender: Sender::Member(group.own_leaf),
        authenticated_data: Vec::new(),
        content,
    };
    sign_content(
        &group.suite,
        wire_format,
        framed,
        &group.context,
        &group.signer,
    )
    .unwrap()
}

/// `ac` with confirmation tag `tag`, as a PublicMessage with its membership tag.
fn seal_public(group: &Group, mut ac: AuthenticatedContent, tag: Option<Vec<u8>>) -> MlsMessage {
    ac.auth.confirmation_tag = tag;
    let m = protect_public(
        &group.suite,
        &ac,
        &group.context,
        Some(&group.secrets.membership_key),
    )
    .unwrap();
    MlsMessage::PublicMessage(m)
}

/// `proposal` sent by `group`'s member as a PublicMessage, with its reference.
fn propose(group: &Group, proposal: Proposal) -> (MlsMessage, ProposalRef) {
    let ac = signed(
        group,
        Content::Proposal(proposal),
        WireFormat::MLS_PUBLIC_MESSAGE,
    );
    let reference = group.proposal_ref(&ac);
    (seal_public(group, ac, None), reference)
}

/// A commit of `commit` from `group`'s member that skips the committer's checks: its
/// confirmation tag is zeros, so a receiver must reject it for a rule checked earlier.
fn raw_commit(group: &Group, commit: Commit) -> MlsMessage {
    public_message(group, Content::Commit(commit), Some(vec![0; 32]))
}

/// A valid commit made by `committer`, as the committer side would make it.
struct MadeCommit {
    message: MlsMessage,
    next: Group,
    path: Option<CreatedUpdatePath>,
}

/// Commits `proposals` as `committer` (by value unless given as references it has
/// cached), with a fresh path if `with_path`, and returns the message and the
/// committer's next epoch.
fn commit(
    committer: &Group,
    proposals: Vec<ProposalOrRef>,
    with_path: bool,
    rng: &mut dyn Random,
) -> MadeCommit {
    commit_as(
        committer,
        proposals,
        with_path,
        WireFormat::MLS_PUBLIC_MESSAGE,
        rng,
    )
}

/// [`commit`], sent in `wire_format`.
fn commit_as(
    committer: &Group,
    proposals: Vec<ProposalOrRef>,
    with_path: bool,
    wire_format: WireFormat,
    rng: &mut dyn Random,
) -> MadeCommit {
    let s = suite();
    let me = Sender::Member(committer.own_leaf);
    let resolved: Vec<CommittedProposal> = proposals
        .iter()
        .map(|p| match p {
            ProposalOrRef::Proposal(proposal) => CommittedProposal {
                proposal: proposal.clone(),
                sender: me,
                reference: None,
            },
            ProposalOrRef::Reference(r) => {
                let cached = committer.proposals.get(r).unwrap();
                CommittedProposal {
                    proposal: cached.proposal.clone(),
                    sender: cached.sender,
                    reference: Some(r.clone()),
                }
            }
        })
        .collect();
    let provisional = committer
        .apply_proposals(me, &resolved, LifetimeCheck::Skipped)
        .unwrap();
    let (outcome, created) = if with_path {
        let context = provisional
            .group_context(&s, &committer.context, &provisional.tree)
            .unwrap();
        let created = create_update_path(
            &s,
            &provisional.tree,
            committer.own_leaf,
            committer.own_leaf_node().unwrap(),
            &committer.signer,
            &context,
            &provisional.added_leaves(),
            rng,
        )
        .unwrap();
        let outcome = PathOutcome {
            tree: created.tree.clone(),
            private_keys: created.private_keys.clone(),
            commit_secret: created.commit_secret.clone(),
        };
        (outcome, Some(created))
    } else {
        (provisional.without_path(&s), None)
    };
    let psk_secret = committer.psk_secret(&provisional.psks, &no_psks).unwrap();
    let body = Commit {
        proposals,
        path: created.as_ref().map(|c| c.update_path.clone()),
    };
    let mut ac = signed(committer, Content::Commit(body), wire_format);
    let next = committer
        .next_epoch(&provisional, outcome, &psk_secret, &ac)
        .unwrap();
    let message = if wire_format == WireFormat::MLS_PRIVATE_MESSAGE {
        ac.auth.confirmation_tag = Some(next.confirmation_tag);
        seal_private(committer, &ac, rng)
    } else {
        seal_public(committer, ac, Some(next.confirmation_tag))
    };
    MadeCommit {
        message,
        next: next.group,
        path: created,
    }
}

/// `ac` as a PrivateMessage from `group`'s member (the sender's ratchet is advanced on a
/// copy only: each fixture message uses the first generation).
fn seal_private(group: &Group, ac: &AuthenticatedContent, rng: &mut dyn Random) -> MlsMessage {
    let mut secret_tree = group.secret_tree.clone();
    let m = protect_private(
        &group.suite,
        ac,
        &mut secret_tree,
        &group.secrets.sender_data_secret,
        PaddingPolicy::MultipleOf(32),
        rng,
    )
    .unwrap();
    MlsMessage::PrivateMessage(m)
}

/// Processes `message` in `group` at [`NOW`] without PSKs.
fn process(group: &Group, message: &MlsMessage) -> crate::error::Result<(Processed, Group)> {
    group.process(message, &no_psks, &NOW)
}

/// Processes `message`, expecting an error; checks that `group` is unchanged and
/// returns the error.
fn rejected(group: &Group, message: &MlsMessage) -> Error {
    let before = group.fingerprint();
    let error = match process(group, message) {
        Ok((processed, _)) => panic!("accepted: {processed:?}"),
        Err(e) => e,
    };
    assert_eq!(group.fingerprint(), before, "the group changed");
    error
}

/// The group violation of an error.
fn group_violation(e: Error) -> GroupViolation {
    match e {
        Error::Protocol(ProtocolViolation::Group(v)) => v,
        other => panic!("expected a group violation, got {other:?}"),
    }
}

/// The tree violation of an error.
fn tree_violation(e: Error) -> TreeViolation {
    match e {
        Error::Protocol(ProtocolViolation::Tree(v)) => v,
        other => panic!("expected a tree violation, got {other:?}"),
    }
}

/// Has `group` process `message`, which must be a proposal, and returns the new group.
fn receive_proposal(group: &Group, message: &MlsMessage) -> Group {
    match process(group, message).unwrap() {
        (Processed::Proposal(_), next) => next,
        (other, _) => panic!("not a proposal: {other:?}"),
    }
}

/// An Add proposal of `client`.
fn add(client: &Client) -> Proposal {
    Proposal::Add(Add {
        key_package: client.key_package.clone(),
    })
}

/// A Remove proposal of leaf `i`.
fn remove(i: u32) -> Proposal {
    Proposal::Remove(Remove {
        removed: LeafIndex(i),
    })
}

/// An external PSK proposal of `id` with a `KDF.Nh`-byte nonce.
fn external_psk(id: &[u8], nonce: u8) -> Proposal {
    Proposal::PreSharedKey(crate::messages::PreSharedKey {
        psk: PreSharedKeyId {
            psk: PskSource::External {
                psk_id: id.to_vec(),
            },
            psk_nonce: vec![nonce; 32],
        },
    })
}

/// Proposals by value.
fn by_value(proposals: Vec<Proposal>) -> Vec<ProposalOrRef> {
    proposals.into_iter().map(ProposalOrRef::Proposal).collect()
}

/// A PrivateMessage of application data from `group`'s member; returns the message and
/// the sender's group with the key used.
fn application(group: &Group, data: &[u8], rng: &mut dyn Random) -> (MlsMessage, Group) {
    let mut sender = group.clone();
    let ac = signed(
        group,
        Content::Application(data.to_vec()),
        WireFormat::MLS_PRIVATE_MESSAGE,
    );
    let m = protect_private(
        &sender.suite,
        &ac,
        &mut sender.secret_tree,
        &group.secrets.sender_data_secret,
        PaddingPolicy::MultipleOf(32),
        rng,
    )
    .unwrap();
    (MlsMessage::PrivateMessage(m), sender)
}
