//! The per-origin encrypted store (spec §4.5, §9).
//!
//! Each origin (storage key, spec §4.1) keeps its state in its own directory
//! `<dir>/<origin name>/`: an SQLite database `state.sqlite` of sealed records and the
//! origin's record key `key` beside it. Every record is sealed on its own with
//! XChaCha20-Poly1305 under a key derived from the origin key and bound to the record's
//! kind and id; rows are found by keyed locators, so the database holds no id and no
//! plaintext (spec §9.2).
//!
//! A job of the Web API is one [`Store::transaction`]: it reads what it needs, stages its
//! writes and deletions, and commits them all in one SQLite transaction, or nothing if
//! the closure fails (spec §3.2, §6.7, §9.3). Nothing is cached between jobs: every
//! transaction reads the key and the records afresh.
//!
//! ```no_run
//! use mls_webapi::webapi::store::{RecordKind, Store, StoreError};
//!
//! let store = Store::open(std::path::Path::new("/tmp/profile/mls"), "https://example.com");
//! store.transaction(|tx| -> Result<(), StoreError> {
//!     tx.put(RecordKind::Identity, b"client id", b"serialized identity")?;
//!     Ok(())
//! })?;
//! assert!(store.get(RecordKind::Identity, b"client id")?.is_some());
//! store.delete_origin()?;
//! # Ok::<(), StoreError>(())
//! ```

mod database;
mod error;
mod key_file;
mod memory;
mod record;
mod sealing;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::MutexGuard;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::crypto::OsRandom;
use database::{Database, Locked, RowChange};
use memory::{Memory, MemoryOrigin};
use sealing::{Locator, OriginKey, RecordKeys};

pub use error::StoreError;
pub use record::{RecordKind, group_record_id};

/// The prefix hashed with the serialized storage key to name its directory (spec §9.1).
const ORIGIN_NAME_PREFIX: &[u8] = b"mls-webapi origin v1";

/// The name of an origin's directory: the lower-case hex of
/// SHA-256(`"mls-webapi origin v1"` ‖ `origin`) (spec §9.1), where `origin` is the
/// serialized storage key.
pub fn origin_name(origin: &str) -> String {
    let digest = Sha256::new()
        .chain_update(ORIGIN_NAME_PREFIX)
        .chain_update(origin.as_bytes())
        .finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The stored state of one origin: on disk, or in memory for tests.
///
/// A `Store` holds no state of its own between calls (spec §3.2); clones, and stores
/// opened on the same directory and origin, see the same records.
#[derive(Clone)]
pub struct Store {
    origin_name: String,
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Database(Database),
    Memory(Memory),
}

impl Store {
    /// The store of `origin` under `dir`: the database `<dir>/<origin name>/state.sqlite`
    /// and its key `<dir>/<origin name>/key` (spec §9.1). Creates nothing: the directory,
    /// the key and the database are made by the first transaction that writes.
    pub fn open(dir: &Path, origin: &str) -> Store {
        let origin_name = origin_name(origin);
        let database = Database::new(dir.join(&origin_name));
        Store {
            origin_name,
            backend: Backend::Database(database),
        }
    }

    /// An empty store of `origin` held in memory, with the same sealing and transactions
    /// as on disk; for tests. It shares its records with its clones only.
    pub fn in_memory(origin: &str) -> Store {
        Store {
            origin_name: origin_name(origin),
            backend: Backend::Memory(Memory::default()),
        }
    }

    /// The name of the origin's directory (spec §9.1).
    pub fn origin_name(&self) -> &str {
        &self.origin_name
    }

    /// The plaintext of the record (`kind`, `id`), or `None` if there is none. A record
    /// that is there but fails to open is an error (spec §9.2).
    pub fn get(
        &self,
        kind: RecordKind,
        id: &[u8],
    ) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        self.transaction(|tx| tx.get(kind, id))
    }

    /// Runs one job: `job` reads and stages changes through the [`Transaction`], which
    /// holds the origin's lock throughout (spec §3.2). If `job` returns `Ok`, all staged
    /// changes are committed at once; if it returns `Err` (or panics), none are (spec §4.5,
    /// §6.7). A job that stages no change writes nothing (spec §3.2), and a job on a fresh
    /// origin that writes nothing creates nothing (spec §9.1).
    ///
    /// A failure to commit is returned as `E::from(StoreError)`; the state is then the
    /// old one.
    ///
    /// `job` must not start another job of the same origin (through this or another
    /// `Store`): it would wait for the lock this job holds.
    pub fn transaction<T, E>(
        &self,
        job: impl FnOnce(&mut Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut transaction = self.begin()?;
        let value = job(&mut transaction)?;
        transaction.commit()?;
        Ok(value)
    }

    /// Deletes everything of the origin: the key first, which is when the deletion takes
    /// effect, then the database (spec §9.6, **MLS.deleteState.2–3**). Succeeds on an
    /// origin without state (spec §10, difference 6). If the key cannot be deleted the
    /// state is unchanged; files that cannot be removed afterwards are unreadable and are
    /// replaced by the next writing job.
    pub fn delete_origin(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Memory(memory) => {
                let mut origin = memory.lock();
                origin.key = None;
                origin.records.clear();
            }
            Backend::Database(database) => {
                // Hold the lock so that no job of the origin runs while its key goes.
                let locked = database.lock_existing()?;
                key_file::remove(database.dir())?;
                // Unlinked while still locked: a job waiting for the lock finds no key and
                // reopens the database by its path.
                database.remove_files();
                drop(locked);
                let _ = std::fs::remove_dir(database.dir());
            }
        }
        Ok(())
    }

    /// Takes the origin's lock and reads its key: the start of a job.
    fn begin(&self) -> Result<Transaction<'_>, StoreError> {
        match &self.backend {
            Backend::Memory(memory) => {
                let origin = memory.lock();
                let (keys, new_key) = match &origin.key {
                    Some(key) => (RecordKeys::derive(key), None),
                    None => fresh_key()?,
                };
                Ok(Transaction::new(keys, new_key, Held::Memory(origin)))
            }
            Backend::Database(database) => {
                // Lock before reading the key, so that a deletion cannot come in between.
                let locked = database.lock_existing()?;
                let (keys, new_key, locked) = match key_file::read(database.dir())? {
                    Some(key) => {
                        let keys = RecordKeys::derive(&key);
                        // Rows sealed under another key are leftovers of an interrupted
                        // deletion: unreadable, and as good as absent (spec §9.1).
                        let locked = match locked {
                            Some(locked) if locked.key_id()? == Some(keys.key_id()) => Some(locked),
                            _ => None,
                        };
                        (keys, None, locked)
                    }
                    None => {
                        let (keys, new_key) = fresh_key()?;
                        (keys, new_key, None)
                    }
                };
                let held = Held::Database { database, locked };
                Ok(Transaction::new(keys, new_key, held))
            }
        }
    }
}

impl core::fmt::Debug for Store {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let backend = match &self.backend {
            Backend::Database(database) => format!("{:?}", database.dir()),
            Backend::Memory(_) => "memory".to_owned(),
        };
        f.debug_struct("Store")
            .field("origin_name", &self.origin_name)
            .field("backend", &backend)
            .finish()
    }
}

/// A key for an origin that has none; it is stored only if the job writes.
fn fresh_key() -> Result<(RecordKeys, Option<OriginKey>), StoreError> {
    let key = OriginKey::generate(&mut OsRandom)?;
    Ok((RecordKeys::derive(&key), Some(key)))
}

/// One job's view of the origin: the committed records, overlaid with the changes the job
/// has staged. Dropping it without [`Store::transaction`] committing discards the changes.
pub struct Transaction<'s> {
    keys: RecordKeys,
    /// The key to store at commit, when the origin had none.
    new_key: Option<OriginKey>,
    held: Held<'s>,
    /// Staged changes, sealed as soon as they are staged.
    changes: BTreeMap<Locator, Change>,
}

/// What a job holds of its origin while it runs.
enum Held<'s> {
    /// The database, locked if it holds records under the current key; with `None` the
    /// origin is empty and the database is created (or reset) at commit if needed.
    Database {
        database: &'s Database,
        locked: Option<Locked>,
    },
    /// The in-memory origin, locked.
    Memory(MutexGuard<'s, MemoryOrigin>),
}

/// A staged change to one record.
enum Change {
    Put(Vec<u8>),
    Delete,
}

impl<'s> Transaction<'s> {
    fn new(keys: RecordKeys, new_key: Option<OriginKey>, held: Held<'s>) -> Self {
        Transaction {
            keys,
            new_key,
            held,
            changes: BTreeMap::new(),
        }
    }

    /// The plaintext of the record (`kind`, `id`) as this job sees it: with its own staged
    /// changes. A record that fails to open is an error (spec §9.2).
    pub fn get(
        &self,
        kind: RecordKind,
        id: &[u8],
    ) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        let locator = self.keys.locator(kind, id)?;
        let stored;
        let sealed = match self.changes.get(&locator) {
            Some(Change::Put(sealed)) => sealed,
            Some(Change::Delete) => return Ok(None),
            None => match self.read_committed(&locator)? {
                Some(sealed) => {
                    stored = sealed;
                    &stored
                }
                None => return Ok(None),
            },
        };
        self.keys.open(kind, id, sealed).map(Some)
    }

    /// Stages writing `plaintext` as the record (`kind`, `id`), replacing any record
    /// there. The plaintext is sealed at once; no copy of it is kept.
    pub fn put(&mut self, kind: RecordKind, id: &[u8], plaintext: &[u8]) -> Result<(), StoreError> {
        let locator = self.keys.locator(kind, id)?;
        let sealed = self.keys.seal(kind, id, plaintext, &mut OsRandom)?;
        self.changes.insert(locator, Change::Put(sealed));
        Ok(())
    }

    /// Stages deleting the record (`kind`, `id`); deleting an absent record is no change
    /// to the state.
    pub fn delete(&mut self, kind: RecordKind, id: &[u8]) -> Result<(), StoreError> {
        let locator = self.keys.locator(kind, id)?;
        self.changes.insert(locator, Change::Delete);
        Ok(())
    }

    /// The committed sealed record at `locator`.
    fn read_committed(&self, locator: &Locator) -> Result<Option<Vec<u8>>, StoreError> {
        match &self.held {
            Held::Database {
                locked: Some(locked),
                ..
            } => locked.get(locator),
            Held::Database { locked: None, .. } => Ok(None),
            Held::Memory(origin) => Ok(origin.records.get(locator).cloned()),
        }
    }

    /// Installs the staged changes at once: the commit point of the job (spec §9.3).
    fn commit(self) -> Result<(), StoreError> {
        let Transaction {
            keys,
            new_key,
            held,
            changes,
        } = self;
        let writes = changes
            .values()
            .any(|change| matches!(change, Change::Put(_)));
        match held {
            Held::Memory(mut origin) => {
                if let Some(key) = new_key.filter(|_| writes) {
                    origin.key = Some(key);
                }
                for (locator, change) in changes {
                    match change {
                        Change::Put(sealed) => origin.records.insert(locator, sealed),
                        Change::Delete => origin.records.remove(&locator),
                    };
                }
                Ok(())
            }
            Held::Database {
                locked: Some(locked),
                ..
            } => {
                if changes.is_empty() {
                    // Dropping the connection ends the transaction; nothing is written.
                    return Ok(());
                }
                locked.commit(&keys.key_id(), false, row_changes(&changes))
            }
            Held::Database {
                database,
                locked: None,
            } => {
                // The origin was empty for this job: deletions change nothing, and with no
                // write nothing is created (spec §9.1).
                if !writes {
                    return Ok(());
                }
                if let Some(key) = &new_key {
                    key_file::create(database.dir(), key, &mut OsRandom)?;
                }
                let locked = database.create_and_lock()?;
                // Records under our key that this job did not see: another job got in
                // while there was nothing to lock.
                if locked.key_id()? == Some(keys.key_id()) {
                    return Err(StoreError::Conflict);
                }
                let puts =
                    row_changes(&changes).filter(|(_, change)| matches!(change, RowChange::Put(_)));
                locked.commit(&keys.key_id(), true, puts)
            }
        }
    }
}

/// The staged changes as row changes.
fn row_changes(
    changes: &BTreeMap<Locator, Change>,
) -> impl Iterator<Item = (&Locator, RowChange<'_>)> {
    changes.iter().map(|(locator, change)| {
        let row = match change {
            Change::Put(sealed) => RowChange::Put(sealed),
            Change::Delete => RowChange::Delete,
        };
        (locator, row)
    })
}
