//! Joining tables keyed by area code to the zones: census population, and
//! numeric attributes such as age bands, deprivation or car availability.
//!
//! A table of the zones' own geography joins by code. A table of a larger
//! geography (LSOA, MSOA) reaches each zone through the area polygon that
//! contains the zone's point: every zone in an area gets the area's value,
//! as is (so rates, shares, ranks and deciles carry over; a count would not,
//! and population must be given at the zones' own geography).
//!
//! Each join returns a [`JoinNote`] saying what was read, what was skipped
//! around the table, how many zones got a value, which did not, and the
//! total joined; zones without a value are listed, never dropped.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{InputError, Location, Warning};
use crate::geom::LonLat;
use crate::input::code_table::{CodeTable, read_code_table};
use crate::input::crs::CrsChoice;
use crate::input::geojson::{GeometryIn, read_feature_collection};
use crate::input::localities::ring_contains;
use crate::input::zones::list;
use crate::model::Zone;

/// A table to join to the zones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableJoin {
    /// The table (CSV, a census download as it comes).
    pub table: PathBuf,
    /// The column holding area codes; found by matching values when `None`.
    pub code_column: Option<String>,
    /// The value columns: for population the one column (found when empty);
    /// for attributes, the columns to join (every numeric one when empty).
    pub columns: Vec<String>,
    /// The areas the table's codes name, when they are larger than the zones.
    pub areas: Option<AreasRef>,
}

/// A file of area polygons and the property holding each area's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreasRef {
    /// GeoJSON of the areas (e.g. LSOAs).
    pub path: PathBuf,
    /// The property holding the area code (e.g. `LSOA11CD`).
    pub id_field: String,
}

/// What a join did, for the load report.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinNote {
    /// The table joined.
    pub table: PathBuf,
    /// The code column used.
    pub code_column: String,
    /// The value columns joined.
    pub columns: Vec<String>,
    /// The areas file the values came through, if not the zones' own codes.
    pub via: Option<PathBuf>,
    /// Title lines skipped before the table's header.
    pub title_lines: usize,
    /// Footnote lines skipped after the table.
    pub footnote_lines: usize,
    /// Data rows in the table.
    pub rows: usize,
    /// Rows whose code is not one of the zones (or areas): other places in a national file.
    pub rows_unused: usize,
    /// Zones in all.
    pub zones: usize,
    /// Zones without a value, by id.
    pub zones_without: Vec<String>,
    /// Per column, the sum over the zones that got a value.
    pub totals: Vec<f64>,
}

impl JoinNote {
    /// Zones that got a value.
    pub fn matched(&self) -> usize {
        self.zones - self.zones_without.len()
    }
}

impl std::fmt::Display for JoinNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.table.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        write!(f, "{name}: {} of {} zones joined by '{}'", self.matched(), self.zones, self.code_column)?;
        if let Some(v) = &self.via {
            write!(f, " through the areas of {}", v.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())?;
        }
        // Totals add up counts of the zones' own geography; values of larger
        // areas are repeated in each zone they contain, so only their names are given.
        let mut cols: Vec<String> = match self.via {
            None => self.columns.iter().zip(&self.totals).map(|(c, t)| format!("'{c}' (total {})", group_thousands(*t))).collect(),
            Some(_) => self.columns.iter().map(|c| format!("'{c}'")).collect(),
        };
        if cols.len() > 6 {
            let more = cols.len() - 5;
            cols.truncate(5);
            cols.push(format!("and {more} more columns"));
        }
        write!(f, "; {}", cols.join(", "))?;
        if self.title_lines + self.footnote_lines > 0 {
            write!(f, "; skipped {} title line(s) and {} footnote line(s)", self.title_lines, self.footnote_lines)?;
        }
        if self.rows_unused > 0 {
            write!(f, "; {} of {} rows are for other areas", group_thousands(self.rows_unused as f64), group_thousands(self.rows as f64))?;
        }
        if !self.zones_without.is_empty() {
            write!(f, "; no value for {}", list(&self.zones_without))?;
        }
        Ok(())
    }
}

/// `145736.0` as `145,736` (rounded to a whole number).
pub fn group_thousands(x: f64) -> String {
    let digits = format!("{}", x.round().abs() as u64);
    let mut out = String::from(if x.round() < 0.0 { "-" } else { "" });
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Names of value columns that probably hold all residents.
const RESIDENT_HINTS: &[&str] = &["population", "usual_residents", "all usual residents", "residents", "all_persons", "persons", "total", "all"];

/// Sets each zone's population from a table keyed by the zones' codes.
/// Zones the table does not cover count as 0 residents and are listed in a warning.
pub fn join_population(zones: &mut [Zone], join: &TableJoin) -> Result<(JoinNote, Vec<Warning>), InputError> {
    let table = read_code_table(&join.table)?;
    if let Some(a) = &join.areas {
        return Err(InputError::file(
            &join.table,
            format!(
                "population cannot come through larger areas ({}): each zone needs its own residents; give a table of the zones' geography",
                a.path.display()
            ),
        ));
    }
    let ids: HashSet<&str> = zones.iter().map(|z| z.id.as_str()).collect();
    let code = table.code_column(join.code_column.as_deref(), &ids, "zones")?;
    let col = population_column(&table, code, &join.columns)?;
    let (values, unused) = table.values_by_code(code, &[col], &ids)?;
    for (c, v) in &values {
        if v[0] < 0.0 {
            return Err(InputError::at(
                &table.path,
                Location::Record(c.clone()),
                Some(table.headers[col].as_str()),
                format!("population {} is negative", v[0]),
            ));
        }
    }
    let mut without = Vec::new();
    let mut total = 0.0;
    for z in zones.iter_mut() {
        match values.get(&z.id) {
            Some(v) => {
                z.population = v[0];
                total += v[0];
            }
            None => {
                z.population = 0.0;
                without.push(z.id.clone());
            }
        }
    }
    let note = note(&table, code, vec![col], None, unused, zones.len(), without, vec![total]);
    let mut warnings = Vec::new();
    if !note.zones_without.is_empty() {
        warnings.push(Warning {
            file: join.table.clone(),
            location: Location::File,
            message: format!(
                "{} of {} zones have no row in the population table and count as 0 residents: {}",
                note.zones_without.len(),
                note.zones,
                list(&note.zones_without)
            ),
        });
    }
    Ok((note, warnings))
}

fn population_column(table: &CodeTable, code: usize, named: &[String]) -> Result<usize, InputError> {
    if let Some(n) = named.first() {
        return table.require_column(n);
    }
    let numeric = table.numeric_columns(code);
    if numeric.len() == 1 {
        return Ok(numeric[0]);
    }
    let norm = |s: &str| s.to_ascii_lowercase().replace(['_', '-'], " ");
    for hint in RESIDENT_HINTS {
        if let Some(&c) = numeric.iter().find(|&&c| norm(&table.headers[c]).contains(&norm(hint))) {
            return Ok(c);
        }
    }
    let names: Vec<&str> = numeric.iter().map(|&c| table.headers[c].as_str()).collect();
    Err(InputError::at(
        &table.path,
        Location::Line(table.header_line),
        None,
        if names.is_empty() {
            "the table has no column of numbers to take as population".to_string()
        } else {
            format!("cannot tell which column holds residents (numeric columns: {}); name it (--population-field)", names.join(", "))
        },
    ))
}

#[allow(clippy::too_many_arguments)]
fn note(
    table: &CodeTable,
    code: usize,
    cols: Vec<usize>,
    via: Option<PathBuf>,
    unused: usize,
    zones: usize,
    without: Vec<String>,
    totals: Vec<f64>,
) -> JoinNote {
    JoinNote {
        table: table.path.clone(),
        code_column: table.headers[code].clone(),
        columns: cols.iter().map(|&c| table.headers[c].clone()).collect(),
        via,
        title_lines: table.title_lines,
        footnote_lines: table.footnote_lines,
        rows: table.rows.len(),
        rows_unused: unused,
        zones,
        zones_without: without,
        totals,
    }
}

/// Adds numeric attributes to each zone's weights (by column name), from a
/// table of the zones' codes or, through `join.areas`, of larger areas.
/// A name the zone already has is kept and the new one prefixed with the
/// table's file name (said in a warning).
pub fn join_attributes(zones: &mut [Zone], join: &TableJoin, crs: CrsChoice) -> Result<(JoinNote, Vec<Warning>), InputError> {
    let table = read_code_table(&join.table)?;
    let mut warnings = Vec::new();
    // The code each zone is known by in this table.
    let (zone_codes, ids_owned, what): (Vec<Option<String>>, Vec<String>, &str) = match &join.areas {
        None => (zones.iter().map(|z| Some(z.id.clone())).collect(), zones.iter().map(|z| z.id.clone()).collect(), "zones"),
        Some(a) => {
            let areas = load_areas(a, crs)?;
            let codes: Vec<Option<String>> = zones.iter().map(|z| area_of(z.point, &areas).map(|i| areas[i].0.clone())).collect();
            let outside: Vec<String> = zones.iter().zip(&codes).filter(|(_, c)| c.is_none()).map(|(z, _)| z.id.clone()).collect();
            if !outside.is_empty() {
                warnings.push(Warning {
                    file: a.path.clone(),
                    location: Location::File,
                    message: format!(
                        "{} of {} zones lie in none of these areas and get no value from {}: {}",
                        outside.len(),
                        zones.len(),
                        join.table.display(),
                        list(&outside)
                    ),
                });
            }
            (codes, areas.into_iter().map(|(id, _)| id).collect(), "areas")
        }
    };
    let ids: HashSet<&str> = ids_owned.iter().map(String::as_str).collect();
    let code = table.code_column(join.code_column.as_deref(), &ids, what)?;
    let cols: Vec<usize> = if join.columns.is_empty() {
        let n = table.numeric_columns(code);
        if n.is_empty() {
            return Err(InputError::at(&table.path, Location::Line(table.header_line), None, "the table has no column of numbers to join"));
        }
        n
    } else {
        join.columns.iter().map(|c| table.require_column(c)).collect::<Result<_, _>>()?
    };
    let (values, unused) = table.values_by_code(code, &cols, &ids)?;
    let stem = join.table.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut renamed = HashSet::new();
    let mut without = Vec::new();
    let mut totals = vec![0.0; cols.len()];
    for (z, c) in zones.iter_mut().zip(&zone_codes) {
        let Some(v) = c.as_ref().and_then(|c| values.get(c)) else {
            without.push(z.id.clone());
            continue;
        };
        for ((&col, x), t) in cols.iter().zip(v).zip(&mut totals) {
            let mut name = table.headers[col].clone();
            if z.weights.contains_key(&name) {
                renamed.insert(name.clone());
                name = format!("{stem}:{name}");
            }
            z.weights.insert(name, *x);
            *t += x;
        }
    }
    if !renamed.is_empty() {
        let mut r: Vec<String> = renamed.into_iter().collect();
        r.sort();
        warnings.push(Warning {
            file: join.table.clone(),
            location: Location::Line(table.header_line),
            message: format!("the zones already have {}; the joined values are named '{stem}:...'", r.join(", ")),
        });
    }
    if !without.is_empty() && join.areas.is_none() {
        warnings.push(Warning {
            file: join.table.clone(),
            location: Location::File,
            message: format!("{} of {} zones have no row in this table and no value for its columns: {}", without.len(), zones.len(), list(&without)),
        });
    }
    let via = join.areas.as_ref().map(|a| a.path.clone());
    Ok((note(&table, code, cols, via, unused, zones.len(), without, totals), warnings))
}

/// Area polygons by code: outer rings with their holes.
type Areas = Vec<(String, Vec<(Vec<LonLat>, Vec<Vec<LonLat>>)>)>;

fn load_areas(a: &AreasRef, crs: CrsChoice) -> Result<Areas, InputError> {
    let feats = read_feature_collection(&a.path, crs)?;
    if feats.is_empty() {
        return Err(InputError::file(&a.path, "the file has no features"));
    }
    let mut out = Vec::with_capacity(feats.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in &feats {
        let id = f.str_property(&a.path, &a.id_field)?;
        if let Some(first) = seen.insert(id.clone(), f.index) {
            return Err(InputError::at(
                &a.path,
                Location::Feature(f.index),
                Some(&a.id_field),
                format!("area '{id}' appears twice (features {first} and {})", f.index),
            ));
        }
        let polys = match &f.geometry {
            GeometryIn::Polygons(ps) => ps.iter().map(|p| (p.outer.clone(), p.holes.clone())).collect(),
            _ => {
                return Err(InputError::at(
                    &a.path,
                    Location::Feature(f.index),
                    Some("geometry"),
                    format!("area '{id}' is a {}; areas must be polygons", f.geometry_type),
                ));
            }
        };
        out.push((id, polys));
    }
    Ok(out)
}

/// The area containing a point (the first one, if areas overlap).
fn area_of(p: LonLat, areas: &Areas) -> Option<usize> {
    areas.iter().position(|(_, polys)| polys.iter().any(|(outer, holes)| ring_contains(outer, p) && !holes.iter().any(|h| ring_contains(h, p))))
}

/// The code of the area of `a` holding each zone's point (`None` outside
/// every area): how a table of larger areas reaches the zones.
pub fn zone_area_codes(zones: &[Zone], a: &AreasRef, crs: CrsChoice) -> Result<Vec<Option<String>>, InputError> {
    let areas = load_areas(a, crs)?;
    Ok(zones.iter().map(|z| area_of(z.point, &areas).map(|i| areas[i].0.clone())).collect())
}

/// A join for `path` with everything found automatically.
pub fn table(path: &Path) -> TableJoin {
    TableJoin { table: path.to_path_buf(), code_column: None, columns: Vec::new(), areas: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(145736.0), "145,736");
        assert_eq!(group_thousands(999.0), "999");
        assert_eq!(group_thousands(1234567.0), "1,234,567");
    }
}
