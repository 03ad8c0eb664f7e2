//! "New study from files": a form with one row per input (street network,
//! timetables, zones with their id and population fields, a census
//! population table, sites files, a postcode lookup, localities with their
//! name field, attribute tables and the areas they are keyed by, patient
//! contacts), the same choices as `accessplan new-study`, filled by choosing
//! files or dropping them on the window, where each is recognised by what it
//! holds; each file's role can be changed from a combo when the guess is
//! wrong. "Create study..." asks where to save the scenario and builds the
//! study on a worker thread with the engine's `study::create::new_study`;
//! the new session replaces the current work only once it is ready.

use std::path::{Path, PathBuf};

use accessplan::error::InputError;
use accessplan::input::code_table::read_code_table;
use accessplan::input::sniff::{FileRole, HEALTH_TAGS, classify, field_names};
use accessplan::region::DEFAULT_CLIP_MARGIN_KM;
use accessplan::study::Study;
use accessplan::study::create::{InputsDraft, new_study};

use super::AccessplanApp;
use super::jobs::Job;
use super::state::Session;

/// The form's state: the draft, the fields of its files and the job making the study.
#[derive(Default)]
pub struct NewStudyForm {
    /// Window open.
    pub open: bool,
    /// The files and fields chosen so far.
    pub draft: InputsDraft,
    /// Field names of the zones file (for the id and population pickers).
    zone_fields: Vec<String>,
    /// Field names of the localities file (for the name picker).
    locality_fields: Vec<String>,
    /// Field names of each areas file (for its code picker).
    area_fields: Vec<(PathBuf, Vec<String>)>,
    /// The population table and its column names (for the residents picker).
    table_fields: Option<(PathBuf, Vec<String>)>,
    /// A note about the last file chosen (it looked like something else).
    note: Option<String>,
    /// The last failure, shown in the window.
    error: Option<String>,
    /// The study being made.
    pub job: Option<Job<accessplan::Result<Study>>>,
}

/// A slot's title in the form.
fn title(role: FileRole) -> &'static str {
    match role {
        FileRole::Osm => "Street network",
        FileRole::Gtfs => "Bus timetable",
        FileRole::Zones => "Population zones",
        FileRole::Sites => "Candidate sites",
        FileRole::Localities => "Localities",
        FileRole::Contacts => "Patient contacts",
        FileRole::Scenario => "Scenario",
        FileRole::PopulationTable => "Population table",
        FileRole::Attributes => "Attribute tables",
        FileRole::Areas => "Areas for attributes",
        FileRole::Postcodes => "Postcode lookup",
    }
}

/// The file-dialog filter of a slot.
fn filter(role: FileRole) -> (&'static str, &'static [&'static str]) {
    match role {
        FileRole::Osm => ("OpenStreetMap extract", &["pbf", "osm"]),
        FileRole::Gtfs => ("GTFS feed", &["zip"]),
        FileRole::Zones | FileRole::Sites => ("GeoJSON or CSV", &["geojson", "json", "csv"]),
        FileRole::Localities | FileRole::Areas => ("GeoJSON", &["geojson", "json"]),
        FileRole::Contacts | FileRole::PopulationTable | FileRole::Attributes | FileRole::Postcodes => ("CSV", &["csv"]),
        FileRole::Scenario => ("accessplan scenario", &["toml"]),
    }
}

/// Whether `path` is a CSV naming each area's locality.
fn is_grouping(path: &Path) -> bool {
    accessplan::input::csv_table::read_csv_table(path).is_ok_and(|t| accessplan::input::sniff::is_locality_grouping(&t))
}

/// A path's file name, for display.
fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.display().to_string())
}

impl NewStudyForm {
    /// Recognises `path` and puts it in its slot (a scenario is recognised
    /// but not placed); opens the window.
    pub fn place(&mut self, path: &Path) -> Result<FileRole, InputError> {
        self.open = true;
        let role = match self.draft.place(path) {
            Ok(role) => role,
            // A table naming each ward's locality groups the localities placed.
            Err(e) if self.draft.localities.is_some() && is_grouping(path) => {
                self.draft.group_localities(path).map_err(|_| e)?;
                FileRole::Localities
            }
            Err(e) => return Err(e),
        };
        self.fields_all();
        self.note = None;
        Ok(role)
    }

    /// Puts `path` in the slot of `role`, as the user chose (beside the files
    /// already there, for roles that may hold several), noting when the file
    /// looks like something else.
    pub fn set(&mut self, role: FileRole, path: &Path) {
        match (role, self.draft.path(role)) {
            (FileRole::Gtfs, Some(first)) if first != path => self.draft.extra_gtfs.push(path.to_path_buf()),
            (FileRole::Sites, Some(first)) if first != path => self.draft.extra_sites.push(path.to_path_buf()),
            _ => self.draft.set(role, path),
        }
        self.fields_all();
        // Polygons may serve as zones, localities or areas: the planner's choice.
        let polygons = [FileRole::Zones, FileRole::Localities, FileRole::Areas];
        self.note = match classify(path) {
            Ok(r) if r == role || (polygons.contains(&r) && polygons.contains(&role)) => None,
            Ok(r) => Some(format!("{} looks like {}, not {}.", file_name(path), r.describe(), role.describe())),
            Err(e) => Some(e.to_string()),
        };
    }

    /// Moves `path` from the slot of `from` to that of `to`, as the role combo says.
    pub fn reassign(&mut self, from: FileRole, to: FileRole, path: &Path) {
        if from == to {
            return;
        }
        self.draft.remove(from, path);
        self.set(to, path);
    }

    /// Reads the field names of the zones, localities and areas files for the
    /// pickers (kept, so a frame reads no file).
    fn fields_all(&mut self) {
        let names = |p: Option<&Path>| p.and_then(|p| field_names(p).ok()).unwrap_or_default();
        self.zone_fields = names(self.draft.zones.as_deref());
        self.locality_fields = names(self.draft.localities.as_deref());
        self.table_fields = match (self.draft.population_table.as_deref(), self.table_fields.take()) {
            (Some(p), Some(kept)) if kept.0 == p => Some(kept),
            (Some(p), _) => Some((p.to_path_buf(), read_code_table(p).map(|t| t.headers).unwrap_or_default())),
            (None, _) => None,
        };
        let mut kept = std::mem::take(&mut self.area_fields);
        self.area_fields = self
            .draft
            .areas
            .iter()
            .map(|(p, _)| match kept.iter().position(|(k, _)| k == p) {
                Some(i) => kept.swap_remove(i),
                None => (p.clone(), names(Some(p))),
            })
            .collect();
    }

    /// Starts making the study on a worker thread, the scenario saved at `scenario`.
    pub fn start(&mut self, scenario: PathBuf, ctx: Option<egui::Context>) {
        let draft = self.draft.clone();
        self.error = None;
        self.job = Some(Job::spawn(file_name(&scenario), ctx, move |progress| new_study(&draft, &scenario, progress)));
    }
}

impl AccessplanApp {
    /// Puts a dropped or opened input file into the form, saying where it went.
    pub(super) fn place_input(&mut self, p: &Path) {
        match self.new_study.place(p) {
            Ok(role) => self.messages.push((false, format!("{} recognised as {}: placed in New study from files.", file_name(p), role.describe()))),
            Err(e) => self.messages.push((true, format!("Not placed in New study from files: {e}"))),
        }
    }

    /// Makes the study from the form's files, saving its scenario at
    /// `scenario` (on a worker thread; the current work stays until it is ready).
    pub fn create_study(&mut self, scenario: PathBuf, ctx: &egui::Context) {
        self.new_study.start(scenario, Some(ctx.clone()));
    }

    /// Installs the new study once made, or reports why it was not.
    pub(super) fn poll_new_study(&mut self) {
        let Some(job) = &self.new_study.job else {
            return;
        };
        let Some(r) = job.poll() else { return };
        let label = job.label.clone();
        self.new_study.job = None;
        match r {
            Ok(Ok(study)) => {
                let path = study.path.clone();
                self.set_session(Session::new(study, None));
                self.messages.push((false, format!("New study written to {}: a first scenario (the HLC model) to edit and save.", path.display())));
                self.new_study = NewStudyForm::default();
            }
            Ok(Err(e)) => {
                self.new_study.error = Some(e.to_string());
                self.messages.push((true, format!("Could not create {label}: {e}. Your current work is unchanged.")));
            }
            Err(()) => {
                self.new_study.error = Some("making the study stopped unexpectedly".into());
                self.messages.push((true, format!("Could not create {label}: making the study stopped unexpectedly. Your current work is unchanged.")));
            }
        }
    }

    /// The status-bar line while a study is being made, with a cancel button.
    pub(super) fn new_study_status(&mut self, ui: &mut egui::Ui) {
        let Some(job) = &self.new_study.job else {
            return;
        };
        super::jobs::working(ui);
        ui.label(format!(
            "Creating {}: loading the inputs and computing travel times ({} searches, {:.1} s)",
            job.label,
            job.steps(),
            job.started.elapsed().as_secs_f32()
        ));
        if ui.button("Cancel").clicked() {
            job.cancel();
            self.new_study.job = None;
            self.messages.push((false, "New study cancelled; your current work is unchanged.".into()));
        }
    }

    /// The "New study from files" window.
    pub(super) fn new_study_window(&mut self, ctx: &egui::Context) {
        if !self.new_study.open {
            return;
        }
        let mut open = true;
        let mut create = None;
        let form = &mut self.new_study;
        egui::Window::new("New study from files").open(&mut open).resizable(true).default_width(640.0).show(ctx, |ui| {
            ui.label("Choose the input files, or drop them on the window: each is recognised by what it holds. A first scenario (the HLC model) is written where you choose, naming these files.");
            ui.add_space(4.0);
            egui::Grid::new("new-study-slots").num_columns(4).spacing([8.0, 6.0]).striped(true).show(ui, |ui| {
                // Every input slot, in order (a scenario is opened, not placed).
                for role in FileRole::ALL.into_iter().filter(|r| *r != FileRole::Scenario) {
                    slot_row(ui, form, role);
                    ui.end_row();
                    match role {
                        FileRole::Zones if form.draft.zones.is_some() => zone_fields(ui, form),
                        FileRole::Localities if form.draft.localities.is_some() => locality_field(ui, form),
                        FileRole::Areas if !form.draft.areas.is_empty() => area_fields(ui, form),
                        FileRole::PopulationTable if form.draft.population_table.is_some() => {
                            let fields = form.table_fields.as_ref().map(|(_, f)| f.as_slice()).unwrap_or_default();
                            ui.label("");
                            ui.horizontal(|ui| {
                                field_combo(ui, "new-study-table-residents", "Residents column", &mut form.draft.population, fields, Some("found when joined"))
                            });
                            ui.end_row();
                        }
                        FileRole::Osm => {
                            ui.label("");
                            ui.horizontal(|ui| {
                                ui.label("Clip margin (km)").on_hover_text(
                                    "The street network and timetables are cut to the zones' extent plus this margin when the study is loaded",
                                );
                                let mut km = form.draft.clip_margin_km.unwrap_or(DEFAULT_CLIP_MARGIN_KM);
                                let r = ui.add(egui::DragValue::new(&mut km).range(0.0..=200.0).speed(0.5));
                                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "Clip margin (km)"));
                                if r.changed() {
                                    form.draft.clip_margin_km = Some(km);
                                }
                            });
                            ui.end_row();
                        }
                        FileRole::Sites if form.draft.sites.is_none() => {
                            ui.label("");
                            let mut on = form.draft.sites_from_osm.is_some();
                            if ui.checkbox(&mut on, format!("Take the health places of the street network file as sites ({HEALTH_TAGS})")).changed() {
                                form.draft.sites_from_osm = on.then(|| HEALTH_TAGS.to_string());
                            }
                            ui.end_row();
                        }
                        _ => {}
                    }
                }
            });
            ui.add_space(4.0);
            if let Some(n) = &form.note {
                ui.colored_label(egui::Color32::from_rgb(0xb0, 0x60, 0x00), n);
            }
            let missing = form.draft.missing();
            if missing.is_empty() {
                ui.label("Ready: nothing is missing.");
            } else {
                ui.label(format!("Still missing: {}.", missing.join("; ")));
            }
            if let Some(e) = &form.error {
                ui.colored_label(egui::Color32::from_rgb(0xc0, 0x20, 0x20), format!("Could not create the study: {e}"));
            }
            ui.horizontal(|ui| {
                let can = missing.is_empty() && form.job.is_none();
                let r = ui.add_enabled(can, egui::Button::new("Create study…")).on_hover_text("Asks where to save the scenario, then loads the files and computes travel times in the background");
                if r.clicked() {
                    let dir = form.draft.zones.as_deref().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
                    if let Some(p) = rfd::FileDialog::new().add_filter("accessplan scenario", &["toml"]).set_directory(dir).set_file_name("study.toml").save_file() {
                        create = Some(p);
                    }
                }
                if form.job.is_some() {
                    super::jobs::working(ui);
                    ui.label("creating...");
                }
            });
        });
        self.new_study.open = open;
        if let Some(p) = create {
            self.create_study(p, ctx);
        }
    }
}

/// One slot: its title, the files chosen (each with a role combo and a
/// remove button), "Choose…" (which adds, for roles holding several) and a
/// clear button.
fn slot_row(ui: &mut egui::Ui, form: &mut NewStudyForm, role: FileRole) {
    let name = title(role);
    ui.label(name).on_hover_text(role.describe());
    let files: Vec<PathBuf> = form.draft.paths(role).into_iter().map(Path::to_path_buf).collect();
    let mut change: Option<(FileRole, PathBuf)> = None;
    let mut remove: Option<PathBuf> = None;
    ui.vertical(|ui| {
        if let (FileRole::Localities, Some((areas, id, grouping))) = (role, &form.draft.grouping) {
            ui.label(format!("{} ({id}) grouped by {}", file_name(areas), file_name(grouping)));
        } else if files.is_empty() {
            ui.weak(if role == FileRole::Sites && form.draft.sites_from_osm.is_some() { "from the street network" } else { "none" });
        }
        for p in &files {
            ui.horizontal(|ui| {
                let shown = file_name(p);
                ui.label(&shown).on_hover_text(p.display().to_string());
                let mut to = role;
                egui::ComboBox::from_id_salt(("new-study-role", p))
                    .selected_text(title(to))
                    .width(150.0)
                    .show_ui(ui, |ui| {
                        for r in FileRole::ALL.into_iter().filter(|r| *r != FileRole::Scenario) {
                            ui.selectable_value(&mut to, r, title(r));
                        }
                    })
                    .response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("Role of {shown}")));
                if to != role {
                    change = Some((to, p.clone()));
                }
                let r = ui.small_button("Remove");
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove {shown}")));
                if r.clicked() {
                    remove = Some(p.clone());
                }
            });
        }
    });
    if let Some((to, p)) = change {
        form.reassign(role, to, &p);
    }
    if let Some(p) = remove {
        form.draft.remove(role, &p);
        form.fields_all();
        form.note = None;
    }
    ui.horizontal(|ui| {
        let r = ui.button("Choose…");
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Choose {}", name.to_lowercase())));
        if r.clicked() {
            let (what, ext) = filter(role);
            if let Some(p) = rfd::FileDialog::new().add_filter(what, ext).pick_file() {
                form.set(role, &p);
            }
        }
        if role == FileRole::Localities && form.draft.localities.is_some() {
            let r = ui.button("Group by…").on_hover_text("A CSV naming each of these areas' locality (e.g. wards into localities)");
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Group localities by a CSV"));
            if r.clicked()
                && let Some(p) = rfd::FileDialog::new().add_filter("CSV", &["csv"]).pick_file()
            {
                form.note = form.draft.group_localities(&p).err().map(|e| e.to_string());
            }
        }
        if role == FileRole::Gtfs {
            let r = ui.button("Folder…");
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Choose a GTFS folder"));
            if r.clicked()
                && let Some(p) = rfd::FileDialog::new().pick_folder()
            {
                form.set(role, &p);
            }
        }
    });
    let filled = form.draft.path(role).is_some() || (role == FileRole::Localities && form.draft.grouping.is_some());
    let r = ui.add_enabled(filled, egui::Button::new("Clear"));
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, filled, format!("Clear {}", name.to_lowercase())));
    if r.clicked() {
        form.draft.clear(role);
        form.fields_all();
        form.note = None;
    }
}

/// A field picker: a combo box of `fields` with an accessible name.
fn field_combo(ui: &mut egui::Ui, salt: &str, label: &str, value: &mut Option<String>, fields: &[String], none: Option<&str>) {
    ui.label(label);
    let shown = value.clone().or_else(|| none.map(str::to_string)).unwrap_or_else(|| "choose...".into());
    egui::ComboBox::from_id_salt(salt)
        .selected_text(shown)
        .width(220.0)
        .show_ui(ui, |ui| {
            if let Some(n) = none {
                ui.selectable_value(value, None, n);
            }
            for f in fields {
                ui.selectable_value(value, Some(f.clone()), f);
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label));
}

/// The zones' id and population pickers (two rows).
fn zone_fields(ui: &mut egui::Ui, form: &mut NewStudyForm) {
    ui.label("");
    ui.horizontal(|ui| field_combo(ui, "new-study-zone-id", "Zone id field", &mut form.draft.zone_id, &form.zone_fields, None));
    ui.end_row();
    // With a population table, residents come from it (its column is picked on its row).
    if form.draft.population_table.is_none() {
        ui.label("");
        ui.horizontal(|ui| {
            field_combo(ui, "new-study-population", "Population field", &mut form.draft.population, &form.zone_fields, Some("none: weight zones equally"))
        });
        ui.end_row();
    }
}

/// The localities' name picker.
fn locality_field(ui: &mut egui::Ui, form: &mut NewStudyForm) {
    ui.label("");
    ui.horizontal(|ui| field_combo(ui, "new-study-locality-name", "Locality name field", &mut form.draft.locality_name, &form.locality_fields, None));
    ui.end_row();
}

/// The code field of each areas file (one row each).
fn area_fields(ui: &mut egui::Ui, form: &mut NewStudyForm) {
    for (i, (path, id)) in form.draft.areas.iter_mut().enumerate() {
        let fields = form.area_fields.iter().find(|(p, _)| p == path).map(|(_, f)| f.as_slice()).unwrap_or_default();
        let mut value = (!id.is_empty()).then(|| id.clone());
        ui.label("");
        ui.horizontal(|ui| field_combo(ui, &format!("new-study-area-id-{i}"), &format!("Code field of {}", file_name(path)), &mut value, fields, None));
        ui.end_row();
        if let Some(v) = value {
            *id = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accessplan::testdata::shared_file;

    #[test]
    fn the_form_holds_several_timetables_and_moves_a_file_to_the_role_chosen() {
        let Some(oa) = shared_file("newport/boundaries/oa.geojson") else {
            return;
        };
        let f = |rel: &str| shared_file(rel).unwrap();
        let (bus, rail, lsoa, msoa) = (
            f("newport/gtfs-more/newport-20240305-bus_gtfs.zip"),
            f("newport/gtfs-more/newport-20240305-rail_gtfs.zip"),
            f("newport/boundaries/lsoa.geojson"),
            f("newport/boundaries/msoa.geojson"),
        );
        let mut form = NewStudyForm::default();
        // "Choose…" on the timetables row twice: bus, then rail beside it.
        form.set(FileRole::Gtfs, &bus);
        form.set(FileRole::Gtfs, &rail);
        assert_eq!(form.draft.paths(FileRole::Gtfs), vec![bus.as_path(), rail.as_path()]);
        // The LSOAs dropped alone are taken for zones; the role combo says "areas".
        assert_eq!(form.place(&lsoa).unwrap(), FileRole::Zones);
        assert_eq!(form.zone_fields.first().map(String::as_str), Some("LSOA11CD"));
        form.reassign(FileRole::Zones, FileRole::Areas, &lsoa);
        assert_eq!((form.draft.zones.as_deref(), form.draft.zone_id.as_deref()), (None, None));
        assert_eq!(form.draft.areas, vec![(lsoa.clone(), "LSOA11CD".to_string())]);
        assert_eq!(form.area_fields.len(), 1, "the code picker has the areas' fields");
        assert_eq!(form.note, None, "polygons may be areas: no warning");
        // The MSOAs look like localities; chosen as areas they join the list.
        form.set(FileRole::Areas, &msoa);
        assert_eq!(form.draft.paths(FileRole::Areas), vec![lsoa.as_path(), msoa.as_path()]);
        form.place(&oa).unwrap();
        assert_eq!(form.draft.zone_id.as_deref(), Some("OA11CD"));
        // The census download: its columns offered for the residents, found when joined by default.
        let census = f("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv");
        assert_eq!(form.place(&census).unwrap(), FileRole::PopulationTable);
        assert_eq!(form.table_fields.as_ref().map(|(_, h)| h.clone()), Some(vec!["2011 output area".to_string(), "2011".to_string()]));
        assert_eq!(form.draft.population, None);
        // Medway's wards, then the table naming each ward's locality, dropped.
        let wards = f("medway/boundaries/wards.geojson");
        form.place(&wards).unwrap();
        assert_eq!(form.place(&f("medway/localities.csv")).unwrap(), FileRole::Localities);
        assert_eq!(form.draft.grouping.as_ref().map(|g| (g.0.clone(), g.1.clone())), Some((wards, "WD13CD".to_string())));
        // A timetable put in the sites row is noted, not silently taken.
        form.set(FileRole::Sites, &bus);
        assert!(form.note.as_deref().is_some_and(|n| n.contains("looks like the bus timetable")), "{:?}", form.note);
    }
}
