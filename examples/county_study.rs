//! Writes a synthetic county study for the app benchmark
//! (`benches/app_frames.sh county`): the county's streets, zones (with
//! their outlines) and sites, and a scenario over them with one service
//! at every tenth site.
//!
//! `cargo run --release --example county_study -- DIR [JUNCTIONS [ZONES [SITES]]]`
//! (default: the county of issue 13, 1,000,000 junctions, 6,000 zones, 300 sites).
//! Prints the scenario's path.

use accessplan::demo::county::{self, CountyOptions};
use accessplan::demo::county_zones;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().ok_or("usage: county_study DIR [JUNCTIONS [ZONES [SITES]]]")?);
    let num = |i: usize| -> Result<Option<usize>, Box<dyn std::error::Error>> {
        Ok(match args.get(i) {
            Some(a) => Some(a.replace('_', "").parse()?),
            None => None,
        })
    };
    let nodes = num(1)?.unwrap_or(CountyOptions::COUNTY.car_nodes);
    let scaled = CountyOptions::scaled(nodes);
    let opts = CountyOptions { zones: num(2)?.unwrap_or(scaled.zones), sites: num(3)?.unwrap_or(scaled.sites), ..scaled };
    let t = std::time::Instant::now();
    let summary = county::generate(&dir, &opts)?;
    let scenario = county_zones::write_study(&dir)?;
    eprintln!(
        "county: {} junctions, {} zones, {} sites, {:.0} km side, written in {:.1} s",
        summary.junctions,
        summary.zones,
        summary.sites,
        summary.side_m as f64 / 1000.0,
        t.elapsed().as_secs_f64()
    );
    println!("{}", scenario.display());
    Ok(())
}
