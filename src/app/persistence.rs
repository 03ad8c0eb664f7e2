//! What the app keeps between sessions: saving the scenario, the autosave
//! and its recovery, the recent files, the folder they live in, and where
//! the demo's scenarios are.

use super::*;

impl AccessplanApp {
    /// Keeps the autosave up to date: called at the end of every frame, it
    /// hands a snapshot of the scenario (its TOML) to the [`Autosaver`]
    /// worker whenever the session's edit count moved, so an edit reaches
    /// the disk in the frame it was made in (the worker writes it off the
    /// UI thread within milliseconds), whatever the window does afterwards:
    /// no later frame is needed. The worker asks for a frame when a write
    /// is done, and a failure is said once in the status bar.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        for r in self.autosaver.results() {
            match r {
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
        let Some(s) = &self.session else { return };
        if !s.dirty || s.edits == self.autosaved_edits {
            return;
        }
        self.autosaved_edits = s.edits;
        // The autosave keeps the scenario's own path so it can be reopened in place.
        let mut f = s.scenario_file();
        f.description = format!("autosave of {}\n{}", s.save_path.display(), f.description);
        match f.to_toml() {
            Ok(text) => self.autosaver.save(data_dir(), text, s.study.path.display().to_string(), Some(ctx.clone())),
            Err(e) => {
                let msg = format!("Autosave failed: {e}. Save your work with Ctrl+S.");
                if self.autosave_error.as_deref() != Some(msg.as_str()) {
                    self.messages.push((true, msg.clone()));
                    self.autosave_error = Some(msg);
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
            Ok(phases) => {
                let also: Vec<String> =
                    phases.iter().map(|p| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())).collect();
                let msg = if also.is_empty() {
                    format!("Saved {}", path.display())
                } else {
                    format!("Saved {}, and the edits to the plan's other phases: {}", path.display(), also.join(", "))
                };
                self.messages.push((false, msg));
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

/// The autosave writer: a worker thread that writes each snapshot it is
/// given (`autosave.toml` and `autosave.path` in the data folder, atomically,
/// the folder synced), skipping one identical to the last written, and
/// reports each write's outcome (asking the window for a frame to show it).
pub struct Autosaver {
    tx: std::sync::mpsc::Sender<Snapshot>,
    results: std::sync::mpsc::Receiver<accessplan::Result<()>>,
}

impl Autosaver {
    /// Starts the worker.
    pub fn start() -> Autosaver {
        let (tx, rx) = std::sync::mpsc::channel::<Snapshot>();
        let (res_tx, results) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("autosave".into())
            .spawn(move || {
                let mut last = String::new();
                while let Ok(mut job) = rx.recv() {
                    // Only the newest of the snapshots waiting matters.
                    while let Ok(newer) = rx.try_recv() {
                        job = newer;
                    }
                    let (dir, text, path, ctx) = job;
                    if text == last {
                        continue;
                    }
                    let r = std::fs::create_dir_all(&dir)
                        .map_err(|e| accessplan::Error::Write { path: dir.clone(), source: e })
                        .and_then(|()| accessplan::fileio::write_atomic(&dir.join("autosave.toml"), text.as_bytes(), &[]))
                        .and_then(|()| accessplan::fileio::write_atomic(&dir.join("autosave.path"), path.as_bytes(), &[]));
                    if r.is_ok() {
                        last = text;
                    }
                    if res_tx.send(r).is_err() {
                        break;
                    }
                    if let Some(ctx) = ctx {
                        ctx.request_repaint();
                    }
                }
            })
            .ok();
        Autosaver { tx, results }
    }

    /// Hands a snapshot to the worker (returns at once); `ctx` is asked
    /// for a frame once it is written or has failed.
    pub fn save(&self, dir: PathBuf, text: String, scenario_path: String, ctx: Option<egui::Context>) {
        let _ = self.tx.send((dir, text, scenario_path, ctx));
    }

    /// Outcomes of the writes finished since the last call.
    pub fn results(&self) -> Vec<accessplan::Result<()>> {
        self.results.try_iter().collect()
    }
}

/// The services the drill edits and prints: the first three of the scenario.
const DRILL_SERVICES: usize = 3;

/// One line per drilled service: id, tier and the sites offering it.
fn drill_state(app: &AccessplanApp) -> Vec<String> {
    let Some(s) = &app.session else { return Vec::new() };
    let sites = s.study.sites();
    s.study
        .scenario
        .services
        .iter()
        .take(DRILL_SERVICES)
        .map(|x| {
            let at: Vec<&str> = x.sites().into_iter().filter_map(|i| sites.get(i).map(|s| s.id.as_str())).collect();
            format!("service {} tier {} at {}", x.id, x.tier.number(), at.join(" "))
        })
        .collect()
}

/// A headless run of the app for the process-level autosave test (the
/// hidden `accessplan autosave-drill`): it opens the demo as the app does,
/// makes three edits through [`AccessplanApp::edit`] inside frames of a
/// window-less egui context (the app's own frame code, autosave included),
/// prints the edited state and "edited", then idles like eframe's event
/// loop (a frame only when one is asked for), printing each message the app
/// shows, until it is killed. With `recover`, it opens the demo, recovers
/// the autosave through the app's recovery path and prints the state.
pub fn autosave_drill(recover: bool) -> accessplan::Result<()> {
    use std::io::Write;
    let ctx = egui::Context::default();
    let (wake_tx, wake_rx) = std::sync::mpsc::channel::<std::time::Duration>();
    ctx.set_request_repaint_callback(move |info| {
        let _ = wake_tx.send(info.delay);
    });
    let mut app = AccessplanApp::blank();
    let (after, before) = demo_scenarios()?;
    app.set_session(Session::open(&after, Some(&before), &accessplan::progress::Progress::new())?);
    let mut shown = 0;
    let started = std::time::Instant::now();
    let mut frame = |app: &mut AccessplanApp, edit: Option<Edit>| {
        let mut edit = edit;
        // A window of the app's usual size, and the clock moving, as eframe gives them.
        let input = egui::RawInput {
            time: Some(started.elapsed().as_secs_f64()),
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1600.0, 1000.0))),
            ..Default::default()
        };
        let _ = ctx.run_ui(input, |ui| {
            if let Some(e) = edit.take() {
                app.edit(e);
            }
            app.ui_root(ui);
        });
        for (error, m) in &app.messages[shown..] {
            println!("message{}: {m}", if *error { " (error)" } else { "" });
        }
        shown = app.messages.len();
        let _ = std::io::stdout().flush();
    };
    frame(&mut app, None);
    if recover {
        app.recover(&data_dir().join("autosave.toml"));
        frame(&mut app, None);
        for l in drill_state(&app) {
            println!("state: {l}");
        }
        return Ok(());
    }
    for l in drill_state(&app) {
        println!("before: {l}");
    }
    let edits = {
        let Some(s) = &app.session else { return Ok(()) };
        let sv = &s.study.scenario.services;
        let mut edits = Vec::new();
        // Offer the first service where it is not offered, withdraw the
        // second from its first site, and move the third to another tier.
        if let Some(site) = sv.first().and_then(|x| x.offered.iter().position(|o| !o)) {
            edits.push(Edit::Offer { service: 0, site, on: true });
        }
        if let Some(site) = sv.get(1).and_then(|x| x.offered.iter().position(|o| *o)) {
            edits.push(Edit::Offer { service: 1, site, on: false });
        }
        if let Some(x) = sv.get(2) {
            let tier = if x.tier == accessplan::plan::Tier::THREE { accessplan::plan::Tier::TWO } else { accessplan::plan::Tier::THREE };
            edits.push(Edit::SetTier { service: 2, tier });
        }
        edits
    };
    for e in edits {
        frame(&mut app, Some(e));
    }
    for l in drill_state(&app) {
        println!("edited: {l}");
    }
    println!("edited");
    let _ = std::io::stdout().flush();
    loop {
        match wake_rx.recv() {
            Ok(delay) => {
                // At most 20 frames a second, as a display would pace them.
                std::thread::sleep(delay.clamp(std::time::Duration::from_millis(50), std::time::Duration::from_secs(1)));
                frame(&mut app, None);
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_secs(1)),
        }
    }
}

/// What the autosave worker is given: the folder, the scenario's TOML, the
/// scenario's own path, and the window to wake when it is written.
type Snapshot = (PathBuf, String, String, Option<egui::Context>);

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

#[cfg(test)]
mod autosave_tests {
    use super::*;

    #[test]
    fn the_worker_writes_the_newest_snapshot_and_reports_failures() {
        let dir = std::env::temp_dir().join(format!("accessplan-autosave-{}", std::process::id()));
        let a = Autosaver::start();
        a.save(dir.clone(), "edit 1".into(), "/s.toml".into(), None);
        a.save(dir.clone(), "edit 1\nedit 2".into(), "/s.toml".into(), None);
        // Written without any frame being drawn: the worker does it alone.
        let t = std::time::Instant::now();
        let mut seen = Vec::new();
        while seen.is_empty() && t.elapsed() < std::time::Duration::from_secs(10) {
            std::thread::sleep(std::time::Duration::from_millis(20));
            seen.extend(a.results());
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        seen.extend(a.results());
        assert!(seen.iter().all(|r| r.is_ok()), "{seen:?}");
        assert_eq!(std::fs::read_to_string(dir.join("autosave.toml")).unwrap(), "edit 1\nedit 2");
        assert_eq!(std::fs::read_to_string(dir.join("autosave.path")).unwrap(), "/s.toml");
        // A folder that cannot be made: the failure comes back.
        let blocked = dir.join("autosave.toml").join("sub");
        a.save(blocked, "x".into(), "/s.toml".into(), None);
        let t = std::time::Instant::now();
        let mut errs = Vec::new();
        while errs.is_empty() && t.elapsed() < std::time::Duration::from_secs(10) {
            std::thread::sleep(std::time::Duration::from_millis(20));
            errs.extend(a.results().into_iter().filter_map(|r| r.err()));
        }
        assert!(!errs.is_empty(), "the failure is reported");
        std::fs::remove_dir_all(&dir).ok();
    }
}
