//! Bus journeys from GTFS timetables: loading and checking a feed
//! ([`gtfs`], with its [`report`]), several feeds (bus, rail, coach) merged
//! into one ([`feeds`]), a regional feed cut to the study area ([`clip`]),
//! the services of a day ([`calendar`]), a compact timetable for one
//! service date ([`timetable`]) with walking transfers between stops
//! ([`footpaths`]), walking between doors and stops ([`walking`]), the
//! RAPTOR router ([`raptor`]), the query's limits ([`request`]), the origins
//! x destinations matrix over a departure window ([`matrix`]) and one
//! journey's legs ([`itinerary`]).
//!
//! Times are whole seconds since the service day's midnight (`u32`), so a
//! bus at 25:10:00 is 90 600 s. The street side (snapping, walking
//! searches) reuses [`crate::network`] on the walk network.
//!
//! Typical use:
//! ```no_run
//! # use accessplan::transit::*;
//! # fn f(walk: &accessplan::network::Network, zones: &[accessplan::LonLat], sites: &[accessplan::LonLat]) -> accessplan::Result<()> {
//! let (feed, report) = load_gtfs(std::path::Path::new("feed.zip"))?;
//! println!("{report}");
//! let tt = Timetable::build(&feed, "2023-06-13".parse().expect("a valid date"), Some(walk), &FootpathOptions::default())?;
//! let m = bus_matrix(&tt, walk, zones, sites, &DepartureWindow::MORNING_PEAK, &BusOptions::default(), &accessplan::progress::Progress::new())?;
//! println!("median {:?} s", m.median(0, 0));
//! # Ok(()) }
//! ```

pub mod calendar;
pub mod clip;
pub mod date;
pub mod feed;
pub mod feeds;
pub mod footpaths;
pub mod gtfs;
pub mod itinerary;
pub mod matrix;
pub mod raptor;
pub mod report;
pub mod request;
pub mod router;
mod source;
pub mod timetable;
pub mod walking;

#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;

pub use calendar::Service;
pub use clip::FeedClip;
pub use date::{ServiceDate, fmt_hm, fmt_hms, parse_clock};
pub use feed::{Feed, FeedPart, Route, Stop, Trip, public_transport_words};
pub use feeds::{load_feeds, merge_feeds};
pub use footpaths::{FootpathOptions, FootpathSource, Footpaths};
pub use gtfs::{GtfsFilter, MAX_STOP_TIMES, load_gtfs, load_gtfs_filtered};
pub use itinerary::{Itinerary, Leg, Place};
pub use matrix::{BusMatrix, bus_matrix};
pub use raptor::{Raptor, RaptorOptions, StopWalk};
pub use report::{FilteredRead, GtfsReport, ProblemKind};
pub use request::{BusOptions, DepartureWindow};
pub use router::{BusRouter, NoBusTime};
pub use timetable::Timetable;
