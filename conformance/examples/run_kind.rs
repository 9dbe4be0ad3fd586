//! Development aid (temporary): `cargo run -p mls-conformance --example run_kind -- FILE [KIND] [-v]`
//! prints every case's outcome of one vector file.
use mls_conformance::{Outcome, runners, vectors};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let args: Vec<&String> = args.iter().filter(|a| *a != "-v").collect();
    let path = Path::new(args[0].as_str());
    let kind_name = args
        .get(1)
        .map(|s| s.as_str())
        .or_else(|| vectors::kind_of_file(path))
        .expect("kind");
    let kind = runners::kind(kind_name).expect("known kind");
    let stem = path.file_stem().unwrap().to_str().unwrap();
    let (mut p, mut f, mut s) = (0, 0, 0);
    for (i, case) in vectors::load_cases(path).unwrap().iter().enumerate() {
        let name = vectors::case_name(stem, case, i);
        match vectors::run_case(kind, case) {
            Outcome::Passed => {
                p += 1;
                if verbose {
                    println!("ok   {name}")
                }
            }
            Outcome::Failed(m) => {
                f += 1;
                println!("FAIL {name}: {m}")
            }
            Outcome::Skipped(m) => {
                s += 1;
                println!("skip {name}: {m}")
            }
        }
    }
    println!("{p} passed, {f} failed, {s} skipped");
}
