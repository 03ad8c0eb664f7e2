//! "Suggest placement": for a tier 2 or tier 3 service (or a whole tier),
//! the planner picks what to optimise, by which mode and weighted by what;
//! the engine's optimiser runs on a worker thread; the window shows the
//! suggestion beside today's placement (and the map marks the suggested
//! sites), and Accept puts it into the scenario as one undoable edit.

use accessplan::analysis::Target;
use accessplan::analysis::optimise::{Method, Objective};
use accessplan::analysis::placement::{PlacementRequest, Suggestion, Weighting, prepare};
use accessplan::travel::Mode;

use super::AccessplanApp;
use super::jobs::Job;

/// The window's state.
pub struct SuggestPanel {
    /// Shown.
    pub open: bool,
    /// The services placed together (scenario indices).
    pub services: Vec<usize>,
    /// What to optimise.
    pub objective: Objective,
    /// Mode judged by.
    pub mode: Mode,
    /// Demand weighting.
    pub weighting: Weighting,
    /// Number of sites (tier 3).
    pub sites: usize,
    /// Respect the sites' capacities (contacts a year; with contact weighting).
    pub capacity: bool,
    /// Sites that must stay (region indices).
    pub fixed: std::collections::BTreeSet<usize>,
    /// Sites that must not be used.
    pub excluded: std::collections::BTreeSet<usize>,
    /// The optimiser at work.
    job: Option<Job<accessplan::Result<Suggestion>>>,
    /// The last suggestion.
    pub result: Option<Suggestion>,
    /// The last error.
    pub error: Option<String>,
}

impl Default for SuggestPanel {
    fn default() -> Self {
        SuggestPanel {
            open: false,
            services: Vec::new(),
            objective: Objective::CoverThenMedian,
            mode: Mode::CarOffpeak,
            weighting: Weighting::Population,
            sites: 1,
            capacity: false,
            fixed: Default::default(),
            excluded: Default::default(),
            job: None,
            result: None,
            error: None,
        }
    }
}

impl SuggestPanel {
    /// Opens the window for these services, judged by `mode`, with as many
    /// sites as they use today.
    pub fn open_for(&mut self, services: Vec<usize>, mode: Mode, current_sites: usize) {
        self.open = true;
        self.services = services;
        self.mode = mode;
        self.sites = current_sites.max(1);
        self.fixed.clear();
        self.excluded.clear();
        self.result = None;
        self.error = None;
    }

    /// Sites of the suggestion on show, for the map.
    pub fn proposed_sites(&self) -> Option<&[usize]> {
        self.result.as_ref().filter(|_| self.open).map(|r| r.solution.open.as_slice())
    }

    /// Whether the optimiser is at work.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    /// Takes the optimiser's answer when it has arrived.
    pub fn poll(&mut self) {
        if let Some(job) = &self.job
            && let Some(r) = job.poll()
        {
            self.job = None;
            match r {
                Ok(Ok(s)) => self.result = Some(s),
                Ok(Err(e)) => self.error = Some(e.to_string()),
                Err(()) => self.error = Some("the optimiser stopped unexpectedly".into()),
            }
        }
    }
}

fn objective_name(o: Objective) -> &'static str {
    match o {
        Objective::Median => "Shortest average journey",
        Objective::Cover => "Most people within the threshold",
        Objective::Center => "Shortest longest journey",
        Objective::CoverThenMedian => "Most within the threshold, then shortest average",
    }
}

/// Starts the optimiser for the window's choices: the problem is built here
/// (array copies), the solving runs on a worker thread.
fn start(app: &mut AccessplanApp, ctx: &egui::Context) {
    let Some(s) = &app.session else { return };
    let p = &app.suggest;
    let mut req = PlacementRequest::new(p.services.clone());
    req.objective = p.objective;
    req.mode = p.mode;
    req.weighting = p.weighting.clone();
    req.sites = (s.study.scenario.services.get(p.services[0]).map(|x| x.tier.number()) == Some(3)).then_some(p.sites);
    req.capacity = p.capacity && p.weighting == Weighting::Contacts;
    req.fixed = p.fixed.iter().copied().collect();
    req.excluded = p.excluded.iter().copied().collect();
    req.options.method = Method::Auto;
    req.options.time_limit = std::time::Duration::from_secs(10);
    let st = &s.study;
    match prepare(&req, &st.scenario, &st.region, st.sites(), &st.tt, &st.geo, &st.contacts) {
        Ok(prepared) => {
            app.suggest.error = None;
            app.suggest.result = None;
            app.suggest.job = Some(Job::spawn("suggesting a placement".into(), Some(ctx.clone()), move |progress| prepared.solve_with(progress)));
        }
        Err(e) => app.suggest.error = Some(e.to_string()),
    }
}

/// Draws the window.
pub fn window(app: &mut AccessplanApp, ctx: &egui::Context) {
    app.suggest.poll();
    if !app.suggest.open || app.session.is_none() {
        return;
    }
    let mut open = true;
    let mut run = false;
    let mut accept = false;
    // Beside the legend, over the map's top right, leaving the editor and legend visible.
    let at = egui::pos2(ctx.content_rect().center().x - 120.0, 60.0);
    egui::Window::new("Suggest placement").open(&mut open).default_pos(at).default_width(460.0).resizable(true).show(ctx, |ui| {
        let Some(s) = &app.session else { return };
        let sc = &s.study.scenario;
        let names: Vec<&str> = app.suggest.services.iter().filter_map(|&i| sc.services.get(i)).map(|x| x.name.as_str()).collect();
        let tier = app.suggest.services.first().and_then(|&i| sc.services.get(i)).map(|x| x.tier.number()).unwrap_or(3);
        ui.strong(format!("{} (tier {tier})", names.join(", ")));
        ui.label(if tier == 2 {
            "Tier 2: one site in each pair of neighbouring localities; residents use their pair's site."
        } else {
            "Tier 3: a few sites anywhere; residents use the nearest."
        });
        egui::Grid::new("suggest-choices").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
            ui.label("Aim");
            let p = &mut app.suggest;
            egui::ComboBox::from_id_salt("suggest-objective")
                .selected_text(objective_name(p.objective))
                .width(300.0)
                .show_ui(ui, |ui| {
                    for o in [Objective::CoverThenMedian, Objective::Cover, Objective::Median, Objective::Center] {
                        ui.selectable_value(&mut p.objective, o, objective_name(o));
                    }
                })
                .response
                .on_hover_text("Within the threshold: the scenario's minutes for the mode (see Settings). Longest journey: the worst-served zone.")
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Aim"));
            ui.end_row();
            ui.label("Judged by");
            egui::ComboBox::from_id_salt("suggest-mode")
                .selected_text(p.mode.title())
                .show_ui(ui, |ui| {
                    for m in s.after_eval.modes.iter().copied() {
                        ui.selectable_value(&mut p.mode, m, m.title());
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Judged by"));
            ui.end_row();
            ui.label("Weighted by");
            let mut fields: Vec<String> = s.study.region.zones.iter().flat_map(|z| z.weights.keys().cloned()).collect();
            fields.sort();
            fields.dedup();
            egui::ComboBox::from_id_salt("suggest-weight")
                .selected_text(p.weighting.to_string())
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut p.weighting, Weighting::Population, "residents");
                    if !s.study.contacts.is_empty() {
                        ui.selectable_value(&mut p.weighting, Weighting::Contacts, "patient contacts (this service's)");
                    }
                    for f in fields {
                        let w = Weighting::Field(f.clone());
                        ui.selectable_value(&mut p.weighting, w, format!("zone property '{f}'"));
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Weighted by"));
            ui.end_row();
            ui.label("Capacities");
            let by_contacts = p.weighting == Weighting::Contacts;
            ui.add_enabled(by_contacts, egui::Checkbox::new(&mut p.capacity, "respect each site's capacity"))
                .on_hover_text("Contacts a year each site can take (the sites file's capacity column); patients beyond a full site go to their next-nearest")
                .on_disabled_hover_text("Capacities are contacts a year: weight by patient contacts to use them");
            ui.end_row();
            if tier == 3 {
                ui.label("Sites");
                ui.add(egui::DragValue::new(&mut p.sites).range(1..=s.study.sites().len())).on_hover_text("How many sites offer it");
                ui.end_row();
            }
        });
        let n_rules = app.suggest.fixed.len() + app.suggest.excluded.len();
        egui::CollapsingHeader::new(format!("Sites that must stay or must not be used ({n_rules} set)")).id_salt("suggest-sites").show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("suggest-sites-scroll").max_height(180.0).show(ui, |ui| {
                egui::Grid::new("suggest-site-rules").num_columns(3).striped(true).show(ui, |ui| {
                    let p = &mut app.suggest;
                    for (i, site) in s.study.sites().iter().enumerate() {
                        ui.label(&site.name).on_hover_text(format!("{} ({}, {})", site.id, site.kind, site.locality.as_deref().unwrap_or("no locality")));
                        let (mut keep, mut never) = (p.fixed.contains(&i), p.excluded.contains(&i));
                        let keep_name = format!("Keep {}", site.name);
                        let never_name = format!("Never use {}", site.name);
                        let k = ui.checkbox(&mut keep, "keep").on_hover_text("This site must be among those chosen");
                        k.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, keep, &keep_name));
                        let n = ui.checkbox(&mut never, "never").on_hover_text("This site must not be chosen");
                        n.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, never, &never_name));
                        // A site is kept or never used, not both: ticking one clears the other.
                        if k.changed() {
                            if keep {
                                p.fixed.insert(i);
                                p.excluded.remove(&i);
                            } else {
                                p.fixed.remove(&i);
                            }
                        }
                        if n.changed() {
                            if never {
                                p.excluded.insert(i);
                                p.fixed.remove(&i);
                            } else {
                                p.excluded.remove(&i);
                            }
                        }
                        ui.end_row();
                    }
                });
            });
        });
        ui.horizontal(|ui| {
            let busy = app.suggest.running();
            if ui
                .add_enabled(!busy, egui::Button::new("Find the best placement"))
                .on_hover_text("Search the sites for the best placement (exact when small enough; at most 10 s)")
                .clicked()
            {
                run = true;
            }
            if busy {
                super::jobs::working(ui);
                ui.label("searching...");
                if ui.button("Cancel").on_hover_text("Stop the search; the scenario is unchanged").clicked()
                    && let Some(job) = app.suggest.job.take()
                {
                    job.cancel();
                }
            }
        });
        if let Some(e) = &app.suggest.error {
            ui.colored_label(egui::Color32::from_rgb(0xc0, 0x20, 0x20), e);
        }
        if let Some(r) = &app.suggest.result {
            ui.separator();
            result_table(ui, r, s);
            if ui.button("Accept into the scenario").on_hover_text("Offer the services at the suggested sites only (Ctrl+Z undoes it)").clicked() {
                accept = true;
            }
        }
    });
    app.suggest.open = open;
    if run {
        start(app, ctx);
    }
    if accept && let (Some(r), Some(s)) = (app.suggest.result.take(), app.session.as_mut()) {
        let mut sc = s.study.scenario.clone();
        r.apply(&mut sc);
        s.replace_scenario(sc);
        app.target = Target::Service(r.services[0]);
        app.messages.push((false, format!("Suggested placement accepted: {} site(s). Ctrl+Z to undo.", r.solution.open.len())));
    }
}

fn result_table(ui: &mut egui::Ui, r: &Suggestion, s: &super::state::Session) {
    let sites = s.study.sites();
    let (c, p) = (&r.current, &r.solution.value);
    let mins = |x: f64| if x.is_finite() { format!("{:.1} min", x / 60.0) } else { "-".into() };
    let share = |x: Option<f64>| x.map(|v| format!("{}%", accessplan::export::style::pct(v))).unwrap_or_else(|| "-".into());
    egui::Grid::new("suggest-result").num_columns(3).striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
        ui.label("");
        ui.strong("today");
        ui.strong("suggested");
        ui.end_row();
        ui.label("sites");
        ui.label(r.current_sites.len().to_string());
        ui.label(r.solution.open.len().to_string());
        ui.end_row();
        ui.label("average journey");
        ui.label(mins(c.mean_time_s));
        ui.label(mins(p.mean_time_s));
        ui.end_row();
        ui.label(format!("within {:.0} min", r.threshold_min));
        ui.label(share(c.covered_share));
        ui.label(share(p.covered_share));
        ui.end_row();
        ui.label("longest journey");
        ui.label(mins(c.worst_time_s));
        ui.label(mins(p.worst_time_s));
        ui.end_row();
    });
    if r.solution.open == r.current_sites {
        ui.label(egui::RichText::new("Today's placement is already the best for this aim.").strong());
    }
    let gain = r.mean_gain_min();
    let cover = r.cover_gain_points().map(|g| format!(", {g:+.1} points within {:.0} min", r.threshold_min)).unwrap_or_default();
    ui.label(format!("Gain: {gain:+.1} min on the average journey{cover} ({} by {}).", r.weighting, r.mode.title().to_lowercase()));
    let list = |v: &[usize]| if v.is_empty() { "none".to_string() } else { v.iter().map(|&i| sites[i].name.as_str()).collect::<Vec<_>>().join(", ") };
    ui.label(format!("Today: {}", list(&r.current_sites)));
    ui.label(egui::RichText::new(format!("Suggested: {}", list(&r.solution.open))).strong());
    let sol = &r.solution;
    let how = if sol.proven_optimal {
        "proven best (exhaustive search)".to_string()
    } else {
        let gap = sol.gap.map(|g| format!("at most {:.1}% from the best possible", g * 100.0)).unwrap_or_else(|| "no bound known".into());
        format!("{} ({gap})", if sol.timed_out { "best found before the time limit" } else { "heuristic: greedy + interchange" })
    };
    ui.small(format!("{how}; {:.1} ms", sol.elapsed.as_secs_f64() * 1000.0));
    for n in &r.notes {
        ui.small(n);
    }
}
