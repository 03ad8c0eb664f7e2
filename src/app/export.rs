//! Exports for engagement leads: the current map as PNG (any size, e.g. A4
//! at 300 dpi) or SVG, with title, legend, scale bar, north arrow and data
//! credits; the HTML report; CSV of the tables. Small-number suppression
//! applies as in the report. Also recognises dropped files by type.

use std::path::Path;

use accessplan::export::map_png::render_png;
use accessplan::export::map_svg::{MapSpec, render_svg};
use accessplan::export::map_view::View;
use accessplan::export::tables;
use accessplan::fileio::write_atomic;

use super::AccessplanApp;
use super::state::Showing;

/// Export window state.
#[derive(Debug, Clone)]
pub struct ExportState {
    /// Window open.
    pub open: bool,
    /// Map title.
    pub title: String,
    /// Size preset index.
    pub size: usize,
    /// Suppress counts of 1 to 4.
    pub suppress: bool,
}

impl Default for ExportState {
    fn default() -> Self {
        ExportState { open: false, title: String::new(), size: 1, suppress: true }
    }
}

/// Map size presets: (label, width, height).
pub const SIZES: [(&str, u32, u32); 4] = [
    ("Screen (1600 x 1000)", 1600, 1000),
    ("A4 landscape, 150 dpi (1754 x 1240)", 1754, 1240),
    ("A4 landscape, 300 dpi (3508 x 2480)", 3508, 2480),
    ("A4 portrait, 300 dpi (2480 x 3508)", 2480, 3508),
];

/// What a dropped or opened file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A scenario (TOML).
    Scenario,
    /// An OSM street network.
    Osm,
    /// A GTFS feed.
    Gtfs,
    /// GeoJSON.
    GeoJson,
    /// CSV.
    Csv,
    /// Something else.
    Unknown,
}

impl FileKind {
    /// Words for messages.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Scenario => "a scenario",
            FileKind::Osm => "an OpenStreetMap street network",
            FileKind::Gtfs => "a GTFS bus timetable",
            FileKind::GeoJson => "a GeoJSON layer (zones, sites or localities)",
            FileKind::Csv => "a CSV table (sites, zones, contacts or a locality grouping)",
            FileKind::Unknown => "a file accessplan does not read",
        }
    }
}

/// Recognises a file by name and, for folders and zips, contents.
pub fn recognise(p: &Path) -> FileKind {
    let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if p.is_dir() {
        return if p.join("stops.txt").exists() { FileKind::Gtfs } else { FileKind::Unknown };
    }
    if n.ends_with(".toml") {
        FileKind::Scenario
    } else if n.ends_with(".pbf") || n.ends_with(".osm") {
        FileKind::Osm
    } else if n.ends_with(".zip") {
        FileKind::Gtfs
    } else if n.ends_with(".geojson") || n.ends_with(".json") {
        FileKind::GeoJson
    } else if n.ends_with(".csv") {
        FileKind::Csv
    } else {
        FileKind::Unknown
    }
}

/// The map spec for what the app shows now: the engine's
/// [`accessplan::export::map_view::StudyView::map_spec`] of the session's
/// view, the same function `accessplan map` calls, with the isochrone the
/// map shows, if any.
pub fn map_spec(app: &AccessplanApp, width: u32, height: u32, title: &str) -> Option<MapSpec> {
    let s = app.session.as_ref()?;
    let view = match app.showing {
        Showing::Before => View::Before,
        Showing::After => View::After,
        Showing::Difference => View::Difference,
    };
    let mut spec = s.study_view().map_spec(app.target, app.mode, view, width, height, title)?;
    // The isochrone on the map goes on the exported map too.
    spec.isochrone = app.isochrone.as_ref().map(|o| o.export.clone());
    Some(spec)
}

/// Why an export wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// No study is open.
    #[error("nothing is open")]
    NothingOpen,
    /// The map has nothing to show (no service or mode chosen).
    #[error("nothing to draw")]
    NothingToDraw,
    /// The PNG could not be drawn.
    #[error(transparent)]
    Png(#[from] accessplan::export::map_png::MapPngError),
    /// The file or folder could not be written (or is an input).
    #[error(transparent)]
    Write(#[from] accessplan::Error),
}

/// Writes the current map as PNG or SVG (by extension) at `width` x `height`.
pub fn export_map(app: &AccessplanApp, path: &Path, width: u32, height: u32, title: &str) -> Result<(), ExportError> {
    let s = app.session.as_ref().ok_or(ExportError::NothingOpen)?;
    let spec = map_spec(app, width, height, title).ok_or(ExportError::NothingToDraw)?;
    let bytes = if path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
        render_svg(&s.study.region, s.study.sites(), &spec).into_bytes()
    } else {
        render_png(&s.study.region, s.study.sites(), &spec)?
    };
    Ok(write_atomic(path, &bytes, &s.study.region.inputs.files())?)
}

/// The report and tables of the current session: (file name, bytes).
pub fn report_files(app: &AccessplanApp, suppress: bool) -> Vec<(&'static str, Vec<u8>)> {
    let Some(s) = app.session.as_ref() else { return Vec::new() };
    let (r, sites, sc) = (&s.study.region, s.study.sites(), &s.study.scenario);
    match (&s.comparison, &s.before) {
        (Some(c), Some((_, bs))) => {
            let mut v = vec![
                ("coverage.csv", tables::coverage_compare_csv(r, bs, sc, c)),
                ("journeys.csv", tables::journeys_csv(r, sites, sc, &c.proposed.modes, &c.journeys, suppress)),
                ("journey_summary.csv", tables::journey_summary_csv(r, sc, &c.proposed.modes, &c.journeys, suppress)),
                ("loads.csv", tables::loads_csv(sites, sc, &c.proposed, suppress)),
            ];
            let mut rep_study = s.study.clone();
            rep_study.scenario = bs.clone();
            v.extend(accessplan::export::report::comparison_outputs(&rep_study, sc, c, suppress));
            v
        }
        _ => {
            let e = &s.after_eval;
            let mut v = vec![
                ("coverage.csv", tables::coverage_csv(r, sc, e)),
                ("journeys.csv", tables::journeys_csv(r, sites, sc, &e.modes, &e.journeys, suppress)),
                ("journey_summary.csv", tables::journey_summary_csv(r, sc, &e.modes, &e.journeys, suppress)),
                ("loads.csv", tables::loads_csv(sites, sc, e, suppress)),
            ];
            v.extend(accessplan::export::report::evaluation_outputs(&s.study, e, suppress));
            v
        }
    }
}

/// Writes the report and tables into a folder.
pub fn export_report(app: &AccessplanApp, dir: &Path, suppress: bool) -> Result<usize, ExportError> {
    let s = app.session.as_ref().ok_or(ExportError::NothingOpen)?;
    std::fs::create_dir_all(dir).map_err(|source| accessplan::Error::Write { path: dir.to_path_buf(), source })?;
    let files = report_files(app, suppress);
    let n = files.len();
    for (name, bytes) in files {
        write_atomic(&dir.join(name), &bytes, &s.study.region.inputs.files())?;
    }
    Ok(n)
}

/// The export window.
pub fn window(ctx: &egui::Context, app: &mut AccessplanApp) {
    if !app.export.open {
        return;
    }
    let mut open = true;
    let mut msg: Option<(bool, String)> = None;
    egui::Window::new("Export").open(&mut open).resizable(false).show(ctx, |ui| {
        ui.label("Export what the map shows now, the report, or the tables.");
        ui.horizontal(|ui| {
            ui.label("Map title");
            ui.text_edit_singleline(&mut app.export.title).on_hover_text("Leave empty for an automatic title");
        });
        egui::ComboBox::from_label("Image size").selected_text(SIZES[app.export.size].0).show_ui(ui, |ui| {
            for (i, s) in SIZES.iter().enumerate() {
                ui.selectable_value(&mut app.export.size, i, s.0);
            }
        });
        ui.checkbox(&mut app.export.suppress, "Show counts of 1 to 4 as \"<5\" (for publication)");
        ui.horizontal(|ui| {
            let (_, w, h) = SIZES[app.export.size];
            for (label, ext) in [("Map as PNG...", "png"), ("Map as SVG...", "svg")] {
                if ui.button(label).clicked()
                    && let Some(p) = rfd::FileDialog::new().add_filter(ext, &[ext]).set_file_name(format!("map.{ext}")).save_file()
                {
                    msg = Some(match export_map(app, &p, w, h, &app.export.title.clone()) {
                        Ok(()) => (false, format!("Map written to {}", p.display())),
                        Err(e) => (true, format!("Map not written: {e}")),
                    });
                }
            }
            if ui.button("Report and tables...").on_hover_text("report.html (one file you can email), CSV tables and GeoJSON layers, into a folder").clicked()
                && let Some(dir) = rfd::FileDialog::new().pick_folder()
            {
                msg = Some(match export_report(app, &dir, app.export.suppress) {
                    Ok(n) => (false, format!("{n} files written to {}", dir.display())),
                    Err(e) => (true, format!("Report not written: {e}")),
                });
            }
        });
    });
    app.export.open = open;
    if let Some(m) = msg {
        app.messages.push(m);
    }
}
