//! A GTFS feed held in compact form, for every date it covers: operators,
//! stops, routes, services, trips with their stop times in flat arrays
//! (seconds since the service day's midnight, past 24:00 when a trip runs
//! after midnight), and transfer rules. [`crate::transit::gtfs`] builds it
//! from one feed; [`crate::transit::feeds`] merges several (bus, rail,
//! coach) into one, each keeping its records in a [`FeedPart`].

use std::collections::HashMap;
use std::path::PathBuf;

use crate::geom::LonLat;
use crate::transit::calendar::Service;

/// An operator.
#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    /// `agency_id`, if given.
    pub id: Option<String>,
    /// `agency_name`.
    pub name: String,
}

/// A place where vehicles stop.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    /// `stop_id`.
    pub id: String,
    /// `stop_code` (the code on the stop's flag), if given.
    pub code: Option<String>,
    /// `stop_name`, or the id when blank.
    pub name: String,
    /// Where it is.
    pub point: LonLat,
}

/// A route (a line as riders know it).
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// `route_id`.
    pub id: String,
    /// Index into [`Feed::agencies`], if known.
    pub agency: Option<u32>,
    /// `route_short_name` (e.g. `R1`), possibly empty.
    pub short_name: String,
    /// `route_long_name`, possibly empty.
    pub long_name: String,
    /// `route_type` as a number (3 bus, 200 coach, ...).
    pub route_type: i16,
}

impl Route {
    /// The name riders use: the short name, else the long name, else the id.
    pub fn label(&self) -> &str {
        [&self.short_name, &self.long_name].into_iter().find(|s| !s.is_empty()).unwrap_or(&self.id)
    }
    /// The kind of vehicle in words (`bus`, `coach`, `train`, ...).
    pub fn mode_name(&self) -> &'static str {
        match self.route_type {
            12 | 405 => "monorail",
            0 | 900..=999 => "tram",
            1 | 400..=499 => "metro",
            2 | 100..=199 => "train",
            3 | 700..=799 => "bus",
            200..=299 => "coach",
            4 | 1000..=1099 | 1200..=1299 => "ferry",
            5 => "cable tram",
            6 | 1300..=1399 => "aerial lift",
            7 | 1400..=1499 => "funicular",
            11 | 800..=899 => "trolleybus",
            _ => "vehicle",
        }
    }
}

/// How a transfer between two stops is ruled by `transfers.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferKind {
    /// A recommended or timed transfer point: walking as usual.
    Recommended,
    /// At least `min_transfer_time` seconds are needed.
    MinTime(u32),
    /// No transfer here.
    Impossible,
}

/// One usable `transfers.txt` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferRule {
    /// From this stop.
    pub from: u32,
    /// To this stop.
    pub to: u32,
    /// What it says.
    pub kind: TransferKind,
}

/// A trip: one run of a vehicle along a route on the days of its service.
#[derive(Debug, Clone, PartialEq)]
pub struct Trip {
    /// `trip_id`; frequency-based departures add ` @hh:mm:ss`.
    pub id: String,
    /// Index into [`Feed::routes`].
    pub route: u32,
    /// Index into [`Feed::services`].
    pub service: u32,
    /// `trip_headsign`, if given.
    pub headsign: Option<String>,
    /// First index of its stop times in [`Feed::stop_times`].
    pub first: u32,
    /// Number of stop times (at least 2).
    pub len: u32,
}

impl Trip {
    /// Range of its stop times in [`Feed::stop_times`].
    pub fn times(&self) -> std::ops::Range<usize> {
        self.first as usize..(self.first + self.len) as usize
    }
}

/// All trips' stop times, trip after trip, in stop order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StopTimes {
    /// Index into [`Feed::stops`].
    pub stop: Vec<u32>,
    /// Arrival, seconds since the service day's midnight.
    pub arrival_s: Vec<u32>,
    /// Departure, seconds since the service day's midnight.
    pub departure_s: Vec<u32>,
    /// Whether riders may board here.
    pub pickup: Vec<bool>,
    /// Whether riders may alight here.
    pub drop_off: Vec<bool>,
}

impl StopTimes {
    /// Number of stop times.
    pub fn len(&self) -> usize {
        self.stop.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.stop.is_empty()
    }
}

/// One of the feeds a [`Feed`] was made from, and where its records lie in
/// the merged arrays (each kind of record is stored feed after feed).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPart {
    /// Short name of the feed (`bus`, `train`, `bus-2`, ...): the prefix of
    /// its ids (`train:NWPTRTG`) when several feeds are merged; empty for a
    /// feed loaded alone, whose ids are kept as written.
    pub tag: String,
    /// The zip file or folder it was read from.
    pub source: PathBuf,
    /// Its agencies in [`Feed::agencies`].
    pub agencies: std::ops::Range<u32>,
    /// Its stops in [`Feed::stops`].
    pub stops: std::ops::Range<u32>,
    /// Its routes in [`Feed::routes`].
    pub routes: std::ops::Range<u32>,
    /// Its services in [`Feed::services`].
    pub services: std::ops::Range<u32>,
    /// Its trips in [`Feed::trips`].
    pub trips: std::ops::Range<u32>,
}

impl FeedPart {
    /// The feed's file name (`rail_gtfs.zip`), for messages and reports.
    pub fn file_name(&self) -> String {
        self.source.file_name().map_or_else(|| self.source.display().to_string(), |n| n.to_string_lossy().into_owned())
    }
}

/// A checked GTFS feed for every date it covers.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The zip file or folder it was read from (the first one, when several
    /// feeds were merged: see [`Feed::parts`]).
    pub source: PathBuf,
    /// The feeds it was made from, in order (one for a feed loaded alone).
    pub parts: Vec<FeedPart>,
    /// Operators.
    pub agencies: Vec<Agency>,
    /// Stops with coordinates.
    pub stops: Vec<Stop>,
    /// Routes kept.
    pub routes: Vec<Route>,
    /// Services.
    pub services: Vec<Service>,
    /// Trips kept.
    pub trips: Vec<Trip>,
    /// Their stop times.
    pub stop_times: StopTimes,
    /// Transfer rules between known stops.
    pub transfer_rules: Vec<TransferRule>,
    /// Stop index by `stop_id`.
    pub(crate) stop_by_id: HashMap<String, u32>,
}

impl Feed {
    /// The index of the stop with `stop_id` `id` (`tag:id` when several
    /// feeds were merged).
    pub fn stop_index(&self, id: &str) -> Option<u32> {
        self.stop_by_id.get(id).copied()
    }

    /// The part (feed) a stop comes from.
    pub fn part_of_stop(&self, stop: u32) -> Option<&FeedPart> {
        self.parts.iter().find(|p| p.stops.contains(&stop))
    }

    /// The kinds of vehicle of the feed's trips (`bus`, `coach`, `train`),
    /// most trips first, ties by name.
    pub fn vehicle_kinds(&self) -> Vec<&'static str> {
        vehicle_kinds(&self.routes, self.trips.iter().map(|t| t.route))
    }
}

/// The kinds of vehicle running trips on `routes` (one route index per
/// trip), most trips first, ties by name.
pub fn vehicle_kinds(routes: &[Route], trip_routes: impl Iterator<Item = u32>) -> Vec<&'static str> {
    let mut count: HashMap<&'static str, usize> = HashMap::new();
    for r in trip_routes {
        if let Some(route) = routes.get(r as usize) {
            *count.entry(route.mode_name()).or_insert(0) += 1;
        }
    }
    let mut v: Vec<(&'static str, usize)> = count.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().map(|(k, _)| k).collect()
}

/// How the public transport of a study is named in a sentence: `bus` when
/// only buses and coaches run (the usual single feed), otherwise `public
/// transport (bus, train)` with the kinds of vehicle listed.
pub fn public_transport_words(kinds: &[&str]) -> String {
    if kinds.is_empty() || kinds.iter().all(|k| matches!(*k, "bus" | "coach" | "trolleybus")) {
        "bus".to_string()
    } else {
        format!("public transport ({})", kinds.join(", "))
    }
}
