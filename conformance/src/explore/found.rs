//! Keeping what `explore` found: each shrunk failing script is written as a JSON script
//! under `conformance/scenarios/found/`, named from the seed and a hash of the script,
//! and `cargo test` (tests/found_scenarios.rs) replays every script there on every
//! engine, forever.

use std::path::{Path, PathBuf};

use crate::scenario::Script;

/// `conformance/scenarios/found/`.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/found")
}

/// FNV-1a, 64 bits: a stable hash for file names (std's hasher may change between
/// releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The file name of a script found with `seed`: `<seed>-<hash>.json`.
pub fn file_name(seed: u64, script: &Script) -> String {
    let json = serde_json::to_string(&script.steps).unwrap_or_default();
    let clients = serde_json::to_string(&script.clients).unwrap_or_default();
    let hash = fnv1a(format!("{clients}{json}").as_bytes());
    format!("{seed}-{hash:016x}.json")
}

/// Writes `script`, found with `seed` and failing with `message`, into `dir`; the
/// script's name and description record both. Returns the path written.
pub fn write(dir: &Path, seed: u64, script: &Script, message: &str) -> Result<PathBuf, String> {
    let file = file_name(seed, script);
    let mut kept = script.clone();
    kept.name = format!("found-{}", file.trim_end_matches(".json"));
    kept.group_id = Some(script.name.clone());
    kept.description = format!("Found by `mlsconf explore --seed {seed}`; it failed: {message}");
    let json = serde_json::to_string_pretty(&kept).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(file);
    std::fs::write(&path, json + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Every `*.json` file of `dir`, sorted; none when the folder does not exist.
pub fn scripts_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = listing
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// `script` with every client on `engine`.
pub fn rebound(script: &Script, engine: &str) -> Script {
    let mut script = script.clone();
    for client in &mut script.clients {
        client.engine = Some(engine.to_owned());
        client.role = None;
    }
    script
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_script_reads_back_under_its_seed_and_hash() {
        let dir = std::env::temp_dir().join(format!("explore-found-{}", std::process::id()));
        let script = Script::parse(
            r#"{"name":"explore","clients":[{"name":"c1","engine":"ours"}],
                "steps":[{"action":"create_group","by":"c1"}]}"#,
        )
        .unwrap();
        let path = write(&dir, 7, &script, "c2 accepted it").unwrap();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        assert!(name.starts_with("7-") && name.ends_with(".json"), "{name}");
        assert_eq!(scripts_in(&dir).unwrap(), std::slice::from_ref(&path));
        let again = Script::load(&path).unwrap();
        assert_eq!(again.steps, script.steps);
        assert!(again.description.contains("c2 accepted it"));
        assert_eq!(again.group_id(), b"explore");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_folder_holds_no_script() {
        assert!(
            scripts_in(Path::new("/nonexistent/found"))
                .unwrap()
                .is_empty()
        );
    }
}
