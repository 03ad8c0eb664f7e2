//! The app at county scale, on a small synthetic county (generated once per
//! test run): level of detail keeps main roads and drops residential
//! streets county-wide, keeps them in a town, and never draws more than its
//! segment budget; simplified zones keep every zone; and Cancel of a county
//! study being opened stops the work and leaves the app as it was.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::Ordering;

use egui::{Pos2, Rect, Vec2};
use egui_kittest::kittest::Queryable;

use accessplan::demo::{county, county_zones};
use accessplan::region::Region;

use super::map::{MapGeometry, MapView};
use super::map_lod::{RANKS, SEGMENT_BUDGET, StreetSelection, band_of, simplify_zones, tolerance_m};
use super::map_raster::{Grid, Scene, zone_ids};

/// The test county: 60,000 junctions (360 zones, 18 sites) and its study.
fn county_study() -> &'static PathBuf {
    static STUDY: OnceLock<PathBuf> = OnceLock::new();
    STUDY.get_or_init(|| {
        remove_counties_of_finished_runs();
        let dir = std::env::temp_dir().join(format!("accessplan-app-county-{}", std::process::id()));
        county::generate(&dir, &county::CountyOptions::scaled(60_000)).expect("the county is written");
        county_zones::write_study(&dir).expect("the county study is written")
    })
}

/// Removes the test counties earlier test runs left behind (a static has
/// no end to clean up at): those of processes no longer running, where
/// `/proc` can say so.
fn remove_counties_of_finished_runs() {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("accessplan-app-county-").and_then(|p| p.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            std::fs::remove_dir_all(e.path()).ok();
        }
    }
}

/// The county's region (car network only) with its zone outlines, and its map with level of detail.
fn county_map() -> &'static (Region, MapGeometry) {
    static MAP: OnceLock<(Region, MapGeometry)> = OnceLock::new();
    MAP.get_or_init(|| {
        let dir = county_study().parent().expect("a folder").to_path_buf();
        let mut inputs = county::region_inputs(&dir);
        inputs.zones = dir.join(county_zones::ZONE_POLYGONS_FILE);
        let region = Region::load(&inputs).expect("the county loads");
        let geo = MapGeometry::with_lod(&region, &region.sites, None, true);
        (region, geo)
    })
}

/// The map's rectangle in the tests: 1000 x 800 points.
fn rect() -> Rect {
    Rect::from_min_size(Pos2::new(0.0, 0.0), Vec2::new(1000.0, 800.0))
}

/// The view of a whole county 100 km across in the 1000-point map (100 m a
/// point), centred on the test county (smaller: it fits inside).
fn county_wide(geo: &MapGeometry) -> MapView {
    MapView { centre: [(geo.extent[0] + geo.extent[2]) / 2.0, (geo.extent[1] + geo.extent[3]) / 2.0], scale: 0.01, fitted: true }
}

/// The streets a view draws (the raster's own selection), with the grid of that view.
fn drawn(geo: &MapGeometry, view: &MapView, budget: usize) -> (StreetSelection, Grid) {
    let grid = Grid::new(geo.id, view, rect(), 1.0, 4096);
    let b = grid_bounds(&grid);
    (geo.street_index.as_ref().expect("level of detail on").select(&geo.streets, &b, view.scale, budget), grid)
}

/// The area a grid covers, metres.
fn grid_bounds(g: &Grid) -> [f64; 4] {
    let k = g.scale * g.ppp as f64;
    let (w, h) = (g.size_px[0] as f64, g.size_px[1] as f64);
    [
        g.centre[0] - g.anchor_px[0] as f64 / k,
        g.centre[1] - (h - g.anchor_px[1] as f64) / k,
        g.centre[0] + (w - g.anchor_px[0] as f64) / k,
        g.centre[1] + g.anchor_px[1] as f64 / k,
    ]
}

/// The slow twin: every street of level-of-detail class `lod` whose box overlaps `b`, by a plain scan.
fn scan(geo: &MapGeometry, lod: u8, b: &[f64; 4]) -> Vec<u32> {
    (0..geo.streets.len() as u32)
        .filter(|&i| {
            let s = &geo.streets[i as usize];
            s.lod == lod && s.bbox[0] <= b[2] && s.bbox[2] >= b[0] && s.bbox[1] <= b[3] && s.bbox[3] >= b[1]
        })
        .collect()
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}

#[test]
fn county_wide_the_map_draws_main_roads_only_and_a_town_draws_its_residential_streets() {
    let (_, geo) = county_map();
    let whole = county_wide(geo);
    let (sel, grid) = drawn(geo, &whole, SEGMENT_BUDGET);
    let b = grid_bounds(&grid);
    // Motorway, trunk and primary: all of them, as a plain scan finds them.
    let main = scan(geo, 0, &b);
    assert!(!main.is_empty(), "the county has main roads");
    assert_eq!(sorted(sel.lines[0].clone()), main, "main roads county-wide");
    let residential = scan(geo, 2, &b);
    assert!(residential.len() > 10_000, "{} residential streets in the county", residential.len());
    assert!(sel.lines[2].is_empty(), "county-wide, no residential street is drawn ({} were)", sel.lines[2].len());
    assert!(sel.ranks_drawn <= 2, "{} classes county-wide", sel.ranks_drawn);

    // A town (10 m a point, on the first site): its residential streets are drawn, every one in view.
    let town = MapView { centre: geo.sites[0], scale: 0.1, fitted: true };
    let (sel, grid) = drawn(geo, &town, SEGMENT_BUDGET);
    let b = grid_bounds(&grid);
    let here = scan(geo, 2, &b);
    assert!(here.len() > 100, "{} residential streets in the town view", here.len());
    assert_eq!(sorted(sel.lines[2].clone()), here, "residential streets in the town");
    assert!(here.len() * 2 < residential.len(), "a town view touches part of the streets: {} of {}", here.len(), residential.len());
}

#[test]
fn no_view_draws_more_segments_than_the_budget() {
    let (_, geo) = county_map();
    let total: usize = geo.streets.iter().map(|s| s.pts.len() - 1).sum();
    let whole = county_wide(geo);
    // A small budget, so that it binds at this county's size, and the app's own.
    for budget in [20_000, SEGMENT_BUDGET] {
        let mut seen_classes = Vec::new();
        for zoom in [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0] {
            let view = MapView { scale: whole.scale * zoom, ..whole };
            let (sel, _) = drawn(geo, &view, budget);
            assert!(sel.segments <= budget, "{} segments at zoom x{zoom} with a budget of {budget}", sel.segments);
            assert!(sel.ranks_drawn >= 1, "the main roads are always drawn (zoom x{zoom})");
            seen_classes.push(sel.ranks_drawn);
        }
        // Zooming in only ever adds classes.
        assert!(seen_classes.windows(2).all(|w| w[0] <= w[1]), "{seen_classes:?}");
    }
    // Without level of detail the whole county would draw every street.
    assert!(total > 20_000 * 3, "{total} segments in the county");
    // Every street at once: the index finds them all, and the budget cuts them to at most 20,000.
    let ix = geo.street_index.as_ref().expect("level of detail on");
    let everywhere = [-1e7, -1e7, 1e7, 1e7];
    assert_eq!(ix.select(&geo.streets, &everywhere, 1.0, usize::MAX).segments, total);
    let capped = ix.select(&geo.streets, &everywhere, 1.0, 20_000);
    assert!(capped.segments <= 20_000 && capped.ranks_drawn < RANKS, "{} segments, {} classes", capped.segments, capped.ranks_drawn);
}

#[test]
fn simplified_zones_keep_every_zone() {
    let (region, geo) = county_map();
    let mut whole = MapView::default();
    whole.fit(rect(), geo.extent);
    let grid = Grid::new(geo.id, &whole, rect(), 1.0, 4096);
    let tol = tolerance_m(band_of(grid.px_per_m()));
    assert!(tol > 10.0, "county-wide a pixel is {tol} m or more");
    let simple = simplify_zones(&geo.zones, tol);
    assert_eq!(simple.len(), region.zones.len());
    let (before, after): (usize, usize) =
        (geo.zones.iter().flat_map(|z| &z.rings).map(|r| r.pts.len()).sum(), simple.iter().flat_map(|z| &z.rings).map(|r| r.pts.len()).sum());
    assert!(after * 3 < before, "{before} points simplified to {after}");
    for (z, s) in geo.zones.iter().zip(simple.iter()) {
        assert_eq!(z.rings.len(), s.rings.len());
        assert!(s.rings.iter().all(|r| r.pts.len() >= 3));
    }
    // Every zone still shows on the county-wide map, drawn simplified as with full outlines.
    let with_lod = zone_ids(&Scene::of(geo), &grid);
    let plain = MapGeometry { street_index: None, zone_lod: None, ..geo.clone() };
    let full = zone_ids(&Scene::of(&plain), &grid);
    let distinct = |ids: &[u32]| ids.iter().filter(|&&i| i > 0).collect::<std::collections::BTreeSet<_>>().len();
    assert_eq!(distinct(&full), region.zones.len(), "every zone shows with full outlines");
    assert_eq!(distinct(&with_lod), region.zones.len(), "every zone shows simplified");
    // And the pixels agree but along the edges.
    let differ = with_lod.iter().zip(&full).filter(|(a, b)| a != b).count();
    assert!(differ * 20 < full.len(), "{differ} of {} pixels show another zone", full.len());
}

#[test]
fn cancel_while_a_county_study_opens_stops_the_work_and_keeps_the_open_study() {
    let study = county_study().clone();
    let mut h = super::tests::harness();
    // The open study, edited: a tick to undo.
    let before = {
        let app = h.state_mut();
        let s = app.session.as_mut().expect("the demo is open");
        let on = !s.study.scenario.services[0].offered[0];
        s.apply(super::state::Edit::Offer { service: 0, site: 0, on });
        (s.study.path.clone(), s.study.scenario.clone(), s.can_undo_redo(), s.study.region.zones.len())
    };
    h.state_mut().job = Some(super::jobs::OpenJob::start(study, None, None));
    let (progress, finished) = {
        let job = h.state().job.as_ref().expect("opening");
        (job.progress.clone(), job.finished_flag())
    };
    // Wait until it is reading or building the county's streets, then press Cancel.
    super::tests::step_until(&mut h, |app| app.job.as_ref().is_some_and(|j| j.stage().contains("street")));
    // While it works the UI asks for its next frame a while later, not at
    // once: egui's spinner asked every frame, and under a software renderer
    // those frames took a core from the work. (egui itself may ask for one
    // at once now and then, when a line of text changes its width, so the
    // frames are counted rather than one looked at.)
    let mut at_once = Vec::new();
    for _ in 0..6 {
        h.step();
        if h.ctx.requested_repaint_last_pass() {
            at_once.push(h.ctx.repaint_causes());
        }
    }
    assert!(at_once.len() <= 2, "{} of 6 frames asked for the next at once: {at_once:?}", at_once.len());
    h.get_by_label("Cancel").click();
    h.run();
    let app = h.state();
    assert!(app.job.is_none(), "the opening is gone");
    assert!(app.messages.iter().any(|(_, m)| m.starts_with("Opening cancelled")), "{:?}", app.messages);
    // The work itself stops, before its travel times and its map.
    for _ in 0..3000 {
        if finished.load(Ordering::Relaxed) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(finished.load(Ordering::Relaxed), "the worker returned within a minute of Cancel");
    assert!(progress.is_cancelled());
    assert!(progress.stage().contains("street"), "stopped at {:?}", progress.stage());
    assert_eq!(progress.done(), 0, "no travel-time search ran after Cancel");
    // The app is as it was, and still usable: the edit undoes.
    for _ in 0..5 {
        h.step();
    }
    let s = h.state().session.as_ref().expect("the study stays open");
    assert_eq!((s.study.path.clone(), s.study.scenario.clone(), s.can_undo_redo(), s.study.region.zones.len()), before);
    let s = h.state_mut().session.as_mut().expect("open");
    assert!(s.undo(), "the edit undoes");
    assert_eq!(s.can_undo_redo(), (false, true));
}

#[test]
fn an_edit_reuses_the_nearest_hlcs_and_equals_a_fresh_evaluation() {
    let mut app = super::AccessplanApp::new_blocking();
    let s = app.session.as_mut().expect("the demo is open");
    let fresh = |s: &super::state::Session| {
        let st = &s.study;
        accessplan::analysis::evaluate(&st.scenario, &st.region, st.sites(), &st.tt, &st.geo, &st.contacts)
    };
    let hlc = s.study.sites().iter().position(|x| x.role != accessplan::model::SiteRole::Hlc).expect("a site that is no HLC");
    let edits = [
        super::state::Edit::Offer { service: 0, site: 0, on: !s.study.scenario.services[0].offered[0] },
        super::state::Edit::Offer { service: 1, site: 2, on: !s.study.scenario.services[1].offered[2] },
        // A new HLC: every zone's nearest HLC is worked out again.
        super::state::Edit::SetSite { site: hlc, role: accessplan::model::SiteRole::Hlc, locality: None },
        super::state::Edit::Offer { service: 0, site: 1, on: !s.study.scenario.services[0].offered[1] },
    ];
    for (i, e) in edits.into_iter().enumerate() {
        s.apply(e);
        let f = fresh(s);
        assert_eq!(s.after_eval.hlcs, f.hlcs, "edit {i}");
        assert_eq!(s.after_eval.any_hlc, f.any_hlc, "edit {i}: nearest HLCs");
        assert_eq!(s.after_eval.choices, f.choices, "edit {i}: services");
    }
    assert!(s.after_eval.hlcs.contains(&hlc));
}
