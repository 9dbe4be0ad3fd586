//! KeyPackages: a client's pre-published offer to be added to groups (RFC 9420 §10).

use crate::codec::{Codec, Reader, write_opaque};
use crate::crypto::{CipherSuite, HpkePublicKey};
use crate::error::DecodeError;
use crate::messages::common::{
    CipherSuiteId, ProtocolVersion, read_hpke_key, read_opaque, write_hpke_key,
};
use crate::messages::extensions::Extension;
use crate::messages::hash_reference::KeyPackageRef;
use crate::messages::leaf_node::LeafNode;

/// A signed bundle of a client's HPKE init key, leaf and capabilities (RFC 9420 §10).
///
/// ```text
/// struct {
///     ProtocolVersion version;
///     CipherSuite cipher_suite;
///     HPKEPublicKey init_key;
///     LeafNode leaf_node;
///     Extension extensions<V>;
///     /* SignWithLabel(., "KeyPackageTBS", KeyPackageTBS) */
///     opaque signature<V>;
/// } KeyPackage;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPackage {
    /// The protocol version.
    pub version: ProtocolVersion,
    /// The cipher suite of the groups this KeyPackage can join.
    pub cipher_suite: CipherSuiteId,
    /// The HPKE key that Welcome secrets are encrypted to.
    pub init_key: HpkePublicKey,
    /// The leaf the client will occupy.
    pub leaf_node: LeafNode,
    /// The KeyPackage's extensions.
    pub extensions: Vec<Extension>,
    /// `SignWithLabel(., "KeyPackageTBS", KeyPackageTBS)`.
    pub signature: Vec<u8>,
}

impl KeyPackage {
    /// The encoded `KeyPackageTBS` (RFC 9420 §10): every field before `signature`.
    ///
    /// ```text
    /// struct {
    ///     ProtocolVersion version;
    ///     CipherSuite cipher_suite;
    ///     HPKEPublicKey init_key;
    ///     LeafNode leaf_node;
    ///     Extension extensions<V>;
    /// } KeyPackageTBS;
    /// ```
    pub fn to_be_signed(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.version.encode(&mut out);
        self.cipher_suite.encode(&mut out);
        write_hpke_key(&mut out, &self.init_key);
        self.leaf_node.encode(&mut out);
        self.extensions.encode(&mut out);
        out
    }

    /// `MakeKeyPackageRef(value) = RefHash("MLS 1.0 KeyPackage Reference", value)` over
    /// this KeyPackage's encoding (RFC 9420 §5.2), with the hash of `suite`.
    pub fn reference(&self, suite: &CipherSuite) -> KeyPackageRef {
        KeyPackageRef(suite.ref_hash(b"MLS 1.0 KeyPackage Reference", &self.to_bytes()))
    }
}

impl Codec for KeyPackage {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_signed());
        write_opaque(out, &self.signature);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(KeyPackage {
            version: ProtocolVersion::decode(r)?,
            cipher_suite: CipherSuiteId::decode(r)?,
            init_key: read_hpke_key(r)?,
            leaf_node: LeafNode::decode(r)?,
            extensions: Vec::decode(r)?,
            signature: read_opaque(r)?,
        })
    }
}
