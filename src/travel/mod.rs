//! Travel times for planning: the modes compared ([`mode`]), the request
//! that describes a computation ([`request`]), the zones x sites matrices
//! per mode and period computed once per study ([`times`]), a new site's
//! columns ([`columns`]), and isochrones from a point ([`isochrone`]).
//! Routing itself lives below, in [`crate::network`] (streets) and
//! [`crate::transit`] (buses).

pub mod columns;
pub mod isochrone;
pub mod mode;
pub mod request;
pub mod times;

pub use columns::{ColumnJob, SiteColumns};
pub use mode::Mode;
pub use request::TravelRequest;
pub use times::{BusProblem, ModeMatrix, TravelTimes, UNREACHED_PENALTY_S};
