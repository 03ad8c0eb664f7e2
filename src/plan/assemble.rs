//! A new study from loose input files: telling what each file is (street
//! network, bus timetable, zones, sites, localities, patient contacts or a
//! scenario), guessing the fields a scenario needs (zone id, population,
//! locality name), collecting the files in an [`InputsDraft`] that says what
//! is still missing, and writing a first scenario (the HLC model) beside
//! them with [`new_study`]. The app's "New study from files" form and its
//! file drops build on this; nothing here depends on the user interface.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, InputError, Result};
use crate::input::features::{self, CsvTable, GeometryIn, TableFormat};
use crate::plan::scenario::{InputsFile, LocalitiesFile, Scenario, relative_path};
use crate::plan::services::Catalogue;
use crate::study::Study;

/// OSM tags of the health places taken as sites when no sites file is given.
pub const HEALTH_TAGS: &str = "amenity=hospital,clinic,doctors";

/// Polygon files with at least this many features are taken as zones
/// (census output areas, LSOAs); fewer, as localities (wards, districts).
pub const MANY_FEATURES: usize = 50;

/// What an input file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// An OpenStreetMap street network (`.osm`, `.pbf`).
    Osm,
    /// A GTFS bus timetable (zip or folder holding `stops.txt`).
    Gtfs,
    /// Population zones (many polygons, or points with a population).
    Zones,
    /// Candidate sites (points with coordinates).
    Sites,
    /// Locality polygons (a few named areas).
    Localities,
    /// Patient contacts (zone, service, current site).
    Contacts,
    /// A scenario file (`.toml`).
    Scenario,
}

impl Role {
    /// Every role, in the order a form lists them.
    pub const ALL: [Role; 7] = [Role::Osm, Role::Gtfs, Role::Zones, Role::Sites, Role::Localities, Role::Contacts, Role::Scenario];

    /// Words for messages ("the population zones").
    pub fn describe(self) -> &'static str {
        match self {
            Role::Osm => "the street network (OpenStreetMap)",
            Role::Gtfs => "the bus timetable (GTFS)",
            Role::Zones => "the population zones",
            Role::Sites => "the candidate sites",
            Role::Localities => "the localities",
            Role::Contacts => "the patient contacts",
            Role::Scenario => "a scenario",
        }
    }
}

/// Tells what a file is for: by extension for OSM (`.osm`, `.pbf`) and
/// scenarios (`.toml`); a zip or folder holding `stops.txt` is a GTFS feed;
/// GeoJSON and CSV by their geometry and fields. The error says what was
/// looked for when the file's role cannot be told.
pub fn classify(path: &Path) -> Result<Role, InputError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if path.is_dir() {
        return if path.join("stops.txt").is_file() {
            Ok(Role::Gtfs)
        } else {
            Err(InputError::file(path, "this folder has no stops.txt, so it is not a GTFS bus timetable; give a GTFS zip or folder, or one input file"))
        };
    }
    if !path.exists() {
        return Err(InputError::file(path, "the file does not exist"));
    }
    if name.ends_with(".toml") {
        return Ok(Role::Scenario);
    }
    if name.ends_with(".osm") || name.ends_with(".pbf") || name.ends_with(".osm.xml") {
        return Ok(Role::Osm);
    }
    if name.ends_with(".zip") {
        return if zip_names_entry(path, "stops.txt")? {
            Ok(Role::Gtfs)
        } else {
            Err(InputError::file(path, "this zip holds no stops.txt, so it is not a GTFS bus timetable (accessplan reads zips only as GTFS feeds)"))
        };
    }
    match features::table_format(path)? {
        TableFormat::GeoJson => classify_geojson(path),
        TableFormat::Csv => classify_csv(path),
    }
}

/// Whether a zip's directory names an entry ending in `entry` (the central
/// directory is read from the end of the file; nothing is unpacked).
fn zip_names_entry(path: &Path, entry: &str) -> Result<bool, InputError> {
    let read_err = |e: std::io::Error| InputError::file(path, format!("cannot read the file: {e}"));
    let mut f = std::fs::File::open(path).map_err(read_err)?;
    let len = f.metadata().map_err(read_err)?.len();
    let mut head = [0u8; 4];
    if f.read_exact(&mut head).is_err() || &head != b"PK\x03\x04" {
        return Err(InputError::file(path, "the file is named .zip but is not a zip archive"));
    }
    // The central directory sits at the end; 4 MiB holds the names of any feed.
    let tail = len.min(4 << 20);
    f.seek(SeekFrom::Start(len - tail)).map_err(read_err)?;
    let mut bytes = Vec::with_capacity(tail as usize);
    f.take(tail).read_to_end(&mut bytes).map_err(read_err)?;
    let want = entry.as_bytes();
    Ok(bytes.windows(want.len()).any(|w| w.eq_ignore_ascii_case(want)))
}

/// Lower case without spaces, underscores or dashes, for comparing field names.
fn norm(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect::<String>().to_ascii_lowercase()
}

/// Field names that hold residents, compared with [`norm`], best first.
const POPULATION_NAMES: &[&str] =
    &["population", "pop", "residents", "usualresidents", "allusualresidents", "totalpopulation", "allpersons", "persons", "people", "total"];

/// Whether a field name is a census code or name of a larger area than a
/// zone or locality (local authority, county, region, country, constituency).
fn is_larger_area(upper: &str) -> bool {
    ["LAD", "CTY", "RGN", "CTRY", "PCON", "UTLA", "LTLA", "GOR"].iter().any(|p| upper.starts_with(p))
}

fn population_from(names: &[String]) -> Option<String> {
    let normed: Vec<String> = names.iter().map(|n| norm(n)).collect();
    POPULATION_NAMES
        .iter()
        .find_map(|want| normed.iter().position(|n| n == want))
        .or_else(|| normed.iter().position(|n| n.starts_with("population") || n.starts_with("allusualresidents") || n.starts_with("usualresidents")))
        .map(|i| names[i].clone())
}

fn locality_name_from(names: &[String]) -> Option<String> {
    let normed: Vec<String> = names.iter().map(|n| norm(n)).collect();
    for want in ["name", "locality", "localityname", "wardname", "areaname"] {
        if let Some(i) = normed.iter().position(|n| n == want) {
            return Some(names[i].clone());
        }
    }
    // Census names (WD13NM, LSOA11NM...), but not those of larger areas.
    names
        .iter()
        .find(|n| {
            let u = n.to_ascii_uppercase();
            u.len() >= 4 && u.ends_with("NM") && u.chars().any(|c| c.is_ascii_digit()) && !is_larger_area(&u)
        })
        .cloned()
}

/// Guesses the zone id property from a GeoJSON or CSV header.
pub fn guess_zone_id(path: &Path) -> Result<String> {
    let names = crate::input::inspect::field_names(path)?;
    zone_id_from(path, &names)
}

fn zone_id_from(path: &Path, names: &[String]) -> Result<String> {
    let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    for want in ["zone_id", "id", "zone", "code"] {
        if let Some(i) = lower.iter().position(|n| n == want) {
            return Ok(names[i].clone());
        }
    }
    // Census codes (OA11CD, LSOA11CD, WD13CD...), but not the larger areas a
    // zone file often also names (local authority, county, region, country).
    let is_area_code = |n: &String| {
        let u = n.to_ascii_uppercase();
        u.len() >= 4
            && u.ends_with("CD")
            && u.chars().any(|c| c.is_ascii_digit())
            && !["LAD", "CTY", "RGN", "CTRY", "PCON", "UTLA"].iter().any(|p| u.starts_with(p))
    };
    if let Some(n) = names.iter().find(|n| is_area_code(n)) {
        return Ok(n.clone());
    }
    Err(Error::Request(format!("{}: cannot tell which field is the zone id; pass --zone-id (fields: {})", path.display(), names.join(", "))))
}

/// Guesses the field holding each zone's residents (`population`, `pop`,
/// `residents`, `total`, `All usual residents`...), if the file has one.
pub fn guess_population(path: &Path) -> Option<String> {
    population_from(&crate::input::inspect::field_names(path).ok()?)
}

/// Guesses the field holding each locality's name (`name`, `locality`, or a
/// census name such as `WD13NM`), if the file has one.
pub fn guess_locality_name(path: &Path) -> Option<String> {
    locality_name_from(&crate::input::inspect::field_names(path).ok()?)
}

/// Whether a property value is a number (or text that reads as one).
fn is_number(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => features::parse_number(s).is_some(),
        _ => false,
    }
}

fn classify_geojson(path: &Path) -> Result<Role, InputError> {
    let raw = features::parse_geojson(path)?;
    let (mut points, mut polygons, mut lines) = (0usize, 0usize, 0usize);
    for f in &raw.features {
        match f.geometry {
            GeometryIn::Point(_) | GeometryIn::MultiPoint(_) => points += 1,
            GeometryIn::Polygons(_) => polygons += 1,
            GeometryIn::Lines(_) => lines += 1,
            GeometryIn::None => {}
        }
    }
    let mut names: Vec<String> = Vec::new();
    for f in &raw.features {
        for k in f.properties.keys() {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    // A population field counts when most features that have it hold a number there.
    let population = population_from(&names).filter(|field| {
        let vals: Vec<&Value> = raw.features.iter().filter_map(|f| f.properties.get(field)).filter(|v| !v.is_null()).collect();
        !vals.is_empty() && vals.iter().filter(|v| is_number(v)).count() * 2 > vals.len()
    });
    let has = |want: &[&str]| names.iter().any(|n| want.contains(&norm(n).as_str()));
    if points == 0 && polygons == 0 {
        let what = if lines > 0 { format!("{lines} lines") } else { "no geometry".to_string() };
        return Err(InputError::file(
            path,
            format!(
                "cannot tell what this GeoJSON holds: it has {} features with {what}; accessplan reads zones and localities as polygons and sites as points",
                raw.features.len()
            ),
        ));
    }
    if points > polygons {
        // Points are sites, unless they carry residents and no name or kind (zone centroids).
        return Ok(if population.is_some() && !has(&["name", "kind", "type"]) { Role::Zones } else { Role::Sites });
    }
    Ok(if polygons >= MANY_FEATURES || population.is_some() { Role::Zones } else { Role::Localities })
}

fn classify_csv(path: &Path) -> Result<Role, InputError> {
    let table = features::read_csv_table(path)?;
    let col = |names: &[&str]| table.find_column(names);
    let contacts = (col(&["zone_id", "zone", "origin_zone"]), col(&["service", "service_id"]), col(&["current_site", "site", "site_id"]));
    if let (Some(_), Some(_), Some(_)) = contacts {
        return Ok(Role::Contacts);
    }
    if features::coordinate_columns(&table).is_ok() {
        let population = population_from(&table.headers).is_some();
        let named = col(&["name", "kind", "type"]).is_some();
        return Ok(if population && !named { Role::Zones } else { Role::Sites });
    }
    Err(unknown_csv(&table))
}

fn unknown_csv(table: &CsvTable) -> InputError {
    let grouping = table.find_column(&["locality"]).is_some();
    let hint = if grouping {
        " It has a 'locality' column, so it may group areas into localities: name it as `grouping` under [inputs.localities] in a scenario file, with the areas' GeoJSON as `areas`."
    } else {
        ""
    };
    InputError::file(
        &table.path,
        format!(
            "cannot tell what this CSV holds. Looked for zone_id (or zone), service and current_site columns (patient contacts), and for lon/lat, x/y or easting/northing columns (sites, or zones when it has a population column); the columns are: {}.{hint}",
            table.headers.join(", ")
        ),
    )
}

/// The input files of a study being put together, one slot per role, with
/// the fields the scenario needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputsDraft {
    /// OpenStreetMap street network.
    pub osm: Option<PathBuf>,
    /// GTFS bus timetable (zip or folder).
    pub gtfs: Option<PathBuf>,
    /// Population zones.
    pub zones: Option<PathBuf>,
    /// Candidate sites.
    pub sites: Option<PathBuf>,
    /// Locality polygons.
    pub localities: Option<PathBuf>,
    /// Patient contacts.
    pub contacts: Option<PathBuf>,
    /// The zones' id field.
    pub zone_id: Option<String>,
    /// The zones' population field (`None` weights zones equally).
    pub population: Option<String>,
    /// The localities' name field.
    pub locality_name: Option<String>,
    /// OSM tags taking sites from the street network file, when no sites file is given.
    pub sites_from_osm: Option<String>,
}

impl InputsDraft {
    /// Tells what `path` is and puts it in its slot, guessing its fields. A
    /// scenario is recognised (`Role::Scenario`) but not placed.
    pub fn place(&mut self, path: &Path) -> Result<Role, InputError> {
        let role = classify(path)?;
        self.set(role, path);
        Ok(role)
    }

    /// Puts `path` in the slot of `role` (whatever the file holds), guessing
    /// the fields of zones and localities. `Role::Scenario` changes nothing.
    pub fn set(&mut self, role: Role, path: &Path) {
        let p = Some(path.to_path_buf());
        match role {
            Role::Osm => self.osm = p,
            Role::Gtfs => self.gtfs = p,
            Role::Zones => {
                let names = crate::input::inspect::field_names(path).unwrap_or_default();
                self.zone_id = zone_id_from(path, &names).ok();
                self.population = population_from(&names);
                self.zones = p;
            }
            Role::Sites => {
                self.sites = p;
                self.sites_from_osm = None;
            }
            Role::Localities => {
                self.locality_name = guess_locality_name(path);
                self.localities = p;
            }
            Role::Contacts => self.contacts = p,
            Role::Scenario => {}
        }
    }

    /// Empties the slot of `role` (and the fields guessed with it).
    pub fn clear(&mut self, role: Role) {
        match role {
            Role::Osm => self.osm = None,
            Role::Gtfs => self.gtfs = None,
            Role::Zones => {
                self.zones = None;
                self.zone_id = None;
                self.population = None;
            }
            Role::Sites => self.sites = None,
            Role::Localities => {
                self.localities = None;
                self.locality_name = None;
            }
            Role::Contacts => self.contacts = None,
            Role::Scenario => {}
        }
    }

    /// The file in the slot of `role`.
    pub fn path(&self, role: Role) -> Option<&Path> {
        match role {
            Role::Osm => self.osm.as_deref(),
            Role::Gtfs => self.gtfs.as_deref(),
            Role::Zones => self.zones.as_deref(),
            Role::Sites => self.sites.as_deref(),
            Role::Localities => self.localities.as_deref(),
            Role::Contacts => self.contacts.as_deref(),
            Role::Scenario => None,
        }
    }

    /// Every file placed.
    pub fn files(&self) -> Vec<PathBuf> {
        [&self.osm, &self.gtfs, &self.zones, &self.sites, &self.localities, &self.contacts].into_iter().flatten().cloned().collect()
    }

    /// What is still needed before a study can be made, in plain words
    /// (empty when nothing is).
    pub fn missing(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.zones.is_none() {
            v.push("population zones");
        } else if self.zone_id.is_none() {
            v.push("the zones' id field");
        }
        if self.osm.is_none() {
            v.push("a street network (an OpenStreetMap .osm or .osm.pbf file)");
        }
        if self.sites.is_none() && self.sites_from_osm.is_none() {
            v.push("candidate sites (a sites file, or sites taken from the street network file)");
        }
        if self.localities.is_some() && self.locality_name.is_none() {
            v.push("the localities' name field");
        }
        v
    }

    /// The inputs as a scenario in `scenario_dir` writes them (paths relative
    /// to that folder). A sites file wins over `sites_from_osm`.
    pub fn to_inputs_file(&self, scenario_dir: &Path) -> Result<InputsFile> {
        let rel = |p: &Path| relative_path(p, scenario_dir);
        let need = |what: &str| Error::Request(format!("a study needs {what}"));
        let zones = self.zones.as_deref().ok_or_else(|| need("population zones"))?;
        let zone_id = self.zone_id.clone().ok_or_else(|| need("the zones' id field"))?;
        let (sites, sites_from_osm) = match (&self.sites, &self.sites_from_osm) {
            (Some(s), _) => (rel(s), None),
            (None, Some(tags)) => (String::new(), Some(tags.clone())),
            (None, None) => {
                return Err(need("candidate sites (a sites file, or sites taken from the street network file)"));
            }
        };
        let localities = match &self.localities {
            Some(l) => Some(LocalitiesFile {
                file: Some(rel(l)),
                name_field: Some(self.locality_name.clone().ok_or_else(|| need("the localities' name field"))?),
                ..Default::default()
            }),
            None => None,
        };
        Ok(InputsFile {
            osm: self.osm.as_deref().map(rel),
            gtfs: self.gtfs.as_deref().map(rel),
            zones: rel(zones),
            zone_id,
            population: self.population.clone(),
            zone_locality: None,
            sites,
            sites_from_osm,
            contacts: self.contacts.as_deref().map(rel),
            localities,
            crs: None,
            profile: None,
            bus_date: None,
            bus_window: None,
        })
    }
}

/// Makes a study from the draft's files: loads the region and computes its
/// travel times once, writes a first scenario (the HLC model: tier 1 at each
/// locality's HLC, tiers 2 and 3 placed by the generator) at `scenario_path`
/// atomically, never over an input, and returns the study opened on it.
pub fn new_study(draft: &InputsDraft, scenario_path: &Path, progress: &crate::progress::Progress) -> Result<Study> {
    let missing = draft.missing();
    if !missing.is_empty() {
        return Err(Error::Request(format!("a study needs {}", missing.join(", "))));
    }
    let dir = scenario_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::Request(format!("cannot save the scenario in {}: the folder does not exist", dir.display())));
    }
    // Refuse before the long work, not after it.
    let protected = draft.files();
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    if scenario_path.exists() && protected.iter().any(|i| canon(i) == canon(scenario_path)) {
        return Err(Error::Request(format!("refusing to write {}: it is one of the inputs", scenario_path.display())));
    }
    let inputs = draft.to_inputs_file(dir)?;
    let stem = scenario_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "study".into());
    let first = crate::plan::generate::empty_file(&stem, &inputs);
    let (region, tt, contacts, warnings) = crate::study::open_inputs(scenario_path, &first, progress)?;
    let catalogue = Catalogue::default();
    // Pairs and HLCs as proposed for the region, then the HLC model on them.
    let resolved = Scenario::resolve(&first, scenario_path, &region, &catalogue)?;
    let file = crate::plan::generate::hlc_model(&region, &tt, &catalogue, &inputs, &resolved.pairs, &resolved.hlc);
    let mut protected_all = region.inputs.files();
    protected_all.extend(protected);
    file.save(scenario_path, &protected_all)?;
    Study::assemble(scenario_path, file, region, tt, contacts, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::shared_file;

    fn project(rel: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("accessplan-assemble-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn demo_draft(with_gtfs: bool) -> InputsDraft {
        let mut d = InputsDraft::default();
        let mut files =
            vec!["maps/demo/zones.geojson", "maps/demo/localities.geojson", "maps/demo/region.osm", "datasets/demo/sites.csv", "datasets/demo/contacts.csv"];
        if with_gtfs {
            files.push("datasets/demo/gtfs");
        }
        for f in files {
            d.place(&project(f)).unwrap();
        }
        d
    }

    #[test]
    fn assemble_classifies_the_newport_files() {
        let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else {
            return;
        };
        let gtfs = shared_file("newport/newport-20230613_gtfs.zip").unwrap();
        let oa = shared_file("newport/boundaries/oa.geojson").unwrap();
        let wards = shared_file("newport/boundaries/wards.geojson").unwrap();
        let lsoa = shared_file("newport/boundaries/lsoa.geojson").unwrap();
        let msoa = shared_file("newport/boundaries/msoa.geojson").unwrap();
        assert_eq!(classify(&pbf).unwrap(), Role::Osm);
        assert_eq!(classify(&gtfs).unwrap(), Role::Gtfs);
        // 475 output areas with no population field: zones by their number.
        assert_eq!(classify(&oa).unwrap(), Role::Zones);
        assert_eq!(guess_zone_id(&oa).unwrap(), "OA11CD", "the local authority code LAD11CD is not the zone id");
        assert_eq!(guess_population(&oa), None);
        // 20 wards: localities, named by WD13NM (not the Welsh WD13NMW).
        assert_eq!(classify(&wards).unwrap(), Role::Localities);
        assert_eq!(guess_locality_name(&wards).as_deref(), Some("WD13NM"));
        assert_eq!(classify(&lsoa).unwrap(), Role::Zones, "95 LSOAs");
        assert_eq!(classify(&msoa).unwrap(), Role::Localities, "20 MSOAs");
        let mut d = InputsDraft::default();
        for f in [&pbf, &gtfs, &oa, &wards] {
            d.place(f).unwrap();
        }
        assert_eq!((d.zone_id.as_deref(), d.locality_name.as_deref()), (Some("OA11CD"), Some("WD13NM")));
        assert_eq!(d.missing(), vec!["candidate sites (a sites file, or sites taken from the street network file)"]);
        d.sites_from_osm = Some(HEALTH_TAGS.into());
        assert!(d.missing().is_empty());
        let dir = temp("newport-inputs");
        let inputs = d.to_inputs_file(&dir).unwrap();
        assert_eq!(inputs.sites, "");
        assert_eq!(inputs.sites_from_osm.as_deref(), Some(HEALTH_TAGS));
        assert_eq!(inputs.localities.as_ref().and_then(|l| l.name_field.as_deref()), Some("WD13NM"));
        assert!(dir.join(&inputs.zones).canonicalize().unwrap() == oa.canonicalize().unwrap(), "{} is relative to {}", inputs.zones, dir.display());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn assemble_classifies_the_demo_files_and_medway_tables() {
        let d = demo_draft(true);
        assert_eq!(classify(&project("maps/demo/zones.geojson")).unwrap(), Role::Zones);
        assert_eq!(classify(&project("maps/demo/localities.geojson")).unwrap(), Role::Localities);
        assert_eq!(classify(&project("maps/demo/region.osm")).unwrap(), Role::Osm);
        assert_eq!(classify(&project("datasets/demo/sites.csv")).unwrap(), Role::Sites);
        assert_eq!(classify(&project("datasets/demo/contacts.csv")).unwrap(), Role::Contacts);
        assert_eq!(classify(&project("datasets/demo/gtfs")).unwrap(), Role::Gtfs);
        assert_eq!(classify(&project("datasets/demo/scenarios/baseline.toml")).unwrap(), Role::Scenario);
        assert_eq!((d.zone_id.as_deref(), d.population.as_deref(), d.locality_name.as_deref()), (Some("zone_id"), Some("population"), Some("name")));
        assert!(d.missing().is_empty(), "{:?}", d.missing());
        assert_eq!(d.files().len(), 6);
        let Some(sites) = shared_file("medway/sites.csv") else {
            return;
        };
        assert_eq!(classify(&sites).unwrap(), Role::Sites);
        let grouping = shared_file("medway/localities.csv").unwrap();
        let e = classify(&grouping).unwrap_err().to_string();
        assert!(e.contains("localities.csv") && e.contains("grouping"), "{e}");
    }

    #[test]
    fn assemble_explains_a_csv_it_cannot_classify() {
        let dir = temp("unknown");
        let p = dir.join("budget.csv");
        std::fs::write(&p, "team,cost\nnursing,120\n").unwrap();
        let e = classify(&p).unwrap_err().to_string();
        assert!(e.contains("budget.csv"), "names the file: {e}");
        assert!(e.contains("zone_id") && e.contains("current_site") && e.contains("lon/lat"), "says what it looked for: {e}");
        assert!(e.contains("team, cost"), "lists the columns: {e}");
        let mut d = InputsDraft::default();
        assert!(d.place(&p).is_err());
        assert_eq!(d, InputsDraft::default(), "nothing placed");
        assert_eq!(d.missing().len(), 3);
        // Population-weighted points without names are zones, not sites.
        let z = dir.join("centroids.csv");
        std::fs::write(&z, "code,easting,northing,All usual residents\nE1,530000,180000,300\n").unwrap();
        assert_eq!(classify(&z).unwrap(), Role::Zones);
        assert_eq!(guess_population(&z).as_deref(), Some("All usual residents"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn assemble_new_study_on_the_demo_files_writes_a_scenario_that_opens_again() {
        let dir = temp("new-study");
        let out = dir.join("study.toml");
        let d = demo_draft(true);
        let progress = crate::progress::Progress::new();
        let study = new_study(&d, &out, &progress).unwrap();
        assert!(progress.done() > 0, "progress ticks");
        let r = &study.region;
        assert_eq!((r.zones.len(), r.sites.len(), r.localities.len()), (795, 16, 6));
        assert_eq!(study.scenario.name, "HLC model");
        assert!(study.tt.timetable.is_some(), "the bus timetable is loaded");
        assert!(!study.contacts.is_empty());
        // Tier 1 at each of the six localities' HLCs.
        let t1 = study.scenario.services.iter().find(|s| s.tier.number() == 1).unwrap();
        assert_eq!(t1.sites().len(), 6);
        assert!(t1.sites().iter().all(|&i| r.sites[i].role == crate::model::SiteRole::Hlc));
        let again = Study::open(&out, &crate::progress::Progress::new()).unwrap();
        let a = &again.region;
        assert_eq!((a.zones.len(), a.sites.len(), a.localities.len()), (795, 16, 6));
        assert_eq!(again.scenario, study.scenario);
        assert_eq!(again.contacts.len(), study.contacts.len());
        // Never over an input.
        let e = new_study(&d, &project("datasets/demo/sites.csv"), &crate::progress::Progress::new()).unwrap_err().to_string();
        assert!(e.contains("refusing"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
