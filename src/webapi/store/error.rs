//! What can go wrong in the store. The Web API reports every one of these as an
//! `UnknownError` (spec §3.5, **persist.2**); the variants only tell a developer why.
//!
//! No variant carries key material, a record id or a plaintext.

use thiserror::Error;

/// A failure of the per-origin store.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Reading or writing a file of the origin failed.
    #[error("storage I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// SQLite reported an error (busy beyond the timeout, disk full, corrupt file, ...).
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// The origin's `key` file does not hold exactly 32 bytes (spec §9.1). Nothing is
    /// regenerated, so that a transient fault cannot destroy the origin's state.
    #[error("the origin's key file holds {0} bytes instead of 32")]
    KeyLength(usize),
    /// A stored record did not open: wrong key, a modified or truncated byte, or a record
    /// moved to another locator or presented as another kind or id (spec §9.2).
    #[error("a stored record failed authentication")]
    RecordUnreadable,
    /// A stored record starts with a format version this implementation does not know.
    #[error("a stored record has the unknown format version {0}")]
    UnknownRecordVersion(u8),
    /// The database is not one this implementation wrote (schema version, a malformed
    /// key id).
    #[error("the database is not in a format this implementation knows: {0}")]
    UnknownDatabase(&'static str),
    /// The database holds records, but not under the origin's key: the key is missing,
    /// replaced or damaged, or `meta.key_id` is (spec §9.1). Nothing is regenerated or
    /// deleted, so that restoring the right file brings every record back.
    #[error("the database holds records sealed under another key than the origin's")]
    KeyMismatch,
    /// The rows of the database are not the set its `meta.record_set` MAC names: a row
    /// was removed, added or moved to another locator (spec §9.2).
    #[error("the database's rows are not the ones it recorded")]
    RecordSetMismatch,
    /// A record id is longer than `opaque<V>` can encode (2^30 − 1 bytes).
    #[error("a record id of {0} bytes is too long")]
    IdTooLong(usize),
    /// A record is too long to seal.
    #[error("a record of {0} bytes is too long to seal")]
    RecordTooLong(usize),
    /// The random source failed, so no key or nonce could be made (spec §3.5).
    #[error("{0}")]
    Random(#[from] crate::crypto::RandomError),
    /// Another job created the origin's state while this one ran without a database to
    /// lock (spec §9.3); the job changed nothing and may be run again.
    #[error("another job created this origin's state concurrently")]
    Conflict,
}

impl StoreError {
    /// True if another job of the origin held the database's lock for longer than the
    /// busy timeout: the database is in use, not damaged.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Database(rusqlite::Error::SqliteFailure(error, _))
                if matches!(
                    error.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                )
        )
    }
}
