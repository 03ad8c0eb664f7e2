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
//! - Streaming GTFS (issue 13): Newport 2024 bus end to end (load +
//!   timetable + window matrix) beside the same matrix searching every
//!   departure in full and gtfs-structures' whole-file reader; each load's
//!   time and peak memory measured in a process of its own; the synthetic
//!   county's feed (52,516 trips, 6.1 million stop times at the default
//!   million junctions, `COUNTY_NODES` to change) loaded and its window
//!   matrix (`COUNTY_BUS_ZONES` x `COUNTY_BUS_SITES`, default 200 x 30);
//!   with `GTFS_1GB=1`, a feed whose stop_times.txt is 1 GB (folder and zip)
//!   written to the temporary folder, loaded, and deleted. `STREAMING_ONLY=1`
//!   runs only these sections, `NO_COUNTY=1` leaves out the county.

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
#[path = "common/memory.rs"]
mod memory;
use memory::peak_mb;

fn ms(s: f64) -> String {
    format!("{:9.3} ms", s * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--load-child") {
        load_child(&args[i + 1..]);
        return;
    }
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    println!("accessplan transit benchmarks ({} threads)", rayon::current_num_threads());
    let only_streaming = std::env::var_os("STREAMING_ONLY").is_some();
    if only_streaming {
        println!("STREAMING_ONLY set: the sections before issue 13 are skipped");
    } else if data.join("newport/newport-20230613_gtfs.zip").exists() {
        newport(&data);
        if data.join("newport/gtfs-more/newport-20240305-rail_gtfs.zip").exists() {
            newport_bus_and_rail(&data);
        }
        chester(&data);
    } else {
        println!("../shared/data not found: Newport and Chester benchmarks skipped");
    }
    if !only_streaming {
        demo();
    }
    if data.join("newport/gtfs-more/newport-20240305-bus_gtfs.zip").exists() {
        streaming_newport(&data);
    }
    if std::env::var_os("NO_COUNTY").is_none() {
        streaming_county();
    }
    if std::env::var_os("GTFS_1GB").is_some() {
        one_gigabyte();
    }
}

/// CPU seconds this process has used so far, all threads (Linux; user +
/// system): a figure less disturbed than wall time when other work shares
/// the cores.
fn cpu_s() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let rest = s.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<f64> = rest.split_whitespace().skip(11).take(2).filter_map(|v| v.parse().ok()).collect();
    f.iter().sum::<f64>() / 100.0
}

/// [`time`] and the CPU seconds per run.
fn time_cpu<T>(runs: usize, f: impl FnMut() -> T) -> (f64, f64, T) {
    let c = cpu_s();
    let (wall, out) = time(runs, f);
    (wall, (cpu_s() - c) / runs as f64, out)
}

/// In a process of its own: loads one feed one way and prints
/// `LOADED <seconds> <peak MB> <trips> <stop times>` (or `REFUSED <seconds> <peak MB> <message>`).
fn load_child(args: &[String]) {
    let (how, path) = (args[0].as_str(), Path::new(&args[1]));
    let t = std::time::Instant::now();
    let result = match how {
        "whole-file" => {
            let raw = gtfs_structures::GtfsReader::default().read_shapes(false).raw().read_from_path(path).expect("gtfs-structures reads the feed");
            let st = raw.stop_times.map(|v| v.len()).unwrap_or(0);
            let trips = raw.trips.map(|v| v.len()).unwrap_or(0);
            Ok((trips, st))
        }
        "streaming" => load_gtfs(path).map(|(f, _)| (f.trips.len(), f.stop_times.len())),
        _ => {
            let date: ServiceDate = how.trim_start_matches("date=").parse().expect("a date");
            load_gtfs_filtered(path, &GtfsFilter { dates: vec![date], ..GtfsFilter::default() }).map(|(f, _)| (f.trips.len(), f.stop_times.len()))
        }
    };
    let secs = t.elapsed().as_secs_f64();
    match result {
        Ok((trips, st)) => println!("LOADED {secs} {} {trips} {st}", peak_mb().unwrap_or(f64::NAN)),
        Err(e) => println!("REFUSED {secs} {} {e}", peak_mb().unwrap_or(f64::NAN)),
    }
}

/// Runs [`load_child`] in a new process: (seconds, peak MB, what it said).
fn load_in_child(how: &str, path: &Path) -> (f64, f64, String) {
    let out = std::process::Command::new(std::env::current_exe().expect("this benchmark"))
        .args(["--load-child", how, &path.to_string_lossy()])
        .output()
        .expect("the benchmark runs itself");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text.lines().find(|l| l.starts_with("LOADED") || l.starts_with("REFUSED")).unwrap_or("FAILED 0 0").to_string();
    let mut w = line.splitn(4, ' ');
    let kind = w.next().unwrap_or("").to_string();
    let secs = w.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    let mb = w.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    (secs, mb, format!("{kind} {}", w.next().unwrap_or(&String::from_utf8_lossy(&out.stderr)).trim()))
}

fn print_child(name: &str, how: &str, path: &Path) {
    let (secs, mb, what) = load_in_child(how, path);
    let what: String = what.chars().take(160).collect();
    println!("  {name:<44} {}   peak RSS {mb:6.0} MB   {what}", ms(secs));
}

/// Newport's walk network, its 475 output areas and the OSM health sites,
/// with the zones' extent + 2 km (the area a study with clip_margin_km = 2
/// cuts the feeds to): what both Newport 2024 sections route on.
struct NewportStudy {
    walk: Network,
    origins: Vec<LonLat>,
    dests: Vec<LonLat>,
    area: accessplan::geom::Extent,
}

fn newport_study(data: &Path) -> NewportStudy {
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
    let area = accessplan::region::clip::clip_area(&zones, Some(2.0), Path::new("oa.geojson")).expect("area").0.expect("an area");
    NewportStudy { walk, origins, dests, area }
}

/// Newport 2024 bus, 475 OAs x the OSM health sites, 07:00-09:00 every
/// minute, end to end: load + timetable + matrix, now and with the matrix
/// searching every departure (the matrix before), and each load alone in a
/// process of its own for its peak memory.
fn streaming_newport(data: &Path) {
    println!("\n## Streaming GTFS (issue 13): Newport 2024 bus feed end to end");
    let bus = data.join("newport/gtfs-more/newport-20240305-bus_gtfs.zip");
    let NewportStudy { walk, origins, dests, area } = newport_study(data);
    let date: ServiceDate = "2024-03-05".parse().expect("date");
    let window = DepartureWindow::MORNING_PEAK;
    let progress = accessplan::progress::Progress::new();
    let (raw_s, raw_cpu, _) = time_cpu(3, || gtfs_structures::GtfsReader::default().read_shapes(false).raw().read_from_path(&bus).expect("raw read"));
    println!("gtfs-structures whole-file read of the zip (the reading before)  {}   cpu {raw_cpu:.2} s", ms(raw_s));
    let mut medians = Vec::new();
    for (name, filter) in [
        ("whole feed", GtfsFilter::default()),
        ("read for the date and the zones + 2 km", GtfsFilter { dates: vec![date], area: Some(area), ..GtfsFilter::default() }),
    ] {
        let (load_s, load_cpu, (feed, _)) = time_cpu(3, || load_gtfs_filtered(&bus, &filter).expect("feed"));
        let (tt_s, tt_cpu, tt) = time_cpu(3, || Timetable::build(&feed, date, Some(&walk), &FootpathOptions::default()).expect("timetable"));
        let router = BusRouter::new(&tt, &walk, BusOptions::default());
        let (m_s, m_cpu, m) = time_cpu(3, || router.matrix(&origins, &dests, &window, &progress).expect("matrix"));
        let (every_s, every_cpu, every) = time_cpu(3, || router.matrix_every_departure(&origins, &dests, &window, &progress).expect("matrix"));
        let same = every == m;
        println!("{name}: {} trips, {} stop times (wall time, then CPU seconds of all threads)", feed.trips.len(), feed.stop_times.len());
        println!("  load (streaming)                              {}   cpu {load_cpu:.2} s", ms(load_s));
        println!("  timetable + footpaths (walk network)          {}   cpu {tt_cpu:.2} s", ms(tt_s));
        println!("  matrix {} OAs x {} sites, {window}         {}   cpu {m_cpu:.2} s   ({})", origins.len(), dests.len(), ms(m_s), summarise(&m));
        println!(
            "  baseline: every departure in full, no limit   {}   cpu {every_cpu:.2} s   ({:.2}x wall, {:.2}x cpu; identical: {same})",
            ms(every_s),
            every_s / m_s,
            every_cpu / m_cpu
        );
        println!(
            "  end to end (load + timetable + matrix)        {}   cpu {:.2} s   (before: {}, cpu {:.2} s, with the whole-file read and the baseline matrix)",
            ms(load_s + tt_s + m_s),
            load_cpu + tt_cpu + m_cpu,
            ms(raw_s + tt_s + every_s),
            raw_cpu + tt_cpu + every_cpu
        );
        medians.push(m.median_s);
    }
    println!("  medians identical, whole feed vs read for the date and area: {}", medians[0] == medians[1]);
    println!("each load alone in a process of its own (time, peak resident memory):");
    print_child("gtfs-structures whole-file read (before)", "whole-file", &bus);
    print_child("streaming load, every date", "streaming", &bus);
    print_child("streaming load, 2024-03-05 only", "date=2024-03-05", &bus);
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

/// The synthetic county's timetable: generated, loaded (in a process of its
/// own for memory, beside gtfs-structures' whole-file read) and its window
/// matrix for some zones and sites, beside every departure searched in full.
fn streaming_county() {
    use accessplan::demo::county::{self, CountyOptions};
    let nodes = env_usize("COUNTY_NODES", 1_000_000);
    let (n_zones, n_sites) = (env_usize("COUNTY_BUS_ZONES", 200), env_usize("COUNTY_BUS_SITES", 30));
    println!("\n## Streaming GTFS (issue 13): the synthetic county's buses ({nodes} junctions)");
    let dir = std::env::temp_dir().join(format!("accessplan-county-bus-bench-{}", std::process::id()));
    let opts = CountyOptions::scaled(nodes);
    let opts = CountyOptions { zones: opts.zones.max(n_zones), sites: opts.sites.max(n_sites), ..opts };
    let t = std::time::Instant::now();
    county::generate(&dir, &opts).expect("county written");
    let map_s = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let g = county::generate_gtfs(&dir, &opts).expect("county feed written");
    let gtfs = county::feed_in(&dir).expect("the feed");
    let size = std::fs::metadata(gtfs.join("stop_times.txt")).map(|m| m.len()).unwrap_or(0);
    println!(
        "generate: map {:.1} s; feed {:.1} s: {} stops, {} routes, {} trips, {} stop times (stop_times.txt {:.0} MB)",
        map_s,
        t.elapsed().as_secs_f64(),
        g.stops,
        g.routes,
        g.trips,
        g.stop_times,
        size as f64 / 1e6
    );
    print_child("gtfs-structures whole-file read (before)", "whole-file", &gtfs);
    print_child("streaming load, every date", "streaming", &gtfs);
    print_child("streaming load, one date", &format!("date={}", county::BUS_DATE), &gtfs);
    let (load_s, (feed, _)) = time(1, || load_gtfs(&gtfs).expect("county feed"));
    let date: ServiceDate = county::BUS_DATE.parse().expect("date");
    let t = std::time::Instant::now();
    let osm = OsmData::load(&dir.join(county::OSM_FILE)).expect("county map");
    let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
    drop(osm);
    let walk_s = t.elapsed().as_secs_f64();
    let (tt_s, tt) = time(1, || Timetable::build(&feed, date, None, &FootpathOptions::default()).expect("timetable"));
    let zones = load_zones(
        &dir.join(county::ZONES_FILE),
        &ZoneOptions { id_field: "zone_id".into(), population_field: Some("population".into()), crs: CrsChoice::Auto, locality_field: None },
    )
    .expect("zones")
    .0;
    let sites = load_sites(&dir.join(county::SITES_FILE), CrsChoice::Auto).expect("sites").0;
    let origins: Vec<LonLat> = zones.iter().take(n_zones).map(|z| z.point).collect();
    let dests: Vec<LonLat> = sites.iter().take(n_sites).map(|s| s.point).collect();
    let window = DepartureWindow::MORNING_PEAK;
    let progress = accessplan::progress::Progress::new();
    let router = BusRouter::new(&tt, &walk, BusOptions::default());
    let (m_s, m_cpu, m) = time_cpu(1, || router.matrix(&origins, &dests, &window, &progress).expect("matrix"));
    let (every_s, every_cpu, every) = time_cpu(1, || router.matrix_every_departure(&origins, &dests, &window, &progress).expect("matrix"));
    println!("load (streaming, in this process)               {}", ms(load_s));
    println!("walk network of the county (for access/egress)  {}   ({} nodes)", ms(walk_s), walk.node_count());
    println!("timetable, straight-line footpaths              {}   {tt}", ms(tt_s));
    println!("matrix {} zones x {} sites, {window}          {}   cpu {m_cpu:.1} s   ({})", origins.len(), dests.len(), ms(m_s), summarise(&m));
    println!(
        "  baseline: every departure in full, no limit   {}   cpu {every_cpu:.1} s   ({:.2}x wall, {:.2}x cpu; identical: {})",
        ms(every_s),
        every_s / m_s,
        every_cpu / m_cpu,
        every == m
    );
    println!("  load + timetable + matrix                     {}   peak RSS of this process {:.0} MB", ms(load_s + tt_s + m_s), peak_mb().unwrap_or(f64::NAN));
    std::fs::remove_dir_all(&dir).ok();
}

/// A feed whose stop_times.txt is 1 GB, as a folder and as a zip, written
/// to the temporary folder, loaded in processes of their own, then deleted:
/// 500,000 trips of 50 stop times over the tiny feed's five stops, each
/// trip on one day of the week.
fn one_gigabyte() {
    use std::io::Write;
    println!("\n## Streaming GTFS (issue 13): a stop_times.txt of 1 GB");
    let dir = std::env::temp_dir().join(format!("accessplan-gtfs-1gb-{}", std::process::id()));
    let folder = dir.join("feed");
    std::fs::create_dir_all(&folder).expect("temp folder");
    let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let mut files: Vec<(&str, String)> = vec![
        ("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nAG,Big,https://example.org,Europe/London\n".into()),
        (
            "stops.txt",
            "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,51.5,0.0\nB,Bravo,51.5,0.05\nC,Charlie,51.5,0.1\nD,Delta,51.5,0.15\nE,Echo,51.5009,0.1\n".into(),
        ),
        ("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,AG,1,One,3\n".into()),
    ];
    let mut cal = String::from("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n");
    for (d, _) in days.iter().enumerate() {
        let flags: Vec<&str> = (0..7).map(|k| if k == d { "1" } else { "0" }).collect();
        cal.push_str(&format!("D{d},{},20260101,20261231\n", flags.join(",")));
    }
    files.push(("calendar.txt", cal));
    let n_trips = 500_000usize;
    let mut trips = String::from("route_id,service_id,trip_id,trip_headsign\n");
    for t in 0..n_trips {
        trips.push_str(&format!("R1,D{},TRIP{t:07},Delta\n", t % 7));
    }
    files.push(("trips.txt", trips));
    for (name, text) in &files {
        std::fs::write(folder.join(name), text).expect("write");
    }
    let t = std::time::Instant::now();
    let st_path = folder.join("stop_times.txt");
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&st_path).expect("create"));
        writeln!(w, "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type,shape_dist_traveled").expect("write");
        let stops = ["A", "B", "C", "D", "E"];
        for t in 0..n_trips {
            let start = 5 * 3600 + (t % 1000) as u32 * 60;
            for k in 0..50u32 {
                let s = start + k * 90;
                let hms = format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
                writeln!(w, "TRIP{t:07},{hms},{hms},{},{},0,0,{}.5", stops[k as usize % 5], k + 1, k * 700).expect("write");
            }
        }
        w.flush().expect("flush");
    }
    let size = std::fs::metadata(&st_path).map(|m| m.len()).unwrap_or(0);
    println!("written: stop_times.txt {:.2} GB, {} stop times, in {:.1} s", size as f64 / 1e9, n_trips * 50, t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let zip_path = dir.join("feed.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("create zip"));
        let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(1)).large_file(true);
        for name in ["agency.txt", "stops.txt", "routes.txt", "calendar.txt", "trips.txt", "stop_times.txt"] {
            z.start_file(name, o).expect("zip entry");
            let mut f = std::fs::File::open(folder.join(name)).expect("open");
            std::io::copy(&mut f, &mut z).expect("compress");
        }
        z.finish().expect("zip written");
    }
    println!("zipped to {:.0} MB in {:.1} s", std::fs::metadata(&zip_path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6, t.elapsed().as_secs_f64());
    for (what, path) in [("folder", &folder), ("zip", &zip_path)] {
        print_child(&format!("{what}: every date (over the limit)"), "streaming", path);
        print_child(&format!("{what}: Tuesday 2026-03-03 only"), "date=2026-03-03", path);
    }
    std::fs::remove_dir_all(&dir).ok();
    println!("deleted {}", dir.display());
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
    let NewportStudy { walk, origins, dests, area } = newport_study(data);
    let date: ServiceDate = "2024-03-05".parse().expect("date");
    let window = DepartureWindow::MORNING_PEAK;
    let bus = data.join("newport/gtfs-more/newport-20240305-bus_gtfs.zip");
    let rail = data.join("newport/gtfs-more/newport-20240305-rail_gtfs.zip");
    let mut medians: Vec<Vec<f32>> = Vec::new();
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
