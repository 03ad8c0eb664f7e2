//! The street matrix engine at county scale (issue 13, item 2): on a
//! synthetic county generated into a temporary folder, the car matrix
//! (1,000 zones x 100 sites by default) from files to CSV with the search
//! graph, beside the plain search (one full reverse Dijkstra per site on the
//! network's own arrays) in the same run; the time of one search by each
//! variant; then, with `COUNTY_ICB=1`, an ICB-sized study (6,000 zones x 300
//! sites by car off-peak and peak, walking and cycling).
//!
//! `cargo bench --bench matrix_engine`; `COUNTY_NODES=100000` for a smaller
//! county; `COUNTY_KIND=tiled` for the county made of copies of Newport's
//! streets (`accessplan::demo::tiled`, 8 x 4 tiles; `COUNTY_TILES=4x4` for
//! another grid), which needs `../shared/data`; `COUNTY_ZONES` and `COUNTY_SITES` for the matrix's size;
//! `COUNTY_PLAIN=0` skips the plain matrix (the slow part), `COUNTY_CAR=0`
//! the whole car matrix part. Wall-clock and CPU seconds are printed side by
//! side: on a machine shared with other work the CPU figures compare better.

use std::time::Instant;

use accessplan::demo::county::{self, CountyOptions};
use accessplan::network::dijkstra::{Search, UNREACHED};
use accessplan::network::search_graph::{GraphSearch, SearchGraph, Targets, hilbert_order};
use accessplan::network::{MatrixEngine, Network, Period, StreetMatrix, StreetMode, street_matrix_by};
use accessplan::progress::Progress;
use accessplan::region::{Region, RegionInputs};
#[path = "common/memory.rs"]
mod memory;
use memory::peak_mb;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

/// CPU seconds (user + system) used so far by the process, or with
/// `thread` by the calling thread (Linux, 10 ms ticks): on a machine shared
/// with other work they say what the work cost where wall-clock time also
/// counts the waiting.
fn cpu_s(thread: bool) -> f64 {
    let path = if thread { "/proc/thread-self/stat" } else { "/proc/self/stat" };
    let Ok(s) = std::fs::read_to_string(path) else { return f64::NAN };
    // Fields after the command name (which is in parentheses).
    let rest = s.rsplit_once(')').map_or("", |r| r.1);
    // utime and stime are fields 14 and 15 of the line: the 12th and 13th
    // after the name (the state, field 3, is the first).
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok());
    tick(11).zip(tick(12)).map_or(f64::NAN, |(u, s)| (u + s) / 100.0)
}

fn peak() -> String {
    peak_mb().map_or("peak memory unknown".into(), |m| format!("peak RSS {m:.0} MB"))
}

/// `k` indices spread evenly over `0..all`.
fn pick(all: usize, k: usize) -> Vec<usize> {
    let k = k.min(all);
    (0..k).map(|i| i * all / k.max(1)).collect()
}

/// Median of `v` (sorted in place).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Milliseconds per one-to-all search by each variant, median over `sites`.
fn per_search(net: &Network, period: Period, zones: &[accessplan::LonLat], sites: &[accessplan::LonLat]) {
    let snap = |p: &accessplan::LonLat| net.snap(*p, 1000.0).ok();
    let seeds: Vec<_> = sites.iter().filter_map(snap).map(|s| net.arriving(&s, period)).collect();
    // Median wall-clock and CPU milliseconds per search.
    let time = |f: &mut dyn FnMut(usize)| {
        let (mut wall, mut cpu): (Vec<f64>, Vec<f64>) = (0..seeds.len())
            .map(|i| {
                let (t, c) = (Instant::now(), cpu_s(true));
                f(i);
                (t.elapsed().as_secs_f64() * 1000.0, (cpu_s(true) - c) * 1000.0)
            })
            .unzip();
        (median(&mut wall), median(&mut cpu))
    };
    let line = |what: &str, (wall, cpu): (f64, f64), base: (f64, f64)| {
        println!("    {what:<58} {wall:7.0} ms wall, {cpu:7.0} ms CPU  ({:.2}x, CPU {:.2}x)", base.0 / wall, base.1 / cpu);
    };
    let mut plain = Search::new(net.state_count());
    let plain_ms = time(&mut |i| plain.run(net.reverse(), period.index(), &seeds[i], UNREACHED - 1));
    let t = Instant::now();
    let unordered = SearchGraph::new(net.reverse(), period.index(), (0..net.state_count() as u32).collect());
    let unordered_s = t.elapsed().as_secs_f64();
    let mut search = GraphSearch::new(net.state_count());
    let unordered_ms = time(&mut |i| search.run(&unordered, &unordered.seeds(&seeds[i]), None));
    drop(unordered);
    let t = Instant::now();
    let order = hilbert_order(net);
    let order_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let g = SearchGraph::new(net.reverse(), period.index(), order);
    let pack_s = t.elapsed().as_secs_f64();
    let full_ms = time(&mut |i| search.run(&g, &g.seeds(&seeds[i]), None));
    let ends = zones.iter().filter_map(snap).flat_map(|s| net.leaving(&s, period)).map(|e| g.id(e.0));
    let targets = Targets::new(g.state_count(), ends);
    let early_ms = time(&mut |i| search.run(&g, &g.seeds(&seeds[i]), Some(&targets)));
    println!(
        "  one search, {} {} ({} states, {} arcs), median of {} (the ratio to the plain search beside each):",
        net.mode.name(),
        period.name(),
        net.state_count(),
        net.arc_count(),
        seeds.len()
    );
    line("plain search on the network's arrays (baseline)", plain_ms, plain_ms);
    line(&format!("packed graph, build order (made in {unordered_s:.2} s)"), unordered_ms, plain_ms);
    line(&format!("packed graph, Hilbert order (order {order_s:.2} s + pack {pack_s:.2} s)"), full_ms, plain_ms);
    line(&format!("the same, stopping once the {} zones are settled", zones.len()), early_ms, plain_ms);
}

fn main() {
    let nodes = std::env::args().skip(1).find_map(|a| a.replace('_', "").parse().ok()).unwrap_or_else(|| env("COUNTY_NODES", 1_000_000));
    let (n_zones, n_sites) = (env("COUNTY_ZONES", 1_000), env("COUNTY_SITES", 100));
    let opts = CountyOptions { car_nodes: nodes, ..CountyOptions::scaled(nodes) };
    let opts = CountyOptions { zones: opts.zones.max(n_zones).max(6_000), sites: opts.sites.max(n_sites).max(300), ..opts };
    let threads = rayon::current_num_threads();
    println!("accessplan matrix engine benchmark ({threads} threads)");
    let dir = std::env::temp_dir().join(format!("accessplan-matrix-engine-bench-{}", std::process::id()));
    let t = Instant::now();
    if std::env::var("COUNTY_KIND").is_ok_and(|k| k == "tiled") {
        let s = tiled_county(&dir);
        println!(
            "generate: {:.2} s  ({} tiles of Newport: {} OSM nodes, {} ways, {} zones, {} sites; {})",
            t.elapsed().as_secs_f64(),
            s.tiles,
            s.osm_nodes,
            s.osm_ways,
            s.zones,
            s.sites,
            peak()
        );
    } else {
        let summary = county::generate(&dir, &opts).expect("the county is written");
        println!(
            "generate: {:.2} s  ({} junctions, {} zones, {} sites; {})",
            t.elapsed().as_secs_f64(),
            summary.junctions,
            summary.zones,
            summary.sites,
            peak()
        );
    }

    if env("COUNTY_CAR", 1) != 0 {
        car_matrix(&dir, n_zones, n_sites);
    }
    if env("COUNTY_ICB", 0) != 0 {
        icb_study(&dir, threads);
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Writes the county made of copies of Newport (`COUNTY_TILES`, default
/// 8x4) with the ICB study's 6,000 zones and 300 sites into `dir`.
fn tiled_county(dir: &std::path::Path) -> accessplan::demo::tiled::TiledSummary {
    use accessplan::demo::tiled::{self, TiledOptions};
    let grid = std::env::var("COUNTY_TILES").unwrap_or_default();
    let (columns, rows) =
        grid.split_once('x').and_then(|(c, r)| Some((c.parse().ok()?, r.parse().ok()?))).unwrap_or((TiledOptions::COUNTY.columns, TiledOptions::COUNTY.rows));
    let (osm, town) = accessplan::testdata::newport_town().expect("../shared/data/newport beside the project");
    let zones = tiled::zones_on_streets(&town.zones, town.network(StreetMode::Car).expect("Newport's car network"));
    tiled::generate(dir, &osm, &zones, &town.sites, &TiledOptions { columns, rows, ..TiledOptions::COUNTY }).expect("the tiled county is written")
}

/// Files to CSV: the car matrix, as `accessplan matrix --mode car` makes it,
/// by the search graph and by the plain search.
fn car_matrix(dir: &std::path::Path, n_zones: usize, n_sites: usize) {
    let t = Instant::now();
    let region = Region::load(&county::region_inputs(dir)).expect("the county loads");
    let load_s = t.elapsed().as_secs_f64();
    let car = region.network(StreetMode::Car).expect("the car network is built");
    println!("region load (OSM + car network + zones + sites): {load_s:.2} s  ({} states, {} arcs; {})", car.state_count(), car.arc_count(), peak());
    let zi = pick(region.zones.len(), n_zones);
    let si = pick(region.sites.len(), n_sites);
    let zones: Vec<_> = zi.iter().map(|&i| region.zones[i].clone()).collect();
    let sites: Vec<_> = si.iter().map(|&i| region.sites[i].clone()).collect();
    let zp: Vec<_> = zones.iter().map(|z| z.point).collect();
    let sp: Vec<_> = sites.iter().map(|s| s.point).collect();
    let progress = Progress::new();
    let period = Period::Offpeak;

    let t = Instant::now();
    let g = SearchGraph::reverse(car, period);
    let prep_s = t.elapsed().as_secs_f64();
    let graph_mb = g.bytes() as f64 / 1e6;
    drop(g);
    let (t, c) = (Instant::now(), cpu_s(false));
    let fast = street_matrix_by(MatrixEngine::SearchGraph, car, period, &zp, &sp, 1000.0, &progress).expect("not cancelled");
    let fast_s = t.elapsed().as_secs_f64();
    let fast_cpu = cpu_s(false) - c;
    let t = Instant::now();
    let csv = accessplan::export::matrix_csv::matrix_csv(&fast, &zones, &sites);
    let out = dir.join("matrix.csv");
    std::fs::write(&out, &csv).expect("the matrix is written");
    let csv_s = t.elapsed().as_secs_f64();
    let fast_peak = peak();
    println!(
        "car off-peak matrix {} zones x {} sites, search graph: {fast_s:.2} s, {fast_cpu:.1} CPU s (of which making the graph {prep_s:.2} s, {graph_mb:.0} MB, + {:.0} MB of labels per thread); CSV {:.1} MB in {csv_s:.2} s",
        zp.len(),
        sp.len(),
        car.state_count() as f64 * 8.0 / 1e6,
        csv.len() as f64 / 1e6
    );
    println!("files to CSV (region load + matrix + CSV): {:.2} s  (target <= 6 s on 2 cores); {fast_peak}  (target <= 600 MB)", load_s + fast_s + csv_s);

    per_search(car, period, &zp, &sp[..sp.len().min(env("COUNTY_PER_SEARCH", 5))]);
    hierarchy(car, period, &zp, &sp, &fast, load_s + csv_s);

    if env("COUNTY_PLAIN", 1) != 0 {
        let (t, c) = (Instant::now(), cpu_s(false));
        let plain = street_matrix_by(MatrixEngine::Plain, car, period, &zp, &sp, 1000.0, &progress).expect("not cancelled");
        let plain_s = t.elapsed().as_secs_f64();
        let plain_cpu = cpu_s(false) - c;
        let pairs = zp.len() * sp.len();
        let differ = (0..pairs).filter(|&k| plain.time_s[k] != fast.time_s[k]).count();
        let lengths = (0..pairs).filter(|&k| plain.length_m[k].to_bits() != fast.length_m[k].to_bits()).count();
        println!(
            "  baseline: the same matrix by the plain search: {plain_s:.2} s, {plain_cpu:.1} CPU s  (search graph {:.1}x faster, CPU {:.1}x; {differ} of {pairs} times and {lengths} lengths differ, which should be 0; {})",
            plain_s / fast_s,
            plain_cpu / fast_cpu,
            peak()
        );
    }
}

/// The same matrix by the contraction hierarchy: each step timed, its
/// times checked against the search graph's.
fn hierarchy(net: &Network, period: Period, zp: &[accessplan::LonLat], sp: &[accessplan::LonLat], fast: &StreetMatrix, load_and_csv_s: f64) {
    use accessplan::network::cch::Cch;
    let t = Instant::now();
    let Some(cch) = Cch::new(&net.forward, |s| net.node_point[net.state_node(s) as usize]) else {
        println!(
            "  hierarchy: given up after {:.2} s (the chordal graph would have over {} arcs a state)",
            t.elapsed().as_secs_f64(),
            accessplan::network::cch::MAX_ARCS_PER_STATE
        );
        return;
    };
    let order_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let metric = cch.customise(&net.forward, period.index());
    let custom_s = t.elapsed().as_secs_f64();
    drop(metric);
    let progress = Progress::new();
    let (t, c) = (Instant::now(), cpu_s(false));
    let m = street_matrix_by(MatrixEngine::Hierarchy, net, period, zp, sp, 1000.0, &progress).expect("not cancelled");
    let all_s = t.elapsed().as_secs_f64();
    let all_cpu = cpu_s(false) - c;
    let differ = (0..m.time_s.len()).filter(|&k| m.time_s[k] != fast.time_s[k]).count();
    println!(
        "  hierarchy: {} states, {} arcs in the chordal graph ({:.1} a state, {:.0} MB + {:.0} MB of weights a period), elimination tree {} high; order and chordal graph {order_s:.2} s, customisation {custom_s:.2} s; whole matrix {all_s:.2} s, {all_cpu:.1} CPU s, files to CSV {:.2} s; {differ} of {} times differ from the search graph's, which should be 0; {}",
        cch.state_count(),
        cch.arc_count(),
        cch.arc_count() as f64 / cch.state_count() as f64,
        cch.bytes() as f64 / 1e6,
        cch.arc_count() as f64 * 16.0 / 1e6,
        cch.height(),
        load_and_csv_s + all_s,
        m.time_s.len(),
        peak()
    );
}

/// An ICB-sized study: every zone and site, four street modes, by the engine
/// a study uses for that many sites (the hierarchy where the network has
/// one); the plain search's time estimated from three of its searches per
/// mode (all 1,200 would take most of an hour).
fn icb_study(dir: &std::path::Path, threads: usize) {
    let progress = Progress::new();
    let (t, c) = (Instant::now(), cpu_s(false));
    let inputs = RegionInputs { modes: vec![StreetMode::Car, StreetMode::Walk, StreetMode::Cycle], ..county::region_inputs(dir) };
    let region = Region::load(&inputs).expect("the county loads");
    let load_s = t.elapsed().as_secs_f64();
    println!("ICB study: region load with car, walk and cycle networks: {load_s:.2} s, {:.1} CPU s  ({})", cpu_s(false) - c, peak());
    let zp: Vec<_> = region.zones.iter().map(|z| z.point).collect();
    let sp: Vec<_> = region.sites.iter().map(|s| s.point).collect();
    let (mut total, mut total_cpu, mut plain_cpu) = (load_s, 0.0, 0.0);
    for (mode, period) in
        [(StreetMode::Car, Period::Offpeak), (StreetMode::Car, Period::Peak), (StreetMode::Walk, Period::Offpeak), (StreetMode::Cycle, Period::Offpeak)]
    {
        let net = region.network(mode).expect("built");
        let (t, c) = (Instant::now(), cpu_s(false));
        let m = street_matrix_by(MatrixEngine::for_destinations(sp.len()), net, period, &zp, &sp, 1000.0, &progress).expect("not cancelled");
        let s = t.elapsed().as_secs_f64();
        let cpu = cpu_s(false) - c;
        total += s;
        total_cpu += cpu;
        let with_time = m.time_s.iter().filter(|t| t.is_finite()).count();
        let seeds: Vec<_> = pick(sp.len(), 3).into_iter().filter_map(|i| net.snap(sp[i], 1000.0).ok()).collect();
        let mut search = Search::new(net.state_count());
        let mut one: Vec<f64> = seeds
            .iter()
            .map(|s| {
                let c = cpu_s(true);
                search.run(net.reverse(), period.index(), &net.arriving(s, period), UNREACHED - 1);
                cpu_s(true) - c
            })
            .collect();
        let est = median(&mut one) * sp.len() as f64;
        plain_cpu += est;
        println!(
            "  {} {}: {} x {} in {s:.2} s, {cpu:.1} CPU s ({with_time} pairs with a time; {}); plain search, estimated: {est:.0} CPU s ({:.0} ms per search x {}); {}",
            mode.name(),
            period.name(),
            zp.len(),
            sp.len(),
            if net.hierarchy().is_some() { "hierarchy" } else { "searches: no hierarchy" },
            median(&mut one) * 1000.0,
            sp.len(),
            peak()
        );
    }
    println!(
        "ICB study, files to every street matrix: {total:.2} s, matrices {total_cpu:.1} CPU s on {threads} threads (target <= 60 s, <= 4 GB: {}); plain search's matrices, estimated: {plain_cpu:.0} CPU s",
        peak()
    );
}
