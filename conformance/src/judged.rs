//! A vector report judged against `conformance/expectations.toml`, for `mlsconf report`.
//!
//! A failing case that the file lists is an *expected failure*: shown, counted apart,
//! and not a reason for a non-zero exit. Any other failure is one. A listed case that
//! passes, and an entry that matches no failing case, are shown as stale so the list can
//! shrink, as the `cargo test` gate demands; they do not fail the report.

use crate::Outcome;
use crate::expectations::{Expectations, ExpectedFailure, glob_match};
use crate::report::{FileReport, Report};

/// How one case stands against the expectations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement<'a> {
    /// It passed and is not listed.
    Passed,
    /// It failed and is not listed: a real failure.
    Failed(&'a str),
    /// It failed and is listed.
    ExpectedFailure(&'a ExpectedFailure),
    /// It passed but is listed: the entry is stale.
    UnexpectedPass(&'a ExpectedFailure),
    /// It could not be checked.
    Skipped(&'a str),
}

/// Counts of a file or of the whole run, with expected failures apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct JudgedCounts {
    /// Cases.
    pub cases: usize,
    /// Passed (listed or not).
    pub passed: usize,
    /// Failed and not listed, plus unreadable files.
    pub failed: usize,
    /// Failed and listed.
    pub expected_failures: usize,
    /// Skipped.
    pub skipped: usize,
}

/// A report and the expectations it is judged by.
pub struct Judged<'a> {
    /// The vector report.
    pub report: &'a Report,
    /// The known failures.
    pub expectations: &'a Expectations,
}

impl<'a> Judged<'a> {
    /// Judges `report` by `expectations`.
    pub fn new(report: &'a Report, expectations: &'a Expectations) -> Self {
        Judged {
            report,
            expectations,
        }
    }

    /// How the case `name` with `outcome` stands.
    pub fn judge(&self, name: &str, outcome: &'a Outcome) -> Judgement<'a> {
        match (outcome, self.expectations.matching(name)) {
            (Outcome::Passed, None) => Judgement::Passed,
            (Outcome::Passed, Some(entry)) => Judgement::UnexpectedPass(entry),
            (Outcome::Failed(message), None) => Judgement::Failed(message),
            (Outcome::Failed(_), Some(entry)) => Judgement::ExpectedFailure(entry),
            (Outcome::Skipped(reason), _) => Judgement::Skipped(reason),
        }
    }

    /// The counts of one file.
    pub fn file_counts(&self, file: &'a FileReport) -> JudgedCounts {
        let mut counts = JudgedCounts {
            cases: file.cases.len(),
            failed: usize::from(file.error.is_some()),
            ..JudgedCounts::default()
        };
        for case in &file.cases {
            match self.judge(&case.name, &case.outcome) {
                Judgement::Passed | Judgement::UnexpectedPass(_) => counts.passed += 1,
                Judgement::Failed(_) => counts.failed += 1,
                Judgement::ExpectedFailure(_) => counts.expected_failures += 1,
                Judgement::Skipped(_) => counts.skipped += 1,
            }
        }
        counts
    }

    /// The counts over all files.
    pub fn totals(&self) -> JudgedCounts {
        self.report.files.iter().map(|f| self.file_counts(f)).fold(
            JudgedCounts::default(),
            |a, b| JudgedCounts {
                cases: a.cases + b.cases,
                passed: a.passed + b.passed,
                failed: a.failed + b.failed,
                expected_failures: a.expected_failures + b.expected_failures,
                skipped: a.skipped + b.skipped,
            },
        )
    }

    /// Whether no failure is left once the expected ones are set aside.
    pub fn all_passed(&self) -> bool {
        self.totals().failed == 0
    }

    /// Every failure not listed, as (case or file, message).
    pub fn failures(&self) -> Vec<(&'a str, &'a str)> {
        let mut out = Vec::new();
        for file in &self.report.files {
            if let Some(error) = &file.error {
                out.push((file.file.as_str(), error.as_str()));
            }
            for case in &file.cases {
                if let Judgement::Failed(message) = self.judge(&case.name, &case.outcome) {
                    out.push((case.name.as_str(), message));
                }
            }
        }
        out
    }

    /// Every entry with how many cases it excused, in file order (0 for a stale entry).
    pub fn expected(&self) -> Vec<(&'a ExpectedFailure, usize)> {
        self.expectations
            .expected_failure
            .iter()
            .map(|entry| {
                let excused = self
                    .report
                    .files
                    .iter()
                    .flat_map(|f| &f.cases)
                    .filter(|c| {
                        matches!(self.judge(&c.name, &c.outcome),
                            Judgement::ExpectedFailure(e) if std::ptr::eq(e, entry))
                    })
                    .count();
                (entry, excused)
            })
            .collect()
    }

    /// Listed cases that pass: (case, entry).
    pub fn unexpected_passes(&self) -> Vec<(&'a str, &'a ExpectedFailure)> {
        self.report
            .files
            .iter()
            .flat_map(|f| &f.cases)
            .filter_map(|c| match self.judge(&c.name, &c.outcome) {
                Judgement::UnexpectedPass(entry) => Some((c.name.as_str(), entry)),
                _ => None,
            })
            .collect()
    }

    /// Entries that excuse no failing case of this run (their pattern may match cases
    /// of files that were not run).
    pub fn stale_entries(&self) -> Vec<&'a ExpectedFailure> {
        self.expected()
            .into_iter()
            .filter(|(entry, excused)| {
                *excused == 0
                    && self
                        .report
                        .files
                        .iter()
                        .flat_map(|f| &f.cases)
                        .any(|c| glob_match(&entry.pattern, &c.name))
            })
            .map(|(entry, _)| entry)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CaseReport;
    use std::path::PathBuf;

    fn report(outcomes: &[(&str, Outcome)]) -> Report {
        Report {
            files: vec![FileReport {
                file: "w.json".into(),
                path: PathBuf::from("w.json"),
                kind: "welcome",
                note: None,
                error: None,
                cases: outcomes
                    .iter()
                    .map(|(name, outcome)| CaseReport {
                        name: (*name).to_owned(),
                        outcome: outcome.clone(),
                    })
                    .collect(),
            }],
        }
    }

    fn expectations(pattern: &str) -> Expectations {
        Expectations::parse(&format!(
            "[[expected_failure]]\npattern = \"{pattern}\"\nreason = \"not yet\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn a_listed_failure_is_expected_and_does_not_fail_the_run() {
        let report = report(&[
            ("w/1/0", Outcome::Failed("x".into())),
            ("w/2/0", Outcome::Passed),
        ]);
        let expected = expectations("w/1/*");
        let judged = Judged::new(&report, &expected);
        assert!(judged.all_passed());
        let totals = judged.totals();
        assert_eq!((totals.passed, totals.expected_failures), (1, 1));
        assert_eq!(judged.expected()[0].1, 1);
        assert!(judged.stale_entries().is_empty());
    }

    #[test]
    fn an_unlisted_failure_fails_the_run_and_is_named() {
        let report = report(&[("w/3/0", Outcome::Failed("field y".into()))]);
        let expected = expectations("w/1/*");
        let judged = Judged::new(&report, &expected);
        assert!(!judged.all_passed());
        assert_eq!(judged.failures(), [("w/3/0", "field y")]);
    }

    #[test]
    fn a_listed_case_that_passes_is_shown_as_stale_without_failing() {
        let report = report(&[("w/1/0", Outcome::Passed)]);
        let expected = expectations("w/1/*");
        let judged = Judged::new(&report, &expected);
        assert!(judged.all_passed());
        assert_eq!(judged.unexpected_passes().len(), 1);
        assert_eq!(judged.stale_entries().len(), 1);
    }

    #[test]
    fn an_entry_for_files_not_run_is_not_called_stale() {
        let report = report(&[("w/1/0", Outcome::Passed)]);
        let expected = expectations("treekem/*");
        assert!(Judged::new(&report, &expected).stale_entries().is_empty());
    }
}
