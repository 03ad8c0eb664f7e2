//! Tables keyed by area code, as planners download them: census counts from
//! Nomis or the ONS, deprivation indices, car availability. A download may
//! open with title lines and close with footnotes around the table itself
//! (`"KS101EW - Usual resident population"` ... `"2011 output area","2011"`,
//! `"E00000001",194`, ..., then disclosure notes); the table is the longest
//! block of rows with the same number of values, its first row the header,
//! and the lines before and after it are skipped and counted.
//!
//! Joining such a table to a set of ids (the zones, or the larger areas the
//! zones lie in) finds the code column by matching its values against the
//! ids when it is not named, and refuses what would give wrong figures in
//! silence: codes that match nothing (saying which geography they look like),
//! a code given twice with different values, a value that is not a number.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{InputError, Location};
use crate::input::csv_table::CsvRow;
use crate::input::text::{parse_number, read_text};

/// A table of rows keyed by area code, with what was skipped around it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeTable {
    /// The file read.
    pub path: PathBuf,
    /// Column names as written (trimmed).
    pub headers: Vec<String>,
    /// Line of the header.
    pub header_line: u64,
    /// The data rows (lines with every value blank left out).
    pub rows: Vec<CsvRow>,
    /// Non-blank lines before the header (titles of a census download).
    pub title_lines: usize,
    /// Non-blank lines after the table (footnotes).
    pub footnote_lines: usize,
}

/// Reads a code table: CSV (comma, semicolon or tab), titles and footnotes skipped.
pub fn read_code_table(path: &Path) -> Result<CodeTable, InputError> {
    let text = read_text(path)?;
    let delimiter = guess_delimiter(&text);
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).trim(csv::Trim::All).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let mut records: Vec<CsvRow> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            InputError::at(path, Location::Line(line), None, format!("cannot read CSV: {e}"))
        })?;
        // The reader's own line count skips blank lines; count from the byte offset.
        // (the position given is where reading began, before any blank lines skipped).
        let mut byte = rec.position().map(|p| p.byte() as usize).unwrap_or(0);
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        let line = line_starts.partition_point(|&b| b <= byte) as u64;
        records.push(CsvRow { line, values: rec.iter().map(str::to_string).collect() });
    }
    // Blocks: runs of consecutive non-blank lines with the same number of
    // values; the table is the one with the most rows holding a number.
    let numbered = |rows: &[CsvRow]| rows.iter().filter(|r| r.values.iter().any(|v| parse_number(v).is_some())).count();
    let mut best: Option<(usize, usize)> = None;
    let mut start = 0;
    for i in 1..=records.len() {
        let breaks = i == records.len() || records[i].values.len() != records[start].values.len() || records[i].line != records[i - 1].line + 1;
        if breaks {
            let score = numbered(&records[start..i]);
            if records[start].values.len() >= 2 && score > 0 && best.is_none_or(|(s, e)| score > numbered(&records[s..e])) {
                best = Some((start, i));
            }
            start = i;
        }
    }
    let Some((s, e)) = best else {
        return Err(InputError::file(path, "no table found: a code table needs a header and rows of at least two values (a code and a number)"));
    };
    // A download may put a blank line between its header and its rows: when
    // the block's first row looks like the rows after it, the header is the
    // row just before the block (with the same number of values).
    let like = |a: &CsvRow, b: &CsvRow| a.values.iter().zip(&b.values).all(|(x, y)| shape(x) == shape(y));
    let first_is_data = e - s >= 2 && like(&records[s], &records[s + 1]);
    let h = if first_is_data && s > 0 && records[s - 1].values.len() == records[s].values.len() { s - 1 } else { s };
    let data_start = if h == s { s + 1 } else { s };
    let footnote_lines = records.len() - e;
    let (headers, header_line) = (records[h].values.clone(), records[h].line);
    // Moved out, not copied: a national table has hundreds of thousands of rows.
    let rows: Vec<CsvRow> = records.drain(data_start..e).filter(|r| r.values.iter().any(|v| !v.is_empty())).collect();
    if rows.is_empty() {
        return Err(InputError::at(path, Location::Line(header_line), None, "the table has a header but no data rows"));
    }
    Ok(CodeTable { path: path.to_path_buf(), headers, header_line, rows, title_lines: h, footnote_lines })
}

/// What a value looks like, to tell a header from a row: `N` for a number,
/// else its letters and digits as runs (`E00000001` and `E01000002` are `A9`,
/// `2011 output area` is `9 A A`).
fn shape(v: &str) -> String {
    if parse_number(v).is_some() {
        return "N".into();
    }
    let mut out = String::new();
    for c in v.chars() {
        let k = if c.is_alphabetic() {
            'A'
        } else if c.is_ascii_digit() {
            '9'
        } else {
            c
        };
        if !out.ends_with(k) || !matches!(k, 'A' | '9') {
            out.push(k);
        }
    }
    out
}

/// The delimiter used by most lines among the first hundred.
fn guess_delimiter(text: &str) -> u8 {
    let count = |d: char| text.lines().take(100).filter(|l| l.contains(d)).count();
    let (c, s, t) = (count(','), count(';'), count('\t'));
    if s > c && s >= t {
        b';'
    } else if t > c && t > s {
        b'\t'
    } else {
        b','
    }
}

/// What kind of area a GSS code (`E00000001`, `W01001600`) names, when it is one.
pub fn geography_of(code: &str) -> Option<&'static str> {
    let c = code.trim();
    if c.len() != 9 || !c[1..].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let kind = match &c[..3] {
        "E00" | "W00" => "output area",
        "E01" | "W01" => "LSOA",
        "E02" | "W02" => "MSOA",
        "E05" | "W05" => "electoral ward",
        "E06" | "E07" | "E08" | "E09" | "W06" => "local authority",
        "E10" => "county",
        "E12" => "region",
        "E14" | "W07" => "parliamentary constituency",
        "E38" => "sub-ICB location",
        "E54" => "integrated care board",
        "E92" | "W92" => "country",
        "S00" => "Scottish output area",
        "S01" => "Scottish data zone",
        _ => return None,
    };
    Some(kind)
}

/// The geography most of `codes` look like, for messages ("LSOA codes (E01...)").
pub fn describe_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    let mut counts: HashMap<&'static str, (usize, String)> = HashMap::new();
    let mut n = 0;
    for c in codes {
        n += 1;
        if let Some(g) = geography_of(c) {
            counts.entry(g).or_insert((0, c[..3].to_string())).0 += 1;
        }
    }
    match counts.into_iter().max_by_key(|(_, (k, _))| *k) {
        Some((g, (k, prefix))) if k * 2 > n => format!("{g} codes ({prefix}...)"),
        _ => "codes of no census geography recognised".to_string(),
    }
}

impl CodeTable {
    /// A column by name (ignoring case, spaces, `_` and `-`).
    pub fn find_column(&self, name: &str) -> Option<usize> {
        let norm = |s: &str| s.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect::<String>().to_ascii_lowercase();
        let n = norm(name);
        self.headers.iter().position(|h| norm(h) == n)
    }

    /// A column named by the user, or an error listing the columns there are.
    pub fn require_column(&self, name: &str) -> Result<usize, InputError> {
        self.find_column(name).ok_or_else(|| {
            InputError::at(
                &self.path,
                Location::Line(self.header_line),
                Some(name),
                format!("column '{name}' is missing; the columns are: {}", self.headers.join(", ")),
            )
        })
    }

    fn value<'a>(&self, row: &'a CsvRow, col: usize) -> &'a str {
        row.values.get(col).map(String::as_str).unwrap_or("")
    }

    /// The code column: the named one, or the one whose values match most of `ids`.
    /// No match at all is an error saying what the codes look like.
    pub fn code_column(&self, named: Option<&str>, ids: &HashSet<&str>, what: &str) -> Result<usize, InputError> {
        let col = match named {
            Some(n) => self.require_column(n)?,
            None => {
                let hits = |c: usize| self.rows.iter().filter(|r| ids.contains(self.value(r, c))).count();
                let (col, n) = (0..self.headers.len()).map(|c| (c, hits(c))).max_by_key(|&(c, n)| (n, usize::MAX - c)).unwrap_or((0, 0));
                if n > 0 {
                    return Ok(col);
                }
                // Say which column holds codes, by their look, to explain the mismatch.
                (0..self.headers.len()).max_by_key(|&c| self.rows.iter().take(200).filter(|r| geography_of(self.value(r, c)).is_some()).count()).unwrap_or(0)
            }
        };
        if !self.rows.iter().any(|r| ids.contains(self.value(r, col))) {
            let theirs = describe_codes(self.rows.iter().map(|r| self.value(r, col)));
            let ours = describe_codes(ids.iter().copied());
            let example = self.rows.first().map(|r| self.value(r, col)).unwrap_or("");
            return Err(InputError::at(
                &self.path,
                Location::Line(self.header_line),
                Some(self.headers[col].as_str()),
                format!(
                    "no code in column '{}' matches any of the {} {what}: the table has {theirs} (e.g. '{example}') and the {what} have {ours}; give a table of the same geography, or attach it through the areas it describes",
                    self.headers[col],
                    ids.len()
                ),
            ));
        }
        Ok(col)
    }

    /// How many rows have a code among `ids`, in the column that matches most.
    pub fn matches(&self, ids: &HashSet<&str>) -> usize {
        (0..self.headers.len()).map(|c| self.rows.iter().filter(|r| ids.contains(self.value(r, c))).count()).max().unwrap_or(0)
    }

    /// Columns holding numbers (judged on the first rows), other than `code`.
    pub fn numeric_columns(&self, code: usize) -> Vec<usize> {
        (0..self.headers.len())
            .filter(|&c| c != code)
            .filter(|&c| {
                let vals: Vec<&str> = self.rows.iter().take(50).map(|r| self.value(r, c)).filter(|v| !v.is_empty()).collect();
                !vals.is_empty() && vals.iter().all(|v| parse_number(v).is_some())
            })
            .collect()
    }

    /// Reads `columns` for every row whose code is in `ids`: per code, one
    /// value per column. A blank or non-numeric value, or a code given twice
    /// with different values, is an error naming the line and the column.
    /// Also returns how many rows matched no id.
    pub fn values_by_code(&self, code: usize, columns: &[usize], ids: &HashSet<&str>) -> Result<(HashMap<String, Vec<f64>>, usize), InputError> {
        let mut out: HashMap<String, (u64, Vec<f64>)> = HashMap::new();
        let mut unused = 0;
        for row in &self.rows {
            let id = self.value(row, code);
            if !ids.contains(id) {
                unused += 1;
                continue;
            }
            let mut vals = Vec::with_capacity(columns.len());
            for &c in columns {
                let v = self.value(row, c);
                let x = parse_number(v).ok_or_else(|| {
                    let why = if v.is_empty() { "the value is blank".to_string() } else { format!("'{v}' is not a number") };
                    InputError::at(&self.path, Location::Line(row.line), Some(self.headers[c].as_str()), format!("{why} (area '{id}')"))
                })?;
                vals.push(x);
            }
            match out.get(id) {
                Some((line, prev)) if *prev != vals => {
                    return Err(InputError::at(
                        &self.path,
                        Location::Line(row.line),
                        Some(self.headers[code].as_str()),
                        format!("code '{id}' is given twice with different values (lines {line} and {}); keep one row per area", row.line),
                    ));
                }
                Some(_) => {}
                None => {
                    out.insert(id.to_string(), (row.line, vals));
                }
            }
        }
        Ok((out.into_iter().map(|(k, (_, v))| (k, v)).collect(), unused))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, text: &str) -> PathBuf {
        crate::testdata::temp_file("codetable", name, text)
    }

    #[test]
    fn nomis_titles_and_footnotes_are_skipped_and_counted() {
        // Nomis's own layout: titles, a blank line, the header, a blank line, the rows, footnotes.
        let p = temp(
            "nomis.csv",
            "\n\"KS101EW - Usual resident population\"\n\"Units :\",\"Persons\"\n\"Rural Urban:\",\"Total\"\n\n\"2011 output area\",\"2011\"\n\n\"E00000001\",194\n\"E00000003\",250\n\n\n\"\",\"In order to protect\"\n\"\",\"\"\n",
        );
        let t = read_code_table(&p).unwrap();
        assert_eq!(t.headers, vec!["2011 output area", "2011"], "{t:?}");
        assert_eq!((t.rows.len(), t.title_lines, t.footnote_lines, t.header_line), (2, 3, 2, 6));
        let p = temp(
            "nomis2.csv",
            "\"Title\"\n\"Units :\",\"Persons\"\n\n\"2011 output area\",\"2011\"\n\"E00000001\",194\n\"E00000003\",250\n\n\"\",\"note\"\n\"\",\"\"\n",
        );
        let t = read_code_table(&p).unwrap();
        assert_eq!(t.headers, vec!["2011 output area", "2011"]);
        assert_eq!((t.rows.len(), t.title_lines, t.footnote_lines), (2, 2, 2));
    }

    #[test]
    fn mismatched_geography_is_named() {
        let p = temp("lsoa.csv", "LSOA11CD,pop\nE01000001,1500\nE01000002,1600\n");
        let t = read_code_table(&p).unwrap();
        let ids: HashSet<&str> = ["E00000001", "E00000002"].into_iter().collect();
        let e = t.code_column(None, &ids, "zones").unwrap_err();
        assert!(e.message.contains("LSOA codes (E01...)") && e.message.contains("output area codes (E00...)"), "{e}");
    }

    #[test]
    fn duplicates_and_bad_numbers_are_located() {
        let p = temp("dup.csv", "code,pop\nA,1\nB,2\nA,3\n");
        let t = read_code_table(&p).unwrap();
        let ids: HashSet<&str> = ["A", "B"].into_iter().collect();
        let e = t.values_by_code(0, &[1], &ids).unwrap_err();
        assert_eq!((e.location.clone(), e.field.as_deref()), (Location::Line(4), Some("code")));
        assert!(e.message.contains("lines 2 and 4"), "{e}");
        let p = temp("bad.csv", "code,pop\nA,1\nB,x\n");
        let e = read_code_table(&p).unwrap().values_by_code(0, &[1], &ids).unwrap_err();
        assert_eq!((e.location, e.field.as_deref()), (Location::Line(3), Some("pop")));
    }
}
