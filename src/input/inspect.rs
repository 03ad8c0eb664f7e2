//! A quick look at an input file before using it: what it holds, which
//! fields it has, which coordinate system it is in and what is wrong with
//! it. Planners run this on a file someone sent them; it reports problems
//! as a list instead of stopping at the first.
//!
//! GeoJSON and CSV are handled here. OSM and GTFS files are inspected by
//! their own modules: [`inspect_table_or_geojson`] refuses them with an
//! error saying so, and the caller dispatches on the extension first. What
//! a file looks like it is for, and which fields hold its id, population or
//! name, come from [`crate::input::sniff`], so `inspect` says what the
//! New-study form and the `matrix` command will make of the same file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::error::{InputError, Location};
use crate::geom::{Extent, LonLat};
use crate::input::crs::{self, CoordFields, Crs, CrsChoice, RawCoord};
use crate::input::csv_table;
use crate::input::geojson::{self, GeometryIn};
use crate::input::sniff::{self, FileRole, TableFormat};
use crate::input::text::parse_number;

/// How many examples of one kind of problem a report lists.
const EXAMPLES: usize = 5;

/// What inspecting a file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectReport {
    /// What the file is (`GeoJSON FeatureCollection`, `CSV table`).
    pub kind: String,
    /// What it is for, as [`sniff`] tells it (`None` when it cannot tell).
    pub role: Option<FileRole>,
    /// Facts about it, one per line (counts, fields, coordinate system, extent).
    pub lines: Vec<String>,
    /// Problems found, one per line; empty when none.
    pub problems: Vec<String>,
}

impl std::fmt::Display for InspectReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.kind)?;
        for l in &self.lines {
            writeln!(f, "  {l}")?;
        }
        if self.problems.is_empty() {
            write!(f, "  no problems found")
        } else {
            write!(f, "  problems:")?;
            for p in &self.problems {
                write!(f, "\n    - {p}")?;
            }
            Ok(())
        }
    }
}

/// File extensions inspected elsewhere (OSM extracts, GTFS feeds).
const OTHER_FORMATS: &[(&str, &str)] = &[("pbf", "an OSM extract"), ("osm", "an OSM extract"), ("zip", "a GTFS feed")];

/// Inspect a GeoJSON or CSV file. OSM and GTFS files are refused with an
/// error (hook: the caller inspects those with their own modules).
pub fn inspect_table_or_geojson(path: &Path) -> Result<InspectReport, InputError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if let Some((_, what)) = OTHER_FORMATS.iter().find(|(e, _)| *e == ext) {
        return Err(InputError::file(path, format!("this looks like {what}; it is inspected by the OSM/GTFS readers, not as a table")));
    }
    match sniff::table_format(path)? {
        TableFormat::GeoJson => inspect_geojson(path),
        TableFormat::Csv => inspect_csv(path),
    }
}

fn extent_line(crs: Crs, raw: Option<[f64; 4]>, wgs: Option<Extent>) -> Option<String> {
    match (crs, raw, wgs) {
        (Crs::BritishNationalGrid, Some(r), Some(w)) => {
            Some(format!("extent: easting {:.0}..{:.0}, northing {:.0}..{:.0} m; in WGS84 {w}", r[0], r[2], r[1], r[3]))
        }
        (_, _, Some(w)) => Some(format!("extent: {w}")),
        _ => None,
    }
}

fn examples(items: &[String]) -> String {
    if items.len() <= EXAMPLES { items.join(", ") } else { format!("{}, ... ({} in all)", items[..EXAMPLES].join(", "), items.len()) }
}

fn inspect_geojson(path: &Path) -> Result<InspectReport, InputError> {
    let raw = geojson::parse_geojson(path)?;
    let n = raw.features.len();
    let mut lines = Vec::new();
    let mut problems = Vec::new();

    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &raw.features {
        *by_type.entry(f.geometry_type.as_str()).or_default() += 1;
    }
    let types: Vec<String> = by_type.iter().map(|(t, c)| format!("{c} {t}")).collect();
    lines.push(format!("{n} features: {}", if types.is_empty() { "none".to_string() } else { types.join(", ") }));

    // Properties (alphabetical within a feature, new ones appended), with how many features have them and how many distinct values.
    let mut order: Vec<&str> = Vec::new();
    let mut present: HashMap<&str, usize> = HashMap::new();
    let mut values: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut kinds: HashMap<&str, HashSet<&'static str>> = HashMap::new();
    for f in &raw.features {
        for (k, v) in &f.properties {
            if !present.contains_key(k.as_str()) {
                order.push(k);
            }
            *present.entry(k).or_default() += 1;
            if let Some(t) = geojson::value_as_text(v) {
                values.entry(k).or_default().insert(t);
            }
            kinds.entry(k).or_default().insert(match v {
                Value::Null => "null",
                Value::Number(_) => "number",
                Value::String(_) => "text",
                _ => "other",
            });
        }
    }
    if order.is_empty() {
        lines.push("properties: none".into());
    } else {
        lines.push("properties:".into());
        for k in &order {
            let distinct = values.get(k).map_or(0, HashSet::len);
            let mut ks: Vec<&str> = kinds.get(k).map(|s| s.iter().copied().collect()).unwrap_or_default();
            ks.sort_unstable();
            let unique = if distinct == n && n > 1 { ", unique: can serve as an id" } else { "" };
            lines.push(format!("  {k} ({}; {distinct} distinct value{}{unique})", ks.join("/"), if distinct == 1 { "" } else { "s" }));
            let have = present.get(k).copied().unwrap_or(0);
            if have < n {
                problems.push(format!("property '{k}' is missing from {} of {n} features", n - have));
            }
        }
    }

    let no_geometry: Vec<String> = raw.features.iter().filter(|f| f.geometry == GeometryIn::None).map(|f| Location::Feature(f.index).to_string()).collect();
    if !no_geometry.is_empty() {
        problems.push(format!("{} feature(s) have no geometry: {}", no_geometry.len(), examples(&no_geometry)));
    }

    let role = match sniff::classify_features(&raw) {
        Ok(role) => {
            lines.push(format!("looks like: {}", looks_like(role)));
            let names: Vec<String> = order.iter().map(|k| k.to_string()).collect();
            lines.extend(guessed_fields(role, &names));
            Some(role)
        }
        Err(e) => {
            lines.push("looks like: nothing accessplan reads on its own".into());
            problems.push(e.message);
            None
        }
    };

    let declared = match raw.declared_crs() {
        Ok(d) => d,
        Err(e) => {
            problems.push(e.message);
            None
        }
    };
    let raw_extent = raw.raw_extent();
    match raw.into_wgs84(CrsChoice::Auto) {
        Ok(ff) => {
            let how = if declared.is_some() { "declared in the file" } else { "detected from the coordinate values (no crs member)" };
            lines.push(format!("coordinate system: {}, {how}", ff.crs));
            let wgs = Extent::of(ff.features.iter().flat_map(|f| f.geometry.points()));
            lines.extend(extent_line(ff.crs, raw_extent, wgs));
        }
        Err(e) => {
            lines.push("coordinate system: unknown".into());
            if let Some(r) = raw_extent {
                lines.push(format!("extent as written: x {}..{}, y {}..{}", r[0], r[2], r[1], r[3]));
            }
            problems.push(format!("{}: {}", e.location, e.message));
        }
    }
    Ok(InspectReport { kind: "GeoJSON FeatureCollection".into(), role, lines, problems })
}

/// What a report says a file looks like, for each role.
fn looks_like(role: FileRole) -> &'static str {
    match role {
        FileRole::Sites => "sites (id, name, coordinates)",
        FileRole::Zones => "zones (areas or points with an id, population optional)",
        FileRole::Localities => "localities (a few named areas)",
        FileRole::Contacts => "patient contacts (zone, service, current site)",
        other => other.describe(),
    }
}

/// The fields the New-study form and the `matrix` command would take, as a report line.
fn guessed_fields(role: FileRole, names: &[String]) -> Option<String> {
    let or_none = |f: Option<String>, none: &str| f.unwrap_or_else(|| none.to_string());
    match role {
        FileRole::Zones => Some(format!(
            "fields guessed: zone id {}, population {}",
            or_none(sniff::id_field_from(names), "unknown"),
            or_none(sniff::population_from(names), "none (zones weighted equally)")
        )),
        FileRole::Localities => Some(format!("fields guessed: name {}", or_none(sniff::locality_name_from(names), "unknown"))),
        _ => None,
    }
}

fn inspect_csv(path: &Path) -> Result<InspectReport, InputError> {
    let t = match csv_table::read_csv_table(path) {
        Ok(t) => t,
        // A census download (title lines before the header) is a table by area code.
        Err(e) => return inspect_code_table(path).ok_or(e),
    };
    let mut lines = vec![format!("columns: {}", t.headers.join(", ")), format!("rows: {}", t.rows.len())];
    let mut problems = Vec::new();
    if t.rows.is_empty() {
        problems.push("the file has a header but no data rows".into());
    }
    let coords = csv_table::coordinate_columns(&t).ok();
    let role = sniff::classify_csv(path).ok();
    let grouping = sniff::is_locality_grouping(&t);
    lines.push(format!(
        "looks like: {}",
        match role {
            Some(r) => looks_like(r),
            None if grouping => "locality grouping (area code -> locality)",
            None => "an unknown table (no coordinate columns, and not patient contacts or a locality grouping)",
        }
    ));
    if let Some(r) = role {
        lines.extend(guessed_fields(r, &t.headers));
    }

    let mut blank_headers = Vec::new();
    let mut header_seen = HashSet::new();
    for (i, h) in t.headers.iter().enumerate() {
        if h.is_empty() {
            blank_headers.push(format!("column {}", i + 1));
        } else if !header_seen.insert(h.to_ascii_lowercase()) {
            problems.push(format!("column '{h}' appears more than once"));
        }
    }
    if !blank_headers.is_empty() {
        problems.push(format!("column(s) without a name: {}", blank_headers.join(", ")));
    }

    // Identifiers, as the sniffer guesses them; contacts have none (many rows per zone).
    let id_col = match role {
        Some(FileRole::Contacts) => None,
        Some(FileRole::Postcodes) => t.find_column(crate::input::postcodes::POSTCODE_NAMES),
        _ => sniff::id_field_from(&t.headers).and_then(|f| t.headers.iter().position(|h| *h == f)),
    };
    if let Some(c) = id_col {
        lines.push(format!("identifier column: {}", t.header(c)));
        let blank: Vec<String> = t.rows.iter().filter(|r| t.value(r, c).is_empty()).map(|r| format!("line {}", r.line)).collect();
        if !blank.is_empty() {
            problems.push(format!("{} row(s) have a blank {}: {}", blank.len(), t.header(c), examples(&blank)));
        }
        let dups = crate::input::duplicates(t.rows.iter().filter(|r| !t.value(r, c).is_empty()).map(|r| (t.value(r, c), Location::Line(r.line))));
        for (id, locs) in dups.iter().take(EXAMPLES) {
            let at: Vec<String> = locs.iter().map(ToString::to_string).collect();
            problems.push(format!("{} '{id}' appears more than once ({})", t.header(c), at.join(", ")));
        }
        if dups.len() > EXAMPLES {
            problems.push(format!("... {} duplicated {} values in all", dups.len(), t.header(c)));
        }
    }

    if let Some(cc) = coords {
        lines.push(format!("coordinate columns: {}, {}", t.header(cc.x), t.header(cc.y)));
        let mut bad = Vec::new();
        let mut raw = Vec::new();
        for r in &t.rows {
            let x = parse_number(t.value(r, cc.x));
            let y = parse_number(t.value(r, cc.y));
            for (v, c) in [(x, cc.x), (y, cc.y)] {
                if v.is_none() {
                    bad.push(format!("line {} {} '{}'", r.line, t.header(c), t.value(r, c)));
                }
            }
            if let (Some(x), Some(y)) = (x, y) {
                raw.push(RawCoord { location: Location::Line(r.line), x, y });
            }
        }
        if !bad.is_empty() {
            problems.push(format!("{} coordinate value(s) are blank or not numbers: {}", bad.len(), examples(&bad)));
        }
        let fields = CoordFields { x: t.header(cc.x), y: t.header(cc.y) };
        match crs::resolve_crs(path, CrsChoice::Auto, cc.hint, &raw, fields) {
            Ok(c) => {
                let how = if cc.hint.is_some() { "from the column names" } else { "from the values" };
                lines.push(format!("coordinate system: {c}, {how}"));
                if let Ok(conv) = crs::ToWgs84::new(c) {
                    let pts: Vec<LonLat> = raw.iter().filter_map(|r| conv.convert(r.x, r.y)).collect();
                    let rx = Extent::of(raw.iter().map(|r| LonLat::new(r.x, r.y))).map(|e| [e.min.lon, e.min.lat, e.max.lon, e.max.lat]);
                    lines.extend(extent_line(c, rx, Extent::of(pts)));
                }
            }
            Err(e) => problems.push(format!("{}, {}: {}", e.location, e.field.unwrap_or_default(), e.message)),
        }
    } else if !t.rows.is_empty() && role.is_none() && !grouping {
        problems.push("no coordinate columns (lon/lat, easting/northing or x/y)".into());
    }
    Ok(InspectReport { kind: "CSV table".into(), role, lines, problems })
}

/// A CSV the plain reader refuses but the code-table reader takes (title
/// and footnote lines around the table), as the sniffer sees it; `None` when
/// it is no table by area code.
fn inspect_code_table(path: &Path) -> Option<InspectReport> {
    let t = crate::input::code_table::read_code_table(path).ok()?;
    let role = sniff::classify_code_table(&t)?;
    let mut lines = vec![
        format!("columns: {}", t.headers.join(", ")),
        format!("rows: {}", t.rows.len()),
        format!("skipped {} title line(s) and {} footnote line(s) around the table (header on line {})", t.title_lines, t.footnote_lines, t.header_line),
        format!("looks like: {}", looks_like(role)),
    ];
    if let Some(c) = sniff::code_column_of(&t) {
        let codes = crate::input::code_table::describe_codes(t.rows.iter().filter_map(|r| r.values.get(c)).map(String::as_str));
        lines.push(format!("identifier column: {} ({codes})", t.headers[c]));
    }
    Some(InspectReport { kind: "CSV table".into(), role: Some(role), lines, problems: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, text: &str) -> std::path::PathBuf {
        crate::testdata::temp_file("inspect", name, text)
    }

    #[test]
    fn csv_problems_are_listed_not_fatal() {
        let p = temp("sites.csv", "id,name,lon,lat,status\na,A,-3,51.5,existing\n,B,abc,51.6,planned\na,C,-3.1,51.7,existing\n");
        let r = inspect_table_or_geojson(&p).unwrap();
        assert!(r.lines.contains(&"rows: 3".to_string()), "{r}");
        assert!(r.lines.iter().any(|l| l.contains("looks like: sites")), "{r}");
        assert!(r.problems.iter().any(|p| p.contains("blank id: line 3")), "{r}");
        assert!(r.problems.iter().any(|p| p.contains("'a' appears more than once (line 2, line 4)")), "{r}");
        assert!(r.problems.iter().any(|p| p.contains("line 3 lon 'abc'")), "{r}");
    }

    #[test]
    fn inspect_reads_the_demo_files_as_the_sniffer_does() {
        let project = |rel: &str| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
        // Contacts: many rows per zone, so no identifier to check, and no coordinates needed.
        let r = inspect_table_or_geojson(&project("datasets/demo/contacts.csv")).unwrap();
        assert_eq!(r.role, Some(FileRole::Contacts), "{r}");
        assert!(r.lines.contains(&"looks like: patient contacts (zone, service, current site)".to_string()), "{r}");
        assert!(r.problems.is_empty(), "{r}");
        let r = inspect_table_or_geojson(&project("maps/demo/zones.geojson")).unwrap();
        assert_eq!(r.role, Some(FileRole::Zones), "{r}");
        assert!(r.lines.contains(&"fields guessed: zone id zone_id, population population".to_string()), "{r}");
        let r = inspect_table_or_geojson(&project("maps/demo/localities.geojson")).unwrap();
        assert_eq!(r.role, Some(FileRole::Localities), "{r}");
        assert!(r.lines.contains(&"fields guessed: name name".to_string()), "{r}");
    }

    #[test]
    fn other_formats_are_refused() {
        let e = inspect_table_or_geojson(Path::new("x.osm.pbf")).unwrap_err();
        assert!(e.message.contains("OSM"), "{e}");
    }
}
