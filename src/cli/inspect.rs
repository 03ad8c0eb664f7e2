//! `accessplan inspect`: what a file holds (kind, counts, extent, problems).

use std::path::Path;

use accessplan::error::Result;
use accessplan::input::osm::{OsmData, TagFilter};
use accessplan::network::{Network, Profile, StreetMode};

/// `accessplan inspect`.
pub fn inspect(file: &Path) -> Result<()> {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if name.ends_with(".pbf") || name.ends_with(".osm") {
        let osm = OsmData::load(file)?;
        println!("{}: OpenStreetMap data", file.display());
        println!(
            "  nodes: {} ({} on the ways kept), ways kept: {} ({} streets), tagged points: {}",
            osm.nodes_read,
            osm.nodes.len(),
            osm.ways.len(),
            osm.highway_count(),
            osm.pois.len()
        );
        if let Some(e) = accessplan::geom::Extent::of(osm.nodes.values().copied()) {
            println!("  extent: {e}");
        }
        let health = TagFilter { rules: vec![("amenity".into(), ["hospital", "clinic", "doctors", "dentist", "pharmacy"].map(String::from).to_vec())] };
        let (sites, _) = accessplan::input::osm::sites_from_osm(&osm, &health);
        println!("  health places (amenity=hospital,clinic,doctors,dentist,pharmacy): {}", sites.len());
        let profile = Profile::default();
        for mode in StreetMode::ALL {
            let n = Network::build(&osm, mode, &profile);
            println!("  {} network: {}", mode.name(), n.stats);
            if n.turns.is_some() {
                println!("  {}", n.turn_stats.summary(mode));
                for (id, why) in &n.turn_stats.not_understood {
                    println!("  problem: turn restriction relation {id} not understood: {why}");
                }
            }
        }
        if osm.ways_with_missing_nodes > 0 {
            println!("  problems: {} ways reach beyond the extract (kept up to its edge)", osm.ways_with_missing_nodes);
        }
        return Ok(());
    }
    let report = accessplan::input::inspect::inspect_table_or_geojson(file)?;
    println!("{}: {report}", file.display());
    Ok(())
}
