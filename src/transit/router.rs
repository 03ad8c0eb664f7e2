//! Door-to-door bus routing on one timetable and walk network: a
//! [`BusRouter`] holds the timetable, the stops placed on the walk network
//! and the journey limits, and answers the matrix and itinerary queries.

use crate::geom::LonLat;
use crate::network::Network;
use crate::network::dijkstra::Search;
use crate::network::snap::{Snap, SnapFailure};
use crate::transit::raptor::StopWalk;
use crate::transit::request::BusOptions;
use crate::transit::timetable::Timetable;
use crate::transit::walking::StopWalker;

/// Why an origin-destination pair has no bus time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoBusTime {
    /// The origin could not be placed on the walk network.
    OriginOffNetwork(SnapFailure),
    /// The destination could not be placed on the walk network.
    DestinationOffNetwork(SnapFailure),
    /// No served stop within the walking limit of the origin (and too far to walk).
    NoStopNearOrigin {
        /// The limit, metres.
        max_access_m: f64,
    },
    /// No served stop within the walking limit of the destination (and too far to walk).
    NoStopNearDestination {
        /// The limit, metres.
        max_egress_m: f64,
    },
    /// Stops are within reach but no journey (by bus or on foot) is under the time limit.
    NoJourney {
        /// The limit, seconds.
        max_travel_s: u32,
    },
}

impl std::fmt::Display for NoBusTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoBusTime::OriginOffNetwork(s) => write!(f, "origin off the walk network: {s}"),
            NoBusTime::DestinationOffNetwork(s) => write!(f, "destination off the walk network: {s}"),
            NoBusTime::NoStopNearOrigin { max_access_m } => write!(f, "no stop served that day within {max_access_m:.0} m walk of the origin"),
            NoBusTime::NoStopNearDestination { max_egress_m } => write!(f, "no stop served that day within {max_egress_m:.0} m walk of the destination"),
            NoBusTime::NoJourney { max_travel_s } => write!(f, "no journey under {} min", max_travel_s / 60),
        }
    }
}

/// Bus routing on one timetable and walk network.
#[derive(Debug, Clone)]
pub struct BusRouter<'a> {
    /// The timetable of the service date.
    pub timetable: &'a Timetable,
    /// The walk network with the served stops placed on it.
    pub walker: StopWalker<'a>,
    /// Journey limits.
    pub options: BusOptions,
}

impl<'a> BusRouter<'a> {
    /// A router on `tt`, walking over `walk`.
    pub fn new(tt: &'a Timetable, walk: &'a Network, options: BusOptions) -> Self {
        BusRouter { timetable: tt, walker: StopWalker::new(walk, tt, options.max_snap_m), options }
    }

    /// The walk network.
    pub fn network(&self) -> &'a Network {
        self.walker.net
    }

    /// A search buffer for the walk network.
    pub fn search(&self) -> Search {
        Search::new(self.walker.net.state_count())
    }

    /// Snaps a door to the walk network.
    pub fn snap(&self, p: LonLat) -> Result<Snap, SnapFailure> {
        self.walker.snap(p, self.options.max_snap_m)
    }

    /// Stops within walking reach of an origin.
    pub fn access(&self, search: &mut Search, p: LonLat, snap: &Snap) -> Vec<StopWalk> {
        self.walker.to_stops(search, p, snap, self.options.max_access_m)
    }

    /// Stops within walking reach of a destination.
    pub fn egress(&self, search: &mut Search, p: LonLat, snap: &Snap) -> Vec<StopWalk> {
        self.walker.from_stops(search, p, snap, self.options.max_egress_m)
    }
}
