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
    /// Text properties of the input other than the id and locality (a
    /// rural-urban class, a ward name), by name: what a category grouping reads.
    pub categories: std::collections::BTreeMap<String, String>,
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

/// The part a site plays in the plan, read once from its free-text kind.
///
/// The plan reasons about roles, never about the kind's wording: a sites
/// file may say `hlc`, `Healthy Living Centre` or `HLC`, and all mean
/// [`SiteRole::Hlc`]. Which site is *the* HLC of a locality is still the
/// scenario's to say (its `[hlc]` map), with sites of this role as the default.
/// A scenario may also give a site another role (its `[[site]]` table),
/// written `hlc`, `acute`, `clinic` or `other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteRole {
    /// A Healthy Living Centre.
    Hlc,
    /// An acute hospital.
    Acute,
    /// A clinic, GP surgery or health centre in the community.
    Clinic,
    /// Anything else (a pharmacy, a proposed building, a kind not known here).
    Other,
}

impl SiteRole {
    /// Every role, in the order tables list them.
    pub const ALL: [SiteRole; 4] = [SiteRole::Hlc, SiteRole::Acute, SiteRole::Clinic, SiteRole::Other];

    /// The role of a site whose file gives `kind` (case, spaces, `-` and `_` ignored).
    pub fn of_kind(kind: &str) -> SiteRole {
        let k: String = kind.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        match k.as_str() {
            "hlc" | "healthylivingcentre" | "healthylivingcenter" => SiteRole::Hlc,
            "acute" | "hospital" | "acutehospital" | "acutetrust" => SiteRole::Acute,
            "clinic" | "doctors" | "gp" | "gppractice" | "surgery" | "healthcentre" | "healthcenter" | "communityclinic" | "polyclinic" => SiteRole::Clinic,
            _ => SiteRole::Other,
        }
    }

    /// Short label for tables and hover text.
    pub fn label(self) -> &'static str {
        match self {
            SiteRole::Hlc => "HLC",
            SiteRole::Acute => "acute hospital",
            SiteRole::Clinic => "clinic",
            SiteRole::Other => "other",
        }
    }
}

/// Where a site's record comes from, which decides where it is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SiteOrigin {
    /// The region's sites file, or tagged OSM features: never written back.
    #[default]
    Input,
    /// A candidate added to the scenario (in the app, or the scenario's
    /// `[[candidate_site]]`): saved in the scenario file.
    Scenario,
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
    /// What kind of site the input calls it (`hlc`, `hospital`, `clinic`,
    /// `doctors`, ...), free text kept for display; the plan uses `role`.
    pub kind: String,
    /// Its role, parsed from `kind` at load.
    pub role: SiteRole,
    /// Where its record comes from.
    pub origin: SiteOrigin,
    /// Existing or planned.
    pub status: SiteStatus,
    /// The locality it stands in, if given.
    pub locality: Option<String>,
    /// Contacts per year it can take, if given.
    pub capacity: Option<f64>,
}

impl Site {
    /// A site read from an input: its role parsed from `kind`, existing, no
    /// locality or capacity yet.
    pub fn from_input(id: String, name: String, point: LonLat, kind: String) -> Site {
        Site { id, name, point, role: SiteRole::of_kind(&kind), kind, origin: SiteOrigin::Input, status: SiteStatus::Existing, locality: None, capacity: None }
    }

    /// A planned candidate site added to the scenario (saved in its file).
    pub fn candidate(id: String, name: String, point: LonLat, locality: Option<String>) -> Site {
        Site {
            id,
            name,
            point,
            kind: "candidate".into(),
            role: SiteRole::Other,
            origin: SiteOrigin::Scenario,
            status: SiteStatus::Planned,
            locality,
            capacity: None,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_come_from_the_kind_whatever_its_wording() {
        assert_eq!(SiteRole::of_kind("hlc"), SiteRole::Hlc);
        assert_eq!(SiteRole::of_kind("Healthy Living Centre"), SiteRole::Hlc);
        assert_eq!(SiteRole::of_kind("HLC"), SiteRole::Hlc);
        assert_eq!(SiteRole::of_kind("acute"), SiteRole::Acute);
        assert_eq!(SiteRole::of_kind("hospital"), SiteRole::Acute);
        assert_eq!(SiteRole::of_kind("doctors"), SiteRole::Clinic);
        assert_eq!(SiteRole::of_kind("health_centre"), SiteRole::Clinic);
        assert_eq!(SiteRole::of_kind("candidate"), SiteRole::Other);
        assert_eq!(SiteRole::of_kind("pharmacy"), SiteRole::Other);
        let s = Site::from_input("c1".into(), "Clinic".into(), LonLat::new(0.0, 51.0), "candidate".into());
        assert_eq!((s.role, s.origin, s.kind.as_str()), (SiteRole::Other, SiteOrigin::Input, "candidate"));
        let c = Site::candidate("candidate-1".into(), "Candidate site 1".into(), LonLat::new(0.0, 51.0), None);
        assert_eq!((c.origin, c.status), (SiteOrigin::Scenario, SiteStatus::Planned));
    }
}
