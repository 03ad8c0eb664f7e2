//! What the app keeps between sessions: saving the scenario, the autosave
//! and its recovery, the recent files, the folder they live in, and where
//! the demo's scenarios are.

use super::*;

impl AccessplanApp {
    pub(super) fn autosave(&mut self) {
        let Some(s) = &self.session else { return };
        if !s.dirty || self.last_autosave.elapsed().as_secs() < 5 {
            return;
        }
        self.last_autosave = std::time::Instant::now();
        let dir = data_dir();
        // The autosave keeps the scenario's own path so it can be reopened in place.
        let mut f = s.scenario_file();
        f.description = format!("autosave of {}\n{}", s.save_path.display(), f.description);
        let result = std::fs::create_dir_all(&dir)
            .map_err(|e| accessplan::Error::Write { path: dir.clone(), source: e })
            .and_then(|()| f.to_toml())
            .and_then(|text| accessplan::fileio::write_atomic(&dir.join("autosave.toml"), text.as_bytes(), &[]))
            .and_then(|()| accessplan::fileio::write_atomic(&dir.join("autosave.path"), s.study.path.display().to_string().as_bytes(), &[]));
        // A failing autosave is said once in the status bar (not every 5 s), and again once it works.
        match result {
            Err(e) => {
                let msg = format!("Autosave failed: {e}. Save your work with Ctrl+S.");
                if self.autosave_error.as_deref() != Some(msg.as_str()) {
                    self.messages.push((true, msg.clone()));
                    self.autosave_error = Some(msg);
                }
            }
            Ok(()) => {
                if self.autosave_error.take().is_some() {
                    self.messages.push((false, "Autosave works again.".into()));
                }
            }
        }
    }

    pub(super) fn recover(&mut self, autosave: &Path) {
        let Some(s) = self.session.as_mut() else { return };
        let path_file = autosave.with_extension("path");
        let original = std::fs::read_to_string(&path_file).unwrap_or_default();
        if original.trim() != s.study.path.display().to_string() {
            self.messages.push((true, format!("The autosave belongs to {}; open that scenario first, then recover.", original.trim())));
            return;
        }
        let file = match accessplan::plan::ScenarioFile::load(autosave) {
            Ok(f) => f,
            Err(e) => {
                self.messages.push((true, format!("Could not recover: {e}")));
                return;
            }
        };
        // Candidate sites added before the crash join the region first (their
        // travel times are computed again: one search per mode each).
        for c in &file.candidate_sites {
            if !s.study.sites().iter().any(|x| x.id == c.id)
                && let Ok(cols) = s.study.column_job(c.to_site()).compute(&accessplan::progress::Progress::new())
            {
                s.add_columns(cols);
            }
        }
        self.geometry = Some(MapGeometry::of(&s.study.region, s.study.sites(), s.study.tt.timetable.as_deref()));
        let r = accessplan::plan::Scenario::resolve(&file, &s.study.path, &s.study.region, s.study.sites(), &s.study.catalogue);
        match r {
            Ok(sc) => {
                s.replace_scenario(sc);
                self.messages.push((false, "Recovered the autosaved scenario (Undo to go back).".into()));
            }
            Err(e) => self.messages.push((true, format!("Could not recover: {e}"))),
        }
    }

    /// Saves to the current path, or to `to`.
    pub fn save(&mut self, to: Option<PathBuf>) {
        let Some(s) = self.session.as_mut() else { return };
        let path = to.unwrap_or_else(|| s.save_path.clone());
        match s.save_to(&path) {
            Ok(()) => {
                self.messages.push((false, format!("Saved {}", path.display())));
                let _ = std::fs::remove_file(data_dir().join("autosave.toml"));
            }
            Err(e) => self.messages.push((true, format!("Not saved: {e}"))),
        }
    }
}

/// The demo region's scenarios: (after, before), from the source folder or
/// the copy embedded in the program.
pub fn demo_scenarios() -> accessplan::Result<(PathBuf, PathBuf)> {
    let d = accessplan::demo::demo_root()?.join("datasets/demo/scenarios");
    Ok((d.join("hlc-model.toml"), d.join("baseline.toml")))
}

/// Where the app keeps its settings and autosave.
pub fn data_dir() -> PathBuf {
    accessplan::settings::user_dir()
}

pub(super) fn recent_file() -> PathBuf {
    data_dir().join("recent.txt")
}

/// Recently opened scenarios, newest first.
pub fn recent() -> Vec<PathBuf> {
    std::fs::read_to_string(recent_file()).unwrap_or_default().lines().filter(|l| !l.trim().is_empty()).map(PathBuf::from).filter(|p| p.exists()).collect()
}

pub(super) fn remember_recent(p: &Path) {
    let mut list = recent();
    let p = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    list.retain(|x| x != &p);
    list.insert(0, p);
    list.truncate(10);
    let text: String = list.iter().map(|p| format!("{}\n", p.display())).collect();
    if std::fs::create_dir_all(data_dir()).is_ok() {
        let _ = accessplan::fileio::write_atomic(&recent_file(), text.as_bytes(), &[]);
    }
}
