//! `mlsconf`: the mls-webapi conformance tool.
//!
//! - `mlsconf vectors` runs the RFC 9420 test vectors and reports every file's passes,
//!   failures and skips. It never consults `expectations.toml`: every failure shows, and
//!   any failure makes the exit status non-zero.
//! - `mlsconf interop` plays every scenario script for every creator × joiner pair of
//!   engines and in mixed groups, and shows the matrix.
//! - `mlsconf scenario FILE` plays one script on several engines, step by step, side by
//!   side.
//! - `mlsconf explore` generates scenario scripts with proptest, plays them on mixed
//!   groups of the engines and shrinks each failure to a minimal script, which it prints
//!   and keeps under `conformance/scenarios/found/`.
//! - `mlsconf report` runs both the vectors and the interop matrix and writes
//!   `report.md` and `report.json`; vector cases listed in `expectations.toml` count as
//!   expected failures there, not as failures.

use clap::builder::PossibleValuesParser;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use mls_conformance::drivers::{self, Registry};
use mls_conformance::expectations::{self, Expectations};
use mls_conformance::explore::{self, ExploreExpectations};
use mls_conformance::full_report::FullReport;
use mls_conformance::judged::Judged;
use mls_conformance::report::{Plan, Report, Target};
use mls_conformance::scenario::matrix::Matrix;
use mls_conformance::scenario::{Binding, Run, catalog, play, side_by_side};
use mls_conformance::{parallel, runners, vectors};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The mls-webapi conformance tool.
#[derive(Parser)]
#[command(name = "mlsconf", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run RFC 9420 test vector files and report passes, failures and skips.
    ///
    /// Without FILE, runs every upstream-named file found in DIR (default:
    /// $MLS_TEST_VECTORS, else ../shared/test-vectors, else test-vectors/rfc9420).
    /// Exits non-zero when any case fails or no vector file is found.
    Vectors(VectorsArgs),

    /// Play every scenario script for every creator × joiner pair of engines and in
    /// mixed groups; show passes per pair.
    ///
    /// Engines that are not available yet are shown as skipped, with the reason. Exits
    /// non-zero when any run fails.
    Interop(InteropArgs),

    /// Play one scenario script and show every step with each engine's outcome side by
    /// side.
    ///
    /// By default each engine plays every client of the script; --pairs adds every
    /// creator × joiner pair and mixed group of the engines. Exits non-zero when any
    /// run fails.
    Scenario(ScenarioArgs),

    /// Generate scenario scripts, play them on mixed groups of the engines, and shrink
    /// every failure to a minimal script.
    ///
    /// Prints a progress line on stderr, then each shrunk script with its steps side by
    /// side (the mixed group, and each engine alone), and writes it under
    /// conformance/scenarios/found/. Failures listed in conformance/explore-expectations.toml
    /// count as expected. Exits non-zero when any case fails.
    Explore(ExploreArgs),

    /// Run the explainer's basic and advanced examples step by step through the Web API,
    /// printing each call and its result; with --store DIR the state is kept there.
    Demo(mls_conformance::demo::DemoArgs),

    /// Run the vectors and the interop matrix; write report.md and report.json.
    ///
    /// Exits non-zero on any vector failure not listed in conformance/expectations.toml
    /// and on any failed interop run. Listed vector failures are reported as expected
    /// failures, with their reasons.
    Report(ReportArgs),
}

#[derive(clap::Args)]
struct VectorsArgs {
    /// Vector files to run; the kind comes from the upstream file name or --kind.
    #[arg(value_name = "FILE", conflicts_with = "dir")]
    files: Vec<PathBuf>,

    /// The directory of upstream-named vector files.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,

    /// Check FILEs as this kind (for files not named like an upstream file).
    #[arg(long, value_name = "KIND", requires = "files", value_parser = kind_names())]
    kind: Option<String>,

    /// Print one JSON object on stdout instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct InteropArgs {
    /// Print one JSON object on stdout instead of the table.
    #[arg(long)]
    json: bool,

    /// The directory of scenario scripts (default: conformance/scenarios).
    #[arg(long, value_name = "DIR")]
    scenarios: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ScenarioArgs {
    /// The scenario script (JSON).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The engines to play it on, comma-separated (default: every registered engine).
    #[arg(long, value_name = "ENGINES", value_delimiter = ',', value_parser = engine_names())]
    engines: Vec<String>,

    /// Also play every creator × joiner pair and mixed group of the engines.
    #[arg(long)]
    pairs: bool,

    /// Print the runs as JSON instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct ExploreArgs {
    /// The engines clients are drawn from, comma-separated (default: every available
    /// engine).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = engine_names())]
    engines: Vec<String>,

    /// How many cases to play.
    #[arg(long, value_name = "N", default_value_t = 100)]
    cases: u32,

    /// The seed of the generator: the same seed plays the same cases.
    #[arg(long, value_name = "S", default_value_t = 0)]
    seed: u64,

    /// The most clients a case declares (2 to 16).
    #[arg(long, value_name = "K", default_value_t = 16,
          value_parser = clap::value_parser!(u8).range(2..=16))]
    max_clients: u8,

    /// The most steps a script has (at least 4).
    #[arg(long, value_name = "L", default_value_t = 60,
          value_parser = clap::value_parser!(u16).range(4..))]
    max_steps: u16,

    /// Stop after this many failures (each is shrunk, which takes a while).
    #[arg(long, value_name = "F", default_value_t = 5)]
    max_failures: u16,

    /// Where to keep the shrunk failing scripts (default: conformance/scenarios/found).
    #[arg(long, value_name = "DIR")]
    found: Option<PathBuf>,

    /// Print one JSON object on stdout instead of the scripts and tables.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct ReportArgs {
    /// Where to write report.md and report.json.
    #[arg(long, value_name = "DIR", default_value = "target/conformance-report")]
    out: PathBuf,

    /// The directory of upstream-named vector files (default: as for `vectors`).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,

    /// The directory of scenario scripts (default: conformance/scenarios).
    #[arg(long, value_name = "DIR")]
    scenarios: Option<PathBuf>,

    /// The known vector failures (default: conformance/expectations.toml).
    #[arg(long, value_name = "FILE")]
    expectations: Option<PathBuf>,
}

fn engine_names() -> PossibleValuesParser {
    PossibleValuesParser::new(drivers::all().names())
}

fn kind_names() -> PossibleValuesParser {
    PossibleValuesParser::new(runners::KINDS.iter().map(|k| k.name))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Vectors(args) => vectors_command(&args),
        Command::Interop(args) => interop_command(&args),
        Command::Scenario(args) => scenario_command(&args),
        Command::Explore(args) => explore_command(&args),
        Command::Report(args) => report_command(&args),
        Command::Demo(args) => mls_conformance::demo::run(&args),
    }
}

fn vectors_command(args: &VectorsArgs) -> ExitCode {
    let (dir, paths) = match choose_files(args) {
        Ok(found) => found,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::FAILURE;
        }
    };
    let targets: Vec<Target> = paths
        .iter()
        .map(|path| Target {
            path,
            kind: kind_for(path, args.kind.as_deref()),
        })
        .collect();

    let plan = Plan::load(&targets);
    let bar = progress_bar(plan.case_count(), "cases");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let report = plan.run(threads, &|| bar.inc(1));
    bar.finish_and_clear();

    if args.json {
        println!("{}", report.to_json_string());
    } else {
        if let Some(dir) = &dir {
            let shown = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
            println!("vectors: {}\n", shown.display());
        }
        print!("{}", report.render_text());
    }
    exit_status(&report)
}

/// The directory (when running a directory) and the files to run.
fn choose_files(args: &VectorsArgs) -> Result<(Option<PathBuf>, Vec<PathBuf>), String> {
    if !args.files.is_empty() {
        return Ok((None, args.files.clone()));
    }
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => vectors::find_vector_dir()?,
    };
    let files = vectors::files_in(&dir);
    if files.is_empty() {
        return Err(format!(
            "no upstream-named RFC 9420 vector file (such as tree-math.json) in {}",
            dir.display()
        ));
    }
    let missing: Vec<&str> = vectors::UPSTREAM_FILES
        .iter()
        .map(|(file, _)| *file)
        .filter(|file| !dir.join(file).is_file())
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "note: {} of {} upstream files are not in {}: {}",
            missing.len(),
            vectors::UPSTREAM_FILES.len(),
            dir.display(),
            missing.join(", ")
        );
    }
    Ok((Some(dir), files))
}

/// The kind of a file: `--kind`, else its upstream name; neither is a usage error.
fn kind_for(path: &Path, kind: Option<&str>) -> runners::Kind {
    let name = kind.or_else(|| vectors::kind_of_file(path));
    match name.and_then(runners::kind) {
        Some(kind) => kind,
        None => {
            let valid: Vec<&str> = runners::KINDS.iter().map(|k| k.name).collect();
            Cli::command()
                .error(
                    ErrorKind::MissingRequiredArgument,
                    format!(
                        "cannot tell the kind of {} from its name; pass --kind KIND \
                         (one of: {})",
                        path.display(),
                        valid.join(", ")
                    ),
                )
                .exit()
        }
    }
}

/// A progress bar on stderr counting `unit`, or a hidden one when stderr is not a
/// terminal.
fn progress_bar(len: usize, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit}  {{elapsed}}");
    let style = ProgressStyle::with_template(&template).expect("a valid progress template");
    ProgressBar::new(len as u64).with_style(style)
}

fn exit_status(report: &Report) -> ExitCode {
    if report.all_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn interop_command(args: &InteropArgs) -> ExitCode {
    let registry = drivers::all();
    let matrix = match interop_matrix(args.scenarios.as_deref(), &registry) {
        Ok(matrix) => matrix,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::FAILURE;
        }
    };
    if args.json {
        println!("{}", matrix.to_json());
    } else {
        print!("{}", matrix.render_text());
    }
    status(matrix.all_passed())
}

/// Loads the scripts of `dir` (default: conformance/scenarios) and plays the matrix,
/// with a progress bar on a terminal.
fn interop_matrix(dir: Option<&Path>, registry: &Registry) -> Result<Matrix, String> {
    let dir = dir.map_or_else(catalog::default_dir, Path::to_path_buf);
    let entries = catalog::load_dir(&dir, registry)?;
    let bar = progress_bar(Matrix::run_count(&entries, registry), "runs");
    let matrix = Matrix::run(&entries, registry, parallel::default_threads(), &|| {
        bar.inc(1)
    });
    bar.finish_and_clear();
    Ok(matrix)
}

fn scenario_command(args: &ScenarioArgs) -> ExitCode {
    let registry = drivers::all();
    let entry = catalog::load(&args.file, &registry);
    let script = match entry.script {
        Ok(script) => script,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::FAILURE;
        }
    };
    let engines: Vec<&str> = if args.engines.is_empty() {
        registry.names()
    } else {
        args.engines.iter().map(String::as_str).collect()
    };
    let mut bindings: Vec<Binding> = engines.iter().map(|e| Binding::only(e)).collect();
    if args.pairs {
        for pair in Binding::pairs(&engines) {
            if !bindings.contains(&pair) {
                bindings.push(pair);
            }
        }
        let available: Vec<&str> = engines
            .iter()
            .copied()
            .filter(|e| registry.engine(e).is_ok())
            .collect();
        bindings.extend(Binding::mixed_rotations(&available));
    }
    let runs: Vec<Run> = parallel::map(
        &bindings,
        parallel::default_threads(),
        &|binding| play(&script, binding, &registry),
        &|| {},
    );
    if args.json {
        println!(
            "{}",
            serde_json::json!({ "script": script.name, "runs": runs })
        );
    } else {
        print!("{}", side_by_side::render(&script, &runs));
    }
    status(!runs.iter().any(|r| r.verdict.failed()))
}

fn explore_command(args: &ExploreArgs) -> ExitCode {
    let registry = drivers::all();
    let expectations = match ExploreExpectations::load(&explore::expectations::default_path()) {
        Ok(expectations) => expectations,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::FAILURE;
        }
    };
    let engines: Vec<String> = if args.engines.is_empty() {
        registry
            .available()
            .into_iter()
            .map(str::to_owned)
            .collect()
    } else {
        args.engines.clone()
    };
    let settings = explore::Settings {
        engines: engines.clone(),
        cases: args.cases,
        seed: args.seed,
        max_clients: usize::from(args.max_clients),
        max_steps: usize::from(args.max_steps),
        max_shrink_iters: 256,
        max_failures: usize::from(args.max_failures),
    };
    // On a terminal the line is redrawn after every case; in a log, one line per 100.
    let terminal = std::io::stderr().is_terminal();
    let exploration = explore::explore(&settings, &registry, &expectations, &|progress| {
        if terminal {
            eprint!("\r{}   ", progress.line());
        } else if progress.done % 100 == 0 && !progress.shrinking {
            eprintln!("{}", progress.line());
        }
    });
    if terminal {
        eprintln!();
    }
    let dir = args
        .found
        .clone()
        .unwrap_or_else(explore::found::default_dir);
    let mut kept = Vec::new();
    for failure in &exploration.failures {
        match explore::found::write(&dir, args.seed, &failure.script, &failure.message) {
            Ok(path) => kept.push(path),
            Err(msg) => eprintln!("error: keeping a found script: {msg}"),
        }
    }
    if args.json {
        println!("{}", exploration.to_json());
    } else {
        for (failure, path) in exploration.failures.iter().zip(&kept) {
            println!(
                "case {} failed at step {}: {}",
                failure.case, failure.step, failure.message
            );
            println!("kept as {}\n", path.display());
            println!(
                "{}",
                serde_json::to_string_pretty(&failure.script).unwrap_or_default()
            );
            let mut runs = vec![failure.run.clone()];
            for engine in &engines {
                let alone = explore::found::rebound(&failure.script, engine);
                runs.push(play(&alone, &Binding::only(engine), &registry));
            }
            println!("{}", side_by_side::render(&failure.script, &runs));
        }
        println!(
            "explore: {} cases ({} skipped, {} expected) on {} with seed {} in {:.1}s: {} failures",
            exploration.cases,
            exploration.skipped,
            exploration.expected.len(),
            engines.join(", "),
            args.seed,
            exploration.elapsed.as_secs_f64(),
            exploration.failures.len()
        );
        for (engine, steps) in &exploration.steps_executed {
            println!("  {engine}: {steps} steps executed");
        }
    }
    status(exploration.failures.is_empty())
}

fn report_command(args: &ReportArgs) -> ExitCode {
    match write_report(args) {
        Ok(passed) => status(passed),
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// Runs both parts, writes the files, prints the headline; returns whether it passed.
fn write_report(args: &ReportArgs) -> Result<bool, String> {
    let expectations_path = args
        .expectations
        .clone()
        .unwrap_or_else(expectations::default_path);
    let expectations = Expectations::load(&expectations_path)?;
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => vectors::find_vector_dir()?,
    };
    let files = vectors::files_in(&dir);
    if files.is_empty() {
        return Err(format!(
            "no upstream-named RFC 9420 vector file (such as tree-math.json) in {}",
            dir.display()
        ));
    }
    let targets: Vec<Target> = files
        .iter()
        .filter_map(|path| {
            let kind = vectors::kind_of_file(path).and_then(runners::kind)?;
            Some(Target { path, kind })
        })
        .collect();
    let plan = Plan::load(&targets);
    let bar = progress_bar(plan.case_count(), "cases");
    let report = plan.run(parallel::default_threads(), &|| bar.inc(1));
    bar.finish_and_clear();

    let registry = drivers::all();
    let matrix = interop_matrix(args.scenarios.as_deref(), &registry)?;
    let shown_dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    let full = FullReport {
        vectors_dir: &shown_dir,
        vectors: Judged::new(&report, &expectations),
        interop: &matrix,
    };
    let written = full
        .write(&args.out)
        .map_err(|e| format!("writing the report into {}: {e}", args.out.display()))?;
    println!("{}", full.headline());
    for (case, message) in full.vectors.failures() {
        println!("  vector failure: {case}: {message}");
    }
    for run in matrix.failures() {
        println!(
            "  interop failure: {}",
            mls_conformance::scenario::matrix::failure_line(run)
        );
    }
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(full.passed())
}

fn status(passed: bool) -> ExitCode {
    if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
