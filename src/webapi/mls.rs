//! The `MLS` interface (spec §7): identities, credentials, key packages, and the calls
//! that create, find and join groups.
//!
//! The binding is synchronous (spec §3.2, note): each method runs its synchronous
//! conversion steps and then its job, and returns the job's outcome.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use crate::clock::{Clock, FixedClock, SystemClock};
use crate::codec::{Codec, write_varint};
use crate::crypto::{OsRandom, Random};
use crate::group::{Group, JoinKeys, KeyPackageBundle, LeafOptions, join, no_psks};
use crate::messages::{Credential, Lifetime, MlsMessage, Welcome};

use super::bytes::{Input, MlsBytes, ObjectType, Param, Union, bytes};
use super::commit::group_config;
use super::decode::{claimed_group_and_epoch, decode_credential, decode_message};
use super::dictionaries::le64;
use super::error::{WebApiError, WebApiResult};
use super::group_view::GroupView;
use super::job::{Backend, Job};
use super::origin::Origin;
use super::origin_state::{GroupState, Identity, StoredKeyPackage};
use super::validate::{SUITE_ID, check_leaf_rules, client_id_of, suite};

/// The largest `opaque<V>` (spec **generateCredential.3**, **send.3**,
/// **exportSecret.5**).
pub(crate) const MAX_OPAQUE: usize = (1 << 30) - 1;

/// How long before *now* a key package becomes valid (spec §5.2).
const NOT_BEFORE_MARGIN: u64 = 3_600;
/// How long after *now* a key package stays valid: 84 days (spec §5.2).
const NOT_AFTER_MARGIN: u64 = 7_257_600;

const CLIENT_ID: Param = Param::typed("clientId", ObjectType::ClientIdentifier);
const CREDENTIAL: Param = Param::typed("credential", ObjectType::CredentialBasic);
const GROUP_ID: Param = Param::typed("groupId", ObjectType::GroupIdentifier);
const WELCOME: Param = Param::typed("welcome", ObjectType::Welcome);
const MESSAGE: Param = Param::any("message");
const CREDENTIAL_CONTENT: Param = Param {
    name: "credentialContent",
    union: Union::ArrayOrText,
    expected: None,
    empty_allowed: false,
};

/// An `MLS` object: a handle on the MLS state of one origin (spec §7). Clones are the
/// same object: they share the state, the random source and the clock.
#[derive(Clone)]
pub struct Mls {
    inner: Arc<Inner>,
}

struct Inner {
    origin: Origin,
    backend: Backend,
    rng: Mutex<Box<dyn Random + Send>>,
    clock: Box<dyn Clock + Send + Sync>,
}

impl core::fmt::Debug for Mls {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Mls")
            .field("origin", &self.inner.origin)
            .finish_non_exhaustive()
    }
}

impl Mls {
    fn with_backend(origin: Origin, backend: Backend) -> Mls {
        Mls {
            inner: Arc::new(Inner {
                origin,
                backend,
                rng: Mutex::new(Box::new(OsRandom)),
                clock: Box::new(SystemClock),
            }),
        }
    }

    /// The state of `origin` kept in memory, empty at first, shared by this object's
    /// clones and dropped with the last of them: the same sealed records and transactions
    /// as on disk (spec §9.3). The operating system's randomness and clock.
    ///
    /// `origin` must be a serialized origin (spec §7.1): anything else is a `TypeError`.
    pub fn in_memory(origin: &str) -> WebApiResult<Mls> {
        // spec: constructor.2 (constructor.1: a Rust caller always has storage, memory at
        // least, so there is no SecurityError)
        let origin = Origin::parse(origin)?;
        // spec: constructor.3
        let backend = Backend::memory(&origin);
        Ok(Self::with_backend(origin, backend))
    }

    /// The state of `origin` in the encrypted store under `dir` (spec §9): every `Mls`
    /// opened on the same directory and origin sees the same state. Creates nothing
    /// until a call writes (spec §9.1).
    ///
    /// `origin` must be a serialized origin (spec §7.1): anything else is a `TypeError`.
    /// Its forms (`https://A.example:443/`, `https://a.example`) are one storage key.
    pub fn open(dir: &Path, origin: &str) -> WebApiResult<Mls> {
        // spec: constructor.2
        let origin = Origin::parse(origin)?;
        // spec: constructor.3
        let backend = Backend::store(dir, &origin);
        Ok(Self::with_backend(origin, backend))
    }

    /// The same state, with `rng` and `clock` in place of the operating system's (for
    /// tests and reproducible runs).
    pub fn with_rng_and_clock(
        self,
        rng: Box<dyn Random + Send>,
        clock: Box<dyn Clock + Send + Sync>,
    ) -> Mls {
        Mls {
            inner: Arc::new(Inner {
                origin: self.inner.origin.clone(),
                backend: self.inner.backend.clone(),
                rng: Mutex::new(rng),
                clock,
            }),
        }
    }

    /// Runs one job (spec §3.2) with the job's *now* and the random source.
    pub(crate) fn job<T>(
        &self,
        job: impl FnOnce(&mut Job<'_>, &mut dyn Random) -> WebApiResult<T>,
    ) -> WebApiResult<T> {
        let mut rng = self
            .inner
            .rng
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let now = self.inner.clock.now();
        self.inner.backend.run(now, |j| job(j, rng.as_mut()))
    }

    /// **Test support only** (feature `test-support`, off by default; not part of the
    /// documented API): the whole stored state of the origin as bytes, which **exposes
    /// secrets**: in memory, every record's plaintext encoding (the identities' signature
    /// private keys, the key packages' and groups' private keys and epoch secrets); in
    /// the store, every file of the origin, the key file with the origin key *K*
    /// included. Equal bytes mean an unchanged state; tests take it before and after a
    /// failing call (spec §3.2).
    #[cfg(any(test, feature = "test-support"))]
    pub fn state_snapshot(&self) -> WebApiResult<zeroize::Zeroizing<Vec<u8>>> {
        self.inner.backend.snapshot()
    }

    /// `deleteState()` (spec §7.2): removes every identity, key package and group state
    /// of the origin. Idempotent.
    pub fn delete_state(&self) -> WebApiResult<()> {
        // spec: MLS.deleteState.1 (the backend takes the origin's lock)
        // spec: MLS.deleteState.2, MLS.deleteState.3
        self.inner.backend.delete_all()
        // spec: MLS.deleteState.4
    }

    /// `generateIdentity()` (spec §7.3): a new identity; resolves with its client id.
    pub fn generate_identity(&self) -> WebApiResult<MlsBytes> {
        // spec: generateIdentity.1
        self.job(|job, rng| {
            let suite = suite();
            let identity = loop {
                // spec: generateIdentity.2
                let (signer, public_key) = suite
                    .generate_signature_key_pair(rng)
                    .map_err(|e| WebApiError::unknown(format!("key generation: {e}")))?;
                // spec: generateIdentity.3
                let client_id = client_id_of(&public_key);
                if job.identity(&client_id)?.is_none() {
                    break Identity {
                        client_id,
                        cipher_suite: SUITE_ID,
                        signer,
                        public_key,
                        current_credential: None,
                    };
                }
            };
            let client_id = identity.client_id.clone();
            // spec: generateIdentity.4, generateIdentity.5
            job.put_identity(identity);
            // spec: generateIdentity.6
            Ok(MlsBytes::new(ObjectType::ClientIdentifier, client_id))
        })
    }

    /// `generateCredential(credentialContent)` (spec §7.4): the basic credential with
    /// this identity. A pure function of its input.
    pub fn generate_credential(
        &self,
        credential_content: impl Into<Input>,
    ) -> WebApiResult<MlsBytes> {
        // spec: generateCredential.1
        let id = bytes(credential_content.into(), &CREDENTIAL_CONTENT)?;
        // spec: generateCredential.2 (no state is read or written)
        // spec: generateCredential.3
        if id.len() > MAX_OPAQUE {
            return Err(WebApiError::operation("the credential content is too long"));
        }
        // spec: generateCredential.4
        let mut content = vec![0x00, 0x01];
        write_varint(&mut content, id.len());
        content.extend_from_slice(&id);
        Ok(MlsBytes::new(ObjectType::CredentialBasic, content))
    }

    /// `generateKeyPackage(clientId, credential)` (spec §7.5): a new key package of the
    /// identity, with the credential.
    pub fn generate_key_package(
        &self,
        client_id: impl Into<Input>,
        credential: impl Into<Input>,
    ) -> WebApiResult<MlsBytes> {
        // spec: generateKeyPackage.1
        let cid = bytes(client_id.into(), &CLIENT_ID)?;
        // spec: generateKeyPackage.2
        let cb = bytes(credential.into(), &CREDENTIAL)?;
        // spec: generateKeyPackage.3
        self.job(|job, rng| {
            // spec: generateKeyPackage.4
            let credential = decode_credential(&cb)?;
            // spec: generateKeyPackage.5
            let mut identity = job.require_identity(&cid)?;
            // spec: generateKeyPackage.6, generateKeyPackage.7, generateKeyPackage.8
            let bundle = new_bundle(&identity, credential.clone(), job.now, rng)?;
            let message = MlsMessage::KeyPackage(bundle.key_package.clone()).to_bytes();
            // spec: generateKeyPackage.9
            let reference = bundle.key_package.reference(&suite());
            let stored = StoredKeyPackage {
                owner: cid.clone(),
                bundle,
            };
            job.put_key_package(&reference, stored);
            // spec: generateKeyPackage.10
            set_current_credential(job, &mut identity, credential);
            // spec: generateKeyPackage.11 (when the job ends)
            // spec: generateKeyPackage.12
            Ok(MlsBytes::new(ObjectType::KeyPackage, message))
        })
    }

    /// `groupCreate(clientId, credential)` (spec §7.6): a new group of one member at
    /// epoch 0.
    pub fn group_create(
        &self,
        client_id: impl Into<Input>,
        credential: impl Into<Input>,
    ) -> WebApiResult<GroupView> {
        // spec: groupCreate.1
        let cid = bytes(client_id.into(), &CLIENT_ID)?;
        // spec: groupCreate.2
        let cb = bytes(credential.into(), &CREDENTIAL)?;
        // spec: groupCreate.3
        let gid = self.job(|job, rng| {
            // spec: groupCreate.4
            let credential = decode_credential(&cb)?;
            // spec: groupCreate.5
            let mut identity = job.require_identity(&cid)?;
            // spec: groupCreate.6
            let gid = loop {
                let gid = rng
                    .bytes(32)
                    .map_err(|e| WebApiError::unknown(format!("group id: {e}")))?;
                if job.group(&cid, &gid)?.is_none() {
                    break gid;
                }
            };
            // spec: groupCreate.7
            let creator = new_bundle(&identity, credential.clone(), job.now, rng)?;
            let group = Group::create(
                creator,
                gid.clone(),
                Vec::new(),
                group_config(),
                &FixedClock(job.now),
                rng,
            )
            .map_err(|e| WebApiError::unknown(format!("the group cannot be created: {e}")))?;
            // spec: groupCreate.8
            let state = GroupState {
                group,
                pending: None,
            };
            job.put_group(&cid, &gid, state)?;
            // spec: groupCreate.9
            set_current_credential(job, &mut identity, credential);
            // spec: groupCreate.10 (when the job ends)
            Ok(gid)
        })?;
        // spec: groupCreate.11
        Ok(GroupView::new(self.clone(), gid, cid))
    }

    /// `groupGet(groupId, clientId)` (spec §7.7): a view on existing state, or `None`.
    pub fn group_get(
        &self,
        group_id: impl Into<Input>,
        client_id: impl Into<Input>,
    ) -> WebApiResult<Option<GroupView>> {
        // spec: groupGet.1
        let gid = bytes(group_id.into(), &GROUP_ID)?;
        // spec: groupGet.2
        let cid = bytes(client_id.into(), &CLIENT_ID)?;
        // spec: groupGet.3
        let exists = self.job(|job, _| Ok(job.group(&cid, &gid)?.is_some()))?;
        // spec: groupGet.4, groupGet.5
        Ok(exists.then(|| GroupView::new(self.clone(), gid, cid)))
    }

    /// `groupJoin(clientId, welcome)` (spec §7.8): joins the group a Welcome adds one of
    /// the identity's key packages to, consuming the key package.
    pub fn group_join(
        &self,
        client_id: impl Into<Input>,
        welcome: impl Into<Input>,
    ) -> WebApiResult<GroupView> {
        // spec: groupJoin.1
        let cid = bytes(client_id.into(), &CLIENT_ID)?;
        // spec: groupJoin.2
        let wb = bytes(welcome.into(), &WELCOME)?;
        // spec: groupJoin.3
        let gid = self.job(|job, _| {
            // spec: groupJoin.4
            let MlsMessage::Welcome(welcome) = decode_message(&wb)? else {
                return Err(WebApiError::data("the message is not a Welcome"));
            };
            join_job(job, &cid, &welcome)
        })?;
        // spec: groupJoin.19
        Ok(GroupView::new(self.clone(), gid, cid))
    }

    /// `getGroupIdFromMessage(message)` (spec §7.9): the group id a message claims.
    pub fn get_group_id_from_message(&self, message: impl Into<Input>) -> WebApiResult<MlsBytes> {
        // spec: getGroupIdFromMessage.1
        let b = bytes(message.into(), &MESSAGE)?;
        // spec: getGroupIdFromMessage.2 (no state is read or written)
        // spec: getGroupIdFromMessage.3
        let m = decode_message(&b)?;
        // spec: getGroupIdFromMessage.4, getGroupIdFromMessage.5
        let (gid, _) = claimed_group_and_epoch(&m)?;
        // spec: getGroupIdFromMessage.6
        Ok(MlsBytes::new(ObjectType::GroupIdentifier, gid))
    }

    /// `getGroupEpochFromMessage(message)` (spec §7.10): the epoch a message claims.
    pub fn get_group_epoch_from_message(
        &self,
        message: impl Into<Input>,
    ) -> WebApiResult<MlsBytes> {
        // spec: getGroupEpochFromMessage.1
        let b = bytes(message.into(), &MESSAGE)?;
        // spec: getGroupEpochFromMessage.2 (no state is read or written)
        // spec: getGroupEpochFromMessage.3
        let m = decode_message(&b)?;
        // spec: getGroupEpochFromMessage.4, getGroupEpochFromMessage.5
        let (_, epoch) = claimed_group_and_epoch(&m)?;
        // spec: getGroupEpochFromMessage.6
        Ok(MlsBytes::new(ObjectType::GroupEpoch, le64(epoch)))
    }
}

/// A fresh key package of `identity` with `credential` and the lifetime of spec §5.2:
/// **generateKeyPackage.6**–**8**.
fn new_bundle(
    identity: &Identity,
    credential: Credential,
    now: u64,
    rng: &mut dyn Random,
) -> WebApiResult<KeyPackageBundle> {
    let lifetime = Lifetime {
        not_before: now.saturating_sub(NOT_BEFORE_MARGIN),
        not_after: now.saturating_add(NOT_AFTER_MARGIN),
    };
    let options = LeafOptions::new(&suite(), credential, lifetime);
    KeyPackageBundle::new(&suite(), identity.signer.clone(), &options, rng)
        .map_err(|e| WebApiError::unknown(format!("the key package cannot be made: {e}")))
}

/// Sets the identity's current credential, writing the identity only if it changes
/// (spec §9.4).
fn set_current_credential(job: &mut Job<'_>, identity: &mut Identity, credential: Credential) {
    if identity.current_credential.as_ref() != Some(&credential) {
        identity.current_credential = Some(credential);
        job.put_identity(identity.clone());
    }
}

/// **groupJoin.5**–**18**: joins with the identity `cid`'s key package the Welcome names;
/// returns the group id.
fn join_job(job: &mut Job<'_>, cid: &[u8], welcome: &Welcome) -> WebApiResult<Vec<u8>> {
    // spec: groupJoin.5
    if welcome.cipher_suite.0 != SUITE_ID {
        return Err(WebApiError::not_supported(format!(
            "cipher suite 0x{:04x} is not supported",
            welcome.cipher_suite.0
        )));
    }
    // spec: groupJoin.6
    job.require_identity(cid)?;
    // spec: groupJoin.7
    let mut ours = None;
    for entry in &welcome.secrets {
        if let Some(stored) = job.key_package(&entry.new_member)?
            && stored.owner == cid
        {
            ours = Some((entry.new_member.clone(), stored.bundle));
            break;
        }
    }
    let Some((reference, bundle)) = ours else {
        return Err(WebApiError::not_found(
            "the Welcome is for none of this identity's key packages",
        ));
    };
    // spec: groupJoin.8, groupJoin.9, groupJoin.10, groupJoin.11, groupJoin.12,
    // spec: groupJoin.13, groupJoin.14 (the engine, its errors named by the table of
    // error.rs; the leaves' lifetimes are not checked, §5.2)
    let keys = JoinKeys::from(bundle);
    let clock = FixedClock(job.now);
    let group = join(welcome, &keys, None, &no_psks, group_config(), &clock)
        .map_err(|e| WebApiError::engine("the Welcome cannot be processed", &e))?;
    // spec: groupJoin.13 (what the engine leaves to us)
    check_joined_group(&group)?;
    // spec: groupJoin.15
    if group.epoch() == u64::MAX {
        return Err(WebApiError::operation("the Welcome is for epoch 2^64 - 1"));
    }
    // spec: groupJoin.16
    let gid = group.group_id().to_vec();
    if job.group(cid, &gid)?.is_some() {
        return Err(WebApiError::invalid_state(
            "this client already has a state for this group id",
        ));
    }
    // spec: groupJoin.17
    job.put_group(
        cid,
        &gid,
        GroupState {
            group,
            pending: None,
        },
    )?;
    job.delete_key_package(&reference)?;
    // spec: groupJoin.18 (when the job ends)
    Ok(gid)
}

/// The rules of **groupJoin.13** beyond RFC 9420: basic credentials and the capability
/// rules of §5.1 for every member, and group context extensions of the two default types
/// we understand (`required_capabilities`, `external_senders`).
fn check_joined_group(group: &Group) -> WebApiResult<()> {
    for (_, leaf) in group.members() {
        check_leaf_rules(leaf)?;
    }
    let understood = [0x0003, 0x0005];
    if let Some(e) = group
        .group_context()
        .extensions
        .iter()
        .find(|e| !understood.contains(&e.extension_type.0))
    {
        return Err(WebApiError::operation(format!(
            "group context extension 0x{:04x} is not supported",
            e.extension_type.0
        )));
    }
    Ok(())
}
