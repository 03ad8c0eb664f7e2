//! Peak memory of the benchmark process, shared by the benchmarks that print it.

/// Peak resident memory of this process so far (VmHWM), MB; `None` where
/// /proc/self/status cannot be read (not Linux).
pub fn peak_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
