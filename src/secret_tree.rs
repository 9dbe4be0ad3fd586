//! The secret tree and its per-sender hash ratchets (RFC 9420 §9, §9.1), with the
//! deletion schedule of §9.2, and the sender-data key and nonce (§6.3.2).
//!
//! The tree is rooted at the epoch's `encryption_secret` and has one leaf per leaf of the
//! ratchet tree. Node secrets are derived lazily, on the way down to the first leaf that
//! needs them: a parent's secret is dropped as soon as both its children are derived,
//! and a leaf's secret as soon as its two ratchets are seeded. A ratchet secret is
//! dropped as soon as the next one is derived.
//!
//! Receiving is two steps, so that a forged message cannot burn a key: [`SecretTree::key`]
//! derives (or finds) the key of a generation and keeps it, and
//! [`SecretTree::consume`] deletes it once a message decrypted with it. Keys of
//! generations skipped on the way forward are kept for out-of-order messages, up to a
//! number of keys per ratchet (the lowest generations are deleted first); how far one
//! message may move a ratchet forward is bounded too (§15.3).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use crate::codec::Reader;
use crate::crypto::{CipherSuite, Secret};
use crate::error::{DecodeError, Error, ProtocolViolation};
use crate::state_codec::{StateWriter, invalid, read_map, read_secret_of_len};
use crate::tree_math::{LeafCount, LeafIndex, NodeIndex};

/// Which of a sender's two ratchets a message uses (§6.3.1): handshake messages
/// (proposals and commits) and application messages have separate ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RatchetType {
    /// For `proposal` and `commit` content.
    Handshake,
    /// For `application` content.
    Application,
}

/// The receiver's limits on out-of-order delivery (§15.3: "Applications SHOULD define a
/// policy on how long to keep unused nonce and key pairs for a sender, and the maximum
/// number to keep", and "the maximum number of steps that clients will move the ratchet
/// forward").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatchetPolicy {
    /// How many generations one message may move a ratchet forward past the first
    /// generation not yet derived. A larger jump is rejected without deriving anything.
    pub max_forward_distance: u32,
    /// How many unused keys of skipped generations (below the newest derived one) a
    /// ratchet keeps for messages that arrive late: a count of keys, not a distance in
    /// generations. When moving forward leaves more, the lowest generations are deleted
    /// first, so a late message stays readable however far behind the newest it is, as
    /// long as fewer than this many other keys were skipped after it.
    pub out_of_order_window: u32,
}

impl Default for RatchetPolicy {
    /// 1000 generations forward; at most 32 skipped keys kept.
    fn default() -> Self {
        RatchetPolicy {
            max_forward_distance: 1000,
            out_of_order_window: 32,
        }
    }
}

/// A key and nonce for one message (§9.1), before the sender's reuse guard is applied.
#[derive(Debug, Clone)]
pub struct MessageKey {
    /// The ratchet generation the key belongs to.
    pub generation: u32,
    /// `ratchet_key_[N]_[j]`, `AEAD.Nk` bytes.
    pub key: Secret,
    /// `ratchet_nonce_[N]_[j]`, `AEAD.Nn` bytes.
    pub nonce: Secret,
}

/// The key and nonce that protect a PrivateMessage's SenderData (§6.3.2).
#[derive(Debug, Clone)]
pub struct SenderDataKey {
    /// `sender_data_key`, `AEAD.Nk` bytes.
    pub key: Secret,
    /// `sender_data_nonce`, `AEAD.Nn` bytes.
    pub nonce: Secret,
}

/// `sender_data_key` and `sender_data_nonce` for a PrivateMessage whose content
/// ciphertext is `ciphertext` (§6.3.2):
///
/// ```text
/// ciphertext_sample = ciphertext[0..KDF.Nh-1]
/// sender_data_key = ExpandWithLabel(sender_data_secret, "key", ciphertext_sample, AEAD.Nk)
/// sender_data_nonce = ExpandWithLabel(sender_data_secret, "nonce", ciphertext_sample, AEAD.Nn)
/// ```
///
/// A ciphertext shorter than `KDF.Nh` is used whole.
pub fn sender_data_key(
    suite: &CipherSuite,
    sender_data_secret: &[u8],
    ciphertext: &[u8],
) -> Result<SenderDataKey, Error> {
    let sample = &ciphertext[..ciphertext.len().min(suite.hash_len())];
    Ok(SenderDataKey {
        key: suite.expand_with_label(sender_data_secret, b"key", sample, suite.aead_key_len())?,
        nonce: suite.expand_with_label(
            sender_data_secret,
            b"nonce",
            sample,
            suite.aead_nonce_len(),
        )?,
    })
}

fn violation(section: &'static str, rule: &'static str) -> Error {
    ProtocolViolation::Rule { section, rule }.into()
}

/// One hash ratchet (§9.1): the secret of the next generation to derive, and the keys
/// derived but not yet consumed.
#[derive(Clone)]
struct HashRatchet {
    /// `ratchet_secret_[N]_[next]`; empty once the ratchet is exhausted.
    secret: Secret,
    /// The first generation whose key has not been derived. Reaches 2^32 when the last
    /// generation has been derived, which is why it is a `u64`.
    next: u64,
    /// Keys derived and not consumed, by generation; all below `next`.
    unused: BTreeMap<u32, MessageKey>,
}

impl HashRatchet {
    fn new(secret: Secret) -> Self {
        HashRatchet {
            secret,
            next: 0,
            unused: BTreeMap::new(),
        }
    }

    /// Derives the key and nonce of generation `next` and moves the ratchet one step,
    /// dropping the secret it came from.
    fn step(&mut self, suite: &CipherSuite) -> Result<MessageKey, Error> {
        let generation = u32::try_from(self.next)
            .map_err(|_| violation("9.1", "the ratchet has used all 2^32 generations"))?;
        let s = self.secret.as_bytes();
        let key = MessageKey {
            generation,
            key: suite.derive_tree_secret(s, b"key", generation, suite.aead_key_len())?,
            nonce: suite.derive_tree_secret(s, b"nonce", generation, suite.aead_nonce_len())?,
        };
        self.secret = if generation == u32::MAX {
            Secret::default()
        } else {
            suite.derive_tree_secret(s, b"secret", generation, suite.hash_len())?
        };
        self.next += 1;
        Ok(key)
    }

    /// The key of `generation`, derived if need be and kept until consumed.
    fn key(
        &mut self,
        suite: &CipherSuite,
        policy: &RatchetPolicy,
        generation: u32,
    ) -> Result<MessageKey, Error> {
        let wanted = u64::from(generation);
        if wanted < self.next {
            return self.unused.get(&generation).cloned().ok_or_else(|| {
                violation(
                    "9.2",
                    "the key of this generation was already used or has been deleted",
                )
            });
        }
        if wanted - self.next > u64::from(policy.max_forward_distance) {
            return Err(violation(
                "15.3",
                "the generation is further ahead than the ratchet may move",
            ));
        }
        while self.next <= wanted {
            let key = self.step(suite)?;
            self.unused.insert(key.generation, key);
        }
        // `generation` is now the newest derived key and every other unused key is of a
        // skipped generation below it: keep the highest `out_of_order_window` of those.
        let limit = usize::try_from(policy.out_of_order_window).unwrap_or(usize::MAX);
        let skipped = self.unused.len() - 1;
        for _ in limit..skipped {
            self.unused.pop_first();
        }
        self.unused
            .get(&generation)
            .cloned()
            .ok_or_else(|| violation("9.2", "the key of this generation has been deleted"))
    }
}

/// The two ratchets of one leaf (§9).
#[derive(Clone)]
struct LeafRatchets {
    handshake: HashRatchet,
    application: HashRatchet,
}

impl LeafRatchets {
    /// Seeds both ratchets from a leaf secret (§9):
    /// `ExpandWithLabel(leaf_secret, "handshake" / "application", "", KDF.Nh)`.
    fn new(suite: &CipherSuite, leaf_secret: &Secret) -> Result<Self, Error> {
        let seed = |label: &[u8]| {
            suite.expand_with_label(leaf_secret.as_bytes(), label, b"", suite.hash_len())
        };
        Ok(LeafRatchets {
            handshake: HashRatchet::new(seed(b"handshake")?),
            application: HashRatchet::new(seed(b"application")?),
        })
    }

    fn get(&mut self, which: RatchetType) -> &mut HashRatchet {
        match which {
            RatchetType::Handshake => &mut self.handshake,
            RatchetType::Application => &mut self.application,
        }
    }
}

/// The secret tree of one epoch (§9). Secrets are zeroized when dropped; `Debug` shows
/// only the shape.
#[derive(Clone)]
pub struct SecretTree {
    suite: CipherSuite,
    leaves: LeafCount,
    policy: RatchetPolicy,
    /// Node secrets not yet used to derive their children. For every leaf without
    /// ratchets, exactly one node on its path from the root is here.
    nodes: BTreeMap<NodeIndex, Secret>,
    /// The ratchets of the leaves reached so far.
    ratchets: BTreeMap<LeafIndex, LeafRatchets>,
}

impl core::fmt::Debug for SecretTree {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SecretTree")
            .field("leaves", &self.leaves.get())
            .field("policy", &self.policy)
            .field("node_secrets_held", &self.nodes.len())
            .field("leaves_with_ratchets", &self.ratchets.len())
            .finish()
    }
}

impl SecretTree {
    /// The secret tree over `leaves` leaves rooted at `encryption_secret`, with the
    /// default [`RatchetPolicy`].
    pub fn new(suite: CipherSuite, encryption_secret: Secret, leaves: LeafCount) -> Self {
        Self::with_policy(suite, encryption_secret, leaves, RatchetPolicy::default())
    }

    /// The secret tree over `leaves` leaves rooted at `encryption_secret`.
    pub fn with_policy(
        suite: CipherSuite,
        encryption_secret: Secret,
        leaves: LeafCount,
        policy: RatchetPolicy,
    ) -> Self {
        let mut nodes = BTreeMap::new();
        nodes.insert(leaves.root(), encryption_secret);
        SecretTree {
            suite,
            leaves,
            policy,
            nodes,
            ratchets: BTreeMap::new(),
        }
    }

    /// The number of leaves.
    pub fn leaf_count(&self) -> LeafCount {
        self.leaves
    }

    /// The limits on out-of-order delivery in force.
    pub fn policy(&self) -> RatchetPolicy {
        self.policy
    }

    /// The key and nonce of `generation` in `leaf`'s `which` ratchet, for decrypting a
    /// received message. The ratchet moves forward as needed; the key stays available
    /// (for a retry or a late duplicate check) until [`Self::consume`] deletes it.
    ///
    /// Fails if the leaf is outside the tree, if the key was consumed or deleted as one of
    /// more skipped keys than the policy keeps, or if the generation is beyond the maximum
    /// forward distance.
    pub fn key(
        &mut self,
        leaf: LeafIndex,
        which: RatchetType,
        generation: u32,
    ) -> Result<MessageKey, Error> {
        let (suite, policy) = (self.suite, self.policy);
        self.leaf_ratchets(leaf)?
            .get(which)
            .key(&suite, &policy, generation)
    }

    /// Deletes the key of `generation` after a message decrypted with it (§9.2). Deleting
    /// a key that is not held does nothing.
    pub fn consume(&mut self, leaf: LeafIndex, which: RatchetType, generation: u32) {
        if let Some(r) = self.ratchets.get_mut(&leaf) {
            r.get(which).unused.remove(&generation);
        }
    }

    /// [`Self::key`] then [`Self::consume`]: the key of `generation`, deleted from the
    /// tree at once.
    pub fn take_key(
        &mut self,
        leaf: LeafIndex,
        which: RatchetType,
        generation: u32,
    ) -> Result<MessageKey, Error> {
        let key = self.key(leaf, which, generation)?;
        self.consume(leaf, which, generation);
        Ok(key)
    }

    /// The key and nonce of the next unused generation of our own `leaf`'s `which`
    /// ratchet, for encrypting a message. The ratchet moves one step and the key is not
    /// kept, so no generation is ever handed out twice.
    pub fn next_sending_key(
        &mut self,
        leaf: LeafIndex,
        which: RatchetType,
    ) -> Result<MessageKey, Error> {
        let suite = self.suite;
        self.leaf_ratchets(leaf)?.get(which).step(&suite)
    }

    /// The ratchets of `leaf`, seeding them from the tree the first time.
    fn leaf_ratchets(&mut self, leaf: LeafIndex) -> Result<&mut LeafRatchets, Error> {
        if !self.leaves.contains_leaf(leaf) {
            return Err(violation(
                "6.3.2",
                "the sender's leaf index is outside the tree",
            ));
        }
        match self.ratchets.entry(leaf) {
            Entry::Occupied(e) => Ok(e.into_mut()),
            Entry::Vacant(e) => {
                let leaf_secret =
                    derive_leaf_secret(&self.suite, self.leaves, &mut self.nodes, leaf)?;
                Ok(e.insert(LeafRatchets::new(&self.suite, &leaf_secret)?))
            }
        }
    }
}

/// Derives the secret of `leaf` down from the lowest ancestor whose secret is held,
/// dropping every parent secret once its two children are derived (§9, §9.2), and
/// removes the leaf's secret from the tree.
fn derive_leaf_secret(
    suite: &CipherSuite,
    leaves: LeafCount,
    nodes: &mut BTreeMap<NodeIndex, Secret>,
    leaf: LeafIndex,
) -> Result<Secret, Error> {
    let missing = || Error::Misuse("secret tree: the leaf's secret has already been used");
    let leaf_node = leaf.to_node().ok_or_else(missing)?;
    // The path from the root down to the leaf.
    let mut path = leaves.direct_path(leaf_node).ok_or_else(missing)?;
    path.reverse();
    path.push(leaf_node);
    let start = path
        .iter()
        .rposition(|n| nodes.contains_key(n))
        .ok_or_else(missing)?;
    for parent in &path[start..path.len() - 1] {
        let secret = nodes.remove(parent).ok_or_else(missing)?;
        let (left, right) = parent.left().zip(parent.right()).ok_or_else(missing)?;
        let child = |side: &[u8]| {
            suite.expand_with_label(secret.as_bytes(), b"tree", side, suite.hash_len())
        };
        nodes.insert(left, child(b"left")?);
        nodes.insert(right, child(b"right")?);
    }
    nodes.remove(&leaf_node).ok_or_else(missing)
}

/// The persisted form of a secret tree, the `SecretTreeState` and `HashRatchetState` of
/// [`crate::group::FORMAT_VERSION`]: every node secret still held, and every seeded
/// leaf's two ratchets with their positions and the keys kept for out-of-order
/// messages. The cipher suite is the group's and is not repeated.
impl SecretTree {
    /// Writes the whole tree.
    pub(crate) fn write_state(&self, w: &mut StateWriter) {
        let SecretTree {
            suite: _,
            leaves,
            policy,
            nodes,
            ratchets,
        } = self;
        w.u32(leaves.get());
        w.u32(policy.max_forward_distance);
        w.u32(policy.out_of_order_window);
        w.vector(|w| {
            for (node, secret) in nodes {
                w.u32(node.0);
                w.secret(secret);
            }
        });
        w.vector(|w| {
            for (leaf, two) in ratchets {
                w.u32(leaf.0);
                two.handshake.write_state(w);
                two.application.write_state(w);
            }
        });
    }

    /// Reads a tree written by [`Self::write_state`] for `suite`. Besides the encoding
    /// itself it checks every length and index, and that the held node secrets and the
    /// seeded leaves cover every leaf exactly once (so that each leaf's secret can be
    /// derived once and only once, §9.2).
    pub(crate) fn read_state(r: &mut Reader<'_>, suite: CipherSuite) -> Result<Self, DecodeError> {
        let count = r.u32()?;
        let leaves = LeafCount::new(count).ok_or(invalid("secret tree leaves", count.into()))?;
        let policy = RatchetPolicy {
            max_forward_distance: r.u32()?,
            out_of_order_window: r.u32()?,
        };
        let nodes = read_map(r, "secret tree node", |r| {
            let node = NodeIndex(r.u32()?);
            if !leaves.contains_node(node) {
                return Err(invalid("secret tree node", node.0.into()));
            }
            Ok((
                node,
                read_secret_of_len(r, suite.hash_len(), "secret tree node secret")?,
            ))
        })?;
        let ratchets = read_map(r, "secret tree leaf", |r| {
            let leaf = LeafIndex(r.u32()?);
            if !leaves.contains_leaf(leaf) {
                return Err(invalid("secret tree leaf", leaf.0.into()));
            }
            let two = LeafRatchets {
                handshake: HashRatchet::read_state(r, &suite)?,
                application: HashRatchet::read_state(r, &suite)?,
            };
            Ok((leaf, two))
        })?;
        check_cover(leaves, nodes.keys(), ratchets.keys())?;
        Ok(SecretTree {
            suite,
            leaves,
            policy,
            nodes,
            ratchets,
        })
    }
}

impl HashRatchet {
    /// Writes a `HashRatchetState`.
    fn write_state(&self, w: &mut StateWriter) {
        let HashRatchet {
            secret,
            next,
            unused,
        } = self;
        w.u64(*next);
        w.secret(secret);
        w.vector(|w| {
            for (generation, key) in unused {
                w.u32(*generation);
                w.secret(&key.key);
                w.secret(&key.nonce);
            }
        });
    }

    /// Reads a `HashRatchetState`: every kept generation must be below `next`, and
    /// every secret must have the length its derivation gives (§9.1).
    fn read_state(r: &mut Reader<'_>, suite: &CipherSuite) -> Result<Self, DecodeError> {
        const EXHAUSTED: u64 = 1 << 32;
        let next = r.u64()?;
        if next > EXHAUSTED {
            return Err(invalid("ratchet next generation", next));
        }
        let secret_len = if next == EXHAUSTED {
            0
        } else {
            suite.hash_len()
        };
        let secret = read_secret_of_len(r, secret_len, "ratchet secret")?;
        let unused = read_map(r, "ratchet generation", |r| {
            let generation = r.u32()?;
            if u64::from(generation) >= next {
                return Err(invalid("ratchet generation", generation.into()));
            }
            let key = MessageKey {
                generation,
                key: read_secret_of_len(r, suite.aead_key_len(), "ratchet key")?,
                nonce: read_secret_of_len(r, suite.aead_nonce_len(), "ratchet nonce")?,
            };
            Ok((generation, key))
        })?;
        Ok(HashRatchet {
            secret,
            next,
            unused,
        })
    }
}

/// Checks that the subtrees of the held `nodes` and the `seeded` leaves partition the
/// leaves of a tree of `leaves` leaves: the invariant [`derive_leaf_secret`] relies on.
fn check_cover<'a>(
    leaves: LeafCount,
    nodes: impl Iterator<Item = &'a NodeIndex>,
    seeded: impl Iterator<Item = &'a LeafIndex>,
) -> Result<(), DecodeError> {
    // (first leaf, number of leaves) of each node's subtree; a node at level k covers the
    // 2^k leaves whose nodes lie within 2^k - 1 of it.
    let subtree = |node: &NodeIndex| {
        let width = 1u64 << node.level();
        ((u64::from(node.0) + 1 - width) / 2, width)
    };
    let mut spans: Vec<(u64, u64)> = nodes
        .map(subtree)
        .chain(seeded.map(|leaf| (u64::from(leaf.0), 1)))
        .collect();
    spans.sort_unstable();
    let mut next = 0;
    for (first, width) in spans {
        if first != next {
            return Err(invalid("secret tree cover", first.min(next)));
        }
        next = first + width;
    }
    if next != u64::from(leaves.get()) {
        return Err(invalid("secret tree cover", next));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite() -> CipherSuite {
        CipherSuite::new(1).unwrap()
    }

    fn tree(leaves: u32, policy: RatchetPolicy) -> SecretTree {
        let count = LeafCount::new(leaves).unwrap();
        SecretTree::with_policy(suite(), Secret::new(vec![7; 32]), count, policy)
    }

    fn default_tree(leaves: u32) -> SecretTree {
        tree(leaves, RatchetPolicy::default())
    }

    #[test]
    fn the_children_of_a_node_are_derived_with_the_tree_label() {
        let s = suite();
        let root = Secret::new(vec![7; 32]);
        let left = s
            .expand_with_label(root.as_bytes(), b"tree", b"left", 32)
            .unwrap();
        let hs = s
            .expand_with_label(left.as_bytes(), b"handshake", b"", 32)
            .unwrap();
        let want = s.derive_tree_secret(hs.as_bytes(), b"key", 0, 16).unwrap();
        let mut t = default_tree(2);
        let got = t.take_key(LeafIndex(0), RatchetType::Handshake, 0).unwrap();
        assert_eq!(got.key.as_bytes(), want.as_bytes());
        assert_eq!(got.generation, 0);
    }

    #[test]
    fn a_consumed_generation_cannot_be_derived_again() {
        let mut t = default_tree(4);
        let leaf = LeafIndex(2);
        t.take_key(leaf, RatchetType::Application, 3).unwrap();
        assert!(t.key(leaf, RatchetType::Application, 3).is_err());
        // The skipped generations are still there, once each.
        assert!(t.take_key(leaf, RatchetType::Application, 1).is_ok());
        assert!(t.take_key(leaf, RatchetType::Application, 1).is_err());
    }

    #[test]
    fn a_key_not_yet_consumed_can_be_fetched_again() {
        let mut t = default_tree(4);
        let a = t.key(LeafIndex(1), RatchetType::Handshake, 5).unwrap();
        let b = t.key(LeafIndex(1), RatchetType::Handshake, 5).unwrap();
        assert_eq!(a.key.as_bytes(), b.key.as_bytes());
        t.consume(LeafIndex(1), RatchetType::Handshake, 5);
        assert!(t.key(LeafIndex(1), RatchetType::Handshake, 5).is_err());
    }

    #[test]
    fn a_generation_beyond_the_max_forward_distance_is_rejected() {
        let policy = RatchetPolicy {
            max_forward_distance: 10,
            out_of_order_window: 4,
        };
        let mut t = tree(2, policy);
        assert!(t.key(LeafIndex(0), RatchetType::Application, 11).is_err());
        assert!(
            t.key(LeafIndex(0), RatchetType::Application, u32::MAX)
                .is_err()
        );
        assert!(t.key(LeafIndex(0), RatchetType::Application, 10).is_ok());
        // The distance counts from the first generation not derived yet (11).
        assert!(t.key(LeafIndex(0), RatchetType::Application, 21).is_ok());
        assert!(t.key(LeafIndex(0), RatchetType::Application, 33).is_err());
    }

    #[test]
    fn only_the_highest_skipped_keys_up_to_the_limit_are_kept() {
        let policy = RatchetPolicy {
            max_forward_distance: 100,
            out_of_order_window: 2,
        };
        let mut t = tree(2, policy);
        t.take_key(LeafIndex(1), RatchetType::Application, 10)
            .unwrap();
        assert!(t.key(LeafIndex(1), RatchetType::Application, 7).is_err());
        assert!(t.key(LeafIndex(1), RatchetType::Application, 8).is_ok());
        assert!(t.key(LeafIndex(1), RatchetType::Application, 9).is_ok());
    }

    /// The generations whose keys `leaf`'s application ratchet still holds.
    fn held_generations(t: &SecretTree, leaf: LeafIndex) -> Vec<u32> {
        t.ratchets[&leaf]
            .application
            .unused
            .keys()
            .copied()
            .collect()
    }

    #[test]
    fn the_32nd_skipped_key_is_kept_and_the_33rd_is_dropped() {
        // Spec §4.4, §5.1: at most 32 skipped keys per sender and ratchet, lowest first out.
        let leaf = LeafIndex(0);
        let mut t = default_tree(2);
        // Generation 32 skips 0..=31: 32 skipped keys, all kept.
        t.take_key(leaf, RatchetType::Application, 32).unwrap();
        assert_eq!(held_generations(&t, leaf), (0..32).collect::<Vec<_>>());
        // Generation 34 skips 33 too: 33 skipped keys (0..=31 and 33), so the lowest, 0,
        // is dropped and the 32 others are kept.
        t.take_key(leaf, RatchetType::Application, 34).unwrap();
        let kept: Vec<u32> = (1..32).chain([33]).collect();
        assert_eq!(held_generations(&t, leaf), kept);
        assert!(t.key(leaf, RatchetType::Application, 0).is_err());
        assert!(t.take_key(leaf, RatchetType::Application, 1).is_ok());
    }

    #[test]
    fn a_skipped_key_is_kept_however_far_behind_the_newest_generation() {
        // The limit is a count of keys, not a distance: generation 0 is missed, then 1,000
        // messages arrive in order, and 0 still decrypts.
        let leaf = LeafIndex(1);
        let mut t = default_tree(2);
        for g in 1..=1_000 {
            t.take_key(leaf, RatchetType::Application, g).unwrap();
        }
        assert_eq!(held_generations(&t, leaf), vec![0]);
        assert!(t.take_key(leaf, RatchetType::Application, 0).is_ok());
        assert!(held_generations(&t, leaf).is_empty());
    }

    #[test]
    fn a_key_fetched_but_not_consumed_does_not_count_as_skipped() {
        let leaf = LeafIndex(0);
        let mut t = default_tree(2);
        // 32 skipped keys and the newest (32), fetched for a message not yet decrypted.
        t.key(leaf, RatchetType::Application, 32).unwrap();
        assert_eq!(held_generations(&t, leaf), (0..=32).collect::<Vec<_>>());
    }

    #[test]
    fn the_two_ratchets_of_a_leaf_are_independent() {
        let mut t = default_tree(2);
        let h = t.take_key(LeafIndex(0), RatchetType::Handshake, 0).unwrap();
        let a = t
            .take_key(LeafIndex(0), RatchetType::Application, 0)
            .unwrap();
        assert_ne!(h.key.as_bytes(), a.key.as_bytes());
    }

    #[test]
    fn sending_keys_advance_and_match_what_a_receiver_derives() {
        let mut sender = default_tree(8);
        let mut receiver = default_tree(8);
        for g in 0..3 {
            let k = sender
                .next_sending_key(LeafIndex(5), RatchetType::Application)
                .unwrap();
            assert_eq!(k.generation, g);
            let r = receiver
                .take_key(LeafIndex(5), RatchetType::Application, g)
                .unwrap();
            assert_eq!(k.key.as_bytes(), r.key.as_bytes());
            assert_eq!(k.nonce.as_bytes(), r.nonce.as_bytes());
        }
    }

    #[test]
    fn parent_secrets_are_dropped_once_their_children_exist() {
        let mut t = default_tree(8);
        t.key(LeafIndex(0), RatchetType::Handshake, 0).unwrap();
        // Root 7 → 3, 11; 3 → 1, 5; 1 → 0, 2; leaf 0 turned into ratchets.
        let held: Vec<u32> = t.nodes.keys().map(|n| n.0).collect();
        assert_eq!(held, vec![2, 5, 11]);
        t.key(LeafIndex(7), RatchetType::Handshake, 0).unwrap();
        let held: Vec<u32> = t.nodes.keys().map(|n| n.0).collect();
        assert_eq!(held, vec![2, 5, 9, 12]);
    }

    #[test]
    fn a_one_leaf_tree_seeds_its_ratchets_from_the_root() {
        let mut t = default_tree(1);
        assert!(t.key(LeafIndex(0), RatchetType::Handshake, 0).is_ok());
        assert!(t.nodes.is_empty());
    }

    #[test]
    fn a_leaf_outside_the_tree_is_rejected() {
        let mut t = default_tree(4);
        assert!(t.key(LeafIndex(4), RatchetType::Handshake, 0).is_err());
        assert!(
            t.key(LeafIndex(u32::MAX), RatchetType::Handshake, 0)
                .is_err()
        );
        assert!(
            t.next_sending_key(LeafIndex(9), RatchetType::Application)
                .is_err()
        );
    }

    #[test]
    fn a_sender_data_sample_shorter_than_nh_uses_the_whole_ciphertext() {
        let s = suite();
        let secret = [3u8; 32];
        let short = [1u8, 2, 3];
        let got = sender_data_key(&s, &secret, &short).unwrap();
        let want = s.expand_with_label(&secret, b"key", &short, 16).unwrap();
        assert_eq!(got.key.as_bytes(), want.as_bytes());
        assert_eq!(got.nonce.len(), 12);
        // Bytes past the first Nh do not matter.
        let long_a = [[9u8; 32].as_slice(), &[1]].concat();
        let long_b = [[9u8; 32].as_slice(), &[2, 2]].concat();
        let a = sender_data_key(&s, &secret, &long_a).unwrap();
        let b = sender_data_key(&s, &secret, &long_b).unwrap();
        assert_eq!(a.key.as_bytes(), b.key.as_bytes());
        assert!(sender_data_key(&s, &secret, &[]).is_ok());
    }

    /// `t` written and read back.
    fn restored(t: &SecretTree) -> SecretTree {
        let bytes = state_of(t);
        let mut r = Reader::new(&bytes);
        let back = SecretTree::read_state(&mut r, suite()).unwrap();
        r.finish().unwrap();
        assert!(state_of(&back) == bytes, "the bytes differ");
        back
    }

    fn state_of(t: &SecretTree) -> zeroize::Zeroizing<Vec<u8>> {
        let mut w = StateWriter::new();
        t.write_state(&mut w);
        w.finish()
    }

    /// Reads the state of a two-leaf tree that holds `nodes` and no ratchets.
    fn read_two_leaves_holding(nodes: &[u32]) -> Result<SecretTree, DecodeError> {
        let mut w = StateWriter::new();
        [2, 1000, 32].into_iter().for_each(|v| w.u32(v));
        w.vector(|w| {
            for node in nodes {
                w.u32(*node);
                w.secret(&Secret::new(vec![7; 32]));
            }
        });
        w.vector(|_| {});
        let bytes = w.finish();
        SecretTree::read_state(&mut Reader::new(&bytes), suite())
    }

    #[test]
    fn a_restored_secret_tree_keeps_its_positions_and_out_of_order_keys() {
        let mut t = default_tree(8);
        let (receiving, sending) = (LeafIndex(5), LeafIndex(2));
        t.take_key(receiving, RatchetType::Application, 4).unwrap();
        t.next_sending_key(sending, RatchetType::Handshake).unwrap();
        let mut back = restored(&t);

        let want = t.take_key(receiving, RatchetType::Application, 2).unwrap();
        let got = back
            .take_key(receiving, RatchetType::Application, 2)
            .unwrap();
        assert_eq!(got.key.as_bytes(), want.key.as_bytes());
        assert!(back.key(receiving, RatchetType::Application, 4).is_err());
        let want = t.next_sending_key(sending, RatchetType::Handshake).unwrap();
        let got = back
            .next_sending_key(sending, RatchetType::Handshake)
            .unwrap();
        assert_eq!(
            (got.generation, got.nonce.as_bytes()),
            (1, want.nonce.as_bytes())
        );
        let want = t.take_key(LeafIndex(7), RatchetType::Handshake, 0).unwrap();
        let got = back
            .take_key(LeafIndex(7), RatchetType::Handshake, 0)
            .unwrap();
        assert_eq!(got.key.as_bytes(), want.key.as_bytes());
        restored(&back);
    }

    #[test]
    fn a_secret_tree_state_must_hold_one_secret_for_every_leaf() {
        assert!(read_two_leaves_holding(&[1]).is_ok());
        assert!(read_two_leaves_holding(&[0, 2]).is_ok());
        // Leaf 0 twice (the root covers it too), or leaf 1 never.
        assert_eq!(
            read_two_leaves_holding(&[0, 1]).unwrap_err(),
            invalid("secret tree cover", 0)
        );
        assert_eq!(
            read_two_leaves_holding(&[0]).unwrap_err(),
            invalid("secret tree cover", 1)
        );
        assert_eq!(
            read_two_leaves_holding(&[3]).unwrap_err(),
            invalid("secret tree node", 3)
        );
    }

    #[test]
    fn a_secret_tree_state_with_nodes_out_of_order_is_rejected() {
        assert_eq!(
            read_two_leaves_holding(&[2, 0]).unwrap_err(),
            invalid("secret tree node", 1)
        );
    }

    #[test]
    fn debug_output_shows_no_secret_bytes() {
        let mut t = default_tree(2);
        let k = t.take_key(LeafIndex(0), RatchetType::Handshake, 0).unwrap();
        let shown = format!("{t:?} {k:?}");
        assert!(!shown.contains("07, 07"));
        assert!(shown.contains("Secret(16 bytes)"));
    }
}
