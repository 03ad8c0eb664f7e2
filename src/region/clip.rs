//! Clipping a region's inputs to the study area: a county or regional OSM
//! extract and regional GTFS feeds are cut on load to the zones' extent
//! grown by a margin (10 km by default), so only the streets, stops and
//! trips that can matter are kept. What was cut is counted in a
//! [`StudyClip`] and said in the region's notes; sites left outside the
//! area are named in a warning.

use std::path::{Path, PathBuf};

use crate::error::{Error, InputError, Location, Result, Warning};
use crate::geom::{Extent, LonLat};
use crate::input::osm::OsmClip;
use crate::model::{Site, Zone};
use crate::transit::FeedClip;

/// The margin kept around the zones when none is given, kilometres.
pub const DEFAULT_CLIP_MARGIN_KM: f64 = 10.0;

/// What clipping the inputs to the study area kept.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyClip {
    /// The margin around the zones, kilometres.
    pub margin_km: f64,
    /// The area kept: the zones' extent (outlines and points) grown by the margin.
    pub area: Extent,
    /// The OSM extract's counts before and after, if one was given.
    pub osm: Option<OsmClip>,
    /// Each feed's counts before and after, by file.
    pub feeds: Vec<(PathBuf, FeedClip)>,
}

impl StudyClip {
    /// The region's notes on what was cut: one line for the area and the
    /// extract, one per feed.
    pub fn notes(&self) -> Vec<String> {
        let mut v = vec![format!("inputs clipped to the zones' extent + {} km ({})", fmt_km(self.margin_km), self.area)];
        if let Some(o) = &self.osm {
            v.push(format!("OSM extract clipped: {o}"));
        }
        for (p, c) in &self.feeds {
            v.push(format!("GTFS {} clipped: {c}", name(p)));
        }
        v
    }
}

fn name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn fmt_km(km: f64) -> String {
    if km.fract() == 0.0 { format!("{km:.0}") } else { format!("{km}") }
}

/// The extent of the zones: their outlines, and their points (point zones have no outline).
fn zones_extent(zones: &[Zone]) -> Option<Extent> {
    Extent::of(zones.iter().flat_map(|z| z.polygons.iter().flatten().copied().chain(std::iter::once(z.point))))
}

/// The area to clip to for `margin_km` around the zones (`None`: no
/// clipping, when no margin is given or it is infinite), with a warning
/// when a negative margin leaves some zones outside. A margin that is not
/// a number, or that leaves no zone inside, is an error naming `zones_path`
/// and saying which margins would keep a zone.
pub fn clip_area(zones: &[Zone], margin_km: Option<f64>, zones_path: &Path) -> Result<(Option<Extent>, Vec<Warning>)> {
    let Some(km) = margin_km else { return Ok((None, Vec::new())) };
    if km == f64::INFINITY {
        return Ok((None, Vec::new()));
    }
    if !km.is_finite() {
        return Err(Error::BadArgument { flag: "clip_margin_km", value: km.to_string(), reason: "the clip margin must be a number of kilometres".into() });
    }
    let Some(extent) = zones_extent(zones) else { return Ok((None, Vec::new())) };
    let points: Vec<LonLat> = zones.iter().map(|z| z.point).collect();
    let area = extent.grown_by_m(km * 1000.0).filter(|a| points.iter().any(|p| a.contains(*p)));
    let Some(area) = area else {
        // The deepest zone point lies this far inside the zones' extent
        // (rounded towards zero, so the margin advised keeps it).
        let deepest_km = (points.iter().map(|p| extent.inside_by_m(*p)).fold(0.0_f64, f64::max) / 100.0).floor() / 10.0;
        return Err(Error::Input(InputError::at(
            zones_path,
            Location::File,
            Some("clip_margin_km"),
            format!(
                "a clip margin of {} km leaves no zone inside the area kept (the zones span {extent}); give a margin above -{deepest_km:.1} km, or the default {DEFAULT_CLIP_MARGIN_KM} km",
                fmt_km(km)
            ),
        )));
    };
    let outside: Vec<&str> = zones.iter().filter(|z| !area.contains(z.point)).map(|z| z.id.as_str()).collect();
    let mut warnings = Vec::new();
    if !outside.is_empty() {
        warnings.push(Warning {
            file: zones_path.to_path_buf(),
            location: Location::File,
            message: format!(
                "zones lying outside the area kept by a clip margin of {} km ({}; first: {}); their journeys run on what is left of the streets and timetables",
                fmt_km(km),
                outside.len(),
                outside.iter().take(5).copied().collect::<Vec<_>>().join(", ")
            ),
        });
    }
    Ok((Some(area), warnings))
}

/// A warning naming the sites that stand outside the area kept: their
/// journeys may be longer than on the whole extract, or missing.
pub fn sites_outside(sites: &[Site], area: &Extent, margin_km: f64, file: &Path) -> Option<Warning> {
    let outside: Vec<String> = sites.iter().filter(|s| !area.contains(s.point)).map(|s| format!("{} ({})", s.id, s.name)).collect();
    (!outside.is_empty()).then(|| Warning {
        file: file.to_path_buf(),
        location: Location::File,
        message: format!(
            "sites standing outside the area kept by clipping (the zones' extent + {} km) ({}): {}; their journeys may be longer than on the whole extract, or missing; widen clip_margin_km to keep them",
            fmt_km(margin_km),
            outside.len(),
            outside.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ),
    })
}

/// A warning naming the sites the OSM tags give in the whole extract but
/// not in the clipped one (they stand outside the area kept).
pub fn osm_sites_cut(before: &[Site], after: &[Site], margin_km: f64, osm: &Path) -> Option<Warning> {
    let kept: std::collections::HashSet<&str> = after.iter().map(|s| s.id.as_str()).collect();
    let cut: Vec<String> = before.iter().filter(|s| !kept.contains(s.id.as_str())).map(|s| format!("{} ({})", s.name, s.id)).collect();
    (!cut.is_empty()).then(|| Warning {
        file: osm.to_path_buf(),
        location: Location::File,
        message: format!(
            "sites tagged in the extract but standing outside the area kept by clipping (the zones' extent + {} km) are left out ({}): {}; widen clip_margin_km to keep them",
            fmt_km(margin_km),
            cut.len(),
            cut.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ),
    })
}

/// The error for an extract none of whose streets reach the study area.
pub fn no_streets_error(osm: &Path, area: &Extent, margin_km: f64, streets: usize, extract: Option<Extent>) -> Error {
    let spans = extract.map_or_else(String::new, |e| format!(" (the extract spans {e})"));
    Error::Input(InputError::file(
        osm,
        format!(
            "none of its {streets} streets lies within {} km of the zones ({area} kept){spans}: the extract does not cover the study area; give an extract that does, or a wider clip_margin_km",
            fmt_km(margin_km)
        ),
    ))
}
