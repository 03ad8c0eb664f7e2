//! Writes a county made of copies of Newport's streets (see
//! `accessplan::demo::tiled`), with Newport's output areas within reach of
//! its streets (census population) and OSM health sites copied alike, and a
//! study over it:
//! streets as OpenStreetMap maps them at the size of Kent and Medway.
//!
//! `cargo run --release --example tiled_county -- DIR [COLUMNS ROWS [ZONES SITES]]`
//! (default: the county of issue 13, 8 x 4 tiles, 1.06 million OSM nodes on
//! car-usable ways, 6,000 zones and 300 sites spread over the copies; 0
//! zones or sites for every copy), with `../shared/data` beside the
//! project. Prints the scenario's path.

use accessplan::demo::tiled::{self, TiledOptions};
use accessplan::network::StreetMode;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().ok_or("usage: tiled_county DIR [COLUMNS ROWS [ZONES SITES]]")?);
    let num = |i: usize, default: usize| -> Result<usize, Box<dyn std::error::Error>> { Ok(args.get(i).map(|a| a.parse()).transpose()?.unwrap_or(default)) };
    let c = TiledOptions::COUNTY;
    let opts = TiledOptions { columns: num(1, c.columns)?, rows: num(2, c.rows)?, zones: num(3, c.zones)?, sites: num(4, c.sites)? };
    let t = std::time::Instant::now();
    let (osm, town) = accessplan::testdata::newport_town().ok_or("../shared/data/newport is not beside the project")?;
    let car = town.network(StreetMode::Car).ok_or("Newport has no car network")?;
    let zones = tiled::zones_on_streets(&town.zones, car);
    let s = tiled::generate(&dir, &osm, &zones, &town.sites, &opts)?;
    let scenario = tiled::write_study(&dir)?;
    eprintln!(
        "tiled county: {} tiles of Newport, {} OSM nodes, {} ways ({} links between tiles), {} turn restrictions, {} zones ({} residents), {} sites, written in {:.1} s",
        s.tiles,
        s.osm_nodes,
        s.osm_ways,
        s.links,
        s.restrictions,
        s.zones,
        s.residents,
        s.sites,
        t.elapsed().as_secs_f64()
    );
    println!("{}", scenario.display());
    Ok(())
}
