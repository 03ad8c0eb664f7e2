//! Reading a feed's files record by record, each with its line number,
//! from a zip file or a folder alike.
//!
//! Every file is parsed as a stream with the csv crate, straight from the
//! zip entry (the `zip` crate, decompressing as it goes) or from the file:
//! nothing is read whole first. The small tables (stops, routes, trips,
//! calendar, ...) are collected as records of gtfs-structures' types;
//! `stop_times.txt`, the big one, is handed over one record at a time
//! ([`StopTimeReader`]) for the loader to keep only what it needs. A record
//! that cannot be read is reported (file, line, field) and skipped, with
//! only what depends on it left out. Line numbers count the header as line
//! 1 and follow quoted fields that span lines.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
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
    /// Trips one of whose frequencies could not be read.
    pub trips: HashSet<String>,
}

/// Every small file the engine uses, as raw records (`stop_times.txt` is
/// streamed separately, see [`FeedFiles::stop_times`]).
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

/// An open zip and the entry of each file name in it.
type ZipIndex = (zip::ZipArchive<BufReader<File>>, HashMap<String, usize>);

/// A feed's files: the entries of a zip or the files of a folder.
pub(crate) struct FeedFiles {
    /// The zip file or folder.
    path: PathBuf,
    /// The open zip and the entry of each file name, or `None` for a folder.
    zip: Option<ZipIndex>,
}

impl FeedFiles {
    /// Opens a zip file or a folder.
    pub fn open(path: &Path) -> Result<FeedFiles, InputError> {
        if path.is_dir() {
            return Ok(FeedFiles { path: path.to_path_buf(), zip: None });
        }
        if !path.is_file() {
            return Err(InputError::file(path, "not found: a GTFS feed is a .zip file or a folder of .txt files"));
        }
        let f = File::open(path).map_err(|e| InputError::file(path, format!("cannot be read: {e}")))?;
        let mut archive = zip::ZipArchive::new(BufReader::with_capacity(1 << 16, f))
            .map_err(|e| InputError::file(path, format!("cannot be read as a GTFS zip: {}", error_chain(&e))))?;
        let mut index = HashMap::new();
        for i in 0..archive.len() {
            let Ok(entry) = archive.by_index_raw(i) else { continue };
            // A file in a sub-folder of the zip counts too (as gtfs-structures did).
            if let Some(name) = Path::new(entry.name()).file_name().and_then(|n| n.to_str())
                && name.ends_with(".txt")
            {
                index.entry(name.to_string()).or_insert(i);
            }
        }
        Ok(FeedFiles { path: path.to_path_buf(), zip: Some((archive, index)) })
    }

    /// The path shown for one of its files (`feed.zip/stops.txt`).
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Whether the feed has the file.
    pub fn has(&self, name: &str) -> bool {
        match &self.zip {
            Some((_, index)) => index.contains_key(name),
            None => self.path.join(name).is_file(),
        }
    }

    /// A reader of the file (decompressing a zip entry as it is read), or
    /// `None` when the feed does not have it.
    fn reader(&mut self, name: &str) -> Result<Option<Box<dyn Read + '_>>, InputError> {
        let file = self.path.join(name);
        match &mut self.zip {
            Some((archive, index)) => {
                let Some(&i) = index.get(name) else { return Ok(None) };
                let entry = archive.by_index(i).map_err(|e| InputError::file(&file, format!("cannot be read from the zip: {}", error_chain(&e))))?;
                Ok(Some(Box::new(entry)))
            }
            None => {
                if !file.is_file() {
                    return Ok(None);
                }
                let f = File::open(&file).map_err(|e| InputError::file(&file, format!("cannot be read: {e}")))?;
                Ok(Some(Box::new(BufReader::with_capacity(1 << 16, f))))
            }
        }
    }

    /// A file the feed must have.
    fn required(&mut self, name: &str) -> Result<Box<dyn Read + '_>, InputError> {
        let file = self.path.join(name);
        self.reader(name)?.ok_or_else(|| InputError::file(&file, format!("missing; {REQUIRED}")))
    }

    /// Reads every file but `stop_times.txt` into raw records; an error
    /// when a required file is missing (stop_times.txt included) or cannot
    /// be read as CSV.
    pub fn read_tables(&mut self, report: &mut GtfsReport) -> Result<RawFeed, InputError> {
        for name in ["stops.txt", "routes.txt", "trips.txt", "stop_times.txt"] {
            if !self.has(name) {
                return Err(InputError::file(&self.file(name), format!("missing; {REQUIRED}")));
            }
        }
        let mut un = Unreadable::default();
        let agencies = self.optional_table("agency.txt", None, report, &mut |_| "agency left out".into())?;
        let stops = self.table("stops.txt", Some("stop_id"), report, &mut |id| {
            un.stops.insert(id.to_string());
            format!("stop '{id}' left out, and every trip that calls at it")
        })?;
        let routes = self.table("routes.txt", Some("route_id"), report, &mut |id| {
            un.routes.insert(id.to_string());
            format!("route '{id}' left out with its trips")
        })?;
        let trips = self.table("trips.txt", Some("trip_id"), report, &mut |id| {
            un.trip_records.insert(id.to_string());
            format!("trip '{id}' left out")
        })?;
        let calendar = self.optional_table("calendar.txt", Some("service_id"), report, &mut |id| {
            un.services.insert(id.to_string());
            format!("service '{id}' left out with its trips")
        })?;
        let calendar_dates = self.optional_table("calendar_dates.txt", Some("service_id"), report, &mut |id| {
            un.services.insert(id.to_string());
            format!("service '{id}' left out with its trips (its dates are uncertain)")
        })?;
        let frequencies = self.optional_table("frequencies.txt", Some("trip_id"), report, &mut |id| {
            un.trips.insert(id.to_string());
            format!("trip '{id}' left out (its frequencies are uncertain)")
        })?;
        let transfers = self.optional_table("transfers.txt", None, report, &mut |_| "transfer rule ignored".into())?;
        Ok(RawFeed { agencies, stops, routes, trips, calendar, calendar_dates, frequencies, transfers, unreadable: un })
    }

    fn table<T: for<'de> Deserialize<'de>>(
        &mut self,
        name: &str,
        id_column: Option<&str>,
        report: &mut GtfsReport,
        on_bad: &mut dyn FnMut(&str) -> String,
    ) -> Result<Table<T>, InputError> {
        let file = self.file(name);
        let r = self.required(name)?;
        read_records(&file, r, id_column, report, on_bad)
    }

    fn optional_table<T: for<'de> Deserialize<'de>>(
        &mut self,
        name: &str,
        id_column: Option<&str>,
        report: &mut GtfsReport,
        on_bad: &mut dyn FnMut(&str) -> String,
    ) -> Result<Option<Table<T>>, InputError> {
        let file = self.file(name);
        match self.reader(name)? {
            Some(r) => read_records(&file, r, id_column, report, on_bad).map(Some),
            None => Ok(None),
        }
    }

    /// `stop_times.txt`, record by record.
    pub fn stop_times(&mut self) -> Result<StopTimeReader<'_>, InputError> {
        let file = self.file("stop_times.txt");
        let r = self.required("stop_times.txt")?;
        StopTimeReader::new(file, r)
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
            // Unquoted, only values long enough not to turn up by chance
            // (a calendar's "1" flags would match any message with a 1 in it).
            let hit = if quoted { text.contains(&format!("'{v}'")) || text.contains(&format!("\"{v}\"")) } else { v.len() >= 4 && text.contains(v) };
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

/// The byte order mark some feeds' files start with.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV reader over `r` (a byte order mark skipped) and its trimmed header.
fn open_csv<'r>(file: &Path, mut r: Box<dyn Read + 'r>) -> Result<(csv::Reader<Box<dyn Read + 'r>>, csv::StringRecord), InputError> {
    let mut start = [0u8; 3];
    let mut got = 0;
    while got < 3 {
        match r.read(&mut start[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(InputError::file(file, format!("cannot be read: {e}"))),
        }
    }
    let prefix = if &start[..got] == BOM { Vec::new() } else { start[..got].to_vec() };
    let r: Box<dyn Read + 'r> = Box::new(std::io::Cursor::new(prefix).chain(r));
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).buffer_capacity(1 << 16).from_reader(r);
    let headers: csv::StringRecord =
        rdr.headers().map_err(|e| InputError::at(file, Location::Line(1), None, format!("header cannot be read: {e}")))?.iter().map(str::trim).collect();
    if headers.is_empty() || headers.iter().all(str::is_empty) {
        return Err(InputError::at(file, Location::Line(1), None, "the header line is empty"));
    }
    Ok((rdr, headers))
}

/// Reads the next record; `false` at the end. A record that is not CSV
/// (an unclosed quote, bytes that are not UTF-8) is an error naming its line.
fn next_record(file: &Path, rdr: &mut csv::Reader<Box<dyn Read + '_>>, rec: &mut csv::StringRecord) -> Result<bool, InputError> {
    rdr.read_record(rec).map_err(|e| {
        let line = e.position().map_or(0, |p| p.line());
        InputError::at(file, Location::Line(line), None, format!("cannot be read as CSV: {e}"))
    })
}

/// Reports a record serde could not read (file, line, field) and what is
/// left out, as `on_bad` says from the record's id.
fn report_bad_record<T: for<'de> Deserialize<'de>>(
    file: &Path,
    e: &csv::Error,
    rec: &csv::StringRecord,
    headers: &csv::StringRecord,
    id_index: Option<usize>,
    report: &mut GtfsReport,
    on_bad: &mut dyn FnMut(&str) -> String,
) {
    let line = rec.position().map_or(0, |p| p.line());
    let header_names: Vec<&str> = headers.iter().collect();
    let values: Vec<&str> = rec.iter().collect();
    let (mut field, mut msg) = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => describe_bad_record(err, &header_names, &values),
        _ => (None, e.to_string()),
    };
    if field.is_none() {
        // The message names no field (a number read by a custom reader,
        // such as stop_lat): the field is the one whose blanking makes
        // the record readable.
        let culprit = (0..values.len()).find(|&i| {
            let blanked: csv::StringRecord = values.iter().enumerate().map(|(k, v)| if k == i { "" } else { v }).collect();
            blanked.deserialize::<T>(Some(headers)).is_ok()
        });
        if let Some(i) = culprit {
            field = header_names.get(i).map(|h| h.to_string());
            msg = value_message(values[i], &msg);
        }
    }
    if field.is_none() {
        // A required date that does not exist (20231305) fails the same
        // when blanked: the field is the date column whose value is no date.
        let bad_date = header_names.iter().enumerate().find(|(i, h)| {
            h.trim().ends_with("date") && values.get(*i).is_some_and(|v| !v.trim().is_empty() && v.parse::<crate::transit::ServiceDate>().is_err())
        });
        if let Some((i, h)) = bad_date {
            field = Some(h.trim().to_string());
            msg = format!("'{}' is not a date that exists (YYYYMMDD)", values[i].trim());
        }
    }
    let id = id_index.and_then(|i| rec.get(i)).unwrap_or("");
    let consequence = on_bad(id);
    report.add(ProblemKind::MalformedValue, InputError::at(file, Location::Line(line), field.as_deref(), format!("{msg}; {consequence}")));
}

/// Reads one CSV file record by record. A record that cannot be read is
/// reported (file, line, field) and skipped; `on_bad` is told the record's
/// id (the `id_column` value, or "") and says what is left out.
fn read_records<T>(
    file: &Path,
    r: Box<dyn Read + '_>,
    id_column: Option<&str>,
    report: &mut GtfsReport,
    on_bad: &mut dyn FnMut(&str) -> String,
) -> Result<Table<T>, InputError>
where
    T: for<'de> Deserialize<'de>,
{
    let (mut rdr, headers) = open_csv(file, r)?;
    let id_index = id_column.and_then(|c| headers.iter().position(|h| h == c));
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    while next_record(file, &mut rdr, &mut rec)? {
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(str::is_empty) {
            continue; // a blank line
        }
        match rec.deserialize::<T>(Some(&headers)) {
            Ok(t) => rows.push((line, t)),
            Err(e) => report_bad_record::<T>(file, &e, &rec, &headers, id_index, report, on_bad),
        }
    }
    Ok(Table { file: file.to_path_buf(), rows })
}

/// One record of `stop_times.txt`, the fields the engine uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StopTimeRow<'a> {
    /// Its line.
    pub line: u64,
    /// `trip_id`.
    pub trip_id: &'a str,
    /// `stop_id`.
    pub stop_id: &'a str,
    /// `stop_sequence`.
    pub seq: u32,
    /// `arrival_time`, seconds, if given.
    pub arr: Option<u32>,
    /// `departure_time`, seconds, if given.
    pub dep: Option<u32>,
    /// Whether riders may board (`pickup_type` is not 1).
    pub pickup: bool,
    /// Whether riders may alight (`drop_off_type` is not 1).
    pub drop_off: bool,
}

/// Column positions of the fields read by hand.
#[derive(Debug, Clone, Copy)]
struct StopTimeColumns {
    trip: usize,
    stop: usize,
    seq: usize,
    arr: Option<usize>,
    dep: Option<usize>,
    pickup: Option<usize>,
    drop_off: Option<usize>,
}

/// `stop_times.txt` read one record at a time.
///
/// The fields the engine uses are parsed by hand (this file can hold tens
/// of millions of records); a record the hand parser does not accept is
/// read again by serde into gtfs-structures' `RawStopTime`, so what is
/// accepted, and the message for what is not, is exactly gtfs-structures'.
/// Columns the engine does not use are not checked.
pub(crate) struct StopTimeReader<'r> {
    /// The file, for messages.
    pub file: PathBuf,
    rdr: csv::Reader<Box<dyn Read + 'r>>,
    headers: csv::StringRecord,
    columns: Option<StopTimeColumns>,
    trip_index: Option<usize>,
    rec: csv::StringRecord,
    /// The last record read through serde (its ids are borrowed from here).
    slow: Option<gs::RawStopTime>,
}

/// `H:MM:SS` (hours of any length) as gtfs-structures reads it, for
/// values made only of digits and colons; `None` for anything else.
fn fast_time(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() < 7 || b.len() > 12 {
        return None;
    }
    let (h, rest) = s.split_once(':')?;
    let (m, sec) = rest.split_once(':')?;
    if m.len() != 2 || sec.len() != 2 || h.is_empty() || h.len() > 6 {
        return None;
    }
    let num = |t: &str| t.bytes().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')));
    Some(num(h)? * 3600 + num(m)? * 60 + num(sec)?)
}

/// Latest time a stop time may give: a trip may run past midnight into the
/// next day, but not past the day after.
pub const LATEST_STOP_TIME_H: u64 = 47;

/// Why a value shaped like a GTFS time (`H:MM:SS`, digits only) is not one,
/// if it is out of range: minutes or seconds past 59, or hours past
/// [`LATEST_STOP_TIME_H`]. `None` for a time in range and for values of
/// any other shape (the readers report those).
pub fn clock_out_of_range(v: &str) -> Option<String> {
    let parts: Vec<&str> = v.trim().split(':').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let n = |p: &str| p.parse::<u64>().unwrap_or(u64::MAX);
    let (h, m, sec) = (n(parts[0]), n(parts[1]), n(parts[2]));
    if m > 59 || sec > 59 {
        Some(format!("'{v}' is not a time: minutes and seconds run from 00 to 59"))
    } else if h > LATEST_STOP_TIME_H {
        Some(format!(
            "'{v}' is not a time of the service day: times pass 24:00:00 only for trips running after midnight, and none may pass {LATEST_STOP_TIME_H}:59:59"
        ))
    } else {
        None
    }
}

/// A field that may be blank: `Some(None)` when blank, `Some(Some(t))`
/// when read, `None` when the fast path cannot read it.
fn fast_optional_time(rec: &csv::StringRecord, col: Option<usize>) -> Option<Option<u32>> {
    match col.and_then(|c| rec.get(c)) {
        None | Some("") => Some(None),
        Some(v) => fast_time(v).map(Some),
    }
}

/// `pickup_type` or `drop_off_type`: `Some(true)` when riders may (blank,
/// 0, 2, 3), `Some(false)` for 1, `None` when the fast path cannot read it.
fn fast_allowed(rec: &csv::StringRecord, col: Option<usize>) -> Option<bool> {
    match col.and_then(|c| rec.get(c)) {
        None | Some("" | "0" | "2" | "3") => Some(true),
        Some("1") => Some(false),
        Some(_) => None,
    }
}

impl<'r> StopTimeReader<'r> {
    fn new(file: PathBuf, r: Box<dyn Read + 'r>) -> Result<Self, InputError> {
        let (rdr, headers) = open_csv(&file, r)?;
        let at = |name: &str| headers.iter().position(|h| h == name);
        let columns = match (at("trip_id"), at("stop_id"), at("stop_sequence")) {
            (Some(trip), Some(stop), Some(seq)) => Some(StopTimeColumns {
                trip,
                stop,
                seq,
                arr: at("arrival_time"),
                dep: at("departure_time"),
                pickup: at("pickup_type"),
                drop_off: at("drop_off_type"),
            }),
            // A required column is missing: serde says which, record by record.
            _ => None,
        };
        let trip_index = at("trip_id");
        Ok(StopTimeReader { file, rdr, headers, columns, trip_index, rec: csv::StringRecord::new(), slow: None })
    }

    /// The next readable record, or `None` at the end. Unreadable records
    /// are reported and skipped; `on_bad` is told the trip id and says what
    /// is left out.
    pub fn next(&mut self, report: &mut GtfsReport, on_bad: &mut dyn FnMut(&str) -> String) -> Result<Option<StopTimeRow<'_>>, InputError> {
        // Read until a record is readable (by hand or by serde), then
        // build the row from what is kept in `self`.
        let (line, fast) = loop {
            if !next_record(&self.file, &mut self.rdr, &mut self.rec)? {
                return Ok(None);
            }
            let rec = &self.rec;
            let line = rec.position().map_or(0, |p| p.line());
            if rec.iter().all(str::is_empty) {
                continue; // a blank line
            }
            // A time shaped like H:MM:SS but out of range (20:61:00, an hour
            // count that overflows) is refused here: neither reader below
            // checks the range, and 25:61:00 would be read as 26:01:00.
            if let Some(c) = self.columns {
                let out_of_range = [("arrival_time", c.arr), ("departure_time", c.dep)]
                    .into_iter()
                    .find_map(|(name, col)| clock_out_of_range(col.and_then(|i| rec.get(i))?).map(|m| (name, m)));
                if let Some((name, msg)) = out_of_range {
                    let consequence = on_bad(rec.get(c.trip).unwrap_or(""));
                    report.add(ProblemKind::MalformedValue, InputError::at(&self.file, Location::Line(line), Some(name), format!("{msg}; {consequence}")));
                    continue;
                }
            }
            if let Some(c) = self.columns {
                let seq = rec.get(c.seq).filter(|v| !v.is_empty() && v.len() <= 9 && v.bytes().all(|b| b.is_ascii_digit())).and_then(|v| v.parse().ok());
                let fields = (
                    rec.get(c.trip).is_some() && rec.get(c.stop).is_some(),
                    seq,
                    fast_optional_time(rec, c.arr),
                    fast_optional_time(rec, c.dep),
                    fast_allowed(rec, c.pickup),
                    fast_allowed(rec, c.drop_off),
                );
                if let (true, Some(seq), Some(arr), Some(dep), Some(pickup), Some(drop_off)) = fields {
                    break (line, Some((c, seq, arr, dep, pickup, drop_off)));
                }
            }
            match rec.deserialize::<gs::RawStopTime>(Some(&self.headers)) {
                Ok(st) => {
                    self.slow = Some(st);
                    break (line, None);
                }
                Err(e) => report_bad_record::<gs::RawStopTime>(&self.file, &e, rec, &self.headers, self.trip_index, report, on_bad),
            }
        };
        Ok(match (fast, &self.slow) {
            (Some((c, seq, arr, dep, pickup, drop_off)), _) => Some(StopTimeRow {
                line,
                trip_id: self.rec.get(c.trip).unwrap_or(""),
                stop_id: self.rec.get(c.stop).unwrap_or(""),
                seq,
                arr,
                dep,
                pickup,
                drop_off,
            }),
            (None, Some(st)) => Some(StopTimeRow {
                line,
                trip_id: &st.trip_id,
                stop_id: &st.stop_id,
                seq: st.stop_sequence,
                arr: st.arrival_time,
                dep: st.departure_time,
                pickup: st.pickup_type != gs::PickupDropOffType::NotAvailable,
                drop_off: st.drop_off_type != gs::PickupDropOffType::NotAvailable,
            }),
            (None, None) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_read_times_match_gtfs_structures() {
        for s in ["08:05:00", "25:10:00", "8:05:00", "123:00:00", "00:75:99", "8:5:00", "08:05", "-1:00:00", "+8:05:00", "08:05:00:00", "ab:cd:ef", "0 8:05:00"]
        {
            let csv = format!("trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,{s},,A,1\n");
            let theirs = csv::Reader::from_reader(csv.as_bytes()).deserialize::<gs::RawStopTime>().next().and_then(|r| r.ok()).and_then(|r| r.arrival_time);
            // None: read again by serde, so only what the hand parser reads is compared.
            if let Some(t) = fast_time(s) {
                assert_eq!(Some(t), theirs, "{s}");
            }
        }
        assert_eq!(fast_time("25:10:00"), Some(90_600));
        assert_eq!(fast_time("8:5:00"), None);
    }
}
