//! The built-in demo region, "Riverdale", as the running program needs it:
//! every file of `maps/demo` and `datasets/demo` (2.5 MB) is compiled in, so
//! an installed binary opens the demo without the source folder. Where the
//! source folder is present (a clone, `cargo run`), its files are used
//! directly; otherwise the embedded copy is written once to the user's data
//! folder ([`crate::settings::user_dir`]).
//!
//! The generator that wrote those files is `generator`, compiled only with
//! the `demo-generator` feature (and in this crate's unit tests): the program
//! needs the files, not the code that made them.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

#[cfg(any(test, feature = "demo-generator"))]
pub mod generator;

/// A synthetic county of any size for benchmarks, generated at bench time.
#[cfg(any(test, feature = "demo-generator"))]
pub mod county;

/// An OSM PBF writer for the generated counties.
#[cfg(any(test, feature = "demo-generator"))]
mod pbf_writer;

/// A county made of copies of a real town's streets, for benchmarks at
/// county scale on streets as OpenStreetMap maps them.
#[cfg(any(test, feature = "demo-generator"))]
pub mod tiled;

/// Zone outlines (Voronoi cells) for the synthetic county, for the app's map.
#[cfg(any(test, feature = "demo-generator"))]
pub mod county_zones;

/// The embedded files, by path relative to the project root.
const FILES: [(&str, &[u8]); 16] = [
    ("maps/demo/region.osm", include_bytes!("../../maps/demo/region.osm")),
    ("maps/demo/zones.geojson", include_bytes!("../../maps/demo/zones.geojson")),
    ("maps/demo/localities.geojson", include_bytes!("../../maps/demo/localities.geojson")),
    ("datasets/demo/README.md", include_bytes!("../../datasets/demo/README.md")),
    ("datasets/demo/sites.csv", include_bytes!("../../datasets/demo/sites.csv")),
    ("datasets/demo/contacts.csv", include_bytes!("../../datasets/demo/contacts.csv")),
    ("datasets/demo/gtfs/agency.txt", include_bytes!("../../datasets/demo/gtfs/agency.txt")),
    ("datasets/demo/gtfs/calendar.txt", include_bytes!("../../datasets/demo/gtfs/calendar.txt")),
    ("datasets/demo/gtfs/calendar_dates.txt", include_bytes!("../../datasets/demo/gtfs/calendar_dates.txt")),
    ("datasets/demo/gtfs/feed_info.txt", include_bytes!("../../datasets/demo/gtfs/feed_info.txt")),
    ("datasets/demo/gtfs/routes.txt", include_bytes!("../../datasets/demo/gtfs/routes.txt")),
    ("datasets/demo/gtfs/stop_times.txt", include_bytes!("../../datasets/demo/gtfs/stop_times.txt")),
    ("datasets/demo/gtfs/stops.txt", include_bytes!("../../datasets/demo/gtfs/stops.txt")),
    ("datasets/demo/gtfs/trips.txt", include_bytes!("../../datasets/demo/gtfs/trips.txt")),
    ("datasets/demo/scenarios/baseline.toml", include_bytes!("../../datasets/demo/scenarios/baseline.toml")),
    ("datasets/demo/scenarios/hlc-model.toml", include_bytes!("../../datasets/demo/scenarios/hlc-model.toml")),
];

/// The project folder holding the demo: the source folder when it is there
/// with every demo file, else the embedded copy unpacked under
/// [`crate::settings::user_dir`].
pub fn demo_root() -> Result<PathBuf> {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if FILES.iter().all(|(p, _)| source.join(p).is_file()) {
        return Ok(source);
    }
    let dir = crate::settings::user_dir().join(format!("demo-{}", env!("CARGO_PKG_VERSION")));
    unpack(&dir)?;
    Ok(dir)
}

/// Writes the embedded files that are missing under `root` (atomically).
/// A file already there is left as it is, whatever it holds: it is the
/// planner's to change (a saved edit of the demo scenario survives the next
/// start), and the folder is named for the program's version, so a new
/// version unpacks into a folder of its own. Returns the number written.
pub fn unpack(root: &Path) -> Result<usize> {
    let mut written = 0;
    for (rel, bytes) in FILES {
        let path = root.join(rel);
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        }
        crate::fileio::write_atomic(&path, bytes, &[])?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_files_are_the_demo_generators_output_and_open_as_a_study() {
        // Every file the generator writes is embedded (plus the two scenarios).
        for f in generator::OUTPUT_FILES {
            assert!(FILES.iter().any(|(p, _)| *p == f), "{f} is not embedded");
        }
        let dir = std::env::temp_dir().join(format!("accessplan-embedded-{}", std::process::id()));
        assert_eq!(unpack(&dir).unwrap(), 16);
        assert_eq!(unpack(&dir).unwrap(), 0, "a second unpack leaves identical files alone");
        // A planner's saved change to the demo scenario survives the next start;
        // a file they deleted comes back.
        let scenario = dir.join("datasets/demo/scenarios/hlc-model.toml");
        let edited = std::fs::read_to_string(&scenario).unwrap().replace("name = \"HLC model\"", "name = \"HLC model (mine)\"");
        std::fs::write(&scenario, &edited).unwrap();
        std::fs::remove_file(dir.join("datasets/demo/README.md")).unwrap();
        assert_eq!(unpack(&dir).unwrap(), 1);
        assert_eq!(std::fs::read_to_string(&scenario).unwrap(), edited);
        let study = crate::study::Study::open(&dir.join("datasets/demo/scenarios/hlc-model.toml"), &crate::progress::Progress::new()).unwrap();
        assert_eq!(study.region.zones.len(), 795);
        assert_eq!(study.scenario.services.len(), 23);
        assert_eq!(study.scenario.name, "HLC model (mine)");
        std::fs::remove_dir_all(&dir).ok();
    }
}
