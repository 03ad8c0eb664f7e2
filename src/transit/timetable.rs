//! The timetable of one service date in the compact form RAPTOR reads.
//!
//! Trips running that day are grouped into patterns: trips of one route
//! that call at the same stops in the same order with the same boarding
//! and alighting rules, and never overtake one another. Within a pattern
//! trips are sorted by departure, and times are flat `u32` arrays (seconds
//! since the date's midnight) laid out trip after trip, so a route scan
//! reads one trip's times contiguously and finds the earliest catchable
//! trip by a binary search. Trips of the previous day's services that run
//! past midnight are included from their first stop reached after midnight.
//!
//! Each stop lists the patterns calling at it, and the walking transfers
//! (footpaths) to nearby stops.

use std::collections::HashMap;

use crate::error::Error;
use crate::network::Network;
use crate::transit::date::ServiceDate;
use crate::transit::feed::{Feed, Route, Stop, public_transport_words, vehicle_kinds};
use crate::transit::footpaths::{FootpathOptions, Footpaths, build_footpaths};

/// A call of a trip: stop, boarding allowed, alighting allowed.
type Call = (u32, bool, bool);

/// A trip's (arrival, departure) at each call, and its index among the day's trips.
type TimedTrip = (Vec<(u32, u32)>, usize);

/// Seconds in a day: the shift of the previous day's trips.
pub const DAY_S: u32 = 86_400;

/// A group of trips with the same stops, rules and order, none overtaking another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    /// Index into [`Timetable::routes`].
    pub route: u32,
    /// Offset of its stops in [`Timetable::pattern_stops`].
    pub stops_at: u32,
    /// Number of stops.
    pub n_stops: u32,
    /// Offset of its trips in [`Timetable::trips`].
    pub trips_at: u32,
    /// Number of trips.
    pub n_trips: u32,
    /// Offset of its times in [`Timetable::arrival_s`] and [`Timetable::departure_s`].
    pub times_at: u32,
}

impl Pattern {
    /// Index into the time arrays of trip `trip` (0-based within the pattern) at stop position `pos`.
    #[inline]
    pub fn time_index(&self, trip: usize, pos: usize) -> usize {
        self.times_at as usize + trip * self.n_stops as usize + pos
    }
    /// Range of its stops in [`Timetable::pattern_stops`].
    pub fn stop_range(&self) -> std::ops::Range<usize> {
        self.stops_at as usize..(self.stops_at + self.n_stops) as usize
    }
}

/// Where a timetable trip comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TripRef {
    /// Index into [`Feed::trips`].
    pub feed_trip: u32,
    /// Whether it is the previous day's trip running after midnight.
    pub previous_day: bool,
    /// Stop times of the feed trip skipped at its start (previous-day trips only).
    pub skipped: u32,
}

/// The timetable of one service date.
#[derive(Debug, Clone)]
pub struct Timetable {
    /// The service date.
    pub date: ServiceDate,
    /// Stops, indexed as in the feed.
    pub stops: Vec<Stop>,
    /// Routes, indexed as in the feed.
    pub routes: Vec<Route>,
    /// Headsign of each feed trip (for itineraries).
    pub headsigns: Vec<Option<String>>,
    /// Id of each feed trip (for itineraries).
    pub feed_trip_ids: Vec<String>,
    /// Patterns.
    pub patterns: Vec<Pattern>,
    /// Stops of every pattern, pattern after pattern.
    pub pattern_stops: Vec<u32>,
    /// Whether riders may board at each pattern stop.
    pub can_board: Vec<bool>,
    /// Whether riders may alight at each pattern stop.
    pub can_alight: Vec<bool>,
    /// Trips of every pattern, pattern after pattern, each sorted by departure.
    pub trips: Vec<TripRef>,
    /// Arrival times, seconds since midnight (see [`Pattern::time_index`]).
    pub arrival_s: Vec<u32>,
    /// Departure times, seconds since midnight.
    pub departure_s: Vec<u32>,
    /// For each stop, `stop_patterns_first[s]..stop_patterns_first[s + 1]`
    /// indexes [`Timetable::stop_patterns`].
    pub stop_patterns_first: Vec<u32>,
    /// (pattern, position in the pattern) of each call at each stop.
    pub stop_patterns: Vec<(u32, u32)>,
    /// Walking transfers between stops.
    pub footpaths: Footpaths,
    /// Plain notes on how it was built.
    pub notes: Vec<String>,
}

impl Timetable {
    /// Builds the timetable of `date`. Footpaths between stops walk over
    /// `walk` when given (straight line x 1.3 otherwise). An error, naming
    /// the dates the feed covers, when no trip runs that day.
    pub fn build(feed: &Feed, date: ServiceDate, walk: Option<&Network>, opts: &FootpathOptions) -> Result<Timetable, Error> {
        let today = feed.active_services(date)?;
        let yesterday = feed.services_on(date.plus_days(-1));
        let mut runs_today = vec![false; feed.services.len()];
        let mut ran_yesterday = vec![false; feed.services.len()];
        today.iter().for_each(|&s| runs_today[s as usize] = true);
        yesterday.iter().for_each(|&s| ran_yesterday[s as usize] = true);
        let st = &feed.stop_times;

        // Concrete trips of the day: (feed trip, previous day, first stop time index).
        let mut day_trips: Vec<(u32, bool, usize)> = Vec::new();
        for (i, t) in feed.trips.iter().enumerate() {
            let r = t.times();
            if runs_today[t.service as usize] {
                day_trips.push((i as u32, false, r.start));
            }
            if ran_yesterday[t.service as usize]
                && let Some(k) = r.clone().find(|&k| st.arrival_s[k] >= DAY_S)
                && r.end - k >= 2
            {
                day_trips.push((i as u32, true, k));
            }
        }
        if day_trips.is_empty() {
            let sources: Vec<String> = feed.parts.iter().map(|p| p.source.display().to_string()).collect();
            let feed_name = if sources.is_empty() { feed.source.clone() } else { std::path::PathBuf::from(sources.join(", ")) };
            return Err(Error::NoTripsLoaded { feed: feed_name, date });
        }
        let mut notes = Vec::new();
        if feed.parts.len() > 1 {
            for p in feed.parts_without_service(date) {
                notes.push(format!("{}; its trips are not used", feed.part_no_service_message(p, date)));
            }
        }
        let times_of = |&(t, prev, k): &(u32, bool, usize)| -> Vec<(u32, u32)> {
            let shift = if prev { DAY_S } else { 0 };
            (k..feed.trips[t as usize].times().end).map(|j| (st.arrival_s[j] - shift, st.departure_s[j] - shift)).collect()
        };

        // Group by route, stop sequence and boarding rules.
        let mut groups: HashMap<(u32, Vec<Call>), Vec<usize>> = HashMap::new();
        for (i, dt) in day_trips.iter().enumerate() {
            let trip = &feed.trips[dt.0 as usize];
            let calls: Vec<Call> = (dt.2..trip.times().end).map(|j| (st.stop[j], st.pickup[j], st.drop_off[j])).collect();
            groups.entry((trip.route, calls)).or_default().push(i);
        }
        let mut keys: Vec<_> = groups.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));

        let mut tt = Timetable {
            date,
            stops: feed.stops.clone(),
            routes: feed.routes.clone(),
            headsigns: feed.trips.iter().map(|t| t.headsign.clone()).collect(),
            feed_trip_ids: feed.trips.iter().map(|t| t.id.clone()).collect(),
            patterns: Vec::new(),
            pattern_stops: Vec::new(),
            can_board: Vec::new(),
            can_alight: Vec::new(),
            trips: Vec::new(),
            arrival_s: Vec::new(),
            departure_s: Vec::new(),
            stop_patterns_first: Vec::new(),
            stop_patterns: Vec::new(),
            footpaths: Footpaths::default(),
            notes,
        };
        let mut split = 0;
        for ((route, calls), members) in keys {
            let mut timed: Vec<TimedTrip> = members.iter().map(|&i| (times_of(&day_trips[i]), i)).collect();
            timed.sort();
            // Split into groups where no trip overtakes the one before it.
            let mut subs: Vec<Vec<TimedTrip>> = Vec::new();
            for tr in timed {
                let fits = |sub: &Vec<TimedTrip>| sub.last().is_some_and(|last| last.0.iter().zip(&tr.0).all(|(a, b)| b.0 >= a.0 && b.1 >= a.1));
                match subs.iter_mut().find(|s| fits(s)) {
                    Some(s) => s.push(tr),
                    None => subs.push(vec![tr]),
                }
            }
            split += subs.len() - 1;
            for sub in subs {
                let p = Pattern {
                    route,
                    stops_at: tt.pattern_stops.len() as u32,
                    n_stops: calls.len() as u32,
                    trips_at: tt.trips.len() as u32,
                    n_trips: sub.len() as u32,
                    times_at: tt.arrival_s.len() as u32,
                };
                for &(s, b, a) in &calls {
                    tt.pattern_stops.push(s);
                    tt.can_board.push(b);
                    tt.can_alight.push(a);
                }
                for (times, i) in sub {
                    let (t, prev, k) = day_trips[i];
                    tt.trips.push(TripRef { feed_trip: t, previous_day: prev, skipped: (k - feed.trips[t as usize].times().start) as u32 });
                    for (a, d) in times {
                        tt.arrival_s.push(a);
                        tt.departure_s.push(d);
                    }
                }
                tt.patterns.push(p);
            }
        }
        if split > 0 {
            tt.notes.push(format!("{split} patterns split because some trips overtake others"));
        }

        // Stop -> (pattern, position).
        let n = tt.stops.len();
        let mut calls: Vec<(u32, u32, u32)> = Vec::new();
        for (pi, p) in tt.patterns.iter().enumerate() {
            for (pos, &s) in tt.pattern_stops[p.stop_range()].iter().enumerate() {
                calls.push((s, pi as u32, pos as u32));
            }
        }
        calls.sort_unstable();
        tt.stop_patterns_first = vec![0; n + 1];
        for c in &calls {
            tt.stop_patterns_first[c.0 as usize + 1] += 1;
        }
        for i in 0..n {
            tt.stop_patterns_first[i + 1] += tt.stop_patterns_first[i];
        }
        tt.stop_patterns = calls.iter().map(|c| (c.1, c.2)).collect();

        let used: Vec<bool> = (0..n).map(|s| tt.stop_patterns_first[s] < tt.stop_patterns_first[s + 1]).collect();
        let (footpaths, notes) = build_footpaths(&tt.stops, &used, walk, &feed.transfer_rules, opts);
        tt.footpaths = footpaths;
        tt.notes.extend(notes);
        Ok(tt)
    }

    /// Number of stops (served or not).
    pub fn stop_count(&self) -> usize {
        self.stops.len()
    }

    /// Patterns calling at stop `s`, with the position of the call.
    #[inline]
    pub fn patterns_at(&self, s: usize) -> &[(u32, u32)] {
        &self.stop_patterns[self.stop_patterns_first[s] as usize..self.stop_patterns_first[s + 1] as usize]
    }

    /// Whether any trip calls at stop `s` that day.
    pub fn is_served(&self, s: usize) -> bool {
        self.stop_patterns_first[s] < self.stop_patterns_first[s + 1]
    }

    /// Number of trips running that day.
    pub fn trip_count(&self) -> usize {
        self.trips.len()
    }

    /// The feed's id of a timetable trip (`(previous day)` added for a
    /// previous day's trip running after midnight).
    pub fn trip_id(&self, t: TripRef) -> String {
        let id = &self.feed_trip_ids[t.feed_trip as usize];
        if t.previous_day { format!("{id} (previous day)") } else { id.clone() }
    }

    /// The route of a pattern.
    pub fn route_of(&self, pattern: usize) -> &Route {
        &self.routes[self.patterns[pattern].route as usize]
    }

    /// The kinds of vehicle running that day (`bus`, `coach`, `train`),
    /// most trips first.
    pub fn vehicle_kinds(&self) -> Vec<&'static str> {
        vehicle_kinds(&self.routes, self.patterns.iter().flat_map(|p| std::iter::repeat_n(p.route, p.n_trips as usize)))
    }

    /// The public transport of the day named for a sentence: `bus` when
    /// only buses and coaches run, else `public transport (bus, train)`.
    pub fn mode_words(&self) -> String {
        public_transport_words(&self.vehicle_kinds())
    }
}

impl std::fmt::Display for Timetable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let served = (0..self.stops.len()).filter(|&s| self.is_served(s)).count();
        write!(
            f,
            "timetable for {} {}: {} trips in {} patterns, {} stops served, {} footpaths ({})",
            self.date.weekday_name(),
            self.date,
            self.trips.len(),
            self.patterns.len(),
            served,
            self.footpaths.len(),
            self.footpaths.source
        )
    }
}
