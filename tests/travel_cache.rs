//! The street travel-time cache: a matrix read back from it equals the one
//! computed (times, lengths and snaps, to the bit), a new site costs one
//! search, a damaged file is named and recomputed, a changed network or
//! zone set never reads another's columns, and the folder stays under its
//! limit. On Newport's real streets and on the demo study.

use std::path::PathBuf;

use accessplan::LonLat;
use accessplan::network::{Network, Period, StreetMatrix, StreetMode, street_matrix};
use accessplan::progress::Progress;
use accessplan::region::{Region, RegionInputs};
use accessplan::study::Study;
use accessplan::travel::{ColumnCache, Mode, street_matrix_cached};

/// A fresh cache folder of this process for `tag`.
fn fresh_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accessplan-travel-cache-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The cache files in `dir`.
fn files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir).map(|r| r.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    out.sort();
    out
}

/// Every pair's time, length and why-none equal, and both sides' snaps.
fn assert_same(a: &StreetMatrix, b: &StreetMatrix, what: &str) {
    assert_eq!((a.origins, a.destinations), (b.origins, b.destinations), "{what}");
    assert_eq!(a.origin_snaps, b.origin_snaps, "{what}: origin snaps");
    assert_eq!(a.destination_snaps, b.destination_snaps, "{what}: destination snaps");
    for k in 0..a.time_s.len() {
        assert_eq!(a.time_s[k].to_bits(), b.time_s[k].to_bits(), "{what}: time {k}");
        assert_eq!(a.length_m[k].to_bits(), b.length_m[k].to_bits(), "{what}: length {k}");
    }
}

fn newport() -> Option<(Region, Vec<LonLat>, Vec<LonLat>)> {
    let inputs = accessplan::testdata::newport_inputs()?;
    let region = Region::load(&RegionInputs { modes: vec![StreetMode::Car], ..inputs }).expect("Newport loads");
    let zones = region.zones.iter().map(|z| z.point).collect();
    let sites = region.sites.iter().map(|s| s.point).collect();
    Some((region, zones, sites))
}

fn car(region: &Region) -> &Network {
    region.network(StreetMode::Car).expect("the car network is built")
}

#[test]
fn a_matrix_read_from_the_cache_equals_the_one_computed_and_a_new_site_costs_one_search() {
    let Some((region, zones, sites)) = newport() else { return };
    let net = car(&region);
    let dir = fresh_dir("newport");
    let cache = ColumnCache::at(&dir);
    let p = Progress::new();
    let fresh = street_matrix(net, Period::Offpeak, &zones, &sites, 1000.0, &p).unwrap();
    assert_eq!((fresh.origins, fresh.destinations), (475, 21));
    let snapped = fresh.destination_snaps.iter().filter(|s| s.is_ok()).count();
    assert_eq!(snapped, 21);

    // Cold: every site searched, one file written.
    let (cold, used) = street_matrix_cached(net, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    assert_same(&fresh, &cold, "cold");
    assert_eq!((used.read, used.computed), (0, 21));
    assert!(used.problems.is_empty(), "{:?}", used.problems);
    let written = files(&dir);
    assert_eq!(written.len(), 1);
    let name = written[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("car-offpeak-") && name.ends_with(".cols"), "{name}");
    // 8 bytes of format, 8 of counts, then 21 columns of a 16-byte key and
    // 475 times and lengths, then the 8-byte checksum.
    assert_eq!(std::fs::metadata(&written[0]).unwrap().len(), 16 + 21 * (16 + 8 * 475) + 8);

    // Warm: every column read, none searched, the same matrix.
    let (warm, used) = street_matrix_cached(net, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    assert_same(&fresh, &warm, "warm");
    assert_eq!((used.read, used.computed), (21, 0));

    // A new site (the centroid of the first two) is one search; the others are read.
    let new_site = LonLat::new((sites[0].lon + sites[1].lon) / 2.0, (sites[0].lat + sites[1].lat) / 2.0);
    let mut more = sites.clone();
    more.push(new_site);
    let (with_new, used) = street_matrix_cached(net, Period::Offpeak, &zones, &more, 1000.0, &p, Some(&cache)).unwrap();
    assert_eq!((used.read, used.computed), (21, 1));
    assert_same(&street_matrix(net, Period::Offpeak, &zones, &more, 1000.0, &p).unwrap(), &with_new, "with a new site");

    // The peak is another file; its times differ from the off-peak's.
    let (peak, used) = street_matrix_cached(net, Period::Peak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    assert_eq!((used.read, used.computed), (0, 21));
    assert_eq!(files(&dir).len(), 2);
    assert_same(&street_matrix(net, Period::Peak, &zones, &sites, 1000.0, &p).unwrap(), &peak, "peak");
    assert_ne!(peak.time_s, fresh.time_s);

    // Other zones (the first 100) are another file, never the 475 zones' columns.
    let (few, used) = street_matrix_cached(net, Period::Offpeak, &zones[..100], &sites, 1000.0, &p, Some(&cache)).unwrap();
    assert_eq!((used.read, used.computed), (0, 21));
    assert_same(&street_matrix(net, Period::Offpeak, &zones[..100], &sites, 1000.0, &p).unwrap(), &few, "100 zones");
    assert_eq!(files(&dir).len(), 3);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_damaged_cache_file_is_named_and_its_columns_computed_again() {
    let Some((region, zones, sites)) = newport() else { return };
    let net = car(&region);
    let dir = fresh_dir("damaged");
    let cache = ColumnCache::at(&dir);
    let p = Progress::new();
    let (first, _) = street_matrix_cached(net, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    let file = files(&dir).remove(0);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[1000] ^= 0x40;
    std::fs::write(&file, &bytes).unwrap();
    let (again, used) = street_matrix_cached(net, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    assert_same(&first, &again, "after the damage");
    assert_eq!((used.read, used.computed), (0, 21));
    assert_eq!(used.problems.len(), 1, "{:?}", used.problems);
    let problem = &used.problems[0];
    assert!(problem.contains(&file.display().to_string()), "{problem}");
    assert!(problem.contains("its checksum does not match: the file was damaged; its columns are computed again"), "{problem}");
    // The file was written again whole: the next run reads it.
    let (_, used) = street_matrix_cached(net, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    assert_eq!((used.read, used.computed, used.problems.len()), (21, 0, 0));

    // Cut short: named too.
    let len = std::fs::metadata(&file).unwrap().len();
    std::fs::write(&file, &std::fs::read(&file).unwrap()[..(len / 2) as usize]).unwrap();
    let (_, used) = street_matrix_cached(net, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    assert_eq!((used.read, used.computed), (0, 21));
    assert!(used.problems[0].contains("checksum does not match"), "{:?}", used.problems);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn another_network_never_reads_the_columns_of_the_first() {
    let Some((region, zones, sites)) = newport() else { return };
    let net = car(&region);
    let dir = fresh_dir("network");
    let cache = ColumnCache::at(&dir);
    let p = Progress::new();
    street_matrix_cached(net, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    // The same streets without turn costs: another graph, another key.
    let plain = net.without_turns();
    assert_ne!(accessplan::travel::cache::network_key(net), accessplan::travel::cache::network_key(&plain));
    let (m, used) = street_matrix_cached(&plain, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    assert_eq!((used.read, used.computed), (0, 21));
    assert_same(&street_matrix(&plain, Period::Offpeak, &zones, &sites, 1000.0, &p).unwrap(), &m, "without turns");
    // A network built again from the same file has the same key.
    let again = Region::load(&RegionInputs { modes: vec![StreetMode::Car], ..accessplan::testdata::newport_inputs().unwrap() }).unwrap();
    assert_eq!(accessplan::travel::cache::network_key(net), accessplan::travel::cache::network_key(car(&again)));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_cache_keeps_under_its_limit_by_removing_the_files_used_longest_ago() {
    let Some((region, zones, sites)) = newport() else { return };
    let net = car(&region);
    let dir = fresh_dir("limit");
    // Room for one file of 475 zones x 21 sites (80,024 bytes), not two.
    let cache = ColumnCache::at(&dir).with_limit(100_000);
    let p = Progress::new();
    street_matrix_cached(net, Period::Offpeak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    let offpeak = files(&dir);
    assert_eq!(offpeak.len(), 1);
    std::thread::sleep(std::time::Duration::from_millis(20));
    street_matrix_cached(net, Period::Peak, &zones, &sites, 1000.0, &p, Some(&cache)).unwrap();
    let left = files(&dir);
    assert_eq!(left.len(), 1);
    assert_ne!(left, offpeak);
    assert!(left[0].file_name().unwrap().to_string_lossy().starts_with("car-peak-"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_study_opened_again_reads_its_travel_times_from_the_cache() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scenario = root.join("datasets/demo/scenarios/hlc-model.toml");
    let dir = fresh_dir("study");
    let cache = ColumnCache::at(&dir);
    let p = Progress::new();
    let plain = Study::open(&scenario, &p).unwrap();
    assert!(plain.tt.cache.is_none());
    let cold = Study::open_with(&scenario, Some(&cache), &p).unwrap();
    let warm = Study::open_with(&scenario, Some(&cache), &p).unwrap();
    let street_modes = plain.tt.street.len();
    let sites = plain.region.sites.len();
    assert_eq!((street_modes, sites), (4, 16));
    assert_eq!((cold.tt.cache_use.read, cold.tt.cache_use.computed), (0, street_modes * sites));
    assert_eq!((warm.tt.cache_use.read, warm.tt.cache_use.computed), (street_modes * sites, 0));
    // One file per street mode and period: car off-peak and peak, walk, cycle.
    assert_eq!(files(&dir).len(), 4);
    for mode in [Mode::CarOffpeak, Mode::CarPeak, Mode::Walk, Mode::Cycle] {
        let (a, b, c) = (plain.tt.street(mode).unwrap(), cold.tt.street(mode).unwrap(), warm.tt.street(mode).unwrap());
        assert_same(a, b, mode.label());
        assert_same(a, c, mode.label());
    }
    // The evaluation is the same, figure for figure.
    assert_eq!(format!("{:?}", plain.evaluate()), format!("{:?}", warm.evaluate()));
    // A candidate site added to the warm study goes through the cache: one
    // search per street mode, then read back by the next study that adds it.
    let mut site = plain.region.sites[0].clone();
    site.id = "NEW".into();
    site.point = LonLat::new(site.point.lon + 0.004, site.point.lat + 0.002);
    let mut w = warm;
    let i = w.add_site(site.clone(), &p).unwrap();
    let files_after = files(&dir).len();
    assert_eq!(files_after, 4);
    let mut again = Study::open_with(&scenario, Some(&cache), &p).unwrap();
    let j = again.add_site(site, &p).unwrap();
    for mode in [Mode::CarOffpeak, Mode::Walk] {
        let (a, b) = (w.tt.street(mode).unwrap(), again.tt.street(mode).unwrap());
        for o in 0..a.origins {
            assert_eq!(a.time(o, i).map(f32::to_bits), b.time(o, j).map(f32::to_bits));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs `accessplan matrix` on Newport's car network with `home` as the
/// user's folder; returns its stderr and the CSV written.
fn matrix_command(home: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> (String, String) {
    let pbf = accessplan::testdata::shared_file("newport/newport-2023-06-13.osm.pbf").unwrap();
    let oa = accessplan::testdata::shared_file("newport/boundaries/oa.geojson").unwrap();
    let sites = accessplan::testdata::shared_file("newport/gp_practices.csv").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan"))
        .env("ACCESSPLAN_HOME", home)
        .env_remove("ACCESSPLAN_NO_CACHE")
        .args(["matrix", "--osm", pbf.to_str().unwrap(), "--zones", oa.to_str().unwrap(), "--sites", sites.to_str().unwrap()])
        .args(["--mode", "car", "--out", out.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    (err, std::fs::read_to_string(out).unwrap())
}

#[test]
fn the_matrix_command_says_what_it_read_from_the_cache_and_writes_the_same_file() {
    if accessplan::testdata::shared_file("newport/gp_practices.csv").is_none() {
        return;
    }
    let home = fresh_dir("command");
    std::fs::create_dir_all(&home).unwrap();
    let cache = home.join("cache");
    // 17 practices, of which 3 lie more than 1 km from a street: 14 searches.
    let (first, csv1) = matrix_command(&home, &home.join("m1.csv"), &[]);
    assert!(first.contains(&format!("note: street travel times: 0 columns read from the cache in {}, 14 computed", cache.display())), "{first}");
    let (second, csv2) = matrix_command(&home, &home.join("m2.csv"), &[]);
    assert!(second.contains(&format!("note: street travel times: 14 columns read from the cache in {}, 0 computed", cache.display())), "{second}");
    assert_eq!(csv1, csv2);
    assert_eq!(csv1.lines().count(), 1 + 475 * 17);
    // --no-cache: neither read nor said, the same file.
    let (third, csv3) = matrix_command(&home, &home.join("m3.csv"), &["--no-cache"]);
    assert!(!third.contains("from the cache"), "{third}");
    assert_eq!(csv1, csv3);
    assert_eq!(files(&cache).len(), 1);
    std::fs::remove_dir_all(&home).ok();
}
