//! The reviewed disagreements: `conformance/decoding-expectations.toml`.
//!
//! Each `[[disagreement]]` entry covers disagreements of one cause:
//!
//! ```toml
//! [[disagreement]]
//! pattern = "messages/*/remove_proposal#flip@*"   # over input ids; `*` matches any run;
//!                                                 # or a list of such patterns
//! levels = ["decode", "message"]                  # optional; both when left out
//! accepted_by = ["ours", "openmls"]               # exactly the engines that accepted
//! panicked_by = []                                # optional; exactly those that panicked
//! right = ["ours", "openmls"]                     # who is right per RFC 9420
//! rfc = "§12.1.3"                                 # the section that decides it
//! reason = "one line: what differs and why the RFC decides it so"
//! ```
//!
//! A disagreement is covered by an entry when its id matches a pattern, its level is
//! in `levels`, and its split is exactly `accepted_by` / `panicked_by` (the other engines
//! that could judge it rejected). The check fails on a disagreement covered by no entry
//! or by several, and on an entry that covers nothing, so the file can only describe
//! what really happens.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Disagreement;
use super::engines::NAMES;
use super::verdict::Level;
use crate::expectations::glob_match;

/// The parsed file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecodingExpectations {
    /// The entries, in file order.
    #[serde(default)]
    pub disagreement: Vec<Entry>,
}

/// One `[[disagreement]]` entry: one cause.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The input ids it covers, `*` matching any run of characters.
    pub pattern: Patterns,
    /// The levels it covers; both when absent.
    #[serde(default)]
    pub levels: Option<Vec<String>>,
    /// Exactly the engines that accept.
    pub accepted_by: Vec<String>,
    /// Exactly the engines that panic.
    #[serde(default)]
    pub panicked_by: Vec<String>,
    /// The engines whose verdict RFC 9420 supports.
    pub right: Vec<String>,
    /// The RFC 9420 section(s) that decide it.
    pub rfc: String,
    /// One line: the cause, and why the RFC decides it so.
    pub reason: String,
}

/// One pattern or several, any of which may match.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Patterns {
    /// `pattern = "a/*"`.
    One(String),
    /// `pattern = ["a/*", "b/*"]`.
    Many(Vec<String>),
}

impl Patterns {
    /// The patterns, as a slice.
    pub fn as_slice(&self) -> &[String] {
        match self {
            Patterns::One(p) => std::slice::from_ref(p),
            Patterns::Many(ps) => ps,
        }
    }

    /// Whether any pattern matches `id`.
    pub fn matches(&self, id: &str) -> bool {
        self.as_slice().iter().any(|p| glob_match(p, id))
    }
}

impl std::fmt::Display for Patterns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_slice().join(" | "))
    }
}

/// Where the file lives.
pub fn default_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("decoding-expectations.toml")
}

impl Entry {
    /// Whether this entry covers `d`.
    pub fn covers(&self, d: &Disagreement) -> bool {
        let level_ok = match &self.levels {
            None => true,
            Some(levels) => levels.iter().any(|l| l == d.level.name()),
        };
        level_ok
            && self.pattern.matches(&d.id)
            && names(&self.accepted_by) == d.accepted_by()
            && names(&self.panicked_by) == d.panicked_by()
    }

    fn check(&self, n: usize) -> Result<(), String> {
        let at = format!("entry {n} ({})", self.pattern);
        let patterns = self.pattern.as_slice();
        if patterns.is_empty() || patterns.iter().any(|p| p.trim().is_empty()) {
            return Err(format!("entry {n}: a pattern is empty"));
        }
        for (field, list) in [
            ("accepted_by", &self.accepted_by),
            ("panicked_by", &self.panicked_by),
            ("right", &self.right),
        ] {
            if let Some(unknown) = list.iter().find(|e| !NAMES.contains(&e.as_str())) {
                return Err(format!("{at}: {field} names unknown engine {unknown:?}"));
            }
        }
        if self.right.is_empty() {
            return Err(format!("{at}: right must name at least one engine"));
        }
        if let Some(levels) = &self.levels {
            if levels.is_empty() {
                return Err(format!("{at}: levels is empty (leave it out for both)"));
            }
            if let Some(unknown) = levels.iter().find(|l| Level::from_name(l).is_none()) {
                return Err(format!("{at}: unknown level {unknown:?}"));
            }
        }
        for (field, text) in [("rfc", &self.rfc), ("reason", &self.reason)] {
            if text.trim().is_empty() || text.contains('\n') {
                return Err(format!("{at}: {field} must be one non-empty line"));
            }
        }
        Ok(())
    }
}

fn names(list: &[String]) -> BTreeSet<&str> {
    list.iter().map(String::as_str).collect()
}

impl DecodingExpectations {
    /// Parses and checks the TOML text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parsed: DecodingExpectations = toml::from_str(text).map_err(|e| e.to_string())?;
        for (i, entry) in parsed.disagreement.iter().enumerate() {
            entry.check(i + 1)?;
        }
        Ok(parsed)
    }

    /// Reads and parses the file at `path`; errors name the file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Every way `found` and this file differ: a disagreement no entry covers, one that
    /// several cover, and an entry that covers nothing. Empty when they match.
    pub fn problems(&self, found: &[Disagreement]) -> Vec<String> {
        let mut problems = Vec::new();
        let mut used = vec![false; self.disagreement.len()];
        for d in found {
            let covering: Vec<usize> = self
                .disagreement
                .iter()
                .enumerate()
                .filter(|(_, e)| e.covers(d))
                .map(|(i, _)| i)
                .collect();
            for &i in &covering {
                used[i] = true;
            }
            match covering.as_slice() {
                [] => problems.push(format!("not in the expectations: {d}")),
                [_] => {}
                several => {
                    let patterns: Vec<String> = several
                        .iter()
                        .map(|&i| self.disagreement[i].pattern.to_string())
                        .collect();
                    problems.push(format!(
                        "covered by {} entries ({}): {} {}",
                        several.len(),
                        patterns.join(", "),
                        d.level,
                        d.id
                    ));
                }
            }
        }
        for (entry, used) in self.disagreement.iter().zip(used) {
            if !used {
                problems.push(format!(
                    "stale entry, covers no disagreement: pattern {}, accepted_by {:?}",
                    entry.pattern, entry.accepted_by
                ));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::differential::structure::Structure;
    use crate::differential::verdict::Verdict;

    fn remove_flip(level: Level) -> Disagreement {
        Disagreement {
            id: "messages/-/0/remove_proposal#flip@0".into(),
            level,
            structure: Structure::Remove,
            verdicts: vec![
                ("ours", Verdict::Accepted),
                ("openmls", Verdict::Accepted),
                ("mls-rs", Verdict::Rejected("InvalidLeafIndex".into())),
            ],
        }
    }

    const ENTRY: &str = r#"
        [[disagreement]]
        pattern = "messages/*/remove_proposal#flip@*"
        accepted_by = ["ours", "openmls"]
        right = ["ours", "openmls"]
        rfc = "§12.1.3"
        reason = "mls-rs caps leaf indices"
    "#;

    #[test]
    fn an_entry_covers_a_disagreement_with_its_pattern_level_and_split() {
        let e = DecodingExpectations::parse(ENTRY).unwrap();
        let found = [remove_flip(Level::Decode), remove_flip(Level::Message)];
        assert!(e.problems(&found).is_empty());
    }

    #[test]
    fn a_different_split_is_not_covered() {
        let e = DecodingExpectations::parse(ENTRY).unwrap();
        let mut d = remove_flip(Level::Decode);
        d.verdicts[1].1 = Verdict::Rejected("x".into());
        let problems = e.problems(&[d]);
        assert_eq!(problems.len(), 2, "{problems:?}"); // uncovered, and a stale entry
        assert!(problems[0].starts_with("not in the expectations"));
        assert!(problems[1].starts_with("stale entry"));
    }

    #[test]
    fn a_level_list_restricts_an_entry() {
        let text = ENTRY.replace("accepted_by", "levels = [\"decode\"]\naccepted_by");
        let e = DecodingExpectations::parse(&text).unwrap();
        let problems = e.problems(&[remove_flip(Level::Message)]);
        assert!(problems[0].starts_with("not in the expectations"));
    }

    #[test]
    fn a_disagreement_covered_twice_is_reported() {
        let e = DecodingExpectations::parse(&format!("{ENTRY}\n{}", ENTRY.replace("flip@*", "*")))
            .unwrap();
        let problems = e.problems(&[remove_flip(Level::Decode)]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("covered by 2 entries"));
    }

    #[test]
    fn a_list_of_patterns_matches_any_of_them() {
        let text = ENTRY.replace(
            "pattern = \"messages/*/remove_proposal#flip@*\"",
            "pattern = [\"welcome/*\", \"messages/*/remove_proposal*\"]",
        );
        let e = DecodingExpectations::parse(&text).unwrap();
        assert!(e.problems(&[remove_flip(Level::Decode)]).is_empty());
        let empty = ENTRY.replace("\"messages/*/remove_proposal#flip@*\"", "[]");
        assert!(DecodingExpectations::parse(&empty).is_err());
    }

    #[test]
    fn entries_with_unknown_engines_levels_or_fields_are_rejected() {
        assert!(
            DecodingExpectations::parse(&ENTRY.replace("\"openmls\"]", "\"gnutls\"]")).is_err()
        );
        let bad_level = ENTRY.replace("accepted_by", "levels = [\"group\"]\naccepted_by");
        assert!(DecodingExpectations::parse(&bad_level).is_err());
        assert!(DecodingExpectations::parse(&format!("{ENTRY}\nwhy = \"x\"")).is_err());
        assert!(DecodingExpectations::parse(&ENTRY.replace("§12.1.3", " ")).is_err());
    }

    #[test]
    fn the_committed_file_parses() {
        DecodingExpectations::load(&default_path()).unwrap();
    }
}
