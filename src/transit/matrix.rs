//! The origins x destinations bus matrix over a departure window, as R5
//! and Conveyal report it: for every departure minute the door-to-door
//! time (arrival minus the minute, so the first wait counts), then per pair
//! the 10th, 50th and 90th percentiles over the minutes and the share of
//! minutes with no journey under the time limit. A journey is the faster of
//! walking all the way and range RAPTOR with walking at both ends. Origins
//! run in parallel with rayon, each with its own router buffers (the
//! result does not depend on the number of threads). Each search stops at
//! the travel limit, and departures that can board nothing new are not
//! searched again ([`crate::transit::raptor::Raptor::run_range`]);
//! [`BusRouter::matrix_every_departure`] is the plain twin.

use rayon::prelude::*;

use crate::geom::LonLat;
use crate::network::dijkstra::Search;
use crate::network::snap::{Snap, SnapFailure};
use crate::network::street_matrix;
use crate::network::{Network, Period};
use crate::progress::{Cancelled, Progress};
use crate::transit::raptor::{Raptor, StopWalk, UNREACHED};
use crate::transit::request::{BusOptions, DepartureWindow};
use crate::transit::router::{BusRouter, NoBusTime};
use crate::transit::timetable::Timetable;

/// The percentiles reported, in percent.
pub const PERCENTILES: [u32; 3] = [10, 50, 90];

/// Origins x destinations bus times over a departure window, origin-major.
#[derive(Debug, Clone, PartialEq)]
pub struct BusMatrix {
    /// Number of origins (rows).
    pub origins: usize,
    /// Number of destinations (columns).
    pub destinations: usize,
    /// The departure window.
    pub window: DepartureWindow,
    /// The limits used.
    pub options: BusOptions,
    /// 10th percentile of the door-to-door time over the window, seconds; `INFINITY` for none.
    pub p10_s: Vec<f32>,
    /// Median door-to-door time over the window, seconds; `INFINITY` for none.
    pub median_s: Vec<f32>,
    /// 90th percentile, seconds; `INFINITY` for none.
    pub p90_s: Vec<f32>,
    /// Share of departure minutes with no journey under `options.max_travel_s` (0..=1).
    pub no_journey_share: Vec<f32>,
    /// Walking all the way, seconds; `INFINITY` when over the time limit.
    pub walk_only_s: Vec<f32>,
    /// Served stops within walking reach of each origin.
    pub origin_stops: Vec<u32>,
    /// Served stops within walking reach of each destination.
    pub destination_stops: Vec<u32>,
    /// Each origin's snap to the walk network, or why it failed.
    pub origin_snaps: Vec<Result<Snap, SnapFailure>>,
    /// Each destination's snap, or why it failed.
    pub destination_snaps: Vec<Result<Snap, SnapFailure>>,
}

impl BusMatrix {
    fn at(&self, v: &[f32], o: usize, d: usize) -> Option<f32> {
        let t = v[o * self.destinations + d];
        t.is_finite().then_some(t)
    }
    /// Median time in seconds from `o` to `d`, if any.
    pub fn median(&self, o: usize, d: usize) -> Option<f32> {
        self.at(&self.median_s, o, d)
    }
    /// 10th percentile in seconds, if any.
    pub fn p10(&self, o: usize, d: usize) -> Option<f32> {
        self.at(&self.p10_s, o, d)
    }
    /// 90th percentile in seconds, if any.
    pub fn p90(&self, o: usize, d: usize) -> Option<f32> {
        self.at(&self.p90_s, o, d)
    }
    /// Share of the window's minutes with no journey under the limit.
    pub fn no_journey(&self, o: usize, d: usize) -> f32 {
        self.no_journey_share[o * self.destinations + d]
    }
    /// Why `o` to `d` has no median time (`None` when it has one).
    pub fn why_none(&self, o: usize, d: usize) -> Option<NoBusTime> {
        if self.median(o, d).is_some() {
            return None;
        }
        Some(match (&self.origin_snaps[o], &self.destination_snaps[d]) {
            (Err(e), _) => NoBusTime::OriginOffNetwork(*e),
            (_, Err(e)) => NoBusTime::DestinationOffNetwork(*e),
            _ if self.origin_stops[o] == 0 && self.walk_only_s[o * self.destinations + d].is_infinite() => {
                NoBusTime::NoStopNearOrigin { max_access_m: self.options.max_access_m }
            }
            _ if self.destination_stops[d] == 0 && self.walk_only_s[o * self.destinations + d].is_infinite() => {
                NoBusTime::NoStopNearDestination { max_egress_m: self.options.max_egress_m }
            }
            _ => NoBusTime::NoJourney { max_travel_s: self.options.max_travel_s },
        })
    }
}

/// The `p`-th percentile (nearest rank) of ascending `sorted` values.
pub fn percentile(sorted: &[f32], p: u32) -> f32 {
    if sorted.is_empty() {
        return f32::INFINITY;
    }
    let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// Bus times from every origin (zone) to every destination (site) on
/// timetable `tt`, walking over `walk`, for each departure of `window`.
/// `progress` ticks once per origin's departure window; once it is
/// cancelled no further origin starts.
pub fn bus_matrix(
    tt: &Timetable,
    walk: &Network,
    origins: &[LonLat],
    destinations: &[LonLat],
    window: &DepartureWindow,
    opts: &BusOptions,
    progress: &Progress,
) -> Result<BusMatrix, Cancelled> {
    let router = BusRouter::new(tt, walk, *opts);
    router.matrix(origins, destinations, window, progress)
}

impl BusRouter<'_> {
    /// The bus matrix (see [`bus_matrix`]) with this router.
    pub fn matrix(&self, origins: &[LonLat], destinations: &[LonLat], window: &DepartureWindow, progress: &Progress) -> Result<BusMatrix, Cancelled> {
        self.window_matrix(origins, destinations, window, progress, true)
    }

    /// The bus matrix searching every departure of the window in full
    /// ([`Raptor::run_range_every`]) and every journey however long (no
    /// [`Raptor::with_travel_limit`]): the plain twin of [`BusRouter::matrix`].
    pub fn matrix_every_departure(
        &self,
        origins: &[LonLat],
        destinations: &[LonLat],
        window: &DepartureWindow,
        progress: &Progress,
    ) -> Result<BusMatrix, Cancelled> {
        self.window_matrix(origins, destinations, window, progress, false)
    }

    fn window_matrix(
        &self,
        origins: &[LonLat],
        destinations: &[LonLat],
        window: &DepartureWindow,
        progress: &Progress,
        skip: bool,
    ) -> Result<BusMatrix, Cancelled> {
        let opts = self.options;
        let net = self.network();
        let (n_o, n_d) = (origins.len(), destinations.len());
        // Walking all the way: the walk matrix (one reverse search per
        // destination; its searches are not counted as steps, but Cancel stops them).
        progress.check()?;
        let walk = street_matrix(net, Period::Offpeak, origins, destinations, opts.max_snap_m, &Progress::new())?;
        progress.check()?;
        let limit = opts.max_travel_s as f32;
        let walk_only_s: Vec<f32> = walk.time_s.iter().map(|&t| if t.ceil() <= limit { t.ceil() } else { f32::INFINITY }).collect();
        let egress: Vec<Vec<StopWalk>> = destinations
            .par_iter()
            .zip(&walk.destination_snaps)
            .map_init(|| self.search(), |search, (p, snap)| snap.as_ref().map(|s| self.egress(search, *p, s)).unwrap_or_default())
            .collect();
        let departures = window.departures();
        let n_t = departures.len();
        let rows: Vec<(Vec<[f32; 4]>, u32)> = origins
            .par_iter()
            .zip(&walk.origin_snaps)
            .enumerate()
            .map_init(
                // Journeys over the limit count as none: the search need not go past it.
                || {
                    (
                        Raptor::new(self.timetable, opts.raptor()).with_travel_limit(if skip { opts.max_travel_s } else { u32::MAX }),
                        self.search(),
                        vec![f32::INFINITY; n_d * n_t],
                    )
                },
                |(raptor, search, times), (o, (p, snap))| {
                    progress.check()?;
                    let walk_row = &walk_only_s[o * n_d..(o + 1) * n_d];
                    let access = snap.as_ref().map(|s| self.access(search, *p, s)).unwrap_or_default();
                    times.fill(f32::INFINITY);
                    if snap.is_ok() {
                        for (d, w) in walk_row.iter().enumerate() {
                            times[d * n_t..(d + 1) * n_t].fill(*w);
                        }
                    }
                    if !access.is_empty() {
                        let each = |dep: u32, r: &Raptor<'_>| {
                            let mi = ((dep - window.from_s) / window.step_s) as usize;
                            for (d, eg) in egress.iter().enumerate() {
                                let mut best = UNREACHED;
                                for e in eg {
                                    let a = r.ride_arrival(e.stop as usize);
                                    if a != UNREACHED {
                                        best = best.min(a + e.walk_s);
                                    }
                                }
                                if best != UNREACHED {
                                    let t = (best - dep) as f32;
                                    let slot = &mut times[d * n_t + mi];
                                    if t < *slot {
                                        *slot = t;
                                    }
                                }
                            }
                        };
                        if skip { raptor.run_range(&access, &departures, each) } else { raptor.run_range_every(&access, &departures, each) }
                    }
                    let mut sorted = vec![0f32; n_t];
                    let stats = (0..n_d)
                        .map(|d| {
                            sorted.copy_from_slice(&times[d * n_t..(d + 1) * n_t]);
                            for t in sorted.iter_mut() {
                                if *t > limit {
                                    *t = f32::INFINITY;
                                }
                            }
                            sorted.sort_by(|a, b| a.total_cmp(b));
                            let none = sorted.iter().filter(|t| t.is_infinite()).count();
                            [percentile(&sorted, 10), percentile(&sorted, 50), percentile(&sorted, 90), none as f32 / n_t as f32]
                        })
                        .collect();
                    progress.tick();
                    Ok((stats, access.len() as u32))
                },
            )
            .collect::<Result<_, Cancelled>>()?;
        let mut m = BusMatrix {
            origins: n_o,
            destinations: n_d,
            window: *window,
            options: opts,
            p10_s: Vec::with_capacity(n_o * n_d),
            median_s: Vec::with_capacity(n_o * n_d),
            p90_s: Vec::with_capacity(n_o * n_d),
            no_journey_share: Vec::with_capacity(n_o * n_d),
            walk_only_s,
            origin_stops: rows.iter().map(|r| r.1).collect(),
            destination_stops: egress.iter().map(|e| e.len() as u32).collect(),
            origin_snaps: walk.origin_snaps,
            destination_snaps: walk.destination_snaps,
        };
        for (stats, _) in rows {
            for s in stats {
                m.p10_s.push(s[0]);
                m.median_s.push(s[1]);
                m.p90_s.push(s[2]);
                m.no_journey_share.push(s[3]);
            }
        }
        Ok(m)
    }

    /// Door-to-door times (s) from one origin to one destination for each
    /// departure of `departures`, by independent single searches: the plain
    /// per-minute answer the range search must agree with.
    pub fn times_by_single_runs(&self, from: LonLat, to: LonLat, departures: &[u32]) -> Vec<f32> {
        let mut search: Search = self.search();
        let (Ok(os), Ok(ds)) = (self.snap(from), self.snap(to)) else { return vec![f32::INFINITY; departures.len()] };
        let access = self.access(&mut search, from, &os);
        let egress = self.egress(&mut search, to, &ds);
        let walk = crate::network::one_journey(self.network(), Period::Offpeak, from, to, self.options.max_snap_m).map_or(f32::INFINITY, |(t, _)| t.ceil());
        let mut raptor = Raptor::new(self.timetable, self.options.raptor());
        departures
            .iter()
            .map(|&dep| {
                raptor.run(&access, dep);
                let best = egress.iter().filter_map(|e| Some(raptor.ride_arrival(e.stop as usize)).filter(|&a| a != UNREACHED).map(|a| a + e.walk_s)).min();
                let t = best.map_or(f32::INFINITY, |b| (b - dep) as f32).min(walk);
                if t <= self.options.max_travel_s as f32 { t } else { f32::INFINITY }
            })
            .collect()
    }
}
