//! Reading CSV tables: a header and rows, with the line of each row kept for
//! error messages, and points read from coordinate columns (`lon`/`lat`,
//! `easting`/`northing` or `x`/`y`) and converted to WGS84. Comma, semicolon
//! and tab separated files are read alike. The loaders own the meaning of the
//! columns; this module owns parsing and the wording of errors about missing
//! columns and malformed values (each names the file, the line and the column).

use std::path::{Path, PathBuf};

use crate::error::{InputError, Location};
use crate::geom::LonLat;
use crate::input::crs::{self, CoordFields, Crs, CrsChoice, RawCoord, ToWgs84};
use crate::input::text::{parse_number, read_text};

/// One data row of a CSV table.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRow {
    /// 1-based line of the file where the row starts (the header is line 1).
    pub line: u64,
    /// Values, trimmed, one per column.
    pub values: Vec<String>,
}

/// A CSV file read whole: header and rows (rows with every value blank are left out).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvTable {
    /// The file read.
    pub path: PathBuf,
    /// Column names as written (trimmed).
    pub headers: Vec<String>,
    /// The data rows.
    pub rows: Vec<CsvRow>,
}

/// Read a CSV file (comma, semicolon or tab separated; a UTF-8 byte order mark is ignored).
pub fn read_csv_table(path: &Path) -> Result<CsvTable, InputError> {
    let text = read_text(path)?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains(',') {
        b','
    } else if first_line.contains(';') {
        b';'
    } else if first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).trim(csv::Trim::All).has_headers(true).from_reader(text.as_bytes());
    let headers: Vec<String> = rdr.headers().map_err(|e| csv_error(path, e))?.iter().map(str::to_string).collect();
    if headers.iter().all(String::is_empty) {
        return Err(InputError::at(path, Location::Line(1), None, "the header line is blank; the first line must name the columns"));
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, e))?;
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        rows.push(CsvRow { line, values: rec.iter().map(str::to_string).collect() });
    }
    Ok(CsvTable { path: path.to_path_buf(), headers, rows })
}

fn csv_error(path: &Path, e: csv::Error) -> InputError {
    let line = e.position().map(|p| p.line());
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!("the row has {len} values but the header has {expected_len} columns"),
        csv::ErrorKind::Utf8 { .. } => "the row is not UTF-8 text; save the file as UTF-8 CSV".to_string(),
        _ => format!("cannot read CSV: {e}"),
    };
    match line {
        Some(l) => InputError::at(path, Location::Line(l), None, msg),
        None => InputError::file(path, msg),
    }
}

impl CsvTable {
    /// The first column named any of `names` (ignoring case and spaces/underscores).
    pub fn find_column(&self, names: &[&str]) -> Option<usize> {
        let norm = |s: &str| s.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect::<String>().to_ascii_lowercase();
        names.iter().find_map(|n| {
            let n = norm(n);
            self.headers.iter().position(|h| norm(h) == n)
        })
    }

    /// The column `name` (or one of `aliases`), or an error naming it and listing the columns.
    pub fn require_column(&self, name: &str, aliases: &[&str]) -> Result<usize, InputError> {
        let mut all = vec![name];
        all.extend_from_slice(aliases);
        self.find_column(&all).ok_or_else(|| self.missing_column(name, aliases))
    }

    /// The error for a missing column, listing the ones there are.
    pub fn missing_column(&self, name: &str, aliases: &[&str]) -> InputError {
        let also = if aliases.is_empty() { String::new() } else { format!(" (or {})", aliases.join(", ")) };
        InputError::at(&self.path, Location::Line(1), Some(name), format!("column '{name}'{also} is missing; the columns are: {}", self.headers.join(", ")))
    }

    /// The value of a row in a column ("" when the row is short).
    pub fn value<'a>(&self, row: &'a CsvRow, col: usize) -> &'a str {
        row.values.get(col).map(String::as_str).unwrap_or("")
    }

    /// A column's name.
    pub fn header(&self, col: usize) -> &str {
        self.headers.get(col).map(String::as_str).unwrap_or("")
    }

    /// A value as a number; blank or non-numeric values are errors naming line and column.
    pub fn f64_at(&self, row: &CsvRow, col: usize) -> Result<f64, InputError> {
        match self.opt_f64_at(row, col)? {
            Some(x) => Ok(x),
            None => Err(InputError::at(&self.path, Location::Line(row.line), Some(self.header(col)), "the value is empty; expected a number")),
        }
    }

    /// A value as a number, `None` when blank; non-numeric values are errors naming line and column.
    pub fn opt_f64_at(&self, row: &CsvRow, col: usize) -> Result<Option<f64>, InputError> {
        let v = self.value(row, col);
        if v.is_empty() {
            return Ok(None);
        }
        parse_number(v).map(Some).ok_or_else(|| InputError::at(&self.path, Location::Line(row.line), Some(self.header(col)), format!("'{v}' is not a number")))
    }

    /// The error for a table without data rows.
    pub fn no_rows(&self) -> InputError {
        InputError::file(&self.path, "the file has a header but no data rows")
    }
}

/// Where a CSV table keeps its coordinates, and what the column names say about the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoordColumns {
    /// Column of longitude / easting / x.
    pub x: usize,
    /// Column of latitude / northing / y.
    pub y: usize,
    /// WGS84 for `lon`/`lat` names, BNG for `easting`/`northing`, none for `x`/`y`.
    pub hint: Option<Crs>,
}

/// Column names taken as longitude.
pub const LON_NAMES: &[&str] = &["lon", "lng", "long", "longitude"];
/// Column names taken as latitude.
pub const LAT_NAMES: &[&str] = &["lat", "latitude"];
/// Column names taken as easting.
pub const EASTING_NAMES: &[&str] = &["easting", "eastings", "east", "oseast1m"];
/// Column names taken as northing.
pub const NORTHING_NAMES: &[&str] = &["northing", "northings", "north", "osnrth1m"];

/// Find the coordinate columns: `lon`/`lat`, `easting`/`northing` or `x`/`y` (ignoring case).
pub fn coordinate_columns(table: &CsvTable) -> Result<CoordColumns, InputError> {
    if let (Some(x), Some(y)) = (table.find_column(LON_NAMES), table.find_column(LAT_NAMES)) {
        return Ok(CoordColumns { x, y, hint: Some(Crs::Wgs84) });
    }
    if let (Some(x), Some(y)) = (table.find_column(EASTING_NAMES), table.find_column(NORTHING_NAMES)) {
        return Ok(CoordColumns { x, y, hint: Some(Crs::BritishNationalGrid) });
    }
    if let (Some(x), Some(y)) = (table.find_column(&["x"]), table.find_column(&["y"])) {
        return Ok(CoordColumns { x, y, hint: None });
    }
    let (name, aliases): (&str, &[&str]) = if table.find_column(LON_NAMES).is_some() {
        ("lat", &["latitude"])
    } else if table.find_column(LAT_NAMES).is_some() {
        ("lon", &["longitude"])
    } else {
        ("lon", &["lat", "x and y", "easting and northing"])
    };
    Err(table.missing_column(name, aliases))
}

/// Read each row's coordinates and convert them to WGS84 (one point per row,
/// in row order), deciding the system from the choice, the column names or
/// the values. Blank or non-numeric coordinates are errors naming line and column.
pub fn csv_points(table: &CsvTable, cols: CoordColumns, choice: CrsChoice) -> Result<(Crs, Vec<LonLat>), InputError> {
    let mut raw = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let x = table.f64_at(row, cols.x)?;
        let y = table.f64_at(row, cols.y)?;
        raw.push(RawCoord { location: Location::Line(row.line), x, y });
    }
    let fields = CoordFields { x: table.header(cols.x), y: table.header(cols.y) };
    let crs = crs::resolve_crs(&table.path, choice, cols.hint, &raw, fields)?;
    let conv = ToWgs84::new(crs).map_err(|m| InputError::file(&table.path, m))?;
    let mut out = Vec::with_capacity(raw.len());
    for c in &raw {
        let p = conv.convert(c.x, c.y).ok_or_else(|| {
            InputError::at(&table.path, c.location.clone(), Some(fields.x), format!("coordinate ({}, {}) cannot be converted from {crs} to WGS84", c.x, c.y))
        })?;
        out.push(p);
    }
    Ok((crs, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, text: &str) -> std::path::PathBuf {
        crate::testdata::temp_file("csv", name, text)
    }

    #[test]
    fn csv_semicolons_bom_and_blank_rows() {
        let p = temp("semi.csv", "\u{feff}ID;Lon;Lat\nA;-3.0;51.5\n;;\nB;-2.9;51.6\n");
        let t = read_csv_table(&p).unwrap();
        assert_eq!(t.headers, vec!["ID", "Lon", "Lat"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 4);
        let cols = coordinate_columns(&t).unwrap();
        let (crs, pts) = csv_points(&t, cols, CrsChoice::Auto).unwrap();
        assert_eq!(crs, Crs::Wgs84);
        assert_eq!(pts[1], LonLat::new(-2.9, 51.6));
        let p = temp("short.csv", "id,lon,lat\nA,1,2,3\n");
        let e = read_csv_table(&p).unwrap_err();
        assert_eq!(e.location, Location::Line(2));
        assert!(e.message.contains("3 columns"), "{e}");
    }
}
