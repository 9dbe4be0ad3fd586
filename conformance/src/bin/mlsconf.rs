//! `mlsconf`: the mls-webapi conformance tool.
//!
//! `mlsconf vectors` runs the RFC 9420 test vectors and reports every file's passes,
//! failures and skips. It never consults `expectations.toml`: every failure shows, and
//! any failure makes the exit status non-zero.

use clap::builder::PossibleValuesParser;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use mls_conformance::report::{Plan, Report, Target};
use mls_conformance::{runners, vectors};
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

fn kind_names() -> PossibleValuesParser {
    PossibleValuesParser::new(runners::KINDS.iter().map(|k| k.name))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Vectors(args) => vectors_command(&args),
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
    let bar = progress_bar(plan.case_count());
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

/// A progress bar on stderr, or a hidden one when stderr is not a terminal.
fn progress_bar(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} cases  {elapsed}")
        .expect("a valid progress template");
    ProgressBar::new(len as u64).with_style(style)
}

fn exit_status(report: &Report) -> ExitCode {
    if report.all_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
