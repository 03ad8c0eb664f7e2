//! Bus journeys from GTFS timetables: loading and checking a feed
//! ([`gtfs`]), the services of a day ([`calendar`]), a compact timetable for
//! one service date ([`timetable`]) with walking transfers between stops
//! ([`footpaths`]), walking from doors to stops ([`walking`]), the RAPTOR
//! router ([`raptor`]), the origins x destinations matrix over a departure
//! window ([`matrix`]) and one journey's legs ([`itinerary`]).
//!
//! Times are whole seconds since the service day's midnight (`u32`), so a
//! bus at 25:10:00 is 90 600 s. The street side (snapping, walking searches)
//! reuses [`crate::network`] on the walk network.

pub mod calendar;
pub mod date;
pub mod gtfs;
pub mod report;
mod source;

pub use calendar::Service;
pub use date::{ServiceDate, fmt_hm, fmt_hms, parse_clock};
pub use gtfs::{Feed, Route, Stop, Trip, load_gtfs};
pub use report::{GtfsReport, ProblemKind};

#[cfg(test)]
mod tests;
