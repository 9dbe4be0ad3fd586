//! The HPKE private keys a member holds for nodes of the ratchet tree.

use std::collections::BTreeMap;

use crate::codec::Reader;
use crate::crypto::HpkePrivateKey;
use crate::error::DecodeError;
use crate::state_codec::{StateWriter, invalid, read_map, read_secret};
use crate::tree_math::{LeafCount, NodeIndex};

/// The private keys one member holds, by node: its own leaf's and those of the nodes of
/// its direct path whose path secrets it learned. RFC 9420 §4.1 states the invariant:
/// "Each member knows the private keys of all the nodes in the path from its leaf to the
/// root", for the nodes it is not an unmerged leaf of.
///
/// `Debug` shows the node indices only.
#[derive(Clone, Default)]
pub struct PrivateKeys {
    keys: BTreeMap<NodeIndex, HpkePrivateKey>,
}

impl PrivateKeys {
    /// No keys.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the private key of `node`, replacing any earlier one.
    pub fn insert(&mut self, node: NodeIndex, key: HpkePrivateKey) {
        self.keys.insert(node, key);
    }

    /// The private key of `node`, if we hold it.
    pub fn get(&self, node: NodeIndex) -> Option<&HpkePrivateKey> {
        self.keys.get(&node)
    }

    /// Forgets the private key of `node` (it is zeroized when dropped).
    pub fn remove(&mut self, node: NodeIndex) {
        self.keys.remove(&node);
    }

    /// The nodes we hold keys for, in increasing order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.keys.keys().copied()
    }
}

/// The persisted form (see [`crate::group::Group::to_state_bytes`]), in increasing node
/// order:
///
/// ```text
/// struct { uint32 node; opaque key<V>; } private_keys<V>;
/// ```
impl PrivateKeys {
    /// Writes every key with its node.
    pub(crate) fn write_state(&self, w: &mut StateWriter) {
        w.vector(|w| {
            for (node, key) in &self.keys {
                w.u32(node.0);
                w.secret(&key.0);
            }
        });
    }

    /// Reads keys written by [`Self::write_state`] for a tree of `leaves` leaves: every
    /// node must be in the tree, each once, in increasing order.
    pub(crate) fn read_state(r: &mut Reader<'_>, leaves: LeafCount) -> Result<Self, DecodeError> {
        let keys = read_map(r, "private key node", |r| {
            let node = NodeIndex(r.u32()?);
            if !leaves.contains_node(node) {
                return Err(invalid("private key node", node.0.into()));
            }
            Ok((node, HpkePrivateKey(read_secret(r)?)))
        })?;
        Ok(PrivateKeys { keys })
    }
}

impl core::fmt::Debug for PrivateKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_set()
            .entries(self.keys.keys().map(|n| n.0))
            .finish()
    }
}
