//! Several GTFS feeds in one study (a bus feed, the national rail
//! timetable, coaches): each is loaded and checked on its own by
//! [`load_gtfs`], then [`merge_feeds`] puts them in one [`Feed`], so one
//! timetable and one RAPTOR search ride them all and change between them by
//! walking (the footpaths link nearby stops whatever feed they come from).
//!
//! Ids of different feeds may clash (route `2` of a bus operator and route
//! `2` of a train company; the same feed given twice clashes everywhere).
//! With several feeds every id (agency, stop, route, service, trip) is
//! therefore written `tag:id`, the tag naming the feed by its main kind of
//! vehicle (`bus:VJ1f2e`, `train:NWPTRTG`, and `bus-2:...` for a second bus
//! feed). A feed loaded alone keeps its ids as written. Stop codes and
//! names, which riders see, are never changed.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::Error;
use crate::transit::feed::{Agency, Feed, FeedPart, Route, Stop, StopTimes, TransferRule, Trip, vehicle_kinds};
use crate::transit::gtfs::load_gtfs;
use crate::transit::report::GtfsReport;

/// Loads every feed of `paths` (each checked on its own, with its own
/// report) and merges them into one [`Feed`]. An error names the feed that
/// cannot be read.
pub fn load_feeds(paths: &[PathBuf]) -> Result<(Feed, Vec<GtfsReport>), Error> {
    if paths.is_empty() {
        return Err(Error::MissingArgument { flag: "--gtfs", reason: "no GTFS feed given" });
    }
    let mut feeds = Vec::with_capacity(paths.len());
    let mut reports = Vec::with_capacity(paths.len());
    for p in paths {
        let (f, r) = load_gtfs(p)?;
        feeds.push(f);
        reports.push(r);
    }
    Ok((merge_feeds(feeds), reports))
}

/// The short names of feeds merged together: each feed's main kind of
/// vehicle (by number of trips), `-2`, `-3`, ... added when two feeds
/// share one.
pub fn feed_tags(feeds: &[Feed]) -> Vec<String> {
    let mut used: HashMap<String, usize> = HashMap::new();
    feeds
        .iter()
        .map(|f| {
            let kind = f.vehicle_kinds().first().copied().unwrap_or("feed");
            let n = used.entry(kind.to_string()).or_insert(0);
            *n += 1;
            if *n == 1 { kind.to_string() } else { format!("{kind}-{n}") }
        })
        .collect()
}

/// Merges feeds into one, in order. One feed is returned as it is; with
/// several, every id is prefixed with its feed's tag ([`feed_tags`]) and
/// the indices of each feed's records are shifted past the feeds before it.
pub fn merge_feeds(mut feeds: Vec<Feed>) -> Feed {
    if feeds.len() == 1
        && let Some(f) = feeds.pop()
    {
        return f;
    }
    let tags = feed_tags(&feeds);
    let ns = |tag: &str, id: &str| format!("{tag}:{id}");
    let mut out = Feed {
        source: feeds.first().map_or_else(PathBuf::new, |f| f.source.clone()),
        parts: Vec::with_capacity(feeds.len()),
        agencies: Vec::new(),
        stops: Vec::new(),
        routes: Vec::new(),
        services: Vec::new(),
        trips: Vec::new(),
        stop_times: StopTimes::default(),
        transfer_rules: Vec::new(),
        stop_by_id: HashMap::new(),
    };
    for (f, tag) in feeds.into_iter().zip(tags) {
        let base = |v: usize| v as u32;
        let (a0, s0, r0, v0, t0, st0) = (
            base(out.agencies.len()),
            base(out.stops.len()),
            base(out.routes.len()),
            base(out.services.len()),
            base(out.trips.len()),
            base(out.stop_times.len()),
        );
        out.agencies.extend(f.agencies.into_iter().map(|a| Agency { id: a.id.map(|id| ns(&tag, &id)), name: a.name }));
        out.stops.extend(f.stops.into_iter().map(|s| Stop { id: ns(&tag, &s.id), ..s }));
        out.routes.extend(f.routes.into_iter().map(|r| Route { id: ns(&tag, &r.id), agency: r.agency.map(|a| a + a0), ..r }));
        out.services.extend(f.services.into_iter().map(|mut s| {
            s.id = ns(&tag, &s.id);
            s
        }));
        out.trips.extend(f.trips.into_iter().map(|t| Trip { id: ns(&tag, &t.id), route: t.route + r0, service: t.service + v0, first: t.first + st0, ..t }));
        let st = f.stop_times;
        out.stop_times.stop.extend(st.stop.iter().map(|s| s + s0));
        out.stop_times.arrival_s.extend(st.arrival_s);
        out.stop_times.departure_s.extend(st.departure_s);
        out.stop_times.pickup.extend(st.pickup);
        out.stop_times.drop_off.extend(st.drop_off);
        out.transfer_rules.extend(f.transfer_rules.iter().map(|r| TransferRule { from: r.from + s0, to: r.to + s0, kind: r.kind }));
        let end = |v: usize| v as u32;
        out.parts.push(FeedPart {
            tag,
            source: f.source,
            agencies: a0..end(out.agencies.len()),
            stops: s0..end(out.stops.len()),
            routes: r0..end(out.routes.len()),
            services: v0..end(out.services.len()),
            trips: t0..end(out.trips.len()),
        });
    }
    out.stop_by_id = out.stops.iter().enumerate().map(|(i, s)| (s.id.clone(), i as u32)).collect();
    out
}

impl Feed {
    /// The kinds of vehicle of one part's trips, most trips first.
    pub fn part_vehicle_kinds(&self, part: &FeedPart) -> Vec<&'static str> {
        vehicle_kinds(&self.routes, self.trips[part.trips.start as usize..part.trips.end as usize].iter().map(|t| t.route))
    }

    /// The feeds in words for reports and summaries: each file name with
    /// its kinds of vehicle (`bus_gtfs.zip (bus, coach); rail_gtfs.zip (train)`).
    pub fn describe_parts(&self) -> String {
        self.parts.iter().map(|p| format!("{} ({})", p.file_name(), self.part_vehicle_kinds(p).join(", "))).collect::<Vec<_>>().join("; ")
    }
}
