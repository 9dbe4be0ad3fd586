//! The contents of a leaf of the ratchet tree (RFC 9420 §7.2).

use crate::codec::{Codec, Reader, write_opaque};
use crate::crypto::{HpkePublicKey, SignaturePublicKey};
use crate::error::DecodeError;
use crate::messages::capabilities::Capabilities;
use crate::messages::common::{
    read_hpke_key, read_opaque, read_signature_key, write_hpke_key, write_signature_key,
};
use crate::messages::credential::Credential;
use crate::messages::extensions::Extension;
use crate::messages::lifetime::Lifetime;
use crate::tree_math::LeafIndex;

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::LeafNodeSourceType;

/// The `leaf_node_source` of a [`LeafNode`] with the field it selects (RFC 9420 §7.2):
///
/// ```text
///     LeafNodeSource leaf_node_source;
///     select (LeafNode.leaf_node_source) {
///         case key_package:
///             Lifetime lifetime;
///
///         case update:
///             struct{};
///
///         case commit:
///             opaque parent_hash<V>;
///     };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeafNodeSource {
    /// `key_package`, with the KeyPackage's lifetime.
    KeyPackage(Lifetime),
    /// `update`.
    Update,
    /// `commit`, with the parent hash of the committer's new path (§7.9).
    Commit {
        /// The parent hash.
        parent_hash: Vec<u8>,
    },
}

impl LeafNodeSource {
    /// The selector written on the wire.
    pub fn source_type(&self) -> LeafNodeSourceType {
        match self {
            LeafNodeSource::KeyPackage(_) => LeafNodeSourceType::KEY_PACKAGE,
            LeafNodeSource::Update => LeafNodeSourceType::UPDATE,
            LeafNodeSource::Commit { .. } => LeafNodeSourceType::COMMIT,
        }
    }
}

impl Codec for LeafNodeSource {
    fn encode(&self, out: &mut Vec<u8>) {
        self.source_type().encode(out);
        match self {
            LeafNodeSource::KeyPackage(lifetime) => lifetime.encode(out),
            LeafNodeSource::Update => {}
            LeafNodeSource::Commit { parent_hash } => write_opaque(out, parent_hash),
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match LeafNodeSourceType::decode(r)? {
            LeafNodeSourceType::KEY_PACKAGE => Ok(LeafNodeSource::KeyPackage(Lifetime::decode(r)?)),
            LeafNodeSourceType::UPDATE => Ok(LeafNodeSource::Update),
            LeafNodeSourceType::COMMIT => Ok(LeafNodeSource::Commit {
                parent_hash: read_opaque(r)?,
            }),
            other => Err(DecodeError::InvalidValue {
                field: "LeafNode.leaf_node_source",
                value: other.0.into(),
            }),
        }
    }
}

/// A leaf of the ratchet tree: one member, signed by that member (RFC 9420 §7.2).
///
/// ```text
/// struct {
///     HPKEPublicKey encryption_key;
///     SignaturePublicKey signature_key;
///     Credential credential;
///     Capabilities capabilities;
///
///     LeafNodeSource leaf_node_source;
///     select (LeafNode.leaf_node_source) {
///         case key_package:
///             Lifetime lifetime;
///
///         case update:
///             struct{};
///
///         case commit:
///             opaque parent_hash<V>;
///     };
///
///     Extension extensions<V>;
///     /* SignWithLabel(., "LeafNodeTBS", LeafNodeTBS) */
///     opaque signature<V>;
/// } LeafNode;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafNode {
    /// The member's HPKE public key.
    pub encryption_key: HpkePublicKey,
    /// The member's signature public key.
    pub signature_key: SignaturePublicKey,
    /// The member's credential.
    pub credential: Credential,
    /// What the member's client supports.
    pub capabilities: Capabilities,
    /// Where the leaf comes from, with its lifetime or parent hash.
    pub leaf_node_source: LeafNodeSource,
    /// The leaf's extensions.
    pub extensions: Vec<Extension>,
    /// `SignWithLabel(., "LeafNodeTBS", LeafNodeTBS)`.
    pub signature: Vec<u8>,
}

impl LeafNode {
    /// Every field before `signature`, encoded.
    fn encode_unsigned(&self, out: &mut Vec<u8>) {
        write_hpke_key(out, &self.encryption_key);
        write_signature_key(out, &self.signature_key);
        self.credential.encode(out);
        self.capabilities.encode(out);
        self.leaf_node_source.encode(out);
        self.extensions.encode(out);
    }

    /// The encoded `LeafNodeTBS` that the signature covers (RFC 9420 §7.2). The group
    /// and the leaf's position are included only for the `update` and `commit` sources;
    /// a KeyPackage's leaf ignores them.
    ///
    /// ```text
    /// struct {
    ///     /* every field of LeafNode before signature */
    ///     select (LeafNodeTBS.leaf_node_source) {
    ///         case key_package:
    ///             struct{};
    ///
    ///         case update:
    ///             opaque group_id<V>;
    ///             uint32 leaf_index;
    ///
    ///         case commit:
    ///             opaque group_id<V>;
    ///             uint32 leaf_index;
    ///     };
    /// } LeafNodeTBS;
    /// ```
    pub fn to_be_signed(&self, group_id: &[u8], leaf_index: LeafIndex) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_unsigned(&mut out);
        match self.leaf_node_source {
            LeafNodeSource::KeyPackage(_) => {}
            LeafNodeSource::Update | LeafNodeSource::Commit { .. } => {
                write_opaque(&mut out, group_id);
                leaf_index.encode(&mut out);
            }
        }
        out
    }
}

impl Codec for LeafNode {
    fn encode(&self, out: &mut Vec<u8>) {
        self.encode_unsigned(out);
        write_opaque(out, &self.signature);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(LeafNode {
            encryption_key: read_hpke_key(r)?,
            signature_key: read_signature_key(r)?,
            credential: Credential::decode(r)?,
            capabilities: Capabilities::decode(r)?,
            leaf_node_source: LeafNodeSource::decode(r)?,
            extensions: Vec::decode(r)?,
            signature: read_opaque(r)?,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small leaf with the given source, for tests of the structs that hold one.
    pub(crate) fn sample_leaf(source: LeafNodeSource) -> LeafNode {
        LeafNode {
            encryption_key: HpkePublicKey(vec![1; 4]),
            signature_key: SignaturePublicKey(vec![2; 4]),
            credential: Credential::Basic {
                identity: b"alice".to_vec(),
            },
            capabilities: Capabilities::default(),
            leaf_node_source: source,
            extensions: Vec::new(),
            signature: vec![3; 8],
        }
    }

    #[test]
    fn each_leaf_node_source_round_trips() {
        for source in [
            LeafNodeSource::KeyPackage(Lifetime {
                not_before: 1,
                not_after: u64::MAX,
            }),
            LeafNodeSource::Update,
            LeafNodeSource::Commit {
                parent_hash: vec![9; 32],
            },
        ] {
            let leaf = sample_leaf(source);
            assert_eq!(LeafNode::from_bytes(&leaf.to_bytes()), Ok(leaf));
        }
    }

    #[test]
    fn an_unknown_leaf_node_source_is_rejected() {
        assert_eq!(
            LeafNodeSource::from_bytes(&[0]),
            Err(DecodeError::InvalidValue {
                field: "LeafNode.leaf_node_source",
                value: 0
            })
        );
    }

    #[test]
    fn the_signed_content_of_an_update_leaf_names_its_group_and_position() {
        let leaf = sample_leaf(LeafNodeSource::Update);
        let mut unsigned = leaf.to_bytes();
        unsigned.truncate(unsigned.len() - 9);
        let tbs = leaf.to_be_signed(b"g", LeafIndex(7));
        assert_eq!(tbs, [unsigned, vec![1, b'g', 0, 0, 0, 7]].concat());
    }

    #[test]
    fn the_signed_content_of_a_key_package_leaf_ignores_the_group() {
        let leaf = sample_leaf(LeafNodeSource::KeyPackage(Lifetime {
            not_before: 0,
            not_after: 0,
        }));
        let mut unsigned = leaf.to_bytes();
        unsigned.truncate(unsigned.len() - 9);
        assert_eq!(leaf.to_be_signed(b"g", LeafIndex(7)), unsigned);
    }
}
