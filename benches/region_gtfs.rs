//! Region loading reads only the study's timetable (issue 13, item 4):
//! `Region::load` (each feed cut to the study area while reading, a feed
//! loaded alone read for the study's bus date) beside its twin
//! `Region::load_reading_feeds_whole` (every feed read whole, then cut: how
//! regions loaded before), each load in a process of its own (the bench
//! runs itself with `--load-child`): wall seconds, CPU seconds of all
//! threads, peak RSS (VmHWM). Run with `cargo bench --bench region_gtfs`.
//!
//! - Newport with the 2024 bus feed (5,426 trips, 204,361 stop times): 475
//!   output areas, the OSM health sites, the walk network, bus date
//!   2024-03-05, clip margins 2 km and 10 km (the default).
//! - The synthetic county's feed (`county::generate_gtfs`; `COUNTY_NODES`
//!   junctions, default 1,000,000: 52,516 trips, 6.1 million stop times): a
//!   study of the zones in the county's south-west sixteenth + 2 km, its
//!   bus date, without the street map (so what loads is the timetable).
//!   `NO_COUNTY=1` leaves it out, `COUNTY_ONLY=1` runs only it.
//!
//! Each way runs `RUNS` times (default 3, alternating); the fastest run is
//! printed with its CPU and memory.

use std::path::{Path, PathBuf};

use accessplan::region::{Region, RegionInputs, SitesInput};

#[path = "common/memory.rs"]
mod memory;
use memory::peak_mb;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

/// CPU seconds this process has used so far, all threads (Linux: user + system).
fn cpu_s() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<f64> = rest.split_whitespace().skip(11).take(2).filter_map(|v| v.parse().ok()).collect();
    f.iter().sum::<f64>() / 100.0
}

const BUS_2024: &str = "newport/gtfs-more/newport-20240305-bus_gtfs.zip";

/// The inputs of a case: `newport-<margin km>`, or `county` over the
/// generated county in `dir` (its zones subset written by [`county_study`]).
fn case_inputs(case: &str, dir: &Path) -> RegionInputs {
    if let Some(km) = case.strip_prefix("newport-") {
        let mut i = accessplan::testdata::newport_inputs().expect("../shared/data");
        i.modes = vec![accessplan::network::StreetMode::Walk];
        i.gtfs = vec![accessplan::testdata::shared_file(BUS_2024).expect("the 2024 bus feed")];
        i.bus_date = "2024-03-05".parse().ok();
        i.clip_margin_km = km.parse().ok();
        return i;
    }
    use accessplan::demo::county;
    let mut i = county::region_inputs(dir);
    i.osm = None;
    i.modes = Vec::new();
    i.zones = dir.join("zones-sw.csv");
    i.sites = vec![SitesInput::File(dir.join(county::SITES_FILE))];
    i.clip_margin_km = Some(2.0);
    i
}

/// In a process of its own: loads one case one way and prints
/// `LOADED <wall s> <cpu s> <peak MB> <trips kept> <stop times kept>` and the clip note.
fn load_child(args: &[String]) {
    let (case, how, dir) = (args[0].as_str(), args[1].as_str(), PathBuf::from(&args[2]));
    let inputs = case_inputs(case, &dir);
    let (t, c) = (std::time::Instant::now(), cpu_s());
    let region = if how == "whole" { Region::load_reading_feeds_whole(&inputs) } else { Region::load(&inputs) }.expect("the region loads");
    let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_s() - c);
    let (feed, _) = region.gtfs.as_ref().expect("a timetable");
    println!("LOADED {wall} {cpu} {} {} {}", peak_mb().unwrap_or(f64::NAN), feed.trips.len(), feed.stop_times.len());
    for n in region.notes.iter().filter(|n| n.starts_with("GTFS ") && n.contains("clipped")) {
        println!("NOTE {n}");
    }
}

/// What one child run said: wall s, cpu s, peak MB, trips kept, stop times kept, the clip note.
type ChildRun = (f64, f64, f64, usize, usize, String);

/// One child run.
fn run_child(case: &str, how: &str, dir: &Path) -> ChildRun {
    let out = std::process::Command::new(std::env::current_exe().expect("this benchmark"))
        .args(["--load-child", case, how, &dir.to_string_lossy()])
        .output()
        .expect("the benchmark runs itself");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let Some(line) = text.lines().find(|l| l.starts_with("LOADED")) else {
        panic!("{case} {how} failed: {}", String::from_utf8_lossy(&out.stderr));
    };
    let w: Vec<&str> = line.split(' ').collect();
    let f = |i: usize| w.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    let note = text.lines().find_map(|l| l.strip_prefix("NOTE ")).unwrap_or("").to_string();
    (f(1), f(2), f(3), f(4) as usize, f(5) as usize, note)
}

/// Both ways of loading a case, `runs` times each, alternating; prints the fastest of each.
fn compare(case: &str, what: &str, dir: &Path, runs: usize) {
    println!("\n## {what}");
    let mut best: [Option<ChildRun>; 2] = [None, None];
    for _ in 0..runs {
        for (k, how) in ["whole", "filtered"].into_iter().enumerate() {
            let r = run_child(case, how, dir);
            if best[k].as_ref().is_none_or(|b| r.0 < b.0) {
                best[k] = Some(r);
            }
        }
    }
    let [Some(before), Some(after)] = best else { return };
    for (name, r) in [("before: feeds read whole, then cut (twin)", &before), ("after: cut (and dated) while reading", &after)] {
        println!("  {name:<44} wall {:7.3} s   cpu {:7.3} s   peak RSS {:6.0} MB   feed kept: {} trips, {} stop times", r.0, r.1, r.2, r.3, r.4);
    }
    println!("  {}", after.5);
    println!("  after / before: wall {:.2}x faster, cpu {:.2}x less, peak RSS {:.2}x less", before.0 / after.0, before.1 / after.1, before.2 / after.2);
}

/// Generates the county and its feed in `dir`, and writes `zones-sw.csv`:
/// the zones in the south-west sixteenth of the county's extent.
fn county_study(dir: &Path) -> usize {
    use accessplan::demo::county::{self, CountyOptions};
    let opts = CountyOptions::scaled(env_usize("COUNTY_NODES", 1_000_000));
    let t = std::time::Instant::now();
    county::generate(dir, &opts).expect("county written");
    let g = county::generate_gtfs(dir, &opts).expect("county feed written");
    println!(
        "\ncounty ({} junctions asked) and its feed generated in {:.1} s: {} stops, {} routes, {} trips, {} stop times",
        opts.car_nodes,
        t.elapsed().as_secs_f64(),
        g.stops,
        g.routes,
        g.trips,
        g.stop_times
    );
    let text = std::fs::read_to_string(dir.join(county::ZONES_FILE)).expect("zones");
    let rows: Vec<(&str, f64, f64)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((l, f.get(1)?.parse().ok()?, f.get(2)?.parse().ok()?))
        })
        .collect();
    let (lon0, lon1) = rows.iter().fold((f64::MAX, f64::MIN), |(a, b), r| (a.min(r.1), b.max(r.1)));
    let (lat0, lat1) = rows.iter().fold((f64::MAX, f64::MIN), |(a, b), r| (a.min(r.2), b.max(r.2)));
    let keep: Vec<&str> = rows.iter().filter(|r| r.1 <= lon0 + (lon1 - lon0) / 4.0 && r.2 <= lat0 + (lat1 - lat0) / 4.0).map(|r| r.0).collect();
    let header = text.lines().next().unwrap_or("zone_id,lon,lat,population");
    std::fs::write(dir.join("zones-sw.csv"), format!("{header}\n{}\n", keep.join("\n"))).expect("zones subset written");
    keep.len()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--load-child") {
        load_child(&args[i + 1..]);
        return;
    }
    let runs = env_usize("RUNS", 3);
    println!("Region loading reads only the study's timetable ({} threads, {runs} runs each way)", rayon::current_num_threads());
    let none = PathBuf::new();
    if std::env::var_os("COUNTY_ONLY").is_some() {
        println!("COUNTY_ONLY set: Newport skipped");
    } else if accessplan::testdata::shared_file(BUS_2024).is_some() {
        for km in [2, 10] {
            compare(&format!("newport-{km}"), &format!("Newport, 2024 bus feed, 475 OAs, walk network, clip margin {km} km"), &none, runs);
        }
    } else {
        println!("../shared/data not found: Newport skipped");
    }
    if std::env::var_os("NO_COUNTY").is_none() {
        let dir = std::env::temp_dir().join(format!("accessplan-region-gtfs-bench-{}", std::process::id()));
        let zones = county_study(&dir);
        compare("county", &format!("synthetic county's feed, a study of {zones} zones in its south-west sixteenth + 2 km, no street map"), &dir, runs);
        std::fs::remove_dir_all(&dir).ok();
    }
}
