//! The SQLite file of an origin: `<origin dir>/state.sqlite` (spec §9.1).
//!
//! ```sql
//! CREATE TABLE meta    (one INTEGER PRIMARY KEY CHECK (one = 1),
//!                       key_id BLOB NOT NULL, record_set BLOB NOT NULL) STRICT;
//! CREATE TABLE records (locator BLOB PRIMARY KEY, sealed BLOB NOT NULL) STRICT, WITHOUT ROWID;
//! PRAGMA application_id = 0x4d4c5357;  -- "MLSW"
//! PRAGMA user_version = 1;
//! ```
//!
//! The database only ever sees locators, sealed records and the two MACs of `meta`
//! (spec §9.2); no key, id or plaintext is in its SQL text or its rows. A job holds the
//! database's write lock (`BEGIN IMMEDIATE`) from before it reads the origin key until it
//! commits or rolls back, so jobs of one origin never interleave, in one process or several
//! (spec §3.2, §9.3).
//!
//! The file is created whole: schema and `meta` are committed to a temporary file that is
//! then hard-linked to `state.sqlite` (spec §9.1). So `state.sqlite`, if it exists, always
//! has its schema, and an empty, truncated or foreign file is an error, never an empty
//! origin.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::StoreError;
use super::sealing::{KEY_LEN, Locator};

/// The name of the database file in the origin's directory.
pub const DATABASE_FILE: &str = "state.sqlite";
/// The prefix of the temporary files a new database is created in before it becomes
/// `state.sqlite`.
const TEMPORARY_PREFIX: &str = "state.sqlite.tmp-";
/// Files SQLite may keep beside a database: the rollback journal, and the write-ahead
/// log and its index should the journal mode ever have been WAL.
const SIDE_FILE_SUFFIXES: [&str; 3] = ["-journal", "-wal", "-shm"];
/// The schema version this implementation writes, in `PRAGMA user_version`.
const SCHEMA_VERSION: u32 = 1;
/// `PRAGMA application_id`: "MLSW", marking the file as this implementation's.
const APPLICATION_ID: u32 = 0x4d4c_5357;
/// How long a job waits for another job of the same origin to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
    CREATE TABLE meta (one INTEGER PRIMARY KEY CHECK (one = 1),
                       key_id BLOB NOT NULL, record_set BLOB NOT NULL) STRICT;
    CREATE TABLE records (locator BLOB PRIMARY KEY, sealed BLOB NOT NULL) STRICT, WITHOUT ROWID;
    PRAGMA application_id = 1296847703;
    PRAGMA user_version = 1;
";

/// The database of one origin, by path. Holds no connection between jobs.
#[derive(Debug, Clone)]
pub struct Database {
    dir: PathBuf,
}

/// What `meta` holds: the key id of the key the records are sealed under, and the MAC of
/// the set of their locators (spec §9.1, §9.2).
pub struct Meta {
    pub key_id: [u8; KEY_LEN],
    pub record_set: [u8; KEY_LEN],
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
    /// nothing, if the origin has no database. A file that is not a database of this
    /// implementation (empty, truncated, damaged, another schema) is an error.
    pub fn lock_existing(&self) -> Result<Option<Locked>, StoreError> {
        let path = self.path();
        if !path.try_exists()? {
            return Ok(None);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        match Connection::open_with_flags(&path, flags) {
            Ok(connection) => Locked::begin(connection, &path).map(Some),
            // Deleted between the two calls: there is no database.
            Err(_) if !path.try_exists()? => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Creates `state.sqlite` whole, with its schema and `meta` (spec §9.1): in a
    /// temporary file first, hard-linked to `state.sqlite` once committed, so that a crash
    /// never leaves a database without its schema. A database already there that holds no
    /// record and is not under `meta.key_id` (left by a deletion, §9.6) is replaced; any
    /// other is a [`StoreError::Conflict`]. The directory must exist.
    pub fn create(&self, meta: &Meta, suffix: &str) -> Result<(), StoreError> {
        let temporary = self.dir.join(format!("{TEMPORARY_PREFIX}{suffix}"));
        let created = create_database(&temporary, meta).and_then(|()| {
            if self.link(&temporary)?
                || (self.remove_if_replaceable(meta)? && self.link(&temporary)?)
            {
                Ok(())
            } else {
                Err(StoreError::Conflict)
            }
        });
        // The temporary name goes whatever happened; `state.sqlite` (if linked) keeps the
        // file.
        remove_with_side_files(&temporary);
        created
    }

    /// Links `temporary` as `state.sqlite`; `false` if there is one already.
    fn link(&self, temporary: &Path) -> Result<bool, StoreError> {
        match fs::hard_link(temporary, self.path()) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == ErrorKind::AlreadyExists => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes the database, holding its lock, if it holds no record and is not under
    /// `meta.key_id`; `true` if there is no database any more.
    fn remove_if_replaceable(&self, meta: &Meta) -> Result<bool, StoreError> {
        let Some(locked) = self.lock_existing()? else {
            return Ok(true);
        };
        if locked.meta()?.key_id == meta.key_id || !locked.locators()?.is_empty() {
            return Ok(false);
        }
        // Unlinked while locked: a job waiting for the lock finds it without records and
        // not under its key, and creates its own.
        remove_with_side_files(&self.path());
        Ok(true)
    }

    /// Removes the database file, the files SQLite keeps beside it and any temporary
    /// database left by a crash, ignoring those that cannot be removed (spec §9.6: they
    /// are unreadable once the key is gone).
    pub fn remove_files(&self) {
        remove_with_side_files(&self.path());
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if name
                    .to_str()
                    .is_some_and(|name| name.starts_with(TEMPORARY_PREFIX))
                {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }
}

/// Writes a new database with the schema and `meta` at `path`.
fn create_database(path: &Path, meta: &Meta) -> Result<(), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags)?;
    configure(&connection)?;
    connection.execute_batch("BEGIN IMMEDIATE")?;
    connection.execute_batch(SCHEMA)?;
    connection.execute(
        "INSERT INTO meta (one, key_id, record_set) VALUES (1, ?1, ?2)",
        params![meta.key_id.as_slice(), meta.record_set.as_slice()],
    )?;
    connection.execute_batch("COMMIT")?;
    connection.close().map_err(|(_, error)| error)?;
    Ok(())
}

/// Removes `path` and the files SQLite may keep beside it, ignoring failures.
fn remove_with_side_files(path: &Path) {
    let _ = fs::remove_file(path);
    for suffix in SIDE_FILE_SUFFIXES {
        let mut side = path.to_owned().into_os_string();
        side.push(suffix);
        let _ = fs::remove_file(&side);
    }
}

/// The settings of every connection (spec §9.3).
fn configure(connection: &Connection) -> Result<(), StoreError> {
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
    // Check each cell's size as its page is read, so that a damaged page is an error
    // before anything is written over it.
    connection.pragma_update(None, "cell_size_check", "ON")?;
    Ok(())
}

/// Checks, through `connection` (which holds the write lock, so no job of the origin
/// changes the file meanwhile), that the database at `path` is one this implementation
/// writes: what its header must say and what SQLite itself does not insist on (spec §9.1).
/// SQLite checks the magic string, the page size and the payload fractions; it accepts a
/// file with auto-vacuum, another text encoding, or a page count short of the file's
/// length, and writing into such a file may destroy rows. (The header is read through
/// SQLite, never by opening the file a second time: closing that second descriptor would
/// drop the process's POSIX locks on the file.)
fn check_header(connection: &Connection, path: &Path) -> Result<(), StoreError> {
    let number = |pragma: &str| -> Result<i64, StoreError> {
        Ok(connection.pragma_query_value(None, pragma, |row| row.get(0))?)
    };
    let encoding: String = connection.pragma_query_value(None, "encoding", |row| row.get(0))?;
    let page_count = number("page_count")?;
    let length = fs::metadata(path)?.len();
    let expected = [
        number("user_version")? == i64::from(SCHEMA_VERSION),
        number("application_id")? == i64::from(APPLICATION_ID),
        number("auto_vacuum")? == 0,
        encoding == "UTF-8",
        // Every page of the file is in the database, and the free list is shorter.
        page_count.checked_mul(number("page_size")?) == i64::try_from(length).ok(),
        number("freelist_count")? < page_count,
    ];
    if expected.contains(&false) {
        return Err(StoreError::UnknownDatabase(
            "the database header is not one this implementation writes",
        ));
    }
    Ok(())
}

/// A connection inside `BEGIN IMMEDIATE`: no other job of the origin can write until it
/// is committed or dropped. Dropping it rolls the transaction back.
pub struct Locked {
    connection: Connection,
}

impl Locked {
    /// Configures a fresh connection, takes the write lock, and checks that the file is a
    /// database of this implementation.
    fn begin(connection: Connection, path: &Path) -> Result<Self, StoreError> {
        configure(&connection)?;
        connection.execute_batch("BEGIN IMMEDIATE")?;
        // A hot journal has been rolled back by now: the header is the committed one.
        check_header(&connection, path)?;
        Ok(Locked { connection })
    }

    /// The key id and the record set MAC of `meta`.
    pub fn meta(&self) -> Result<Meta, StoreError> {
        let stored: Option<(Vec<u8>, Vec<u8>)> = self
            .connection
            .query_row(
                "SELECT key_id, record_set FROM meta WHERE one = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let (key_id, record_set) =
            stored.ok_or(StoreError::UnknownDatabase("the database has no key id"))?;
        let wrong_length = || StoreError::UnknownDatabase("a MAC in meta has the wrong length");
        Ok(Meta {
            key_id: key_id.try_into().map_err(|_| wrong_length())?,
            record_set: record_set.try_into().map_err(|_| wrong_length())?,
        })
    }

    /// The locator of every row, in ascending order. A locator of the wrong length is an
    /// error.
    pub fn locators(&self) -> Result<Vec<Locator>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT locator FROM records ORDER BY locator")?;
        let rows = statement.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
        rows.map(|locator| {
            let locator = locator?;
            locator
                .try_into()
                .map(Locator)
                .map_err(|_| StoreError::UnknownDatabase("a locator has the wrong length"))
        })
        .collect()
    }

    /// The sealed record at `locator`.
    pub fn get(&self, locator: &Locator) -> Result<Option<Vec<u8>>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT sealed FROM records WHERE locator = ?1")?;
        Ok(statement
            .query_row(params![locator.0.as_slice()], |row| row.get(0))
            .optional()?)
    }

    /// Applies `changes`, sets `meta` and commits: the commit point of the job (spec §9.3).
    pub fn commit<'a>(
        self,
        meta: &Meta,
        changes: impl IntoIterator<Item = (&'a Locator, RowChange<'a>)>,
    ) -> Result<(), StoreError> {
        let connection = &self.connection;
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
        connection.execute(
            "UPDATE meta SET key_id = ?1, record_set = ?2 WHERE one = 1",
            params![meta.key_id.as_slice(), meta.record_set.as_slice()],
        )?;
        connection.execute_batch("COMMIT")?;
        Ok(())
    }

    /// Deletes every row, without committing: the first step of a deletion (spec §9.6).
    pub fn delete_every_row(&self) -> Result<(), StoreError> {
        self.connection.execute("DELETE FROM records", [])?;
        Ok(())
    }

    /// Commits what the transaction did so far.
    pub fn commit_as_is(self) -> Result<(), StoreError> {
        self.connection.execute_batch("COMMIT")?;
        Ok(())
    }

    /// Every row, for tests that tamper with or count the stored records.
    #[cfg(test)]
    pub fn rows(&self) -> Vec<(Locator, Vec<u8>)> {
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
