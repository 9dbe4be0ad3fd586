//! Spec §4.5 and §9 through `Mls::open`: state persists in the encrypted store, a failed
//! call writes nothing, reading calls create nothing, records that fail to open are
//! `UnknownError`, and `deleteState` removes everything.

use std::path::PathBuf;

use mls_webapi::webapi::{DomExceptionName, GroupDetails, Mls, WebApiResult};

use crate::support::{
    GARBAGE, Group, client, deliver_commit, fails_unchanged, group, key_package, only_origin_dir,
    stored_origin, writes_nothing,
};

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("mls-webapi-storage-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_group_survives_reopening_the_store() {
    let dir = temp_dir("reopen");
    let first = stored_origin(&dir, 1);
    let g = group(&first.mls, &["alice", "bob"]);
    let ct = g.views[0].send("persisted").unwrap();
    drop(first);
    let second = stored_origin(&dir, 2);
    let bob = second
        .mls
        .group_get(g.views[1].group_id(), &g.clients[1].id)
        .unwrap()
        .unwrap();
    assert_eq!(bob.receive(&ct).unwrap().content.unwrap(), b"persisted");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn failed_calls_write_nothing_to_the_store() {
    let dir = temp_dir("failed");
    let o = stored_origin(&dir, 3);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let kp = key_package(&o.mls, &carol);
    let ct = g.views[0].send("once").unwrap();
    g.views[1].receive(&ct).unwrap();
    fails_unchanged(&o.mls, DomExceptionName::OperationError, || {
        g.views[1].receive(&ct)
    });
    fails_unchanged(&o.mls, DomExceptionName::DataError, || {
        g.views[0].add(GARBAGE)
    });
    fails_unchanged(&o.mls, DomExceptionName::InvalidStateError, || {
        g.views[0].remove(&g.clients[0].id)
    });
    let dave = client(&o.mls, "dave");
    let welcome = g.views[1]
        .add(key_package(&o.mls, &dave))
        .unwrap()
        .welcome
        .unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        o.mls.group_join(&carol.id, &welcome)
    });
    writes_nothing(&o.mls, || g.views[0].details());
    writes_nothing(&o.mls, || g.views[0].has_pending_commit());
    g.views[0].add(&kp).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_join_writes_the_group_and_consumes_the_key_package_at_once() {
    let dir = temp_dir("join");
    let o = stored_origin(&dir, 4);
    let g = group(&o.mls, &["alice"]);
    let bob = client(&o.mls, "bob");
    let out = g.views[0].add(key_package(&o.mls, &bob)).unwrap();
    deliver_commit(&g.views, &out);
    let welcome = out.welcome.unwrap();
    o.mls.group_join(&bob.id, &welcome).unwrap();
    fails_unchanged(&o.mls, DomExceptionName::NotFoundError, || {
        o.mls.group_join(&bob.id, &welcome)
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_tampered_store_is_an_unknown_error() {
    let dir = temp_dir("tampered");
    let o = stored_origin(&dir, 5);
    let g = group(&o.mls, &["alice"]);
    // Flip one byte in the middle of every file but the key: records no longer open.
    let origin_dir = only_origin_dir(&dir);
    let database = origin_dir.join("state.sqlite");
    let mut bytes = std::fs::read(&database).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len - 2000..len - 100] {
        *b ^= 0x55;
    }
    std::fs::write(&database, bytes).unwrap();
    let e = g.views[0].details().unwrap_err();
    assert_eq!(e.name, DomExceptionName::UnknownError, "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_reading_call_on_a_fresh_origin_creates_nothing() {
    let dir = temp_dir("fresh");
    let o = stored_origin(&dir, 6);
    writes_nothing(&o.mls, || o.mls.group_get(vec![1], vec![2]));
    writes_nothing(&o.mls, || o.mls.generate_credential("x"));
    assert!(!dir.exists());
}

/// Every file under `dir`, read whole.
fn files_under(dir: &std::path::Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

#[test]
fn the_stored_files_hold_no_credential_id_secret_or_plaintext_in_the_clear() {
    // spec §9.5: an observer of the files learns no credentials, client ids, group ids,
    // secrets or plaintexts.
    let dir = temp_dir("plaintext-scan");
    let o = stored_origin(&dir, 7);
    let g = group(
        &o.mls,
        &["alice-credential-marker", "bob-credential-marker"],
    );
    let ct = g.views[0].send("a plaintext marker").unwrap();
    assert_eq!(
        g.views[1].receive(&ct).unwrap().content.unwrap(),
        b"a plaintext marker"
    );
    let exported = g.views[1]
        .export_secret("label", b"context".as_slice(), 32)
        .unwrap();

    let mut needles: Vec<(String, Vec<u8>)> = vec![
        ("plaintext".into(), b"a plaintext marker".to_vec()),
        ("exported secret".into(), exported.secret.clone()),
        ("group id".into(), g.views[0].group_id()),
    ];
    for c in &g.clients {
        needles.push((
            format!("{} credential content", c.name),
            c.name.clone().into_bytes(),
        ));
        needles.push((
            format!("{} credential", c.name),
            c.credential.content.clone(),
        ));
        needles.push((format!("{} client id", c.name), c.id.content.clone()));
    }
    let files = files_under(&dir);
    assert!(!files.is_empty(), "the origin wrote its state to disk");
    for (path, bytes) in &files {
        for (what, needle) in &needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                "{} holds the {what} in the clear",
                path.display()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A stored origin with a record of every kind: the identities of alice, bob and carol,
/// carol's key package, bob's group state, and alice's with a pending commit that adds
/// carol, whose Welcome is kept.
struct Populated {
    mls: Mls,
    group: Group,
    carol: crate::support::Client,
    welcome: Vec<u8>,
    details: Vec<GroupDetails>,
}

fn populated(dir: &std::path::Path) -> Populated {
    let o = stored_origin(dir, 11);
    let g = group(&o.mls, &["alice", "bob"]);
    let carol = client(&o.mls, "carol");
    let welcome = g.views[0]
        .add(key_package(&o.mls, &carol))
        .unwrap()
        .welcome
        .unwrap();
    let details = g.views.iter().map(|v| v.details().unwrap()).collect();
    Populated {
        mls: o.mls,
        group: g,
        carol,
        welcome,
        details,
    }
}

impl Populated {
    /// The reading calls see the state as it was made.
    fn reads_intact(&self, what: &str) {
        for (view, details) in self.group.views.iter().zip(&self.details) {
            let read = view.details().unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(&read, details, "{what}");
        }
        let pending = self.group.views[0].has_pending_commit();
        assert!(pending.unwrap_or_else(|e| panic!("{what}: {e}")), "{what}");
    }

    /// Every record is there: each group state, each identity and carol's key package
    /// (used up by this check).
    fn every_record_intact(&self) {
        self.reads_intact("intact");
        for c in self.group.clients.iter().chain([&self.carol]) {
            key_package(&self.mls, c);
        }
        self.mls
            .group_join(&self.carol.id, &self.welcome)
            .expect("carol's identity and key package are there");
    }
}

/// A call that may work or fail, but fails only with an `UnknownError`.
fn works_or_unknown_error<T>(outcome: WebApiResult<T>, what: &str) -> Option<T> {
    match outcome {
        Ok(value) => Some(value),
        Err(e) => {
            assert_eq!(e.name, DomExceptionName::UnknownError, "{what}: {e}");
            None
        }
    }
}

#[test]
fn every_flipped_bit_of_the_key_and_the_database_header_is_an_error_or_harmless_and_undone_by_restoring_it()
 {
    // On a RAM file system where there is one: some 450 of the writes below succeed, and
    // each waits for its commit to reach the disk.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        shm.join(format!(
            "mls-webapi-storage-bit-flips-{}",
            std::process::id()
        ))
    } else {
        temp_dir("bit-flips")
    };
    let _ = std::fs::remove_dir_all(&dir);
    let p = populated(&dir);
    let origin_dir = only_origin_dir(&dir);
    let key_path = origin_dir.join("key");
    let database_path = origin_dir.join("state.sqlite");
    let key = std::fs::read(&key_path).unwrap();
    let database = std::fs::read(&database_path).unwrap();
    assert_eq!(key.len(), 32);
    // In place, without truncating: rewriting a truncated file makes some file systems
    // flush it, which would make this test slow.
    let overwrite = |path: &PathBuf, offset: usize, bytes: &[u8]| {
        use std::io::{Seek, SeekFrom, Write};
        let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        file.seek(SeekFrom::Start(offset as u64)).unwrap();
        file.write_all(bytes).unwrap();
        file
    };
    let restore = |path: &PathBuf| {
        let original = if path == &key_path { &key } else { &database };
        let file = overwrite(path, 0, original);
        file.set_len(original.len() as u64).unwrap();
    };
    let header = 0..100;
    let flips = (0..key.len() * 8)
        .map(|bit| (&key_path, bit))
        .chain((header.start * 8..header.end * 8).map(|bit| (&database_path, bit)));
    for (path, bit) in flips {
        let what = format!("bit {bit} of {}", path.display());
        let original = if path == &key_path { &key } else { &database };
        let byte = original[bit / 8] ^ (1 << (bit % 8));
        overwrite(path, bit / 8, &[byte]);
        let before = p.mls.state_snapshot().unwrap();

        let read = works_or_unknown_error(p.group.views[1].details(), &what);
        let write = works_or_unknown_error(p.mls.generate_identity(), &what);
        if path == &key_path {
            // A key that is not the records' key never reads them and never writes.
            assert!(read.is_none() && write.is_none(), "{what}");
        }
        if let Some(details) = &read {
            assert_eq!(details, &p.details[1], "{what}");
        }
        if write.is_some() {
            // The flip was harmless: the state is the old one, with a new identity.
            p.reads_intact(&format!("after writing with {what}"));
            restore(path);
            p.reads_intact(&format!("after restoring {what}"));
        } else {
            // Nothing was written: restoring the bit restores the files byte for byte.
            assert_eq!(*p.mls.state_snapshot().unwrap(), *before, "{what}");
            restore(path);
        }
    }
    p.every_record_intact();
    let _ = std::fs::remove_dir_all(&dir);
}
