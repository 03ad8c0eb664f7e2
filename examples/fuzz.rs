//! The fuzz harness on stable Rust: mutates the real inputs in
//! `../shared/data` and the demo's files and feeds them to every loader of
//! the engine, in-process, each run under `catch_unwind` with a time budget.
//!
//! ```text
//! cargo run --release --example fuzz -- --seconds 600 [--seed N] [--out fuzz-crashes/] [--only gtfs] [--runs N] [--budget-s 10] [--check-seeds]
//! ```
//!
//! Prints runs, runs per second and per loader the counts of accepted
//! inputs, clean errors (and those naming the file), panics and hangs;
//! saves each crashing or hanging input with its message to the out folder;
//! exits 1 when anything panicked, hung or changed an input.

use std::path::PathBuf;
use std::time::Duration;

use accessplan::testdata::fuzz;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut opts = fuzz::Options {
        seed: 1,
        max_runs: None,
        max_time: None,
        run_budget: Duration::from_secs(10),
        only: None,
        out: Some(PathBuf::from("fuzz-crashes")),
        work: std::env::temp_dir().join(format!("accessplan-fuzz-{}", std::process::id())),
    };
    let mut check = false;
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| usage(&format!("{name} needs a value")));
        let number = |name: &str, v: String| v.parse::<u64>().unwrap_or_else(|_| usage(&format!("{name}: '{v}' is not a whole number")));
        match a.as_str() {
            "--seconds" => opts.max_time = Some(Duration::from_secs(number("--seconds", value("--seconds")))),
            "--runs" => opts.max_runs = Some(number("--runs", value("--runs")) as usize),
            "--seed" => opts.seed = number("--seed", value("--seed")),
            "--budget-s" => opts.run_budget = Duration::from_secs(number("--budget-s", value("--budget-s"))),
            "--only" => opts.only = Some(value("--only")),
            "--out" => opts.out = Some(PathBuf::from(value("--out"))),
            "--check-seeds" => check = true,
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument '{other}'")),
        }
    }
    if opts.max_time.is_none() && opts.max_runs.is_none() {
        opts.max_time = Some(Duration::from_secs(60));
    }
    let targets = match fuzz::targets(&opts.work) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot prepare the seeds: {e}");
            std::process::exit(2);
        }
    };
    if check {
        match fuzz::check_seeds(&targets, &opts.work, opts.run_budget) {
            Ok(list) => list.iter().for_each(|(t, o)| println!("{t}: {o:?}")),
            Err(e) => eprintln!("cannot check the seeds: {e}"),
        }
        return;
    }
    eprintln!("fuzzing {} loaders: {}", targets.len(), targets.iter().map(|t| t.name).collect::<Vec<_>>().join(", "));
    let summary = match fuzz::fuzz(&targets, &opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fuzzing stopped: {e}");
            std::process::exit(2);
        }
    };
    print!("{}", summary.table());
    let _ = std::fs::remove_dir_all(&opts.work);
    if summary.failed() {
        std::process::exit(1);
    }
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("{problem}");
    }
    eprintln!("usage: cargo run --release --example fuzz -- [--seconds S | --runs N] [--seed N] [--out DIR] [--only NAME] [--budget-s S]");
    std::process::exit(if problem.is_empty() { 0 } else { 2 });
}
