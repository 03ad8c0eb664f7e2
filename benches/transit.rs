//! Bus (GTFS) benchmarks with printed figures, each beside a baseline
//! measured in the same run. Run with `cargo bench --bench transit`.
//!
//! - Loading the Newport and Chester feeds, and building Tuesday's
//!   timetable with footpaths over the Newport walk network.
//! - One RAPTOR run (one origin, one departure, all stops) on Newport,
//!   beside one Dijkstra search over the whole walk network.
//! - The Newport bus matrix: every output area to every OSM health site,
//!   07:00-09:00 at 1-minute steps, median and percentiles, by range
//!   RAPTOR, beside the same by one fresh RAPTOR run per minute (no range
//!   reuse); the two must agree.
//! - Newport 2024, two feeds: the bus feed (BODS, 5,426 trips) alone and
//!   merged with the rail feed of the same day (939 trips), then both cut to
//!   the zones' extent + 2 km: loading, timetable with footpaths, and the
//!   475 x 21 matrix over 07:00-09:00, bus alone being the baseline of bus +
//!   rail in the same run.
//! - The demo region: every zone to every candidate site, the same window.

use std::path::{Path, PathBuf};

use accessplan::LonLat;
use accessplan::input::crs::CrsChoice;
use accessplan::input::osm::{OsmData, TagFilter, sites_from_osm};
use accessplan::input::sites::load_sites;
use accessplan::input::zones::{ZoneOptions, load_zones};
use accessplan::network::dijkstra::{Search, UNREACHED};
use accessplan::network::{Network, Profile, StreetMode};
use accessplan::transit::raptor::UNREACHED as NOT_REACHED;
use accessplan::transit::*;
use rayon::prelude::*;

mod common;
use common::time;

fn ms(s: f64) -> String {
    format!("{:9.3} ms", s * 1000.0)
}

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    println!("accessplan transit benchmarks ({} threads)", rayon::current_num_threads());
    if data.join("newport/newport-20230613_gtfs.zip").exists() {
        newport(&data);
        if data.join("newport/gtfs-more/newport-20240305-rail_gtfs.zip").exists() {
            newport_bus_and_rail(&data);
        }
        chester(&data);
    } else {
        println!("../shared/data not found: Newport and Chester benchmarks skipped");
    }
    demo();
}

/// The matrix by one fresh RAPTOR run per departure minute (no range reuse):
/// the baseline the range search is compared with. Returns medians.
fn naive_medians(router: &BusRouter<'_>, origins: &[LonLat], sites: &[LonLat], window: &DepartureWindow) -> Vec<f32> {
    let deps = window.departures();
    let opts = router.options;
    let mut search = router.search();
    let egress: Vec<Vec<StopWalk>> = sites.iter().map(|p| router.snap(*p).map(|s| router.egress(&mut search, *p, &s)).unwrap_or_default()).collect();
    let walk = accessplan::network::street_matrix(
        router.network(),
        accessplan::network::Period::Offpeak,
        origins,
        sites,
        opts.max_snap_m,
        &accessplan::progress::Progress::new(),
    )
    .unwrap();
    origins
        .par_iter()
        .enumerate()
        .map_init(
            || (Raptor::new(router.timetable, opts.raptor()), router.search()),
            |(raptor, search), (o, p)| {
                let access = router.snap(*p).map(|s| router.access(search, *p, &s)).unwrap_or_default();
                let mut times = vec![vec![f32::INFINITY; deps.len()]; sites.len()];
                for (mi, &dep) in deps.iter().enumerate() {
                    raptor.run(&access, dep);
                    for (d, eg) in egress.iter().enumerate() {
                        let w = walk.time_s[o * sites.len() + d].ceil();
                        let bus = eg
                            .iter()
                            .filter_map(|e| Some(raptor.ride_arrival(e.stop as usize)).filter(|&a| a != NOT_REACHED).map(|a| (a + e.walk_s - dep) as f32))
                            .fold(f32::INFINITY, f32::min);
                        let t = w.min(bus);
                        times[d][mi] = if t <= opts.max_travel_s as f32 { t } else { f32::INFINITY };
                    }
                }
                times
                    .into_iter()
                    .map(|mut v| {
                        v.sort_by(|a, b| a.total_cmp(b));
                        accessplan::transit::matrix::percentile(&v, 50)
                    })
                    .collect::<Vec<f32>>()
            },
        )
        .flatten()
        .collect()
}

fn summarise(m: &BusMatrix) -> String {
    let pairs = m.origins * m.destinations;
    let with = m.median_s.iter().filter(|t| t.is_finite()).count();
    let mut med: Vec<f32> = m.median_s.iter().copied().filter(|t| t.is_finite()).collect();
    med.sort_by(|a, b| a.total_cmp(b));
    let mid = med.get(med.len() / 2).map_or("-".into(), |t| format!("{:.0} min", t / 60.0));
    format!("{with} of {pairs} pairs have a median time; median of medians {mid}")
}

fn newport(data: &Path) {
    println!("\n## Newport (real feed: 2686 stops, 176 trips; OSM walk network)");
    let gtfs = data.join("newport/newport-20230613_gtfs.zip");
    let (load_s, (feed, report)) = time(5, || load_gtfs(&gtfs).expect("Newport feed"));
    println!("load and check the GTFS zip                   {}   {}", ms(load_s), report.to_string().lines().next().unwrap_or(""));
    let osm = OsmData::load(&data.join("newport/newport-2023-06-13.osm.pbf")).expect("Newport PBF");
    let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
    let date: ServiceDate = "2023-06-13".parse().expect("date");
    let (tt_s, tt) = time(5, || Timetable::build(&feed, date, Some(&walk), &FootpathOptions::default()).expect("timetable"));
    println!("timetable + footpaths (walk network)          {}   {tt}", ms(tt_s));
    let (tt0_s, _) = time(5, || Timetable::build(&feed, date, None, &FootpathOptions::default()).expect("timetable"));
    println!("  baseline: timetable, straight-line footpaths {}", ms(tt0_s));

    let zones = load_zones(
        &data.join("newport/boundaries/oa.geojson"),
        &ZoneOptions { id_field: "OA11CD".into(), population_field: None, crs: CrsChoice::Auto, locality_field: None },
    )
    .expect("zones")
    .0;
    let (sites, _) = sites_from_osm(&osm, &"amenity=hospital,clinic,doctors".parse::<TagFilter>().expect("filter"));
    let origins: Vec<LonLat> = zones.iter().map(|z| z.point).collect();
    let dests: Vec<LonLat> = sites.iter().map(|s| s.point).collect();
    let opts = BusOptions::default();
    let router = BusRouter::new(&tt, &walk, opts);

    // One RAPTOR run: from the output area with the most stops in reach, at 08:00.
    let mut search = router.search();
    let access = origins.iter().filter_map(|p| router.snap(*p).ok().map(|s| router.access(&mut search, *p, &s))).max_by_key(|a| a.len()).unwrap_or_default();
    let mut raptor = Raptor::new(&tt, opts.raptor());
    let (one_s, reached) = time(201, || {
        raptor.run(&access, 8 * 3600);
        (0..tt.stop_count()).filter(|&s| raptor.arrival(s) != NOT_REACHED).count()
    });
    println!(
        "one RAPTOR run, {} access stops, 08:00, all stops {}   (target <= 1 ms; {reached} stops reached; {} patterns scanned)",
        access.len(),
        ms(one_s),
        raptor.work.0
    );
    let mut s = Search::new(walk.state_count());
    let (dij_s, _) = time(51, || s.run(&walk.forward, 0, &[(0, 0, 0.0)], UNREACHED - 1));
    println!("  baseline: one Dijkstra over the walk network  {}   ({} nodes)", ms(dij_s), walk.node_count());

    let window = DepartureWindow::MORNING_PEAK;
    let (range_s, m) = time(3, || router.matrix(&origins, &dests, &window, &accessplan::progress::Progress::new()).unwrap());
    println!(
        "bus matrix {} OAs x {} sites, {window}, 120 departures, range RAPTOR {}   (target <= 2000 ms on 2 cores)",
        origins.len(),
        dests.len(),
        ms(range_s)
    );
    println!("  {}", summarise(&m));
    let (full_s, _) = time(1, || bus_matrix(&tt, &walk, &origins, &dests, &window, &opts, &accessplan::progress::Progress::new()).unwrap());
    println!("  same, with stop placement and walk matrix    {}", ms(full_s));
    let (naive_s, naive) = time(1, || naive_medians(&router, &origins, &dests, &window));
    let same = naive.iter().zip(&m.median_s).all(|(a, b)| a == b || (a.is_infinite() && b.is_infinite()));
    println!("  baseline: one RAPTOR run per minute          {}   ({:.1}x slower; medians identical: {same})", ms(naive_s), naive_s / range_s);
}

/// Newport's 2024 bus feed alone, then with the rail feed of the same day:
/// load and merge, timetable with footpaths over the walk network, and the
/// bus matrix (range RAPTOR, stop placement and walk matrix included).
fn newport_bus_and_rail(data: &Path) {
    println!("\n## Newport 2024-03-05: bus feed alone, and bus + rail (two feeds merged)");
    let osm = OsmData::load(&data.join("newport/newport-2023-06-13.osm.pbf")).expect("Newport PBF");
    let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
    let zones = load_zones(
        &data.join("newport/boundaries/oa.geojson"),
        &ZoneOptions { id_field: "OA11CD".into(), population_field: None, crs: CrsChoice::Auto, locality_field: None },
    )
    .expect("zones")
    .0;
    let (sites, _) = sites_from_osm(&osm, &"amenity=hospital,clinic,doctors".parse::<TagFilter>().expect("filter"));
    let origins: Vec<LonLat> = zones.iter().map(|z| z.point).collect();
    let dests: Vec<LonLat> = sites.iter().map(|s| s.point).collect();
    let date: ServiceDate = "2024-03-05".parse().expect("date");
    let window = DepartureWindow::MORNING_PEAK;
    let bus = data.join("newport/gtfs-more/newport-20240305-bus_gtfs.zip");
    let rail = data.join("newport/gtfs-more/newport-20240305-rail_gtfs.zip");
    let mut medians: Vec<Vec<f32>> = Vec::new();
    // The zones' extent + 2 km, as a study with clip_margin_km = 2 cuts the feeds to.
    let area = accessplan::region::clip::clip_area(&zones, Some(2.0), Path::new("oa.geojson")).expect("area").0.expect("an area");
    let runs = [("bus alone", vec![bus.clone()], None), ("bus + rail", vec![bus.clone(), rail.clone()], None), ("clipped 2km", vec![bus, rail], Some(area))];
    for (name, feeds, clip) in runs {
        let (load_s, feed) = time(3, || {
            let loaded = feeds.iter().map(|f| load_gtfs(f).expect("feed").0);
            merge_feeds(loaded.map(|f| if let Some(a) = &clip { f.clip(a).0 } else { f }).collect())
        });
        let (tt_s, tt) = time(3, || Timetable::build(&feed, date, Some(&walk), &FootpathOptions::default()).expect("timetable"));
        let (m_s, m) = time(3, || bus_matrix(&tt, &walk, &origins, &dests, &window, &BusOptions::default(), &accessplan::progress::Progress::new()).unwrap());
        println!("{name:<11} load + check (+ clip) + merge       {}   {} trips, {} stops", ms(load_s), feed.trips.len(), feed.stops.len());
        println!("{name:<11} timetable + footpaths (walk)        {}   {tt}", ms(tt_s));
        println!("{name:<11} matrix {} OAs x {} sites, {window}  {}", origins.len(), dests.len(), ms(m_s));
        println!("  {}", summarise(&m));
        medians.push(m.median_s);
    }
    let faster = medians[0].iter().zip(&medians[1]).filter(|(a, b)| b < a).count();
    let slower = medians[0].iter().zip(&medians[1]).filter(|(a, b)| b > a).count();
    println!("  with rail: {faster} pairs faster, {slower} slower");
    let same = medians[1].iter().zip(&medians[2]).all(|(a, b)| a == b || (a.is_infinite() && b.is_infinite()));
    println!("  clipped to the zones' extent + 2 km: medians identical to the whole feeds: {same}");
}

fn chester(data: &Path) {
    println!("\n## Chester (real feed, no OSM)");
    let gtfs = data.join("chester/chester-20230816-small_gtfs.zip");
    let (load_s, (feed, report)) = time(5, || load_gtfs(&gtfs).expect("Chester feed"));
    println!("load and check the GTFS zip                   {}   {}", ms(load_s), report.to_string().lines().next().unwrap_or(""));
    let date: ServiceDate = "2023-08-16".parse().expect("date");
    let (tt_s, tt) = time(5, || Timetable::build(&feed, date, None, &FootpathOptions::default()).expect("timetable"));
    println!("timetable + straight-line footpaths            {}   {tt}", ms(tt_s));
    let mut raptor = Raptor::new(&tt, RaptorOptions::default());
    let served: Vec<u32> = (0..tt.stop_count() as u32).filter(|&s| tt.is_served(s as usize)).collect();
    let mut k = 0;
    let (one_s, _) = time(201, || {
        k = (k + 37) % served.len();
        raptor.run(&[StopWalk { stop: served[k], walk_s: 0, length_m: 0.0 }], 8 * 3600);
    });
    println!("one RAPTOR run from a stop, 08:00, all stops   {}", ms(one_s));
}

fn demo() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let gtfs = root.join("datasets/demo/gtfs");
    let osm_path = root.join("maps/demo/region.osm");
    if !gtfs.join("stop_times.txt").exists() || !osm_path.exists() {
        println!("\n## Demo region: not generated yet, skipped");
        return;
    }
    println!("\n## Demo region (synthetic)");
    let (feed, report) = load_gtfs(&gtfs).expect("demo feed");
    println!("{}", report.to_string().lines().next().unwrap_or(""));
    let osm = OsmData::load(&osm_path).expect("demo OSM");
    let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
    let Some((first, last)) = feed.date_range() else { return };
    let Some(date) = (0..=first.days_until(last)).map(|k| first.plus_days(k)).find(|d| d.weekday() == 1 && !feed.services_on(*d).is_empty()) else { return };
    let (tt_s, tt) = time(3, || Timetable::build(&feed, date, Some(&walk), &FootpathOptions::default()).expect("timetable"));
    println!("timetable + footpaths (walk network)          {}   {tt}", ms(tt_s));
    let zones = load_zones(
        &root.join("maps/demo/zones.geojson"),
        &ZoneOptions { id_field: "zone_id".into(), population_field: Some("population".into()), crs: CrsChoice::Auto, locality_field: Some("locality".into()) },
    )
    .expect("demo zones")
    .0;
    let sites = load_sites(&root.join("datasets/demo/sites.csv"), CrsChoice::Auto).expect("demo sites").0;
    let origins: Vec<LonLat> = zones.iter().map(|z| z.point).collect();
    let dests: Vec<LonLat> = sites.iter().map(|s| s.point).collect();
    let opts = BusOptions::default();
    let window = DepartureWindow::MORNING_PEAK;
    let (m_s, m) = time(1, || bus_matrix(&tt, &walk, &origins, &dests, &window, &opts, &accessplan::progress::Progress::new()).unwrap());
    println!("bus matrix {} zones x {} sites, {window}     {}   (target <= 3000 ms on 2 cores)", origins.len(), dests.len(), ms(m_s));
    println!("  {}", summarise(&m));
    let router = BusRouter::new(&tt, &walk, opts);
    let (naive_s, naive) = time(1, || naive_medians(&router, &origins, &dests, &window));
    let same = naive.iter().zip(&m.median_s).all(|(a, b)| a == b || (a.is_infinite() && b.is_infinite()));
    println!("  baseline: one RAPTOR run per minute          {}   ({:.1}x slower; medians identical: {same})", ms(naive_s), naive_s / m_s);
}
