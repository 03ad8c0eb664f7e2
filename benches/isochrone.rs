//! Isochrone benchmark (issue 16): clean bands against the raw contours
//! they replace, measured in the same run. `cargo bench --bench isochrone`.
//!
//! Baseline: the method as it was on main: the search, the times spread
//! onto the grid, and the grid contoured straight into bands (one
//! `contour` isobands call on the raw times). Now: [`isochrone`], the same
//! search and grid, then closing, hole filling, speck dropping, the blur,
//! the contour of the nested areas and the simplification. Demo (car, from
//! its centre) and Newport (car and walk, from the station), 5-30 minutes.

use accessplan::geom::LonLat;
use accessplan::input::osm::OsmData;
use accessplan::network::dijkstra::Search;
use accessplan::network::{Network, Period, Profile, StreetMode};
use accessplan::progress::Progress;
use accessplan::travel::isochrone::{isochrone, time_grid};

mod common;

const MINUTES: [f64; 5] = [5.0, 10.0, 15.0, 20.0, 30.0];

/// The method as it was: raw isobands of the time grid; (polygons, holes) per band.
fn raw_bands(net: &Network, at: LonLat, cell_m: f64) -> Vec<(usize, usize)> {
    let period = Period::Offpeak;
    let snap = net.snap(at, 1000.0).expect("the start is on the network");
    let start_ms = net.walk_ms(snap.offset_m);
    let seeds: Vec<_> = net.leaving(&snap, period).into_iter().map(|(v, t, l)| (v, t + start_ms, l)).collect();
    let mut search = Search::new(net.state_count());
    search.run(&net.forward, period.index(), &seeds, 30 * 60_000);
    let xy = net.projection.to_xy(at);
    let g = time_grid(net, period, &search, Some((snap, start_ms)), xy, &MINUTES, cell_m, &Progress::new()).expect("not cancelled");
    let values: Vec<f64> = g.time_s.iter().map(|t| if t.is_finite() { *t as f64 } else { 1e9 }).collect();
    let thresholds: Vec<f64> = std::iter::once(0.0).chain(MINUTES.iter().map(|m| m * 60.0)).collect();
    let builder = contour::ContourBuilder::new(g.nx, g.ny, true).x_origin(g.x0_m).y_origin(g.y0_m).x_step(g.cell_m).y_step(g.cell_m);
    let bands = builder.isobands(&values, &thresholds).unwrap_or_default();
    bands.iter().map(|b| (b.geometry().0.len(), b.geometry().0.iter().map(|p| p.interiors().len()).sum())).collect()
}

fn run(name: &str, net: &Network, at: LonLat, cell_m: f64) {
    let runs = 5;
    let (old_s, old) = common::time(runs, || raw_bands(net, at, cell_m));
    let (new_s, iso) = common::time(runs, || isochrone(net, Period::Offpeak, at, &MINUTES, 1000.0, cell_m, &Progress::new()).expect("an isochrone"));
    let new: Vec<(usize, usize)> = iso.bands.iter().map(|b| (b.polygons, b.holes)).collect();
    println!("{name}, {cell_m} m cells (median of {runs}):");
    println!("  raw contours (before) {:8.1} ms  (polygons, holes) per band {old:?}", old_s * 1000.0);
    println!("  clean bands (now)     {:8.1} ms  (polygons, holes) per band {new:?}", new_s * 1000.0);
    let areas: Vec<String> = iso.bands.iter().map(|b| format!("{:.1}", b.area_km2)).collect();
    println!("  band areas, km2: {}", areas.join(", "));
}

fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let p = Profile::default();
    let demo = OsmData::load(&root.join("maps/demo/region.osm")).expect("the demo map");
    let car = Network::build(&demo, StreetMode::Car, &p);
    for cell_m in [50.0, 60.0] {
        run("demo, car off-peak from the centre", &car, LonLat::new(0.55, 51.3792), cell_m);
    }
    let Some(pbf) = accessplan::testdata::shared_file("newport/newport-2023-06-13.osm.pbf") else { return };
    let osm = OsmData::load(&pbf).expect("the Newport extract");
    let at = LonLat::new(-2.9990, 51.5880);
    run("Newport, car off-peak from the station", &Network::build(&osm, StreetMode::Car, &p), at, 50.0);
    run("Newport, walk from the station", &Network::build(&osm, StreetMode::Walk, &p), at, 50.0);
}
