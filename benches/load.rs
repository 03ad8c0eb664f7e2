//! Loading benchmarks (issue 13, loading that scales), each beside a
//! baseline measured in the same run. `cargo bench --bench load`.
//!
//! - Newport PBF: osmpbf decoding alone (the floor: every blob decoded in
//!   parallel and its elements counted), the reader as it was (one partial
//!   per element, every node kept) and the reader now (whole blobs, only the
//!   kept ways' nodes); each network built, step by step; PBF to car + walk
//!   networks against the floor; the Newport region loaded.
//! - A synthetic county (`LOAD_COUNTY_NODES`, default 200,000 junctions;
//!   0 skips it): OSM XML read, then each network built, against the read.

use std::path::{Path, PathBuf};

use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Profile, StreetMode};
use rayon::prelude::*;

mod common;
#[path = "common/memory.rs"]
mod memory;
use memory::peak_mb;

/// Processor time this process has used so far (user + system, all
/// threads), seconds, from /proc/self/stat (Linux; 0 elsewhere). On a
/// shared machine it moves far less than the wall clock.
fn cpu_s() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = s.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of the line (utime, stime, in ticks of 1/100 s) are
    // the 12th and 13th after the name (the state is the first).
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

/// Runs `f` `runs` times: the median wall time, the mean processor time
/// per run (seconds) and the last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Timed, T) {
    let c0 = cpu_s();
    let (wall, out) = common::time(runs, &mut f);
    (Timed { wall, cpu: (cpu_s() - c0) / runs as f64 }, out)
}

/// A median wall time and a mean processor time, seconds.
#[derive(Clone, Copy)]
struct Timed {
    wall: f64,
    cpu: f64,
}

impl std::fmt::Display for Timed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:7.1} ms (cpu {:6.1} ms)", self.wall * 1000.0, self.cpu * 1000.0)
    }
}

fn ms(s: f64) -> String {
    format!("{:8.1} ms", s * 1000.0)
}

fn steps(net: &Network) -> String {
    net.build_steps.iter().map(|(name, s)| format!("{name} {:.0} ms", s * 1000.0)).collect::<Vec<_>>().join(", ")
}

/// Decodes every blob of a PBF in parallel and counts its elements: what any
/// reader must at least do.
fn decode_floor(pbf: &Path) -> u64 {
    let reader = osmpbf::BlobReader::from_path(pbf).expect("the PBF opens");
    reader
        .par_bridge()
        .map(|blob| {
            let Ok(blob) = blob else { return 0 };
            match blob.decode() {
                Ok(osmpbf::BlobDecode::OsmData(block)) => {
                    let mut n = 0u64;
                    block.for_each_element(|_| n += 1);
                    n
                }
                _ => 0,
            }
        })
        .sum()
}

fn main() {
    println!("accessplan loading benchmarks ({} threads)", rayon::current_num_threads());
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let pbf = data.join("newport/newport-2023-06-13.osm.pbf");
    if pbf.exists() {
        newport(&pbf);
    } else {
        println!("../shared/data not found: Newport benchmarks skipped");
    }
    let nodes = std::env::var("LOAD_COUNTY_NODES").ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(200_000usize);
    if nodes > 0 {
        county(nodes);
    }
}

fn newport(pbf: &Path) {
    println!("\n## Newport (real OSM extract, 256k nodes); wall time, median of 7, and processor time per run (all threads)");
    let (floor, n) = time(7, || decode_floor(pbf));
    println!("osmpbf decode only, blobs in parallel (floor), {n} elements  {floor}");
    let (old_s, old) = time(7, || OsmData::load_every_node(pbf).expect("Newport PBF"));
    let (new_s, osm) = time(7, || OsmData::load(pbf).expect("Newport PBF"));
    println!(
        "OSM read, as it was (a partial per element, every node kept: {} nodes)  {old_s}  ({:.1}x the floor's cpu)",
        old.nodes.len(),
        old_s.cpu / floor.cpu
    );
    println!(
        "OSM read, now (whole blobs, {} of {} nodes kept)            {new_s}  ({:.1}x the floor's cpu; {:.1}x less cpu than before)",
        osm.nodes.len(),
        osm.nodes_read,
        new_s.cpu / floor.cpu,
        old_s.cpu / new_s.cpu
    );
    drop(old);
    let profile = Profile::default();
    for mode in StreetMode::ALL {
        let (s, net) = time(7, || Network::build(&osm, mode, &profile));
        println!(
            "{} network build {s}  ({:.1}x the floor's cpu; {} states, {} arcs; {})",
            mode.name(),
            s.cpu / floor.cpu,
            net.state_count(),
            net.arc_count(),
            steps(&net)
        );
    }
    let (cw_s, _) = time(7, || {
        let osm = OsmData::load(pbf).expect("Newport PBF");
        rayon::join(|| Network::build(&osm, StreetMode::Car, &profile), || Network::build(&osm, StreetMode::Walk, &profile))
    });
    let (all_s, _) = time(7, || {
        let osm = OsmData::load(pbf).expect("Newport PBF");
        StreetMode::ALL.par_iter().map(|m| Network::build(&osm, *m, &profile)).collect::<Vec<_>>()
    });
    println!(
        "PBF to car + walk networks {cw_s}  ({:.1}x the floor's cpu); to car + walk + cycle {all_s}  ({:.1}x)",
        cw_s.cpu / floor.cpu,
        all_s.cpu / floor.cpu
    );
    if let Some(inputs) = accessplan::testdata::newport_inputs() {
        let (s, region) = time(5, || accessplan::region::Region::load(&inputs).expect("Newport region"));
        println!(
            "Newport region load (zones, sites, car + walk, clipped) {s}  (last run: OSM read {}, networks {}, tables {})",
            ms(region.timings.osm_read_s),
            ms(region.timings.networks_s),
            ms(region.timings.tables_s)
        );
    }
}

fn county(nodes: usize) {
    use accessplan::demo::county::{self, CountyOptions};
    println!("\n## Synthetic county ({nodes} junctions)");
    let dir = std::env::temp_dir().join(format!("accessplan-load-bench-{}", std::process::id()));
    county::generate(&dir, &CountyOptions { car_nodes: nodes, ..CountyOptions::scaled(nodes) }).expect("the county is written");
    let (read, osm) = time(1, || OsmData::load(&dir.join(county::OSM_FILE)).expect("the county's OSM file loads"));
    println!("OSM XML read (the baseline) {read}  ({} nodes, {} ways; peak RSS {:.0} MB)", osm.nodes.len(), osm.ways.len(), peak_mb().unwrap_or(0.0));
    let profile = Profile::default();
    for mode in StreetMode::ALL {
        let (s, net) = time(1, || Network::build(&osm, mode, &profile));
        println!(
            "{} network build {s}  ({:.2}x the read's wall time, {:.2}x its cpu; {} states, {} arcs, search graph {:.0} MB; peak RSS {:.0} MB; {})",
            mode.name(),
            s.wall / read.wall,
            s.cpu / read.cpu,
            net.state_count(),
            net.arc_count(),
            net.search_bytes() as f64 / 1e6,
            peak_mb().unwrap_or(0.0),
            steps(&net)
        );
        if mode == StreetMode::Car {
            snapping_index(&net);
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The snapping index alone, as the build makes it (a packed R-tree), and the
/// R*-tree bulk load of the same segments that it replaced (the baseline).
fn snapping_index(net: &Network) {
    use accessplan::network::snap::Snapper;
    use rstar::primitives::{CachedEnvelope, GeomWithData, Line};
    let (now, _) = time(3, || Snapper::new(&net.shapes, &net.projection));
    let (before, _) = time(3, || {
        let segs: Vec<_> = net
            .shapes
            .iter()
            .enumerate()
            .flat_map(|(si, shape)| {
                let xy: Vec<[f64; 2]> = shape.iter().map(|p| net.projection.to_xy(*p)).collect();
                (0..xy.len().saturating_sub(1)).map(move |k| GeomWithData::new(CachedEnvelope::new(Line::new(xy[k], xy[k + 1])), (si as u32, k as u32)))
            })
            .collect();
        rstar::RTree::bulk_load(segs)
    });
    println!("  snapping index of the car network, median of 3: packed R-tree {now}; R*-tree bulk load (baseline) {before}: {:.1}x", before.wall / now.wall);
}
