//! Tests of the framing layer on messages protected here. The vector-based mutation
//! tests are in the conformance harness (`runners/message_protection.rs`).

use super::*;
use crate::codec::Codec;
use crate::crypto::{CipherSuite, Secret, SeededRandom, SignaturePrivateKey, SignaturePublicKey};
use crate::error::{CryptoError, DecodeError, Error, ProtocolViolation};
use crate::messages::{
    AuthenticatedContent, CipherSuiteId, Commit, Content, ContentType, ExternalInit, FramedContent,
    PrivateMessage, PrivateMessageContent, Proposal, ProposalType, ProtocolVersion, PublicMessage,
    Remove, Sender, SenderData, SenderType, WireFormat, group_context::GroupContext,
};
use crate::secret_tree::SecretTree;
use crate::transcript_hash::{TranscriptHashes, confirmation_tag, verify_confirmation_tag};
use crate::tree_math::{LeafCount, LeafIndex};

const SENDER: LeafIndex = LeafIndex(1);

/// One member's view of an epoch: keys for suite 1 and a 2-leaf tree.
struct Epoch {
    suite: CipherSuite,
    context: GroupContext,
    signer: SignaturePrivateKey,
    public: SignaturePublicKey,
    membership_key: Secret,
    sender_data_secret: Secret,
    encryption_secret: Secret,
}

impl Epoch {
    fn new() -> Self {
        let suite = CipherSuite::new(1).unwrap();
        let (signer, public) = suite
            .generate_signature_key_pair(&mut SeededRandom::new(1))
            .unwrap();
        Epoch {
            suite,
            context: GroupContext {
                version: ProtocolVersion::MLS10,
                cipher_suite: CipherSuiteId(1),
                group_id: b"group".to_vec(),
                epoch: 7,
                tree_hash: vec![1; 32],
                confirmed_transcript_hash: vec![2; 32],
                extensions: Vec::new(),
            },
            signer,
            public,
            membership_key: Secret::new(vec![3; 32]),
            sender_data_secret: Secret::new(vec![4; 32]),
            encryption_secret: Secret::new(vec![5; 32]),
        }
    }

    fn tree(&self) -> SecretTree {
        SecretTree::new(
            self.suite,
            self.encryption_secret.clone(),
            LeafCount::new(2).unwrap(),
        )
    }

    fn framed(&self, sender: Sender, content: Content) -> FramedContent {
        FramedContent {
            group_id: self.context.group_id.clone(),
            epoch: self.context.epoch,
            sender,
            authenticated_data: b"aad".to_vec(),
            content,
        }
    }

    fn sign(
        &self,
        wire_format: WireFormat,
        sender: Sender,
        content: Content,
    ) -> AuthenticatedContent {
        sign_content(
            &self.suite,
            wire_format,
            self.framed(sender, content),
            &self.context,
            &self.signer,
        )
        .unwrap()
    }

    fn unprotect_public(&self, m: &PublicMessage) -> Result<AuthenticatedContent, Error> {
        unprotect_public(
            &self.suite,
            m,
            &self.context,
            Some(&self.membership_key),
            |_| Some(self.public.clone()),
        )
    }

    fn protect_private(&self, ac: &AuthenticatedContent, tree: &mut SecretTree) -> PrivateMessage {
        protect_private(
            &self.suite,
            ac,
            tree,
            &self.sender_data_secret,
            PaddingPolicy::WEB_API,
            &mut SeededRandom::new(2),
        )
        .unwrap()
    }

    fn unprotect_private(
        &self,
        m: &PrivateMessage,
        tree: &mut SecretTree,
    ) -> Result<AuthenticatedContent, Error> {
        unprotect_private(
            &self.suite,
            m,
            &self.context,
            tree,
            &self.sender_data_secret,
            |leaf| (leaf == SENDER).then(|| self.public.clone()),
        )
    }

    /// A PrivateMessage sealed by hand, as an insider who knows the epoch's secrets
    /// could forge it: any plaintext, any sender data.
    fn forge_private(
        &self,
        content_type: ContentType,
        plaintext: &[u8],
        sender_data: SenderData,
    ) -> PrivateMessage {
        let mut m = PrivateMessage {
            group_id: self.context.group_id.clone(),
            epoch: self.context.epoch,
            content_type,
            authenticated_data: b"aad".to_vec(),
            encrypted_sender_data: Vec::new(),
            ciphertext: Vec::new(),
        };
        let generation = sender_data.generation;
        let ratchet = ratchet_for(content_type);
        m.ciphertext = match self.tree().key(sender_data.leaf_index, ratchet, generation) {
            Ok(k) => {
                let nonce = guarded_nonce(&k.nonce, sender_data.reuse_guard);
                let aad = m.content_aad().to_bytes();
                let sealed =
                    self.suite
                        .aead_seal(k.key.as_bytes(), nonce.as_bytes(), &aad, plaintext);
                sealed.unwrap()
            }
            // A leaf outside the tree has no key: any bytes will do.
            Err(_) => vec![0x55; 64],
        };
        m.encrypted_sender_data = encrypt_sender_data(
            &self.suite,
            &self.sender_data_secret,
            &m.sender_data_aad(),
            &sender_data,
            &m.ciphertext,
        )
        .unwrap();
        m
    }
}

fn remove(leaf: u32) -> Content {
    Content::Proposal(Proposal::Remove(Remove {
        removed: LeafIndex(leaf),
    }))
}

fn empty_commit() -> Content {
    Content::Commit(Commit {
        proposals: Vec::new(),
        path: None,
    })
}

fn violation(e: Error) -> FramingViolation {
    match e {
        Error::Protocol(ProtocolViolation::Framing(v)) => v,
        other => panic!("expected a framing violation, got {other:?}"),
    }
}

#[test]
fn a_member_proposal_round_trips_as_a_public_message() {
    let e = Epoch::new();
    let ac = e.sign(
        WireFormat::MLS_PUBLIC_MESSAGE,
        Sender::Member(SENDER),
        remove(0),
    );
    let m = protect_public(&e.suite, &ac, &e.context, Some(&e.membership_key)).unwrap();
    assert!(m.membership_tag.is_some());
    let decoded = PublicMessage::from_bytes(&m.to_bytes()).unwrap();
    assert_eq!(e.unprotect_public(&decoded).unwrap(), ac);
}

#[test]
fn an_external_proposal_has_no_membership_tag_and_verifies_with_the_external_key() {
    let e = Epoch::new();
    let ac = e.sign(
        WireFormat::MLS_PUBLIC_MESSAGE,
        Sender::External(0),
        remove(0),
    );
    let m = protect_public(&e.suite, &ac, &e.context, None).unwrap();
    assert_eq!(m.membership_tag, None);
    let got = unprotect_public(&e.suite, &m, &e.context, None, |c| {
        (c.sender == Sender::External(0)).then(|| e.public.clone())
    });
    assert_eq!(got.unwrap(), ac);
}

#[test]
fn an_application_message_cannot_be_protected_as_a_public_message() {
    let e = Epoch::new();
    let framed = e.framed(Sender::Member(SENDER), Content::Application(b"hi".to_vec()));
    let err = sign_content(
        &e.suite,
        WireFormat::MLS_PUBLIC_MESSAGE,
        framed,
        &e.context,
        &e.signer,
    )
    .unwrap_err();
    assert_eq!(
        violation(err),
        FramingViolation::ApplicationMessageNotEncrypted
    );
}

#[test]
fn a_public_message_with_application_content_is_rejected_when_unprotecting() {
    let e = Epoch::new();
    // Signed for PrivateMessage, then framed as a PublicMessage by hand.
    let ac = e.sign(
        WireFormat::MLS_PRIVATE_MESSAGE,
        Sender::Member(SENDER),
        Content::Application(b"hi".to_vec()),
    );
    let mut m = PublicMessage {
        content: ac.content,
        auth: ac.auth,
        membership_tag: None,
    };
    m.membership_tag = Some(
        e.suite
            .mac(e.membership_key.as_bytes(), &m.to_be_maced(&e.context)),
    );
    assert_eq!(
        violation(e.unprotect_public(&m).unwrap_err()),
        FramingViolation::ApplicationMessageNotEncrypted
    );
}

#[test]
fn senders_outside_the_group_may_send_only_what_section_6_1_allows() {
    let e = Epoch::new();
    let public = WireFormat::MLS_PUBLIC_MESSAGE;
    let rule = |sender, content| {
        check_content_rules(public, &e.framed(sender, content)).map_err(violation)
    };
    assert_eq!(
        rule(Sender::External(0), empty_commit()),
        Err(FramingViolation::ContentTypeNotAllowedForSender {
            sender_type: SenderType::EXTERNAL,
            content_type: ContentType::COMMIT,
        })
    );
    let external_init = Content::Proposal(Proposal::ExternalInit(ExternalInit {
        kem_output: vec![1],
    }));
    assert_eq!(
        rule(Sender::External(0), external_init),
        Err(FramingViolation::ProposalTypeNotAllowedForExternalSender {
            proposal_type: ProposalType::EXTERNAL_INIT,
        })
    );
    assert_eq!(
        rule(Sender::NewMemberProposal, remove(0)),
        Err(FramingViolation::NewMemberProposalNotAdd {
            proposal_type: ProposalType::REMOVE,
        })
    );
    assert_eq!(
        rule(Sender::NewMemberCommit, remove(0)),
        Err(FramingViolation::ContentTypeNotAllowedForSender {
            sender_type: SenderType::NEW_MEMBER_COMMIT,
            content_type: ContentType::PROPOSAL,
        })
    );
    assert_eq!(rule(Sender::NewMemberCommit, empty_commit()), Ok(()));
    assert_eq!(rule(Sender::External(3), remove(0)), Ok(()));
}

#[test]
fn a_private_message_can_only_be_sent_by_a_member() {
    let e = Epoch::new();
    let framed = e.framed(Sender::External(0), remove(0));
    let err = sign_content(
        &e.suite,
        WireFormat::MLS_PRIVATE_MESSAGE,
        framed,
        &e.context,
        &e.signer,
    )
    .unwrap_err();
    assert_eq!(
        violation(err),
        FramingViolation::PrivateMessageSenderNotMember {
            sender_type: SenderType::EXTERNAL
        }
    );
}

#[test]
fn a_message_of_another_group_or_epoch_is_rejected() {
    let e = Epoch::new();
    let ac = e.sign(
        WireFormat::MLS_PUBLIC_MESSAGE,
        Sender::Member(SENDER),
        remove(0),
    );
    let m = protect_public(&e.suite, &ac, &e.context, Some(&e.membership_key)).unwrap();
    let mut later = e.context.clone();
    later.epoch += 1;
    let err = unprotect_public(&e.suite, &m, &later, Some(&e.membership_key), |_| {
        Some(e.public.clone())
    })
    .unwrap_err();
    assert_eq!(
        violation(err),
        FramingViolation::EpochMismatch {
            message: 7,
            group: 8
        }
    );
    let mut other = e.context.clone();
    other.group_id = b"other".to_vec();
    let err = unprotect_public(&e.suite, &m, &other, Some(&e.membership_key), |_| {
        Some(e.public.clone())
    })
    .unwrap_err();
    assert_eq!(violation(err), FramingViolation::GroupIdMismatch);
}

#[test]
fn a_sender_without_a_known_key_is_rejected() {
    let e = Epoch::new();
    let ac = e.sign(
        WireFormat::MLS_PUBLIC_MESSAGE,
        Sender::Member(SENDER),
        remove(0),
    );
    let m = protect_public(&e.suite, &ac, &e.context, Some(&e.membership_key)).unwrap();
    let err =
        unprotect_public(&e.suite, &m, &e.context, Some(&e.membership_key), |_| None).unwrap_err();
    assert_eq!(
        violation(err),
        FramingViolation::UnknownSender {
            sender: Sender::Member(SENDER)
        }
    );
}

#[test]
fn a_commit_cannot_be_protected_without_its_confirmation_tag() {
    let e = Epoch::new();
    let ac = e.sign(
        WireFormat::MLS_PUBLIC_MESSAGE,
        Sender::Member(SENDER),
        empty_commit(),
    );
    let err = protect_public(&e.suite, &ac, &e.context, Some(&e.membership_key)).unwrap_err();
    assert_eq!(violation(err), FramingViolation::MissingConfirmationTag);
}

#[test]
fn a_wrong_confirmation_tag_fails_the_membership_tag_and_then_the_confirmation_check() {
    let e = Epoch::new();
    let confirmation_key = [9u8; 32];
    let before = TranscriptHashes {
        confirmed: vec![2; 32],
        interim: vec![6; 32],
    };
    let mut ac = e.sign(
        WireFormat::MLS_PUBLIC_MESSAGE,
        Sender::Member(SENDER),
        empty_commit(),
    );
    // The tag covers the new confirmed transcript hash, which covers the signature.
    ac.auth.confirmation_tag = Some(Vec::new());
    let confirmed = before.after_commit(&e.suite, &ac).unwrap().confirmed;
    ac.auth.confirmation_tag = Some(confirmation_tag(&e.suite, &confirmation_key, &confirmed));
    let genuine = protect_public(&e.suite, &ac, &e.context, Some(&e.membership_key)).unwrap();

    let mut forged = genuine.clone();
    if let Some(tag) = forged.auth.confirmation_tag.as_mut() {
        tag[0] ^= 1;
    }
    // The bytes still decode; the membership tag covers the confirmation tag.
    let forged = PublicMessage::from_bytes(&forged.to_bytes()).unwrap();
    assert_eq!(
        e.unprotect_public(&forged).unwrap_err(),
        Error::Crypto(CryptoError::InvalidMac)
    );
    // An insider can fix the membership tag; the confirmation check still fails.
    let mut insider = forged;
    insider.membership_tag = Some(e.suite.mac(
        e.membership_key.as_bytes(),
        &insider.to_be_maced(&e.context),
    ));
    let got = e.unprotect_public(&insider).unwrap();
    let confirmed = before.after_commit(&e.suite, &got).unwrap().confirmed;
    let tag = got.auth.confirmation_tag.unwrap();
    assert_eq!(
        verify_confirmation_tag(&e.suite, &confirmation_key, &confirmed, &tag),
        Err(Error::Crypto(CryptoError::InvalidMac))
    );
    let good = e.unprotect_public(&genuine).unwrap();
    let good_tag = good.auth.confirmation_tag.unwrap();
    assert!(verify_confirmation_tag(&e.suite, &confirmation_key, &confirmed, &good_tag).is_ok());
}

#[test]
fn an_application_message_round_trips_as_a_padded_private_message() {
    let e = Epoch::new();
    let ac = e.sign(
        WireFormat::MLS_PRIVATE_MESSAGE,
        Sender::Member(SENDER),
        Content::Application(b"hello".to_vec()),
    );
    let mut sender = e.tree();
    let m = e.protect_private(&ac, &mut sender);
    // 32-byte blocks of plaintext plus the 16-byte AEAD tag.
    assert_eq!((m.ciphertext.len() - 16) % 32, 0);
    let decoded = PrivateMessage::from_bytes(&m.to_bytes()).unwrap();
    assert_eq!(e.unprotect_private(&decoded, &mut e.tree()).unwrap(), ac);
}

#[test]
fn consecutive_private_messages_use_consecutive_generations() {
    let e = Epoch::new();
    let mut sender = e.tree();
    let mut receiver = e.tree();
    let ac = e.sign(
        WireFormat::MLS_PRIVATE_MESSAGE,
        Sender::Member(SENDER),
        remove(0),
    );
    let first = e.protect_private(&ac, &mut sender);
    let second = e.protect_private(&ac, &mut sender);
    // Out of order is fine, within the window.
    assert_eq!(e.unprotect_private(&second, &mut receiver).unwrap(), ac);
    assert_eq!(e.unprotect_private(&first, &mut receiver).unwrap(), ac);
}

#[test]
fn non_zero_padding_is_rejected_and_changes_nothing() {
    let e = Epoch::new();
    let ac = e.sign(
        WireFormat::MLS_PRIVATE_MESSAGE,
        Sender::Member(SENDER),
        remove(0),
    );
    let mut plaintext = PrivateMessageContent {
        content: ac.content.content.clone(),
        auth: ac.auth.clone(),
        padding_len: 3,
    }
    .to_bytes();
    let sender_data = SenderData {
        leaf_index: SENDER,
        generation: 0,
        reuse_guard: [1, 2, 3, 4],
    };
    let genuine = e.forge_private(ContentType::PROPOSAL, &plaintext, sender_data);
    if let Some(last) = plaintext.last_mut() {
        *last = 1;
    }
    let forged = e.forge_private(ContentType::PROPOSAL, &plaintext, sender_data);
    let mut tree = e.tree();
    assert_eq!(
        e.unprotect_private(&forged, &mut tree).unwrap_err(),
        Error::Decode(DecodeError::InvalidValue {
            field: "PrivateMessageContent.padding",
            value: 1
        })
    );
    assert_eq!(e.unprotect_private(&genuine, &mut tree).unwrap(), ac);
}

#[test]
fn a_forged_far_future_generation_does_not_move_the_ratchet() {
    let e = Epoch::new();
    let ac = e.sign(
        WireFormat::MLS_PRIVATE_MESSAGE,
        Sender::Member(SENDER),
        remove(0),
    );
    let genuine = e.protect_private(&ac, &mut e.tree());
    // An insider seals a message at generation 500 whose signature is wrong. Had the
    // ratchet moved there, generation 0 would have left the out-of-order window.
    let mut auth = ac.auth.clone();
    auth.signature[0] ^= 1;
    let plaintext = PrivateMessageContent {
        content: ac.content.content.clone(),
        auth,
        padding_len: 0,
    }
    .to_bytes();
    let far = SenderData {
        leaf_index: SENDER,
        generation: 500,
        reuse_guard: [0; 4],
    };
    let forged = e.forge_private(ContentType::PROPOSAL, &plaintext, far);
    let mut tree = e.tree();
    assert_eq!(
        e.unprotect_private(&forged, &mut tree).unwrap_err(),
        Error::Crypto(CryptoError::InvalidSignature)
    );
    assert_eq!(e.unprotect_private(&genuine, &mut tree).unwrap(), ac);
}
