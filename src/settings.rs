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

/// The folder of the travel-time cache ([`crate::travel::cache`]):
/// `$ACCESSPLAN_HOME/cache` when that is set, else `$XDG_CACHE_HOME/accessplan`,
/// else `~/.cache/accessplan` (the system temporary folder stands in for a
/// missing `$HOME`).
pub fn cache_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("ACCESSPLAN_HOME") {
        return PathBuf::from(home).join("cache");
    }
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(xdg).join("accessplan");
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache/accessplan")
}

/// The user's travel-time cache ([`cache_dir`]), or none when the
/// environment variable `ACCESSPLAN_NO_CACHE` is set (to anything but `0`).
pub fn travel_cache() -> Option<crate::travel::ColumnCache> {
    match std::env::var_os("ACCESSPLAN_NO_CACHE") {
        Some(v) if !v.is_empty() && v != "0" => None,
        _ => Some(crate::travel::ColumnCache::at(cache_dir())),
    }
}
