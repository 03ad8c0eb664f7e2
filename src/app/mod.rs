//! The desktop app (egui/eframe). It holds view state and calls the engine;
//! it never computes travel times itself. `AccessplanApp::ui_root` draws
//! the whole window, so the tests (egui_kittest) drive exactly what a user
//! sees.

mod bench;
mod box_meshes;
mod editor;
mod equity_tab;
mod export;
mod flat_stripes;
mod jobs;
mod map;
mod map_actions;
mod map_iso;
mod map_lod;
mod map_raster;
mod map_sprites;
mod menus;
mod new_study;
mod palette;
mod persistence;
mod pixel_census;
mod results;
mod sites;
pub mod state;
mod suggest;

pub use bench::FrameBench;
use persistence::remember_recent;
pub use persistence::{autosave_drill, data_dir, demo_scenarios, recent};

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
    /// Each group of residents' access.
    Equity,
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
    site_job: Option<(Job<Result<accessplan::travel::SiteColumns, accessplan::progress::Cancelled>>, usize)>,
    /// Mode shown.
    pub mode: Mode,
    /// Target shown (any HLC or a service).
    pub target: Target,
    /// Before, after or difference.
    pub showing: Showing,
    /// Layers on.
    pub layers: Layers,
    /// The zone attribute zones are coloured by instead of travel times
    /// (one of `map::zone_attributes`); `None`: travel times.
    pub zone_attribute: Option<String>,
    /// Results tab.
    pub tab: ResultsTab,
    /// Zone selected on the map.
    pub selected_zone: Option<usize>,
    /// Isochrone from the last click, ready to draw.
    isochrone: Option<map_iso::IsoOverlay>,
    /// The last autosave failure shown, so it is said once.
    autosave_error: Option<String>,
    /// An isochrone being drawn on a worker thread, with the mode it is for.
    iso_job: Option<(Job<Result<accessplan::travel::isochrone::Isochrone, accessplan::travel::isochrone::NoIsochrone>>, Mode)>,
    /// Messages for the user (errors in red).
    pub messages: Vec<(bool, String)>,
    /// Journeys table filter and sort.
    journeys: results::JourneyTable,
    /// The Equality tab's grouping, and the group shown alone on the map.
    equity: equity_tab::EquityView,
    /// Later phases of a plan to open once the study has loaded (`app --phase`).
    pending_phases: Vec<PathBuf>,
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
    /// The session's edit count at the last autosave snapshot.
    autosaved_edits: u64,
    /// The worker that writes autosave snapshots.
    autosaver: persistence::Autosaver,
    /// The next map click adds a candidate site.
    pub adding_site: bool,
    /// Frame-time measurement, when asked for (`accessplan app --bench-frames N`).
    pub bench: Option<FrameBench>,
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
            zone_attribute: None,
            tab: ResultsTab::Coverage,
            selected_zone: None,
            isochrone: None,
            iso_job: None,
            autosave_error: None,
            messages: Vec::new(),
            journeys: results::JourneyTable::default(),
            equity: equity_tab::EquityView::default(),
            pending_phases: Vec::new(),
            export: export::ExportState::default(),
            new_study: new_study::NewStudyForm::default(),
            suggest: suggest::SuggestPanel::default(),
            dark: false,
            confirm_quit: false,
            recovery: None,
            autosaved_edits: 0,
            autosaver: persistence::Autosaver::start(),
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
        let geometry = MapGeometry::of(&s.study.region, s.study.sites(), s.study.tt.timetable.as_deref());
        self.set_session_with(s, geometry);
    }

    /// Shows `s` with its map `geometry` (projected from it).
    fn set_session_with(&mut self, s: Session, geometry: MapGeometry) {
        // A new site's travel times fit only the study they were asked for.
        if let Some((job, _)) = self.site_job.take() {
            job.cancel();
            self.messages.push((false, format!("{} was not added: another study was opened.", job.label)));
        }
        if let Some((job, _)) = self.iso_job.take() {
            job.cancel();
        }
        self.geometry = Some(geometry);
        self.view = MapView::default();
        self.zone_attribute = None;
        self.selected_zone = None;
        self.isochrone = None;
        self.autosaved_edits = 0;
        if s.after_eval.mode_index(self.mode).is_none() {
            self.mode = s.after_eval.modes.first().copied().unwrap_or(Mode::CarOffpeak);
        }
        // Open on the service that changes most (the nearest HLC is the same in every scenario).
        // Without HLCs (sites from OSM, say) "nearest HLC" is the nearest site of any kind, and says so.
        self.target = s.most_changed_service(self.mode).map(Target::Service).unwrap_or(Target::AnyHlc);
        remember_recent(&s.study.path);
        self.messages.push((false, format!("Opened {} ({} zones, {} sites)", s.study.path.display(), s.study.region.zones.len(), s.study.sites().len())));
        if let Some(cache) = &s.study.tt.cache {
            let used = &s.study.tt.cache_use;
            if used.read > 0 {
                self.messages.push((false, format!("Street travel times: {} (travel times ready in {:.1} s)", used.summary(cache), s.study.tt.compute_s)));
            }
            for p in &used.problems {
                self.messages.push((true, format!("Travel-time cache: {p}")));
            }
        }
        let mut s = s;
        let phases = std::mem::take(&mut self.pending_phases);
        if !phases.is_empty() {
            match s.set_phases(&phases) {
                Ok(()) => self.messages.push((false, format!("A plan in {} phases: step through them above the map controls", s.phases.len()))),
                Err(e) => self.messages.push((true, format!("The phases could not be opened: {e}"))),
            }
        }
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
                (Ok(Ok(cols)), Some(s)) if s.study.sites().len() == n_sites => {
                    let i = s.add_columns(cols);
                    let name = s.study.sites()[i].name.clone();
                    self.geometry = Some(MapGeometry::of(&s.study.region, s.study.sites(), s.study.tt.timetable.as_deref()));
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
                Ok((s, geometry)) => self.set_session_with(s, geometry),
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

    /// Draws the whole window into `ui`.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_visuals(palette::visuals(self.dark));
        self.poll_job();
        self.poll_new_study();
        self.shortcuts(&ctx);

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        if let Some(no) = self.session.as_ref().and_then(|s| s.study.no_street_network()) {
            egui::Panel::top("no-network").show(ui, |ui| no_network_banner(ui, &no));
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("controls").resizable(true).default_size(590.0).show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| self.controls(ui));
        });
        egui::Panel::right("results").resizable(true).default_size(470.0).show(ui, |ui| self.results(ui));
        egui::CentralPanel::default().show(ui, |ui| self.map(ui));
        self.dialogs(&ctx);
        // Last, so an edit made anywhere in this frame is in the snapshot.
        self.autosave(&ctx);
    }

    fn controls(&mut self, ui: &mut egui::Ui) {
        let Some(s) = &self.session else {
            ui.heading("accessplan");
            match &self.job {
                Some(job) => ui.label(format!("Opening {}...", job.label)),
                None => ui.label("No study open: File > Open scenario, or File > New study from files."),
            };
            return;
        };
        ui.heading(&s.study.scenario.name);
        if let Some((p, b)) = &s.before {
            ui.label(format!("Compared with: {} ({})", b.name, p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
        }
        // What the figures rest on: the population year and where the patient contacts come from.
        let population = s.study.growth.as_ref().map_or_else(|| "as the inputs give it (no [growth])".to_string(), |g| g.headline());
        ui.label(egui::RichText::new(format!("Population: {population}")).weak()).on_hover_text(format!("Demand: {}", s.study.demand.source));
        let demand = match &s.study.demand.source {
            accessplan::analysis::demand::DemandSource::ContactsFile { .. } => "contacts file",
            accessplan::analysis::demand::DemandSource::Estimated { .. } => "estimated from age bands (illustrative rates)",
            accessplan::analysis::demand::DemandSource::None => "none",
        };
        ui.label(egui::RichText::new(format!("Patient contacts: {demand}")).weak()).on_hover_text(format!("Demand: {}", s.study.demand.source));
        if let Some(act) = phase_timeline(ui, s) {
            if let Some(s) = self.session.as_mut() {
                match act {
                    PhasePick::Show(k) => s.show_phase(k),
                    PhasePick::AgainstPrevious(on) => {
                        s.against_previous = on;
                        s.show_phase(s.phase);
                    }
                }
            }
            return;
        }
        ui.add_space(6.0);
        egui::Grid::new("view-controls").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            ui.label("Travel by").on_hover_text("How people travel to the site. Bus times include walking to and from stops and waiting.");
            let mode_text = if s.after_eval.modes.is_empty() { "none: no street network" } else { self.mode.title() };
            egui::ComboBox::from_id_salt("mode")
                .selected_text(mode_text)
                .show_ui(ui, |ui| {
                    for m in s.after_eval.modes.clone() {
                        ui.selectable_value(&mut self.mode, m, m.title());
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Travel by"));
            ui.end_row();
            ui.label("Service").on_hover_text("\"Nearest HLC\" is the nearest Healthy Living Centre, whatever it offers (the nearest site of any kind while no site is an HLC). A service follows its tier rule: tier 1 your own locality's site, tier 2 your locality pair's, tier 3 the nearest offering site.");
            let nearest = if s.after_eval.no_hlc() { "Nearest site (no HLC yet)" } else { "Nearest HLC" };
            let name = match self.target {
                Target::AnyHlc => nearest.to_string(),
                Target::Service(i) => s.study.scenario.services.get(i).map(|x| format!("{} (tier {})", x.name, x.tier.number())).unwrap_or_default(),
            };
            egui::ComboBox::from_id_salt("target")
                .selected_text(name)
                .width(230.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.target, Target::AnyHlc, nearest);
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
            map::zone_attribute_combo(ui, &mut self.zone_attribute, &s.study.region.zones);
            ui.checkbox(&mut self.layers.localities, "Locality boundaries");
            ui.checkbox(&mut self.layers.streets, "Street network");
            ui.checkbox(&mut self.layers.sites, "Sites");
            ui.checkbox(&mut self.layers.violations, "Tier-rule gaps (red outline)");
            if let Some(tt) = &s.study.tt.timetable {
                let label =
                    if tt.mode_words() == "bus" { "Bus routes and stops".to_string() } else { format!("Routes and stops ({})", tt.vehicle_kinds().join(", ")) };
                ui.checkbox(&mut self.layers.bus, label);
            } else if let Some(p) = &s.study.tt.bus_problem {
                ui.label(format!("No bus times: {p}"));
            }
        });
        if s.after_eval.no_hlc() {
            ui.colored_label(palette::WARNING, format!("{}.", accessplan::export::style::NO_HLC_NOTE))
                .on_hover_text("Make a site an HLC in \"Sites: role and locality\" below.");
        }
        ui.horizontal(|ui| {
            ui.toggle_value(&mut self.adding_site, "Add a candidate site").on_hover_text(
                "Then click on the map where the site would be. Its travel times are computed at once and it appears in the editor as a column.",
            );
            if self.adding_site {
                ui.label("click on the map...");
            }
        });
        sites::show(ui, self);
        ui.separator();
        editor::show(ui, self);
    }

    fn results(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, ResultsTab::Coverage, "Coverage");
            ui.selectable_value(&mut self.tab, ResultsTab::Curves, "Curves");
            ui.selectable_value(&mut self.tab, ResultsTab::Journeys, "Journeys");
            ui.selectable_value(&mut self.tab, ResultsTab::Loads, "Site loads");
            ui.selectable_value(&mut self.tab, ResultsTab::Equity, "Equality");
            ui.selectable_value(&mut self.tab, ResultsTab::Help, "Help");
        });
        ui.separator();
        if self.tab == ResultsTab::Help {
            results::help(ui);
            return;
        }
        let Some(s) = &mut self.session else { return };
        if let Some(no) = s.study.no_street_network() {
            results::no_travel_times(ui, s, &no);
            return;
        }
        if self.tab == ResultsTab::Equity {
            equity_tab::show(ui, s, &mut self.equity, self.mode);
            return;
        }
        match self.tab {
            ResultsTab::Coverage => results::coverage(ui, s, self.target),
            ResultsTab::Curves => results::curves(ui, s, self.target, self.mode),
            ResultsTab::Journeys => results::journeys(ui, s, &mut self.journeys, self.mode, self.selected_zone),
            ResultsTab::Loads => results::loads(ui, s, self.target),
            ResultsTab::Equity | ResultsTab::Help => {}
        }
    }

    fn map(&mut self, ui: &mut egui::Ui) {
        let (Some(s), Some(geo)) = (&self.session, &self.geometry) else {
            // The turning arc only while something is being opened or made:
            // it asks for a frame four times a second for as long as it shows.
            if self.job.is_some() || self.new_study.job.is_some() {
                ui.centered_and_justified(jobs::working);
            }
            return;
        };
        // Zones coloured by a zone attribute instead of minutes, when one is chosen.
        let attribute = self.zone_attribute.clone();
        let zone_scale = attribute.as_deref().map(|a| {
            let values = map::zone_attribute_values(&s.study.region.zones, a);
            let unit = if a.starts_with("pct_") { "%" } else { "" };
            (accessplan::export::style::Scale::fitted(&values, unit), values)
        });
        let values = match &zone_scale {
            Some((_, v)) => v.clone(),
            None => s.zone_minutes(self.target, self.mode, self.showing),
        };
        let diverging = self.showing == Showing::Difference;
        let offering = match self.target {
            Target::Service(i) => s.study.scenario.services.get(i).map(|x| x.offered.as_slice()),
            Target::AnyHlc => None,
        };
        let violating: Vec<usize> =
            s.after_eval.violations.iter().filter(|v| matches!(self.target, Target::Service(i) if i == v.service)).flat_map(|v| v.localities.clone()).collect();
        let credits = match (s.study.region.uses_osm, &s.study.region.inputs.osm) {
            (true, _) => "Streets © OpenStreetMap contributors",
            (false, Some(_)) => "Synthetic demo region (fictional)",
            (false, None) => "",
        };
        let no_times = s.study.no_street_network().is_some();
        let mut what = match (&attribute, self.showing) {
            (Some(a), _) => format!("Zones by {a}"),
            _ if no_times => "No travel times yet:\nno street network".to_string(),
            (None, Showing::Difference) => format!("{}: change in minutes", self.mode.title()),
            (None, Showing::Before) => format!("{}, before: minutes", self.mode.title()),
            (None, Showing::After) => format!("{}, after: minutes", self.mode.title()),
        };
        if self.target == Target::AnyHlc && s.after_eval.no_hlc() && !no_times && attribute.is_none() {
            what.push_str("\nto the nearest site of any kind\n(no HLC defined yet)");
        }
        let hlcs = s.study.scenario.hlc_sites();
        // One group of residents alone (from the Equality tab): the other zones fade.
        let mask: Option<Vec<bool>> = self.equity.on_map.and_then(|(gi, k)| {
            let g = s.equity_ready()?.as_ref().ok()?.0.list.get(gi)?;
            let pops: Vec<f64> = s.study.region.zones.iter().map(|z| z.population).collect();
            Some(equity_tab::group_mask(g, k, &pops))
        });
        if let Some((gi, k)) = self.equity.on_map
            && let Some(Ok((g, _))) = s.equity_ready()
            && let Some(gr) = g.list.get(gi)
        {
            what.push_str(&format!("\nonly zones where '{}' is over-represented", gr.groups.get(k).map_or("the group", |x| x.label.as_str())));
        }
        let input = map::MapInput {
            geo,
            sites: s.study.sites(),
            values: &values,
            diverging,
            layers: self.layers,
            offering,
            hlcs: &hlcs,
            proposed: self.suggest.proposed_sites(),
            violating: &violating,
            selected: self.selected_zone,
            isochrone: self.isochrone.as_ref(),
            credits,
            legend_title: &what,
            zone_scale: zone_scale.as_ref().map(|(sc, _)| sc),
            no_times,
            mask: mask.as_deref(),
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
                if no_times {
                    ui.label("No travel times: no street network");
                } else {
                    ui.label(format!("{}: before {}, after {}", self.mode.title(), fmt(b), fmt(a)));
                }
                if let (Some(a), Some((_, v))) = (&attribute, &zone_scale) {
                    ui.label(format!("{a}: {}", v[z].map_or("no value".to_string(), accessplan::export::style::fmt_num)));
                }
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
}

/// The banner of a study without a street network: what is missing and
/// where to get it, its web addresses as links.
fn no_network_banner(ui: &mut egui::Ui, no: &accessplan::study::NoStreetNetwork) {
    egui::Frame::new().fill(palette::warning_fill(ui.visuals().dark_mode)).inner_margin(egui::Margin::symmetric(10, 6)).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.strong("No travel times yet.");
            let text = no.to_string();
            let mut rest = text.as_str();
            while let Some(p) = rest.find("https://") {
                ui.label(&rest[..p]);
                let end = rest[p..].find([' ', ',', ')', ';']).map_or(rest.len(), |e| p + e);
                ui.hyperlink(&rest[p..end]);
                rest = &rest[end..];
            }
            ui.label(format!("{rest}."));
        });
        ui.label("Shown meanwhile: the zones with their residents, the localities, the sites and the tier rules.");
    });
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

/// Opens the window on the demo region, or on `scenario` (with an optional
/// baseline) and the later `phases` of a plan; with `bench_frames`,
/// measures that many frames and quits.
pub fn run(scenario: Option<(PathBuf, Option<PathBuf>)>, phases: Vec<PathBuf>, bench_frames: Option<usize>) -> eframe::Result {
    let started = std::time::Instant::now();
    let options =
        eframe::NativeOptions { viewport: egui::ViewportBuilder::default().with_inner_size([1600.0, 1000.0]).with_title("accessplan"), ..Default::default() };
    // Measuring frames: do not wait for the display's refresh.
    let mut options = options;
    options.glow_options.vsync = bench_frames.is_none();
    // Flat 8-bit colours and textures drawn a texel to a pixel: dithering
    // (eframe's default) changes nothing one can see here, and costs a
    // software renderer a noise function on every pixel of every frame.
    // The benchmark's baseline keeps it with ACCESSPLAN_BENCH_DITHER=on.
    options.dithering = bench_frames.is_some() && std::env::var("ACCESSPLAN_BENCH_DITHER").is_ok_and(|d| d == "on");
    eframe::run_native(
        "accessplan",
        options,
        Box::new(move |cc| {
            flat_stripes::install(&cc.egui_ctx);
            box_meshes::install(&cc.egui_ctx);
            bench::set_old_pixels(std::env::var_os("ACCESSPLAN_BENCH_OLD_PIXELS").is_some());
            bench::set_old_boxes(std::env::var_os("ACCESSPLAN_BENCH_OLD_BOXES").is_some());
            let mut app = AccessplanApp::new(&cc.egui_ctx, scenario);
            app.pending_phases = phases;
            if let Some(n) = bench_frames {
                let mut bench = FrameBench::new(n, started);
                if std::env::var_os("ACCESSPLAN_BENCH_PIXELS").is_some() {
                    bench.census = Some(pixel_census::start(&cc.egui_ctx));
                }
                app.bench = Some(bench);
                app.recovery = None;
            }
            Ok(Box::new(app))
        }),
    )
}

#[cfg(test)]
mod county_tests;
#[cfg(test)]
mod map_export_tests;
#[cfg(test)]
mod tests;

/// What the user did on the timeline of a plan in phases.
enum PhasePick {
    /// Show this phase.
    Show(usize),
    /// Compare each phase with the phase before (`true`) or with today.
    AgainstPrevious(bool),
}

/// The timeline of a plan in phases: one button per phase (name and date),
/// and whether each is compared with today or with the phase before.
fn phase_timeline(ui: &mut egui::Ui, s: &Session) -> Option<PhasePick> {
    if s.phases.len() < 2 {
        return None;
    }
    let mut picked = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("Phase").on_hover_text("A plan in phases: today, then each phase as it takes effect. Edits stay with the phase they are made in.");
        for (k, ph) in s.phases.iter().enumerate() {
            let when = ph.date.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
            let name = if k == 0 { format!("Today: {}{when}", ph.scenario.name) } else { format!("{}{when}", ph.scenario.name) };
            if ui.selectable_label(k == s.phase, name).clicked() && k != s.phase {
                picked = Some(PhasePick::Show(k));
            }
            if k + 1 < s.phases.len() {
                ui.label("›");
            }
        }
    });
    let mut prev = s.against_previous;
    if s.phases.len() > 2 && ui.checkbox(&mut prev, "Compare with the phase before (not today)").changed() {
        return Some(PhasePick::AgainstPrevious(prev));
    }
    picked
}
