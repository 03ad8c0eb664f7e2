//! `accessplan inspect`: what a file holds (kind, counts, extent, problems):
//! an OSM extract, a GTFS feed (zip or folder), a table or a GeoJSON.

use std::path::Path;

use accessplan::error::Result;
use accessplan::input::osm::{OsmData, TagFilter};
use accessplan::network::{Network, Profile, StreetMode};

/// Whether `file` is a GTFS feed: a zip file, or a folder holding `stops.txt` or `stop_times.txt`.
fn is_gtfs(file: &Path, name: &str) -> bool {
    name.ends_with(".zip") || (file.is_dir() && (file.join("stop_times.txt").is_file() || file.join("stops.txt").is_file()))
}

/// `accessplan inspect FEED.zip` (or a GTFS folder): what a planner wants to
/// know before using a timetable: operators, routes by kind of vehicle,
/// stops, trips and stop times, the dates the calendar covers, the busiest
/// service date and the default one with their trips, and the feed's problems.
fn inspect_gtfs(file: &Path) -> Result<()> {
    let (feed, report) = accessplan::transit::load_gtfs(file)?;
    let c = &report.counts;
    println!("{}: GTFS timetable", file.display());
    let names: Vec<&str> = feed.agencies.iter().map(|a| a.name.as_str()).collect();
    let more = if names.len() > 8 { format!(" and {} more", names.len() - 8) } else { String::new() };
    println!("  agencies: {} ({}{more})", c.agencies, names.iter().take(8).copied().collect::<Vec<_>>().join(", "));
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for r in &feed.routes {
        match kinds.iter_mut().find(|k| k.0 == r.mode_name()) {
            Some(k) => k.1 += 1,
            None => kinds.push((r.mode_name(), 1)),
        }
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    println!("  routes: {} ({})", c.routes, kinds.join(", "));
    println!("  stops: {}, trips: {}, stop times: {}, services: {}", c.stops, c.trips, c.stop_times, c.services);
    if c.frequency_trips > 0 {
        println!("  trips made from frequencies.txt: {}", c.frequency_trips);
    }
    if c.transfer_rules > 0 {
        println!("  transfer rules: {}", c.transfer_rules);
    }
    match feed.date_range() {
        Some((from, to)) => println!("  calendar: {from} to {to} ({} days)", from.days_until(to) + 1),
        None => println!("  calendar: no service day at all"),
    }
    let by_date = feed.trips_by_date();
    let on = |d: accessplan::transit::ServiceDate| by_date.iter().find(|x| x.0 == d).map_or(0, |x| x.1);
    if let Some((d, n)) = feed.busiest_service_date() {
        println!("  busiest service date: {} {d}, {n} trips", d.weekday_name());
    }
    if let Some(d) = feed.default_service_date() {
        println!("  default service date (the first Tuesday with service): {} {d}, {} trips", d.weekday_name(), on(d));
    }
    let n = report.problem_count();
    if n == 0 {
        println!("  problems: none");
    } else {
        let each: Vec<String> = report.problem_counts.iter().map(|(k, c)| format!("{c} {}", k.describe())).collect();
        println!("  problems: {n} ({}); {} trips left out", each.join(", "), report.trips_left_out);
        for p in &report.problems {
            println!("    - {p}");
        }
        if n > report.problems.len() {
            println!("    ... {} more", n - report.problems.len());
        }
    }
    for note in &report.notes {
        println!("  note: {note}");
    }
    Ok(())
}

/// `accessplan inspect`.
pub fn inspect(file: &Path) -> Result<()> {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if is_gtfs(file, &name) {
        return inspect_gtfs(file);
    }
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
