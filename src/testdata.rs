//! Where tests and benchmarks find the real data in `../shared/data`.
//!
//! The data is never copied into the project. When it is missing, tests skip
//! with a message, except under CI (the `CI` variable set), where a missing
//! data folder is a failure: real-data tests must really run there.
//!
//! Also the fixtures several tests and benchmarks share: small temporary
//! input files, a copy of the demo's scenario to edit, and the Newport
//! region and scenarios built on the real data.
//!
//! [`fuzz`]: the mutation fuzzer over every loader (`examples/fuzz.rs`,
//! `tests/fuzz_smoke.rs`).

use std::path::PathBuf;

pub mod fuzz;

/// The `../shared/data` folder beside the project, if present.
pub fn shared_data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    dir.is_dir().then_some(dir)
}

/// The path of a file under `../shared/data`, or `None` (with a note on
/// stderr) when the folder is missing outside CI.
///
/// # Panics
/// Under CI (`CI` set) when the data folder or the file is missing: the
/// real-data tests must not pass by skipping.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    match shared_data_dir() {
        Some(dir) => {
            let p = dir.join(relative);
            assert!(p.exists() || !ci, "CI: real data file {} is missing", p.display());
            p.exists().then_some(p)
        }
        None => {
            assert!(!ci, "CI: ../shared/data is missing beside the project; real-data tests cannot be skipped");
            eprintln!("skipping: ../shared/data not found");
            None
        }
    }
}

/// Writes `text` to `name` in a temporary folder of this process (one per
/// `area`, e.g. the module testing) and returns its path: the small input
/// files unit tests read.
///
/// # Panics
/// When the temporary folder cannot be written (a test environment fault).
pub fn temp_file(area: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accessplan-{area}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a writable temporary folder");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("a writable temporary folder");
    p
}

/// A folder of this process (one per `tag`) holding `scenario.toml`, a copy
/// of the demo's HLC-model scenario with its input paths made absolute, and
/// beside it `sites.csv`, the demo's sites file as changed by `edit_sites`
/// (which the scenario reads instead). `extra` is written before the
/// scenario's first table (top-level keys must come first; a table such as
/// `[hlc]` may go there too). The tests of candidate sites and site roles
/// open studies on it.
///
/// # Panics
/// When the demo's files cannot be read or the temporary folder cannot be
/// written (a test environment fault).
pub fn demo_study_dir(tag: &str, edit_sites: impl Fn(&str) -> String, extra: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("accessplan-demo-study-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a writable temporary folder");
    let sites = std::fs::read_to_string(root.join("datasets/demo/sites.csv")).expect("the demo's sites file");
    std::fs::write(dir.join("sites.csv"), edit_sites(&sites)).expect("a writable temporary folder");
    let text = std::fs::read_to_string(root.join("datasets/demo/scenarios/hlc-model.toml")).expect("the demo's HLC-model scenario");
    let text = text
        .replace("\"../sites.csv\"", "\"sites.csv\"")
        .replace("\"../../../", &format!("\"{}/", root.display()))
        .replace("\"../", &format!("\"{}/datasets/demo/", root.display()));
    let at = text.find("\n[").unwrap_or(text.len());
    let (head, tables) = text.split_at(at);
    std::fs::write(dir.join("scenario.toml"), format!("{head}\n{extra}\n{tables}")).expect("a writable temporary folder");
    dir
}

/// Newport's census output areas to the health sites tagged in OSM
/// (`amenity=hospital,clinic,doctors`), by car and on foot, without
/// localities or buses: the region the Newport matrix tests and benchmark
/// load. `None` when `../shared/data` is missing outside CI.
pub fn newport_inputs() -> Option<crate::region::RegionInputs> {
    use crate::network::StreetMode;
    let pbf = shared_file("newport/newport-2023-06-13.osm.pbf")?;
    let oa = shared_file("newport/boundaries/oa.geojson")?;
    Some(crate::region::RegionInputs {
        name: "Newport".into(),
        osm: Some(pbf),
        zones: oa,
        population_table: None,
        attributes: Vec::new(),
        postcodes: None,
        zone_options: crate::input::zones::ZoneOptions {
            id_field: "OA11CD".into(),
            population_field: None,
            crs: crate::input::crs::CrsChoice::Auto,
            locality_field: None,
        },
        sites: vec![crate::region::SitesInput::Osm(crate::input::sniff::HEALTH_TAGS.parse().expect("the health tags parse"))],
        localities: None,
        crs: crate::input::crs::CrsChoice::Auto,
        profile: None,
        speed_calibration: None,
        modes: vec![StreetMode::Car, StreetMode::Walk],
        gtfs: Vec::new(),
        bus_date: None,
        bus_window: crate::transit::DepartureWindow::MORNING_PEAK,
        clip_margin_km: Some(crate::region::DEFAULT_CLIP_MARGIN_KM),
    })
}

/// Newport as the tiled benchmark county copies it: its OSM extract as read
/// (street ways, routing tags, turn restrictions) and its region by car
/// (output areas with their 2011 census population, the OSM health sites).
/// `None` when `../shared/data` is missing outside CI.
///
/// # Panics
/// When the files are there but do not load.
pub fn newport_town() -> Option<(crate::input::osm::OsmData, crate::region::Region)> {
    let census = shared_file("newport/population/oa11_usual_residents_2011.csv")?;
    let inputs = crate::region::RegionInputs {
        modes: vec![crate::network::StreetMode::Car],
        population_table: Some(crate::input::joins::TableJoin { table: census, code_column: None, columns: Vec::new(), areas: None }),
        ..newport_inputs()?
    };
    let osm = crate::input::osm::OsmData::load(inputs.osm.as_ref()?).expect("Newport's extract loads");
    let town = crate::region::Region::load(&inputs).expect("Newport loads");
    Some((osm, town))
}

/// Writes a Newport scenario to `dir/name.toml`: output areas, OSM health
/// sites, the 20 wards as localities, and `services` as (id, site ids).
/// `None` when `../shared/data` is missing outside CI.
///
/// # Panics
/// When the data files cannot be resolved or `dir` cannot be written.
pub fn newport_scenario(dir: &std::path::Path, name: &str, services: &[(&str, &[&str])]) -> Option<PathBuf> {
    let pbf = shared_file("newport/newport-2023-06-13.osm.pbf")?;
    let oa = shared_file("newport/boundaries/oa.geojson")?;
    let wards = shared_file("newport/boundaries/wards.geojson")?;
    let abs = |p: &std::path::Path| p.canonicalize().expect("a data file that exists").display().to_string();
    let mut text = format!(
        "schema_version = 1\nname = \"{name}\"\n[inputs]\nosm = \"{}\"\nzones = \"{}\"\nzone_id = \"OA11CD\"\nsites_from_osm = \"{}\"\n[inputs.localities]\nfile = \"{}\"\nname_field = \"WD13NM\"\n",
        abs(&pbf),
        abs(&oa),
        crate::input::sniff::HEALTH_TAGS,
        abs(&wards)
    );
    for (id, sites) in services {
        let list: Vec<String> = sites.iter().map(|s| format!("\"{s}\"")).collect();
        text.push_str(&format!("[[service]]\nid = \"{id}\"\nsites = [{}]\n", list.join(", ")));
    }
    std::fs::create_dir_all(dir).expect("a writable folder");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).expect("a writable folder");
    Some(path)
}

/// xorshift64*: a small seeded generator for random test and benchmark
/// instances (repeatable, no dependency).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value, zero included).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// True with probability about `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() <= p
    }
    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}
