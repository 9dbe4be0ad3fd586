//! The new keys a Commit sends for the committer's direct path (RFC 9420 §7.6).

use crate::codec::{Codec, Reader};
use crate::crypto::HpkePublicKey;
use crate::error::DecodeError;
use crate::messages::common::{read_hpke_key, write_hpke_key};
use crate::messages::hpke_ciphertext::HpkeCiphertext;
use crate::messages::leaf_node::LeafNode;

/// One parent node of an UpdatePath: its new public key and its path secret encrypted
/// to each node of the copath node's resolution (RFC 9420 §7.6).
///
/// ```text
/// struct {
///     HPKEPublicKey encryption_key;
///     HPKECiphertext encrypted_path_secret<V>;
/// } UpdatePathNode;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePathNode {
    /// The node's new HPKE public key.
    pub encryption_key: HpkePublicKey,
    /// The path secret, once per node of the copath child's resolution.
    pub encrypted_path_secret: Vec<HpkeCiphertext>,
}

impl Codec for UpdatePathNode {
    fn encode(&self, out: &mut Vec<u8>) {
        write_hpke_key(out, &self.encryption_key);
        self.encrypted_path_secret.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(UpdatePathNode {
            encryption_key: read_hpke_key(r)?,
            encrypted_path_secret: Vec::decode(r)?,
        })
    }
}

/// The committer's new leaf and new parent nodes along its filtered direct path
/// (RFC 9420 §7.6).
///
/// ```text
/// struct {
///     LeafNode leaf_node;
///     UpdatePathNode nodes<V>;
/// } UpdatePath;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePath {
    /// The committer's new leaf.
    pub leaf_node: LeafNode,
    /// One entry per node of the filtered direct path, leaf side first.
    pub nodes: Vec<UpdatePathNode>,
}

impl Codec for UpdatePath {
    fn encode(&self, out: &mut Vec<u8>) {
        self.leaf_node.encode(out);
        self.nodes.encode(out);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(UpdatePath {
            leaf_node: LeafNode::decode(r)?,
            nodes: Vec::decode(r)?,
        })
    }
}
