//! Finding the RFC 9420 vector files.
//!
//! The upstream files are never committed to this repository (their upstream has no
//! license): the harness reads them from `$MLS_TEST_VECTORS` when it is set, else from
//! `../shared/test-vectors`, else from `test-vectors/rfc9420` (where
//! `test-vectors/fetch.sh` puts them). A relative path is tried against the current
//! directory and then against the workspace root. When none holds a vector file, the run
//! fails and says where it looked.

use std::path::{Path, PathBuf};

/// The sixteen upstream files and the kind of each.
pub const UPSTREAM_FILES: &[(&str, &str)] = &[
    ("tree-math.json", "tree-math"),
    ("crypto-basics.json", "crypto-basics"),
    ("deserialization.json", "deserialization"),
    ("secret-tree.json", "secret-tree"),
    ("key-schedule.json", "key-schedule"),
    ("psk_secret.json", "psk_secret"),
    ("transcript-hashes.json", "transcript-hashes"),
    ("messages.json", "messages"),
    ("message-protection.json", "message-protection"),
    ("tree-operations.json", "tree-operations"),
    ("tree-validation.json", "tree-validation"),
    ("treekem.json", "treekem"),
    ("welcome.json", "welcome"),
    ("passive-client-welcome.json", "passive-client-welcome"),
    (
        "passive-client-handling-commit.json",
        "passive-client-handling-commit",
    ),
    ("passive-client-random.json", "passive-client-random"),
];

/// The environment variable that names the vector directory.
pub const ENV_VAR: &str = "MLS_TEST_VECTORS";

/// The kind of an upstream-named file (`.../tree-math.json` → `tree-math`).
pub fn kind_of_file(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    UPSTREAM_FILES
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, kind)| *kind)
}

/// The workspace root (the directory above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The places a path names: itself if absolute, else against the current directory and
/// against the workspace root.
fn resolutions(path: &Path) -> Vec<PathBuf> {
    if path.is_absolute() {
        vec![path.to_path_buf()]
    } else {
        let mut out = vec![path.to_path_buf()];
        let rooted = workspace_root().join(path);
        if rooted != out[0] {
            out.push(rooted);
        }
        out
    }
}

/// The directories that will be tried, in order.
pub fn candidate_dirs() -> Vec<PathBuf> {
    match std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
        Some(dir) => resolutions(Path::new(&dir)),
        None => ["../shared/test-vectors", "test-vectors/rfc9420"]
            .iter()
            .flat_map(|p| resolutions(Path::new(p)))
            .collect(),
    }
}

/// The upstream-named vector files in `dir`, in the order of [`UPSTREAM_FILES`].
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    UPSTREAM_FILES
        .iter()
        .map(|(file, _)| dir.join(file))
        .filter(|p| p.is_file())
        .collect()
}

/// The first candidate directory that holds at least one upstream vector file, or an
/// error that lists every place looked at.
pub fn find_vector_dir() -> Result<PathBuf, String> {
    let candidates = candidate_dirs();
    for dir in &candidates {
        if !files_in(dir).is_empty() {
            return Ok(dir.clone());
        }
    }
    let looked: Vec<String> = candidates
        .iter()
        .map(|d| format!("  {}", d.display()))
        .collect();
    let how = match std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
        Some(_) => format!("${ENV_VAR} is set, so only it was tried"),
        None => format!("${ENV_VAR} is not set"),
    };
    Err(format!(
        "no RFC 9420 test vector files found ({how}); looked in:\n{}\n\
         Point ${ENV_VAR} at a directory holding the upstream JSON files, \
         or run test-vectors/fetch.sh.",
        looked.join("\n")
    ))
}

/// The cases of a vector file: the elements of its top-level JSON array.
pub fn load_cases(path: &Path) -> Result<Vec<serde_json::Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Array(cases)) => Ok(cases),
        Ok(_) => Err(format!(
            "{}: not a JSON array of test cases",
            path.display()
        )),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The name of case `index` of `file_stem`: `<file>/<suite>/<index>`, with `-` where
/// the case names no cipher suite.
pub fn case_name(file_stem: &str, case: &serde_json::Value, index: usize) -> String {
    match case.get("cipher_suite").and_then(serde_json::Value::as_u64) {
        Some(suite) => format!("{file_stem}/{suite}/{index}"),
        None => format!("{file_stem}/-/{index}"),
    }
}

/// Runs one case; a panic in the runner is a failure, not a crash of the harness.
pub fn run_case(kind: crate::runners::Kind, case: &serde_json::Value) -> crate::Outcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (kind.run)(case))) {
        Ok(result) => result.into(),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            crate::Outcome::Failed(format!("runner panicked: {msg}"))
        }
    }
}
