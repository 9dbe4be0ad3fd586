//! The known failures of the `cargo test` gate: `conformance/expectations.toml`.
//!
//! Each `[[expected_failure]]` entry names cases by a pattern over case names
//! (`<file-stem>/<suite>/<index>`, `*` matching any run of characters) and says in one
//! line why they fail. The gate fails on any failure not listed, on a listed case that
//! passes, and on an entry that matches nothing or no failing case, so the list can only
//! shrink honestly. `mlsconf vectors` ignores this file: it never hides anything.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The parsed expectations file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// The entries, in file order.
    #[serde(default)]
    pub expected_failure: Vec<ExpectedFailure>,
}

/// One `[[expected_failure]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailure {
    /// The case names it covers, e.g. `"treekem/*"` or `"welcome/4/3"`.
    pub pattern: String,
    /// Why they fail, in one line.
    pub reason: String,
}

/// Where the expectations file lives: `conformance/expectations.toml`.
pub fn default_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("expectations.toml")
}

impl Expectations {
    /// Parses and checks the TOML text: every entry needs a pattern and a one-line
    /// reason, and no pattern may appear twice.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parsed: Expectations = toml::from_str(text).map_err(|e| e.to_string())?;
        for (i, entry) in parsed.expected_failure.iter().enumerate() {
            let n = i + 1;
            if entry.pattern.trim().is_empty() {
                return Err(format!("entry {n}: the pattern is empty"));
            }
            if entry.reason.trim().is_empty() || entry.reason.contains('\n') {
                return Err(format!(
                    "entry {n} ({}): the reason must be one non-empty line",
                    entry.pattern
                ));
            }
            if parsed.expected_failure[..i]
                .iter()
                .any(|e| e.pattern == entry.pattern)
            {
                return Err(format!(
                    "entry {n}: pattern {} appears twice",
                    entry.pattern
                ));
            }
        }
        Ok(parsed)
    }

    /// Reads and parses the file at `path`; errors name the file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The first entry whose pattern matches `case_name`.
    pub fn matching(&self, case_name: &str) -> Option<&ExpectedFailure> {
        self.expected_failure
            .iter()
            .find(|e| glob_match(&e.pattern, case_name))
    }
}

/// Whether `name` matches `pattern`, where `*` matches any run of characters (also `/`)
/// and every other character matches itself.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let middle: Vec<&str> = parts.collect();
    let Some((last, middle)) = middle.split_last() else {
        return rest.is_empty(); // no `*` at all
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_without_a_star_matches_only_itself() {
        assert!(glob_match("welcome/1/0", "welcome/1/0"));
        assert!(!glob_match("welcome/1/0", "welcome/1/00"));
        assert!(!glob_match("welcome/1/0", "welcome/1/"));
    }

    #[test]
    fn a_star_matches_any_run_of_characters_including_slashes() {
        assert!(glob_match("treekem/*", "treekem/1/0"));
        assert!(glob_match("treekem/*", "treekem/"));
        assert!(!glob_match("treekem/*", "treekem"));
        assert!(!glob_match("treekem/*", "tree-math/-/0"));
        assert!(glob_match("*/4/*", "welcome/4/3"));
        assert!(!glob_match("*/4/*", "welcome/5/3"));
        assert!(glob_match("passive-client-*", "passive-client-random/1/0"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "abc"));
        assert!(!glob_match("a*bc*c", "abc"));
    }

    #[test]
    fn the_first_matching_entry_is_the_one_reported() {
        let e = Expectations::parse(
            r#"
            [[expected_failure]]
            pattern = "welcome/4/*"
            reason = "X448"

            [[expected_failure]]
            pattern = "welcome/*"
            reason = "not implemented yet"
            "#,
        )
        .unwrap();
        assert_eq!(e.matching("welcome/4/3").unwrap().reason, "X448");
        assert_eq!(
            e.matching("welcome/1/0").unwrap().reason,
            "not implemented yet"
        );
        assert!(e.matching("treekem/1/0").is_none());
    }

    #[test]
    fn an_empty_file_expects_no_failure() {
        assert!(Expectations::parse("").unwrap().expected_failure.is_empty());
    }

    #[test]
    fn entries_without_a_reason_or_with_unknown_keys_are_rejected() {
        let no_reason = "[[expected_failure]]\npattern = \"a/*\"\nreason = \" \"\n";
        assert!(Expectations::parse(no_reason).is_err());
        let missing = "[[expected_failure]]\npattern = \"a/*\"\n";
        assert!(Expectations::parse(missing).is_err());
        let typo = "[[expected_failure]]\npattern = \"a/*\"\nreason = \"r\"\nreson = \"r\"\n";
        assert!(Expectations::parse(typo).is_err());
        let twice = "[[expected_failure]]\npattern = \"a\"\nreason = \"r\"\n\
                     [[expected_failure]]\npattern = \"a\"\nreason = \"s\"\n";
        assert!(Expectations::parse(twice).is_err());
    }

    #[test]
    fn the_committed_expectations_file_parses() {
        Expectations::load(&default_path()).unwrap();
    }
}
