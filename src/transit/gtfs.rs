//! Loading a GTFS feed into a [`Feed`]: every table checked, frequency-based
//! trips expanded into concrete trips, stop times flattened.
//!
//! Loading never fails for one bad record: a broken reference, a malformed
//! or decreasing time, an unknown route type or a duplicate id is reported
//! in the [`GtfsReport`] (file, line, field) and the trip concerned is left
//! out and counted; the rest loads.
//!
//! `stop_times.txt` is read one record at a time and only the stop times
//! of the trips wanted are kept ([`load_gtfs_filtered`]: some service dates,
//! an area), up to a limit ([`MAX_STOP_TIMES`]) that keeps memory bounded
//! whatever the size of the file. What a filter leaves out is counted
//! ([`FilteredRead`]: the file's counts beside those kept), so the caller
//! can say what the file holds without reading it again.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gtfs_structures as gs;

use crate::error::{Error, InputError, Location};
use crate::geom::Extent;
use crate::geom::{LonLat, haversine_m};
use crate::transit::calendar::{build_services, default_date};
use crate::transit::clip::FeedClip;
use crate::transit::date::ServiceDate;
use crate::transit::date::fmt_hms;
use crate::transit::feed::{Agency, Feed, FeedPart, Route, Stop, StopTimes, TransferKind, TransferRule, Trip};
use crate::transit::report::{AREA_NOTE, FeedCounts, FilteredRead, GtfsReport, ProblemKind};
use crate::transit::source::{FeedFiles, RawFeed, Table};

/// Most trips one `frequencies.txt` row may expand into.
pub const MAX_FREQUENCY_TRIPS: u32 = 10_000;

/// Most stop times a trip may have (positions are kept in 16 bits).
pub const MAX_TRIP_STOPS: usize = u16::MAX as usize;

/// Most stop times a feed may keep in memory unless a [`GtfsFilter`] says
/// otherwise: ten million, more than a county's buses run in a day. A
/// `stop_times.txt` with more is refused as soon as the count is passed,
/// before memory grows further: a 1 GB file of 25 million stop times was
/// refused at a peak of 775 MB (40 bytes per stop time kept while loading,
/// 14 once loaded, plus the trips and their ids).
pub const MAX_STOP_TIMES: usize = 10_000_000;

/// What to keep while reading a feed: the stop times of trips running on
/// some dates only, of trips calling within an area only, and at most how
/// many. The default keeps every date and place, up to [`MAX_STOP_TIMES`].
#[derive(Debug, Clone, PartialEq)]
pub struct GtfsFilter {
    /// Service dates to keep (with the previous day's trips running past
    /// midnight into them); empty for every date.
    pub dates: Vec<ServiceDate>,
    /// With no `dates`: keep only the feed's own default service date (its
    /// first Tuesday with service, else its first day with service, as
    /// [`Feed::default_service_date`] of the feed alone), which its
    /// calendar decides before any trip is read.
    pub default_date: bool,
    /// Keep only trips calling at a stop in this area, as [`Feed::clip`]
    /// cuts a loaded feed; `None` for everywhere.
    pub area: Option<Extent>,
    /// Most stop times kept (after the dates and the area); more is an
    /// error naming the file and this limit.
    pub max_stop_times: usize,
}

impl Default for GtfsFilter {
    fn default() -> Self {
        GtfsFilter { dates: Vec::new(), default_date: false, area: None, max_stop_times: MAX_STOP_TIMES }
    }
}

/// Loads a GTFS feed from a zip file or a folder. Unreadable or missing
/// required files are errors; problems with single records are reported
/// in the returned [`GtfsReport`] and only what depends on them is left out.
/// A feed with more than [`MAX_STOP_TIMES`] stop times is refused: see
/// [`load_gtfs_filtered`] to read only some dates or an area of a large one.
pub fn load_gtfs(path: &Path) -> Result<(Feed, GtfsReport), Error> {
    load_gtfs_filtered(path, &GtfsFilter::default())
}

/// Loads a GTFS feed keeping only what `filter` asks for, reading
/// `stop_times.txt` record by record (never whole), so memory is bounded by
/// what is kept. With an area the feed equals the whole feed loaded then
/// cut by [`Feed::clip`]; with dates, trips of other days are not loaded.
/// What was left out is counted in the report's [`FilteredRead`] (the
/// file's counts and those kept), so no caller needs to read the file again
/// to say what it holds: trips calling only outside the area are checked
/// and counted as a whole load would count them; trips of other days are
/// counted as listed, with their stop times, but not checked.
pub fn load_gtfs_filtered(path: &Path, filter: &GtfsFilter) -> Result<(Feed, GtfsReport), Error> {
    let mut report = GtfsReport { feed: path.to_path_buf(), ..Default::default() };
    let mut files = FeedFiles::open(path)?;
    let raw = files.read_tables(&mut report)?;
    let mut b = Builder {
        report,
        dropped: HashSet::new(),
        not_loaded: HashSet::new(),
        unloaded_expanded: 0,
        stop_line: HashMap::new(),
        no_coords: HashMap::new(),
        no_coords_reported: HashSet::new(),
    };
    let agencies = b.agencies(&raw);
    let (stops, stop_by_id) = b.stops(&raw);
    let (routes, route_by_id, bad_routes) = b.routes(&raw, &agencies);
    let (services, mut service_by_id) = build_services(raw.calendar.as_ref(), raw.calendar_dates.as_ref(), &mut b.report);
    // A service with an unreadable calendar record is left out with its trips,
    // as its warning says: the other file's dates alone would make a
    // different service (exceptions to a week that is not there).
    service_by_id.retain(|id, _| !raw.unreadable.services.contains(id));
    if raw.calendar.is_none() && raw.calendar_dates.is_none() {
        return Err(InputError::file(path, "has neither calendar.txt nor calendar_dates.txt: no trip can be given a day to run").into());
    }
    let mut pending = b.trips(&raw, &route_by_id, &bad_routes, &service_by_id);
    let default_date = if filter.dates.is_empty() && filter.default_date { default_date(&services, |_| false) } else { None };
    let dates: Vec<ServiceDate> = if filter.dates.is_empty() { default_date.into_iter().collect() } else { filter.dates.clone() };
    let mut other = Vec::new();
    if !dates.is_empty() {
        let runs: Vec<bool> = services.iter().map(|s| dates.iter().any(|d| s.runs_on(*d) || s.runs_on(d.plus_days(-1)))).collect();
        let (keep, not): (Vec<PendingTrip>, Vec<PendingTrip>) = pending.into_iter().partition(|p| runs[p.service as usize]);
        b.not_loaded.extend(not.iter().map(|p| p.id.clone()));
        other = not;
        pending = keep;
    }
    let other_days = other.len();
    let (trips, stop_times, mut unloaded) = b.stop_times(&raw, &mut files, pending, other, &stop_by_id, &stops, filter)?;
    let outside = unloaded.iter().filter(|u| !u.other_day).count();
    let (trips, stop_times) = b.frequencies(&raw, trips, stop_times, &mut unloaded);
    let transfer_rules = b.transfers(&raw, &stop_by_id);
    let unloaded_expanded = b.unloaded_expanded;
    let mut report = b.report;
    report.trips_left_out = b.dropped.len();
    if raw.frequencies.is_some() && report.counts.frequency_trips + unloaded_expanded > 0 {
        report.notes.push("frequency-based trips run exactly at start_time + k x headway_secs".into());
    }
    if raw.agencies.is_none() {
        report.notes.push("agency.txt is missing; routes have no operator".into());
    }
    if !dates.is_empty() {
        let list: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        let why = if default_date.is_some() { " (the feed's default date: its first Tuesday with service)" } else { "" };
        report.notes.push(format!("read for {}{why} only: {other_days} trips running on other days not loaded", list.join(", ")));
    }
    // Trips of the whole file as a whole load would keep them (those not
    // loaded counted with their frequency departures), and their stop times.
    let unloaded_trips: usize = unloaded.iter().map(|u| u.runs).sum();
    let unloaded_times: usize = unloaded.iter().map(|u| u.runs * u.len).sum();
    if trips.is_empty() && unloaded_trips == 0 {
        report.counts.agencies = agencies.len();
        report.counts.stops = stops.len();
        report.counts.routes = routes.len();
        report.counts.services = services.len();
        report.counts.transfer_rules = transfer_rules.len();
        return Err(InputError::file(path, format!("has no usable trips\n{report}")).into());
    }
    let part = FeedPart {
        tag: String::new(),
        source: path.to_path_buf(),
        agencies: 0..agencies.len() as u32,
        stops: 0..stops.len() as u32,
        routes: 0..routes.len() as u32,
        services: 0..services.len() as u32,
        trips: 0..trips.len() as u32,
    };
    let mut feed = Feed { source: path.to_path_buf(), parts: vec![part], agencies, stops, routes, services, trips, stop_times, transfer_rules, stop_by_id };
    let in_file = FeedCounts {
        agencies: feed.agencies.len(),
        stops: feed.stops.len(),
        routes: feed.routes.len(),
        trips: feed.trips.len() + unloaded_trips,
        stop_times: feed.stop_times.len() + unloaded_times,
        services: feed.services.len(),
        frequency_trips: report.counts.frequency_trips + unloaded_expanded,
        transfer_rules: feed.transfer_rules.len(),
    };
    if let Some(area) = &filter.area {
        let (cut, _) = feed.clip(area);
        feed = cut;
    }
    let kept = FeedClip {
        stops: (in_file.stops, feed.stops.len()),
        routes: (in_file.routes, feed.routes.len()),
        trips: (in_file.trips, feed.trips.len()),
        stop_times: (in_file.stop_times, feed.stop_times.len()),
    };
    if filter.area.is_some() {
        report.notes.push(format!("{AREA_NOTE}: {outside} trips calling only outside it not loaded; {kept}"));
    }
    if filter.area.is_some() || !dates.is_empty() {
        let other_days_in_area = unloaded.iter().filter(|u| u.other_day && u.in_area).count();
        report.filtered = Some(FilteredRead { dates, in_file, kept, other_days, other_days_in_area, outside });
    }
    let c = &mut report.counts;
    c.agencies = feed.agencies.len();
    c.stops = feed.stops.len();
    c.routes = feed.routes.len();
    c.services = feed.services.len();
    c.trips = feed.trips.len();
    c.stop_times = feed.stop_times.len();
    c.transfer_rules = feed.transfer_rules.len();
    Ok((feed, report))
}

/// The error for a `stop_times.txt` keeping more than the limit.
fn too_many_stop_times(file: &Path, filter: &GtfsFilter) -> InputError {
    let kept = match (filter.dates.is_empty(), filter.area.is_some()) {
        (true, false) => "",
        (false, false) => " on the dates asked for",
        (true, true) => " in the study area",
        (false, true) => " on the dates asked for in the study area",
    };
    InputError::file(
        file,
        format!(
            "has more than {} stop times{kept}, the most a feed may keep in memory (so that loading stays under 1 GB); cut the feed to the study area and the dates needed before loading it (GTFS tools can filter a feed by area and date)",
            filter.max_stop_times
        ),
    )
}

/// A trip that passed the checks on `trips.txt`, waiting for its stop times.
struct PendingTrip {
    id: String,
    line: u64,
    route: u32,
    service: u32,
    headsign: Option<String>,
}

/// A trip not loaded (it runs on other dates only, or calls only outside
/// the area), counted as a whole load would keep it.
struct Unloaded {
    id: String,
    /// Its stop times.
    len: usize,
    /// Trips it makes in a whole load: 1, its frequency departures, or 0
    /// when a whole load would leave it out.
    runs: usize,
    /// Left out for its dates (its times unchecked), not for its place.
    other_day: bool,
    /// Whether it calls at a stop inside the area (always, without one).
    in_area: bool,
}

/// A trip calling only outside the area, checked and let go as soon as
/// `stop_times.txt` moves on to another trip: its length, and the problem
/// that leaves it out (if any), reported in its turn at the end, so the
/// report lists problems in the order a whole load does.
struct Parked {
    len: usize,
    ok: bool,
    problem: Option<(ProblemKind, InputError)>,
}

/// One stop time of a pending trip.
#[derive(Clone, Copy)]
struct RawTime {
    seq: u32,
    line: u64,
    stop: u32,
    arr: Option<u32>,
    dep: Option<u32>,
    pickup: bool,
    drop_off: bool,
}

struct Builder {
    report: GtfsReport,
    /// Trip ids left out (to count them once).
    dropped: HashSet<String>,
    /// Trip ids not loaded because the filter asks for other dates or places.
    not_loaded: HashSet<String>,
    /// Frequency-based departures of the trips not loaded.
    unloaded_expanded: usize,
    /// Line of each stop's record in stops.txt.
    stop_line: HashMap<String, u64>,
    /// Stops without usable coordinates: line and what is wrong.
    no_coords: HashMap<String, (u64, &'static str)>,
    no_coords_reported: HashSet<String>,
}

fn problem(file: &Path, line: u64, field: &str, message: String) -> InputError {
    InputError::at(file, Location::Line(line), Some(field), message)
}

fn first_lines<T>(t: &Table<T>, id: impl Fn(&T) -> &str) -> HashMap<String, u64> {
    let mut m = HashMap::new();
    for (line, r) in &t.rows {
        m.entry(id(r).to_string()).or_insert(*line);
    }
    m
}

impl Builder {
    fn agencies(&mut self, raw: &RawFeed) -> Vec<Agency> {
        let Some(t) = &raw.agencies else { return Vec::new() };
        let mut seen: HashMap<&str, u64> = HashMap::new();
        let mut out = Vec::new();
        for (line, a) in &t.rows {
            if let Some(id) = a.id.as_deref() {
                if let Some(prev) = seen.get(id) {
                    self.report.add(
                        ProblemKind::DuplicateId,
                        problem(&t.file, *line, "agency_id", format!("agency '{id}' is already defined on line {prev}; this row is ignored")),
                    );
                    continue;
                }
                seen.insert(id, *line);
            }
            out.push(Agency { id: a.id.clone(), name: a.name.clone() });
        }
        out
    }

    fn stops(&mut self, raw: &RawFeed) -> (Vec<Stop>, HashMap<String, u32>) {
        let t = &raw.stops;
        let mut stops = Vec::new();
        let mut by_id = HashMap::new();
        for (line, s) in &t.rows {
            if let Some(prev) = self.stop_line.get(&s.id) {
                self.report.add(
                    ProblemKind::DuplicateId,
                    problem(&t.file, *line, "stop_id", format!("stop '{}' is already defined on line {prev}; this row is ignored", s.id)),
                );
                continue;
            }
            self.stop_line.insert(s.id.clone(), *line);
            let point = match (s.longitude, s.latitude) {
                (Some(lon), Some(lat)) => LonLat::new(lon, lat),
                _ => {
                    self.no_coords.insert(s.id.clone(), (*line, "has no coordinates"));
                    continue;
                }
            };
            if !point.is_valid() || (point.lon == 0.0 && point.lat == 0.0) {
                self.no_coords.insert(s.id.clone(), (*line, "has coordinates outside the world or at 0,0"));
                continue;
            }
            let name = s.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| s.id.clone());
            by_id.insert(s.id.clone(), stops.len() as u32);
            stops.push(Stop { id: s.id.clone(), code: s.code.clone().filter(|c| !c.is_empty()), name, point });
        }
        (stops, by_id)
    }

    fn routes(&mut self, raw: &RawFeed, agencies: &[Agency]) -> (Vec<Route>, HashMap<String, u32>, HashSet<String>) {
        let t = &raw.routes;
        let mut routes = Vec::new();
        let mut by_id = HashMap::new();
        let mut lines: HashMap<&str, u64> = HashMap::new();
        let mut bad = HashSet::new();
        for (line, r) in &t.rows {
            if let Some(prev) = lines.get(r.id.as_str()) {
                self.report.add(
                    ProblemKind::DuplicateId,
                    problem(&t.file, *line, "route_id", format!("route '{}' is already defined on line {prev}; this row is ignored", r.id)),
                );
                continue;
            }
            lines.insert(&r.id, *line);
            let route_type = match r.route_type {
                gs::RouteType::Tramway => 0,
                gs::RouteType::Subway => 1,
                gs::RouteType::Rail => 2,
                gs::RouteType::Bus => 3,
                gs::RouteType::Ferry => 4,
                gs::RouteType::CableCar => 5,
                gs::RouteType::Gondola => 6,
                gs::RouteType::Funicular => 7,
                gs::RouteType::Extended(e) => e as i16,
                gs::RouteType::Other(n @ (11 | 12)) => n,
                gs::RouteType::Other(n) => {
                    self.report.add(
                        ProblemKind::UnknownRouteType,
                        problem(&t.file, *line, "route_type", format!("route type {n} of route '{}' is not a GTFS route type (0-7, 11, 12 or an extended type 100-1702); the route and its trips are left out", r.id)),
                    );
                    bad.insert(r.id.clone());
                    continue;
                }
            };
            let agency = match r.agency_id.as_deref().filter(|a| !a.is_empty()) {
                None => (agencies.len() == 1).then_some(0),
                Some(a) => {
                    let i = agencies.iter().position(|x| x.id.as_deref() == Some(a)).map(|i| i as u32);
                    if i.is_none() && raw.agencies.is_some() {
                        self.report.add(
                            ProblemKind::UnknownReference,
                            problem(&t.file, *line, "agency_id", format!("unknown agency '{a}'; route '{}' is kept without an operator", r.id)),
                        );
                    }
                    i
                }
            };
            by_id.insert(r.id.clone(), routes.len() as u32);
            routes.push(Route {
                id: r.id.clone(),
                agency,
                short_name: r.short_name.clone().unwrap_or_default(),
                long_name: r.long_name.clone().unwrap_or_default(),
                route_type,
            });
        }
        (routes, by_id, bad)
    }

    fn drop_trip(&mut self, id: &str) {
        self.dropped.insert(id.to_string());
    }

    fn trips(
        &mut self,
        raw: &RawFeed,
        route_by_id: &HashMap<String, u32>,
        bad_routes: &HashSet<String>,
        service_by_id: &HashMap<String, u32>,
    ) -> Vec<PendingTrip> {
        let t = &raw.trips;
        let un = &raw.unreadable;
        for id in &un.trip_records {
            self.drop_trip(id);
        }
        let first = first_lines(t, |r| r.id.as_str());
        let mut dup = HashSet::new();
        for (line, r) in &t.rows {
            if first.get(&r.id).is_some_and(|f| f != line) {
                self.report.add(
                    ProblemKind::DuplicateId,
                    problem(
                        &t.file,
                        *line,
                        "trip_id",
                        format!("trip '{}' is already defined on line {}; both are left out (their stop times cannot be told apart)", r.id, first[&r.id]),
                    ),
                );
                dup.insert(r.id.clone());
            }
        }
        let mut out = Vec::new();
        for (line, r) in &t.rows {
            if dup.contains(&r.id) || un.trips.contains(&r.id) {
                self.drop_trip(&r.id);
                continue;
            }
            let Some(&route) = route_by_id.get(&r.route_id) else {
                if !bad_routes.contains(&r.route_id) && !un.routes.contains(&r.route_id) {
                    self.report.add(
                        ProblemKind::UnknownReference,
                        problem(&t.file, *line, "route_id", format!("unknown route '{}'; trip '{}' left out", r.route_id, r.id)),
                    );
                }
                self.drop_trip(&r.id);
                continue;
            };
            let Some(&service) = service_by_id.get(&r.service_id) else {
                if !un.services.contains(&r.service_id) {
                    self.report.add(
                        ProblemKind::UnknownReference,
                        problem(
                            &t.file,
                            *line,
                            "service_id",
                            format!("unknown service '{}' (not in calendar.txt or calendar_dates.txt); trip '{}' left out", r.service_id, r.id),
                        ),
                    );
                }
                self.drop_trip(&r.id);
                continue;
            };
            out.push(PendingTrip { id: r.id.clone(), line: *line, route, service, headsign: r.trip_headsign.clone().filter(|h| !h.is_empty()) });
        }
        out
    }

    /// Streams `stop_times.txt`, keeping the stop times of pending trips
    /// (of those calling in the filter's area, when it has one), then
    /// checks each trip's times. Also returns the trips not loaded: those
    /// calling only outside the area (checked, as a whole load would), and
    /// the `other` trips, running on other dates (their stop times counted,
    /// whether they call in the area noted, nothing kept).
    #[allow(clippy::too_many_arguments)]
    fn stop_times(
        &mut self,
        raw: &RawFeed,
        files: &mut FeedFiles,
        pending: Vec<PendingTrip>,
        other: Vec<PendingTrip>,
        stop_by_id: &HashMap<String, u32>,
        stops: &[Stop],
        filter: &GtfsFilter,
    ) -> Result<(Vec<Trip>, StopTimes, Vec<Unloaded>), InputError> {
        let mut reader = files.stop_times()?;
        let file = reader.file.clone();
        let index: HashMap<&str, usize> = pending.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        let other_index: HashMap<&str, usize> = other.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        // Per trip of other dates: stop times, a stop unknown or unreadable, a call in the area.
        let mut other_len = vec![0usize; other.len()];
        let mut other_failed = vec![false; other.len()];
        let mut other_in_area = vec![filter.area.is_none(); other.len()];
        let known_trip: HashSet<&str> = raw.trips.rows.iter().map(|(_, r)| r.id.as_str()).collect();
        let mut times: Vec<Vec<RawTime>> = vec![Vec::new(); pending.len()];
        let mut failed = vec![false; pending.len()];
        // Trips one of whose stop times could not be read (already reported).
        let mut unreadable: HashSet<String> = HashSet::new();
        let mut kept = 0usize;
        // With an area, a trip none of whose stop times so far calls in it is
        // checked and let go when the file moves on to another trip (files
        // list each trip's stop times together), so the stop times of trips
        // outside are never all held. A trip whose stop times come back
        // later ("scattered") is read again whole in a second pass.
        let mut inside = vec![false; pending.len()];
        let mut parked: Vec<Option<Parked>> = (0..pending.len()).map(|_| None).collect();
        let mut scattered = vec![false; pending.len()];
        let mut current: Option<usize> = None;
        loop {
            let mut bad_trip = None;
            let row = reader.next(&mut self.report, &mut |id| {
                bad_trip = Some(id.to_string());
                format!("trip '{id}' left out")
            })?;
            if let Some(id) = bad_trip.take() {
                if let Some(&ti) = index.get(id.as_str()) {
                    failed[ti] = true;
                    kept -= times[ti].len();
                    times[ti] = Vec::new();
                }
                if let Some(&oi) = other_index.get(id.as_str()) {
                    other_failed[oi] = true;
                }
                unreadable.insert(id);
            }
            let Some(st) = row else { break };
            let Some(&ti) = index.get(st.trip_id) else {
                if let Some(&oi) = other_index.get(st.trip_id) {
                    other_len[oi] += 1;
                    match (stop_by_id.get(st.stop_id), &filter.area) {
                        (None, _) => other_failed[oi] = true,
                        (Some(&s), Some(area)) if area.contains(stops[s as usize].point) => other_in_area[oi] = true,
                        _ => {}
                    }
                    continue;
                }
                if !known_trip.contains(st.trip_id) && !unreadable.contains(st.trip_id) && !raw.unreadable.trip_records.contains(st.trip_id) {
                    self.report
                        .add(ProblemKind::UnknownReference, problem(&file, st.line, "trip_id", format!("unknown trip '{}'; stop time ignored", st.trip_id)));
                }
                continue;
            };
            if filter.area.is_some() && current != Some(ti) {
                if let Some(prev) = current
                    && !failed[prev]
                    && !scattered[prev]
                    && !inside[prev]
                    && !times[prev].is_empty()
                {
                    let mut ts = std::mem::take(&mut times[prev]);
                    kept -= ts.len();
                    parked[prev] = Some(self.park(&file, &raw.trips.file, &pending[prev], &mut ts, stops));
                }
                current = Some(ti);
                if parked[ti].take().is_some() {
                    scattered[ti] = true;
                }
            }
            if failed[ti] {
                continue;
            }
            let Some(&stop) = stop_by_id.get(st.stop_id) else {
                failed[ti] = true;
                kept -= times[ti].len();
                times[ti] = Vec::new();
                if let Some((sline, what)) = self.no_coords.get(st.stop_id).copied() {
                    if self.no_coords_reported.insert(st.stop_id.to_string()) {
                        self.report.add(
                            ProblemKind::MissingCoordinates,
                            problem(&raw.stops.file, sline, "stop_lat", format!("stop '{}' {what}; trips calling at it are left out", st.stop_id)),
                        );
                    }
                } else if !raw.unreadable.stops.contains(st.stop_id) {
                    self.report.add(
                        ProblemKind::UnknownReference,
                        problem(&file, st.line, "stop_id", format!("unknown stop '{}'; trip '{}' left out", st.stop_id, st.trip_id)),
                    );
                }
                continue;
            };
            if scattered[ti] {
                continue;
            }
            kept += 1;
            if kept > filter.max_stop_times {
                return Err(too_many_stop_times(&file, filter));
            }
            if let Some(area) = &filter.area {
                inside[ti] = inside[ti] || area.contains(stops[stop as usize].point);
            }
            times[ti].push(RawTime { seq: st.seq, line: st.line, stop, arr: st.arr, dep: st.dep, pickup: st.pickup, drop_off: st.drop_off });
        }
        drop(reader);
        if scattered.iter().zip(&failed).any(|(s, f)| *s && !*f) {
            // Second pass: every stop time of the scattered trips (their
            // problems were reported in the first).
            let mut reader = files.stop_times()?;
            let mut quiet = GtfsReport::default();
            while let Some(st) = reader.next(&mut quiet, &mut |_| String::new())? {
                let Some(&ti) = index.get(st.trip_id) else { continue };
                let Some(&stop) = stop_by_id.get(st.stop_id) else { continue };
                if scattered[ti] && !failed[ti] {
                    kept += 1;
                    if kept > filter.max_stop_times {
                        return Err(too_many_stop_times(&file, filter));
                    }
                    times[ti].push(RawTime { seq: st.seq, line: st.line, stop, arr: st.arr, dep: st.dep, pickup: st.pickup, drop_off: st.drop_off });
                }
            }
        }
        let mut outside = vec![false; pending.len()];
        if let Some(area) = &filter.area {
            for (ti, ts) in times.iter().enumerate() {
                if !failed[ti] && !ts.is_empty() && !ts.iter().any(|r| area.contains(stops[r.stop as usize].point)) {
                    outside[ti] = true;
                }
            }
        }
        let mut trips = Vec::with_capacity(pending.len());
        let mut out = StopTimes::default();
        let mut unloaded = Vec::new();
        for (ti, p) in pending.into_iter().enumerate() {
            if failed[ti] {
                self.drop_trip(&p.id);
                continue;
            }
            if let Some(pk) = parked[ti].take() {
                if pk.ok {
                    self.not_loaded.insert(p.id.clone());
                    unloaded.push(Unloaded { id: p.id, len: pk.len, runs: 1, other_day: false, in_area: false });
                } else {
                    if let Some((kind, e)) = pk.problem {
                        self.report.add(kind, e);
                    }
                    self.drop_trip(&p.id);
                }
                continue;
            }
            let mut ts = std::mem::take(&mut times[ti]);
            if outside[ti] {
                // Checked as a whole load would, so that the problems and the
                // counts of the file are those of a whole load.
                match self.check_times(&file, &raw.trips.file, &p, &mut ts, stops) {
                    Some(_) => {
                        self.not_loaded.insert(p.id.clone());
                        unloaded.push(Unloaded { id: p.id, len: ts.len(), runs: 1, other_day: false, in_area: false });
                    }
                    None => self.drop_trip(&p.id),
                }
                continue;
            }
            match self.check_times(&file, &raw.trips.file, &p, &mut ts, stops) {
                Some(filled) => {
                    let first = out.len() as u32;
                    for (r, (a, d)) in ts.iter().zip(filled) {
                        out.stop.push(r.stop);
                        out.arrival_s.push(a);
                        out.departure_s.push(d);
                        out.pickup.push(r.pickup);
                        out.drop_off.push(r.drop_off);
                    }
                    trips.push(Trip { id: p.id, route: p.route, service: p.service, headsign: p.headsign, first, len: ts.len() as u32 });
                }
                None => self.drop_trip(&p.id),
            }
        }
        for (oi, p) in other.into_iter().enumerate() {
            let usable = !other_failed[oi] && other_len[oi] >= 2;
            unloaded.push(Unloaded { id: p.id, len: other_len[oi], runs: usize::from(usable), other_day: true, in_area: other_in_area[oi] });
        }
        Ok((trips, out, unloaded))
    }

    /// Checks the stop times of a trip calling only outside the area, keeping
    /// the problem found (if any) to be reported in its turn.
    fn park(&mut self, file: &Path, trips_file: &Path, p: &PendingTrip, ts: &mut [RawTime], stops: &[Stop]) -> Parked {
        let report = std::mem::take(&mut self.report);
        let ok = self.check_times(file, trips_file, p, ts, stops).is_some();
        let mut found = std::mem::replace(&mut self.report, report);
        let kind = found.problem_counts.keys().next().copied();
        let problem = kind.zip(found.problems.pop());
        Parked { len: ts.len(), ok, problem }
    }

    /// Orders a trip's stop times, fills missing intermediate times and
    /// checks that time never goes backwards. `None` (reported) when the
    /// trip cannot be used.
    fn check_times(&mut self, file: &Path, trips_file: &Path, p: &PendingTrip, ts: &mut [RawTime], stops: &[Stop]) -> Option<Vec<(u32, u32)>> {
        ts.sort_by_key(|r| r.seq);
        if ts.len() < 2 {
            let what = if ts.is_empty() { "has no stop times".to_string() } else { "has only one stop time".to_string() };
            self.report.add(ProblemKind::IncompleteTrip, problem(trips_file, p.line, "trip_id", format!("trip '{}' {what}; it is left out", p.id)));
            return None;
        }
        if ts.len() > MAX_TRIP_STOPS {
            self.report.add(
                ProblemKind::IncompleteTrip,
                problem(trips_file, p.line, "trip_id", format!("trip '{}' has {} stop times, more than {MAX_TRIP_STOPS}; it is left out", p.id, ts.len())),
            );
            return None;
        }
        for w in ts.windows(2) {
            if w[0].seq == w[1].seq {
                self.report.add(
                    ProblemKind::DuplicateId,
                    problem(
                        file,
                        w[1].line,
                        "stop_sequence",
                        format!("stop_sequence {} of trip '{}' is also on line {}; trip left out", w[1].seq, p.id, w[0].line),
                    ),
                );
                return None;
            }
        }
        for end in [0, ts.len() - 1] {
            if ts[end].arr.is_none() && ts[end].dep.is_none() {
                let which = if end == 0 { "first" } else { "last" };
                self.report.add(
                    ProblemKind::IncompleteTrip,
                    problem(file, ts[end].line, "arrival_time", format!("the {which} stop of trip '{}' has no time; trip left out", p.id)),
                );
                return None;
            }
        }
        let mut at: Vec<(Option<u32>, Option<u32>)> = ts.iter().map(|r| (r.arr.or(r.dep), r.dep.or(r.arr))).collect();
        // Interpolate untimed stops by straight-line distance between the timed ones.
        let mut k = 0;
        while k < at.len() {
            if at[k].0.is_some() {
                k += 1;
                continue;
            }
            let a = k - 1;
            let mut b = k;
            while at[b].0.is_none() {
                b += 1;
            }
            let cum: Vec<f64> = std::iter::once(0.0)
                .chain((a..b).scan(0.0, |acc, i| {
                    *acc += haversine_m(stops[ts[i].stop as usize].point, stops[ts[i + 1].stop as usize].point);
                    Some(*acc)
                }))
                .collect();
            let (t0, t1) = (at[a].1.unwrap_or(0), at[b].0.unwrap_or(0));
            let total = cum[b - a];
            for i in a + 1..b {
                let f = if total > 0.0 { cum[i - a] / total } else { (i - a) as f64 / (b - a) as f64 };
                let t = (t0 as f64 + f * (t1 as f64 - t0 as f64)).round().max(0.0) as u32;
                at[i] = (Some(t), Some(t));
            }
            k = b;
        }
        let filled: Vec<(u32, u32)> = at.iter().map(|(a, d)| (a.unwrap_or(0), d.unwrap_or(0))).collect();
        for i in 0..filled.len() {
            let (a, d) = filled[i];
            if d < a {
                self.report.add(
                    ProblemKind::DecreasingTimes,
                    problem(
                        file,
                        ts[i].line,
                        "departure_time",
                        format!("trip '{}' leaves at {} before it arrives at {}; trip left out", p.id, fmt_hms(d), fmt_hms(a)),
                    ),
                );
                return None;
            }
            if i > 0 && a < filled[i - 1].1 {
                self.report.add(
                    ProblemKind::DecreasingTimes,
                    problem(
                        file,
                        ts[i].line,
                        "arrival_time",
                        format!(
                            "trip '{}' arrives at {} before it leaves the previous stop at {} (line {}); trip left out",
                            p.id,
                            fmt_hms(a),
                            fmt_hms(filled[i - 1].1),
                            ts[i - 1].line
                        ),
                    ),
                );
                return None;
            }
        }
        Some(filled)
    }

    /// Replaces each trip that has `frequencies.txt` rows by one concrete
    /// trip per departure.
    /// The rows of the trips not loaded (`unloaded`) are checked alike, and
    /// their departures counted in their `runs`.
    fn frequencies(&mut self, raw: &RawFeed, trips: Vec<Trip>, st: StopTimes, unloaded: &mut [Unloaded]) -> (Vec<Trip>, StopTimes) {
        let Some(t) = &raw.frequencies else { return (trips, st) };
        // Loaded trips first, then the usable trips not loaded.
        let n = trips.len();
        let mut index: HashMap<&str, usize> = trips.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        index.extend(unloaded.iter().enumerate().filter(|(_, u)| u.runs > 0).map(|(i, u)| (u.id.as_str(), n + i)));
        let mut rows: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); n + unloaded.len()];
        let mut has_rows = vec![false; n + unloaded.len()];
        for (line, f) in &t.rows {
            let Some(&ti) = index.get(f.trip_id.as_str()) else {
                if !self.dropped.contains(&f.trip_id) && !self.not_loaded.contains(&f.trip_id) && !raw.unreadable.trips.contains(&f.trip_id) {
                    self.report
                        .add(ProblemKind::UnknownReference, problem(&t.file, *line, "trip_id", format!("unknown trip '{}'; frequency ignored", f.trip_id)));
                }
                continue;
            };
            has_rows[ti] = true;
            if f.headway_secs == 0 {
                self.report.add(
                    ProblemKind::BadFrequency,
                    problem(&t.file, *line, "headway_secs", format!("headway of 0 s for trip '{}'; this row is ignored", f.trip_id)),
                );
            } else if f.end_time <= f.start_time {
                self.report.add(
                    ProblemKind::BadFrequency,
                    problem(
                        &t.file,
                        *line,
                        "end_time",
                        format!(
                            "end time {} is not after start time {} for trip '{}'; this row is ignored",
                            fmt_hms(f.end_time),
                            fmt_hms(f.start_time),
                            f.trip_id
                        ),
                    ),
                );
            } else if (f.end_time - f.start_time) / f.headway_secs > MAX_FREQUENCY_TRIPS {
                self.report.add(
                    ProblemKind::BadFrequency,
                    problem(
                        &t.file,
                        *line,
                        "headway_secs",
                        format!(
                            "{} to {} every {} s would make over {MAX_FREQUENCY_TRIPS} trips of '{}'; this row is ignored",
                            fmt_hms(f.start_time),
                            fmt_hms(f.end_time),
                            f.headway_secs,
                            f.trip_id
                        ),
                    ),
                );
            } else {
                rows[ti].push((f.start_time, f.end_time, f.headway_secs));
            }
        }
        for (i, u) in unloaded.iter_mut().enumerate() {
            if !has_rows[n + i] {
                continue;
            }
            if rows[n + i].is_empty() {
                u.runs = 0;
                self.dropped.insert(u.id.clone());
            } else {
                u.runs = rows[n + i].iter().map(|&(start, end, headway)| (end - start).div_ceil(headway) as usize).sum();
                self.unloaded_expanded += u.runs;
            }
        }
        let (has_rows, mut rows) = (&has_rows[..n], rows);
        rows.truncate(n);
        if !has_rows.iter().any(|&h| h) {
            return (trips, st);
        }
        let mut out_trips = Vec::new();
        let mut out = StopTimes::default();
        let mut expanded = 0;
        for (ti, trip) in trips.into_iter().enumerate() {
            let r = trip.times();
            let mut push = |id: String, shift: i64| {
                let first = out.len() as u32;
                for k in r.clone() {
                    out.stop.push(st.stop[k]);
                    out.arrival_s.push((st.arrival_s[k] as i64 + shift).clamp(0, u32::MAX as i64) as u32);
                    out.departure_s.push((st.departure_s[k] as i64 + shift).clamp(0, u32::MAX as i64) as u32);
                    out.pickup.push(st.pickup[k]);
                    out.drop_off.push(st.drop_off[k]);
                }
                out_trips.push(Trip { id, first, len: trip.len, ..trip.clone() });
            };
            if !has_rows[ti] {
                push(trip.id.clone(), 0);
                continue;
            }
            if rows[ti].is_empty() {
                self.drop_trip(&trip.id);
                continue;
            }
            let t0 = st.departure_s[r.start] as i64;
            for &(start, end, headway) in &rows[ti] {
                let mut d = start;
                while d < end {
                    push(format!("{} @{}", trip.id, fmt_hms(d)), d as i64 - t0);
                    expanded += 1;
                    let Some(next) = d.checked_add(headway) else { break };
                    d = next;
                }
            }
        }
        self.report.counts.frequency_trips = expanded;
        (out_trips, out)
    }

    fn transfers(&mut self, raw: &RawFeed, stop_by_id: &HashMap<String, u32>) -> Vec<TransferRule> {
        let Some(t) = &raw.transfers else { return Vec::new() };
        let mut out = Vec::new();
        for (line, r) in &t.rows {
            let ends = [("from_stop_id", &r.from_stop_id), ("to_stop_id", &r.to_stop_id)].map(|(field, id)| (field, id, stop_by_id.get(id.as_str()).copied()));
            if let Some((field, id, _)) = ends.iter().find(|e| e.2.is_none()) {
                self.report.add(ProblemKind::UnknownReference, problem(&t.file, *line, field, format!("unknown stop '{id}'; transfer rule ignored")));
                continue;
            }
            let (Some(from), Some(to)) = (ends[0].2, ends[1].2) else { continue };
            let kind = match r.transfer_type {
                gs::TransferType::Impossible => TransferKind::Impossible,
                gs::TransferType::MinTime => TransferKind::MinTime(r.min_transfer_time.unwrap_or(0)),
                gs::TransferType::Recommended | gs::TransferType::Timed => TransferKind::Recommended,
                _ => continue, // in-seat rules between trips are not used
            };
            out.push(TransferRule { from, to, kind });
        }
        out
    }
}
