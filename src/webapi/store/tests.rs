//! Behaviour of the store as the Web API sees it (spec §4.5, §9), on disk and in memory.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::database::{DATABASE_FILE, Database};
use super::key_file::{self, KEY_FILE};
use super::sealing::{Locator, RecordKeys};
use super::*;
use crate::crypto::{OsRandom, Random};

/// A fresh directory under the system's temporary directory, removed when dropped (also
/// when the test fails).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let unique = format!(
            "mls-webapi-store-{label}-{}-{}-{:016x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            u64::from_le_bytes(OsRandom.bytes(8).unwrap().try_into().unwrap()),
        );
        let path = std::env::temp_dir().join(unique);
        fs::create_dir(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const ORIGIN: &str = "https://chat.example";

fn origin() -> Origin {
    Origin::parse(ORIGIN).unwrap()
}

/// A job error other than the store's, to make a closure fail.
#[derive(Debug)]
enum JobError {
    Store(StoreError),
    Refused,
}

impl From<StoreError> for JobError {
    fn from(error: StoreError) -> Self {
        JobError::Store(error)
    }
}

fn put(store: &Store, kind: RecordKind, id: &[u8], plaintext: &[u8]) {
    store.transaction(|tx| tx.put(kind, id, plaintext)).unwrap();
}

fn get(store: &Store, kind: RecordKind, id: &[u8]) -> Option<Vec<u8>> {
    store
        .get(kind, id)
        .unwrap()
        .map(|plaintext| plaintext.to_vec())
}

/// Runs `test` on an in-memory store and on a store on disk.
fn on_each_backend(label: &str, test: impl Fn(&Store)) {
    test(&Store::in_memory(&origin()));
    let temp = TempDir::new(label);
    test(&Store::open(temp.path(), &origin()));
}

fn origin_dir(temp: &TempDir, store: &Store) -> PathBuf {
    temp.path().join(store.origin_name())
}

/// The locator of (`kind`, `id`) under the key stored in `dir`.
fn locator_in(dir: &Path, kind: RecordKind, id: &[u8]) -> Locator {
    let key = key_file::read(dir).unwrap().unwrap();
    RecordKeys::derive(&key).locator(kind, id).unwrap()
}

/// Every row of the database in `dir`.
fn rows_in(dir: &Path) -> Vec<(Locator, Vec<u8>)> {
    match Database::new(dir.to_owned()).lock_existing().unwrap() {
        Some(locked) => locked.rows(),
        None => Vec::new(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The files under `path`, recursively.
fn files_under(path: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = fs::read_dir(path) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(files_under(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn a_record_round_trips() {
    on_each_backend("round-trip", |store| {
        put(store, RecordKind::Identity, b"alice", b"identity of alice");
        put(store, RecordKind::KeyPackage, b"ref", b"a key package");
        let group = group_record_id(b"alice", b"group").unwrap();
        put(store, RecordKind::Group, &group, b"group state");

        assert_eq!(
            get(store, RecordKind::Identity, b"alice").unwrap(),
            b"identity of alice"
        );
        assert_eq!(
            get(store, RecordKind::KeyPackage, b"ref").unwrap(),
            b"a key package"
        );
        assert_eq!(
            get(store, RecordKind::Group, &group).unwrap(),
            b"group state"
        );
        // Same id, other kind: a different record.
        assert_eq!(get(store, RecordKind::KeyPackage, b"alice"), None);
        assert_eq!(get(store, RecordKind::Identity, b"bob"), None);
    });
}

#[test]
fn an_empty_record_and_an_empty_id_round_trip() {
    on_each_backend("empty", |store| {
        put(store, RecordKind::Identity, b"", b"");
        assert_eq!(get(store, RecordKind::Identity, b"").unwrap(), b"");
    });
}

#[test]
fn a_transaction_sees_its_own_changes_before_they_are_committed() {
    on_each_backend("own-changes", |store| {
        put(store, RecordKind::KeyPackage, b"kp", b"key package");
        store
            .transaction(|tx| -> Result<(), StoreError> {
                tx.put(RecordKind::Group, b"g", b"first")?;
                tx.put(RecordKind::Group, b"g", b"second")?;
                assert_eq!(
                    tx.get(RecordKind::Group, b"g")?.unwrap().as_slice(),
                    b"second"
                );
                tx.delete(RecordKind::KeyPackage, b"kp")?;
                assert!(tx.get(RecordKind::KeyPackage, b"kp")?.is_none());
                Ok(())
            })
            .unwrap();
        assert_eq!(get(store, RecordKind::Group, b"g").unwrap(), b"second");
        assert_eq!(get(store, RecordKind::KeyPackage, b"kp"), None);
    });
}

#[test]
fn a_transaction_whose_closure_fails_leaves_the_old_state() {
    on_each_backend("failed-job", |store| {
        put(store, RecordKind::KeyPackage, b"kp", b"key package");
        put(store, RecordKind::Group, b"g", b"epoch 4");
        let outcome = store.transaction(|tx| -> Result<(), JobError> {
            // As groupJoin would: a new group, the key package consumed...
            tx.put(RecordKind::Group, b"joined", b"new group")?;
            tx.delete(RecordKind::KeyPackage, b"kp")?;
            tx.put(RecordKind::Group, b"g", b"epoch 5")?;
            // ...and then a check fails.
            Err(JobError::Refused)
        });
        assert!(matches!(outcome, Err(JobError::Refused)));
        assert_eq!(
            get(store, RecordKind::KeyPackage, b"kp").unwrap(),
            b"key package"
        );
        assert_eq!(get(store, RecordKind::Group, b"g").unwrap(), b"epoch 4");
        assert_eq!(get(store, RecordKind::Group, b"joined"), None);
    });
}

#[test]
fn a_job_that_dies_before_its_commit_leaves_the_old_state() {
    on_each_backend("panicked-job", |store| {
        put(store, RecordKind::Group, b"g", b"epoch 4");
        let crashed = catch_unwind(AssertUnwindSafe(|| {
            store.transaction(|tx| -> Result<(), StoreError> {
                tx.put(RecordKind::Group, b"g", b"epoch 5")?;
                tx.put(RecordKind::Identity, b"new", b"identity")?;
                panic!("the job dies before it commits");
            })
        }));
        assert!(crashed.is_err());
        // A new handle, as after a restart, reads the old state.
        let reopened = store.clone();
        assert_eq!(get(&reopened, RecordKind::Group, b"g").unwrap(), b"epoch 4");
        assert_eq!(get(&reopened, RecordKind::Identity, b"new"), None);
        // And the origin is not left locked.
        put(&reopened, RecordKind::Group, b"g", b"epoch 6");
        assert_eq!(get(&reopened, RecordKind::Group, b"g").unwrap(), b"epoch 6");
    });
}

#[test]
fn a_crash_while_sqlite_writes_the_commit_leaves_the_old_state_and_no_plaintext() {
    let temp = TempDir::new("crash");
    let store = Store::open(temp.path(), &origin());
    let dir = origin_dir(&temp, &store);
    put(
        &store,
        RecordKind::Identity,
        b"ID-MARKER-alice",
        b"PLAINTEXT-MARKER-old",
    );
    let before = fs::read(dir.join(DATABASE_FILE)).unwrap();
    let locator = locator_in(&dir, RecordKind::Identity, b"ID-MARKER-alice");
    let keys = RecordKeys::derive(&key_file::read(&dir).unwrap().unwrap());

    // A transaction too large for SQLite's page cache, so that it spills pages into the
    // database file (after syncing its rollback journal) before the commit.
    let locked = Database::new(dir.clone()).lock_existing().unwrap().unwrap();
    locked
        .connection()
        .pragma_update(None, "cache_size", 10)
        .unwrap();
    let replaced = keys
        .seal(
            RecordKind::Identity,
            b"ID-MARKER-alice",
            b"PLAINTEXT-MARKER-new",
            &mut OsRandom,
        )
        .unwrap();
    let mut statement = locked
        .connection()
        .prepare("INSERT OR REPLACE INTO records (locator, sealed) VALUES (?1, ?2)")
        .unwrap();
    statement
        .execute(rusqlite::params![locator.0.as_slice(), replaced])
        .unwrap();
    for index in 0u32..300 {
        let id = format!("ID-MARKER-{index}");
        let sealed = keys
            .seal(
                RecordKind::Group,
                id.as_bytes(),
                &b"PLAINTEXT-MARKER-".repeat(200),
                &mut OsRandom,
            )
            .unwrap();
        let locator = keys.locator(RecordKind::Group, id.as_bytes()).unwrap();
        statement
            .execute(rusqlite::params![locator.0.as_slice(), sealed])
            .unwrap();
    }
    drop(statement);

    // The machine stops here: copy the files as they are on disk.
    let journal = dir.join(format!("{DATABASE_FILE}-journal"));
    let spilled = fs::read(dir.join(DATABASE_FILE)).unwrap();
    assert_ne!(
        spilled, before,
        "the transaction should have reached the file"
    );
    assert!(journal.exists(), "the rollback journal should be hot");
    let crashed = TempDir::new("crash-copy");
    let crashed_dir = crashed.path().join(store.origin_name());
    fs::create_dir(&crashed_dir).unwrap();
    for name in [
        KEY_FILE.to_owned(),
        DATABASE_FILE.to_owned(),
        format!("{DATABASE_FILE}-journal"),
    ] {
        fs::copy(dir.join(&name), crashed_dir.join(&name)).unwrap();
    }
    for file in [&spilled, &fs::read(&journal).unwrap()] {
        assert!(!contains(file, b"MARKER"));
    }
    drop(locked);

    // Restart on the copy: SQLite rolls the hot journal back.
    let restarted = Store::open(crashed.path(), &origin());
    assert_eq!(
        get(&restarted, RecordKind::Identity, b"ID-MARKER-alice").unwrap(),
        b"PLAINTEXT-MARKER-old"
    );
    assert_eq!(get(&restarted, RecordKind::Group, b"ID-MARKER-7"), None);
    assert_eq!(rows_in(&crashed_dir).len(), 1);
    assert!(
        !crashed_dir
            .join(format!("{DATABASE_FILE}-journal"))
            .exists()
    );
}

#[test]
fn the_database_file_contains_none_of_the_ids_or_plaintext_bytes() {
    let temp = TempDir::new("no-plaintext");
    let store = Store::open(temp.path(), &origin());
    let ids: Vec<Vec<u8>> = (0..20)
        .map(|index| format!("ID-MARKER-client-{index:02}").into_bytes())
        .collect();
    for (index, id) in ids.iter().enumerate() {
        let plaintext = format!("PLAINTEXT-MARKER-{index:02}-").repeat(50);
        put(&store, RecordKind::Identity, id, plaintext.as_bytes());
        let group = group_record_id(id, b"GROUP-MARKER").unwrap();
        put(&store, RecordKind::Group, &group, plaintext.as_bytes());
    }
    // Rewrite and delete some, so that freed pages and cells would hold old bytes.
    store
        .transaction(|tx| -> Result<(), StoreError> {
            for id in &ids[..10] {
                tx.delete(RecordKind::Identity, id)?;
                tx.put(RecordKind::Group, id, b"PLAINTEXT-MARKER-rewritten")?;
            }
            Ok(())
        })
        .unwrap();

    let dir = origin_dir(&temp, &store);
    let key = fs::read(dir.join(KEY_FILE)).unwrap();
    let files = files_under(temp.path());
    assert!(files.contains(&dir.join(DATABASE_FILE)));
    for file in files.iter().filter(|file| !file.ends_with(KEY_FILE)) {
        let bytes = fs::read(file).unwrap();
        for needle in [&b"MARKER"[..], b"ID-MARKER-client-03", b"alice", &key] {
            assert!(!contains(&bytes, needle), "{file:?} contains {needle:?}");
        }
    }
    // The rows are only locators and sealed records.
    assert_eq!(rows_in(&dir).len(), 10 + 20 + 10);
}

#[test]
fn a_record_copied_to_another_locator_fails_to_open() {
    let temp = TempDir::new("transplant");
    let store = Store::open(temp.path(), &origin());
    let dir = origin_dir(&temp, &store);
    put(
        &store,
        RecordKind::Group,
        b"alice's group",
        b"alice's state",
    );
    put(&store, RecordKind::Group, b"bob's group", b"bob's state");
    let from = locator_in(&dir, RecordKind::Group, b"alice's group");
    let to = locator_in(&dir, RecordKind::Group, b"bob's group");
    let rows = rows_in(&dir);
    let (_, sealed) = rows.iter().find(|(locator, _)| *locator == from).unwrap();
    let locked = Database::new(dir.clone()).lock_existing().unwrap().unwrap();
    locked.overwrite_row(&to, sealed);

    assert!(matches!(
        store.get(RecordKind::Group, b"bob's group"),
        Err(StoreError::RecordUnreadable)
    ));
    // A job that reads it fails instead of going on with a state it cannot trust.
    let outcome = store.transaction(|tx| -> Result<(), JobError> {
        tx.get(RecordKind::Group, b"bob's group")?;
        tx.put(RecordKind::Identity, b"x", b"y")?;
        Ok(())
    });
    assert!(matches!(
        outcome,
        Err(JobError::Store(StoreError::RecordUnreadable))
    ));
    assert_eq!(get(&store, RecordKind::Identity, b"x"), None);
    assert_eq!(
        get(&store, RecordKind::Group, b"alice's group").unwrap(),
        b"alice's state"
    );
}

#[test]
fn a_flipped_byte_in_a_stored_record_fails_to_open() {
    let temp = TempDir::new("flipped");
    let store = Store::open(temp.path(), &origin());
    let dir = origin_dir(&temp, &store);
    put(&store, RecordKind::Identity, b"alice", b"identity of alice");
    let (locator, sealed) = rows_in(&dir).remove(0);
    for index in [0, 1, 24, 25, sealed.len() - 1] {
        let mut modified = sealed.clone();
        modified[index] ^= 0x01;
        let locked = Database::new(dir.clone()).lock_existing().unwrap().unwrap();
        locked.overwrite_row(&locator, &modified);
        assert!(
            store.get(RecordKind::Identity, b"alice").is_err(),
            "byte {index}"
        );
    }
}

#[test]
fn a_flipped_byte_in_an_in_memory_record_fails_to_open() {
    let store = Store::in_memory(&origin());
    put(&store, RecordKind::Identity, b"alice", b"identity of alice");
    let Backend::Memory(memory) = &store.backend else {
        unreachable!("an in-memory store")
    };
    for sealed in memory.lock().records.values_mut() {
        sealed[30] ^= 0x80;
    }
    assert!(matches!(
        store.get(RecordKind::Identity, b"alice"),
        Err(StoreError::RecordUnreadable)
    ));
}

#[test]
fn two_origins_in_one_dir_never_see_each_others_records() {
    let temp = TempDir::new("two-origins");
    let a = Store::open(temp.path(), &Origin::parse("https://a.example").unwrap());
    let b = Store::open(temp.path(), &Origin::parse("https://b.example").unwrap());
    put(&a, RecordKind::Identity, b"same id", b"state of a");
    assert_eq!(get(&b, RecordKind::Identity, b"same id"), None);
    put(&b, RecordKind::Identity, b"same id", b"state of b");
    assert_eq!(
        get(&a, RecordKind::Identity, b"same id").unwrap(),
        b"state of a"
    );
    assert_eq!(
        get(&b, RecordKind::Identity, b"same id").unwrap(),
        b"state of b"
    );

    let (dir_a, dir_b) = (origin_dir(&temp, &a), origin_dir(&temp, &b));
    assert_ne!(dir_a, dir_b);
    assert_ne!(
        fs::read(dir_a.join(KEY_FILE)).unwrap(),
        fs::read(dir_b.join(KEY_FILE)).unwrap()
    );
    assert_ne!(rows_in(&dir_a)[0].0, rows_in(&dir_b)[0].0);

    a.delete_origin().unwrap();
    assert_eq!(get(&a, RecordKind::Identity, b"same id"), None);
    assert_eq!(
        get(&b, RecordKind::Identity, b"same id").unwrap(),
        b"state of b"
    );
}

#[test]
fn in_memory_stores_share_records_with_their_clones_only() {
    let first = Store::in_memory(&origin());
    let second = Store::in_memory(&origin());
    let clone = first.clone();
    put(&first, RecordKind::Identity, b"alice", b"identity");
    assert_eq!(
        get(&clone, RecordKind::Identity, b"alice").unwrap(),
        b"identity"
    );
    assert_eq!(get(&second, RecordKind::Identity, b"alice"), None);
}

#[test]
fn delete_origin_removes_everything_and_is_idempotent_on_a_fresh_origin() {
    on_each_backend("delete-origin", |store| {
        store.delete_origin().unwrap();
        put(store, RecordKind::Identity, b"alice", b"identity");
        put(store, RecordKind::KeyPackage, b"kp", b"key package");
        put(store, RecordKind::Group, b"g", b"group");
        store.delete_origin().unwrap();
        for (kind, id) in [
            (RecordKind::Identity, &b"alice"[..]),
            (RecordKind::KeyPackage, b"kp"),
            (RecordKind::Group, b"g"),
        ] {
            assert_eq!(get(store, kind, id), None);
        }
        store.delete_origin().unwrap();
        // The origin is usable again, under a new key.
        put(store, RecordKind::Identity, b"alice", b"new identity");
        assert_eq!(
            get(store, RecordKind::Identity, b"alice").unwrap(),
            b"new identity"
        );
    });
}

#[test]
fn delete_origin_leaves_no_file_of_the_origin_behind() {
    let temp = TempDir::new("delete-files");
    let store = Store::open(temp.path(), &origin());
    put(&store, RecordKind::Identity, b"alice", b"identity");
    assert!(origin_dir(&temp, &store).join(KEY_FILE).exists());
    store.delete_origin().unwrap();
    assert_eq!(files_under(temp.path()), Vec::<PathBuf>::new());
    assert!(!origin_dir(&temp, &store).exists());
}

#[test]
fn view_delete_state_removes_only_that_group_record() {
    on_each_backend("view-delete", |store| {
        let mine = group_record_id(b"alice", b"g1").unwrap();
        let other = group_record_id(b"alice", b"g2").unwrap();
        put(store, RecordKind::Identity, b"alice", b"identity");
        put(store, RecordKind::Group, &mine, b"g1 state");
        put(store, RecordKind::Group, &other, b"g2 state");
        store
            .transaction(|tx| tx.delete(RecordKind::Group, &mine))
            .unwrap();
        assert_eq!(get(store, RecordKind::Group, &mine), None);
        assert_eq!(get(store, RecordKind::Group, &other).unwrap(), b"g2 state");
        assert_eq!(
            get(store, RecordKind::Identity, b"alice").unwrap(),
            b"identity"
        );
    });
}

#[test]
fn reopening_the_store_after_close_reads_the_same_records() {
    let temp = TempDir::new("reopen");
    let store = Store::open(temp.path(), &origin());
    put(&store, RecordKind::Identity, b"alice", b"identity");
    put(&store, RecordKind::Group, b"g", b"group");
    drop(store);
    let reopened = Store::open(temp.path(), &origin());
    assert_eq!(
        get(&reopened, RecordKind::Identity, b"alice").unwrap(),
        b"identity"
    );
    assert_eq!(get(&reopened, RecordKind::Group, b"g").unwrap(), b"group");
}

#[test]
fn stores_opened_on_one_origin_see_each_others_commits_at_once() {
    let temp = TempDir::new("two-handles");
    let first = Store::open(temp.path(), &origin());
    let second = Store::open(temp.path(), &origin());
    put(&first, RecordKind::Group, b"g", b"epoch 1");
    assert_eq!(get(&second, RecordKind::Group, b"g").unwrap(), b"epoch 1");
    put(&second, RecordKind::Group, b"g", b"epoch 2");
    assert_eq!(get(&first, RecordKind::Group, b"g").unwrap(), b"epoch 2");
    second.delete_origin().unwrap();
    assert_eq!(get(&first, RecordKind::Group, b"g"), None);
    put(&first, RecordKind::Group, b"g", b"epoch 0");
    assert_eq!(get(&second, RecordKind::Group, b"g").unwrap(), b"epoch 0");
}

#[test]
fn pure_reads_on_a_fresh_origin_create_nothing_on_disk() {
    let temp = TempDir::new("fresh");
    let store = Store::open(temp.path(), &origin());
    assert_eq!(get(&store, RecordKind::Identity, b"alice"), None);
    // A job that only deletes absent records, a job that writes nothing, and a failed
    // job that staged writes.
    store
        .transaction(|tx| tx.delete(RecordKind::Group, b"g"))
        .unwrap();
    store
        .transaction(|tx| tx.get(RecordKind::Group, b"g").map(drop))
        .unwrap();
    let failed = store.transaction(|tx| -> Result<(), JobError> {
        tx.put(RecordKind::Identity, b"alice", b"identity")?;
        Err(JobError::Refused)
    });
    assert!(failed.is_err());
    store.delete_origin().unwrap();
    assert_eq!(fs::read_dir(temp.path()).unwrap().count(), 0);
}

#[test]
fn a_job_that_changes_nothing_writes_nothing() {
    let temp = TempDir::new("no-change");
    let store = Store::open(temp.path(), &origin());
    put(&store, RecordKind::Group, b"g", b"group");
    let database = origin_dir(&temp, &store).join(DATABASE_FILE);
    let before = fs::read(&database).unwrap();
    store
        .transaction(|tx| -> Result<(), StoreError> {
            tx.get(RecordKind::Group, b"g")?;
            tx.delete(RecordKind::KeyPackage, b"absent")
        })
        .unwrap();
    assert_eq!(fs::read(&database).unwrap(), before);
}

/// A store on disk holding an identity and a group record, and its origin's directory.
fn populated(temp: &TempDir) -> (Store, PathBuf) {
    let store = Store::open(temp.path(), &origin());
    let dir = origin_dir(temp, &store);
    put(&store, RecordKind::Identity, b"alice", b"identity");
    put(&store, RecordKind::Group, b"g", b"group");
    (store, dir)
}

/// Both records of [`populated`] read back.
fn assert_both_records(store: &Store) {
    assert_eq!(
        get(store, RecordKind::Identity, b"alice").unwrap(),
        b"identity"
    );
    assert_eq!(get(store, RecordKind::Group, b"g").unwrap(), b"group");
}

/// A reading job and a writing job both fail with `expected`, and no file changes.
fn every_job_fails_and_changes_nothing(store: &Store, expected: fn(&StoreError) -> bool) {
    let before = store.snapshot().unwrap();
    let read = store.get(RecordKind::Identity, b"alice");
    assert!(read.as_ref().is_err_and(expected), "{:?}", read.map(|_| ()));
    let write = store.transaction(|tx| tx.put(RecordKind::Identity, b"bob", b"x"));
    assert!(write.as_ref().is_err_and(expected), "{write:?}");
    assert_eq!(*store.snapshot().unwrap(), *before);
}

/// Runs `sql` on the database in `dir` and commits, as someone tampering with it would.
fn tamper(dir: &Path, sql: &str) {
    let locked = Database::new(dir.to_owned())
        .lock_existing()
        .unwrap()
        .unwrap();
    locked.connection().execute_batch(sql).unwrap();
    locked.commit_as_is().unwrap();
}

#[test]
fn a_missing_key_with_records_is_an_error_and_deletes_nothing() {
    let temp = TempDir::new("missing-key");
    let (store, dir) = populated(&temp);
    let key = fs::read(dir.join(KEY_FILE)).unwrap();
    fs::remove_file(dir.join(KEY_FILE)).unwrap();
    every_job_fails_and_changes_nothing(&store, |e| matches!(e, StoreError::KeyMismatch));
    assert!(!dir.join(KEY_FILE).exists());
    // Restoring the key brings every record back.
    fs::write(dir.join(KEY_FILE), key).unwrap();
    assert_both_records(&store);
}

#[test]
fn a_key_replaced_by_another_is_an_error_and_restoring_it_restores_every_record() {
    let temp = TempDir::new("replaced-key");
    let (store, dir) = populated(&temp);
    let key = fs::read(dir.join(KEY_FILE)).unwrap();
    fs::write(dir.join(KEY_FILE), OsRandom.bytes(32).unwrap()).unwrap();
    every_job_fails_and_changes_nothing(&store, |e| matches!(e, StoreError::KeyMismatch));
    fs::write(dir.join(KEY_FILE), key).unwrap();
    assert_both_records(&store);
}

#[test]
fn a_flipped_key_id_in_meta_is_an_error_and_deletes_nothing() {
    let temp = TempDir::new("flipped-key-id");
    let (store, dir) = populated(&temp);
    let set_key_id = |key_id: &[u8]| {
        let locked = Database::new(dir.clone()).lock_existing().unwrap().unwrap();
        locked
            .connection()
            .execute("UPDATE meta SET key_id = ?1", [key_id])
            .unwrap();
        locked.commit_as_is().unwrap();
    };
    let key_id = Database::new(dir.clone())
        .lock_existing()
        .unwrap()
        .unwrap()
        .meta()
        .unwrap()
        .key_id;
    let mut flipped = key_id;
    flipped[5] ^= 0x10;
    set_key_id(&flipped);
    every_job_fails_and_changes_nothing(&store, |e| matches!(e, StoreError::KeyMismatch));
    assert_eq!(rows_in(&dir).len(), 2);
    // Restoring the byte brings every record back.
    set_key_id(&key_id);
    assert_both_records(&store);
}

#[test]
fn an_empty_database_file_is_an_error_not_an_empty_origin() {
    let temp = TempDir::new("empty-database");
    let (store, dir) = populated(&temp);
    fs::write(dir.join(DATABASE_FILE), b"").unwrap();
    every_job_fails_and_changes_nothing(&store, |e| {
        matches!(e, StoreError::UnknownDatabase(_) | StoreError::Database(_))
    });
    assert!(dir.join(KEY_FILE).exists());
}

#[test]
fn a_truncated_database_file_is_an_error_not_an_empty_origin() {
    let temp = TempDir::new("truncated-database");
    let (store, dir) = populated(&temp);
    put(&store, RecordKind::Group, b"large", &[7; 20_000]);
    let database = fs::read(dir.join(DATABASE_FILE)).unwrap();
    let page = 4096;
    for length in [
        1,
        99,
        100,
        512,
        page,
        database.len() - page,
        database.len() - 1,
    ] {
        fs::write(dir.join(DATABASE_FILE), &database[..length]).unwrap();
        every_job_fails_and_changes_nothing(&store, |e| {
            matches!(e, StoreError::UnknownDatabase(_) | StoreError::Database(_))
        });
    }
    fs::write(dir.join(DATABASE_FILE), &database).unwrap();
    assert_both_records(&store);
}

#[test]
fn a_flipped_locator_is_an_error_not_an_absent_record() {
    let temp = TempDir::new("flipped-locator");
    let (store, dir) = populated(&temp);
    let locator = locator_in(&dir, RecordKind::Identity, b"alice");
    let mut flipped = locator;
    flipped.0[31] ^= 0x01;
    let move_row = |from: &Locator, to: &Locator| {
        let locked = Database::new(dir.clone()).lock_existing().unwrap().unwrap();
        locked
            .connection()
            .execute(
                "UPDATE records SET locator = ?2 WHERE locator = ?1",
                [from.0.as_slice(), to.0.as_slice()],
            )
            .unwrap();
        locked.commit_as_is().unwrap();
    };
    move_row(&locator, &flipped);
    every_job_fails_and_changes_nothing(&store, |e| matches!(e, StoreError::RecordSetMismatch));
    move_row(&flipped, &locator);
    assert_both_records(&store);
}

#[test]
fn a_removed_or_added_row_is_an_error() {
    let temp = TempDir::new("removed-row");
    let (store, dir) = populated(&temp);
    let rows = rows_in(&dir);
    tamper(
        &dir,
        "DELETE FROM records WHERE locator = (SELECT min(locator) FROM records)",
    );
    every_job_fails_and_changes_nothing(&store, |e| matches!(e, StoreError::RecordSetMismatch));
    let locked = Database::new(dir.clone()).lock_existing().unwrap().unwrap();
    locked.overwrite_row(&rows[0].0, &rows[0].1);
    assert_both_records(&store);
    // A row the store never wrote.
    let locked = Database::new(dir.clone()).lock_existing().unwrap().unwrap();
    locked.overwrite_row(&Locator([9; 32]), &rows[0].1);
    every_job_fails_and_changes_nothing(&store, |e| matches!(e, StoreError::RecordSetMismatch));
}

#[test]
fn a_crash_between_creating_the_key_and_the_first_commit_leaves_a_working_empty_origin() {
    let temp = TempDir::new("crash-after-key");
    let store = Store::open(temp.path(), &origin());
    let dir = origin_dir(&temp, &store);
    // The key was created, then the machine stopped: no database, or a temporary one
    // that was never linked.
    key_file::create(
        &dir,
        &sealing::OriginKey::generate(&mut OsRandom).unwrap(),
        &mut OsRandom,
    )
    .unwrap();
    let key = fs::read(dir.join(KEY_FILE)).unwrap();
    fs::write(
        dir.join("state.sqlite.tmp-0011223344556677"),
        b"half written",
    )
    .unwrap();
    assert_eq!(get(&store, RecordKind::Identity, b"alice"), None);
    put(&store, RecordKind::Identity, b"alice", b"identity");
    assert_eq!(
        get(&store, RecordKind::Identity, b"alice").unwrap(),
        b"identity"
    );
    // The job used the key that was there.
    assert_eq!(fs::read(dir.join(KEY_FILE)).unwrap(), key);
    store.delete_origin().unwrap();
    assert_eq!(files_under(temp.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_database_emptied_by_an_interrupted_deletion_is_replaced_by_the_next_write() {
    let temp = TempDir::new("interrupted-deletion");
    let (store, dir) = populated(&temp);
    // What a deletion leaves if it stops after its commit: no key, no row.
    tamper(&dir, "DELETE FROM records");
    fs::remove_file(dir.join(KEY_FILE)).unwrap();
    assert_eq!(get(&store, RecordKind::Identity, b"alice"), None);
    put(&store, RecordKind::Identity, b"bob", b"identity of bob");
    assert_eq!(
        get(&store, RecordKind::Identity, b"bob").unwrap(),
        b"identity of bob"
    );
    assert_eq!(rows_in(&dir).len(), 1);
    // The same with the next key already created.
    let (store, dir) = (store, dir);
    tamper(&dir, "DELETE FROM records");
    fs::write(dir.join(KEY_FILE), OsRandom.bytes(32).unwrap()).unwrap();
    put(&store, RecordKind::Identity, b"carol", b"identity of carol");
    assert_eq!(rows_in(&dir).len(), 1);
}

#[test]
fn delete_origin_removes_a_damaged_database_and_the_origin_starts_empty() {
    let temp = TempDir::new("delete-damaged");
    let (store, dir) = populated(&temp);
    fs::write(dir.join(DATABASE_FILE), [0x5a; 8192]).unwrap();
    assert!(store.get(RecordKind::Identity, b"alice").is_err());
    store.delete_origin().unwrap();
    assert_eq!(files_under(temp.path()), Vec::<PathBuf>::new());
    assert_eq!(get(&store, RecordKind::Identity, b"alice"), None);
    put(&store, RecordKind::Identity, b"alice", b"new identity");
    assert_eq!(
        get(&store, RecordKind::Identity, b"alice").unwrap(),
        b"new identity"
    );
}

#[test]
fn a_wrong_length_key_is_an_error_and_is_not_replaced() {
    let temp = TempDir::new("short-key");
    let store = Store::open(temp.path(), &origin());
    let dir = origin_dir(&temp, &store);
    put(&store, RecordKind::Identity, b"alice", b"identity");
    let key = fs::read(dir.join(KEY_FILE)).unwrap();
    fs::write(dir.join(KEY_FILE), &key[..31]).unwrap();

    assert!(matches!(
        store.get(RecordKind::Identity, b"alice"),
        Err(StoreError::KeyLength(31))
    ));
    let write = store.transaction(|tx| tx.put(RecordKind::Identity, b"bob", b"x"));
    assert!(matches!(write, Err(StoreError::KeyLength(31))));
    assert_eq!(fs::read(dir.join(KEY_FILE)).unwrap(), &key[..31]);
    assert_eq!(rows_in(&dir).len(), 1);

    // Once the key is repaired, the state is all there.
    fs::write(dir.join(KEY_FILE), &key).unwrap();
    assert_eq!(
        get(&store, RecordKind::Identity, b"alice").unwrap(),
        b"identity"
    );
}

#[test]
fn the_origin_name_is_the_hash_of_the_spec() {
    let origin = Origin::parse("https://Example.com:443/").unwrap();
    let name = origin_name(&origin);
    let expected = Sha256::digest(b"mls-webapi origin v1https://example.com");
    assert_eq!(name.len(), 64);
    assert_eq!(name, hex::encode(expected));
    assert_eq!(Store::in_memory(&origin).origin_name(), name);
}

#[test]
fn debug_output_shows_no_key() {
    let store = Store::in_memory(&origin());
    put(&store, RecordKind::Identity, b"alice", b"identity");
    let shown = format!("{store:?}");
    assert!(shown.contains(store.origin_name()));
    assert!(!shown.contains("alice"));
}

#[test]
fn rewritten_and_deleted_records_leave_no_old_ciphertext_in_the_database_file() {
    let temp = TempDir::new("secure-delete");
    let store = Store::open(temp.path(), &origin());
    let dir = origin_dir(&temp, &store);
    // A small record, kept in its page, and a large one, spilling into overflow pages.
    put(&store, RecordKind::Group, b"small", &[0x11; 200]);
    put(&store, RecordKind::Group, b"large", &[0x22; 20_000]);
    put(&store, RecordKind::KeyPackage, b"consumed", &[0x33; 300]);
    let old_rows = rows_in(&dir);
    store
        .transaction(|tx| -> Result<(), StoreError> {
            tx.put(RecordKind::Group, b"small", &[0x44; 200])?;
            tx.put(RecordKind::Group, b"large", &[0x55; 20_000])?;
            tx.delete(RecordKind::KeyPackage, b"consumed")
        })
        .unwrap();
    let database = fs::read(dir.join(DATABASE_FILE)).unwrap();
    for (_, sealed) in &old_rows {
        // The nonce and the first ciphertext bytes, and the last ones with the tag.
        let head = &sealed[1..49];
        let tail = &sealed[sealed.len() - 48..];
        assert!(!contains(&database, head) && !contains(&database, tail));
    }
    assert_eq!(rows_in(&dir).len(), 2);
}

#[test]
fn concurrent_jobs_of_one_origin_never_lose_an_update() {
    on_each_backend("concurrent", |store| {
        put(store, RecordKind::Group, b"counter", &0u32.to_be_bytes());
        let increment = |store: Store| {
            for _ in 0..25 {
                store
                    .transaction(|tx| -> Result<(), StoreError> {
                        let stored = tx.get(RecordKind::Group, b"counter")?.unwrap();
                        let value = u32::from_be_bytes(stored.as_slice().try_into().unwrap());
                        tx.put(RecordKind::Group, b"counter", &(value + 1).to_be_bytes())
                    })
                    .unwrap();
            }
        };
        // Separate handles on disk, as separate tabs would have; clones in memory.
        let handles: Vec<Store> = (0..3)
            .map(|_| match &store.backend {
                Backend::Database(database) => Store {
                    origin_name: store.origin_name.clone(),
                    backend: Backend::Database(Database::new(database.dir().to_owned())),
                },
                Backend::Memory(_) => store.clone(),
            })
            .collect();
        std::thread::scope(|scope| {
            for handle in handles {
                scope.spawn(move || increment(handle));
            }
        });
        let stored = get(store, RecordKind::Group, b"counter").unwrap();
        assert_eq!(stored, 75u32.to_be_bytes());
    });
}
