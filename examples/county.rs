//! Writes the synthetic county (the benchmark region of `benches/county.rs`)
//! into a folder, for runs of the command itself on it: `accessplan matrix`,
//! `accessplan shard`, the app.
//!
//! `cargo run --release --example county -- OUT_DIR [JUNCTIONS] [ZONES] [SITES]`
//! (default 1,000,000 junctions, 6,000 zones, 300 sites, seed 13). The folder
//! gets county.osm (OSM XML), zones.csv (id, population, lon, lat) and
//! sites.csv (id, name, lon, lat, kind).

use accessplan::demo::county::{self, CountyOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo run --release --example county -- OUT_DIR [JUNCTIONS] [ZONES] [SITES]");
        std::process::exit(2);
    };
    let num = |i: usize| args.get(i).map(|a| a.replace('_', "").parse::<usize>());
    let mut opts = CountyOptions::COUNTY;
    for (i, field) in [(1, &mut opts.car_nodes), (2, &mut opts.zones), (3, &mut opts.sites)] {
        match num(i) {
            Some(Ok(n)) => *field = n,
            Some(Err(e)) => {
                eprintln!("argument {}: '{}' is not a count: {e}", i + 1, args[i]);
                std::process::exit(2);
            }
            None => {}
        }
    }
    let t = std::time::Instant::now();
    match county::generate(std::path::Path::new(dir), &opts) {
        Ok(s) => eprintln!(
            "county written to {dir} in {:.1} s: {} junctions, {} OSM ways, {} zones ({} residents), {} sites, checksum {:016x}",
            t.elapsed().as_secs_f64(),
            s.junctions,
            s.osm_ways,
            s.zones,
            s.residents,
            s.sites,
            s.checksum
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
