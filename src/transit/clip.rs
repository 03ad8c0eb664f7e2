//! Cutting a regional feed to a study area: only trips that call at a stop
//! inside the area can carry anyone to or from it, so the others are left
//! out, with the stops and routes only they used. A kept trip keeps every
//! one of its stop times, inside the area or not: cutting out the part of a
//! trip that runs outside would join its ends into a direct hop that does
//! not exist. Stops inside the area are kept whether or not a kept trip
//! serves them.

use crate::geom::Extent;
use crate::transit::feed::{Feed, StopTimes, TransferRule, Trip};

/// What clipping a feed kept, in counts before and after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedClip {
    /// Stops.
    pub stops: (usize, usize),
    /// Routes.
    pub routes: (usize, usize),
    /// Trips.
    pub trips: (usize, usize),
    /// Stop times.
    pub stop_times: (usize, usize),
}

impl std::fmt::Display for FeedClip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |(a, b): (usize, usize)| format!("{a} -> {b}");
        write!(f, "stops {}, routes {}, trips {} (stop times {})", n(self.stops), n(self.routes), n(self.trips), n(self.stop_times))
    }
}

/// The new index of each kept element (`u32::MAX` for the others), and how many are kept.
fn renumber(keep: &[bool]) -> (Vec<u32>, usize) {
    let mut next = 0u32;
    let map = keep
        .iter()
        .map(|&k| {
            if k {
                next += 1;
                next - 1
            } else {
                u32::MAX
            }
        })
        .collect();
    (map, next as usize)
}

/// The range of kept elements among `range` of the old ones, in the new numbering.
fn kept_range(keep: &[bool], range: &std::ops::Range<u32>) -> std::ops::Range<u32> {
    let before = keep[..range.start as usize].iter().filter(|k| **k).count() as u32;
    let within = keep[range.start as usize..range.end as usize].iter().filter(|k| **k).count() as u32;
    before..before + within
}

impl Feed {
    /// The feed cut to `area`: the trips calling at a stop inside it, whole;
    /// the stops inside it and those the kept trips call at; the routes of
    /// the kept trips. Agencies and services (the calendar) are all kept.
    pub fn clip(self, area: &Extent) -> (Feed, FeedClip) {
        let st = &self.stop_times;
        let inside: Vec<bool> = self.stops.iter().map(|s| area.contains(s.point)).collect();
        let keep_trip: Vec<bool> = self.trips.iter().map(|t| t.times().any(|k| inside[st.stop[k] as usize])).collect();
        let mut keep_stop = inside;
        let mut keep_route = vec![false; self.routes.len()];
        for (t, _) in self.trips.iter().zip(&keep_trip).filter(|(_, k)| **k) {
            keep_route[t.route as usize] = true;
            for k in t.times() {
                keep_stop[st.stop[k] as usize] = true;
            }
        }
        let (stop_map, n_stops) = renumber(&keep_stop);
        let (route_map, n_routes) = renumber(&keep_route);
        let mut times = StopTimes::default();
        let mut trips = Vec::with_capacity(keep_trip.iter().filter(|k| **k).count());
        for (t, _) in self.trips.iter().zip(&keep_trip).filter(|(_, k)| **k) {
            let first = times.len() as u32;
            for k in t.times() {
                times.stop.push(stop_map[st.stop[k] as usize]);
                times.arrival_s.push(st.arrival_s[k]);
                times.departure_s.push(st.departure_s[k]);
                times.pickup.push(st.pickup[k]);
                times.drop_off.push(st.drop_off[k]);
            }
            trips.push(Trip { route: route_map[t.route as usize], first, ..t.clone() });
        }
        let clip = FeedClip {
            stops: (self.stops.len(), n_stops),
            routes: (self.routes.len(), n_routes),
            trips: (self.trips.len(), trips.len()),
            stop_times: (st.len(), times.len()),
        };
        let parts = self
            .parts
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.stops = kept_range(&keep_stop, &p.stops);
                p.routes = kept_range(&keep_route, &p.routes);
                p.trips = kept_range(&keep_trip, &p.trips);
                p
            })
            .collect();
        let stops: Vec<_> = self.stops.into_iter().zip(&keep_stop).filter(|(_, k)| **k).map(|(s, _)| s).collect();
        let routes = self.routes.into_iter().zip(&keep_route).filter(|(_, k)| **k).map(|(r, _)| r).collect();
        let transfer_rules = self
            .transfer_rules
            .iter()
            .filter(|r| keep_stop[r.from as usize] && keep_stop[r.to as usize])
            .map(|r| TransferRule { from: stop_map[r.from as usize], to: stop_map[r.to as usize], kind: r.kind })
            .collect();
        let stop_by_id = stops.iter().enumerate().map(|(i, s)| (s.id.clone(), i as u32)).collect();
        let feed = Feed {
            source: self.source,
            parts,
            agencies: self.agencies,
            stops,
            routes,
            services: self.services,
            trips,
            stop_times: times,
            transfer_rules,
            stop_by_id,
        };
        (feed, clip)
    }
}
