//! Reviewed findings of `explore`: failures that are a peer's fault per RFC 9420,
//! listed in `conformance/explore-expectations.toml`, as the decoding differential lists
//! its disagreements in `conformance/decoding-expectations.toml`.
//!
//! An entry matches a failure when the failing step is of the entry's `action`, the
//! failure message names the entry's `engine`, and it contains the entry's `message`.
//! A matched failure is counted as expected, not as a failure. Our own engine is never
//! an entry: its failures get fixed.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::scenario::Action;

/// One reviewed finding.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The engine at fault (never `ours`).
    pub engine: String,
    /// The script action at which it shows, as spelled in JSON (`replay`).
    pub action: String,
    /// A piece of the failure message that identifies it.
    pub message: String,
    /// The RFC 9420 section(s) that decide it.
    pub rfc: String,
    /// The cause, and why the RFC decides it so.
    pub why: String,
}

/// Every reviewed finding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExploreExpectations {
    /// The findings, in file order.
    #[serde(default)]
    pub finding: Vec<Finding>,
}

/// `conformance/explore-expectations.toml`.
pub fn default_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("explore-expectations.toml")
}

/// The JSON spelling of an action's name (`send_after_removal`).
pub fn action_name(action: &Action) -> String {
    serde_json::to_value(action)
        .ok()
        .and_then(|v| v.get("action").and_then(|a| a.as_str().map(str::to_owned)))
        .unwrap_or_default()
}

impl ExploreExpectations {
    /// Parses the file's text; `ours` may not be an entry's engine.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parsed: ExploreExpectations = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(ours) = parsed.finding.iter().find(|f| f.engine == "ours") {
            return Err(format!(
                "a finding against ours is a bug to fix, not an expectation: {:?}",
                ours.why
            ));
        }
        Ok(parsed)
    }

    /// Reads `path`; errors name the file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The finding that explains a failure of `action` with `message`, if any.
    pub fn explains(&self, action: &Action, message: &str) -> Option<&Finding> {
        let name = action_name(action);
        self.finding.iter().find(|f| {
            f.action == name && message.contains(&f.engine) && message.contains(&f.message)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_explains_only_its_action_engine_and_message() {
        let found = ExploreExpectations::parse(
            r#"[[finding]]
               engine = "mls-rs"
               action = "replay"
               message = "accepted a replayed message"
               rfc = "§9.2"
               why = "a test entry""#,
        )
        .unwrap();
        let message = "c2 accepted a replayed message from c1: mls-rs said so";
        assert!(found.explains(&Action::Replay, message).is_some());
        assert!(found.explains(&Action::StaleCommit, message).is_none());
        assert!(
            found
                .explains(&Action::Replay, "c2 accepted a replayed message: openmls")
                .is_none()
        );
    }

    #[test]
    fn ours_is_never_an_expectation() {
        let text = r#"[[finding]]
            engine = "ours"
            action = "replay"
            message = "x"
            rfc = "§9.2"
            why = "no""#;
        assert!(ExploreExpectations::parse(text).is_err());
    }

    #[test]
    fn the_committed_file_parses() {
        ExploreExpectations::load(&default_path()).unwrap();
    }
}
