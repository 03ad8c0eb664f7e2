//! The bus window matrix on Newport's 2024 bus feed (5,426 trips): range
//! RAPTOR skipping the departures that board nothing new and stopping at
//! the travel limit equals searching every departure in full without limit; the matrix run on many threads equals the same
//! on one; and the feed cut to the zones' extent + 2 km (after loading, or
//! while reading) gives the same journeys as the whole feed.

use std::path::Path;
use std::sync::OnceLock;

use accessplan::LonLat;
use accessplan::geom::Extent;
use accessplan::input::crs::CrsChoice;
use accessplan::input::osm::{OsmData, TagFilter, sites_from_osm};
use accessplan::input::zones::{ZoneOptions, load_zones};
use accessplan::network::{Network, Profile, StreetMode};
use accessplan::progress::Progress;
use accessplan::testdata::shared_file;
use accessplan::transit::*;

const BUS_2024: &str = "newport/gtfs-more/newport-20240305-bus_gtfs.zip";

struct Newport {
    walk: Network,
    zones: Vec<LonLat>,
    sites: Vec<LonLat>,
    area: Extent,
}

fn newport() -> Option<&'static Newport> {
    static CELL: OnceLock<Option<Newport>> = OnceLock::new();
    CELL.get_or_init(|| {
        let pbf = shared_file("newport/newport-2023-06-13.osm.pbf")?;
        let oa = shared_file("newport/boundaries/oa.geojson")?;
        let osm = OsmData::load(&pbf).unwrap();
        let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
        let zones = load_zones(&oa, &ZoneOptions { id_field: "OA11CD".into(), population_field: None, crs: CrsChoice::Auto, locality_field: None }).unwrap().0;
        let area = accessplan::region::clip::clip_area(&zones, Some(2.0), Path::new("oa.geojson")).unwrap().0.unwrap();
        let (sites, _) = sites_from_osm(&osm, &"amenity=hospital,clinic,doctors".parse::<TagFilter>().unwrap());
        Some(Newport { walk, zones: zones.iter().map(|z| z.point).collect(), sites: sites.iter().map(|s| s.point).collect(), area })
    })
    .as_ref()
}

fn date() -> ServiceDate {
    "2024-03-05".parse().unwrap()
}

fn same(a: &[f32], b: &[f32]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x == y || (x.is_infinite() && y.is_infinite())).count()
}

fn assert_same_matrix(a: &BusMatrix, b: &BusMatrix, what: &str) {
    let n = a.median_s.len();
    assert_eq!(n, b.median_s.len(), "{what}");
    for (name, x, y) in [
        ("p10", &a.p10_s, &b.p10_s),
        ("median", &a.median_s, &b.median_s),
        ("p90", &a.p90_s, &b.p90_s),
        ("no journey", &a.no_journey_share, &b.no_journey_share),
    ] {
        assert_eq!(same(x, y), n, "{what}: {name} differs for {} of {n} pairs", n - same(x, y));
    }
}

#[test]
fn skipping_departures_that_board_nothing_new_changes_no_time_and_threads_change_nothing() {
    let (Some(np), Some(gtfs)) = (newport(), shared_file(BUS_2024)) else { return };
    let (feed, _) = load_gtfs(&gtfs).unwrap();
    let tt = Timetable::build(&feed, date(), Some(&np.walk), &FootpathOptions::default()).unwrap();
    let router = BusRouter::new(&tt, &np.walk, BusOptions::default());
    // Every 4th output area keeps the test short; all sites.
    let zones: Vec<LonLat> = np.zones.iter().step_by(4).copied().collect();
    let window = DepartureWindow::MORNING_PEAK;
    let fast = router.matrix(&zones, &np.sites, &window, &Progress::new()).unwrap();
    let plain = router.matrix_every_departure(&zones, &np.sites, &window, &Progress::new()).unwrap();
    assert_same_matrix(&fast, &plain, "skipping vs every departure");
    let with = fast.median_s.iter().filter(|t| t.is_finite()).count();
    assert!(with * 2 > fast.median_s.len(), "most pairs have a bus time: {with} of {}", fast.median_s.len());
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let sequential = one.install(|| router.matrix(&zones, &np.sites, &window, &Progress::new()).unwrap());
    let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    let parallel = four.install(|| router.matrix(&zones, &np.sites, &window, &Progress::new()).unwrap());
    assert_eq!(sequential, parallel);
    assert_eq!(sequential, fast);
}

#[test]
fn the_feed_cut_to_the_study_area_gives_the_same_journeys() {
    let (Some(np), Some(gtfs)) = (newport(), shared_file(BUS_2024)) else { return };
    let (whole, _) = load_gtfs(&gtfs).unwrap();
    let (cut, clip) = whole.clone().clip(&np.area);
    let filter = GtfsFilter { area: Some(np.area), ..GtfsFilter::default() };
    let (read_cut, report) = load_gtfs_filtered(&gtfs, &filter).unwrap();
    // Cutting while reading keeps exactly what cutting afterwards keeps.
    assert_eq!((read_cut.stops.clone(), read_cut.routes.clone(), read_cut.trips.clone()), (cut.stops.clone(), cut.routes.clone(), cut.trips.clone()));
    assert_eq!((&read_cut.stop_times, &read_cut.services, &read_cut.parts), (&cut.stop_times, &cut.services, &cut.parts));
    assert_eq!((report.counts.trips, report.counts.stop_times), (clip.trips.1, clip.stop_times.1));
    assert!(clip.trips.1 < clip.trips.0 * 3 / 4, "{clip}");
    let window = DepartureWindow::MORNING_PEAK;
    let zones: Vec<LonLat> = np.zones.iter().step_by(3).copied().collect();
    let matrix = |f: &Feed| {
        let tt = Timetable::build(f, date(), Some(&np.walk), &FootpathOptions::default()).unwrap();
        bus_matrix(&tt, &np.walk, &zones, &np.sites, &window, &BusOptions::default(), &Progress::new()).unwrap()
    };
    let (a, b) = (matrix(&whole), matrix(&read_cut));
    assert_same_matrix(&a, &b, "whole feed vs feed cut to the zones + 2 km");
}

#[test]
fn a_feed_read_for_one_date_gives_that_dates_timetable() {
    for (rel, day) in [(BUS_2024, "2024-03-05"), ("chester/chester-20230816-small_gtfs.zip", "2023-08-14")] {
        let Some(gtfs) = shared_file(rel) else { return };
        let date: ServiceDate = day.parse().unwrap();
        let (whole, _) = load_gtfs(&gtfs).unwrap();
        let filter = GtfsFilter { dates: vec![date], ..GtfsFilter::default() };
        let (one_day, report) = load_gtfs_filtered(&gtfs, &filter).unwrap();
        let note = format!("read for {day} only: {} trips running on other days not loaded", whole.trips.len() - one_day.trips.len());
        assert!(report.notes.contains(&note), "{report}");
        let opts = FootpathOptions::default();
        let (a, b) = (Timetable::build(&whole, date, None, &opts).unwrap(), Timetable::build(&one_day, date, None, &opts).unwrap());
        assert_eq!((a.trip_count(), a.patterns.len()), (b.trip_count(), b.patterns.len()), "{rel}");
        assert_eq!(
            (&a.pattern_stops, &a.arrival_s, &a.departure_s, &a.stop_patterns),
            (&b.pattern_stops, &b.arrival_s, &b.departure_s, &b.stop_patterns),
            "{rel}"
        );
        let ids = |t: &Timetable| t.trips.iter().map(|r| t.trip_id(*r)).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b), "{rel}");
    }
}
