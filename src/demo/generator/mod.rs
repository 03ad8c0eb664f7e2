//! The generator of the built-in demo region, "Riverdale", a fictional county
//! of six localities and 250,000 residents laid on real coordinates in north
//! Kent, with its street map (OSM XML), zones and localities (GeoJSON), sites,
//! bus timetable (GTFS) and today's patient contacts (CSV).
//!
//! Everything is synthetic and deterministic: random choices come from a
//! fixed-seed splitmix64 generator and the maths uses only IEEE-exact
//! operations, so [`generate`] writes byte-identical files on every run and
//! platform. Files are written atomically (to `name.tmp`, then renamed).
//!
//! Compiled only with the `demo-generator` feature: `accessplan
//! generate-demo` and `tests/demo_generator.rs` use it; the running program
//! needs only the files it wrote, embedded by [`crate::demo`].

mod contacts;
mod detmath;
mod grid;
mod gtfs;
mod layout;
mod osm;
mod readme;
mod rng;
mod sites;
mod streets;
mod text;
mod zones;

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The files [`generate`] writes, relative to the project root.
pub const OUTPUT_FILES: [&str; 14] = [
    "maps/demo/region.osm",
    "maps/demo/zones.geojson",
    "maps/demo/localities.geojson",
    "datasets/demo/README.md",
    "datasets/demo/sites.csv",
    "datasets/demo/contacts.csv",
    "datasets/demo/gtfs/agency.txt",
    "datasets/demo/gtfs/stops.txt",
    "datasets/demo/gtfs/routes.txt",
    "datasets/demo/gtfs/trips.txt",
    "datasets/demo/gtfs/stop_times.txt",
    "datasets/demo/gtfs/calendar.txt",
    "datasets/demo/gtfs/calendar_dates.txt",
    "datasets/demo/gtfs/feed_info.txt",
];

/// What the demo generator wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoSummary {
    /// Residents in all zones.
    pub residents: u64,
    /// Population zones.
    pub zones: usize,
    /// Localities.
    pub localities: usize,
    /// Nodes in the OSM file.
    pub osm_nodes: usize,
    /// Ways in the OSM file.
    pub osm_ways: usize,
    /// Road bridges over the river.
    pub bridges: usize,
    /// Sites in `sites.csv`.
    pub sites: usize,
    /// GTFS stops.
    pub gtfs_stops: usize,
    /// GTFS routes.
    pub gtfs_routes: usize,
    /// GTFS trips.
    pub gtfs_trips: usize,
    /// GTFS stop_times rows.
    pub gtfs_stop_times: usize,
    /// Rows of `contacts.csv`.
    pub contacts_rows: usize,
    /// Contacts a year in `contacts.csv`.
    pub contacts_total: u64,
    /// Share of contacts at a site outside the patient's own locality.
    pub out_of_locality_share: f64,
    /// Farthest any zone's centre lies from a car street, metres.
    pub max_zone_to_street_m: f64,
    /// Bytes written in all.
    pub bytes: u64,
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Riverdale demo region (synthetic), {:.1} MB written:", self.bytes as f64 / 1e6)?;
        writeln!(f, "  {} residents in {} zones and {} localities", self.residents, self.zones, self.localities)?;
        writeln!(f, "  map: {} OSM nodes, {} ways, {} bridges over the river", self.osm_nodes, self.osm_ways, self.bridges)?;
        writeln!(f, "  {} sites", self.sites)?;
        writeln!(f, "  buses: {} routes, {} stops, {} trips, {} stop times", self.gtfs_routes, self.gtfs_stops, self.gtfs_trips, self.gtfs_stop_times)?;
        write!(
            f,
            "  contacts: {} rows, {} a year, {:.0}% outside the patient's locality",
            self.contacts_rows,
            self.contacts_total,
            self.out_of_locality_share * 100.0
        )
    }
}

/// Writes `contents` to `path` atomically: to `path.tmp`, then renamed over `path`.
fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let err = |source| Error::Write { path: path.to_path_buf(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, contents).map_err(|source| Error::Write { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, path).map_err(err)
}

/// Writes the demo region's files under `root` (the project root): maps/demo/ and datasets/demo/.
pub fn generate(root: &Path) -> Result<DemoSummary> {
    let proj = layout::Projection::new();
    let zone_set = zones::build();
    let mut net = streets::build(&zone_set)?;
    let site_list = sites::place(&mut net);
    let site_points: Vec<[f64; 2]> = site_list.iter().map(|s| s.point_m).collect();
    let network = streets::check(&net, &zone_set, &site_points)?;
    let osm_file = osm::render(&net, &proj);
    let feed = gtfs::build(&net, &site_list, &proj)?;
    let contact_set = contacts::build(&zone_set, &site_list);

    let mut files: Vec<(String, String)> = vec![
        ("maps/demo/region.osm".into(), osm_file.text),
        ("maps/demo/zones.geojson".into(), zones::zones_geojson(&zone_set, &proj)),
        ("maps/demo/localities.geojson".into(), zones::localities_geojson(&proj)),
        ("datasets/demo/sites.csv".into(), sites::csv(&site_list, &proj)),
        ("datasets/demo/contacts.csv".into(), contacts::csv(&contact_set)),
    ];
    for (name, text) in feed.files {
        files.push((format!("datasets/demo/gtfs/{name}"), text));
    }
    let mut summary = DemoSummary {
        residents: zone_set.zones.iter().map(|z| z.population).sum(),
        zones: zone_set.zones.len(),
        localities: layout::LOCALITIES.len(),
        osm_nodes: osm_file.nodes,
        osm_ways: osm_file.ways,
        bridges: net.streets.iter().filter(|s| s.alive && s.tag("bridge") == Some("yes")).count(),
        sites: site_list.len(),
        gtfs_stops: feed.stops,
        gtfs_routes: feed.routes,
        gtfs_trips: feed.trips,
        gtfs_stop_times: feed.stop_times,
        contacts_rows: contact_set.rows.len(),
        contacts_total: contact_set.total,
        out_of_locality_share: contact_set.out_of_locality_share,
        max_zone_to_street_m: network.max_zone_to_street_m,
        bytes: 0,
    };
    let readme_text = readme::text(&summary);
    files.push(("datasets/demo/README.md".into(), readme_text));
    summary.bytes = files.iter().map(|(_, t)| t.len() as u64).sum();
    for (rel, text) in &files {
        write_atomic(&root.join(rel), text)?;
    }
    Ok(summary)
}
