//! Postcode lookups: OS Code-Point Open, ONSPD or NSPL style CSV files that
//! give each postcode a point. Sites (and anything else known by postcode)
//! are placed through one, whatever the spacing and case of the postcode
//! (`me7 2bu`, `ME72BU` and `ME7 2BU` are the same).
//!
//! Columns: the postcode (`postcode`, `pcd`, `pcds`, `pcd2`, `pcd7`, `pcd8`),
//! and either `lon`/`lat` (`long` in ONSPD) or `easting`/`northing`
//! (`oseast1m`/`osnrth1m`, British National Grid). A `doterm` column (ONSPD,
//! NSPL) marks terminated postcodes. Postcodes the lookup holds without a
//! usable point (ONSPD's latitude 99.999999, Code-Point's 0,0 for quality 90)
//! are kept as "no coordinates" so a site that names one is reported, not
//! placed in the sea.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{InputError, Location};
use crate::geom::LonLat;
use crate::input::crs::{Crs, ToWgs84};
use crate::input::csv_table::{EASTING_NAMES, LAT_NAMES, LON_NAMES, NORTHING_NAMES};
use crate::input::text::parse_number;

/// Column names taken as the postcode.
pub const POSTCODE_NAMES: &[&str] = &["postcode", "post_code", "pcd", "pcds", "pcd2", "pcd7", "pcd8"];

/// A postcode with spaces removed and letters in capitals (`ME72BU`).
pub fn normalise(postcode: &str) -> String {
    postcode.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

/// Why a postcode could not be placed.
#[derive(Debug, Clone, PartialEq)]
pub enum PostcodeProblem {
    /// Not in the lookup at all.
    Unknown,
    /// In the lookup, but terminated (no longer in use), with the date given.
    Terminated(String),
    /// In the lookup without a usable point.
    NoCoordinates,
}

impl std::fmt::Display for PostcodeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PostcodeProblem::Unknown => write!(f, "not in the postcode lookup"),
            PostcodeProblem::Terminated(d) => write!(f, "terminated ({d}) in the postcode lookup"),
            PostcodeProblem::NoCoordinates => write!(f, "has no coordinates in the postcode lookup"),
        }
    }
}

/// What the lookup holds for one postcode.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Entry {
    At(LonLat),
    NoCoordinates,
    Terminated(u32),
}

/// A postcode lookup read from a file.
#[derive(Debug, Clone)]
pub struct PostcodeLookup {
    /// The file read.
    pub path: PathBuf,
    by_code: HashMap<String, Entry>,
    /// Termination dates as written, indexed from [`Entry::Terminated`].
    terminated: Vec<String>,
}

impl PostcodeLookup {
    /// Reads a lookup. Errors name the file, the line and the column: no
    /// postcode column, no coordinate columns, a coordinate that is not a number.
    pub fn load(path: &Path) -> Result<PostcodeLookup, InputError> {
        let file = std::fs::File::open(path).map_err(|e| InputError::file(path, format!("cannot read the file: {e}")))?;
        let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(std::io::BufReader::new(file));
        let headers: Vec<String> = rdr.headers().map_err(|e| InputError::file(path, format!("cannot read CSV: {e}")))?.iter().map(str::to_string).collect();
        let norm = |s: &str| s.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect::<String>().to_ascii_lowercase();
        let find = |names: &[&str]| names.iter().find_map(|n| headers.iter().position(|h| norm(h) == norm(n)));
        let header_err = |field: &str, msg: String| InputError::at(path, Location::Line(1), Some(field), msg);
        let pc = find(POSTCODE_NAMES).ok_or_else(|| {
            header_err("postcode", format!("no postcode column (postcode, pcd, pcds, ...) in a postcode lookup; the columns are: {}", headers.join(", ")))
        })?;
        let (x, y, crs) = match (find(LON_NAMES), find(LAT_NAMES), find(EASTING_NAMES), find(NORTHING_NAMES)) {
            (Some(x), Some(y), _, _) => (x, y, Crs::Wgs84),
            (_, _, Some(x), Some(y)) => (x, y, Crs::BritishNationalGrid),
            _ => {
                return Err(header_err(
                    "lon",
                    format!("no coordinate columns (lon/lat or easting/northing) in a postcode lookup; the columns are: {}", headers.join(", ")),
                ));
            }
        };
        let conv = ToWgs84::new(crs).map_err(|m| InputError::file(path, m))?;
        let doterm = find(&["doterm"]);
        let mut by_code = HashMap::new();
        let mut terminated = Vec::new();
        for rec in rdr.records() {
            let rec =
                rec.map_err(|e| InputError::at(path, Location::Line(e.position().map(|p| p.line()).unwrap_or(0)), None, format!("cannot read CSV: {e}")))?;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            let code = normalise(rec.get(pc).unwrap_or(""));
            if code.is_empty() {
                continue;
            }
            if let Some(d) = doterm.and_then(|c| rec.get(c)).filter(|d| !d.is_empty()) {
                terminated.push(d.to_string());
                by_code.insert(code, Entry::Terminated((terminated.len() - 1) as u32));
                continue;
            }
            let num = |c: usize| -> Result<Option<f64>, InputError> {
                let v = rec.get(c).unwrap_or("");
                if v.is_empty() {
                    return Ok(None);
                }
                parse_number(v).map(Some).ok_or_else(|| InputError::at(path, Location::Line(line), Some(headers[c].as_str()), format!("'{v}' is not a number")))
            };
            let entry = match (num(x)?, num(y)?) {
                (Some(a), Some(b)) if usable(crs, a, b) => conv.convert(a, b).map(Entry::At).unwrap_or(Entry::NoCoordinates),
                _ => Entry::NoCoordinates,
            };
            by_code.insert(code, entry);
        }
        if by_code.is_empty() {
            return Err(InputError::file(path, "the postcode lookup holds no postcodes"));
        }
        Ok(PostcodeLookup { path: path.to_path_buf(), by_code, terminated })
    }

    /// The point of a postcode, or why there is none.
    pub fn resolve(&self, postcode: &str) -> Result<LonLat, PostcodeProblem> {
        match self.by_code.get(&normalise(postcode)) {
            Some(Entry::At(p)) => Ok(*p),
            Some(Entry::NoCoordinates) => Err(PostcodeProblem::NoCoordinates),
            Some(Entry::Terminated(i)) => Err(PostcodeProblem::Terminated(self.terminated[*i as usize].clone())),
            None => Err(PostcodeProblem::Unknown),
        }
    }

    /// How many postcodes the lookup holds.
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    /// Whether the lookup is empty (never, once loaded).
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

/// Whether a lookup's coordinates stand for a place (not a "no grid reference" marker).
fn usable(crs: Crs, x: f64, y: f64) -> bool {
    match crs {
        Crs::Wgs84 => y.abs() < 90.0 && !(x == 0.0 && y == 0.0),
        _ => x > 0.0 && y > 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_and_case_do_not_matter_and_problems_are_told_apart() {
        let p = crate::testdata::temp_file(
            "postcodes",
            "onspd.csv",
            "pcd,doterm,oseast1m,osnrth1m,lat,long\nME7 2BU,,576000,168000,51.378417,0.566642\nME1 9ZZ,200101,,,99.999999,0.000000\nME4 4XX,,,,99.999999,0.000000\n",
        );
        let l = PostcodeLookup::load(&p).unwrap();
        let a = l.resolve("me72bu").unwrap();
        assert!((a.lat - 51.378417).abs() < 1e-9 && (a.lon - 0.566642).abs() < 1e-9);
        assert_eq!(l.resolve(" ME7  2BU "), Ok(a));
        assert_eq!(l.resolve("ME1 9ZZ"), Err(PostcodeProblem::Terminated("200101".into())));
        assert_eq!(l.resolve("ME4 4XX"), Err(PostcodeProblem::NoCoordinates));
        assert_eq!(l.resolve("ZZ9 9ZZ"), Err(PostcodeProblem::Unknown));
        let p = crate::testdata::temp_file("postcodes", "nopc.csv", "code,lat,long\nA,51,0\n");
        let e = PostcodeLookup::load(&p).unwrap_err();
        assert_eq!((e.location, e.field.as_deref()), (Location::Line(1), Some("postcode")));
    }
}
