//! GroupInfo: the signed public state of a group, for new members (RFC 9420 §12.4.3).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::read_opaque;
use crate::messages::extensions::Extension;
use crate::messages::group_context::GroupContext;
use crate::tree_math::LeafIndex;

/// The state of a group as a joiner needs it, signed by a member (RFC 9420 §12.4.3).
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    /// The group's current context.
    pub group_context: GroupContext,
    /// Extensions for the joiner (for example the ratchet tree or `external_pub`).
    pub extensions: Vec<Extension>,
    /// The confirmation tag of the epoch (`MAC confirmation_tag`, an `opaque<V>`).
    pub confirmation_tag: Vec<u8>,
    /// The leaf of the member that signed.
    pub signer: LeafIndex,
    /// `SignWithLabel(., "GroupInfoTBS", GroupInfoTBS)`.
    pub signature: Vec<u8>,
}

impl GroupInfo {
    /// The encoded `GroupInfoTBS` (RFC 9420 §12.4.3): every field before `signature`.
    ///
    /// ```text
    /// struct {
    ///     GroupContext group_context;
    ///     Extension extensions<V>;
    ///     MAC confirmation_tag;
    ///     uint32 signer;
    /// } GroupInfoTBS;
    /// ```
    pub fn to_be_signed(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.group_context.encode(&mut out);
        self.extensions.encode(&mut out);
        write_opaque(&mut out, &self.confirmation_tag);
        self.signer.encode(&mut out);
        out
    }
}

impl Codec for GroupInfo {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_signed());
        write_opaque(out, &self.signature);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(GroupInfo {
            group_context: GroupContext::decode(r)?,
            extensions: Vec::decode(r)?,
            confirmation_tag: read_opaque(r)?,
            signer: LeafIndex::decode(r)?,
            signature: read_opaque(r)?,
        })
    }
}
