//! The encrypted sender of a PrivateMessage and the AADs of its two encryptions
//! (RFC 9420 §6.3.1, §6.3.2).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::read_opaque;
use crate::messages::framed_content::ContentType;
use crate::tree_math::LeafIndex;

/// Who sent a PrivateMessage and with which key generation (RFC 9420 §6.3.2).
///
/// ```text
/// struct {
///     uint32 leaf_index;
///     uint32 generation;
///     opaque reuse_guard[4];
/// } SenderData;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenderData {
    /// The sender's leaf.
    pub leaf_index: LeafIndex,
    /// The generation of the sender's ratchet that encrypted the content.
    pub generation: u32,
    /// Random bytes XORed into the first four bytes of the content nonce.
    pub reuse_guard: [u8; 4],
}

impl Codec for SenderData {
    fn encode(&self, out: &mut Vec<u8>) {
        self.leaf_index.encode(out);
        self.generation.encode(out);
        self.reuse_guard.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(SenderData {
            leaf_index: LeafIndex::decode(r)?,
            generation: r.u32()?,
            reuse_guard: r.array()?,
        })
    }
}

/// The AAD of the sender data encryption: the first three fields of the
/// PrivateMessage (RFC 9420 §6.3.2).
///
/// ```text
/// struct {
///     opaque group_id<V>;
///     uint64 epoch;
///     ContentType content_type;
/// } SenderDataAAD;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderDataAad {
    /// The group.
    pub group_id: Vec<u8>,
    /// The epoch.
    pub epoch: u64,
    /// The content type.
    pub content_type: ContentType,
}

impl Codec for SenderDataAad {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.group_id);
        self.epoch.encode(out);
        self.content_type.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(SenderDataAad {
            group_id: read_opaque(r)?,
            epoch: r.u64()?,
            content_type: ContentType::decode(r)?,
        })
    }
}

/// The AAD of the content encryption (RFC 9420 §6.3.1).
///
/// ```text
/// struct {
///     opaque group_id<V>;
///     uint64 epoch;
///     ContentType content_type;
///     opaque authenticated_data<V>;
/// } PrivateContentAAD;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateContentAad {
    /// The group.
    pub group_id: Vec<u8>,
    /// The epoch.
    pub epoch: u64,
    /// The content type.
    pub content_type: ContentType,
    /// The message's authenticated data.
    pub authenticated_data: Vec<u8>,
}

impl Codec for PrivateContentAad {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.group_id);
        self.epoch.encode(out);
        self.content_type.encode(out);
        write_opaque(out, &self.authenticated_data);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(PrivateContentAad {
            group_id: read_opaque(r)?,
            epoch: r.u64()?,
            content_type: ContentType::decode(r)?,
            authenticated_data: read_opaque(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_data_is_twelve_fixed_bytes() {
        let data = SenderData {
            leaf_index: LeafIndex(1),
            generation: 2,
            reuse_guard: [3, 4, 5, 6],
        };
        let bytes = data.to_bytes();
        assert_eq!(bytes, [0, 0, 0, 1, 0, 0, 0, 2, 3, 4, 5, 6]);
        assert_eq!(SenderData::from_bytes(&bytes), Ok(data));
    }
}
