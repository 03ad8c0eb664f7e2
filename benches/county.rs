//! A county-scale benchmark (issue 13): a synthetic county of about a
//! million car-network junctions is generated into a temporary folder, then
//! loaded, built into the car network and searched for a zones x sites
//! matrix, beside the same matrix on the streets searched on nodes without
//! turn rules (the baseline, measured in the same run).
//!
//! `cargo bench --bench county`; `COUNTY_NODES=100000` for a smaller county,
//! `COUNTY_ZONES` and `COUNTY_SITES` for the matrix's size (default 1,000 x 100).

use std::time::Instant;

use accessplan::demo::county::{self, CountyOptions};
use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Period, Profile, StreetMode, street_matrix};
use accessplan::progress::Progress;
#[path = "common/memory.rs"]
mod memory;
use memory::peak_mb;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

fn peak() -> String {
    peak_mb().map_or("peak memory unknown".into(), |m| format!("peak RSS {m:.0} MB"))
}

fn main() {
    let nodes = std::env::args().skip(1).find_map(|a| a.replace('_', "").parse().ok()).unwrap_or_else(|| env("COUNTY_NODES", 1_000_000));
    let (n_zones, n_sites) = (env("COUNTY_ZONES", 1_000), env("COUNTY_SITES", 100));
    let opts = CountyOptions { car_nodes: nodes, ..CountyOptions::scaled(nodes) };
    let opts = CountyOptions { zones: opts.zones.max(n_zones), sites: opts.sites.max(n_sites), ..opts };
    println!("accessplan county benchmark ({} threads)", rayon::current_num_threads());
    let dir = std::env::temp_dir().join(format!("accessplan-county-bench-{}", std::process::id()));

    let t = Instant::now();
    let summary = county::generate(&dir, &opts).expect("the county is written");
    let gen_s = t.elapsed().as_secs_f64();
    println!(
        "generate: {:.2} s  ({} x {} lattice, {:.0} km side, {} towns, {} junctions, {} OSM nodes, {} ways ({} one-way), {} zones, {} residents, {} sites; {})",
        gen_s,
        summary.lattice_side,
        summary.lattice_side,
        summary.side_m as f64 / 1000.0,
        summary.towns,
        summary.junctions,
        summary.osm_nodes,
        summary.osm_ways,
        summary.oneway_ways,
        summary.zones,
        summary.residents,
        summary.sites,
        peak()
    );
    for f in [county::OSM_FILE, county::ZONES_FILE, county::SITES_FILE] {
        let bytes = std::fs::metadata(dir.join(f)).map(|m| m.len()).unwrap_or(0);
        println!("  {f:<12} {:8.1} MB", bytes as f64 / 1e6);
    }

    let t = Instant::now();
    let osm = OsmData::load(&dir.join(county::OSM_FILE)).expect("the county's OSM file loads");
    let load_s = t.elapsed().as_secs_f64();
    println!("OSM XML load: {load_s:.2} s  ({} nodes, {} ways; {})", osm.nodes.len(), osm.ways.len(), peak());

    let t = Instant::now();
    let net = Network::build(&osm, StreetMode::Car, &Profile::default());
    let build_s = t.elapsed().as_secs_f64();
    drop(osm);
    println!(
        "car network build: {build_s:.2} s  ({} nodes, {} states, {} arcs, search graph {:.1} MB; {}; {})",
        net.node_count(),
        net.state_count(),
        net.arc_count(),
        net.search_bytes() as f64 / 1e6,
        net.stats,
        peak()
    );
    let steps: Vec<String> = net.build_steps.iter().map(|(name, s)| format!("{name} {s:.2} s")).collect();
    println!("  car build steps: {}", steps.join(", "));

    let t = Instant::now();
    let region = accessplan::region::Region::load(&county::region_inputs(&dir)).expect("the county loads as a region");
    let region_s = t.elapsed().as_secs_f64();
    println!("region load (OSM + car network + zones + sites) from the files: {region_s:.2} s  ({})", peak());
    let pick = |all: usize, k: usize| -> Vec<usize> { (0..k.min(all)).map(|i| i * all / k.min(all).max(1)).collect() };
    let zones: Vec<_> = pick(region.zones.len(), n_zones).into_iter().map(|i| region.zones[i].point).collect();
    let sites: Vec<_> = pick(region.sites.len(), n_sites).into_iter().map(|i| region.sites[i].point).collect();
    drop(region);

    let progress = Progress::new();
    let t = Instant::now();
    let m = street_matrix(&net, Period::Offpeak, &zones, &sites, 1000.0, &progress).expect("not cancelled");
    let matrix_s = t.elapsed().as_secs_f64();
    let missing = (0..zones.len()).flat_map(|z| (0..sites.len()).map(move |s| (z, s))).filter(|&(z, s)| m.time(z, s).is_none()).count();
    println!("car off-peak matrix {} zones x {} sites (turn graph): {matrix_s:.2} s  ({missing} pairs without a time; {})", zones.len(), sites.len(), peak());

    let plain = net.without_turns();
    drop(net);
    let t = Instant::now();
    let mb = street_matrix(&plain, Period::Offpeak, &zones, &sites, 1000.0, &progress).expect("not cancelled");
    let plain_s = t.elapsed().as_secs_f64();
    let slower = (0..zones.len()).flat_map(|z| (0..sites.len()).map(move |s| (z, s))).filter(|&(z, s)| m.time(z, s) < mb.time(z, s)).count();
    println!(
        "  baseline: same matrix on nodes without turn rules ({} nodes, {} arcs, {:.1} MB): {plain_s:.2} s  (turn graph {:.2}x; {slower} pairs faster with turns, which should be 0)",
        plain.node_count(),
        plain.arc_count(),
        plain.search_bytes() as f64 / 1e6,
        matrix_s / plain_s
    );
    println!(
        "files to matrix (OSM load + car build + matrix): {:.2} s  (target <= 6 s on 2 cores); {}  (target <= 600 MB)",
        load_s + build_s + matrix_s,
        peak()
    );
    std::fs::remove_dir_all(&dir).ok();
}
