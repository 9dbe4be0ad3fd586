//! The HPKE private keys a member holds for nodes of the ratchet tree.

use std::collections::BTreeMap;

use crate::crypto::HpkePrivateKey;
use crate::tree_math::NodeIndex;

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

impl core::fmt::Debug for PrivateKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_set()
            .entries(self.keys.keys().map(|n| n.0))
            .finish()
    }
}
