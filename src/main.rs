//! The `accessplan` command: with no arguments it opens the desktop app;
//! with a subcommand it runs the same engine headless.

mod app;
mod cli;

fn main() -> std::process::ExitCode {
    return_large_buffers_to_the_system();
    cli::run()
}

/// Asks glibc's malloc to take every block of 256 KB or more straight from
/// the system and give it back when freed. By default the threshold rises
/// to 32 MB once a large block is freed, after which the network build's
/// temporaries (arc chunks, sort buffers, the parsed map) stay in the heap
/// for the rest of the run: on the 1M-junction county the car matrix then
/// holds about 115 MB more than its live data while it searches
/// (BENCHMARKS.md, "Memory at county scale").
fn return_large_buffers_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a malloc parameter; it is called before any
    // other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}
