//! `TravelTimes`: the zones x sites matrices of a region for every mode
//! computed, with the request that made them. Street modes keep a
//! [`StreetMatrix`] (times and lengths); the bus keeps its [`BusMatrix`]
//! (percentiles over the departure window). [`ModeMatrix`] reads either the
//! same way, so the analysis never cares which mode it works on.

use std::sync::Arc;
use std::time::Instant;

use crate::network::snap::{Snap, SnapFailure};
use crate::network::{StreetMatrix, StreetMode};
use crate::progress::{Cancelled, Progress};
use crate::region::Region;
use crate::transit::{BusMatrix, FootpathOptions, ServiceDate, Timetable, bus_matrix};
use crate::travel::cache::{CacheUse, ColumnCache, street_matrix_cached};
use crate::travel::{Mode, TravelRequest};

/// Time a journey that cannot be made counts for when a figure must still
/// weigh it (mean times, optimiser scores): 3 hours, in seconds.
pub const UNREACHED_PENALTY_S: f64 = 10_800.0;

/// Why the bus was asked for but could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BusProblem {
    /// The walk network (for walking to and from stops) was not built.
    #[error("bus journeys need the walk network (walking to and from stops)")]
    NoWalkNetwork,
    /// No day of the feed has any service.
    #[error("the bus timetable has no day with service")]
    NoServiceDay,
    /// No stop of the timetable is within walking reach of any zone.
    #[error(
        "none of the timetable's {stops} stops is within {walk_m:.0} m walk of any zone: the feed does not serve this area (is it the timetable of another place, or cut to another area?)"
    )]
    NoStopNearZones {
        /// Stops in the timetable of the day.
        stops: usize,
        /// The walking limit to a stop, metres.
        walk_m: f64,
    },
    /// The timetable of the service date could not be built.
    #[error("the bus timetable of {date} cannot be used: {message}")]
    Timetable {
        /// The service date.
        date: ServiceDate,
        /// What went wrong.
        message: String,
    },
}

/// The zones x sites matrices of a region, for every mode computed.
///
/// Columns follow a study's site list: the region's sites as computed, then
/// one column per candidate site the study adds, appended in place by
/// [`TravelTimes::append`]. They are appended rather than kept in a separate
/// overlay because every reader (the assignment's inner loop, the
/// optimiser's problem, the exports) indexes one flat origin-major slice as
/// `o * destinations + d`; an overlay would put a second lookup and a branch
/// on that hot path and in every reader. Appending copies each matrix once
/// per site added, little beside the searches that made the column.
#[derive(Debug, Clone)]
pub struct TravelTimes {
    /// What was asked for.
    pub request: TravelRequest,
    /// One matrix per street mode computed, zones as rows and sites as columns.
    pub street: Vec<(Mode, StreetMatrix)>,
    /// The bus matrix with its percentiles, when a timetable was loaded.
    pub bus: Option<BusMatrix>,
    /// The bus timetable of the service date (for itineraries and maps;
    /// shared, so long work can take it to a worker thread).
    pub timetable: Option<Arc<Timetable>>,
    /// Why the bus could not be computed, if it was asked for and could not be.
    pub bus_problem: Option<BusProblem>,
    /// Time taken to compute them, seconds.
    pub compute_s: f64,
    /// The cache the street columns were read from and kept in, if any (a
    /// new site's columns go through it too).
    pub cache: Option<ColumnCache>,
    /// What the street matrices took from the cache and what they computed.
    pub cache_use: CacheUse,
}

/// One mode's zones x sites times, whichever kind of matrix holds them.
#[derive(Debug, Clone, Copy)]
pub enum ModeMatrix<'a> {
    /// A street mode: fastest path times and their lengths.
    Street(&'a StreetMatrix),
    /// The bus: the median over the departure window (R5's convention),
    /// door to door with walking and waiting; lengths are not known.
    Bus(&'a BusMatrix),
}

impl<'a> ModeMatrix<'a> {
    /// Number of origins (zones).
    pub fn origins(self) -> usize {
        match self {
            ModeMatrix::Street(m) => m.origins,
            ModeMatrix::Bus(b) => b.origins,
        }
    }
    /// Number of destinations (sites).
    pub fn destinations(self) -> usize {
        match self {
            ModeMatrix::Street(m) => m.destinations,
            ModeMatrix::Bus(b) => b.destinations,
        }
    }
    /// Door-to-door seconds, origin-major; `INFINITY` where there is none.
    pub fn times_s(self) -> &'a [f32] {
        match self {
            ModeMatrix::Street(m) => &m.time_s,
            ModeMatrix::Bus(b) => &b.median_s,
        }
    }
    /// Lengths of the fastest paths in metres, origin-major, when known (street modes).
    pub fn lengths_m(self) -> Option<&'a [f32]> {
        match self {
            ModeMatrix::Street(m) => Some(&m.length_m),
            ModeMatrix::Bus(_) => None,
        }
    }
    /// Seconds from origin `o` to destination `d`, if any.
    pub fn time(self, o: usize, d: usize) -> Option<f32> {
        let t = self.times_s()[o * self.destinations() + d];
        t.is_finite().then_some(t)
    }
    /// Metres of the journey from `o` to `d`, if it exists and its length is known.
    pub fn length(self, o: usize, d: usize) -> Option<f32> {
        self.time(o, d)?;
        self.lengths_m().map(|l| l[o * self.destinations() + d])
    }
    /// Each origin's snap to the network, or why it failed.
    pub fn origin_snaps(self) -> &'a [Result<Snap, SnapFailure>] {
        match self {
            ModeMatrix::Street(m) => &m.origin_snaps,
            ModeMatrix::Bus(b) => &b.origin_snaps,
        }
    }
    /// Why `o` to `d` has no time, in words (`None` when it has one).
    pub fn why_none(self, o: usize, d: usize) -> Option<String> {
        match self {
            ModeMatrix::Street(m) => m.why_none(o, d).map(|w| w.to_string()),
            ModeMatrix::Bus(b) => b.why_none(o, d).map(|w| w.to_string()),
        }
    }
}

impl TravelTimes {
    /// Computes every mode of `request` that the region can: street modes
    /// whose network it has, and the bus when it has a timetable and a walk
    /// network (otherwise `bus_problem` says why not). `progress` ticks once
    /// per street search and once per bus origin; Cancel stops the work.
    pub fn compute(region: &Region, request: &TravelRequest, progress: &Progress) -> Result<TravelTimes, Cancelled> {
        Self::compute_cached(region, request, None, progress)
    }

    /// [`TravelTimes::compute`] with the street columns read from `cache`
    /// where it holds them and kept in it otherwise (the same times, to the bit).
    pub fn compute_cached(region: &Region, request: &TravelRequest, cache: Option<&ColumnCache>, progress: &Progress) -> Result<TravelTimes, Cancelled> {
        let t = Instant::now();
        let zones: Vec<_> = region.zones.iter().map(|z| z.point).collect();
        let sites: Vec<_> = region.sites.iter().map(|s| s.point).collect();
        let mut cache_use = CacheUse::default();
        let mut street: Vec<(Mode, StreetMatrix)> = Vec::new();
        for m in Mode::STREET.iter().filter(|m| request.modes.contains(m)) {
            let Some((sm, period)) = m.street() else { continue };
            let Some(n) = region.network(sm) else { continue };
            let (x, used) = street_matrix_cached(n, period, &zones, &sites, request.max_snap_m, progress, cache)?;
            cache_use.add(used);
            street.push((*m, x));
        }
        let (bus, timetable, bus_problem) = if request.modes.contains(&Mode::Bus) {
            match Self::bus(region, request, &zones, &sites, progress)? {
                Ok(Some((b, tt))) => (Some(b), Some(Arc::new(tt)), None),
                Ok(None) => (None, None, None),
                Err(p) => (None, None, Some(p)),
            }
        } else {
            (None, None, None)
        };
        Ok(TravelTimes {
            request: request.clone(),
            street,
            bus,
            timetable,
            bus_problem,
            compute_s: t.elapsed().as_secs_f64(),
            cache: cache.cloned(),
            cache_use,
        })
    }

    /// The bus matrix over the request's window, if a feed is loaded.
    fn bus(
        region: &Region,
        request: &TravelRequest,
        zones: &[crate::LonLat],
        sites: &[crate::LonLat],
        progress: &Progress,
    ) -> Result<Result<Option<(BusMatrix, Timetable)>, BusProblem>, Cancelled> {
        let Some((feed, _)) = &region.gtfs else { return Ok(Ok(None)) };
        let Some(walk) = region.network(StreetMode::Walk) else { return Ok(Err(BusProblem::NoWalkNetwork)) };
        let Some(date) = request.service_date(feed) else { return Ok(Err(BusProblem::NoServiceDay)) };
        // Stops are placed on the walk network by the footpaths' own limit: the
        // request's snap distance is about doors (zones and sites), not stops.
        let tt = match Timetable::build(feed, date, Some(walk), &FootpathOptions::default()) {
            Ok(tt) => tt,
            Err(e) => return Ok(Err(BusProblem::Timetable { date, message: e.to_string() })),
        };
        let options = request.bus_options();
        let m = bus_matrix(&tt, walk, zones, sites, &request.bus_window, &options, progress)?;
        // A timetable of another place (or cut to nothing) gives every zone a
        // "bus" time that is all walking: say so instead.
        if !zones.is_empty() && m.origin_stops.iter().all(|&n| n == 0) {
            return Ok(Err(BusProblem::NoStopNearZones { stops: tt.stop_count(), walk_m: options.max_access_m }));
        }
        Ok(Ok(Some((m, tt))))
    }

    /// The matrix for a mode, if computed.
    pub fn get(&self, mode: Mode) -> Option<ModeMatrix<'_>> {
        match mode {
            Mode::Bus => self.bus.as_ref().map(ModeMatrix::Bus),
            _ => self.street(mode).map(ModeMatrix::Street),
        }
    }

    /// The street matrix for a street mode, if computed.
    pub fn street(&self, mode: Mode) -> Option<&StreetMatrix> {
        self.street.iter().find(|(k, _)| *k == mode).map(|(_, m)| m)
    }

    /// The modes computed, in table order.
    pub fn modes(&self) -> Vec<Mode> {
        Mode::ALL.into_iter().filter(|m| self.get(*m).is_some()).collect()
    }

    /// The bus service date used, if the bus was computed.
    pub fn bus_date(&self) -> Option<ServiceDate> {
        self.timetable.as_ref().map(|t| t.date)
    }
}
