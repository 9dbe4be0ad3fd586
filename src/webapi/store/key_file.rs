//! The origin key on disk: `<origin dir>/key`, 32 raw bytes beside the database, readable
//! by the user only (spec §9.1, as Firefox keeps its key beside its SQLCipher database).
//!
//! The key is written to a temporary file, flushed, and then hard-linked to `key`, so a
//! crash never leaves a short `key` behind, and two jobs that create it at once cannot
//! both succeed.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;

use zeroize::Zeroizing;

use super::sealing::OriginKey;
use super::{StoreError, hex};
use crate::crypto::Random;

/// The name of the key file in the origin's directory.
pub const KEY_FILE: &str = "key";
/// The prefix of the temporary files a key is written to before it becomes `key`.
const TEMPORARY_PREFIX: &str = "key.tmp-";

/// The origin's key, or `None` if it has none (a fresh origin, or one whose deletion
/// removed the key). A key file of the wrong length is an error and is left alone
/// (spec §9.1).
pub fn read(dir: &Path) -> Result<Option<OriginKey>, StoreError> {
    match fs::read(dir.join(KEY_FILE)) {
        Ok(bytes) => OriginKey::from_bytes(&Zeroizing::new(bytes)).map(Some),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Makes `key` the origin's key, creating the directory if needed. Fails with
/// [`StoreError::Conflict`] if the origin already has a key.
pub fn create(dir: &Path, key: &OriginKey, random: &mut dyn Random) -> Result<(), StoreError> {
    create_private_dir(dir)?;
    let mut suffix = [0; 8];
    random.try_fill(&mut suffix)?;
    let temporary = dir.join(format!("{TEMPORARY_PREFIX}{}", hex(&suffix)));
    let written = write_private(&temporary, key.as_bytes());
    let linked = written.and_then(|()| fs::hard_link(&temporary, dir.join(KEY_FILE)));
    // The temporary name goes whatever happened; `key` (if linked) keeps the bytes.
    let removed = fs::remove_file(&temporary);
    match linked {
        Ok(()) => {}
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            return Err(StoreError::Conflict);
        }
        Err(error) => return Err(error.into()),
    }
    removed?;
    sync_dir(dir)
}

/// Removes the key, and any temporary copy of it left by a crash, from `dir`. Succeeds if
/// there is none. This is the point at which a deletion takes effect (spec §9.6).
pub fn remove(dir: &Path) -> Result<(), StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error.into()),
    };
    // `key` first: once it is gone the records are unreadable.
    remove_if_present(&dir.join(KEY_FILE))?;
    for entry in entries {
        let entry = entry?;
        if entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(TEMPORARY_PREFIX))
        {
            remove_if_present(&entry.path())?;
        }
    }
    sync_dir(dir)
}

fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}

/// Creates `dir` (and its parents), accessible by the user only.
pub fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    Ok(())
}

/// Writes `bytes` to a new file at `path`, readable by the user only, and flushes it.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Flushes the directory entry changes of `dir` (a no-op where directories cannot be
/// opened as files).
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::OsRandom;
    use crate::webapi::store::tests::TempDir;

    #[test]
    fn a_created_key_reads_back_and_leaves_no_temporary_file() {
        let temp = TempDir::new("key-round-trip");
        let dir = temp.path().join("origin");
        let key = OriginKey::generate(&mut OsRandom).unwrap();
        create(&dir, &key, &mut OsRandom).unwrap();
        let read_back = read(&dir).unwrap().unwrap();
        assert_eq!(read_back.as_bytes(), key.as_bytes());
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, [KEY_FILE]);
    }

    #[test]
    fn a_second_key_is_a_conflict_and_does_not_replace_the_first() {
        let temp = TempDir::new("key-conflict");
        let dir = temp.path().join("origin");
        let first = OriginKey::generate(&mut OsRandom).unwrap();
        create(&dir, &first, &mut OsRandom).unwrap();
        let second = OriginKey::generate(&mut OsRandom).unwrap();
        assert!(matches!(
            create(&dir, &second, &mut OsRandom),
            Err(StoreError::Conflict)
        ));
        assert_eq!(read(&dir).unwrap().unwrap().as_bytes(), first.as_bytes());
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_and_its_directory_are_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let temp = TempDir::new("key-mode");
        let dir = temp.path().join("origin");
        create(
            &dir,
            &OriginKey::generate(&mut OsRandom).unwrap(),
            &mut OsRandom,
        )
        .unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.join(KEY_FILE)), 0o600);
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn removing_takes_leftover_temporary_keys_too_and_succeeds_when_nothing_is_there() {
        let temp = TempDir::new("key-remove");
        let dir = temp.path().join("origin");
        remove(&dir).unwrap();
        create(
            &dir,
            &OriginKey::generate(&mut OsRandom).unwrap(),
            &mut OsRandom,
        )
        .unwrap();
        fs::write(dir.join("key.tmp-0011223344556677"), [1; 32]).unwrap();
        fs::write(dir.join("unrelated"), b"x").unwrap();
        remove(&dir).unwrap();
        assert!(read(&dir).unwrap().is_none());
        assert!(!dir.join("key.tmp-0011223344556677").exists());
        assert!(dir.join("unrelated").exists());
        remove(&dir).unwrap();
    }
}
