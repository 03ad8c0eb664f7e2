//! The desktop app (egui/eframe). It holds view state and calls the engine;
//! it never computes travel times itself. `AccessplanApp::ui_root` draws
//! the whole window, so the tests (egui_kittest) drive exactly what a user
//! sees.

mod editor;
mod export;
mod jobs;
mod map;
mod map_raster;
mod new_study;
mod palette;
mod results;
pub mod state;
mod suggest;

use std::path::{Path, PathBuf};

use accessplan::analysis::Target;
use accessplan::travel::Mode;

use jobs::{Job, OpenJob};
use map::{MapGeometry, MapView};
use state::{Edit, Layers, Session, Showing};

/// Which tab the results panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsTab {
    /// Coverage table.
    Coverage,
    /// Cumulative curves.
    Curves,
    /// Patient journeys.
    Journeys,
    /// Site loads.
    Loads,
    /// Help.
    Help,
}

/// The app.
pub struct AccessplanApp {
    /// The open session, once loaded.
    pub session: Option<Session>,
    /// Map geometry of the session's region.
    geometry: Option<MapGeometry>,
    /// Map view.
    view: MapView,
    /// Opening in progress.
    job: Option<OpenJob>,
    /// A new site's travel times being computed, with the number of sites
    /// the region had when it started (the columns only fit that region).
    site_job: Option<(Job<Result<accessplan::study::SiteColumns, accessplan::progress::Cancelled>>, usize)>,
    /// Mode shown.
    pub mode: Mode,
    /// Target shown (any HLC or a service).
    pub target: Target,
    /// Before, after or difference.
    pub showing: Showing,
    /// Layers on.
    pub layers: Layers,
    /// Results tab.
    pub tab: ResultsTab,
    /// Zone selected on the map.
    pub selected_zone: Option<usize>,
    /// Isochrone from the last click: (rings in metres, colour) per band, and a caption.
    isochrone: Vec<(Vec<Vec<[f64; 2]>>, egui::Color32)>,
    /// The last autosave failure shown, so it is said once.
    autosave_error: Option<String>,
    /// An isochrone being drawn on a worker thread, with the mode it is for.
    iso_job: Option<(Job<Result<accessplan::travel::isochrone::Isochrone, accessplan::travel::isochrone::NoIsochrone>>, Mode)>,
    /// Messages for the user (errors in red).
    pub messages: Vec<(bool, String)>,
    /// Journeys table filter and sort.
    journeys: results::JourneyTable,
    /// Export dialog state.
    export: export::ExportState,
    /// The "New study from files" form.
    new_study: new_study::NewStudyForm,
    /// The "Suggest placement" window.
    pub suggest: suggest::SuggestPanel,
    /// Dark theme.
    dark: bool,
    /// Asking whether to quit with unsaved changes.
    confirm_quit: bool,
    /// A recovered autosave waiting for the user's answer.
    recovery: Option<PathBuf>,
    /// Last autosave.
    last_autosave: std::time::Instant,
    /// The next map click adds a candidate site.
    pub adding_site: bool,
    /// Frame-time measurement, when asked for (`accessplan app --bench-frames N`).
    pub bench: Option<FrameBench>,
}

/// Frame timings for the app benchmark: wall time between frames with the
/// map drawn, and the time from an edit to its frame.
#[derive(Debug, Clone)]
pub struct FrameBench {
    /// Frames to measure after the study is open.
    pub frames: usize,
    /// When the process started (for start-up time).
    pub started: std::time::Instant,
    /// Time to the first frame with the study open, seconds.
    pub ready_s: Option<f64>,
    /// Frame intervals, seconds.
    pub intervals: Vec<f64>,
    /// Edit-to-frame-end times, seconds.
    pub edits: Vec<f64>,
    /// CPU time of each frame's UI code (eframe's measure), seconds.
    pub cpu: Vec<f64>,
    last: Option<std::time::Instant>,
}

impl FrameBench {
    /// A benchmark of `frames` frames.
    pub fn new(frames: usize, started: std::time::Instant) -> Self {
        FrameBench { frames, started, ready_s: None, intervals: Vec::new(), edits: Vec::new(), cpu: Vec::new(), last: None }
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

impl AccessplanApp {
    fn blank() -> Self {
        AccessplanApp {
            session: None,
            geometry: None,
            view: MapView::default(),
            job: None,
            site_job: None,
            mode: Mode::CarOffpeak,
            target: Target::AnyHlc,
            showing: Showing::After,
            layers: Layers::default(),
            tab: ResultsTab::Coverage,
            selected_zone: None,
            isochrone: Vec::new(),
            iso_job: None,
            autosave_error: None,
            messages: Vec::new(),
            journeys: results::JourneyTable::default(),
            export: export::ExportState::default(),
            new_study: new_study::NewStudyForm::default(),
            suggest: suggest::SuggestPanel::default(),
            dark: false,
            confirm_quit: false,
            recovery: None,
            last_autosave: std::time::Instant::now(),
            adding_site: false,
            bench: None,
        }
    }

    /// The app, opening the demo region (or the given scenarios) in the background.
    pub fn new(ctx: &egui::Context, scenario: Option<(PathBuf, Option<PathBuf>)>) -> Self {
        let mut app = Self::blank();
        match scenario.map(Ok).unwrap_or_else(|| demo_scenarios().map(|(a, b)| (a, Some(b)))) {
            Ok((after, before)) => app.job = Some(OpenJob::start(after, before, Some(ctx.clone()))),
            Err(e) => app.messages.push((true, format!("The demo region could not be unpacked: {e}. Open a scenario with File > Open."))),
        }
        let auto = data_dir().join("autosave.toml");
        if auto.exists() {
            app.recovery = Some(auto);
        }
        app
    }

    /// The app with the demo region loaded before returning (UI tests).
    #[cfg(test)]
    pub fn new_blocking() -> Self {
        let mut app = Self::blank();
        match demo_scenarios().and_then(|(after, before)| Session::open(&after, Some(&before), &accessplan::progress::Progress::new())) {
            Ok(s) => app.set_session(s),
            Err(e) => app.messages.push((true, e.to_string())),
        }
        app
    }

    fn set_session(&mut self, s: Session) {
        // A new site's travel times fit only the study they were asked for.
        if let Some((job, _)) = self.site_job.take() {
            job.cancel();
            self.messages.push((false, format!("{} was not added: another study was opened.", job.label)));
        }
        if let Some((job, _)) = self.iso_job.take() {
            job.cancel();
        }
        self.geometry = Some(MapGeometry::of(&s.study.region, s.study.tt.timetable.as_deref()));
        self.view = MapView::default();
        self.selected_zone = None;
        self.isochrone.clear();
        if s.after_eval.mode_index(self.mode).is_none() {
            self.mode = s.after_eval.modes.first().copied().unwrap_or(Mode::CarOffpeak);
        }
        // Open on the service that changes most (the nearest HLC is the same in every scenario).
        // Without HLCs (sites from OSM, say) "nearest HLC" is empty: show the first service.
        let first = (s.study.scenario.hlc_sites().is_empty() && !s.study.scenario.services.is_empty()).then_some(Target::Service(0));
        self.target = s.most_changed_service(self.mode).map(Target::Service).or(first).unwrap_or(Target::AnyHlc);
        remember_recent(&s.study.path);
        self.messages.push((false, format!("Opened {} ({} zones, {} sites)", s.study.path.display(), s.study.region.zones.len(), s.study.region.sites.len())));
        self.session = Some(s);
    }

    /// Opens a scenario in the background (the current work stays until it loads).
    pub fn open(&mut self, after: PathBuf, before: Option<PathBuf>, ctx: &egui::Context) {
        self.job = Some(OpenJob::start(after, before, Some(ctx.clone())));
    }

    /// Applies an edit.
    pub fn edit(&mut self, e: Edit) {
        if let Some(s) = self.session.as_mut() {
            s.apply(e);
        }
    }

    fn poll_job(&mut self) {
        if let Some((job, mode)) = &self.iso_job
            && let Some(r) = job.poll()
        {
            let mode = *mode;
            self.iso_job = None;
            match r {
                Ok(r) => self.show_isochrone(r, mode),
                Err(()) => self.messages.push((true, "The isochrone stopped unexpectedly.".into())),
            }
        }
        if let Some((job, n_sites)) = &self.site_job
            && let Some(r) = job.poll()
        {
            let (label, n_sites, took) = (job.label.clone(), *n_sites, job.started.elapsed());
            self.site_job = None;
            match (r, self.session.as_mut()) {
                (Ok(Ok(cols)), Some(s)) if s.study.region.sites.len() == n_sites => {
                    let i = s.add_columns(cols);
                    let name = s.study.region.sites[i].name.clone();
                    self.geometry = Some(MapGeometry::of(&s.study.region, s.study.tt.timetable.as_deref()));
                    self.messages.push((
                        false,
                        format!("{name} added ({:.0} ms for its travel times by every mode); tick services for it in the editor.", took.as_secs_f64() * 1000.0),
                    ));
                }
                (Ok(Err(_cancelled)), _) => self.messages.push((false, format!("{label} was not added: cancelled."))),
                (Ok(_), _) => self.messages.push((true, format!("{label} was not added: another scenario was opened while its travel times were computed."))),
                (Err(()), _) => self.messages.push((true, format!("{label} was not added: computing its travel times stopped unexpectedly."))),
            }
        }
        if let Some(job) = &self.job
            && let Some(r) = job.poll_open()
        {
            self.job = None;
            match r {
                Ok(s) => self.set_session(s),
                Err(e) => {
                    if self.bench.is_some() {
                        eprintln!("app benchmark: could not open the scenario: {e}");
                        std::process::exit(1);
                    }
                    self.messages.push((true, format!("Could not open: {e}. Your current work is unchanged.")))
                }
            }
        }
    }

    fn autosave(&mut self) {
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

    /// Draws the whole window into `ui`.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_visuals(palette::visuals(self.dark));
        self.poll_job();
        self.poll_new_study();
        self.shortcuts(&ctx);
        self.autosave();

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("controls").resizable(true).default_size(590.0).show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| self.controls(ui));
        });
        egui::Panel::right("results").resizable(true).default_size(470.0).show(ui, |ui| self.results(ui));
        egui::CentralPanel::default().show(ui, |ui| self.map(ui));
        self.dialogs(&ctx);
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let redo = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        let redo2 = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
        let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
        let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let fit = KeyboardShortcut::new(Modifiers::NONE, Key::Home);
        let (u, r, s, o, f) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&undo),
                i.consume_shortcut(&redo) || i.consume_shortcut(&redo2),
                i.consume_shortcut(&save),
                i.consume_shortcut(&open),
                i.consume_shortcut(&fit),
            )
        });
        if let Some(sess) = self.session.as_mut() {
            if u {
                sess.undo();
            }
            if r {
                sess.redo();
            }
        }
        if s {
            self.save(None);
        }
        if o {
            self.open_dialog(ctx);
        }
        if f {
            self.view.fitted = false;
        }
        for dropped in ctx.input(|i| i.raw.dropped_files.clone()) {
            let p = dropped.path().to_path_buf();
            if !p.as_os_str().is_empty() {
                self.open_path(p, ctx);
            }
        }
    }

    fn open_path(&mut self, p: PathBuf, ctx: &egui::Context) {
        match export::recognise(&p) {
            export::FileKind::Scenario => {
                let before = self.session.as_ref().and_then(|s| s.before.as_ref().map(|b| b.0.clone()));
                self.open(p, before, ctx);
            }
            export::FileKind::Unknown => self.messages.push((
                true,
                format!(
                    "{} looks like {}: give a scenario (.toml) or an input file (OSM, GTFS, GeoJSON, CSV).",
                    p.display(),
                    export::FileKind::Unknown.describe()
                ),
            )),
            _ => self.place_input(&p),
        }
    }

    fn open_dialog(&mut self, ctx: &egui::Context) {
        let inputs = ["toml", "osm", "pbf", "geojson", "json", "csv", "zip"];
        for p in
            rfd::FileDialog::new().add_filter("Scenario or input files", &inputs).add_filter("accessplan scenario", &["toml"]).pick_files().unwrap_or_default()
        {
            self.open_path(p, ctx);
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

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .button("Open scenario...  (Ctrl+O)")
                    .on_hover_text("A scenario opens; input files (OSM, GTFS, GeoJSON, CSV) go into New study from files")
                    .clicked()
                {
                    self.open_dialog(&ctx);
                }
                if ui.button("New study from files…").on_hover_text("Street network, zones, sites and more: a first scenario is written beside them").clicked()
                {
                    self.new_study.open = true;
                }
                if ui.button("Open baseline (before)...").on_hover_text("The scenario to compare against: usually today's configuration").clicked()
                    && let Some(p) = rfd::FileDialog::new().add_filter("accessplan scenario", &["toml"]).pick_file()
                    && let Some(s) = &self.session
                {
                    let after = s.study.path.clone();
                    self.open(after, Some(p), &ctx);
                }
                if ui.button("Open the demo region").clicked() {
                    match demo_scenarios() {
                        Ok((a, b)) => self.open(a, Some(b), &ctx),
                        Err(e) => self.messages.push((true, format!("The demo region could not be unpacked: {e}"))),
                    }
                }
                ui.menu_button("Recent", |ui| {
                    for p in recent() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.open_path(p, &ctx);
                        }
                    }
                });
                ui.separator();
                if ui.button("Save  (Ctrl+S)").clicked() {
                    self.save(None);
                }
                if ui.button("Save as...").clicked()
                    && let Some(p) = rfd::FileDialog::new().add_filter("accessplan scenario", &["toml"]).set_file_name("scenario.toml").save_file()
                {
                    self.save(Some(p));
                }
                ui.separator();
                if ui.button("Export map, report or tables...").clicked() {
                    self.export.open = true;
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.request_quit(&ctx);
                }
            });
            ui.menu_button("Edit", |ui| {
                let (cu, cr) = self.session.as_ref().map_or((false, false), |s| s.can_undo_redo());
                if ui.add_enabled(cu, egui::Button::new("Undo  (Ctrl+Z)")).clicked()
                    && let Some(s) = self.session.as_mut()
                {
                    s.undo();
                }
                if ui.add_enabled(cr, egui::Button::new("Redo  (Ctrl+Shift+Z)")).clicked()
                    && let Some(s) = self.session.as_mut()
                {
                    s.redo();
                }
            });
            ui.menu_button("View", |ui| {
                ui.checkbox(&mut self.dark, "Dark theme");
                if ui.button("Zoom to extent  (Home)").clicked() {
                    self.view.fitted = false;
                }
            });
            if ui.button("Help").clicked() {
                self.tab = ResultsTab::Help;
            }
        });
    }

    fn request_quit(&mut self, ctx: &egui::Context) {
        if self.session.as_ref().is_some_and(|s| s.dirty) {
            self.confirm_quit = true;
        } else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(job) = &self.job {
                ui.spinner();
                let n = job.steps();
                ui.label(format!(
                    "Opening {}: loading the region and computing travel times ({} searches, {:.1} s)",
                    job.label,
                    n,
                    job.started.elapsed().as_secs_f32()
                ));
                if ui.button("Cancel").clicked() {
                    job.cancel();
                    self.job = None;
                    self.messages.push((false, "Opening cancelled; your current work is unchanged.".into()));
                }
            } else if let Some((job, _)) = &self.site_job {
                ui.spinner();
                ui.label(format!(
                    "Computing travel times to {} by every mode ({} searches, {:.1} s)",
                    job.label,
                    job.steps(),
                    job.started.elapsed().as_secs_f32()
                ));
                if ui.button("Cancel").clicked() {
                    job.cancel();
                    self.messages.push((false, format!("{} not added.", job.label)));
                    self.site_job = None;
                }
            } else if let Some((job, mode)) = &self.iso_job {
                ui.spinner();
                ui.label(format!("Drawing the {} isochrone ({:.1} s)", mode.title().to_lowercase(), job.started.elapsed().as_secs_f32()));
                if ui.button("Cancel").clicked() {
                    job.cancel();
                    self.iso_job = None;
                }
            } else if self.new_study.job.is_some() {
                self.new_study_status(ui);
            } else if let Some((err, m)) = self.messages.last() {
                let c = if *err { egui::Color32::from_rgb(0xc0, 0x20, 0x20) } else { ui.visuals().text_color() };
                ui.colored_label(c, m);
            }
            if let Some(s) = &self.session {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(format!("updated in {:.1} ms", s.last_eval_ms)).on_hover_text("Time to re-evaluate every service and mode after the last change");
                    if s.dirty {
                        ui.label("unsaved changes");
                    }
                });
            }
        });
    }

    fn controls(&mut self, ui: &mut egui::Ui) {
        let Some(s) = &self.session else {
            ui.heading("accessplan");
            ui.label("Loading the demo region...");
            return;
        };
        ui.heading(&s.study.scenario.name);
        if let Some((p, b)) = &s.before {
            ui.label(format!("Compared with: {} ({})", b.name, p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
        }
        ui.add_space(6.0);
        egui::Grid::new("view-controls").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            ui.label("Travel by").on_hover_text("How people travel to the site. Bus times include walking to and from stops and waiting.");
            egui::ComboBox::from_id_salt("mode")
                .selected_text(self.mode.title())
                .show_ui(ui, |ui| {
                    for m in s.after_eval.modes.clone() {
                        ui.selectable_value(&mut self.mode, m, m.title());
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Travel by"));
            ui.end_row();
            ui.label("Service").on_hover_text("\"Nearest HLC\" is the nearest Healthy Living Centre, whatever it offers. A service follows its tier rule: tier 1 your own locality's site, tier 2 your locality pair's, tier 3 the nearest offering site.");
            let name = match self.target {
                Target::AnyHlc => "Nearest HLC".to_string(),
                Target::Service(i) => s.study.scenario.services.get(i).map(|x| format!("{} (tier {})", x.name, x.tier.number())).unwrap_or_default(),
            };
            egui::ComboBox::from_id_salt("target")
                .selected_text(name)
                .width(230.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.target, Target::AnyHlc, "Nearest HLC");
                    for (i, x) in s.study.scenario.services.iter().enumerate() {
                        ui.selectable_value(&mut self.target, Target::Service(i), format!("{} (tier {})", x.name, x.tier.number()));
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Service"));
            ui.end_row();
            ui.label("Map shows").on_hover_text("Before: the baseline. After: the scenario you are editing. Difference: after minus before (blue is quicker).");
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.showing, Showing::Before, "Before");
                ui.selectable_value(&mut self.showing, Showing::After, "After");
                ui.selectable_value(&mut self.showing, Showing::Difference, "Difference");
            });
            ui.end_row();
        });
        ui.add_space(4.0);
        ui.collapsing("Layers", |ui| {
            ui.checkbox(&mut self.layers.zones, "Zones shaded by time");
            ui.checkbox(&mut self.layers.localities, "Locality boundaries");
            ui.checkbox(&mut self.layers.streets, "Street network");
            ui.checkbox(&mut self.layers.sites, "Sites");
            ui.checkbox(&mut self.layers.violations, "Tier-rule gaps (red outline)");
            if s.study.tt.timetable.is_some() {
                ui.checkbox(&mut self.layers.bus, "Bus routes and stops");
            } else if let Some(p) = &s.study.tt.bus_problem {
                ui.label(format!("No bus times: {p}"));
            }
        });
        ui.horizontal(|ui| {
            ui.toggle_value(&mut self.adding_site, "Add a candidate site").on_hover_text(
                "Then click on the map where the site would be. Its travel times are computed at once and it appears in the editor as a column.",
            );
            if self.adding_site {
                ui.label("click on the map...");
            }
        });
        ui.separator();
        editor::show(ui, self);
    }

    fn results(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, ResultsTab::Coverage, "Coverage");
            ui.selectable_value(&mut self.tab, ResultsTab::Curves, "Curves");
            ui.selectable_value(&mut self.tab, ResultsTab::Journeys, "Journeys");
            ui.selectable_value(&mut self.tab, ResultsTab::Loads, "Site loads");
            ui.selectable_value(&mut self.tab, ResultsTab::Help, "Help");
        });
        ui.separator();
        if self.tab == ResultsTab::Help {
            results::help(ui);
            return;
        }
        let Some(s) = &self.session else { return };
        match self.tab {
            ResultsTab::Coverage => results::coverage(ui, s, self.target),
            ResultsTab::Curves => results::curves(ui, s, self.target, self.mode),
            ResultsTab::Journeys => results::journeys(ui, s, &mut self.journeys, self.mode, self.selected_zone),
            ResultsTab::Loads => results::loads(ui, s, self.target),
            ResultsTab::Help => {}
        }
    }

    fn map(&mut self, ui: &mut egui::Ui) {
        let (Some(s), Some(geo)) = (&self.session, &self.geometry) else {
            ui.centered_and_justified(|ui| ui.spinner());
            return;
        };
        let values = s.zone_minutes(self.target, self.mode, self.showing);
        let diverging = self.showing == Showing::Difference;
        let offering = match self.target {
            Target::Service(i) => s.study.scenario.services.get(i).map(|x| x.offered.as_slice()),
            Target::AnyHlc => None,
        };
        let violating: Vec<usize> =
            s.after_eval.violations.iter().filter(|v| matches!(self.target, Target::Service(i) if i == v.service)).flat_map(|v| v.localities.clone()).collect();
        let credits = if s.study.region.uses_osm { "Streets © OpenStreetMap contributors" } else { "Synthetic demo region (fictional)" };
        let what = match self.showing {
            Showing::Difference => format!("{}: change in minutes", self.mode.title()),
            Showing::Before => format!("{}, before: minutes", self.mode.title()),
            Showing::After => format!("{}, after: minutes", self.mode.title()),
        };
        let hlcs = s.study.scenario.hlc_sites();
        let input = map::MapInput {
            geo,
            region: &s.study.region,
            values: &values,
            diverging,
            layers: self.layers,
            offering,
            hlcs: &hlcs,
            proposed: self.suggest.proposed_sites(),
            violating: &violating,
            selected: self.selected_zone,
            isochrone: &self.isochrone,
            credits,
            legend_title: &what,
        };
        let ev = map::show(ui, &mut self.view, &input);
        if let Some(z) = ev.hovered {
            let zone = &s.study.region.zones[z];
            let b = s.zone_minutes(self.target, self.mode, Showing::Before)[z];
            let a = s.zone_minutes(self.target, self.mode, Showing::After)[z];
            let fmt = |x: Option<f64>| x.map_or("no journey".to_string(), |m| format!("{m:.1} min"));
            egui::Tooltip::always_open(ui.ctx().clone(), ui.layer_id(), ui.scope_id().with("zone-tip"), egui::PopupAnchor::Pointer).show(|ui| {
                ui.strong(&zone.id);
                ui.label(format!("{:.0} residents, {}", zone.population, zone.locality.as_deref().unwrap_or("no locality")));
                ui.label(format!("{}: before {}, after {}", self.mode.title(), fmt(b), fmt(a)));
            });
        }
        if let Some((q, _)) = ev.clicked
            && self.adding_site
        {
            self.adding_site = false;
            self.add_site_at(geo.proj.to_lonlat(q), ui.ctx());
            return;
        }
        if let Some((q, zone)) = ev.clicked {
            self.selected_zone = zone;
            if zone.is_some() {
                self.tab = ResultsTab::Journeys;
            }
            self.isochrone_at(q, ui.ctx());
        }
    }

    /// Starts adding a candidate site at `at`: its travel times are computed
    /// on a worker thread, and the site joins the scenario when they arrive.
    pub fn add_site_at(&mut self, at: accessplan::LonLat, ctx: &egui::Context) {
        if let Some(s) = self.session.as_ref() {
            let job = s.study.column_job(s.new_site(at));
            let label = job.site().name.clone();
            let n_sites = s.study.region.sites.len();
            self.site_job = Some((Job::spawn(label, Some(ctx.clone()), move |progress| job.compute(progress)), n_sites));
        }
    }

    /// Starts drawing isochrone bands from a point (metres in the map
    /// projection) on a worker thread; a click elsewhere cancels the last one.
    fn isochrone_at(&mut self, q: [f64; 2], ctx: &egui::Context) {
        use accessplan::network::StreetMode;
        use accessplan::travel::isochrone::{bus_isochrone, isochrone};
        let (Some(s), Some(geo)) = (&self.session, &self.geometry) else { return };
        let at = geo.proj.to_lonlat(q);
        const MINUTES: [f64; 5] = [5.0, 10.0, 15.0, 20.0, 30.0];
        let request = s.study.tt.request.clone();
        let net_of = |sm: StreetMode| s.study.region.networks.iter().find(|n| n.mode == sm).cloned();
        let job = match (self.mode.street(), s.study.tt.timetable.clone(), net_of(StreetMode::Walk)) {
            (Some((sm, period)), _, _) => {
                let Some(net) = net_of(sm) else { return };
                Job::spawn("isochrone".into(), Some(ctx.clone()), move |progress| isochrone(&net, period, at, &MINUTES, request.max_snap_m, 60.0, progress))
            }
            (None, Some(tt), Some(walk)) => Job::spawn("isochrone".into(), Some(ctx.clone()), move |progress| {
                bus_isochrone(&tt, &walk, at, request.bus_window.middle_s(), &MINUTES, &request.bus_options(), 60.0, progress)
            }),
            _ => return,
        };
        if let Some((old, _)) = self.iso_job.replace((job, self.mode)) {
            old.cancel();
        }
    }

    /// Shows a finished isochrone (or says why there is none).
    fn show_isochrone(&mut self, result: Result<accessplan::travel::isochrone::Isochrone, accessplan::travel::isochrone::NoIsochrone>, mode: Mode) {
        let Some(geo) = &self.geometry else { return };
        match result {
            Ok(iso) => {
                let colours = [(0x1a, 0x98, 0x50), (0x91, 0xcf, 0x60), (0xd9, 0xef, 0x8b), (0xfc, 0x8d, 0x59), (0xd7, 0x30, 0x27)];
                self.isochrone = iso
                    .bands
                    .iter()
                    .zip(colours)
                    .map(|(b, (r, g, bl))| {
                        let rings =
                            b.area.0.iter().map(|p| p.exterior().coords().map(|c| geo.proj.to_xy(accessplan::LonLat::new(c.x, c.y))).collect()).collect();
                        (rings, egui::Color32::from_rgb(r, g, bl))
                    })
                    .collect();
                self.messages.push((
                    false,
                    format!(
                        "Isochrone by {}: 5, 10, 15, 20 and 30 minutes from the clicked point (dark green = 5 min; bus: leaving mid-window, waits included).",
                        mode.title().to_lowercase()
                    ),
                ));
            }
            Err(accessplan::travel::isochrone::NoIsochrone::Cancelled) => {}
            Err(e) => {
                self.isochrone.clear();
                self.messages.push((true, format!("No isochrone here: {e}")));
            }
        }
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        suggest::window(self, ctx);
        if self.confirm_quit {
            egui::Window::new("Unsaved changes").collapsible(false).resizable(false).show(ctx, |ui| {
                ui.label("The scenario has changes that are not saved.");
                ui.horizontal(|ui| {
                    if ui.button("Save and quit").clicked() {
                        self.save(None);
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                    if ui.button("Quit without saving").clicked() {
                        if let Some(s) = self.session.as_mut() {
                            s.dirty = false;
                        }
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                    if ui.button("Cancel").clicked() {
                        self.confirm_quit = false;
                    }
                });
            });
        }
        if let Some(p) = self.recovery.clone()
            && self.session.is_some()
        {
            egui::Window::new("Recover unsaved work?").collapsible(false).resizable(false).show(ctx, |ui| {
                ui.label("accessplan closed with unsaved changes last time. Recover them?");
                ui.horizontal(|ui| {
                    if ui.button("Recover").clicked() {
                        self.recover(&p);
                        self.recovery = None;
                    }
                    if ui.button("Discard").clicked() {
                        let _ = std::fs::remove_file(&p);
                        self.recovery = None;
                    }
                });
            });
        }
        export::window(ctx, self);
        self.new_study_window(ctx);
    }

    fn recover(&mut self, autosave: &Path) {
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
            if !s.study.region.sites.iter().any(|x| x.id == c.id) {
                if let Ok(cols) = s.study.column_job(c.to_site()).compute(&accessplan::progress::Progress::new()) {
                    s.add_columns(cols);
                }
            }
        }
        self.geometry = Some(MapGeometry::of(&s.study.region, s.study.tt.timetable.as_deref()));
        let r = accessplan::plan::Scenario::resolve(&file, &s.study.path, &s.study.region, &s.study.catalogue);
        match r {
            Ok(sc) => {
                s.replace_scenario(sc);
                self.messages.push((false, "Recovered the autosaved scenario (Undo to go back).".into()));
            }
            Err(e) => self.messages.push((true, format!("Could not recover: {e}"))),
        }
    }
}

impl eframe::App for AccessplanApp {
    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        palette::panel_colour(self.dark).to_normalized_gamma_f32()
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let (Some(b), Some(cpu)) = (self.bench.as_mut(), frame.info().cpu_usage)
            && b.last.is_some()
        {
            b.cpu.push(cpu as f64);
        }
        if self.bench.is_none() && ui.ctx().input(|i| i.viewport().close_requested()) && self.session.as_ref().is_some_and(|s| s.dirty) {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_quit = true;
        }
        let edit_started = self.bench_step();
        if self.bench.is_some() && std::env::var_os("ACCESSPLAN_BENCH_EMPTY").is_some() {
            // The floor: the same window with one label, to compare against.
            self.poll_job();
            ui.ctx().set_visuals(palette::visuals(self.dark));
            egui::CentralPanel::default().show(ui, |ui| ui.label("empty frame"));
        } else {
            self.ui_root(ui);
        }
        self.bench_record(ui.ctx(), edit_started);
    }
}

impl AccessplanApp {
    /// Before a benchmark frame: every tenth frame, tick a box (an edit);
    /// with ACCESSPLAN_BENCH_PAN, also pan the map 4 points a frame, back and forth.
    fn bench_step(&mut self) -> Option<std::time::Instant> {
        let b = self.bench.as_ref()?;
        let n = b.intervals.len();
        if std::env::var_os("ACCESSPLAN_BENCH_PAN").is_some() && self.view.fitted {
            self.view.centre[0] += (if (n / 50) % 2 == 0 { 4.0 } else { -4.0 }) / self.view.scale;
        }
        let s = self.session.as_mut()?;
        if n == 0 || n % 10 != 5 || s.study.scenario.services.is_empty() {
            return None;
        }
        let t = std::time::Instant::now();
        let si = (n / 10) % s.study.scenario.services.len();
        let site = (n / 10) % s.study.region.sites.len();
        let on = !s.study.scenario.services[si].offered[site];
        self.target = Target::Service(si);
        self.edit(Edit::Offer { service: si, site, on });
        Some(t)
    }

    /// After a benchmark frame: record, and print and quit when done.
    fn bench_record(&mut self, ctx: &egui::Context, edit_started: Option<std::time::Instant>) {
        let Some(b) = self.bench.as_mut() else { return };
        ctx.request_repaint();
        if self.session.is_none() {
            return;
        }
        let now = std::time::Instant::now();
        if b.ready_s.is_none() {
            b.ready_s = Some(b.started.elapsed().as_secs_f64());
        }
        if let Some(t) = edit_started {
            b.edits.push(t.elapsed().as_secs_f64());
        }
        if let Some(last) = b.last {
            b.intervals.push((now - last).as_secs_f64());
        }
        b.last = Some(now);
        if b.intervals.len() >= b.frames {
            let med = |mut v: Vec<f64>| -> (f64, f64) {
                v.sort_by(|a, b| a.total_cmp(b));
                if v.is_empty() { (f64::NAN, f64::NAN) } else { (v[v.len() / 2], v[(v.len() * 9 / 10).min(v.len() - 1)]) }
            };
            let (fm, f90) = med(b.intervals.clone());
            let (em, e90) = med(b.edits.clone());
            let (cm, c90) = med(b.cpu.clone());
            let s = self.session.as_ref().map(|s| (s.study.region.zones.len(), self.geometry.as_ref().map_or(0, |g| g.streets.len()))).unwrap_or_default();
            println!("app benchmark: {} zones, {} street lines drawn", s.0, s.1);
            println!("start-up to first frame with the study open: {:.0} ms", b.ready_s.unwrap_or(f64::NAN) * 1000.0);
            println!("frame time over {} frames: median {:.1} ms, 90th percentile {:.1} ms", b.intervals.len(), fm * 1000.0, f90 * 1000.0);
            println!(
                "  of which CPU time in the frame (UI code and rendering, eframe's measure): median {:.1} ms, 90th percentile {:.1} ms",
                cm * 1000.0,
                c90 * 1000.0
            );
            println!(
                "tick in the editor to updated map and tables (edit + re-evaluation + frame), {} edits: median {:.1} ms, 90th percentile {:.1} ms",
                b.edits.len(),
                em * 1000.0,
                e90 * 1000.0
            );
            // The benchmark's own ticks are not the user's work: close without asking.
            if let Some(s) = self.session.as_mut() {
                s.dirty = false;
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            self.bench = None;
        }
    }
}

fn recent_file() -> PathBuf {
    data_dir().join("recent.txt")
}

/// Recently opened scenarios, newest first.
pub fn recent() -> Vec<PathBuf> {
    std::fs::read_to_string(recent_file()).unwrap_or_default().lines().filter(|l| !l.trim().is_empty()).map(PathBuf::from).filter(|p| p.exists()).collect()
}

fn remember_recent(p: &Path) {
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

/// Opens the window on the demo region, or on `scenario` (with an optional
/// baseline); with `bench_frames`, measures that many frames and quits.
pub fn run(scenario: Option<(PathBuf, Option<PathBuf>)>, bench_frames: Option<usize>) -> eframe::Result {
    let started = std::time::Instant::now();
    let options =
        eframe::NativeOptions { viewport: egui::ViewportBuilder::default().with_inner_size([1600.0, 1000.0]).with_title("accessplan"), ..Default::default() };
    // Measuring frames: do not wait for the display's refresh.
    let mut options = options;
    options.glow_options.vsync = bench_frames.is_none();
    eframe::run_native(
        "accessplan",
        options,
        Box::new(move |cc| {
            let mut app = AccessplanApp::new(&cc.egui_ctx, scenario);
            if let Some(n) = bench_frames {
                app.bench = Some(FrameBench::new(n, started));
                app.recovery = None;
            }
            Ok(Box::new(app))
        }),
    )
}

#[cfg(test)]
mod tests;
