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

/// A directory holding one small scenario script: Alice (creator) adds Bob (joiner) and
/// they talk.
fn small_scenarios(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    let script = r#"{
        "name": "hello",
        "clients": [{ "name": "alice", "role": "creator" }, { "name": "bob", "role": "joiner" }],
        "steps": [
            { "action": "create_group", "by": "alice" },
            { "action": "add", "by": "alice", "members": ["bob"] },
            { "action": "send", "by": "bob", "text": "hello" }
        ]
    }"#;
    std::fs::write(dir.path().join("hello.json"), script).unwrap();
    dir
}

/// A vector directory whose `tree-math.json` has two cases with a wrong root.
fn failing_tree_math(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    let case = r#"{"n_leaves":1,"n_nodes":1,"root":7,
        "left":[null],"right":[null],"parent":[null],"sibling":[null]}"#;
    std::fs::write(
        dir.path().join("tree-math.json"),
        format!("[{case},{case}]"),
    )
    .unwrap();
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn report_writes_markdown_and_json_with_both_parts() {
    let vectors = TempDir::new("report-vectors");
    std::fs::copy(upstream_tree_math(), vectors.path().join("tree-math.json")).unwrap();
    let scenarios = small_scenarios("report-scenarios");
    let out = TempDir::new("report-out");
    let status = run(mlsconf(&["report", "--out"])
        .arg(out.path())
        .arg("--dir")
        .arg(vectors.path())
        .arg("--scenarios")
        .arg(scenarios.path()));
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{stdout}{}", stderr(&status));
    assert!(stdout.starts_with("passed: vectors 10 of 10"), "{stdout}");

    let markdown = read(&out.path().join("report.md"));
    assert!(
        markdown.starts_with("# mls-webapi conformance report"),
        "{markdown}"
    );
    for part in [
        "## RFC 9420 test vectors",
        "`tree-math.json`",
        "## Interop",
        "| **openmls** |",
    ] {
        assert!(markdown.contains(part), "{part} is missing:\n{markdown}");
    }
    assert!(markdown.contains("| **ours** |"), "{markdown}");

    let json: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("report.json"))).expect("report.json is JSON");
    assert_eq!(json["passed"], true);
    assert_eq!(json["vectors"]["cases"], 10);
    assert_eq!(json["interop"]["failed"], 0);
    assert!(json["interop"]["passed"].as_u64() > Some(0));
}

#[test]
fn report_excuses_exactly_the_vector_failures_listed_as_expected() {
    let vectors = failing_tree_math("report-expected-vectors");
    let scenarios = small_scenarios("report-expected-scenarios");
    let out = TempDir::new("report-expected-out");
    let listing = TempDir::new("report-expected-list");
    let report_with = |pattern: &str| {
        let file = listing.path().join("expectations.toml");
        let entry = format!("[[expected_failure]]\npattern = \"{pattern}\"\nreason = \"known\"\n");
        std::fs::write(&file, entry).unwrap();
        run(mlsconf(&["report", "--out"])
            .arg(out.path())
            .arg("--dir")
            .arg(vectors.path())
            .arg("--scenarios")
            .arg(scenarios.path())
            .arg("--expectations")
            .arg(&file))
    };

    let one_listed = report_with("tree-math/-/0");
    assert_eq!(
        one_listed.status.code(),
        Some(1),
        "one failure is not listed"
    );
    let markdown = read(&out.path().join("report.md"));
    assert!(markdown.contains("### Expected failures"), "{markdown}");
    assert!(
        markdown.contains("| `tree-math/-/0` | 1 | known |"),
        "{markdown}"
    );
    assert!(markdown.contains("### Failures (1)"), "{markdown}");
    assert!(markdown.contains("`tree-math/-/1`"), "{markdown}");

    let both_listed = report_with("tree-math/*");
    assert!(both_listed.status.success(), "{}", stderr(&both_listed));
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("report.json"))).unwrap();
    assert_eq!(json["passed"], true);
    assert_eq!(json["vectors"]["expected_failures"], 2);
    assert_eq!(json["vectors"]["failed"], 0);
}

#[test]
fn interop_json_is_one_object_with_every_pair_and_mixed_groups() {
    let scenarios = small_scenarios("interop-json");
    let out = run(mlsconf(&["interop", "--json", "--scenarios"]).arg(scenarios.path()));
    let report = json_object(&out);
    assert!(out.status.success(), "{report}");
    assert_eq!(report["scenarios"], serde_json::json!(["hello"]));
    let engines = report["engines"].as_array().expect("engines is an array");
    let ours = engines
        .iter()
        .find(|e| e["name"] == "ours")
        .expect("ours is listed");
    assert_eq!(ours["available"], true);
    let pairs = report["pairs"].as_array().expect("pairs is an array");
    assert_eq!(pairs.len(), engines.len() * engines.len());
    let cross = pairs
        .iter()
        .find(|p| p["creator"] == "openmls" && p["joiner"] == "mls-rs")
        .expect("the openmls x mls-rs pair");
    assert_eq!(
        (cross["passed"].as_u64(), cross["failed"].as_u64()),
        (Some(1), Some(0))
    );
    assert!(report["mixed"]["passed"].as_u64() > Some(0));
    assert_eq!(report["skipped"].as_u64(), Some(0), "every engine runs");
    assert!(
        pairs.iter().all(|p| p["failed"].as_u64() == Some(0)),
        "{report}"
    );
    assert!(
        stderr(&out).is_empty(),
        "no progress bar without a terminal"
    );
}

#[test]
fn interop_prints_the_matrix_of_every_engine_pair() {
    let scenarios = small_scenarios("interop-text");
    let out = run(mlsconf(&["interop", "--scenarios"]).arg(scenarios.path()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("creator \\ joiner"), "{text}");
    assert!(
        text.contains("ours              1/1   1/1      1/1"),
        "{text}"
    );
    assert!(
        text.contains("openmls           1/1   1/1      1/1"),
        "{text}"
    );
}

#[test]
fn scenario_shows_every_step_for_each_engine_side_by_side() {
    let scenarios = small_scenarios("scenario");
    let out = run(mlsconf(&["scenario", "--engines", "openmls,mls-rs,ours"])
        .arg(scenarios.path().join("hello.json")));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let header = text
        .lines()
        .find(|l| l.starts_with("step"))
        .expect("a header row");
    assert!(
        header.contains("openmls") && header.contains("mls-rs") && header.contains("ours"),
        "{header}"
    );
    assert!(text.contains("alice adds bob"), "{text}");
    assert!(text.contains("ok, epoch 1, 2 members"), "{text}");
    assert!(!text.contains("skipped"), "{text}");
}

#[test]
fn scenario_with_an_unknown_engine_is_a_usage_error() {
    let scenarios = small_scenarios("scenario-unknown");
    let out = run(
        mlsconf(&["scenario", "--engines", "openmsl"]).arg(scenarios.path().join("hello.json"))
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("mls-rs"), "{}", stderr(&out));
}

#[test]
fn scenario_with_a_broken_script_names_the_problem() {
    let dir = TempDir::new("scenario-broken");
    let script = dir.path().join("broken.json");
    std::fs::write(
        &script,
        r#"{"name":"broken","clients":[{"name":"a","role":"creator"}],
            "steps":[{"action":"send","by":"a"}]}"#,
    )
    .unwrap();
    let out = run(mlsconf(&["scenario"]).arg(&script));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("create_group"), "{}", stderr(&out));
}

#[test]
fn the_demo_plays_the_explainer_examples_through_the_web_api() {
    let out = run(&mut mlsconf(&["demo"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"Hello Alice!\""), "{text}");
    assert!(text.contains("removed from the group"), "{text}");
}
