//! The street matrix's fast engine (searches on a renumbered, packed search
//! graph that stop once every origin is settled) against its plain twin (one
//! full reverse search per site on the network's own arrays): every pair,
//! every street mode, on Newport's real streets and on a small synthetic
//! county.
//!
//! Times and lengths must be equal to the bit: both engines keep the
//! shortest of the paths tied on time and add the same `f32` lengths along
//! a path.

use accessplan::LonLat;
use accessplan::demo::county::{self, CountyOptions};
use accessplan::network::{MatrixEngine, Network, Period, StreetMatrix, StreetMode, street_matrix_by};
use accessplan::progress::Progress;
use accessplan::region::{Region, RegionInputs};

/// The street modes and periods a study computes.
const MODES: [(StreetMode, Period); 4] =
    [(StreetMode::Car, Period::Offpeak), (StreetMode::Car, Period::Peak), (StreetMode::Cycle, Period::Offpeak), (StreetMode::Walk, Period::Offpeak)];

/// Both engines' matrices on `net`, checked pair by pair; returns the number
/// of pairs with a time.
fn same_matrices(net: &Network, period: Period, zones: &[LonLat], sites: &[LonLat], what: &str) -> usize {
    let progress = Progress::new();
    let plain = street_matrix_by(MatrixEngine::Plain, net, period, zones, sites, 1000.0, &progress).unwrap();
    let fast = street_matrix_by(MatrixEngine::SearchGraph, net, period, zones, sites, 1000.0, &progress).unwrap();
    let hierarchy = street_matrix_by(MatrixEngine::Hierarchy, net, period, zones, sites, 1000.0, &progress).unwrap();
    eprintln!("{what}: hierarchy {:?}", net.hierarchy().map(|h| (h.state_count(), h.arc_count(), h.height())));
    same_times(&plain, &hierarchy, &format!("{what}, hierarchy"));
    compare(&plain, &fast, what)
}

/// The hierarchy's matrix against the plain search's: the same times to the
/// millisecond (a door-to-door time is whole milliseconds over 1000), and
/// lengths of the same paths, whose `f32` sums may differ in the last
/// digits; where several paths tie on time, both keep the shortest.
fn same_times(plain: &StreetMatrix, hierarchy: &StreetMatrix, what: &str) {
    assert_eq!((plain.origins, plain.destinations), (hierarchy.origins, hierarchy.destinations));
    let mut worst: f32 = 0.0;
    for o in 0..plain.origins {
        for d in 0..plain.destinations {
            assert_eq!(plain.time(o, d), hierarchy.time(o, d), "{what}: time from origin {o} to destination {d}");
            assert_eq!(plain.why_none(o, d), hierarchy.why_none(o, d), "{what}: {o} to {d}");
            if let (Some(a), Some(b)) = (plain.length(o, d), hierarchy.length(o, d)) {
                let off = (a - b).abs() / a.max(1.0);
                worst = worst.max(off);
                assert!(off < 1e-5, "{what}: length from {o} to {d}: {a} m by the plain search, {b} m by the hierarchy");
            }
        }
    }
    eprintln!("{what}: times equal, lengths within {worst:e} of each other");
}

fn compare(plain: &StreetMatrix, fast: &StreetMatrix, what: &str) -> usize {
    assert_eq!((plain.origins, plain.destinations), (fast.origins, fast.destinations));
    assert_eq!(plain.origin_snaps, fast.origin_snaps, "{what}: origin snaps");
    assert_eq!(plain.destination_snaps, fast.destination_snaps, "{what}: destination snaps");
    let mut with_time = 0;
    for o in 0..plain.origins {
        for d in 0..plain.destinations {
            assert_eq!(plain.time(o, d), fast.time(o, d), "{what}: time from origin {o} to destination {d}");
            assert_eq!(plain.why_none(o, d), fast.why_none(o, d), "{what}: {o} to {d}");
            let k = o * plain.destinations + d;
            assert_eq!(plain.length_m[k].to_bits(), fast.length_m[k].to_bits(), "{what}: length from {o} to {d}");
            with_time += usize::from(plain.time(o, d).is_some());
        }
    }
    eprintln!("{what}: {with_time} pairs with a time, times and lengths equal");
    with_time
}

#[test]
fn fast_matrices_equal_the_plain_search_on_newport_in_every_mode() {
    let Some(inputs) = accessplan::testdata::newport_inputs() else { return };
    let region = Region::load(&RegionInputs { modes: vec![StreetMode::Car, StreetMode::Walk, StreetMode::Cycle], ..inputs }).expect("Newport loads");
    let zones: Vec<_> = region.zones.iter().map(|z| z.point).collect();
    let sites: Vec<_> = region.sites.iter().map(|s| s.point).collect();
    assert_eq!((zones.len(), sites.len()), (475, 21));
    for (mode, period) in MODES {
        let net = region.network(mode).expect("every street mode is built");
        let n = same_matrices(net, period, &zones, &sites, &format!("Newport {} {}", mode.name(), period.name()));
        // Output areas beyond the extract's streets have no time (see newport_matrix.rs).
        assert!(n >= 360 * 21, "{n} pairs with a time");
    }
}

#[test]
fn fast_matrices_equal_the_plain_search_on_a_small_county_in_every_mode() {
    let dir = std::env::temp_dir().join(format!("accessplan-matrix-engines-{}", std::process::id()));
    let summary = county::generate(&dir, &CountyOptions::scaled(20_000)).expect("the county is written");
    let inputs = RegionInputs { modes: vec![StreetMode::Car, StreetMode::Walk, StreetMode::Cycle], ..county::region_inputs(&dir) };
    let region = Region::load(&inputs).expect("the county loads");
    let zones: Vec<_> = region.zones.iter().map(|z| z.point).collect();
    let sites: Vec<_> = region.sites.iter().map(|s| s.point).collect();
    assert_eq!((zones.len(), sites.len()), (summary.zones, summary.sites));
    for (mode, period) in MODES {
        let net = region.network(mode).expect("every street mode is built");
        if mode == StreetMode::Car {
            // A full lattice of turn states would need over 100 arcs a state:
            // the hierarchy is given up and its engine searches instead.
            assert!(net.hierarchy().is_none(), "the lattice's car graph has no hierarchy");
        }
        let n = same_matrices(net, period, &zones, &sites, &format!("county {} {}", mode.name(), period.name()));
        // The county is one connected network: every zone reaches every site.
        assert_eq!(n, zones.len() * sites.len(), "{} {}", mode.name(), period.name());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_matrix_uses_the_search_graph_from_three_sites_on_and_the_hierarchy_from_64() {
    assert_eq!(MatrixEngine::for_destinations(1), MatrixEngine::Plain);
    assert_eq!(MatrixEngine::for_destinations(2), MatrixEngine::Plain);
    assert_eq!(MatrixEngine::for_destinations(3), MatrixEngine::SearchGraph);
    assert_eq!(MatrixEngine::for_destinations(63), MatrixEngine::SearchGraph);
    assert_eq!(MatrixEngine::for_destinations(64), MatrixEngine::Hierarchy);
    assert_eq!(MatrixEngine::for_destinations(300), MatrixEngine::Hierarchy);
}

/// Newport copied twice side by side (real streets, joined by three roads):
/// a county of OSM streets on which the hierarchy is made for every mode,
/// every pair against the plain search.
#[test]
fn the_hierarchy_equals_the_plain_search_on_newport_copied_twice_in_every_mode() {
    use accessplan::demo::tiled::{TiledOptions, generate};
    let Some((osm, town)) = accessplan::testdata::newport_town() else { return };
    let dir = std::env::temp_dir().join(format!("accessplan-matrix-engines-tiled-{}", std::process::id()));
    generate(&dir, &osm, &town.zones, &town.sites, &TiledOptions::all(2, 1)).expect("the county is written");
    let inputs = RegionInputs { modes: vec![StreetMode::Car, StreetMode::Walk, StreetMode::Cycle], ..county::region_inputs(&dir) };
    let region = Region::load(&inputs).expect("the county loads");
    let zones: Vec<_> = region.zones.iter().map(|z| z.point).collect();
    let sites: Vec<_> = region.sites.iter().map(|s| s.point).collect();
    assert_eq!((zones.len(), sites.len()), (2 * 475, 2 * 21));
    for (mode, period) in MODES {
        let net = region.network(mode).expect("every street mode is built");
        let h = net.hierarchy().expect("OSM streets have a hierarchy");
        // Newport's streets give 9 to 15 arcs a state (a lattice over 100).
        let per_state = h.arc_count() as f64 / h.state_count() as f64;
        assert!((5.0..20.0).contains(&per_state), "{} {per_state} arcs a state", mode.name());
        let what = format!("Newport x 2 {} {}", mode.name(), period.name());
        let n = same_matrices(net, period, &zones, &sites, &what);
        assert!(n >= 2 * 360 * 2 * 21, "{what}: {n} pairs with a time");
    }
    std::fs::remove_dir_all(&dir).ok();
}
