//! Travel times for planning: the modes compared ([`mode`]), the request
//! that describes a computation ([`request`]), the zones x sites matrices
//! per mode and period computed once per study ([`times`]), a new site's
//! columns ([`columns`]), the street columns kept on disk between runs
//! ([`cache`]), isochrones from a point ([`isochrone`]), and the
//! zones whose walk to the street is long or crosses a barrier ([`links`]).
//! Routing itself lives below, in [`crate::network`] (streets) and
//! [`crate::transit`] (buses).

pub mod cache;
pub mod columns;
pub mod isochrone;
pub mod links;
pub mod mode;
pub mod request;
pub mod times;

pub use cache::{CacheUse, ColumnCache, street_matrix_cached};
pub use columns::{ColumnJob, SiteColumns};
pub use links::{LISTED_ZONES, LongLink, long_link_notes, long_links};
pub use mode::Mode;
pub use request::TravelRequest;
pub use times::{BusProblem, ModeMatrix, TravelTimes, UNREACHED_PENALTY_S};
