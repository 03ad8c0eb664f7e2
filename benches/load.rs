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
use std::time::Instant;

use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Profile, StreetMode};
use rayon::prelude::*;

mod common;
use common::time;

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
    println!("\n## Newport (real OSM extract, 256k nodes)");
    let (floor, n) = time(7, || decode_floor(pbf));
    println!("osmpbf decode only, blobs in parallel (floor), {n} elements  {}", ms(floor));
    let (old_s, old) = time(7, || OsmData::load_every_node(pbf).expect("Newport PBF"));
    let (new_s, osm) = time(7, || OsmData::load(pbf).expect("Newport PBF"));
    println!(
        "OSM read, as it was (a partial per element, every node kept: {} nodes)  {}  ({:.1}x the floor)",
        old.nodes.len(),
        ms(old_s),
        old_s / floor
    );
    println!(
        "OSM read, now (whole blobs, {} of {} nodes kept)            {}  ({:.1}x the floor; {:.1}x faster)",
        osm.nodes.len(),
        osm.nodes_read,
        ms(new_s),
        new_s / floor,
        old_s / new_s
    );
    drop(old);
    let profile = Profile::default();
    for mode in StreetMode::ALL {
        let (s, net) = time(7, || Network::build(&osm, mode, &profile));
        println!("{} network build {}  ({:.1}x the floor; {} states, {} arcs; {})", mode.name(), ms(s), s / floor, net.state_count(), net.arc_count(), steps(&net));
    }
    let (all_s, _) = time(7, || {
        let osm = OsmData::load(pbf).expect("Newport PBF");
        StreetMode::ALL.par_iter().map(|m| Network::build(&osm, *m, &profile)).collect::<Vec<_>>()
    });
    let (cw_s, _) = time(7, || {
        let osm = OsmData::load(pbf).expect("Newport PBF");
        rayon::join(|| Network::build(&osm, StreetMode::Car, &profile), || Network::build(&osm, StreetMode::Walk, &profile))
    });
    println!("PBF to car + walk networks {}  ({:.1}x the floor); to car + walk + cycle {}  ({:.1}x)", ms(cw_s), cw_s / floor, ms(all_s), all_s / floor);
    if let Some(inputs) = accessplan::testdata::newport_inputs() {
        let (s, region) = time(5, || accessplan::region::Region::load(&inputs).expect("Newport region"));
        println!(
            "Newport region load (zones, sites, car + walk, clipped) {}  (OSM read {}, networks {}, tables {})",
            ms(s),
            ms(region.timings.osm_read_s),
            ms(region.timings.networks_s),
            ms(region.timings.tables_s)
        );
    }
}

/// Peak resident memory so far, MB (Linux), if readable.
fn peak_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()).map_or(0.0, |kb| kb / 1024.0)
}

fn county(nodes: usize) {
    use accessplan::demo::county::{self, CountyOptions};
    println!("\n## Synthetic county ({nodes} junctions)");
    let dir = std::env::temp_dir().join(format!("accessplan-load-bench-{}", std::process::id()));
    county::generate(&dir, &CountyOptions { car_nodes: nodes, ..CountyOptions::scaled(nodes) }).expect("the county is written");
    let t = Instant::now();
    let osm = OsmData::load(&dir.join(county::OSM_FILE)).expect("the county's OSM file loads");
    let read_s = t.elapsed().as_secs_f64();
    println!("OSM XML read (the baseline) {}  ({} nodes, {} ways; peak RSS {:.0} MB)", ms(read_s), osm.nodes.len(), osm.ways.len(), peak_mb());
    let profile = Profile::default();
    for mode in StreetMode::ALL {
        let t = Instant::now();
        let net = Network::build(&osm, mode, &profile);
        let s = t.elapsed().as_secs_f64();
        println!(
            "{} network build {}  ({:.2}x the read; {} states, {} arcs, search graph {:.0} MB; peak RSS {:.0} MB; {})",
            mode.name(),
            ms(s),
            s / read_s,
            net.state_count(),
            net.arc_count(),
            net.search_bytes() as f64 / 1e6,
            peak_mb(),
            steps(&net)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
