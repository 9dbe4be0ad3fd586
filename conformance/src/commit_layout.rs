//! Where the authenticated fields of a PublicMessage commit sit in its bytes, so that a
//! test can flip exactly one byte of one field and check that an engine notices.
//!
//! The walk follows the structs of RFC 9420 (§6 MLSMessage, PublicMessage, FramedContent,
//! FramedContentAuthData; §12.4 Commit; §7.6 UpdatePath; §7.2 LeafNode) and must consume
//! every byte, which checks the offsets it reports. Only basic and X.509 credentials are
//! understood.

use std::ops::Range;

use mls_webapi::codec::Reader;

/// `wire_format` of a PublicMessage.
const WIRE_FORMAT_PUBLIC_MESSAGE: u16 = 1;
/// `wire_format` of a PrivateMessage.
const WIRE_FORMAT_PRIVATE_MESSAGE: u16 = 2;
/// `content_type` of a commit.
const CONTENT_TYPE_COMMIT: u8 = 3;
/// `sender_type` values (RFC 9420 §6).
const SENDER_MEMBER: u8 = 1;
const SENDER_EXTERNAL: u8 = 2;
const SENDER_NEW_MEMBER_PROPOSAL: u8 = 3;
const SENDER_NEW_MEMBER_COMMIT: u8 = 4;
/// `credential_type` values.
const CREDENTIAL_BASIC: u16 = 1;
const CREDENTIAL_X509: u16 = 2;
/// `leaf_node_source` values.
const SOURCE_KEY_PACKAGE: u8 = 1;
const SOURCE_UPDATE: u8 = 2;
const SOURCE_COMMIT: u8 = 3;

/// Byte ranges (into the whole `MLSMessage`) of the fields of a PublicMessage commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitLayout {
    /// `FramedContentAuthData.signature`, without its length prefix.
    pub signature: Range<usize>,
    /// `FramedContentAuthData.confirmation_tag`, without its length prefix.
    pub confirmation_tag: Range<usize>,
    /// `membership_tag`, present when the sender is a member.
    pub membership_tag: Option<Range<usize>>,
    /// The `ciphertext` of the first `HPKECiphertext` in the UpdatePath, if the commit
    /// has a path that encrypts to anyone.
    pub first_path_ciphertext: Option<Range<usize>>,
}

/// Walks an `MLSMessage` holding a PublicMessage commit. Fails with a description when
/// the bytes are something else or do not parse to the end.
pub fn locate(message: &[u8]) -> Result<CommitLayout, String> {
    Walk { base: message }.message()
}

/// The byte range of the AEAD `ciphertext` of an `MLSMessage` holding a PrivateMessage
/// (RFC 9420 §6.3). A commit sent this way hides its signature, confirmation tag and path
/// inside that ciphertext.
pub fn private_ciphertext(message: &[u8]) -> Result<Range<usize>, String> {
    let walk = Walk { base: message };
    let mut r = Reader::new(message);
    let _version = read("version", r.u16())?;
    let wire_format = read("wire_format", r.u16())?;
    if wire_format != WIRE_FORMAT_PRIVATE_MESSAGE {
        return Err(format!("wire format {wire_format} is not a PrivateMessage"));
    }
    read("group_id", r.opaque())?;
    read("epoch", r.u64())?;
    read("content_type", r.u8())?;
    read("authenticated_data", r.opaque())?;
    read("encrypted_sender_data", r.opaque())?;
    let ciphertext = walk.span(read("ciphertext", r.opaque())?);
    read("end of message", r.finish())?;
    Ok(ciphertext)
}

struct Walk<'a> {
    base: &'a [u8],
}

type Step<T> = Result<T, String>;

fn read<T, E: std::fmt::Debug>(what: &str, r: Result<T, E>) -> Step<T> {
    r.map_err(|e| format!("{what}: {e:?}"))
}

impl<'a> Walk<'a> {
    /// The range `part` occupies in the whole message; `part` must be a sub-slice of it.
    fn span(&self, part: &'a [u8]) -> Range<usize> {
        let start = part.as_ptr() as usize - self.base.as_ptr() as usize;
        start..start + part.len()
    }

    fn message(&self) -> Step<CommitLayout> {
        let mut r = Reader::new(self.base);
        let _version = read("version", r.u16())?;
        let wire_format = read("wire_format", r.u16())?;
        if wire_format != WIRE_FORMAT_PUBLIC_MESSAGE {
            return Err(format!("wire format {wire_format} is not a PublicMessage"));
        }
        // FramedContent
        read("group_id", r.opaque())?;
        read("epoch", r.u64())?;
        let sender_type = read("sender_type", r.u8())?;
        match sender_type {
            SENDER_MEMBER | SENDER_EXTERNAL => {
                read("sender index", r.u32())?;
            }
            SENDER_NEW_MEMBER_PROPOSAL | SENDER_NEW_MEMBER_COMMIT => {}
            other => return Err(format!("unknown sender type {other}")),
        }
        read("authenticated_data", r.opaque())?;
        let content_type = read("content_type", r.u8())?;
        if content_type != CONTENT_TYPE_COMMIT {
            return Err(format!("content type {content_type} is not a commit"));
        }
        read("proposals", r.vector())?;
        let first_path_ciphertext = match read("path presence", r.u8())? {
            0 => None,
            1 => self.update_path(&mut r)?,
            other => return Err(format!("optional<UpdatePath> flag {other}")),
        };
        // FramedContentAuthData
        let signature = self.span(read("signature", r.opaque())?);
        let confirmation_tag = self.span(read("confirmation_tag", r.opaque())?);
        let membership_tag = match sender_type {
            SENDER_MEMBER => Some(self.span(read("membership_tag", r.opaque())?)),
            _ => None,
        };
        read("end of message", r.finish())?;
        Ok(CommitLayout {
            signature,
            confirmation_tag,
            membership_tag,
            first_path_ciphertext,
        })
    }

    /// Skips the UpdatePath's leaf node and returns the first ciphertext of its nodes.
    fn update_path(&self, r: &mut Reader<'a>) -> Step<Option<Range<usize>>> {
        skip_leaf_node(r)?;
        let mut nodes = read("UpdatePath.nodes", r.vector())?;
        let mut first = None;
        while !nodes.is_empty() {
            read("UpdatePathNode.encryption_key", nodes.opaque())?;
            let mut secrets = read("encrypted_path_secret", nodes.vector())?;
            while !secrets.is_empty() {
                read("kem_output", secrets.opaque())?;
                let ciphertext = read("ciphertext", secrets.opaque())?;
                first.get_or_insert_with(|| self.span(ciphertext));
            }
        }
        Ok(first)
    }
}

fn skip_leaf_node(r: &mut Reader<'_>) -> Step<()> {
    read("LeafNode.encryption_key", r.opaque())?;
    read("LeafNode.signature_key", r.opaque())?;
    match read("credential_type", r.u16())? {
        CREDENTIAL_BASIC => {
            read("identity", r.opaque())?;
        }
        CREDENTIAL_X509 => {
            read("certificates", r.vector())?;
        }
        other => return Err(format!("credential type {other} is not understood")),
    }
    for field in [
        "versions",
        "cipher_suites",
        "extensions",
        "proposals",
        "credentials",
    ] {
        read(field, r.vector())?;
    }
    match read("leaf_node_source", r.u8())? {
        SOURCE_KEY_PACKAGE => {
            read("not_before", r.u64())?;
            read("not_after", r.u64())?;
        }
        SOURCE_UPDATE => {}
        SOURCE_COMMIT => {
            read("parent_hash", r.opaque())?;
        }
        other => return Err(format!("leaf node source {other}")),
    }
    read("LeafNode.extensions", r.vector())?;
    read("LeafNode.signature", r.opaque())?;
    Ok(())
}

/// A copy of `message` with the middle byte of `field` inverted, or `None` when the
/// field is empty or lies outside the message.
pub fn flip_byte(message: &[u8], field: &Range<usize>) -> Option<Vec<u8>> {
    if field.is_empty() {
        return None;
    }
    let mut out = message.to_vec();
    let byte = out.get_mut(field.start + field.len() / 2)?;
    *byte ^= 0xff;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flipping_inverts_exactly_the_middle_byte_of_the_field() {
        let message = [0u8, 1, 2, 3, 4, 5];
        assert_eq!(flip_byte(&message, &(1..4)), Some(vec![0, 1, !2, 3, 4, 5]));
    }

    #[test]
    fn an_empty_or_outside_field_cannot_be_flipped() {
        assert_eq!(flip_byte(&[1, 2, 3], &(2..2)), None);
        assert_eq!(flip_byte(&[1, 2, 3], &(5..9)), None);
    }

    #[test]
    fn only_public_messages_are_walked_for_fields() {
        // version 1, wire format 2 (PrivateMessage)
        let private = [0, 1, 0, 2];
        assert!(
            locate(&private)
                .unwrap_err()
                .contains("not a PublicMessage")
        );
        assert!(
            private_ciphertext(&[0, 1, 0, 1])
                .unwrap_err()
                .contains("not a PrivateMessage")
        );
    }
}
