//! Cancel stops the work, not just the waiting: once a computation's
//! `Progress` is cancelled no further search, origin or step starts. Each
//! test cancels from inside the work (at a given step) and checks, by the
//! step counter, that only the steps already under way were finished.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Period, Profile, StreetMode, street_matrix};
use accessplan::progress::{Cancelled, Progress};
use accessplan::region::Region;
use accessplan::transit::{BusOptions, BusRouter, DepartureWindow, FootpathOptions, Timetable, bus_matrix, load_gtfs};
use accessplan::travel::isochrone::{NoIsochrone, bus_isochrone};
use accessplan::travel::{TravelRequest, TravelTimes};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A progress handle that cancels itself once `at` steps are done, and the
/// handle's own count of steps seen.
fn cancelling_at(at: u64) -> (Arc<Progress>, Arc<AtomicU64>) {
    let seen = Arc::new(AtomicU64::new(0));
    let slot: Arc<std::sync::OnceLock<std::sync::Weak<Progress>>> = Arc::new(std::sync::OnceLock::new());
    let (s, sl) = (seen.clone(), slot.clone());
    let p = Arc::new(Progress::with_callback(move |n| {
        s.store(n, Ordering::Relaxed);
        if n >= at
            && let Some(p) = sl.get().and_then(|w| w.upgrade())
        {
            p.cancel();
        }
    }));
    let _ = slot.set(Arc::downgrade(&p));
    (p, seen)
}

/// Steps that may still finish after Cancel: one in flight per worker thread.
fn in_flight() -> u64 {
    rayon::current_num_threads() as u64
}

fn demo_walk() -> (Network, Vec<accessplan::LonLat>) {
    let osm = OsmData::load(&root().join("maps/demo/region.osm")).unwrap();
    let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
    let region = Region::load(&Region::demo_inputs(&root())).unwrap();
    (walk, region.zones.iter().map(|z| z.point).collect())
}

#[test]
fn a_cancelled_street_matrix_stops_starting_searches() {
    let (walk, zones) = demo_walk();
    assert!(zones.len() > 300, "a long matrix: every zone to every zone");
    let (p, _) = cancelling_at(10);
    let r = street_matrix(&walk, Period::Offpeak, &zones, &zones, 1000.0, &p);
    assert_eq!(r.err(), Some(Cancelled));
    assert!(p.done() <= 10 + in_flight(), "{} of {} searches ran after Cancel at 10", p.done(), zones.len());
    // Not cancelled, the same matrix runs every search.
    let full = Progress::new();
    assert!(street_matrix(&walk, Period::Offpeak, &zones[..50], &zones[..50], 1000.0, &full).is_ok());
    assert_eq!(full.done(), 50);
}

#[test]
fn a_cancelled_bus_matrix_and_bus_isochrone_stop() {
    let (walk, zones) = demo_walk();
    let (feed, _) = load_gtfs(&root().join("datasets/demo/gtfs")).unwrap();
    let tt = Timetable::build(&feed, "2026-01-06".parse().unwrap(), Some(&walk), &FootpathOptions::default()).unwrap();
    let sites = &zones[..5];
    let (p, _) = cancelling_at(3);
    let r = bus_matrix(&tt, &walk, &zones, sites, &DepartureWindow::MORNING_PEAK, &BusOptions::default(), &p);
    assert_eq!(r.err(), Some(Cancelled));
    assert!(p.done() <= 3 + in_flight(), "{} of {} origins' windows ran after Cancel at 3", p.done(), zones.len());
    // The bus isochrone, cancelled after its first step (the walk to the
    // stops), never runs RAPTOR or the walk on from the stops.
    let router = BusRouter::new(&tt, &walk, BusOptions::default());
    let at = accessplan::LonLat::new(0.5526, 51.4172);
    let (p, _) = cancelling_at(1);
    let r = bus_isochrone(&router, at, 8 * 3600, &[10.0, 20.0], 50.0, &p);
    assert_eq!(r.err(), Some(NoIsochrone::Cancelled));
    assert_eq!(p.done(), 1);
    // Uncancelled it takes its four steps.
    let full = Progress::new();
    assert!(bus_isochrone(&router, at, 8 * 3600, &[10.0, 20.0], 50.0, &full).is_ok());
    assert_eq!(full.done(), 4);
}

#[test]
fn cancelling_a_study_s_travel_times_returns_cancelled_early() {
    let region = Region::load(&Region::demo_inputs(&root())).unwrap();
    let total = (region.sites.len() * 4 + region.zones.len()) as u64;
    let (p, _) = cancelling_at(5);
    let r = TravelTimes::compute(&region, &TravelRequest::for_region(&region), &p);
    assert!(r.is_err());
    assert!(p.done() <= 5 + in_flight(), "{} of {total} steps ran after Cancel at 5", p.done());
    let e: accessplan::Error = r.err().unwrap().into();
    assert!(matches!(e, accessplan::Error::Cancelled));
}

#[test]
fn a_cancelled_placement_search_stops_and_says_so() {
    use accessplan::analysis::optimise::{Method, Objective, OptimiseError, Options, Problem, Sector, solve_with};
    use accessplan::testdata::Rng;
    // 2,000 zones, 200 candidates, 12 to open: far too many placements to
    // enumerate (about 10^19), so the exact search would run to its one-hour limit.
    let (nz, nc) = (2_000, 200);
    let mut rng = Rng::new(7);
    let time_s: Vec<f32> = (0..nz * nc).map(|_| 60.0 * rng.range(2, 90) as f32).collect();
    let problem = Problem {
        zones: nz,
        candidates: nc,
        time_s,
        weight: (0..nz).map(|_| rng.range(50, 400) as f64).collect(),
        threshold_s: Some(900.0),
        objective: Objective::Median,
        sectors: vec![Sector { label: "all".into(), zones: (0..nz).collect(), candidates: (0..nc).collect(), open: 12 }],
        fixed: vec![],
        excluded: vec![],
        capacity: None,
        candidate_names: (0..nc).map(|c| format!("site {c}")).collect(),
    };
    let options = Options { method: Method::Exact, time_limit: std::time::Duration::from_secs(3600), ..Options::default() };
    let progress = Arc::new(Progress::new());
    let p = progress.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        p.cancel();
    });
    // Returns (instead of searching for an hour) with Cancelled; the one sector stopped early.
    assert_eq!(solve_with(&problem, &options, &progress).err(), Some(OptimiseError::Cancelled));
    assert_eq!(progress.done(), 1, "the one sector stopped, then reported");
    canceller.join().unwrap();
}
