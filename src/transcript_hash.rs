//! The transcript hashes and the confirmation tag (RFC 9420 §8.2, §6.1).
//!
//! Every Commit extends two running hashes. Its `AuthenticatedContent` is split in two:
//! everything up to and including the signature feeds the confirmed transcript hash,
//! and the confirmation tag feeds the interim transcript hash.
//!
//! ```text
//! struct {
//!     WireFormat wire_format;
//!     FramedContent content; /* with content_type == commit */
//!     opaque signature<V>;
//! } ConfirmedTranscriptHashInput;
//!
//! struct {
//!     MAC confirmation_tag;
//! } InterimTranscriptHashInput;
//! ```
//!
//! ```text
//! confirmed_transcript_hash_[0] = ""; /* zero-length octet string */
//! interim_transcript_hash_[0] = ""; /* zero-length octet string */
//!
//! confirmed_transcript_hash_[epoch] =
//!     Hash(interim_transcript_hash_[epoch - 1] ||
//!         ConfirmedTranscriptHashInput_[epoch]);
//!
//! interim_transcript_hash_[epoch] =
//!     Hash(confirmed_transcript_hash_[epoch] ||
//!         InterimTranscriptHashInput_[epoch]);
//! ```
//!
//! The confirmation tag of a Commit is `MAC(confirmation_key,
//! GroupContext.confirmed_transcript_hash)` of the new epoch (§6.1).

use crate::codec::{Codec, write_opaque};
use crate::crypto::CipherSuite;
use crate::error::{Error, Result};
use crate::messages::authenticated_content::AuthenticatedContent;
use crate::messages::framed_content::ContentType;

/// The encoded `ConfirmedTranscriptHashInput` of a commit: its wire format, its
/// FramedContent and its signature. Fails with [`Error::Misuse`] if the content is not
/// a commit.
pub fn confirmed_transcript_hash_input(content: &AuthenticatedContent) -> Result<Vec<u8>> {
    if content.content.content_type() != ContentType::COMMIT {
        return Err(Error::Misuse(
            "the confirmed transcript hash covers commits only",
        ));
    }
    let mut out = Vec::new();
    content.wire_format.encode(&mut out);
    content.content.encode(&mut out);
    write_opaque(&mut out, &content.auth.signature);
    Ok(out)
}

/// `Hash(interim_transcript_hash_before || input)` for an already encoded
/// `ConfirmedTranscriptHashInput`.
pub fn confirmed_transcript_hash_from_input(
    suite: &CipherSuite,
    interim_before: &[u8],
    input: &[u8],
) -> Vec<u8> {
    suite.hash(&[interim_before, input].concat())
}

/// The confirmed transcript hash after the commit `content`, given the interim
/// transcript hash of the epoch it was sent in. Fails with [`Error::Misuse`] if the
/// content is not a commit.
pub fn confirmed_transcript_hash(
    suite: &CipherSuite,
    interim_before: &[u8],
    content: &AuthenticatedContent,
) -> Result<Vec<u8>> {
    let input = confirmed_transcript_hash_input(content)?;
    Ok(confirmed_transcript_hash_from_input(
        suite,
        interim_before,
        &input,
    ))
}

/// `Hash(confirmed_transcript_hash || InterimTranscriptHashInput)`, where the input is
/// the confirmation tag as a `MAC` (`opaque<V>`).
pub fn interim_transcript_hash(
    suite: &CipherSuite,
    confirmed: &[u8],
    confirmation_tag: &[u8],
) -> Vec<u8> {
    let mut input = confirmed.to_vec();
    write_opaque(&mut input, confirmation_tag);
    suite.hash(&input)
}

/// `MAC(confirmation_key, confirmed_transcript_hash)` (RFC 9420 §6.1).
pub fn confirmation_tag(suite: &CipherSuite, confirmation_key: &[u8], confirmed: &[u8]) -> Vec<u8> {
    suite.mac(confirmation_key, confirmed)
}

/// Checks, in constant time, that `tag` is the confirmation tag of `confirmed` under
/// `confirmation_key` (RFC 9420 §6.1, §12.4.2). Fails with a MAC error otherwise.
pub fn verify_confirmation_tag(
    suite: &CipherSuite,
    confirmation_key: &[u8],
    confirmed: &[u8],
    tag: &[u8],
) -> Result<()> {
    suite.verify_mac(confirmation_key, confirmed, tag)
}

/// The pair of transcript hashes of an epoch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TranscriptHashes {
    /// The confirmed transcript hash (part of the GroupContext).
    pub confirmed: Vec<u8>,
    /// The interim transcript hash (input to the next commit's confirmed hash).
    pub interim: Vec<u8>,
}

impl TranscriptHashes {
    /// Both hashes of the epoch that `commit` starts, from the hashes of the epoch it
    /// was sent in. The commit's confirmation tag must be present (it always is in a
    /// decoded commit); its validity is checked separately with
    /// [`verify_confirmation_tag`].
    pub fn after_commit(&self, suite: &CipherSuite, commit: &AuthenticatedContent) -> Result<Self> {
        let confirmed = confirmed_transcript_hash(suite, &self.interim, commit)?;
        let tag = commit
            .auth
            .confirmation_tag
            .as_deref()
            .ok_or(Error::Misuse("a commit must carry a confirmation tag"))?;
        let interim = interim_transcript_hash(suite, &confirmed, tag);
        Ok(TranscriptHashes { confirmed, interim })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{Content, FramedContent, FramedContentAuthData, Sender, WireFormat};
    use crate::tree_math::LeafIndex;

    fn content(body: Content, confirmation_tag: Option<Vec<u8>>) -> AuthenticatedContent {
        AuthenticatedContent {
            wire_format: WireFormat::MLS_PUBLIC_MESSAGE,
            content: FramedContent {
                group_id: b"g".to_vec(),
                epoch: 1,
                sender: Sender::Member(LeafIndex(0)),
                authenticated_data: Vec::new(),
                content: body,
            },
            auth: FramedContentAuthData {
                signature: vec![0xaa; 4],
                confirmation_tag,
            },
        }
    }

    fn empty_commit() -> Content {
        Content::Commit(crate::messages::Commit {
            proposals: Vec::new(),
            path: None,
        })
    }

    #[test]
    fn the_confirmed_input_is_the_authenticated_content_without_its_tag() {
        let ac = content(empty_commit(), Some(vec![1, 2, 3]));
        let full = ac.to_bytes();
        let input = confirmed_transcript_hash_input(&ac).unwrap();
        assert_eq!(input, full[..full.len() - 4]);
    }

    #[test]
    fn only_a_commit_has_a_confirmed_transcript_hash() {
        let ac = content(Content::Application(vec![1]), None);
        assert!(matches!(
            confirmed_transcript_hash_input(&ac),
            Err(Error::Misuse(_))
        ));
    }

    #[test]
    fn a_wrong_confirmation_tag_does_not_verify() {
        let suite = CipherSuite::new(1).unwrap();
        let tag = confirmation_tag(&suite, &[7; 32], b"confirmed");
        assert!(verify_confirmation_tag(&suite, &[7; 32], b"confirmed", &tag).is_ok());
        let mut bad = tag.clone();
        bad[0] ^= 1;
        assert!(verify_confirmation_tag(&suite, &[7; 32], b"confirmed", &bad).is_err());
        assert!(verify_confirmation_tag(&suite, &[8; 32], b"confirmed", &tag).is_err());
    }

    #[test]
    fn the_hashes_after_a_commit_chain_from_the_interim_hash() {
        let suite = CipherSuite::new(1).unwrap();
        let ac = content(empty_commit(), Some(vec![9; 32]));
        let before = TranscriptHashes {
            confirmed: vec![1; 32],
            interim: vec![2; 32],
        };
        let after = before.after_commit(&suite, &ac).unwrap();
        let input = confirmed_transcript_hash_input(&ac).unwrap();
        assert_eq!(
            after.confirmed,
            suite.hash(&[&[2u8; 32][..], &input].concat())
        );
        let mut tag_input = after.confirmed.clone();
        tag_input.push(32);
        tag_input.extend_from_slice(&[9; 32]);
        assert_eq!(after.interim, suite.hash(&tag_input));
    }
}
