//! Recognising input files and guessing their fields, once for every caller.
//! This module owns what a file is for ([`FileRole`]: street network, bus
//! timetable, zones, a census population table, sites, a postcode lookup,
//! localities, attribute tables and the larger areas they are keyed by,
//! patient contacts or a scenario),
//! told from its name and contents, and which of its fields hold a zone id,
//! residents or a locality name. `accessplan inspect`, the `matrix` command
//! and the app's New-study form all ask here, so they agree about the same
//! file. Census codes and names of areas larger than a zone or a locality
//! (local authority, county, region, country, constituency) are listed once,
//! in [`LARGER_AREA_PREFIXES`], and never taken for an id or a name.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde_json::Value;

use crate::error::{InputError, Result};
use crate::input::code_table::{CodeTable, geography_of, read_code_table};
use crate::input::csv_table::{self, CsvTable};
use crate::input::geojson::{self, GeometryIn, RawFeatureFile};
use crate::input::postcodes::POSTCODE_NAMES;
use crate::input::text::{parse_number, read_text};

/// OSM tags of the health places taken as sites when no sites file is given.
pub const HEALTH_TAGS: &str = "amenity=hospital,clinic,doctors";

/// Polygon files with at least this many features are taken as zones
/// (census output areas, LSOAs); fewer, as localities (wards, districts).
pub const MANY_FEATURES: usize = 50;

/// What an input file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileRole {
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
    /// Residents by area code (a census download, title lines and all).
    PopulationTable,
    /// Numeric attributes by area code (deprivation, car availability).
    Attributes,
    /// Larger areas (polygons with a code property) attribute tables are keyed by.
    /// Never guessed: polygons are zones or localities until the planner says so.
    Areas,
    /// A postcode lookup (postcode and coordinates, no name).
    Postcodes,
}

impl FileRole {
    /// Every role, in the order a form lists them.
    pub const ALL: [FileRole; 11] = [
        FileRole::Osm,
        FileRole::Gtfs,
        FileRole::Zones,
        FileRole::PopulationTable,
        FileRole::Sites,
        FileRole::Postcodes,
        FileRole::Localities,
        FileRole::Attributes,
        FileRole::Areas,
        FileRole::Contacts,
        FileRole::Scenario,
    ];

    /// Words for messages ("the population zones").
    pub fn describe(self) -> &'static str {
        match self {
            FileRole::Osm => "the street network (OpenStreetMap)",
            FileRole::Gtfs => "the bus timetable (GTFS)",
            FileRole::Zones => "the population zones",
            FileRole::Sites => "the candidate sites",
            FileRole::Localities => "the localities",
            FileRole::Contacts => "the patient contacts",
            FileRole::Scenario => "a scenario",
            FileRole::PopulationTable => "a population table by area code",
            FileRole::Attributes => "an attributes table by area code",
            FileRole::Areas => "areas that attribute tables are keyed by",
            FileRole::Postcodes => "a postcode lookup",
        }
    }
}

/// Tells what a file is for: by extension for OSM (`.osm`, `.pbf`) and
/// scenarios (`.toml`); a zip or folder holding `stops.txt` is a GTFS feed;
/// GeoJSON and CSV by their geometry and fields. The error says what was
/// looked for when the file's role cannot be told.
pub fn classify(path: &Path) -> Result<FileRole, InputError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if path.is_dir() {
        return if path.join("stops.txt").is_file() {
            Ok(FileRole::Gtfs)
        } else {
            Err(InputError::file(path, "this folder has no stops.txt, so it is not a GTFS bus timetable; give a GTFS zip or folder, or one input file"))
        };
    }
    if !path.exists() {
        return Err(InputError::file(path, "the file does not exist"));
    }
    if name.ends_with(".toml") {
        return Ok(FileRole::Scenario);
    }
    if name.ends_with(".osm") || name.ends_with(".pbf") || name.ends_with(".osm.xml") {
        return Ok(FileRole::Osm);
    }
    if name.ends_with(".zip") {
        return if zip_names_entry(path, "stops.txt")? {
            Ok(FileRole::Gtfs)
        } else {
            Err(InputError::file(path, "this zip holds no stops.txt, so it is not a GTFS bus timetable (accessplan reads zips only as GTFS feeds)"))
        };
    }
    match table_format(path)? {
        TableFormat::GeoJson => classify_features(&geojson::parse_geojson(path)?),
        TableFormat::Csv => classify_csv(path),
    }
}

/// What a CSV file is for: as [`classify_table`] tells from its columns,
/// else a table keyed by area code ([`classify_code_table`], read past the
/// title and footnote lines of a census download), else the error of the
/// plain reading.
pub fn classify_csv(path: &Path) -> Result<FileRole, InputError> {
    let plain = csv_table::read_csv_table(path);
    let err = match &plain {
        Ok(t) => match classify_table(t) {
            Ok(role) => return Ok(role),
            Err(e) => e,
        },
        Err(e) => e.clone(),
    };
    if let Ok(t) = read_code_table(path)
        && let Some(role) = classify_code_table(&t)
    {
        return Ok(role);
    }
    Err(err)
}

/// The column of a code table whose values are mostly census (GSS) codes
/// (`E00000001`, `W01001600`), judged on its first rows.
pub fn code_column_of(table: &CodeTable) -> Option<usize> {
    (0..table.headers.len()).find(|&c| {
        let vals: Vec<&str> = table.rows.iter().filter_map(|r| r.values.get(c)).map(String::as_str).filter(|v| !v.is_empty()).take(50).collect();
        !vals.is_empty() && vals.iter().filter(|v| geography_of(v).is_some()).count() * 2 > vals.len()
    })
}

/// What a table keyed by census codes is for: a population table when a
/// column is named like residents or it has a single numeric column (a
/// Nomis download: `"2011 output area","2011"`), attributes when it has
/// several numeric columns; `None` without a code column or numbers.
pub fn classify_code_table(table: &CodeTable) -> Option<FileRole> {
    let code = code_column_of(table)?;
    let numeric = table.numeric_columns(code);
    if numeric.is_empty() {
        return None;
    }
    if table.headers.iter().any(|h| POSTCODE_NAMES.iter().any(|p| norm(h) == norm(p))) {
        // Rows by postcode are places (sites, a lookup), not areas.
        return None;
    }
    let residents = population_from(&table.headers).is_some_and(|f| table.find_column(&f).is_some_and(|c| numeric.contains(&c)));
    Some(if residents || numeric.len() == 1 { FileRole::PopulationTable } else { FileRole::Attributes })
}

/// The format of an input table, from its extension or, failing that, its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// A GeoJSON FeatureCollection.
    GeoJson,
    /// A CSV table.
    Csv,
}

/// Decide whether a file is GeoJSON or CSV (`.geojson`/`.json` or `.csv`/`.tsv`/`.txt`, else by content).
pub fn table_format(path: &Path) -> Result<TableFormat, InputError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match ext.as_str() {
        "geojson" | "json" => Ok(TableFormat::GeoJson),
        "csv" | "tsv" | "txt" => Ok(TableFormat::Csv),
        _ => {
            let text = read_text(path)?;
            if text.trim_start().starts_with('{') {
                Ok(TableFormat::GeoJson)
            } else if text.lines().next().is_some_and(|l| l.contains(',') || l.contains(';') || l.contains('\t')) {
                Ok(TableFormat::Csv)
            } else {
                Err(InputError::file(path, format!("cannot tell the format of '.{ext}' files; use a .geojson or .csv file")))
            }
        }
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

// ---------------------------------------------------------------- fields

/// The field names of a GeoJSON file (property names of all features:
/// alphabetical within a feature, then in order of first appearance) or of a
/// CSV file (its column headers, in order).
/// An empty file is an error that says so (not a list of no fields).
pub fn field_names(path: &Path) -> Result<Vec<String>, InputError> {
    match table_format(path)? {
        TableFormat::Csv => {
            let t = csv_table::read_csv_table(path)?;
            if t.rows.is_empty() {
                return Err(InputError::file(path, format!("has a header ({}) but no rows", t.headers.join(", "))));
            }
            Ok(t.headers)
        }
        TableFormat::GeoJson => {
            let raw = geojson::parse_geojson(path)?;
            if raw.features.is_empty() {
                return Err(InputError::file(path, "the file has no features (an empty FeatureCollection)"));
            }
            Ok(property_names(&raw))
        }
    }
}

/// The property names of a parsed GeoJSON file, as [`field_names`] orders them.
fn property_names(raw: &RawFeatureFile) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut names = Vec::new();
    for f in &raw.features {
        for k in f.properties.keys() {
            if seen.insert(k.as_str()) {
                names.push(k.clone());
            }
        }
    }
    names
}

/// Lower case without spaces, underscores or dashes, for comparing field names.
fn norm(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect::<String>().to_ascii_lowercase()
}

/// Census field prefixes of areas larger than a zone or a locality: local
/// authority district (LAD, LTLA, UTLA), county, region (RGN, GOR), country,
/// parliamentary constituency.
pub const LARGER_AREA_PREFIXES: &[&str] = &["LAD", "LTLA", "UTLA", "CTY", "RGN", "GOR", "CTRY", "PCON"];

/// Whether a field name (any case) is a census code or name of a larger area
/// than a zone or locality, such as `LAD11CD`, `LTLA21NM` or `GOR10CD`.
pub fn is_larger_area(field: &str) -> bool {
    let upper = field.to_ascii_uppercase();
    LARGER_AREA_PREFIXES.iter().any(|p| upper.starts_with(p))
}

/// Whether a field name looks like a census field ending in `suffix`
/// (`OA11CD`, `WD13NM`): a year in it, and not a larger area.
fn is_census_field(field: &str, suffix: &str) -> bool {
    let u = field.to_ascii_uppercase();
    u.len() >= 4 && u.ends_with(suffix) && u.chars().any(|c| c.is_ascii_digit()) && !is_larger_area(&u)
}

/// Field names that hold residents, compared with [`norm`], best first.
const POPULATION_NAMES: &[&str] =
    &["population", "pop", "residents", "usualresidents", "allusualresidents", "totalpopulation", "allpersons", "persons", "people", "total"];

/// The field among `names` that identifies each zone (or row): `zone_id`,
/// `id`, `zone` or `code`; else a census code (`OA11CD`, `LSOA11CD`), not
/// that of a larger area; else a name ending in `code` or `_cd` (`ward_code`).
pub fn id_field_from(names: &[String]) -> Option<String> {
    let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    for want in ["zone_id", "id", "zone", "code"] {
        if let Some(i) = lower.iter().position(|n| n == want) {
            return Some(names[i].clone());
        }
    }
    // Census codes (OA11CD, LSOA11CD, WD13CD...), but not the larger areas a
    // zone file often also names (local authority, county, region, country).
    if let Some(n) = names.iter().find(|n| is_census_field(n, "CD")) {
        return Some(n.clone());
    }
    names.iter().zip(&lower).find(|(n, l)| (l.ends_with("code") || l.ends_with("_cd")) && !is_larger_area(n)).map(|(n, _)| n.clone())
}

/// The field among `names` holding residents (`population`, `pop`,
/// `residents`, `total`, `All usual residents`, `usual_residents_2011`...).
pub fn population_from(names: &[String]) -> Option<String> {
    let normed: Vec<String> = names.iter().map(|n| norm(n)).collect();
    POPULATION_NAMES
        .iter()
        .find_map(|want| normed.iter().position(|n| n == want))
        .or_else(|| normed.iter().position(|n| n.starts_with("population") || n.starts_with("allusualresidents") || n.starts_with("usualresidents")))
        .map(|i| names[i].clone())
}

/// The field among `names` holding a locality's name: `name`, `locality`,
/// or a census name such as `WD13NM` (not that of a larger area).
pub fn locality_name_from(names: &[String]) -> Option<String> {
    let normed: Vec<String> = names.iter().map(|n| norm(n)).collect();
    for want in ["name", "locality", "localityname", "wardname", "areaname"] {
        if let Some(i) = normed.iter().position(|n| n == want) {
            return Some(names[i].clone());
        }
    }
    // Census names (WD13NM, LSOA11NM...), but not those of larger areas.
    names.iter().find(|n| is_census_field(n, "NM")).cloned()
}

/// Guesses the zone id field of a GeoJSON or CSV file ([`id_field_from`]);
/// the error names the file and lists its fields.
pub fn guess_zone_id(path: &Path) -> Result<String> {
    let names = field_names(path)?;
    id_field_from(&names)
        .ok_or_else(|| InputError::file(path, format!("cannot tell which field is the zone id; pass --zone-id (fields: {})", names.join(", "))).into())
}

/// Guesses the field holding each zone's residents (`population`, `pop`,
/// `residents`, `total`, `All usual residents`...), if the file has one.
pub fn guess_population(path: &Path) -> Option<String> {
    population_from(&field_names(path).ok()?)
}

/// Guesses the field holding each locality's name (`name`, `locality`, or a
/// census name such as `WD13NM`), if the file has one.
pub fn guess_locality_name(path: &Path) -> Option<String> {
    locality_name_from(&field_names(path).ok()?)
}

// ---------------------------------------------------------------- GeoJSON and CSV

/// Whether a property value is a number (or text that reads as one).
fn is_number(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => parse_number(s).is_some(),
        _ => false,
    }
}

/// What a parsed GeoJSON file is for: points are sites (or zones when they
/// carry residents and no name or kind); polygons are zones when there are
/// [`MANY_FEATURES`] or they carry residents, otherwise localities. Lines or
/// no geometry at all are an error naming the file.
pub fn classify_features(raw: &RawFeatureFile) -> Result<FileRole, InputError> {
    let (mut points, mut polygons, mut lines) = (0usize, 0usize, 0usize);
    for f in &raw.features {
        match f.geometry {
            GeometryIn::Point(_) | GeometryIn::MultiPoint(_) => points += 1,
            GeometryIn::Polygons(_) => polygons += 1,
            GeometryIn::Lines(_) => lines += 1,
            GeometryIn::None => {}
        }
    }
    let names = property_names(raw);
    // A population field counts when most features that have it hold a number there.
    let population = population_from(&names).filter(|field| {
        let vals: Vec<&Value> = raw.features.iter().filter_map(|f| f.properties.get(field)).filter(|v| !v.is_null()).collect();
        !vals.is_empty() && vals.iter().filter(|v| is_number(v)).count() * 2 > vals.len()
    });
    let has = |want: &[&str]| names.iter().any(|n| want.contains(&norm(n).as_str()));
    if points == 0 && polygons == 0 {
        let what = if lines > 0 { format!("{lines} lines") } else { "no geometry".to_string() };
        return Err(InputError::file(
            &raw.path,
            format!(
                "cannot tell what this GeoJSON holds: it has {} features with {what}; accessplan reads zones and localities as polygons and sites as points",
                raw.features.len()
            ),
        ));
    }
    if points > polygons {
        // Points are sites, unless they carry residents and no name or kind (zone centroids).
        return Ok(if population.is_some() && !has(&["name", "kind", "type"]) { FileRole::Zones } else { FileRole::Sites });
    }
    Ok(if polygons >= MANY_FEATURES || population.is_some() { FileRole::Zones } else { FileRole::Localities })
}

/// Column names of patient contacts, as the contacts reader looks for them:
/// zone, service and current site.
const CONTACTS_COLUMNS: [&[&str]; 3] = [&["zone_id", "zone", "origin_zone"], &["service", "service_id"], &["current_site", "site", "site_id"]];

/// What a CSV table is for, from its columns: patient contacts when it has
/// the zone, service and current-site columns; sites when it has a `name`
/// and a postcode column; with coordinates, sites when it has a `name`
/// column, a postcode lookup when it has a postcode column, zones otherwise. Anything else is an error naming
/// the file, saying what was looked for and listing the columns.
pub fn classify_table(table: &CsvTable) -> Result<FileRole, InputError> {
    let col = |names: &[&str]| table.find_column(names);
    if CONTACTS_COLUMNS.iter().all(|names| col(names).is_some()) {
        return Ok(FileRole::Contacts);
    }
    // Named places given by postcode, coordinates or not: sites (placed through a lookup).
    if col(&["name"]).is_some() && col(POSTCODE_NAMES).is_some() {
        return Ok(FileRole::Sites);
    }
    if csv_table::coordinate_columns(table).is_ok() {
        // The sites reader needs a name; unnamed points with a postcode are a
        // postcode lookup; other unnamed points (zone centroids, with or
        // without a population column) are what the zones reader takes.
        return Ok(if col(&["name"]).is_some() {
            FileRole::Sites
        } else if col(POSTCODE_NAMES).is_some() {
            FileRole::Postcodes
        } else {
            FileRole::Zones
        });
    }
    Err(unknown_csv(table))
}

/// Whether a CSV table groups areas into localities: a `locality` column
/// and no coordinates (such a table is named under `[inputs.localities]`,
/// not read on its own).
pub fn is_locality_grouping(table: &CsvTable) -> bool {
    table.find_column(&["locality"]).is_some() && csv_table::coordinate_columns(table).is_err()
}

fn unknown_csv(table: &CsvTable) -> InputError {
    let hint = if is_locality_grouping(table) {
        " It has a 'locality' column, so it may group areas into localities: name it as `grouping` under [inputs.localities] in a scenario file, with the areas' GeoJSON as `areas`."
    } else {
        ""
    };
    InputError::file(
        &table.path,
        format!(
            "cannot tell what this CSV holds. Looked for zone_id (or zone), service and current_site columns (patient contacts), and for lon/lat, x/y or easting/northing columns (sites when it has a name column, zones otherwise); the columns are: {}.{hint}",
            table.headers.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{shared_file, temp_file};
    use std::path::PathBuf;

    fn project(rel: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sniff_classifies_the_newport_files() {
        let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else {
            return;
        };
        let gtfs = shared_file("newport/newport-20230613_gtfs.zip").unwrap();
        let oa = shared_file("newport/boundaries/oa.geojson").unwrap();
        let wards = shared_file("newport/boundaries/wards.geojson").unwrap();
        let lsoa = shared_file("newport/boundaries/lsoa.geojson").unwrap();
        let msoa = shared_file("newport/boundaries/msoa.geojson").unwrap();
        assert_eq!(classify(&pbf).unwrap(), FileRole::Osm);
        assert_eq!(classify(&gtfs).unwrap(), FileRole::Gtfs);
        // 475 output areas with no population field: zones by their number.
        assert_eq!(classify(&oa).unwrap(), FileRole::Zones);
        assert_eq!(guess_zone_id(&oa).unwrap(), "OA11CD", "the local authority code LAD11CD is not the zone id");
        assert_eq!(guess_population(&oa), None);
        // 20 wards: localities, named by WD13NM (not the Welsh WD13NMW).
        assert_eq!(classify(&wards).unwrap(), FileRole::Localities);
        assert_eq!(guess_locality_name(&wards).as_deref(), Some("WD13NM"));
        assert_eq!(classify(&lsoa).unwrap(), FileRole::Zones, "95 LSOAs");
        assert_eq!(classify(&msoa).unwrap(), FileRole::Localities, "20 MSOAs");
    }

    #[test]
    fn sniff_classifies_the_demo_files_and_medway_tables() {
        assert_eq!(classify(&project("maps/demo/zones.geojson")).unwrap(), FileRole::Zones);
        assert_eq!(classify(&project("maps/demo/localities.geojson")).unwrap(), FileRole::Localities);
        assert_eq!(classify(&project("maps/demo/region.osm")).unwrap(), FileRole::Osm);
        assert_eq!(classify(&project("datasets/demo/sites.csv")).unwrap(), FileRole::Sites);
        assert_eq!(classify(&project("datasets/demo/contacts.csv")).unwrap(), FileRole::Contacts);
        assert_eq!(classify(&project("datasets/demo/gtfs")).unwrap(), FileRole::Gtfs);
        assert_eq!(classify(&project("datasets/demo/scenarios/baseline.toml")).unwrap(), FileRole::Scenario);
        let Some(sites) = shared_file("medway/sites.csv") else {
            return;
        };
        assert_eq!(classify(&sites).unwrap(), FileRole::Sites);
        let grouping = shared_file("medway/localities.csv").unwrap();
        let e = classify(&grouping).unwrap_err().to_string();
        assert!(e.contains("localities.csv") && e.contains("grouping"), "{e}");
    }

    #[test]
    fn sniff_explains_a_csv_it_cannot_classify() {
        let p = temp_file("sniff", "budget.csv", "team,cost\nnursing,120\n");
        let e = classify(&p).unwrap_err().to_string();
        assert!(e.contains("budget.csv"), "names the file: {e}");
        assert!(e.contains("zone_id") && e.contains("current_site") && e.contains("lon/lat"), "says what it looked for: {e}");
        assert!(e.contains("team, cost"), "lists the columns: {e}");
        // Population-weighted points without names are zones, not sites.
        // GP practices by postcode alone, with their LSOA and list size: sites, not a census table.
        let gp = temp_file("sniff", "practices.csv", "id,name,postcode,LSOA11CD,list_size\nW93018,Isca Medical Centre,NP18 1AZ,W01001623,9000\n");
        assert_eq!(classify(&gp).unwrap(), FileRole::Sites);
        let z = temp_file("sniff", "centroids.csv", "code,easting,northing,All usual residents\nE1,530000,180000,300\n");
        assert_eq!(classify(&z).unwrap(), FileRole::Zones);
        assert_eq!(guess_population(&z).as_deref(), Some("All usual residents"));
    }

    #[test]
    fn sniff_takes_no_larger_area_for_an_id_or_a_name() {
        for field in ["LAD11CD", "LTLA21CD", "ltla21nm", "UTLA21CD", "GOR10CD", "GOR10NM", "RGN20CD", "CTRY11NM", "PCON17CD", "CTY19NM"] {
            assert!(is_larger_area(field), "{field}");
        }
        for field in ["OA11CD", "LSOA11CD", "MSOA11NM", "WD13NM", "zone_id", "name"] {
            assert!(!is_larger_area(field), "{field}");
        }
        // Alphabetical property order puts the larger areas first.
        let fields = names(&["GOR10CD", "GOR10NM", "LAD11CD", "LTLA21CD", "LTLA21NM", "OA11CD", "WD13NM"]);
        assert_eq!(id_field_from(&fields).as_deref(), Some("OA11CD"));
        assert_eq!(locality_name_from(&fields).as_deref(), Some("WD13NM"));
        assert_eq!(id_field_from(&names(&["GOR10CD", "LTLA21CD"])), None, "only larger areas: no guess");
        assert_eq!(id_field_from(&names(&["ward_code", "ward_name", "locality"])).as_deref(), Some("ward_code"));
        assert_eq!(population_from(&names(&["OA11CD", "usual_residents_2011"])).as_deref(), Some("usual_residents_2011"));
    }

    /// A real boundary file with `extra` census fields of larger areas added
    /// to every feature, written to a temporary file.
    fn with_larger_areas(real: &Path, name: &str, extra: &[(&str, &str)]) -> PathBuf {
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(real).unwrap()).unwrap();
        for f in v["features"].as_array_mut().unwrap() {
            let props = f["properties"].as_object_mut().unwrap();
            for (k, val) in extra {
                props.insert(k.to_string(), Value::from(*val));
            }
        }
        temp_file("sniff", name, &v.to_string())
    }

    #[test]
    fn sniff_skips_ltla_and_gor_fields_of_real_boundaries() {
        let Some(oa) = shared_file("newport/boundaries/oa.geojson") else {
            return;
        };
        let wards = shared_file("newport/boundaries/wards.geojson").unwrap();
        // Newport's output areas and wards, with the local authority and
        // region codes and names a download from the ONS often carries; they
        // sort before OA11CD and WD13NM.
        let extra = [("GOR10CD", "W99999999"), ("GOR10NM", "Wales"), ("LTLA21CD", "W06000022"), ("LTLA21NM", "Newport")];
        let oa = with_larger_areas(&oa, "oa-ltla-gor.geojson", &extra);
        let wards = with_larger_areas(&wards, "wards-ltla-gor.geojson", &extra);
        assert_eq!(&field_names(&oa).unwrap()[..2], names(&["GOR10CD", "GOR10NM"]), "the larger areas come first");
        assert_eq!(classify(&oa).unwrap(), FileRole::Zones, "475 output areas");
        assert_eq!(guess_zone_id(&oa).unwrap(), "OA11CD", "not the region GOR10CD nor the authority LTLA21CD");
        assert_eq!(classify(&wards).unwrap(), FileRole::Localities, "20 wards");
        assert_eq!(guess_locality_name(&wards).as_deref(), Some("WD13NM"), "not the region GOR10NM nor the authority LTLA21NM");
        assert_eq!(guess_zone_id(&wards).unwrap(), "WD13CD");
    }

    #[test]
    fn sniff_and_inspect_agree_on_the_real_files() {
        use crate::input::inspect::inspect_table_or_geojson;
        use FileRole::{Attributes, Localities, PopulationTable, Postcodes, Sites, Zones};
        // (file, the role both must give; None: neither can tell, the table is read with others).
        let expected: &[(&str, Option<FileRole>)] = &[
            ("newport/boundaries/oa.geojson", Some(Zones)),
            ("newport/boundaries/lsoa.geojson", Some(Zones)),
            ("newport/boundaries/msoa.geojson", Some(Localities)),
            ("newport/boundaries/wards.geojson", Some(Localities)),
            ("medway/boundaries/oa.geojson", Some(Zones)),
            ("medway/boundaries/wards.geojson", Some(Localities)),
            ("medway/sites.csv", Some(Sites)),
            ("medway/nhs_clinics.csv", Some(Sites)),
            ("medway/gp_practices.csv", Some(Sites)),
            ("newport/gp_practices.csv", Some(Sites)),
            // Postcode centroids: coordinates and a postcode column, no name.
            ("newport/postcodes_NP.csv", Some(Postcodes)),
            ("medway/postcodes_ME.csv", Some(Postcodes)),
            ("medway/localities.csv", None),
            // Tables by census code: residents (one numeric column, or one named so), or attributes.
            ("newport/population/oa11_usual_residents_2011.csv", Some(PopulationTable)),
            ("medway/population/lsoa11_usual_residents_2021.csv", Some(PopulationTable)),
            ("census/lsoa21_usual_residents_by_age_2021_ew.csv", Some(PopulationTable)),
            ("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv", Some(PopulationTable)),
            ("medway/deprivation/imd2019_lsoa11.csv", Some(Attributes)),
            ("newport/deprivation/wimd2019_lsoa11.csv", Some(Attributes)),
            ("medway/car_availability_msoa11_2011.csv", Some(Attributes)),
        ];
        for (rel, want) in expected {
            let Some(path) = shared_file(rel) else {
                return;
            };
            let sniffed = classify(&path).ok();
            let report = inspect_table_or_geojson(&path).unwrap();
            assert_eq!(sniffed, *want, "{rel}: the sniffer");
            assert_eq!(report.role, sniffed, "{rel}: inspect and the sniffer disagree\n{report}");
        }
        // The fields inspect reports are the ones the New-study form and `matrix` take.
        let oa = shared_file("newport/boundaries/oa.geojson").unwrap();
        let r = inspect_table_or_geojson(&oa).unwrap();
        assert!(r.lines.contains(&"fields guessed: zone id OA11CD, population none (zones weighted equally)".to_string()), "{r}");
        let wards = shared_file("medway/boundaries/wards.geojson").unwrap();
        let r = inspect_table_or_geojson(&wards).unwrap();
        assert!(r.lines.contains(&"fields guessed: name WD13NM".to_string()), "{r}");
        // A population table: its id and residents are found.
        let pop = shared_file("newport/population/oa11_usual_residents_2011.csv").unwrap();
        let r = inspect_table_or_geojson(&pop).unwrap();
        assert!(r.lines.contains(&"identifier column: OA11CD".to_string()), "{r}");
        assert_eq!(guess_population(&pop).as_deref(), Some("usual_residents_2011"));
        // The Nomis download: title and footnote lines skipped, output area codes.
        let nomis = shared_file("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv").unwrap();
        let r = inspect_table_or_geojson(&nomis).unwrap();
        assert!(r.lines.contains(&"skipped 6 title line(s) and 4 footnote line(s) around the table (header on line 9)".to_string()), "{r}");
        assert!(r.lines.contains(&"identifier column: 2011 output area (output area codes (E00...))".to_string()), "{r}");
        // The postcode lookup: its postcodes are the identifiers.
        let pc = shared_file("newport/postcodes_NP.csv").unwrap();
        let r = inspect_table_or_geojson(&pc).unwrap();
        assert!(r.lines.contains(&"identifier column: postcode".to_string()) && r.lines.contains(&"looks like: a postcode lookup".to_string()), "{r}");
        // The grouping table: inspect says what it is; the sniffer's error says where it goes.
        let grouping = shared_file("medway/localities.csv").unwrap();
        let r = inspect_table_or_geojson(&grouping).unwrap();
        assert!(r.lines.iter().any(|l| l.starts_with("looks like: locality grouping")) && r.problems.is_empty(), "{r}");
        assert!(r.lines.contains(&"identifier column: ward_code".to_string()), "{r}");
        // OSM and GTFS: the sniffer knows them; inspect leaves them to their own readers.
        for (rel, role, reader) in [("newport/newport-2023-06-13.osm.pbf", FileRole::Osm, "OSM"), ("newport/newport-20230613_gtfs.zip", FileRole::Gtfs, "GTFS")]
        {
            let path = shared_file(rel).unwrap();
            assert_eq!(classify(&path).unwrap(), role, "{rel}");
            let e = inspect_table_or_geojson(&path).unwrap_err();
            assert!(e.message.contains(reader), "{rel}: {e}");
        }
    }
}
