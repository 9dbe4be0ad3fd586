//! Running whole vector files and reporting on them: the engine of `mlsconf vectors`.
//!
//! [`Plan::load`] reads the files, [`Plan::run`] checks every case (on a few threads,
//! with results kept in file and case order), and the [`Report`] renders as a text table
//! ([`Report::render_text`]) or as one JSON object ([`Report::to_json`]).

use crate::Outcome;
use crate::runners::Kind;
use crate::vectors;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A vector file and the kind it is checked as.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its kind.
    pub kind: Kind,
}

/// Loaded files, ready to run.
pub struct Plan {
    files: Vec<LoadedFile>,
}

struct LoadedFile {
    path: PathBuf,
    kind: Kind,
    cases: Result<Vec<serde_json::Value>, String>,
}

/// How one case ended, under its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReport {
    /// `<file-stem>/<suite>/<index>`.
    pub name: String,
    /// The outcome.
    pub outcome: Outcome,
}

/// How one file went.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file name, e.g. `tree-math.json`.
    pub file: String,
    /// The path as given.
    pub path: PathBuf,
    /// The kind it was checked as.
    pub kind: &'static str,
    /// The kind's note on how it is checked (see [`Kind::note`]).
    pub note: Option<&'static str>,
    /// Why the file could not be read, if it could not (counts as one failure).
    pub error: Option<String>,
    /// Every case, in file order.
    pub cases: Vec<CaseReport>,
}

/// The outcome of a whole run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The files, in the order given.
    pub files: Vec<FileReport>,
}

/// Pass, fail and skip counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cases in the files.
    pub cases: usize,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed, plus files that could not be read.
    pub failed: usize,
    /// Cases that were skipped.
    pub skipped: usize,
}

impl Plan {
    /// Reads every file. A file that cannot be read or parsed is kept and reported as a
    /// failure, so one bad file does not stop the run.
    pub fn load(targets: &[Target]) -> Plan {
        let files = targets
            .iter()
            .map(|t| LoadedFile {
                path: t.path.to_path_buf(),
                kind: t.kind,
                cases: vectors::load_cases(t.path),
            })
            .collect();
        Plan { files }
    }

    /// The number of cases to run.
    pub fn case_count(&self) -> usize {
        self.files
            .iter()
            .map(|f| f.cases.as_ref().map_or(0, Vec::len))
            .sum()
    }

    /// Runs every case on up to `threads` threads, calling `tick` after each case. The
    /// report keeps file and case order whatever the threads do.
    pub fn run(&self, threads: usize, tick: &(dyn Fn() + Sync)) -> Report {
        let jobs: Vec<(Kind, &serde_json::Value)> = self
            .files
            .iter()
            .flat_map(|f| {
                let cases = f.cases.as_deref().unwrap_or(&[]);
                cases.iter().map(move |c| (f.kind, c))
            })
            .collect();
        let mut outcomes = run_parallel(&jobs, threads, tick).into_iter();

        let files = self
            .files
            .iter()
            .map(|f| {
                let stem = file_stem(&f.path);
                let cases = f.cases.as_deref().unwrap_or(&[]);
                FileReport {
                    file: file_name(&f.path),
                    path: f.path.clone(),
                    kind: f.kind.name,
                    note: f.kind.note,
                    error: f.cases.as_ref().err().cloned(),
                    cases: cases
                        .iter()
                        .enumerate()
                        .map(|(i, case)| CaseReport {
                            name: vectors::case_name(&stem, case, i),
                            outcome: outcomes.next().expect("one outcome per case"),
                        })
                        .collect(),
                }
            })
            .collect();
        Report { files }
    }
}

/// Runs the jobs on up to `threads` threads; the outcomes come back in job order.
fn run_parallel(
    jobs: &[(Kind, &serde_json::Value)],
    threads: usize,
    tick: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    crate::parallel::map(
        jobs,
        threads,
        &|(kind, case)| vectors::run_case(*kind, case),
        tick,
    )
}

/// The file name of a path, for tables (`tree-math.json`).
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The file stem of a path, for case names (`tree-math`).
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl FileReport {
    /// This file's counts.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            cases: self.cases.len(),
            failed: usize::from(self.error.is_some()),
            ..Counts::default()
        };
        for case in &self.cases {
            match case.outcome {
                Outcome::Passed => c.passed += 1,
                Outcome::Failed(_) => c.failed += 1,
                Outcome::Skipped(_) => c.skipped += 1,
            }
        }
        c
    }

    /// The failures, grouped by message in order of first appearance: (message, cases).
    fn failure_groups(&self) -> Vec<(&str, Vec<&str>)> {
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        if let Some(e) = &self.error {
            groups.push((e, vec![]));
        }
        for case in &self.cases {
            if let Outcome::Failed(msg) = &case.outcome {
                match groups.iter_mut().find(|(m, _)| *m == msg) {
                    Some((_, names)) => names.push(&case.name),
                    None => groups.push((msg, vec![&case.name])),
                }
            }
        }
        groups
    }
}

impl Report {
    /// The counts over all files.
    pub fn totals(&self) -> Counts {
        self.files
            .iter()
            .map(FileReport::counts)
            .fold(Counts::default(), |a, b| Counts {
                cases: a.cases + b.cases,
                passed: a.passed + b.passed,
                failed: a.failed + b.failed,
                skipped: a.skipped + b.skipped,
            })
    }

    /// Whether nothing failed (skips are allowed, and are shown).
    pub fn all_passed(&self) -> bool {
        self.totals().failed == 0
    }

    /// The skip reasons with how many cases each skipped, most frequent first (ties in
    /// order of first appearance).
    pub fn skip_reasons(&self) -> Vec<(String, usize)> {
        let mut order: Vec<String> = Vec::new();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for case in self.files.iter().flat_map(|f| &f.cases) {
            if let Outcome::Skipped(reason) = &case.outcome {
                let n = counts.entry(reason).or_insert(0);
                if *n == 0 {
                    order.push(reason.clone());
                }
                *n += 1;
            }
        }
        let mut out: Vec<(String, usize)> = order
            .into_iter()
            .map(|r| {
                let n = counts[r.as_str()];
                (r, n)
            })
            .collect();
        out.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        out
    }

    /// The human report: a table per file with a total line, then the failures
    /// (grouped when many cases fail alike), then the skip reasons with counts.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.table());

        let failed = self.totals().failed;
        if failed > 0 {
            let _ = writeln!(out, "\nfailed ({failed}):");
            for file in &self.files {
                for (msg, names) in file.failure_groups() {
                    let _ = writeln!(out, "{}", failure_line(&file.file, msg, &names));
                }
            }
        }

        let notes: Vec<_> = self
            .files
            .iter()
            .filter_map(|f| f.note.map(|n| (&f.file, n)))
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(out, "\nnotes:");
            for (file, note) in notes {
                let _ = writeln!(out, "  {file}: {note}");
            }
        }

        let skips = self.skip_reasons();
        if !skips.is_empty() {
            let _ = writeln!(out, "\nskipped, by reason:");
            for (reason, n) in skips {
                let _ = writeln!(out, "  {n:>5}  {reason}");
            }
        }
        out
    }

    /// The table alone: file, kind, cases, passed, failed, skipped, then the totals.
    pub fn table(&self) -> String {
        let headers = ["file", "kind", "cases", "passed", "failed", "skipped"];
        let mut rows: Vec<[String; 6]> = self
            .files
            .iter()
            .map(|f| row(&f.file, f.kind, f.counts()))
            .collect();
        rows.push(row("total", "", self.totals()));

        let mut widths = headers.map(str::len);
        for r in &rows {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: [&str; 6]| {
            let mut s = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i < 2 {
                    let _ = write!(s, "{cell:<w$}  ");
                } else {
                    let _ = write!(s, "{cell:>w$}  ");
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(headers);
        let rule = widths.map(|w| "-".repeat(w));
        out += &line(rule.each_ref().map(String::as_str));
        let (total, files) = rows.split_last().expect("the total row");
        for r in files {
            out += &line(r.each_ref().map(String::as_str));
        }
        out += &line(rule.each_ref().map(String::as_str));
        out += &line(total.each_ref().map(String::as_str));
        out
    }

    /// The machine report: one JSON object with the totals (first, so that a line-based
    /// tool finds them at the start), the per-file counts under `files`, and every failed
    /// and skipped case under each file's `failures` and `skips`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.json_report()).expect("a report serializes")
    }

    /// [`Report::to_json`] as compact text, in the field order documented there.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(&self.json_report()).expect("a report serializes")
    }

    fn json_report(&self) -> JsonReport<'_> {
        let files: Vec<JsonFile> = self
            .files
            .iter()
            .map(|f| {
                let c = f.counts();
                JsonFile {
                    file: &f.file,
                    path: f.path.display().to_string(),
                    kind: f.kind,
                    note: f.note,
                    cases: c.cases,
                    passed: c.passed,
                    failed: c.failed,
                    skipped: c.skipped,
                    error: f.error.as_deref(),
                    failures: cases_with(f, |o| match o {
                        Outcome::Failed(m) => Some(m),
                        _ => None,
                    }),
                    skips: cases_with(f, |o| match o {
                        Outcome::Skipped(r) => Some(r),
                        _ => None,
                    }),
                }
            })
            .collect();
        let t = self.totals();
        JsonReport {
            passed: t.passed,
            failed: t.failed,
            skipped: t.skipped,
            cases: t.cases,
            files,
        }
    }
}

fn row(file: &str, kind: &str, c: Counts) -> [String; 6] {
    [
        file.to_string(),
        kind.to_string(),
        c.cases.to_string(),
        c.passed.to_string(),
        c.failed.to_string(),
        c.skipped.to_string(),
    ]
}

/// How many case names a grouped failure line shows before "… and N more".
const NAMES_SHOWN: usize = 5;

/// `  name: message`, or for a message shared by several cases
/// `  file: N cases: message` and the first few names.
fn failure_line(file: &str, msg: &str, names: &[&str]) -> String {
    match names {
        [] => format!("  {file}: {msg}"),
        [one] => format!("  {one}: {msg}"),
        many => {
            let shown = many[..many.len().min(NAMES_SHOWN)].join(", ");
            let more = match many.len().saturating_sub(NAMES_SHOWN) {
                0 => String::new(),
                n => format!(" … and {n} more (--json lists all)"),
            };
            format!("  {file}: {} cases: {msg}\n    {shown}{more}", many.len())
        }
    }
}

fn cases_with<'a>(
    f: &'a FileReport,
    pick: impl Fn(&'a Outcome) -> Option<&'a String>,
) -> Vec<JsonCase<'a>> {
    f.cases
        .iter()
        .filter_map(|c| {
            pick(&c.outcome).map(|message| JsonCase {
                case: &c.name,
                message,
            })
        })
        .collect()
}

#[derive(Serialize)]
struct JsonReport<'a> {
    passed: usize,
    failed: usize,
    skipped: usize,
    cases: usize,
    files: Vec<JsonFile<'a>>,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    path: String,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    cases: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    failures: Vec<JsonCase<'a>>,
    skips: Vec<JsonCase<'a>>,
}

#[derive(Serialize)]
struct JsonCase<'a> {
    case: &'a str,
    message: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CaseResult, Stop};

    fn by_value(case: &serde_json::Value) -> CaseResult {
        match case["want"].as_str() {
            Some("pass") => Ok(()),
            Some("skip") => Err(Stop::Skip("no X448".into())),
            Some("panic") => panic!("boom"),
            _ => Err(Stop::Fail("field x differs".into())),
        }
    }

    const TEST_KIND: Kind = Kind {
        name: "test-kind",
        run: by_value,
        note: None,
    };

    /// Writes `text` to a file named `name` in a fresh directory, loads it, removes it
    /// and runs it.
    fn report_of(name: &str, text: &str, threads: usize) -> Report {
        let dir = std::env::temp_dir().join(format!(
            "mlsconf-report-{}-{threads}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let plan = Plan::load(&[Target {
            path: &path,
            kind: TEST_KIND,
        }]);
        std::fs::remove_dir_all(&dir).ok();
        plan.run(threads, &|| {})
    }

    #[test]
    fn outcomes_keep_case_order_whatever_the_thread_count() {
        let wants: Vec<&str> = (0..50).map(|i| ["pass", "fail", "skip"][i % 3]).collect();
        let text = serde_json::to_string(
            &wants
                .iter()
                .map(|w| serde_json::json!({ "want": w, "cipher_suite": 1 }))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let one = report_of("order.json", &text, 1);
        let four = report_of("order.json", &text, 4);
        assert_eq!(one.files[0].cases, four.files[0].cases);
        assert_eq!(four.files[0].cases[3].name, "order/1/3");
        assert_eq!(four.files[0].cases[3].outcome, Outcome::Passed);
        assert_eq!(
            four.totals(),
            Counts {
                cases: 50,
                passed: 17,
                failed: 17,
                skipped: 16
            }
        );
    }

    #[test]
    fn a_panicking_case_fails_and_the_run_goes_on() {
        let r = report_of("panic.json", r#"[{"want":"panic"},{"want":"pass"}]"#, 2);
        assert!(matches!(&r.files[0].cases[0].outcome, Outcome::Failed(m) if m.contains("boom")));
        assert_eq!(r.files[0].cases[1].outcome, Outcome::Passed);
        assert!(!r.all_passed());
    }

    #[test]
    fn an_unreadable_file_counts_as_one_failure() {
        let r = report_of("broken.json", "{ not json", 2);
        let c = r.files[0].counts();
        assert_eq!((c.cases, c.failed), (0, 1));
        assert!(r.render_text().contains("broken.json: "));
        assert!(r.to_json()["files"][0]["error"].is_string());
    }

    #[test]
    fn the_json_report_has_the_documented_fields() {
        let r = report_of(
            "j.json",
            r#"[{"want":"pass"},{"want":"fail"},{"want":"skip"}]"#,
            2,
        );
        let j = r.to_json();
        let f = &j["files"][0];
        assert_eq!(f["file"], "j.json");
        assert_eq!(f["kind"], "test-kind");
        assert_eq!(
            (f["cases"].as_u64(), f["passed"].as_u64()),
            (Some(3), Some(1))
        );
        assert_eq!(
            (f["failed"].as_u64(), f["skipped"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(f["failures"][0]["case"], "j/-/1");
        assert_eq!(f["failures"][0]["message"], "field x differs");
        assert_eq!(
            (j["passed"].as_u64(), j["failed"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(j["skipped"].as_u64(), Some(1));
        let text = r.to_json_string();
        assert!(
            text.starts_with(r#"{"passed":1,"failed":1,"skipped":1,"#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), j);
    }

    #[test]
    fn a_kind_note_is_shown_in_the_text_and_the_json_report() {
        const NOTED: Kind = Kind {
            name: "noted-kind",
            run: by_value,
            note: Some("checked differently"),
        };
        let mut report = report_of("noted.json", r#"["pass"]"#, 1);
        report.files[0].note = NOTED.note;
        assert!(
            report
                .render_text()
                .contains("notes:\n  noted.json: checked differently")
        );
        assert_eq!(report.to_json()["files"][0]["note"], "checked differently");
    }

    #[test]
    fn the_text_report_shows_table_failures_and_skip_reasons() {
        let r = report_of(
            "t.json",
            r#"[{"want":"pass"},{"want":"fail"},{"want":"skip"},{"want":"skip"}]"#,
            1,
        );
        let text = r.render_text();
        assert!(text.starts_with("file "), "{text}");
        assert!(text.contains("t.json  test-kind"), "{text}");
        assert!(text.contains("total"), "{text}");
        assert!(text.contains("t/-/1: field x differs"), "{text}");
        assert!(text.contains("2  no X448"), "{text}");
    }

    #[test]
    fn many_cases_failing_alike_are_grouped_on_one_line() {
        let line = failure_line(
            "w.json",
            "nope",
            &["w/1/0", "w/1/1", "a", "b", "c", "d", "e"],
        );
        assert!(line.starts_with("  w.json: 7 cases: nope\n    w/1/0, w/1/1, a, b, c"));
        assert!(line.ends_with("… and 2 more (--json lists all)"));
    }
}
