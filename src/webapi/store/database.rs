//! The SQLite file of an origin: `<origin dir>/state.sqlite` (spec §9.1).
//!
//! ```sql
//! CREATE TABLE meta    (one INTEGER PRIMARY KEY CHECK (one = 1), key_id BLOB NOT NULL) STRICT;
//! CREATE TABLE records (locator BLOB PRIMARY KEY, sealed BLOB NOT NULL) STRICT, WITHOUT ROWID;
//! PRAGMA user_version = 1;
//! ```
//!
//! The database only ever sees locators and sealed records (spec §9.2); no key, id or
//! plaintext is in its SQL text or its rows. A job holds the database's write lock
//! (`BEGIN IMMEDIATE`) from before it reads the origin key until it commits or rolls back,
//! so jobs of one origin never interleave, in one process or several (spec §3.2, §9.3).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::StoreError;
use super::sealing::{KEY_LEN, Locator};

/// The name of the database file in the origin's directory.
pub const DATABASE_FILE: &str = "state.sqlite";
/// Files SQLite may keep beside the database: the rollback journal, and the write-ahead
/// log and its index should the journal mode ever have been WAL.
const SIDE_FILE_SUFFIXES: [&str; 3] = ["-journal", "-wal", "-shm"];
/// The schema version this implementation writes, in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;
/// How long a job waits for another job of the same origin to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
    CREATE TABLE meta (one INTEGER PRIMARY KEY CHECK (one = 1), key_id BLOB NOT NULL) STRICT;
    CREATE TABLE records (locator BLOB PRIMARY KEY, sealed BLOB NOT NULL) STRICT, WITHOUT ROWID;
    PRAGMA user_version = 1;
";

/// The database of one origin, by path. Holds no connection between jobs.
#[derive(Debug, Clone)]
pub struct Database {
    dir: PathBuf,
}

/// A change a job makes to one row.
pub enum RowChange<'a> {
    /// Insert or replace the row with this sealed record.
    Put(&'a [u8]),
    /// Delete the row if it exists.
    Delete,
}

impl Database {
    /// The database of the origin whose directory is `dir`. Touches nothing on disk.
    pub fn new(dir: PathBuf) -> Self {
        Database { dir }
    }

    /// The origin's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self) -> PathBuf {
        self.dir.join(DATABASE_FILE)
    }

    /// Opens the existing database and takes its write lock for one job; `None`, creating
    /// nothing, if the origin has no database.
    pub fn lock_existing(&self) -> Result<Option<Locked>, StoreError> {
        let path = self.path();
        if !path.try_exists()? {
            return Ok(None);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        match Connection::open_with_flags(&path, flags) {
            Ok(connection) => Locked::begin(connection).map(Some),
            // Deleted between the two calls: there is no database.
            Err(_) if !path.try_exists()? => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Opens the database, creating the file if needed, and takes its write lock. The
    /// directory must exist.
    pub fn create_and_lock(&self) -> Result<Locked, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Locked::begin(Connection::open_with_flags(self.path(), flags)?)
    }

    /// Removes the database file and the files SQLite keeps beside it, ignoring those
    /// that cannot be removed (spec §9.6: they are unreadable once the key is gone).
    pub fn remove_files(&self) {
        let path = self.path();
        let _ = fs::remove_file(&path);
        for suffix in SIDE_FILE_SUFFIXES {
            let mut side = path.clone().into_os_string();
            side.push(suffix);
            let _ = fs::remove_file(&side);
        }
    }
}

/// A connection inside `BEGIN IMMEDIATE`: no other job of the origin can write until it
/// is committed or dropped. Dropping it rolls the transaction back.
pub struct Locked {
    connection: Connection,
    has_schema: bool,
}

impl Locked {
    /// Configures a fresh connection and takes the write lock.
    fn begin(connection: Connection) -> Result<Self, StoreError> {
        connection.busy_timeout(BUSY_TIMEOUT)?;
        // spec §9.5: freed pages and cells are overwritten with zeros, not left behind.
        // A per-connection setting, so it is made on every connection.
        connection.pragma_update(None, "secure_delete", "ON")?;
        // A rollback journal deleted at commit, never a write-ahead log that outlives it.
        connection.pragma_update(None, "journal_mode", "DELETE")?;
        // spec §9.3: the commit is durable before the job reports success.
        connection.pragma_update(None, "synchronous", "FULL")?;
        // No temporary files beside the database.
        connection.pragma_update(None, "temp_store", "MEMORY")?;
        connection.pragma_update(None, "trusted_schema", "OFF")?;
        connection.execute_batch("BEGIN IMMEDIATE")?;
        let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let has_schema = match version {
            0 => false,
            SCHEMA_VERSION => true,
            _ => return Err(StoreError::UnknownDatabase("unknown schema version")),
        };
        Ok(Locked {
            connection,
            has_schema,
        })
    }

    /// The key id the records were sealed under, or `None` if the database has none
    /// (created but never committed to).
    pub fn key_id(&self) -> Result<Option<[u8; KEY_LEN]>, StoreError> {
        if !self.has_schema {
            return Ok(None);
        }
        let stored: Option<Vec<u8>> = self
            .connection
            .query_row("SELECT key_id FROM meta WHERE one = 1", [], |row| {
                row.get(0)
            })
            .optional()?;
        stored
            .map(|bytes| {
                <[u8; KEY_LEN]>::try_from(bytes.as_slice())
                    .map_err(|_| StoreError::UnknownDatabase("key id of the wrong length"))
            })
            .transpose()
    }

    /// The sealed record at `locator`.
    pub fn get(&self, locator: &Locator) -> Result<Option<Vec<u8>>, StoreError> {
        if !self.has_schema {
            return Ok(None);
        }
        let mut statement = self
            .connection
            .prepare_cached("SELECT sealed FROM records WHERE locator = ?1")?;
        Ok(statement
            .query_row(params![locator.0.as_slice()], |row| row.get(0))
            .optional()?)
    }

    /// Applies `changes` and commits: the commit point of the job (spec §9.3). With
    /// `reset`, every row sealed under another key is deleted first and `key_id` becomes
    /// the database's key id.
    pub fn commit<'a>(
        self,
        key_id: &[u8; KEY_LEN],
        reset: bool,
        changes: impl IntoIterator<Item = (&'a Locator, RowChange<'a>)>,
    ) -> Result<(), StoreError> {
        let connection = &self.connection;
        if !self.has_schema {
            connection.execute_batch(SCHEMA)?;
        }
        if reset {
            connection.execute("DELETE FROM records", [])?;
            connection.execute(
                "INSERT OR REPLACE INTO meta (one, key_id) VALUES (1, ?1)",
                params![key_id.as_slice()],
            )?;
        }
        for (locator, change) in changes {
            match change {
                RowChange::Put(sealed) => connection
                    .prepare_cached(
                        "INSERT OR REPLACE INTO records (locator, sealed) VALUES (?1, ?2)",
                    )?
                    .execute(params![locator.0.as_slice(), sealed])?,
                RowChange::Delete => connection
                    .prepare_cached("DELETE FROM records WHERE locator = ?1")?
                    .execute(params![locator.0.as_slice()])?,
            };
        }
        connection.execute_batch("COMMIT")?;
        Ok(())
    }

    /// Every row, for tests that tamper with or count the stored records.
    #[cfg(test)]
    pub fn rows(&self) -> Vec<(Locator, Vec<u8>)> {
        if !self.has_schema {
            return Vec::new();
        }
        let mut statement = self
            .connection
            .prepare("SELECT locator, sealed FROM records ORDER BY locator")
            .unwrap();
        statement
            .query_map([], |row| {
                let locator: Vec<u8> = row.get(0)?;
                Ok((Locator(locator.try_into().unwrap()), row.get(1)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Writes one raw row and commits, for tests that tamper with the stored records.
    #[cfg(test)]
    pub fn overwrite_row(self, locator: &Locator, sealed: &[u8]) {
        self.connection
            .execute(
                "INSERT OR REPLACE INTO records (locator, sealed) VALUES (?1, ?2)",
                params![locator.0.as_slice(), sealed],
            )
            .unwrap();
        self.connection.execute_batch("COMMIT").unwrap();
    }

    /// The connection, for tests that simulate a crash in the middle of a transaction.
    #[cfg(test)]
    pub fn connection(&self) -> &Connection {
        &self.connection
    }
}
