//! Finding the scenario scripts: every `*.json` file of a directory, by default
//! `conformance/scenarios/`.

use std::path::{Path, PathBuf};

use super::script::Script;
use super::validation::validate;
use crate::drivers::Registry;

/// The directory of the committed scripts: `conformance/scenarios/`.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// One script file: its path and the script, or why it cannot be played.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file.
    pub path: PathBuf,
    /// The script, or what is wrong with the file (it cannot be read, parsed, or has
    /// problems).
    pub script: Result<Script, String>,
}

impl Entry {
    /// The script's name, or the file's stem when the script is broken.
    pub fn name(&self) -> String {
        match &self.script {
            Ok(script) => script.name.clone(),
            Err(_) => crate::report::file_stem(&self.path),
        }
    }
}

/// Every `*.json` file of `dir`, sorted by file name, each loaded and validated against
/// `registry`. Fails only when the directory cannot be read or holds no script.
pub fn load_dir(dir: &Path, registry: &Registry) -> Result<Vec<Entry>, String> {
    let listing = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = listing
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!("no scenario script (*.json) in {}", dir.display()));
    }
    Ok(paths.into_iter().map(|p| load(&p, registry)).collect())
}

/// Loads and validates one script file.
pub fn load(path: &Path, registry: &Registry) -> Entry {
    let script = Script::load(path).and_then(|script| {
        validate(&script, registry)
            .map(|()| script)
            .map_err(|e| format!("{}: {e}", path.display()))
    });
    Entry {
        path: path.to_path_buf(),
        script,
    }
}
