//! The slow, obviously correct twin of RAPTOR, for tests only: Dijkstra's
//! algorithm over a time-expanded graph of stop events, built straight from
//! the feed (not from the timetable's patterns).
//!
//! States are "at stop s after k vehicles, having arrived on foot (from the
//! start or by a footpath)" or "... by vehicle", and "on board trip event e
//! as the k-th vehicle". From a stop the traveller may board any departure
//! at least the boarding slack later (if fewer than the maximum vehicles
//! were used); after a vehicle they may also walk one footpath. On board
//! they ride to the next stop, where they may alight or stay on. All edges
//! take time forward, so the first time a state is settled is its earliest.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::transit::date::ServiceDate;
use crate::transit::feed::Feed;
use crate::transit::footpaths::Footpaths;
use crate::transit::raptor::{RaptorOptions, UNREACHED};
use crate::transit::timetable::DAY_S;

/// Stop events of one service date, trip by trip.
pub(crate) struct Reference {
    n_stops: usize,
    stop: Vec<u32>,
    arr: Vec<u32>,
    dep: Vec<u32>,
    pickup: Vec<bool>,
    drop_off: Vec<bool>,
    /// Whether event e + 1 is the next stop of the same trip.
    has_next: Vec<bool>,
    by_stop: Vec<Vec<u32>>,
}

impl Reference {
    /// The events of trips running on `date`, and of the previous day's
    /// trips from their first arrival after midnight.
    pub(crate) fn new(feed: &Feed, date: ServiceDate) -> Self {
        let today = feed.services_on(date);
        let yesterday = feed.services_on(date.plus_days(-1));
        let st = &feed.stop_times;
        let mut r = Reference {
            n_stops: feed.stops.len(),
            stop: vec![],
            arr: vec![],
            dep: vec![],
            pickup: vec![],
            drop_off: vec![],
            has_next: vec![],
            by_stop: vec![Vec::new(); feed.stops.len()],
        };
        for t in &feed.trips {
            for (runs, shift) in [(today.contains(&t.service), 0), (yesterday.contains(&t.service), DAY_S)] {
                if !runs {
                    continue;
                }
                let ks: Vec<usize> = t.times().filter(|&k| st.arrival_s[k] >= shift).collect();
                if ks.len() < 2 {
                    continue;
                }
                for (j, &k) in ks.iter().enumerate() {
                    r.by_stop[st.stop[k] as usize].push(r.stop.len() as u32);
                    r.stop.push(st.stop[k]);
                    r.arr.push(st.arrival_s[k] - shift);
                    r.dep.push(st.departure_s[k] - shift);
                    r.pickup.push(st.pickup[k]);
                    r.drop_off.push(st.drop_off[k]);
                    r.has_next.push(j + 1 < ks.len());
                }
            }
        }
        r
    }

    /// Earliest arrival at every stop by any means and by vehicle, leaving
    /// at `depart_s` through `access` (stop, walking seconds).
    pub(crate) fn earliest(&self, footpaths: &Footpaths, access: &[(u32, u32)], depart_s: u32, opts: RaptorOptions) -> (Vec<u32>, Vec<u32>) {
        let n = self.n_stops;
        let ne = self.stop.len();
        let vehicles = opts.max_transfers as usize + 1;
        let at = |k: usize, by_ride: bool, s: usize| (k * 2 + usize::from(by_ride)) * n + s;
        let base = (vehicles + 1) * 2 * n;
        let ride = |k: usize, e: usize| base + (k - 1) * ne + e;
        let mut dist = vec![UNREACHED; base + vehicles * ne];
        let mut heap = BinaryHeap::new();
        let relax = |dist: &mut Vec<u32>, heap: &mut BinaryHeap<Reverse<(u32, usize)>>, id: usize, t: u32| {
            if t < dist[id] {
                dist[id] = t;
                heap.push(Reverse((t, id)));
            }
        };
        for &(s, w) in access {
            relax(&mut dist, &mut heap, at(0, false, s as usize), depart_s + w);
        }
        while let Some(Reverse((t, id))) = heap.pop() {
            if t > dist[id] {
                continue;
            }
            if id < base {
                let (s, kind) = (id % n, id / n);
                let (k, by_ride) = (kind / 2, kind % 2 == 1);
                if k < vehicles {
                    for &e in &self.by_stop[s] {
                        let e = e as usize;
                        if self.pickup[e] && self.dep[e] >= t + opts.board_slack_s {
                            relax(&mut dist, &mut heap, ride(k + 1, e), self.dep[e]);
                        }
                    }
                }
                if by_ride {
                    for f in footpaths.from(s) {
                        relax(&mut dist, &mut heap, at(k, false, footpaths.to[f] as usize), t + footpaths.walk_s[f]);
                    }
                }
            } else {
                let (k, e) = ((id - base) / ne + 1, (id - base) % ne);
                if self.has_next[e] {
                    let nx = e + 1;
                    if self.drop_off[nx] {
                        relax(&mut dist, &mut heap, at(k, true, self.stop[nx] as usize), self.arr[nx]);
                    }
                    relax(&mut dist, &mut heap, ride(k, nx), self.dep[nx]);
                }
            }
        }
        let mut any = vec![UNREACHED; n];
        let mut by_ride = vec![UNREACHED; n];
        for k in 0..=vehicles {
            for s in 0..n {
                let (w, r) = (dist[at(k, false, s)], dist[at(k, true, s)]);
                any[s] = any[s].min(w).min(r);
                by_ride[s] = by_ride[s].min(r);
            }
        }
        (any, by_ride)
    }
}
