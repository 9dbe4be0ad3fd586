//! The GroupContext (RFC 9420 §8.1): the summary of a group's state that every member
//! holds and that the key schedule, signatures and HPKE contexts bind to.

use crate::codec::{Codec, Reader};
use crate::error::DecodeError;
use crate::messages::common::{CipherSuiteId, ProtocolVersion};
use crate::messages::extensions::Extension;

/// The state of a group in one epoch (§8.1).
///
/// ```text
/// struct {
///     ProtocolVersion version = mls10;
///     CipherSuite cipher_suite;
///     opaque group_id<V>;
///     uint64 epoch;
///     opaque tree_hash<V>;
///     opaque confirmed_transcript_hash<V>;
///     Extension extensions<V>;
/// } GroupContext;
/// ```
///
/// Decoding keeps whatever `version` the bytes carry so that they re-encode unchanged;
/// the code that joins or processes a group checks it is `mls10`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupContext {
    /// The protocol version; `mls10` for every group of RFC 9420.
    pub version: ProtocolVersion,
    /// The group's cipher suite.
    pub cipher_suite: CipherSuiteId,
    /// The application's identifier of the group.
    pub group_id: Vec<u8>,
    /// The epoch number.
    pub epoch: u64,
    /// The tree hash of the ratchet tree's root (§7.8).
    pub tree_hash: Vec<u8>,
    /// The confirmed transcript hash (§8.2).
    pub confirmed_transcript_hash: Vec<u8>,
    /// The group's GroupContext extensions.
    pub extensions: Vec<Extension>,
}

impl Codec for GroupContext {
    fn encode(&self, out: &mut Vec<u8>) {
        self.version.encode(out);
        self.cipher_suite.encode(out);
        self.group_id.encode(out);
        self.epoch.encode(out);
        self.tree_hash.encode(out);
        self.confirmed_transcript_hash.encode(out);
        self.extensions.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(GroupContext {
            version: ProtocolVersion::decode(r)?,
            cipher_suite: CipherSuiteId::decode(r)?,
            group_id: Vec::<u8>::decode(r)?,
            epoch: u64::decode(r)?,
            tree_hash: Vec::<u8>::decode(r)?,
            confirmed_transcript_hash: Vec::<u8>::decode(r)?,
            extensions: Vec::<Extension>::decode(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::extensions::ExtensionType;

    fn example() -> GroupContext {
        GroupContext {
            version: ProtocolVersion::MLS10,
            cipher_suite: CipherSuiteId(1),
            group_id: b"g".to_vec(),
            epoch: 0x0102,
            tree_hash: vec![0xaa; 2],
            confirmed_transcript_hash: vec![],
            extensions: vec![Extension::new(ExtensionType::APPLICATION_ID, vec![7])],
        }
    }

    #[test]
    fn a_group_context_encodes_its_fields_in_rfc_order() {
        let want = [
            &[0x00, 0x01][..],               // version
            &[0x00, 0x01],                   // cipher_suite
            &[0x01, b'g'],                   // group_id
            &[0, 0, 0, 0, 0, 0, 0x01, 0x02], // epoch
            &[0x02, 0xaa, 0xaa],             // tree_hash
            &[0x00],                         // confirmed_transcript_hash
            &[0x04, 0x00, 0x01, 0x01, 0x07], // extensions
        ]
        .concat();
        assert_eq!(example().to_bytes(), want);
        assert_eq!(GroupContext::from_bytes(&want), Ok(example()));
    }

    #[test]
    fn a_truncated_group_context_is_rejected() {
        let bytes = example().to_bytes();
        for cut in 0..bytes.len() {
            assert!(
                GroupContext::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }
}
