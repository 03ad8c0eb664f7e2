//! Progress bars (indicatif) for long steps, silent under `--quiet`.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `len` steps with a message, hidden when `quiet`.
pub fn bar(len: u64, msg: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:>22} [{bar:30}] {pos}/{len} {elapsed}") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(msg.to_string());
    pb
}

/// The engine's progress handle, moving `pb` one step per step done.
pub fn ticking(pb: &ProgressBar) -> accessplan::progress::Progress {
    let pb = pb.clone();
    accessplan::progress::Progress::with_callback(move |_| pb.inc(1))
}

/// The engine's progress handle, spinning `sp` on each step.
pub fn spinning(sp: &ProgressBar) -> accessplan::progress::Progress {
    let sp = sp.clone();
    accessplan::progress::Progress::with_callback(move |_| sp.tick())
}

/// A spinner for steps of unknown length, hidden when `quiet`.
pub fn spinner(msg: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_message(msg.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}
