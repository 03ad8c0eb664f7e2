//! What a set of travel-time matrices was asked for: the modes, how far a
//! door may lie from the street network, and for the bus the service date,
//! the departure window and the journey limits. Kept with the matrices it
//! made (R5 keeps its request apart from the street and transit layers in
//! the same way), so every later search for the same study (a new candidate
//! site, an isochrone, an itinerary) asks the same question.

use crate::network::snap::DEFAULT_MAX_SNAP_M;
use crate::region::Region;
use crate::transit::{BusOptions, DepartureWindow, Feed, ServiceDate};
use crate::travel::Mode;

/// The question a [`crate::travel::TravelTimes`] answers.
#[derive(Debug, Clone, PartialEq)]
pub struct TravelRequest {
    /// Modes asked for, in table order (a mode whose network or timetable
    /// the region lacks is left out of the answer).
    pub modes: Vec<Mode>,
    /// Farthest a zone point or site may lie from a usable street, metres,
    /// for every mode (the bus's walks to and from the doors included).
    pub max_snap_m: f64,
    /// Bus service date asked for (`None`: the feed's first Tuesday with service).
    pub bus_date: Option<ServiceDate>,
    /// Bus departure window.
    pub bus_window: DepartureWindow,
    /// Bus journey limits (walks, transfers, longest journey); their snap
    /// distance is always `max_snap_m` (see [`TravelRequest::bus_options`]).
    pub bus_limits: BusOptions,
}

impl Default for TravelRequest {
    /// Every mode, the default snap distance and bus limits, the feed's
    /// default date and the morning peak.
    fn default() -> Self {
        TravelRequest {
            modes: Mode::ALL.to_vec(),
            max_snap_m: DEFAULT_MAX_SNAP_M,
            bus_date: None,
            bus_window: DepartureWindow::MORNING_PEAK,
            bus_limits: BusOptions::default(),
        }
    }
}

impl TravelRequest {
    /// Every mode, with the region's bus date and window and the default
    /// snap distance and bus limits: what a study computes.
    pub fn for_region(region: &Region) -> TravelRequest {
        TravelRequest { bus_date: region.inputs.bus_date, bus_window: region.inputs.bus_window, ..TravelRequest::default() }
    }

    /// The same request with another snap distance.
    pub fn with_max_snap(self, max_snap_m: f64) -> TravelRequest {
        TravelRequest { max_snap_m, ..self }
    }

    /// The bus journey limits, with the request's snap distance: the one
    /// source of `BusOptions` for matrices, new sites, isochrones and itineraries.
    pub fn bus_options(&self) -> BusOptions {
        BusOptions { max_snap_m: self.max_snap_m, ..self.bus_limits }
    }

    /// The bus service date for `feed`: the one asked for, or the feed's default.
    pub fn service_date(&self, feed: &Feed) -> Option<ServiceDate> {
        self.bus_date.or_else(|| feed.default_service_date())
    }
}
