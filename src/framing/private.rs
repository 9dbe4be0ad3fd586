//! Encoding and decoding a PrivateMessage (RFC 9420 §6.3, §6.3.1).
//!
//! ```text
//! struct {
//!     opaque group_id<V>;
//!     uint64 epoch;
//!     ContentType content_type;
//!     opaque authenticated_data<V>;
//!     opaque encrypted_sender_data<V>;
//!     opaque ciphertext<V>;
//! } PrivateMessage;
//! ```
//!
//! The content is a `PrivateMessageContent` (content, auth, zero padding) sealed under the
//! key and nonce of one generation of the sender's handshake or application ratchet
//! (§9.1), the nonce's first four bytes XORed with a random reuse guard, with the
//! `PrivateContentAAD` as AAD. The sender data (§6.3.2) says which leaf, generation and
//! reuse guard to use.
//!
//! Receiving follows "a failed check changes nothing": every check runs against a copy
//! of the secret tree, and the copy, with the used key deleted, replaces the tree only
//! once the signature has verified. A forged message cannot consume a key, nor move a
//! ratchet forward (which would delete keys outside the out-of-order window).

use super::FramingViolation;
use super::content_authentication::{
    check_confirmation_tag_presence, check_content_rules, check_group_and_epoch,
    verify_content_signature,
};
use super::padding::PaddingPolicy;
use super::sender_data::{decrypt_sender_data, encrypt_sender_data};
use crate::codec::Codec;
use crate::crypto::{CipherSuite, Random, Secret, SignaturePublicKey};
use crate::error::{Error, Result};
use crate::messages::{
    AuthenticatedContent, ContentType, FramedContent, PrivateMessage, PrivateMessageContent,
    Sender, SenderData, WireFormat, group_context::GroupContext,
};
use crate::secret_tree::{RatchetType, SecretTree};
use crate::tree_math::LeafIndex;

/// The ratchet that protects content of this type (§6.3.1): the application ratchet for
/// application messages, the handshake ratchet for proposals and commits.
pub fn ratchet_for(content_type: ContentType) -> RatchetType {
    match content_type {
        ContentType::APPLICATION => RatchetType::Application,
        _ => RatchetType::Handshake,
    }
}

/// The encryption nonce: the key schedule's nonce with its first four bytes XORed with
/// the reuse guard (§6.3.1).
///
/// ```text
/// +-+-+-+-+---------...---+
/// |   Key Schedule Nonce  |
/// +-+-+-+-+---------...---+
///            XOR
/// +-+-+-+-+---------...---+
/// | Guard |       0       |
/// +-+-+-+-+---------...---+
/// ```
pub fn guarded_nonce(nonce: &Secret, reuse_guard: [u8; 4]) -> Secret {
    let mut bytes = nonce.as_bytes().to_vec();
    for (byte, guard) in bytes.iter_mut().zip(reuse_guard) {
        *byte ^= guard;
    }
    Secret::new(bytes)
}

/// Encodes a signed AuthenticatedContent as a PrivateMessage (§6.3).
///
/// The sender (a `member`) takes the next generation of its own ratchet for the
/// content type from `secret_tree`, draws a fresh four-byte reuse guard from `rng`,
/// pads the `PrivateMessageContent` by `padding`, seals it with the
/// `PrivateContentAAD`, then encrypts the `SenderData` under `sender_data_secret`.
///
/// `content` must have been signed for the PrivateMessage wire format (see
/// [`super::sign_content`]) and, for a commit, carry its confirmation tag. The ratchet
/// moves forward even if sealing then fails, so that no generation is used twice.
pub fn protect_private(
    suite: &CipherSuite,
    content: &AuthenticatedContent,
    secret_tree: &mut SecretTree,
    sender_data_secret: &Secret,
    padding: PaddingPolicy,
    rng: &mut dyn Random,
) -> Result<PrivateMessage> {
    if content.wire_format != WireFormat::MLS_PRIVATE_MESSAGE {
        return Err(Error::Misuse(
            "the content was signed for another wire format than PrivateMessage",
        ));
    }
    check_content_rules(content.wire_format, &content.content)?;
    check_confirmation_tag_presence(&content.content, &content.auth)?;
    let framed = &content.content;
    let Sender::Member(leaf) = framed.sender else {
        // check_content_rules has rejected every other sender already.
        return Err(FramingViolation::PrivateMessageSenderNotMember {
            sender_type: framed.sender.sender_type(),
        }
        .into());
    };

    let mut plaintext = PrivateMessageContent {
        content: framed.content.clone(),
        auth: content.auth.clone(),
        padding_len: 0,
    };
    plaintext.padding_len = padding.padding_len(plaintext.to_bytes().len());

    let key = secret_tree.next_sending_key(leaf, ratchet_for(framed.content_type()))?;
    let mut reuse_guard = [0u8; 4];
    rng.try_fill(&mut reuse_guard)?;

    let mut message = PrivateMessage {
        group_id: framed.group_id.clone(),
        epoch: framed.epoch,
        content_type: framed.content_type(),
        authenticated_data: framed.authenticated_data.clone(),
        encrypted_sender_data: Vec::new(),
        ciphertext: Vec::new(),
    };
    message.ciphertext = suite.aead_seal(
        key.key.as_bytes(),
        guarded_nonce(&key.nonce, reuse_guard).as_bytes(),
        &message.content_aad().to_bytes(),
        &plaintext.to_bytes(),
    )?;
    let sender_data = SenderData {
        leaf_index: leaf,
        generation: key.generation,
        reuse_guard,
    };
    message.encrypted_sender_data = encrypt_sender_data(
        suite,
        sender_data_secret,
        &message.sender_data_aad(),
        &sender_data,
        &message.ciphertext,
    )?;
    Ok(message)
}

/// Decodes a PrivateMessage into the AuthenticatedContent it carries (§6.3), checking,
/// in order:
///
/// 1. the group and epoch are those of `context`;
/// 2. the sender data decrypts under `sender_data_secret` (§6.3.2);
/// 3. its leaf is inside `secret_tree`, and `member_key` returns that leaf's signature
///    key (`None` means the leaf is blank, §6.3.2);
/// 4. the key of that generation exists in the leaf's ratchet (not consumed, not
///    deleted, not too far ahead) and opens the ciphertext;
/// 5. the padding is all zero bytes (§6.3.1);
/// 6. the signature verifies (§6.3.1: "the application MUST check that the
///    FramedContentAuthData is valid"; a commit's confirmation tag is checked when
///    the commit is applied).
///
/// Only then is the key deleted (§9.2). On any failure `secret_tree` is unchanged.
pub fn unprotect_private(
    suite: &CipherSuite,
    message: &PrivateMessage,
    context: &GroupContext,
    secret_tree: &mut SecretTree,
    sender_data_secret: &Secret,
    member_key: impl FnOnce(LeafIndex) -> Option<SignaturePublicKey>,
) -> Result<AuthenticatedContent> {
    check_group_and_epoch(&message.group_id, message.epoch, context)?;
    let sender_data = decrypt_sender_data(
        suite,
        sender_data_secret,
        &message.sender_data_aad(),
        &message.encrypted_sender_data,
        &message.ciphertext,
    )?;
    let leaf = sender_data.leaf_index;
    let leaf_count = secret_tree.leaf_count();
    if !leaf_count.contains_leaf(leaf) {
        return Err(FramingViolation::SenderLeafOutOfRange {
            leaf: leaf.0,
            leaf_count: leaf_count.get(),
        }
        .into());
    }
    let signature_key =
        member_key(leaf).ok_or(FramingViolation::SenderLeafBlank { leaf: leaf.0 })?;

    // Every step that touches the tree runs on a copy; see the module documentation.
    let mut trial = secret_tree.clone();
    let ratchet = ratchet_for(message.content_type);
    let key = trial.key(leaf, ratchet, sender_data.generation)?;
    let plaintext = suite.aead_open(
        key.key.as_bytes(),
        guarded_nonce(&key.nonce, sender_data.reuse_guard).as_bytes(),
        &message.content_aad().to_bytes(),
        &message.ciphertext,
    )?;
    let decrypted = PrivateMessageContent::from_bytes(&plaintext, message.content_type)?;

    let content = AuthenticatedContent {
        wire_format: WireFormat::MLS_PRIVATE_MESSAGE,
        content: FramedContent {
            group_id: message.group_id.clone(),
            epoch: message.epoch,
            sender: Sender::Member(leaf),
            authenticated_data: message.authenticated_data.clone(),
            content: decrypted.content,
        },
        auth: decrypted.auth,
    };
    check_content_rules(content.wire_format, &content.content)?;
    check_confirmation_tag_presence(&content.content, &content.auth)?;
    verify_content_signature(suite, &content, context, &signature_key)?;

    trial.consume(leaf, ratchet, sender_data.generation);
    *secret_tree = trial;
    Ok(content)
}
