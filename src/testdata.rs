//! Where tests and benchmarks find the real data in `../shared/data`.
//!
//! The data is never copied into the project. When it is missing, tests skip
//! with a message, except under CI (the `CI` variable set), where a missing
//! data folder is a failure: real-data tests must really run there.

use std::path::PathBuf;

/// The `../shared/data` folder beside the project, if present.
pub fn shared_data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    dir.is_dir().then_some(dir)
}

/// The path of a file under `../shared/data`, or `None` (with a note on
/// stderr) when the folder is missing outside CI.
///
/// # Panics
/// Under CI (`CI` set) when the data folder or the file is missing: the
/// real-data tests must not pass by skipping.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    match shared_data_dir() {
        Some(dir) => {
            let p = dir.join(relative);
            assert!(p.exists() || !ci, "CI: real data file {} is missing", p.display());
            p.exists().then_some(p)
        }
        None => {
            assert!(!ci, "CI: ../shared/data is missing beside the project; real-data tests cannot be skipped");
            eprintln!("skipping: ../shared/data not found");
            None
        }
    }
}
