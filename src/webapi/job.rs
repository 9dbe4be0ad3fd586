//! Jobs (spec §3.2): each call that touches state runs as one job, which reads the stored
//! state afresh, stages its changes, and installs them all at once when it succeeds, or
//! none of them when it fails (**A failed call never changes stored state**, spec §4.5,
//! §6.7).
//!
//! The state lives in a [`Backend`]: the encrypted per-origin [`Store`], on disk or (for
//! `Mls::in_memory`) in memory with the same sealed records; one job is one store
//! transaction. A [`Job`] sees the store's records overlaid with its own staged changes.

use std::collections::BTreeMap;
use std::path::Path;

#[cfg(any(test, feature = "test-support"))]
use zeroize::Zeroizing;

use crate::messages::KeyPackageRef;
use crate::webapi::Origin;
use crate::webapi::store::{Store, Transaction};

use super::error::{WebApiError, WebApiResult};
use super::origin_state::{GroupState, Identity, Record, RecordKey, StoredKeyPackage};

/// Where an origin's state is kept: its encrypted store (spec §9).
#[derive(Clone)]
pub struct Backend {
    store: Store,
}

impl Backend {
    /// An empty origin kept in memory, shared by the clones of the handle.
    pub fn memory(origin: &Origin) -> Self {
        Backend {
            store: Store::in_memory(origin),
        }
    }

    /// The stored origin `origin` under `dir`.
    pub fn store(dir: &Path, origin: &Origin) -> Self {
        Backend {
            store: Store::open(dir, origin),
        }
    }

    /// Runs `job` as one job: its changes are installed if and only if it succeeds.
    pub fn run<T>(
        &self,
        now: u64,
        job: impl FnOnce(&mut Job<'_>) -> WebApiResult<T>,
    ) -> WebApiResult<T> {
        self.store.transaction(|tx| {
            let (value, changes) = {
                let mut j = Job::new(tx, now);
                let value = job(&mut j)?;
                (value, j.changes)
            };
            // spec: persist.1 (the store commits when this closure returns Ok)
            for (key, change) in changes {
                match change {
                    Some(record) => {
                        let encoded = record.encode();
                        // A record written back unchanged is no change (spec §3.2: a job
                        // that changes nothing writes nothing).
                        let stored = tx.get(key.kind(), key.id())?;
                        if stored.as_ref().map(|stored| stored.as_slice()) != Some(&encoded[..]) {
                            tx.put(key.kind(), key.id(), &encoded)?;
                        }
                    }
                    None => tx.delete(key.kind(), key.id())?,
                }
            }
            Ok::<T, WebApiError>(value)
        })
    }

    /// Deletes everything of the origin (spec **MLS.deleteState.2**–**3**).
    pub fn delete_all(&self) -> WebApiResult<()> {
        Ok(self.store.delete_origin()?)
    }

    /// The whole stored state as bytes, for tests that check that a failed call changed
    /// nothing: every byte the store keeps ([`Store::snapshot`]), which a job that fails
    /// never writes.
    #[cfg(any(test, feature = "test-support"))]
    pub fn snapshot(&self) -> WebApiResult<Zeroizing<Vec<u8>>> {
        Ok(self.store.snapshot()?)
    }
}

/// One job's view of the origin: the committed records with its staged changes on top.
pub struct Job<'a> {
    source: &'a Transaction<'a>,
    changes: BTreeMap<RecordKey, Option<Record>>,
    /// The job's *now* (spec §2: read once per job), in seconds since 1970.
    pub now: u64,
}

impl<'a> Job<'a> {
    fn new(source: &'a Transaction<'a>, now: u64) -> Self {
        Job {
            source,
            changes: BTreeMap::new(),
            now,
        }
    }

    /// The record under `key`, as this job sees it.
    fn get(&self, key: &RecordKey) -> WebApiResult<Option<Record>> {
        if let Some(change) = self.changes.get(key) {
            return Ok(change.clone());
        }
        match self.source.get(key.kind(), key.id())? {
            Some(bytes) => Record::decode(key, &bytes, &|cid| self.identity(cid)).map(Some),
            None => Ok(None),
        }
    }

    fn put(&mut self, key: RecordKey, record: Record) {
        self.changes.insert(key, Some(record));
    }

    /// Stages the deletion of `key`, if the record exists (a job that deletes nothing
    /// writes nothing).
    fn delete(&mut self, key: RecordKey) -> WebApiResult<()> {
        if self.get(&key)?.is_some() {
            self.changes.insert(key, None);
        }
        Ok(())
    }

    /// The identity `client_id`, if the origin has it.
    pub fn identity(&self, client_id: &[u8]) -> WebApiResult<Option<Identity>> {
        match self.get(&RecordKey::identity(client_id))? {
            Some(Record::Identity(identity)) => Ok(Some(identity)),
            Some(_) => Err(wrong_kind()),
            None => Ok(None),
        }
    }

    /// The identity `client_id`, or `NotFoundError`.
    pub fn require_identity(&self, client_id: &[u8]) -> WebApiResult<Identity> {
        self.identity(client_id)?
            .ok_or_else(|| WebApiError::not_found("the origin has no identity with this client id"))
    }

    /// Stages writing `identity`.
    pub fn put_identity(&mut self, identity: Identity) {
        let key = RecordKey::identity(&identity.client_id);
        self.put(key, Record::Identity(identity));
    }

    /// The key package whose reference is `reference`, whoever owns it.
    pub fn key_package(&self, reference: &KeyPackageRef) -> WebApiResult<Option<StoredKeyPackage>> {
        match self.get(&RecordKey::key_package(&reference.0))? {
            Some(Record::KeyPackage(stored)) => Ok(Some(*stored)),
            Some(_) => Err(wrong_kind()),
            None => Ok(None),
        }
    }

    /// Stages writing a key package under `reference`.
    pub fn put_key_package(&mut self, reference: &KeyPackageRef, stored: StoredKeyPackage) {
        self.put(
            RecordKey::key_package(&reference.0),
            Record::KeyPackage(Box::new(stored)),
        );
    }

    /// Stages deleting the key package `reference`.
    pub fn delete_key_package(&mut self, reference: &KeyPackageRef) -> WebApiResult<()> {
        self.delete(RecordKey::key_package(&reference.0))
    }

    /// The group state (`client_id`, `group_id`), if it exists.
    pub fn group(&self, client_id: &[u8], group_id: &[u8]) -> WebApiResult<Option<GroupState>> {
        match self.get(&RecordKey::group(client_id, group_id)?)? {
            Some(Record::Group(state)) => Ok(Some(*state)),
            Some(_) => Err(wrong_kind()),
            None => Ok(None),
        }
    }

    /// "Load *S*" (spec §8): the group state, or `NotFoundError`.
    pub fn load_group(&self, client_id: &[u8], group_id: &[u8]) -> WebApiResult<GroupState> {
        self.group(client_id, group_id)?.ok_or_else(|| {
            WebApiError::not_found("there is no state for this client in this group")
        })
    }

    /// Stages writing the group state (`client_id`, `group_id`).
    pub fn put_group(
        &mut self,
        client_id: &[u8],
        group_id: &[u8],
        state: GroupState,
    ) -> WebApiResult<()> {
        let key = RecordKey::group(client_id, group_id)?;
        self.put(key, Record::Group(Box::new(state)));
        Ok(())
    }

    /// Stages deleting the group state (`client_id`, `group_id`), if it exists.
    pub fn delete_group(&mut self, client_id: &[u8], group_id: &[u8]) -> WebApiResult<()> {
        self.delete(RecordKey::group(client_id, group_id)?)
    }
}

/// A record whose kind differs from its key's: only a bug or a tampered store does this.
fn wrong_kind() -> WebApiError {
    WebApiError::unknown("a stored record is of another kind than its key says")
}
