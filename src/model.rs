//! The places a region holds once loaded: population zones, candidate sites
//! and localities. Plain data; loaders in `input/` build them.

use crate::geom::LonLat;

/// A population zone (an output area, LSOA or a demo zone): where people live.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Identifier from the input (e.g. `W00010123`).
    pub id: String,
    /// Residents, or 1.0 when the input has no population field (zones weighted equally).
    pub population: f64,
    /// The point that stands for the zone: its centroid when that lies inside
    /// the polygon, otherwise a point on its surface.
    pub point: LonLat,
    /// The zone's outline (outer rings, WGS84), empty for point zones.
    pub polygons: Vec<Vec<LonLat>>,
    /// The locality the zone belongs to, once known.
    pub locality: Option<String>,
    /// Extra numeric columns (e.g. a deprivation weight), by name.
    pub weights: std::collections::BTreeMap<String, f64>,
}

/// Whether a site is in use today or planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteStatus {
    /// In use today.
    #[default]
    Existing,
    /// Planned or proposed.
    Planned,
}

/// A candidate site where services can be delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Identifier (e.g. `hlc-rainham`, or `osm-node-123`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Where it is.
    pub point: LonLat,
    /// What kind of site (`hlc`, `hospital`, `clinic`, `doctors`, ...), free text.
    pub kind: String,
    /// Existing or planned.
    pub status: SiteStatus,
    /// The locality it stands in, if given.
    pub locality: Option<String>,
    /// Contacts per year it can take, if given.
    pub capacity: Option<f64>,
}

/// A locality: an area planned as one (served by one HLC).
#[derive(Debug, Clone, PartialEq)]
pub struct Locality {
    /// Name (also its identifier), e.g. `Rainham`.
    pub name: String,
    /// Its shape: outer rings of its polygons, WGS84 (holes are not kept).
    pub polygons: Vec<Vec<LonLat>>,
    /// The smaller areas it was dissolved from, if it was built by grouping.
    pub members: Vec<String>,
}
