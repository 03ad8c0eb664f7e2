//! Where accessplan keeps what belongs to its user rather than to a study:
//! the app's settings and autosave, and the demo region unpacked from the
//! program ([`crate::demo::demo_root`]).

use std::path::PathBuf;

/// The user's accessplan folder: `$ACCESSPLAN_HOME`, else
/// `~/.local/share/accessplan` (the system temporary folder stands in for a
/// missing `$HOME`).
pub fn user_dir() -> PathBuf {
    std::env::var_os("ACCESSPLAN_HOME").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
        home.join(".local/share/accessplan")
    })
}
