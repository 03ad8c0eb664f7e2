//! Reading a feed's files into raw records, each with its line number.
//!
//! A zip is read with gtfs-structures' `RawGtfs` (shapes skipped), which
//! reads each file whole: a record it cannot read stops that file, and the
//! error names the file, line and field. A folder is read record by record
//! into the same gtfs-structures types, so an unreadable record (a malformed
//! time, a negative one) is reported and only what depends on it is left
//! out. Line numbers count the header as line 1; for zipped files they are
//! the record's position plus one (exact unless a quoted field spans lines).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use gtfs_structures as gs;
use serde::Deserialize;

use crate::error::{InputError, Location};
use crate::transit::report::{GtfsReport, ProblemKind};

/// The files a feed cannot do without.
const REQUIRED: &str = "a GTFS feed needs stops.txt, routes.txt, trips.txt and stop_times.txt";

/// The records of one file, each with its 1-based line number.
#[derive(Debug)]
pub(crate) struct Table<T> {
    /// The file, shown as `feed/name.txt`.
    pub file: PathBuf,
    /// Records and their lines.
    pub rows: Vec<(u64, T)>,
}

/// Ids of records that could not be read (already reported): what refers to
/// them is left out without a second report.
#[derive(Debug, Default)]
pub(crate) struct Unreadable {
    /// Stop ids.
    pub stops: HashSet<String>,
    /// Route ids.
    pub routes: HashSet<String>,
    /// Service ids.
    pub services: HashSet<String>,
    /// Trips whose own `trips.txt` record could not be read.
    pub trip_records: HashSet<String>,
    /// Trips one of whose stop times or frequencies could not be read.
    pub trips: HashSet<String>,
}

/// Every file the engine uses, as raw records.
#[derive(Debug)]
pub(crate) struct RawFeed {
    /// `agency.txt`, if present.
    pub agencies: Option<Table<gs::Agency>>,
    /// `stops.txt`.
    pub stops: Table<gs::Stop>,
    /// `routes.txt`.
    pub routes: Table<gs::Route>,
    /// `trips.txt`.
    pub trips: Table<gs::RawTrip>,
    /// `stop_times.txt`.
    pub stop_times: Table<gs::RawStopTime>,
    /// `calendar.txt`, if present.
    pub calendar: Option<Table<gs::Calendar>>,
    /// `calendar_dates.txt`, if present.
    pub calendar_dates: Option<Table<gs::CalendarDate>>,
    /// `frequencies.txt`, if present.
    pub frequencies: Option<Table<gs::RawFrequency>>,
    /// `transfers.txt`, if present.
    pub transfers: Option<Table<gs::RawTransfer>>,
    /// Records that could not be read.
    pub unreadable: Unreadable,
}

/// Reads a feed from a zip file or a folder.
pub(crate) fn read_feed(path: &Path, report: &mut GtfsReport) -> Result<RawFeed, InputError> {
    if path.is_dir() {
        read_folder(path, report)
    } else if path.is_file() {
        read_zip(path)
    } else {
        Err(InputError::file(path, "not found: a GTFS feed is a .zip file or a folder of .txt files"))
    }
}

fn read_zip(path: &Path) -> Result<RawFeed, InputError> {
    let raw = gs::GtfsReader::default().read_shapes(false).raw().read_from_path(path).map_err(|e| from_gtfs_error(path, e))?;
    fn table<T>(path: &Path, name: &str, r: Result<Vec<T>, gs::Error>) -> Result<Table<T>, InputError> {
        let rows = r.map_err(|e| from_gtfs_error(path, e))?;
        Ok(Table { file: path.join(name), rows: rows.into_iter().enumerate().map(|(i, t)| (i as u64 + 2, t)).collect() })
    }
    fn optional<T>(path: &Path, name: &str, r: Option<Result<Vec<T>, gs::Error>>) -> Result<Option<Table<T>>, InputError> {
        r.map(|r| table(path, name, r)).transpose()
    }
    let agencies = match raw.agencies {
        Err(gs::Error::MissingFile(_)) => None,
        other => Some(table(path, "agency.txt", other)?),
    };
    Ok(RawFeed {
        agencies,
        stops: table(path, "stops.txt", raw.stops)?,
        routes: table(path, "routes.txt", raw.routes)?,
        trips: table(path, "trips.txt", raw.trips)?,
        stop_times: table(path, "stop_times.txt", raw.stop_times)?,
        calendar: optional(path, "calendar.txt", raw.calendar)?,
        calendar_dates: optional(path, "calendar_dates.txt", raw.calendar_dates)?,
        frequencies: optional(path, "frequencies.txt", raw.frequencies)?,
        transfers: optional(path, "transfers.txt", raw.transfers)?,
        unreadable: Unreadable::default(),
    })
}

/// Turns a gtfs-structures error into one that names the file, line and field.
fn from_gtfs_error(feed: &Path, e: gs::Error) -> InputError {
    match e {
        gs::Error::MissingFile(name) => InputError::file(&feed.join(&name), format!("missing; {REQUIRED}")),
        gs::Error::CSVError { file_name, source, line_in_error } => {
            let file = feed.join(&file_name);
            let line = source.position().map(|p| p.line());
            let (field, message) = match (source.kind(), &line_in_error) {
                (csv::ErrorKind::Deserialize { err, .. }, Some(l)) => {
                    let (field, msg) = describe_bad_record(err, &l.headers, &l.values);
                    (field, msg)
                }
                _ => (None, source.to_string()),
            };
            let suffix =
                "; a record that cannot be read stops a zipped file from loading: unzip the feed into a folder to load it with only this record left out";
            match line {
                Some(l) => InputError::at(&file, Location::Line(l), field.as_deref(), format!("{message}{suffix}")),
                None => InputError::file(&file, format!("{message}{suffix}")),
            }
        }
        gs::Error::NotFileNorDirectory(p) => InputError::file(feed, format!("{p} is neither a file nor a folder")),
        other => InputError::file(feed, format!("cannot be read as a GTFS zip: {}", error_chain(&other))),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// The field at fault and a plain message for a record serde could not read.
fn describe_bad_record<S: AsRef<str>>(err: &csv::DeserializeError, headers: &[S], values: &[S]) -> (Option<String>, String) {
    let text = err.kind().to_string();
    let header = |i: usize| headers.get(i).map(|h| h.as_ref().trim().to_string());
    if let Some(i) = err.field() {
        let value = values.get(i as usize).map(|v| v.as_ref()).unwrap_or("");
        return (header(i as usize), value_message(value, &text));
    }
    if let Some(name) = text.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        return (Some(name.to_string()), "required value is missing".into());
    }
    // Custom errors (times, dates, colours) carry no field index; find the
    // field whose value the message quotes ('value'), else names.
    let find = |quoted: bool| {
        let mut best: Option<usize> = None;
        for (i, v) in values.iter().enumerate() {
            let v = v.as_ref().trim();
            let hit = if quoted { text.contains(&format!("'{v}'")) || text.contains(&format!("\"{v}\"")) } else { text.contains(v) };
            if !v.is_empty() && hit && best.is_none_or(|b| values[b].as_ref().trim().len() < v.len()) {
                best = Some(i);
            }
        }
        best
    };
    match find(true).or_else(|| find(false)) {
        Some(i) => (header(i), value_message(values[i].as_ref().trim(), &text)),
        None => (None, text),
    }
}

fn value_message(value: &str, serde_text: &str) -> String {
    let v = value.trim();
    let serde_text = serde_text.trim_end_matches('.');
    if v.starts_with('-') && v.contains(':') {
        format!("negative time '{v}': times count from the service day's midnight and cannot be negative")
    } else if v.is_empty() {
        format!("value is blank ({serde_text})")
    } else if serde_text.contains(v) {
        serde_text.to_string()
    } else {
        format!("'{v}' cannot be read: {serde_text}")
    }
}

fn read_folder(dir: &Path, report: &mut GtfsReport) -> Result<RawFeed, InputError> {
    let mut un = Unreadable::default();
    let required = |name: &str| -> Result<Vec<u8>, InputError> {
        let p = dir.join(name);
        if !p.is_file() {
            return Err(InputError::file(&p, format!("missing; {REQUIRED}")));
        }
        std::fs::read(&p).map_err(|e| InputError::file(&p, format!("cannot be read: {e}")))
    };
    let optional = |name: &str| -> Result<Option<Vec<u8>>, InputError> {
        let p = dir.join(name);
        if !p.is_file() {
            return Ok(None);
        }
        std::fs::read(&p).map(Some).map_err(|e| InputError::file(&p, format!("cannot be read: {e}")))
    };
    let agencies = match optional("agency.txt")? {
        Some(b) => Some(read_records(&dir.join("agency.txt"), &b, None, report, &mut |_, _| "agency left out".into())?),
        None => None,
    };
    let stops = read_records(&dir.join("stops.txt"), &required("stops.txt")?, Some("stop_id"), report, &mut |id, _| {
        un.stops.insert(id.to_string());
        format!("stop '{id}' left out, and every trip that calls at it")
    })?;
    let routes = read_records(&dir.join("routes.txt"), &required("routes.txt")?, Some("route_id"), report, &mut |id, _| {
        un.routes.insert(id.to_string());
        format!("route '{id}' left out with its trips")
    })?;
    let trips = read_records(&dir.join("trips.txt"), &required("trips.txt")?, Some("trip_id"), report, &mut |id, _| {
        un.trip_records.insert(id.to_string());
        format!("trip '{id}' left out")
    })?;
    let stop_times = read_records(&dir.join("stop_times.txt"), &required("stop_times.txt")?, Some("trip_id"), report, &mut |id, _| {
        un.trips.insert(id.to_string());
        format!("trip '{id}' left out")
    })?;
    let calendar = match optional("calendar.txt")? {
        Some(b) => Some(read_records(&dir.join("calendar.txt"), &b, Some("service_id"), report, &mut |id, _| {
            un.services.insert(id.to_string());
            format!("service '{id}' left out with its trips")
        })?),
        None => None,
    };
    let calendar_dates = match optional("calendar_dates.txt")? {
        Some(b) => Some(read_records(&dir.join("calendar_dates.txt"), &b, Some("service_id"), report, &mut |id, _| {
            un.services.insert(id.to_string());
            format!("service '{id}' left out with its trips (its dates are uncertain)")
        })?),
        None => None,
    };
    let frequencies = match optional("frequencies.txt")? {
        Some(b) => Some(read_records(&dir.join("frequencies.txt"), &b, Some("trip_id"), report, &mut |id, _| {
            un.trips.insert(id.to_string());
            format!("trip '{id}' left out (its frequencies are uncertain)")
        })?),
        None => None,
    };
    let transfers = match optional("transfers.txt")? {
        Some(b) => Some(read_records(&dir.join("transfers.txt"), &b, None, report, &mut |_, _| "transfer rule ignored".into())?),
        None => None,
    };
    Ok(RawFeed { agencies, stops, routes, trips, stop_times, calendar, calendar_dates, frequencies, transfers, unreadable: un })
}

/// Reads one CSV file record by record. A record that cannot be read is
/// reported (file, line, field) and skipped; `on_bad` is told the record's
/// id (the `id_column` value, or "") and says what is left out.
fn read_records<T>(
    file: &Path,
    bytes: &[u8],
    id_column: Option<&str>,
    report: &mut GtfsReport,
    on_bad: &mut dyn FnMut(&str, u64) -> String,
) -> Result<Table<T>, InputError>
where
    T: for<'de> Deserialize<'de>,
{
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let headers: csv::StringRecord =
        rdr.headers().map_err(|e| InputError::at(file, Location::Line(1), None, format!("header cannot be read: {e}")))?.iter().map(str::trim).collect();
    if headers.is_empty() || headers.iter().all(str::is_empty) {
        return Err(InputError::at(file, Location::Line(1), None, "the header line is empty"));
    }
    let id_index = id_column.and_then(|c| headers.iter().position(|h| h == c));
    let header_names: Vec<&str> = headers.iter().collect();
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(InputError::at(file, Location::Line(line), None, format!("cannot be read as CSV: {e}")));
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(str::is_empty) {
            continue; // a blank line
        }
        match rec.deserialize::<T>(Some(&headers)) {
            Ok(t) => rows.push((line, t)),
            Err(e) => {
                let values: Vec<&str> = rec.iter().collect();
                let (field, msg) = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => describe_bad_record(err, &header_names, &values),
                    _ => (None, e.to_string()),
                };
                let id = id_index.and_then(|i| rec.get(i)).unwrap_or("");
                let consequence = on_bad(id, line);
                report.add(ProblemKind::MalformedValue, InputError::at(file, Location::Line(line), field.as_deref(), format!("{msg}; {consequence}")));
            }
        }
    }
    Ok(Table { file: file.to_path_buf(), rows })
}
