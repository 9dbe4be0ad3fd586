//! The per-origin encrypted store (spec §4.5, §9).
//!
//! Each origin (storage key, spec §4.1) keeps its state in its own directory
//! `<dir>/<origin name>/`: an SQLite database `state.sqlite` of sealed records and the
//! origin's record key `key` beside it. Every record is sealed on its own with
//! XChaCha20-Poly1305 under a key derived from the origin key and bound to the record's
//! kind and id; rows are found by keyed locators, so the database holds no id and no
//! plaintext, and a MAC of the set of locators tells a missing or moved row from an
//! absent record (spec §9.2).
//!
//! A damaged or unexpected file is an error, never an empty origin, and no job deletes or
//! regenerates anything because of one (spec §9.1): only `MLS.deleteState()` removes the
//! files of an origin, whatever they hold (spec §9.6).
//!
//! A job of the Web API is one [`Store::transaction`]: it reads what it needs, stages its
//! writes and deletions, and commits them all in one SQLite transaction, or nothing if
//! the closure fails (spec §3.2, §6.7, §9.3). Nothing is cached between jobs: every
//! transaction reads the key and the records afresh.
//!
//! ```no_run
//! use mls_webapi::webapi::Origin;
//! use mls_webapi::webapi::store::{RecordKind, Store, StoreError};
//!
//! let origin = Origin::parse("https://example.com").unwrap();
//! let store = Store::open(std::path::Path::new("/tmp/profile/mls"), &origin);
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

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::MutexGuard;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::crypto::{OsRandom, Random};
use crate::webapi::Origin;
use database::{Database, Locked, Meta, RowChange};
use memory::{Memory, MemoryOrigin};
use sealing::{Locator, OriginKey, RecordKeys};

pub use error::StoreError;
pub use record::{RecordKind, group_record_id};

/// The prefix hashed with the serialized storage key to name its directory (spec §9.1).
const ORIGIN_NAME_PREFIX: &[u8] = b"mls-webapi origin v1";

/// The name of an origin's directory: the lower-case hex of
/// SHA-256(`"mls-webapi origin v1"` ‖ `origin`) (spec §9.1), where `origin` is the
/// serialized storage key (spec §4.1).
pub fn origin_name(origin: &Origin) -> String {
    let digest = Sha256::new()
        .chain_update(ORIGIN_NAME_PREFIX)
        .chain_update(origin.as_str().as_bytes())
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
    pub fn open(dir: &Path, origin: &Origin) -> Store {
        let origin_name = origin_name(origin);
        let database = Database::new(dir.join(&origin_name));
        Store {
            origin_name,
            backend: Backend::Database(database),
        }
    }

    /// An empty store of `origin` held in memory, with the same sealing and transactions
    /// as on disk (spec §9.3); the store of `Mls::in_memory`. It shares its records with
    /// its clones only.
    pub fn in_memory(origin: &Origin) -> Store {
        Store {
            origin_name: origin_name(origin),
            backend: Backend::Memory(Memory::default()),
        }
    }

    /// The name of the origin's directory (spec §9.1).
    #[cfg(any(test, feature = "test-support"))]
    pub fn origin_name(&self) -> &str {
        &self.origin_name
    }

    /// The plaintext of the record (`kind`, `id`), or `None` if there is none. A record
    /// that is there but fails to open is an error (spec §9.2).
    #[cfg(any(test, feature = "test-support"))]
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

    /// Deletes everything of the origin (spec §9.6, **MLS.deleteState.2–3**): holding the
    /// lock, it deletes every row, then the key, which is when the deletion takes effect,
    /// then commits and removes the files. Succeeds on an origin without state (spec §10,
    /// difference 6). If the key cannot be deleted the state is unchanged.
    ///
    /// A database that cannot be opened or read (damaged, truncated, not ours) does not
    /// stop it: its files are removed without its lock, whatever they hold. Only a
    /// database busy beyond the timeout makes it fail, with nothing changed.
    pub fn delete_origin(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Memory(memory) => {
                let mut origin = memory.lock();
                origin.key = None;
                origin.records.clear();
            }
            Backend::Database(database) => {
                // Hold the lock so that no job of the origin runs while its key goes.
                let locked = match database.lock_existing() {
                    Ok(locked) => locked,
                    Err(error) if error.is_busy() => return Err(error),
                    Err(_) => None,
                };
                // The rows go in the same transaction, committed once the key is gone: a
                // database left behind holds no record, and is replaced by the next
                // writing job (spec §9.1).
                let emptied = locked.filter(|locked| locked.delete_every_row().is_ok());
                // If this fails, dropping `emptied` rolls the rows back: nothing changed.
                key_file::remove(database.dir())?;
                if let Some(emptied) = emptied {
                    let _ = emptied.commit_as_is();
                }
                database.remove_files();
                let _ = std::fs::remove_dir(database.dir());
            }
        }
        Ok(())
    }

    /// Takes the origin's lock and reads its key: the start of a job (spec §9.1, §9.3).
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
                let (keys, new_key) = match key_file::read(database.dir())? {
                    Some(key) => (RecordKeys::derive(&key), None),
                    None => fresh_key()?,
                };
                let (locked, rows) = match locked {
                    Some(locked) => match check_rows(&locked, &keys, new_key.is_none())? {
                        Some(rows) => (Some(locked), rows),
                        // A database without records under another key (left by a
                        // deletion) is as good as none, and is replaced at commit.
                        None => (None, BTreeSet::new()),
                    },
                    None => (None, BTreeSet::new()),
                };
                let held = Held::Database {
                    database,
                    locked,
                    rows,
                };
                Ok(Transaction::new(keys, new_key, held))
            }
        }
    }
}

/// The locators of the database's rows, checked against the origin's key and the record
/// set MAC (spec §9.1, §9.2); `None` if the database holds no row and is not under the
/// key (`has_key` is false when the origin has no key file), so that it may be replaced.
/// Records under another key, or rows that are not the set the MAC names, are an error.
fn check_rows(
    locked: &Locked,
    keys: &RecordKeys,
    has_key: bool,
) -> Result<Option<BTreeSet<Locator>>, StoreError> {
    let meta = locked.meta()?;
    let locators = locked.locators()?;
    if !has_key || meta.key_id != keys.key_id() {
        return if locators.is_empty() {
            Ok(None)
        } else {
            Err(StoreError::KeyMismatch)
        };
    }
    let record_set = keys.record_set(&locators);
    if !bool::from(record_set.ct_eq(&meta.record_set)) {
        return Err(StoreError::RecordSetMismatch);
    }
    Ok(Some(locators.into_iter().collect()))
}

impl Store {
    /// Every byte the origin keeps, for tests that check that a failed job changed
    /// nothing (spec §3.2): on disk, every file of the origin's directory (name, length
    /// and contents, sorted by name); in memory, the key and every sealed row. Empty for
    /// an origin without state. Holds the key: for tests only. (It reads the files itself,
    /// and closing them drops the process's POSIX locks on the database: never call it
    /// while a job of the origin runs.)
    #[cfg(any(test, feature = "test-support"))]
    pub fn snapshot(&self) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let mut out = Zeroizing::new(Vec::new());
        match &self.backend {
            Backend::Memory(memory) => {
                let origin = memory.lock();
                if let Some(key) = &origin.key {
                    out.extend_from_slice(key.as_bytes());
                }
                for (locator, sealed) in &origin.records {
                    out.extend_from_slice(&locator.0);
                    out.extend_from_slice(&(sealed.len() as u64).to_be_bytes());
                    out.extend_from_slice(sealed);
                }
            }
            Backend::Database(database) => {
                let mut paths = match std::fs::read_dir(database.dir()) {
                    Ok(entries) => entries
                        .map(|entry| entry.map(|entry| entry.path()))
                        .collect::<Result<Vec<_>, _>>()?,
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                    Err(error) => return Err(error.into()),
                };
                paths.sort();
                for path in paths {
                    let contents = Zeroizing::new(std::fs::read(&path)?);
                    out.extend_from_slice(path.to_string_lossy().as_bytes());
                    out.extend_from_slice(&(contents.len() as u64).to_be_bytes());
                    out.extend_from_slice(&contents);
                }
            }
        }
        Ok(out)
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
    /// The database, locked if it exists under the origin's key, with the locators of its
    /// rows; with `None` the origin is empty and the database is created (or replaced) at
    /// commit if the job writes.
    Database {
        database: &'s Database,
        locked: Option<Locked>,
        rows: BTreeSet<Locator>,
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
                mut rows,
                ..
            } => {
                let mut changed = false;
                for (locator, change) in &changes {
                    changed |= match change {
                        Change::Put(_) => {
                            rows.insert(*locator);
                            true
                        }
                        Change::Delete => rows.remove(locator),
                    };
                }
                if !changed {
                    // Dropping the connection ends the transaction; nothing is written.
                    return Ok(());
                }
                let meta = Meta {
                    key_id: keys.key_id(),
                    record_set: keys.record_set(&rows),
                };
                locked.commit(&meta, row_changes(&changes))
            }
            Held::Database {
                database,
                locked: None,
                ..
            } => {
                // The origin was empty for this job: deletions change nothing, and with no
                // write nothing is created (spec §9.1).
                if !writes {
                    return Ok(());
                }
                if let Some(key) = &new_key {
                    key_file::create(database.dir(), key, &mut OsRandom)?;
                }
                let empty = Meta {
                    key_id: keys.key_id(),
                    record_set: keys.record_set([]),
                };
                database.create(&empty, &hex(&OsRandom.bytes(8)?))?;
                // Another job may have got in between the creation and this lock.
                let locked = database.lock_existing()?.ok_or(StoreError::Conflict)?;
                if check_rows(&locked, &keys, true)?.is_none_or(|rows| !rows.is_empty()) {
                    return Err(StoreError::Conflict);
                }
                // In ascending order of locators, as the map holds them.
                let puts: Vec<(&Locator, RowChange<'_>)> = changes
                    .iter()
                    .filter_map(|(locator, change)| match change {
                        Change::Put(sealed) => Some((locator, RowChange::Put(sealed))),
                        Change::Delete => None,
                    })
                    .collect();
                let meta = Meta {
                    key_id: keys.key_id(),
                    record_set: keys.record_set(puts.iter().map(|(locator, _)| *locator)),
                };
                locked.commit(&meta, puts)
            }
        }
    }
}

/// Lower-case hex, for the names of temporary files.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
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
