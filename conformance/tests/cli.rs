//! The `mlsconf` binary as a user runs it.

use mls_conformance::vectors;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("mlsconf-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mlsconf(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mlsconf"));
    cmd.args(args);
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("mlsconf runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The upstream `tree-math.json` (small and fast); the test fails if it cannot be found.
fn upstream_tree_math() -> PathBuf {
    let dir = vectors::find_vector_dir().unwrap_or_else(|msg| panic!("{msg}"));
    dir.join("tree-math.json")
}

/// Parses stdout as exactly one JSON object (trailing whitespace allowed, nothing else).
fn json_object(out: &Output) -> serde_json::Value {
    let text = std::str::from_utf8(&out.stdout).expect("UTF-8 stdout");
    let value: serde_json::Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}):\n{text}"));
    assert!(value.is_object(), "stdout is not a JSON object: {text}");
    value
}

/// Checks the documented fields of a per-file entry and that its counts add up.
fn check_file_entry(entry: &serde_json::Value, file: &str, kind: &str, cases: u64) {
    assert_eq!(entry["file"], file);
    assert_eq!(entry["kind"], kind);
    assert_eq!(entry["cases"].as_u64(), Some(cases));
    let count = |k: &str| {
        entry[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} is a count"))
    };
    assert_eq!(count("passed") + count("failed") + count("skipped"), cases);
}

#[test]
fn with_no_vectors_it_fails_and_says_where_it_looked() {
    let empty = TempDir::new("empty");
    let out = run(mlsconf(&["vectors"]).env(vectors::ENV_VAR, empty.path()));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(&empty.path().display().to_string()), "{err}");
    assert!(err.contains("looked in"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn an_empty_dir_given_with_dir_is_an_error_too() {
    let empty = TempDir::new("empty-dir");
    let out = run(mlsconf(&["vectors", "--dir"]).arg(empty.path()));
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&empty.path().display().to_string()));
}

#[test]
fn json_output_is_one_object_with_files_and_totals() {
    let dir = TempDir::new("json");
    std::fs::copy(upstream_tree_math(), dir.path().join("tree-math.json")).unwrap();
    let out = run(mlsconf(&["vectors", "--json", "--dir"]).arg(dir.path()));
    let report = json_object(&out);
    let files = report["files"].as_array().expect("files is an array");
    assert_eq!(files.len(), 1);
    check_file_entry(&files[0], "tree-math.json", "tree-math", 10);
    for key in ["passed", "failed", "skipped"] {
        assert_eq!(report[key], files[0][key], "total {key}");
    }
    assert_eq!(out.status.success(), report["failed"] == 0);
}

#[test]
fn a_user_file_runs_as_the_kind_given() {
    let dir = TempDir::new("user-file");
    let mine = dir.path().join("my-tree-cases.json");
    std::fs::copy(upstream_tree_math(), &mine).unwrap();
    let out = run(mlsconf(&["vectors", "--json", "--kind", "tree-math"]).arg(&mine));
    let report = json_object(&out);
    check_file_entry(&report["files"][0], "my-tree-cases.json", "tree-math", 10);
    let failures = report["files"][0]["failures"].as_array().unwrap();
    if let Some(first) = failures.first() {
        assert!(
            first["case"]
                .as_str()
                .unwrap()
                .starts_with("my-tree-cases/-/")
        );
    }
}

#[test]
fn a_user_file_without_kind_is_a_usage_error() {
    let dir = TempDir::new("no-kind");
    let mine = dir.path().join("mine.json");
    std::fs::write(&mine, "[]").unwrap();
    let out = run(mlsconf(&["vectors"]).arg(&mine));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--kind") && err.contains("tree-math"), "{err}");
}

#[test]
fn an_unknown_kind_is_rejected_with_the_valid_kinds() {
    let dir = TempDir::new("bad-kind");
    let mine = dir.path().join("mine.json");
    std::fs::write(&mine, "[]").unwrap();
    let out = run(mlsconf(&["vectors", "--kind", "tree-maths"]).arg(&mine));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("tree-maths"), "{err}");
    for kind in ["tree-math", "passive-client", "treekem"] {
        assert!(err.contains(kind), "{err}");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn a_failing_case_makes_the_exit_status_non_zero_and_is_named() {
    let dir = TempDir::new("failing");
    let bad = dir.path().join("wrong-root.json");
    let case = r#"[{"n_leaves":1,"n_nodes":1,"root":7,
        "left":[null],"right":[null],"parent":[null],"sibling":[null]}]"#;
    std::fs::write(&bad, case).unwrap();
    let out = run(mlsconf(&["vectors", "--kind", "tree-math"]).arg(&bad));
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("wrong-root/-/0: "), "{text}");
    assert!(text.contains("total"), "{text}");
}

#[test]
fn without_a_terminal_stderr_stays_free_of_progress_bars() {
    let dir = TempDir::new("quiet");
    std::fs::copy(upstream_tree_math(), dir.path().join("tree-math.json")).unwrap();
    let out = run(mlsconf(&["vectors", "--dir"]).arg(dir.path()));
    let err = stderr(&out);
    assert!(!err.contains("cases "), "{err}");
}
