//! Travel times for planning: the zones x sites matrices per mode and
//! period, and isochrones from a point.

pub mod isochrone;
pub mod matrix;

pub use matrix::{NoTime, StreetMatrix, one_journey, street_matrix};
