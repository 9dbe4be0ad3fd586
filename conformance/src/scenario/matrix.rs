//! The interop matrix: every script for every creator × joiner pair of registered
//! engines, and in mixed groups of all available engines.
//!
//! Pairs cover every registered engine, so a pair with an unavailable engine shows as
//! skipped with the engine's reason. Mixed groups rotate over the available engines only
//! (each engine comes first once), and the unavailable ones are listed as left out.

use std::fmt::Write as _;

use serde::Serialize;

use super::binding::Binding;
use super::catalog::Entry;
use super::runner::play;
use super::script::Script;
use super::trace::{Run, Verdict};
use crate::drivers::Registry;

/// An engine as the matrix saw it.
#[derive(Debug, Clone, Serialize)]
pub struct EngineStatus {
    /// Its registry name.
    pub name: String,
    /// Whether it ran.
    pub available: bool,
    /// Why it did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A script file that could not be played (counts as one failure).
#[derive(Debug, Clone, Serialize)]
pub struct Broken {
    /// The file.
    pub path: String,
    /// What is wrong with it.
    pub error: String,
}

/// Every run of the matrix and what it needs to be shown.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// Every registered engine, in registry order.
    pub engines: Vec<EngineStatus>,
    /// The names of the scripts played, in file order.
    pub scenarios: Vec<String>,
    /// Script files that could not be played.
    pub broken: Vec<Broken>,
    /// Every run: for each script, the pairs (creator-major), then the mixed groups.
    pub runs: Vec<Run>,
}

/// Passed, failed and skipped runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Runs that passed.
    pub passed: usize,
    /// Runs that failed, plus broken script files where they count.
    pub failed: usize,
    /// Runs that were skipped.
    pub skipped: usize,
}

impl Tally {
    fn of<'a>(runs: impl Iterator<Item = &'a Run>) -> Tally {
        let mut tally = Tally::default();
        for run in runs {
            match run.verdict {
                Verdict::Passed => tally.passed += 1,
                Verdict::Failed { .. } => tally.failed += 1,
                Verdict::Skipped { .. } => tally.skipped += 1,
            }
        }
        tally
    }

    /// Runs that were played (passed or failed).
    pub fn played(&self) -> usize {
        self.passed + self.failed
    }

    /// A table cell: `passed/played`, `skipped`, or `passed/played (+N skipped)`.
    pub fn cell(&self) -> String {
        match (self.played(), self.skipped) {
            (0, 0) => "-".to_owned(),
            (0, _) => "skipped".to_owned(),
            (played, 0) => format!("{}/{played}", self.passed),
            (played, skipped) => format!("{}/{played} (+{skipped} skipped)", self.passed),
        }
    }
}

/// The bindings the matrix plays for every script.
pub fn bindings(registry: &Registry) -> Vec<Binding> {
    let mut all = Binding::pairs(&registry.names());
    all.extend(Binding::mixed_rotations(&registry.available()));
    all
}

impl Matrix {
    /// Plays every loadable script of `entries` under every binding of [`bindings`], on
    /// up to `threads` threads, calling `tick` after each run.
    pub fn run(
        entries: &[Entry],
        registry: &Registry,
        threads: usize,
        tick: &(dyn Fn() + Sync),
    ) -> Matrix {
        let scripts: Vec<&Script> = entries
            .iter()
            .filter_map(|e| e.script.as_ref().ok())
            .collect();
        let jobs: Vec<(&Script, Binding)> = scripts
            .iter()
            .flat_map(|s| bindings(registry).into_iter().map(move |b| (*s, b)))
            .collect();
        let runs = crate::parallel::map(
            &jobs,
            threads,
            &|(script, binding)| play(script, binding, registry),
            tick,
        );
        Matrix {
            engines: registry
                .entries()
                .iter()
                .map(|e| EngineStatus {
                    name: e.name().to_owned(),
                    available: e.is_available(),
                    reason: e.engine().err().map(str::to_owned),
                })
                .collect(),
            scenarios: scripts.iter().map(|s| s.name.clone()).collect(),
            broken: entries
                .iter()
                .filter_map(|e| {
                    e.script.as_ref().err().map(|error| Broken {
                        path: e.path.display().to_string(),
                        error: error.clone(),
                    })
                })
                .collect(),
            runs,
        }
    }

    /// How many runs the matrix will make for `entries`, for a progress bar.
    pub fn run_count(entries: &[Entry], registry: &Registry) -> usize {
        entries.iter().filter(|e| e.script.is_ok()).count() * bindings(registry).len()
    }

    /// Every run; broken scripts count as failures.
    pub fn totals(&self) -> Tally {
        let mut tally = Tally::of(self.runs.iter());
        tally.failed += self.broken.len();
        tally
    }

    /// Whether nothing failed (skips are allowed, and shown).
    pub fn all_passed(&self) -> bool {
        self.totals().failed == 0
    }

    /// The runs of the pair `creator` × `joiner`.
    pub fn pair(&self, creator: &str, joiner: &str) -> Tally {
        let wanted = Binding::pair(creator, joiner);
        Tally::of(self.runs.iter().filter(|r| r.binding == wanted))
    }

    /// The runs in mixed groups.
    pub fn mixed(&self) -> Tally {
        Tally::of(
            self.runs
                .iter()
                .filter(|r| matches!(r.binding, Binding::Mixed { .. })),
        )
    }

    /// The engines in mixed groups.
    pub fn mixed_engines(&self) -> Vec<&str> {
        self.engines
            .iter()
            .filter(|e| e.available)
            .map(|e| e.name.as_str())
            .collect()
    }

    /// The engines left out of mixed groups, with their reasons.
    pub fn left_out(&self) -> Vec<(&str, &str)> {
        self.engines
            .iter()
            .filter_map(|e| Some((e.name.as_str(), e.reason.as_deref()?)))
            .collect()
    }

    /// The failed runs.
    pub fn failures(&self) -> impl Iterator<Item = &Run> {
        self.runs.iter().filter(|r| r.verdict.failed())
    }

    /// Skip reasons with how many runs each skipped, most frequent first.
    pub fn skip_reasons(&self) -> Vec<(String, usize)> {
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for run in &self.runs {
            if let Verdict::Skipped { reason } = &run.verdict {
                match reasons.iter_mut().find(|(r, _)| r == reason) {
                    Some((_, n)) => *n += 1,
                    None => reasons.push((reason.clone(), 1)),
                }
            }
        }
        reasons.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        reasons
    }

    /// The matrix as rows of cells: the header row (`creator \ joiner`, then every
    /// engine), then one row per creator.
    pub fn grid(&self) -> Vec<Vec<String>> {
        let names: Vec<&str> = self.engines.iter().map(|e| e.name.as_str()).collect();
        let mut rows = vec![
            std::iter::once("creator \\ joiner".to_owned())
                .chain(names.iter().map(|n| (*n).to_owned()))
                .collect::<Vec<_>>(),
        ];
        for creator in &names {
            let mut row = vec![(*creator).to_owned()];
            row.extend(names.iter().map(|joiner| self.pair(creator, joiner).cell()));
            rows.push(row);
        }
        rows
    }

    /// E.g. `ours, openmls (not run: engine not available yet), mls-rs` when one engine
    /// of the registry cannot run.
    pub fn engines_line(&self) -> String {
        self.engines
            .iter()
            .map(|e| match &e.reason {
                Some(reason) => format!("{} (not run: {reason})", e.name),
                None => e.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// One line on mixed groups: their engines, their tally, and who was left out.
    pub fn mixed_line(&self) -> String {
        let mut line = format!(
            "mixed groups ({}): {}",
            self.mixed_engines().join(", "),
            self.mixed().cell()
        );
        if self.mixed_engines().len() < 2 {
            line = "mixed groups: none (fewer than two engines are available)".to_owned();
        }
        for (name, reason) in self.left_out() {
            let _ = write!(line, "; without {name}: {reason}");
        }
        line
    }

    /// The text report of `mlsconf interop`: the matrix, mixed groups, failures, skips.
    pub fn render_text(&self) -> String {
        let totals = self.totals();
        let mut out = format!(
            "interop: {} scenarios; {} of {} runs passed, {} failed, {} skipped\n\n",
            self.scenarios.len(),
            totals.passed,
            totals.played(),
            totals.failed,
            totals.skipped
        );
        let _ = writeln!(out, "engines: {}\n", self.engines_line());
        out.push_str(&text_table(&self.grid()));
        let _ = writeln!(out, "{}", self.mixed_line());
        if totals.failed > 0 {
            let _ = writeln!(out, "\nfailed ({}):", totals.failed);
            for broken in &self.broken {
                let _ = writeln!(out, "  {}: {}", broken.path, broken.error);
            }
            for run in self.failures() {
                let _ = writeln!(out, "  {}", failure_line(run));
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

    /// The machine report: the totals, the engines, the pairs, the mixed groups, broken
    /// files, and every run's verdict (with the step trace for failed runs).
    pub fn to_json(&self) -> serde_json::Value {
        let totals = self.totals();
        let names: Vec<&str> = self.engines.iter().map(|e| e.name.as_str()).collect();
        let pairs: Vec<serde_json::Value> = names
            .iter()
            .flat_map(|c| names.iter().map(move |j| (*c, *j)))
            .map(|(creator, joiner)| {
                let t = self.pair(creator, joiner);
                serde_json::json!({
                    "creator": creator, "joiner": joiner,
                    "passed": t.passed, "failed": t.failed, "skipped": t.skipped,
                })
            })
            .collect();
        let mixed = self.mixed();
        let runs: Vec<serde_json::Value> = self
            .runs
            .iter()
            .map(|run| {
                let mut value = serde_json::json!({
                    "script": run.script,
                    "binding": run.label,
                    "verdict": run.verdict,
                });
                if run.verdict.failed() {
                    value["clients"] = serde_json::json!(run.clients);
                    value["steps"] = serde_json::json!(run.steps);
                }
                value
            })
            .collect();
        serde_json::json!({
            "passed": totals.passed,
            "failed": totals.failed,
            "skipped": totals.skipped,
            "runs": self.runs.len(),
            "engines": self.engines,
            "scenarios": self.scenarios,
            "pairs": pairs,
            "mixed": {
                "engines": self.mixed_engines(),
                "left_out": self.left_out().iter()
                    .map(|(name, reason)| serde_json::json!({"name": name, "reason": reason}))
                    .collect::<Vec<_>>(),
                "passed": mixed.passed, "failed": mixed.failed, "skipped": mixed.skipped,
            },
            "broken": self.broken,
            "results": runs,
        })
    }

    /// The labels of the bindings in play order, and whether every run under each was
    /// skipped.
    fn labels(&self) -> Vec<(&str, bool)> {
        let mut labels: Vec<(&str, bool)> = Vec::new();
        for run in &self.runs {
            match labels.iter_mut().find(|(l, _)| *l == run.label) {
                Some((_, all_skipped)) => *all_skipped &= run.verdict.skipped(),
                None => labels.push((&run.label, run.verdict.skipped())),
            }
        }
        labels
    }

    /// The bindings under which every run was skipped (left out of
    /// [`Matrix::per_scenario`]).
    pub fn all_skipped_bindings(&self) -> Vec<&str> {
        self.labels()
            .into_iter()
            .filter(|(_, all_skipped)| *all_skipped)
            .map(|(label, _)| label)
            .collect()
    }

    /// Per script, the verdict under every binding that ran at least once: the header
    /// row (`scenario`, then the bindings' labels), then one row per script with
    /// `passed`, `FAILED (step N)` or `skipped`.
    pub fn per_scenario(&self) -> Vec<Vec<String>> {
        let labels: Vec<&str> = self
            .labels()
            .into_iter()
            .filter(|(_, all_skipped)| !*all_skipped)
            .map(|(label, _)| label)
            .collect();
        let mut rows = vec![
            std::iter::once("scenario")
                .chain(labels.iter().copied())
                .map(str::to_owned)
                .collect::<Vec<_>>(),
        ];
        for script in &self.scenarios {
            let mut row = vec![script.clone()];
            for label in &labels {
                let cell = self
                    .runs
                    .iter()
                    .find(|r| r.script == *script && r.label == *label)
                    .map_or("-".to_owned(), |r| match &r.verdict {
                        Verdict::Passed => "passed".to_owned(),
                        Verdict::Failed { step, .. } => format!("FAILED (step {step})"),
                        Verdict::Skipped { .. } => "skipped".to_owned(),
                    });
                row.push(cell);
            }
            rows.push(row);
        }
        rows
    }
}

/// `script, binding, step N (action): message`.
pub fn failure_line(run: &Run) -> String {
    match &run.verdict {
        Verdict::Failed { step, message } => {
            let action = run
                .steps
                .get(step.wrapping_sub(1))
                .map_or(String::new(), |s| format!(" ({})", s.action));
            format!(
                "{}, {}, step {step}{action}: {message}",
                run.script, run.label
            )
        }
        other => format!("{}, {}: {}", run.script, run.label, other.summary()),
    }
}

/// Left-aligned columns separated by two spaces, without trailing blanks.
pub fn text_table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(line, "{cell:<width$}  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_shows_passes_over_played_runs_and_skips_apart() {
        let cell = |passed, failed, skipped| {
            Tally {
                passed,
                failed,
                skipped,
            }
            .cell()
        };
        assert_eq!(cell(9, 0, 0), "9/9");
        assert_eq!(cell(8, 1, 0), "8/9");
        assert_eq!(cell(0, 0, 9), "skipped");
        assert_eq!(cell(8, 0, 1), "8/8 (+1 skipped)");
    }

    #[test]
    fn text_tables_align_columns_and_trim_line_ends() {
        let rows = vec![
            vec!["a".to_owned(), "bb".to_owned()],
            vec!["ccc".to_owned(), "d".to_owned()],
        ];
        assert_eq!(text_table(&rows), "a    bb\nccc  d\n");
    }

    #[test]
    fn the_matrix_plays_every_pair_of_registered_engines_and_mixes_available_ones() {
        let registry = crate::drivers::all();
        let n = registry.names().len();
        let available = registry.available().len();
        let mixed = if available >= 2 { available } else { 0 };
        assert_eq!(bindings(&registry).len(), n * n + mixed);
    }
}
