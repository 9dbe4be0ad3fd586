//! The persistent state encodings: a [`Group`], a [`super::PendingCommit`] and a
//! [`KeyPackageBundle`] as bytes for the application's store, and back.
//!
//! The encoding is written in the TLS presentation language of RFC 9420 §2.1 (the
//! crate's [`Codec`] and [`Reader`]), behind a two-byte header: the format version
//! ([`FORMAT_VERSION`]) and the kind of value. It holds every secret of the epoch, so the
//! bytes must be stored where only this member can read them, and the functions that
//! make and read them are crate-private (the `test-support` feature adds
//! `Group::fingerprint` for tests). One secret is left out: the member's signature
//! private key, which the application keeps once, with its identity, and gives back when
//! it loads a state; loading checks it against the public key the state names. The encoder
//! writes into [`Zeroizing`] buffers and never leaves a copy of a secret in memory it
//! frees; the decoder is strict (every length, index, ordering and presence byte is
//! checked, nothing may follow the value) and returns typed errors, never panics.
//!
//! The format is described at [`FORMAT_VERSION`].

use zeroize::Zeroizing;

use crate::codec::{Codec, Reader};
use crate::crypto::{CipherSuite, HpkePrivateKey, Secret, SignaturePrivateKey, SignaturePublicKey};
use crate::error::{DecodeError, Result};
use crate::framing::PaddingPolicy;
use crate::key_schedule::EpochSecrets;
use crate::messages::LeafNode;
use crate::messages::group_context::GroupContext;
use crate::messages::{KeyPackage, Proposal, ProposalRef, RatchetTreeNodes, Sender, WireFormat};
use crate::ratchet_tree::RatchetTree;
use crate::secret_tree::{RatchetPolicy, SecretTree};
use crate::tree_math::LeafIndex;
use crate::treekem::PrivateKeys;

use super::config::{GroupConfig, LifetimePolicy};
use super::create::KeyPackageBundle;
use super::state::{CachedProposal, Group, PastEpoch, ProposalCache};
use super::violation::GroupViolation;

/// The version of the persistent state encoding written here: the first byte of every
/// state. Version 1 also held the signature private key (in `GroupState` after
/// `own_leaf`, and last in a `KeyPackageBundle`); it is no longer read. The format,
/// version 2:
///
/// ```text
/// struct {
///     uint8 version = 1;
///     uint8 kind;                   /* 1: Group, 2: PendingCommit, 3: KeyPackageBundle */
///     select (kind) {
///         case 1: GroupState;
///         case 2: MLSMessage message; optional<MLSMessage> welcome;
///                 optional<MLSMessage> group_info; GroupState next; GroupState current;
///         case 3: KeyPackage key_package; opaque init_private<V>;
///                 opaque encryption_private<V>;
///     };
/// } State;
///
/// struct {
///     GroupConfigState config;
///     uint16 cipher_suite;
///     GroupContext context;
///     optional<Node> ratchet_tree<V>;  /* as in the ratchet_tree extension (§12.4.3.3) */
///     uint32 leaf_count;
///     uint32 own_leaf;
///     struct { uint32 node; opaque key<V>; } private_keys<V>;   /* increasing nodes */
///     opaque epoch_secrets<V>[11];     /* joiner, welcome, sender data, encryption,
///                                         exporter, external, confirm, membership,
///                                         resumption, authentication, init */
///     SecretTreeState secret_tree;
///     opaque interim_transcript_hash<V>;
///     opaque confirmation_tag<V>;
///     struct { ProposalRef reference; Proposal proposal; Sender sender;
///              optional<opaque own_update_key<V>>; } proposals<V>;  /* arrival order */
///     struct { uint64 epoch; opaque psk<V>; } resumption_psks<V>;  /* increasing */
///     struct { GroupContext context; SecretTreeState secret_tree;
///              opaque sender_data_secret<V>;
///              struct { uint32 leaf; opaque signature_key<V>; } members<V>;
///            } past_epochs<V>;                                       /* oldest first */
/// } GroupState;
///
/// struct {
///     uint32 max_forward_distance; uint32 out_of_order_window;
///     uint64 past_epochs; uint64 resumption_psks;
///     uint16 handshake_wire_format;
///     uint8 padding;                   /* 0: none, 1: multiple of ... */
///     select (padding) { case 0: struct {}; case 1: uint64 block; };
///     uint8 ratchet_tree_in_welcome;   /* 0 or 1 */
///     uint8 lifetime;                  /* 0: enforce, 1: skip */
/// } GroupConfigState;
///
/// struct {
///     uint32 leaves;
///     uint32 max_forward_distance; uint32 out_of_order_window;
///     struct { uint32 node; opaque secret<V>; } nodes<V>;  /* held, increasing */
///     struct { uint32 leaf; HashRatchetState handshake; HashRatchetState application; }
///         ratchets<V>;                                     /* seeded, increasing */
/// } SecretTreeState;
///
/// struct {
///     uint64 next;                     /* first generation not derived; at most 2^32 */
///     opaque secret<V>;                /* empty once next = 2^32 */
///     struct { uint32 generation; opaque key<V>; opaque nonce<V>; } unused<V>;
/// } HashRatchetState;
/// ```
///
/// Maps are written in increasing key order and must be read that way, so that a
/// decoded value encodes to the same bytes.
///
/// No state holds the signature private key: the reader is given it, and fails with
/// [`GroupViolation::OwnKeyMismatch`] if its public key is not our leaf's
/// `signature_key` (of every `GroupState`, and of the KeyPackage of a bundle).
pub const FORMAT_VERSION: u8 = 2;

/// The second byte of a state: which value follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    Group = 1,
    // Only the tests write a pending commit (see `PendingCommit::to_state_bytes`).
    #[cfg_attr(not(test), allow(dead_code))]
    PendingCommit = 2,
    KeyPackageBundle = 3,
}

/// The encoding helpers that the state of the secret tree and of TreeKEM's private keys
/// share with this module live below them, in [`crate::state_codec`].
pub(crate) use crate::state_codec::{
    StateWriter, invalid, read_flag, read_list, read_map, read_secret, read_secret_of_len,
};

/// Reads the two-byte header and checks that a state of `kind` follows.
fn read_header(r: &mut Reader<'_>, kind: Kind) -> core::result::Result<(), DecodeError> {
    let version = r.u8()?;
    if version != FORMAT_VERSION {
        return Err(invalid("state format version", version.into()));
    }
    let found = r.u8()?;
    if found != kind as u8 {
        return Err(invalid("state kind", found.into()));
    }
    Ok(())
}

/// A writer that starts with the header of a state of `kind`.
fn writer_for(kind: Kind) -> StateWriter {
    let mut w = StateWriter::new();
    w.u8(FORMAT_VERSION);
    w.u8(kind as u8);
    w
}

/// Decodes a whole state of `kind` with `body`; fails if any byte is left over.
fn decode_whole<T>(
    bytes: &[u8],
    kind: Kind,
    body: impl FnOnce(&mut Reader<'_>) -> Result<T>,
) -> Result<T> {
    let mut r = Reader::new(bytes);
    read_header(&mut r, kind)?;
    let value = body(&mut r)?;
    r.finish()?;
    Ok(value)
}

impl Group {
    /// The whole state of this epoch as bytes for the store, secrets included but for
    /// the signature private key (see [`FORMAT_VERSION`] for the format). Equal states
    /// give identical bytes. Store them only where this member alone can read them.
    /// Crate-private: the bytes hold private keys.
    pub(crate) fn to_state_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut w = writer_for(Kind::Group);
        write_group(&mut w, self);
        w.finish()
    }

    /// The group whose state [`Self::to_state_bytes`] gave, with `signer`, our signature
    /// private key, which the state does not hold. Fails with a decode error if the
    /// bytes are not exactly such a state (truncated, of another version or kind, out of
    /// range, out of order, or followed by more bytes), with a
    /// [`crate::ratchet_tree::TreeViolation`] if the stored ratchet tree is not a valid
    /// node list, with [`crate::error::Error::Unsupported`] for a cipher suite this build
    /// lacks, and with [`GroupViolation::OwnKeyMismatch`] if `signer` is not the key of
    /// our leaf.
    pub(crate) fn from_state_bytes(bytes: &[u8], signer: &SignaturePrivateKey) -> Result<Group> {
        decode_whole(bytes, Kind::Group, |r| read_group(r, signer))
    }
}

#[cfg(test)]
impl super::commit::PendingCommit {
    /// The commit's messages and both groups as bytes for the store, so that a commit
    /// awaiting the delivery service's answer survives a restart. (The Web API stores
    /// the next group and the commit's bytes instead; only the tests use this.)
    pub(crate) fn to_state_bytes(&self) -> Zeroizing<Vec<u8>> {
        let Self {
            message,
            welcome,
            group_info,
            next,
            current,
        } = self;
        let mut w = writer_for(Kind::PendingCommit);
        w.public(message);
        w.public(welcome);
        w.public(group_info);
        write_group(&mut w, next);
        write_group(&mut w, current);
        w.finish()
    }

    /// The pending commit whose state [`Self::to_state_bytes`] gave, with our
    /// signature private key; fails as [`Group::from_state_bytes`] does.
    pub(crate) fn from_state_bytes(bytes: &[u8], signer: &SignaturePrivateKey) -> Result<Self> {
        use crate::messages::MlsMessage;
        decode_whole(bytes, Kind::PendingCommit, |r| {
            Ok(Self {
                message: MlsMessage::decode(r)?,
                welcome: Option::<MlsMessage>::decode(r)?,
                group_info: Option::<MlsMessage>::decode(r)?,
                next: read_group(r, signer)?,
                current: read_group(r, signer)?,
            })
        })
    }
}

impl KeyPackageBundle {
    /// The KeyPackage and its init and encryption private keys as bytes for the store;
    /// not the signature private key. Crate-private: the bytes hold private keys.
    pub(crate) fn to_state_bytes(&self) -> Zeroizing<Vec<u8>> {
        let KeyPackageBundle {
            key_package,
            init_private,
            encryption_private,
            signer: _,
        } = self;
        let mut w = writer_for(Kind::KeyPackageBundle);
        w.public(key_package);
        w.secret(&init_private.0);
        w.secret(&encryption_private.0);
        w.finish()
    }

    /// The bundle whose state [`Self::to_state_bytes`] gave, with `signer`, the
    /// signature private key it was signed with; fails as [`Group::from_state_bytes`]
    /// does.
    pub(crate) fn from_state_bytes(
        bytes: &[u8],
        signer: &SignaturePrivateKey,
    ) -> Result<KeyPackageBundle> {
        decode_whole(bytes, Kind::KeyPackageBundle, |r| {
            let key_package = KeyPackage::decode(r)?;
            let suite = CipherSuite::new(key_package.cipher_suite.0)?;
            check_signer(&suite, signer, Some(&key_package.leaf_node))?;
            Ok(KeyPackageBundle {
                key_package,
                init_private: HpkePrivateKey(read_secret(r)?),
                encryption_private: HpkePrivateKey(read_secret(r)?),
                signer: signer.clone(),
            })
        })
    }
}

/// Checks that `signer` is the private key of `leaf`'s `signature_key`: the state names
/// the public key, the application gives the private one.
fn check_signer(
    suite: &CipherSuite,
    signer: &SignaturePrivateKey,
    leaf: Option<&LeafNode>,
) -> Result<()> {
    let public = suite.signature_public_key(signer)?;
    if leaf.map(|leaf| &leaf.signature_key) != Some(&public) {
        return Err(GroupViolation::OwnKeyMismatch { which: "signature" }.into());
    }
    Ok(())
}

/// Writes a `GroupState`.
fn write_group(w: &mut StateWriter, group: &Group) {
    let Group {
        suite,
        context,
        tree,
        own_leaf,
        signer: _,
        private_keys,
        secrets,
        secret_tree,
        interim_transcript_hash,
        confirmation_tag,
        proposals,
        resumption_psks,
        past_epochs,
        config,
    } = group;
    write_config(w, config);
    w.u16(suite.id());
    w.public(context);
    w.bytes(&tree.to_bytes());
    w.u32(tree.leaf_count().get());
    w.u32(own_leaf.0);
    private_keys.write_state(w);
    write_epoch_secrets(w, secrets);
    secret_tree.write_state(w);
    w.opaque(interim_transcript_hash);
    w.opaque(confirmation_tag);
    write_proposals(w, proposals);
    w.vector(|w| {
        for (epoch, psk) in resumption_psks {
            w.u64(*epoch);
            w.secret(psk);
        }
    });
    w.vector(|w| past_epochs.iter().for_each(|p| write_past_epoch(w, p)));
}

/// Reads a `GroupState`, whose member signs with `signer`.
fn read_group(r: &mut Reader<'_>, signer: &SignaturePrivateKey) -> Result<Group> {
    let config = read_config(r)?;
    let suite_id = r.u16()?;
    let suite = CipherSuite::new(suite_id)?;
    let context = GroupContext::decode(r)?;
    if context.cipher_suite.0 != suite_id {
        return Err(invalid("cipher_suite", context.cipher_suite.0.into()).into());
    }
    let tree = RatchetTree::from_nodes(RatchetTreeNodes::decode(r)?)?;
    let leaf_count = r.u32()?;
    if tree.leaf_count().get() != leaf_count {
        return Err(invalid("ratchet tree leaf_count", leaf_count.into()).into());
    }
    let own_leaf = LeafIndex::decode(r)?;
    if !tree.leaf_count().contains_leaf(own_leaf) {
        return Err(invalid("own_leaf", own_leaf.0.into()).into());
    }
    check_signer(&suite, signer, tree.leaf(own_leaf))?;
    let signer = signer.clone();
    let private_keys = PrivateKeys::read_state(r, tree.leaf_count())?;
    let secrets = read_epoch_secrets(r, &suite)?;
    let secret_tree = SecretTree::read_state(r, suite)?;
    if secret_tree.leaf_count() != tree.leaf_count() {
        let leaves = secret_tree.leaf_count().get();
        return Err(invalid("secret tree leaf count", leaves.into()).into());
    }
    Ok(Group {
        suite,
        context,
        tree,
        own_leaf,
        signer,
        private_keys,
        secrets,
        secret_tree,
        interim_transcript_hash: r.opaque()?.to_vec(),
        confirmation_tag: r.opaque()?.to_vec(),
        proposals: read_proposals(r)?,
        resumption_psks: read_map(r, "resumption psk epoch", |r| {
            let epoch = r.u64()?;
            let psk = read_secret_of_len(r, suite.hash_len(), "resumption_psk")?;
            Ok::<_, DecodeError>((epoch, psk))
        })?,
        past_epochs: read_list(r, |r| read_past_epoch(r, suite))?.into(),
        config,
    })
}

/// Writes a `GroupConfigState`.
fn write_config(w: &mut StateWriter, config: &GroupConfig) {
    let GroupConfig {
        ratchet_policy,
        past_epochs,
        resumption_psks,
        handshake_wire_format,
        padding,
        ratchet_tree_in_welcome,
        lifetime,
    } = *config;
    w.u32(ratchet_policy.max_forward_distance);
    w.u32(ratchet_policy.out_of_order_window);
    // A usize always fits a u64 on the platforms Rust supports.
    w.u64(past_epochs as u64);
    w.u64(resumption_psks as u64);
    w.u16(handshake_wire_format.0);
    match padding {
        PaddingPolicy::None => w.u8(0),
        PaddingPolicy::MultipleOf(block) => {
            w.u8(1);
            w.u64(block as u64);
        }
    }
    w.u8(ratchet_tree_in_welcome.into());
    w.u8(match lifetime {
        LifetimePolicy::Enforce => 0,
        LifetimePolicy::Skip => 1,
    });
}

/// Reads a `GroupConfigState`.
fn read_config(r: &mut Reader<'_>) -> core::result::Result<GroupConfig, DecodeError> {
    let count = |value: u64, field| usize::try_from(value).map_err(|_| invalid(field, value));
    Ok(GroupConfig {
        ratchet_policy: RatchetPolicy {
            max_forward_distance: r.u32()?,
            out_of_order_window: r.u32()?,
        },
        past_epochs: count(r.u64()?, "past_epochs")?,
        resumption_psks: count(r.u64()?, "resumption_psks")?,
        handshake_wire_format: WireFormat(r.u16()?),
        padding: match r.u8()? {
            0 => PaddingPolicy::None,
            1 => PaddingPolicy::MultipleOf(count(r.u64()?, "padding block")?),
            other => return Err(invalid("padding", other.into())),
        },
        ratchet_tree_in_welcome: read_flag(r, "ratchet_tree_in_welcome")?,
        lifetime: match r.u8()? {
            0 => LifetimePolicy::Enforce,
            1 => LifetimePolicy::Skip,
            other => return Err(invalid("lifetime", other.into())),
        },
    })
}

/// The epoch secrets in their order in the state.
fn epoch_secret_list(s: &EpochSecrets) -> [&Secret; 11] {
    let EpochSecrets {
        joiner_secret,
        welcome_secret,
        sender_data_secret,
        encryption_secret,
        exporter_secret,
        external_secret,
        confirmation_key,
        membership_key,
        resumption_psk,
        epoch_authenticator,
        init_secret,
    } = s;
    [
        joiner_secret,
        welcome_secret,
        sender_data_secret,
        encryption_secret,
        exporter_secret,
        external_secret,
        confirmation_key,
        membership_key,
        resumption_psk,
        epoch_authenticator,
        init_secret,
    ]
}

/// Writes the eleven epoch secrets.
fn write_epoch_secrets(w: &mut StateWriter, secrets: &EpochSecrets) {
    epoch_secret_list(secrets)
        .into_iter()
        .for_each(|s| w.secret(s));
}

/// Reads the eleven epoch secrets. Every one but the `joiner_secret` (which a Welcome
/// supplies) is derived with `KDF.Nh` bytes (§8) and must have that length.
fn read_epoch_secrets(
    r: &mut Reader<'_>,
    suite: &CipherSuite,
) -> core::result::Result<EpochSecrets, DecodeError> {
    let joiner_secret = read_secret(r)?;
    let mut derived = |field| read_secret_of_len(r, suite.hash_len(), field);
    Ok(EpochSecrets {
        joiner_secret,
        welcome_secret: derived("welcome_secret")?,
        sender_data_secret: derived("sender_data_secret")?,
        encryption_secret: derived("encryption_secret")?,
        exporter_secret: derived("exporter_secret")?,
        external_secret: derived("external_secret")?,
        confirmation_key: derived("confirmation_key")?,
        membership_key: derived("membership_key")?,
        resumption_psk: derived("resumption_psk")?,
        epoch_authenticator: derived("epoch_authenticator")?,
        init_secret: derived("init_secret")?,
    })
}

/// Writes the proposal cache, oldest first.
fn write_proposals(w: &mut StateWriter, proposals: &ProposalCache) {
    w.vector(|w| {
        for entry in proposals.iter() {
            let CachedProposal {
                reference,
                proposal,
                sender,
                own_update_key,
            } = entry;
            w.public(reference);
            w.public(proposal);
            w.public(sender);
            match own_update_key {
                None => w.u8(0),
                Some(key) => {
                    w.u8(1);
                    w.secret(&key.0);
                }
            }
        }
    });
}

/// Reads the proposal cache. A reference that appears twice is rejected: the cache
/// keeps one entry per reference.
fn read_proposals(r: &mut Reader<'_>) -> core::result::Result<ProposalCache, DecodeError> {
    let mut cache = ProposalCache::default();
    for entry in read_list(r, read_cached_proposal)? {
        let before = cache.len();
        cache.insert(entry);
        if cache.len() == before {
            return Err(invalid("proposal cache reference", before as u64));
        }
    }
    Ok(cache)
}

/// Reads one entry of the proposal cache.
fn read_cached_proposal(r: &mut Reader<'_>) -> core::result::Result<CachedProposal, DecodeError> {
    Ok(CachedProposal {
        reference: ProposalRef::decode(r)?,
        proposal: Proposal::decode(r)?,
        sender: Sender::decode(r)?,
        own_update_key: match r.u8()? {
            0 => None,
            1 => Some(HpkePrivateKey(read_secret(r)?)),
            other => return Err(DecodeError::InvalidOptional(other)),
        },
    })
}

/// Writes what is kept of a past epoch.
fn write_past_epoch(w: &mut StateWriter, past: &PastEpoch) {
    let PastEpoch {
        context,
        secret_tree,
        sender_data_secret,
        signature_keys,
    } = past;
    w.public(context);
    secret_tree.write_state(w);
    w.secret(sender_data_secret);
    w.vector(|w| {
        for (leaf, key) in signature_keys {
            w.u32(leaf.0);
            w.opaque(&key.0);
        }
    });
}

/// Reads what is kept of a past epoch.
fn read_past_epoch(
    r: &mut Reader<'_>,
    suite: CipherSuite,
) -> core::result::Result<PastEpoch, DecodeError> {
    let context = GroupContext::decode(r)?;
    let secret_tree = SecretTree::read_state(r, suite)?;
    let sender_data_secret = read_secret_of_len(r, suite.hash_len(), "sender_data_secret")?;
    let leaves = secret_tree.leaf_count();
    let signature_keys = read_map(r, "past epoch member", |r| {
        let leaf = LeafIndex::decode(r)?;
        if !leaves.contains_leaf(leaf) {
            return Err(invalid("past epoch member", leaf.0.into()));
        }
        Ok((leaf, SignaturePublicKey(r.opaque()?.to_vec())))
    })?;
    Ok(PastEpoch {
        context,
        secret_tree,
        sender_data_secret,
        signature_keys,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;
    use crate::crypto::SeededRandom;
    use crate::error::Error;
    use crate::group::create::tests::{NOW, bundle, group_of};
    use crate::group::{CommitOptions, PendingCommit, Processed, join, no_psks};
    use crate::messages::{Add, MlsMessage, Proposal};

    /// Every member of `to` processes `message` and keeps the group it returns.
    fn deliver(views: &mut [Group], to: &[usize], message: &MlsMessage) {
        for &i in to {
            views[i] = views[i].process(message, &no_psks, &NOW).unwrap().1;
        }
    }

    /// Member `committer` commits with a fresh path; everyone else processes it.
    fn commit_round(views: &mut [Group], committer: usize, rng: &mut SeededRandom) {
        let options = CommitOptions {
            force_path: true,
            ..CommitOptions::default()
        };
        let pending = views[committer]
            .commit(&options, &no_psks, &NOW, rng)
            .unwrap();
        let others: Vec<usize> = (0..views.len()).filter(|&i| i != committer).collect();
        deliver(views, &others, &pending.message);
        views[committer] = pending.merge();
    }

    /// Member `from` encrypts `data`; nobody has received it yet.
    fn send(views: &mut [Group], from: usize, data: &[u8], rng: &mut SeededRandom) -> MlsMessage {
        let (message, group) = views[from].encrypt_application(data, b"aad", rng).unwrap();
        views[from] = group;
        message
    }

    /// A group of three after several epochs, as member 0 holds it, with everything a
    /// state can hold: past epochs and resumption PSKs retained, keys kept for
    /// out-of-order messages in a past epoch and in the current one, and two cached
    /// proposals, one of them our own Update (with its private key).
    struct Scenario {
        views: Vec<Group>,
        rng: SeededRandom,
        /// From member 1 in epoch 3, not yet delivered to member 0.
        late: MlsMessage,
        /// From member 2 in epoch 4, not yet delivered to member 0.
        skipped: MlsMessage,
    }

    fn scenario() -> Scenario {
        let mut rng = SeededRandom::new(11);
        let config = GroupConfig {
            handshake_wire_format: WireFormat::MLS_PRIVATE_MESSAGE,
            padding: PaddingPolicy::MultipleOf(64),
            ..GroupConfig::default()
        };
        let mut views = group_of(3, config, &mut rng);
        commit_round(&mut views, 0, &mut rng);
        commit_round(&mut views, 1, &mut rng);

        // Epoch 3: member 0 reads only the third of member 1's messages.
        let late = send(&mut views, 1, b"first", &mut rng);
        send(&mut views, 1, b"second", &mut rng);
        let third = send(&mut views, 1, b"third", &mut rng);
        deliver(&mut views, &[0], &third);
        commit_round(&mut views, 2, &mut rng);

        // Epoch 4: member 0 reads only the second of member 2's messages, and sends one.
        let skipped = send(&mut views, 2, b"fourth", &mut rng);
        let fifth = send(&mut views, 2, b"fifth", &mut rng);
        deliver(&mut views, &[0], &fifth);
        let own = send(&mut views, 0, b"sixth", &mut rng);
        deliver(&mut views, &[1, 2], &own);

        // Two proposals: our own Update, and an Add from member 1.
        let update = views[0].propose_update(b"", &mut rng).unwrap();
        views[0] = update.group;
        deliver(&mut views, &[1, 2], &update.message);
        let newcomer = bundle(b"newcomer", &mut rng).key_package;
        let add = views[1].propose_add(newcomer, b"", &NOW, &mut rng).unwrap();
        views[1] = add.group;
        deliver(&mut views, &[0, 2], &add.message);

        Scenario {
            views,
            rng,
            late,
            skipped,
        }
    }

    /// Member 0 in the scenario, built once for the property tests.
    static MEMBER: LazyLock<Group> = LazyLock::new(|| scenario().views[0].clone());

    /// Member 0's state in the scenario.
    static STATE: LazyLock<Zeroizing<Vec<u8>>> = LazyLock::new(|| MEMBER.to_state_bytes());

    /// Member 0's signature private key, which its state does not hold.
    fn signer() -> &'static SignaturePrivateKey {
        &MEMBER.signer
    }

    /// True if `needle` occurs anywhere in `haystack`.
    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// What a group did in [`behaviour`].
    struct Behaviour {
        /// What it made of the late message, the skipped one and the commit.
        outputs: Vec<Processed>,
        /// Its state after each of the three.
        states: Vec<Zeroizing<Vec<u8>>>,
        /// A secret exported before the commit.
        exported: Vec<u8>,
        /// The epoch authenticator after the commit.
        authenticator: Vec<u8>,
    }

    /// What `group` does next: it reads the late and the skipped message, exports a
    /// secret, and processes `commit`.
    fn behaviour(group: &Group, s: &Scenario, commit: &MlsMessage) -> Behaviour {
        let (late, group) = group.process(&s.late, &no_psks, &NOW).unwrap();
        let after_late = group.to_state_bytes();
        let (skipped, group) = group.process(&s.skipped, &no_psks, &NOW).unwrap();
        let after_skipped = group.to_state_bytes();
        let exported = group.export_secret(b"label", b"context", 32).unwrap();
        let (summary, next) = group.process(commit, &no_psks, &NOW).unwrap();
        Behaviour {
            outputs: vec![late, skipped, summary],
            states: vec![after_late, after_skipped, next.to_state_bytes()],
            exported: exported.as_bytes().to_vec(),
            authenticator: next.epoch_authenticator().to_vec(),
        }
    }

    #[test]
    fn the_scenario_state_holds_everything_a_state_can_hold() {
        let s = scenario();
        let group = &s.views[0];
        assert_eq!(group.epoch(), 4);
        assert_eq!(group.readable_epochs().collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert!((1..=3).all(|e| group.resumption_psk(e).is_some()));
        assert_eq!(group.pending_proposals().len(), 2);
        let own_updates = group
            .pending_proposals()
            .iter()
            .filter(|p| p.own_update_key.is_some())
            .count();
        assert_eq!(own_updates, 1);
    }

    #[test]
    fn a_restored_group_encodes_to_the_same_bytes() {
        let s = scenario();
        let bytes = s.views[0].to_state_bytes();
        assert_eq!(bytes[..2], [FORMAT_VERSION, Kind::Group as u8]);
        let restored = Group::from_state_bytes(&bytes, &s.views[0].signer).unwrap();
        assert!(restored.to_state_bytes() == bytes, "the bytes differ");
        assert_eq!(restored.pending_proposals().len(), 2);
        assert_eq!(restored.config(), s.views[0].config());
    }

    #[test]
    fn a_restored_group_reads_commits_and_exports_as_the_original_does() {
        let mut s = scenario();
        let signer = &s.views[0].signer;
        let restored = Group::from_state_bytes(&s.views[0].to_state_bytes(), signer).unwrap();
        // Member 1 commits both cached proposals, our Update among them.
        let pending = s.views[1]
            .commit(&CommitOptions::default(), &no_psks, &NOW, &mut s.rng)
            .unwrap();
        let original = behaviour(&s.views[0], &s, &pending.message);
        let copy = behaviour(&restored, &s, &pending.message);

        assert_eq!(copy.outputs, original.outputs);
        let Processed::Application(late) = &original.outputs[0] else {
            panic!("not application data: {:?}", original.outputs[0]);
        };
        assert_eq!((late.epoch, late.data.as_slice()), (3, b"first".as_slice()));
        let Processed::Commit(summary) = &original.outputs[2] else {
            panic!("not a commit: {:?}", original.outputs[2]);
        };
        assert_eq!(summary.updated, [LeafIndex(0)]);
        assert!(copy.states == original.states, "the states differ");
        assert_eq!(copy.exported, original.exported);
        assert_eq!(copy.authenticator, original.authenticator);
        assert_eq!(copy.authenticator, pending.merge().epoch_authenticator());
    }

    #[test]
    fn a_restored_pending_commit_and_key_package_bundle_let_a_newcomer_join() {
        let mut rng = SeededRandom::new(12);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let newcomer = bundle(b"newcomer", &mut rng);
        let stored_bundle = newcomer.to_state_bytes();
        let options = CommitOptions {
            proposals: vec![Proposal::Add(Add {
                key_package: newcomer.key_package.clone(),
            })],
            group_info: true,
            ..CommitOptions::default()
        };
        let pending = views[0].commit(&options, &no_psks, &NOW, &mut rng).unwrap();
        let stored_commit = pending.to_state_bytes();

        let restored = PendingCommit::from_state_bytes(&stored_commit, &views[0].signer).unwrap();
        assert!(
            restored.to_state_bytes() == stored_commit,
            "the bytes differ"
        );
        assert_eq!(restored.message, pending.message);
        assert!(restored.group_info.is_some());
        let keys = KeyPackageBundle::from_state_bytes(&stored_bundle, &newcomer.signer).unwrap();
        assert!(keys.to_state_bytes() == stored_bundle, "the bytes differ");
        assert_eq!(keys.key_package, newcomer.key_package);

        let Some(MlsMessage::Welcome(welcome)) = &restored.welcome else {
            panic!("no Welcome");
        };
        let config = GroupConfig::default();
        let joined = join(welcome, &keys.into(), None, &no_psks, config, &NOW).unwrap();
        let (_, member) = views[1].process(&restored.message, &no_psks, &NOW).unwrap();
        let next = restored.merge();
        assert_eq!(joined.epoch_authenticator(), next.epoch_authenticator());
        assert_eq!(member.epoch_authenticator(), next.epoch_authenticator());
    }

    #[test]
    fn no_state_holds_the_signature_private_key() {
        let mut rng = SeededRandom::new(13);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let newcomer = bundle(b"newcomer", &mut rng);
        let options = CommitOptions {
            proposals: vec![Proposal::Add(Add {
                key_package: newcomer.key_package.clone(),
            })],
            ..CommitOptions::default()
        };
        let pending = views[0].commit(&options, &no_psks, &NOW, &mut rng).unwrap();
        let own = views[0].signer.0.as_bytes();
        assert!(!contains(&views[0].to_state_bytes(), own));
        assert!(!contains(&pending.to_state_bytes(), own));
        assert!(!contains(&STATE, signer().0.as_bytes()));
        let theirs = newcomer.signer.0.as_bytes();
        assert!(!contains(&newcomer.to_state_bytes(), theirs));
    }

    #[test]
    fn a_state_loaded_with_another_signature_key_is_an_error() {
        let mut rng = SeededRandom::new(14);
        let other = bundle(b"other", &mut rng);
        let mismatch =
            Error::Protocol(GroupViolation::OwnKeyMismatch { which: "signature" }.into());
        assert_eq!(
            Group::from_state_bytes(&STATE, &other.signer).unwrap_err(),
            mismatch
        );
        let stored = bundle(b"newcomer", &mut rng).to_state_bytes();
        assert_eq!(
            KeyPackageBundle::from_state_bytes(&stored, &other.signer).unwrap_err(),
            mismatch
        );
        let stored = other.to_state_bytes();
        assert!(KeyPackageBundle::from_state_bytes(&stored, &other.signer).is_ok());
    }

    #[test]
    fn the_state_bytes_print_nothing() {
        assert_eq!(format!("{:?}", *STATE), "Zeroizing { .. }");
    }

    #[test]
    fn an_empty_input_is_truncated() {
        assert!(matches!(
            Group::from_state_bytes(&[], signer()),
            Err(Error::Decode(DecodeError::Truncated { .. }))
        ));
    }

    #[test]
    fn every_truncation_of_a_state_is_rejected() {
        for len in 0..STATE.len() {
            assert!(
                Group::from_state_bytes(&STATE[..len], signer()).is_err(),
                "{len}"
            );
        }
    }

    #[test]
    fn a_state_followed_by_one_more_byte_is_rejected() {
        let mut bytes = STATE.to_vec();
        bytes.push(0);
        assert_eq!(
            Group::from_state_bytes(&bytes, signer()).unwrap_err(),
            Error::Decode(DecodeError::TrailingBytes(1))
        );
    }

    #[test]
    fn a_state_of_another_version_or_kind_is_rejected() {
        let mut bytes = STATE.to_vec();
        // Version 1 held the signature private key; it is not read.
        for version in [1, 3] {
            bytes[0] = version;
            assert_eq!(
                Group::from_state_bytes(&bytes, signer()).unwrap_err(),
                Error::Decode(invalid("state format version", version.into()))
            );
        }
        assert_eq!(
            KeyPackageBundle::from_state_bytes(&STATE, signer()).unwrap_err(),
            Error::Decode(invalid("state kind", 1))
        );
        assert_eq!(
            PendingCommit::from_state_bytes(&STATE, signer()).unwrap_err(),
            Error::Decode(invalid("state kind", 1))
        );
    }

    #[test]
    fn a_presence_flag_other_than_zero_or_one_is_rejected() {
        // The config's ratchet_tree_in_welcome: after the header and 4 + 4 + 8 + 8 + 2
        // bytes of config, then the padding tag and its 8-byte block.
        let offset = 2 + 26 + 1 + 8;
        let mut bytes = STATE.to_vec();
        assert_eq!(bytes[offset], 1);
        bytes[offset] = 2;
        assert_eq!(
            Group::from_state_bytes(&bytes, signer()).unwrap_err(),
            Error::Decode(invalid("ratchet_tree_in_welcome", 2))
        );
    }

    proptest! {
        /// A corrupted state either fails with an error or, when the change happens to
        /// give another well-formed state, decodes to a group that encodes to exactly
        /// the corrupted bytes.
        #[test]
        fn a_corrupted_state_fails_cleanly_or_is_another_canonical_state(
            index in any::<prop::sample::Index>(),
            value in any::<u8>(),
        ) {
            let mut bytes = STATE.to_vec();
            let at = index.index(bytes.len());
            bytes[at] = value;
            if let Ok(group) = Group::from_state_bytes(&bytes, signer()) {
                prop_assert!(group.to_state_bytes().as_slice() == bytes.as_slice());
            }
        }

        /// Random bytes after a valid header never make the decoders panic.
        #[test]
        fn random_bytes_never_make_a_decoder_panic(
            kind in 1u8..=3,
            body in prop::collection::vec(any::<u8>(), 0..512),
        ) {
            let bytes = [&[FORMAT_VERSION, kind][..], &body].concat();
            let _ = Group::from_state_bytes(&bytes, signer());
            let _ = PendingCommit::from_state_bytes(&bytes, signer());
            let _ = KeyPackageBundle::from_state_bytes(&bytes, signer());
        }
    }
}
