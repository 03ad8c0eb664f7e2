//! Which ways each mode may use, in which directions, and at what speed:
//! the OSM tagging rules (highway classes, access restrictions, one-way
//! streets) applied to one way.

use crate::input::osm::tag;
use crate::network::profile::{Profile, StreetMode, parse_maxspeed_kmh};

/// Highway classes open to walking (motorways never are).
const WALK_CLASSES: &[&str] = &[
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
    "pedestrian",
    "footway",
    "path",
    "steps",
    "track",
    "bridleway",
    "cycleway",
    "corridor",
];

/// Highway classes open to cycling.
const CYCLE_CLASSES: &[&str] = &[
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
    "path",
    "track",
    "bridleway",
    "cycleway",
];

/// How one mode may use one way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WayUse {
    /// Travel allowed from the first node to the last.
    pub forward: bool,
    /// Travel allowed from the last node to the first.
    pub backward: bool,
    /// Speed in km/h for each period (`Period::index`); equal for walk and cycle.
    pub speed_kmh: [f64; 2],
    /// Whether a `maxspeed` tag was present but not understood (class default used).
    pub maxspeed_not_understood: bool,
}

fn is_denied(v: Option<&str>) -> Option<bool> {
    v.map(|v| matches!(v, "no" | "private" | "agricultural" | "forestry" | "delivery" | "discouraged" | "use_sidepath"))
}

fn is_allowed(v: Option<&str>) -> bool {
    matches!(v, Some("yes" | "designated" | "permissive" | "destination" | "customers"))
}

/// Whether the most specific access tag present denies the mode: later keys
/// in `keys` are more specific and override earlier ones.
fn denied(tags: &[(String, String)], keys: &[&str]) -> bool {
    let mut deny = false;
    for k in keys {
        let v = tag(tags, k);
        if let Some(d) = is_denied(v) {
            if d {
                deny = true;
            } else if is_allowed(v) {
                deny = false;
            }
        }
    }
    deny
}

/// One-way direction from `oneway`-style tags: `Some(true)` forward only,
/// `Some(false)` backward only, `None` both ways. `reversible` closes the way
/// (its direction changes during the day; routers such as OSRM skip it too).
enum OneWay {
    Both,
    Forward,
    Backward,
    Closed,
}

fn oneway(tags: &[(String, String)], key: &str, implied: bool) -> OneWay {
    match tag(tags, key) {
        Some("yes" | "1" | "true") => OneWay::Forward,
        Some("-1" | "reverse") => OneWay::Backward,
        Some("reversible" | "alternating") => OneWay::Closed,
        Some("no" | "0" | "false") => OneWay::Both,
        _ if implied => OneWay::Forward,
        _ => OneWay::Both,
    }
}

/// How `mode` may use a way with these (sorted) tags, or `None` if it may not.
pub fn way_use(tags: &[(String, String)], mode: StreetMode, profile: &Profile) -> Option<WayUse> {
    let highway = tag(tags, "highway")?;
    if tag(tags, "area") == Some("yes") && highway != "pedestrian" {
        return None;
    }
    let roundabout = matches!(tag(tags, "junction"), Some("roundabout" | "circular"));
    let implied_oneway = roundabout || matches!(highway, "motorway" | "motorway_link");
    match mode {
        StreetMode::Car => {
            let class = profile.car.get(highway)?;
            if denied(tags, &["access", "vehicle", "motor_vehicle", "motorcar"]) {
                return None;
            }
            if tag(tags, "service").is_some_and(|s| matches!(s, "emergency_access")) {
                return None;
            }
            let tagged = tag(tags, "maxspeed");
            let parsed = tagged.and_then(parse_maxspeed_kmh);
            let speed_kmh = profile.calibrated(highway, class.speeds_kmh(parsed));
            let (forward, backward) = match oneway(tags, "oneway", implied_oneway) {
                OneWay::Both => (true, true),
                OneWay::Forward => (true, false),
                OneWay::Backward => (false, true),
                OneWay::Closed => return None,
            };
            Some(WayUse { forward, backward, speed_kmh, maxspeed_not_understood: tagged.is_some() && parsed.is_none() })
        }
        StreetMode::Walk => {
            let explicit = is_allowed(tag(tags, "foot"));
            if !WALK_CLASSES.contains(&highway) && !explicit {
                return None;
            }
            if highway.starts_with("motorway") || denied(tags, &["access", "foot"]) {
                return None;
            }
            let (forward, backward) = match oneway(tags, "oneway:foot", false) {
                OneWay::Forward => (true, false),
                OneWay::Backward => (false, true),
                _ => (true, true),
            };
            let s = profile.walk.speed_kmh;
            Some(WayUse { forward, backward, speed_kmh: [s, s], maxspeed_not_understood: false })
        }
        StreetMode::Cycle => {
            let explicit = is_allowed(tag(tags, "bicycle"));
            if !CYCLE_CLASSES.contains(&highway) && !explicit {
                return None;
            }
            if highway.starts_with("motorway") || denied(tags, &["access", "vehicle", "bicycle"]) {
                return None;
            }
            let contraflow = tag(tags, "cycleway").is_some_and(|c| c.starts_with("opposite"));
            let ow = if contraflow {
                OneWay::Both
            } else if tag(tags, "oneway:bicycle").is_some() {
                oneway(tags, "oneway:bicycle", false)
            } else {
                oneway(tags, "oneway", implied_oneway)
            };
            let (forward, backward) = match ow {
                OneWay::Both => (true, true),
                OneWay::Forward => (true, false),
                OneWay::Backward => (false, true),
                OneWay::Closed => return None,
            };
            let s = profile.cycle.speed_kmh;
            Some(WayUse { forward, backward, speed_kmh: [s, s], maxspeed_not_understood: false })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut t: Vec<(String, String)> = kv.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        t.sort();
        t
    }

    #[test]
    fn walking_never_on_motorways_and_cars_never_on_footways() {
        let p = Profile::default();
        assert!(way_use(&tags(&[("highway", "motorway")]), StreetMode::Walk, &p).is_none());
        assert!(way_use(&tags(&[("highway", "footway")]), StreetMode::Car, &p).is_none());
        assert!(way_use(&tags(&[("highway", "footway")]), StreetMode::Walk, &p).is_some());
    }

    #[test]
    fn access_restrictions() {
        let p = Profile::default();
        let private = tags(&[("highway", "service"), ("access", "private")]);
        assert!(way_use(&private, StreetMode::Car, &p).is_none());
        assert!(way_use(&private, StreetMode::Walk, &p).is_none());
        let foot_ok = tags(&[("highway", "service"), ("access", "private"), ("foot", "yes")]);
        assert!(way_use(&foot_ok, StreetMode::Walk, &p).is_some());
        assert!(way_use(&foot_ok, StreetMode::Car, &p).is_none());
        let no_cars = tags(&[("highway", "residential"), ("motor_vehicle", "no")]);
        assert!(way_use(&no_cars, StreetMode::Car, &p).is_none());
        assert!(way_use(&tags(&[("highway", "residential"), ("foot", "no")]), StreetMode::Walk, &p).is_none());
    }

    #[test]
    fn one_way_rules() {
        let p = Profile::default();
        let dir = |kv: &[(&str, &str)]| way_use(&tags(kv), StreetMode::Car, &p).map(|u| (u.forward, u.backward));
        assert_eq!(dir(&[("highway", "primary"), ("oneway", "yes")]), Some((true, false)));
        assert_eq!(dir(&[("highway", "primary"), ("oneway", "1")]), Some((true, false)));
        assert_eq!(dir(&[("highway", "primary"), ("oneway", "true")]), Some((true, false)));
        assert_eq!(dir(&[("highway", "primary"), ("oneway", "-1")]), Some((false, true)));
        assert_eq!(dir(&[("highway", "primary"), ("oneway", "reversible")]), None);
        assert_eq!(dir(&[("highway", "primary"), ("junction", "roundabout")]), Some((true, false)));
        assert_eq!(dir(&[("highway", "motorway")]), Some((true, false)));
        assert_eq!(dir(&[("highway", "motorway"), ("oneway", "no")]), Some((true, true)));
        assert_eq!(dir(&[("highway", "primary")]), Some((true, true)));
        // Walkers ignore one-way streets.
        let w = way_use(&tags(&[("highway", "primary"), ("oneway", "yes")]), StreetMode::Walk, &p).map(|u| (u.forward, u.backward));
        assert_eq!(w, Some((true, true)));
    }

    #[test]
    fn car_speed_from_maxspeed_and_profile() {
        let p = Profile::default();
        let u = way_use(&tags(&[("highway", "primary"), ("maxspeed", "40 mph")]), StreetMode::Car, &p).unwrap();
        let c = p.car["primary"];
        let off = 40.0 * 1.609_344 * c.freeflow_factor;
        assert!((u.speed_kmh[0] - off).abs() < 1e-9);
        assert!((u.speed_kmh[1] - off * c.peak_factor).abs() < 1e-9);
        let u = way_use(&tags(&[("highway", "residential"), ("maxspeed", "signals")]), StreetMode::Car, &p).unwrap();
        assert!(u.maxspeed_not_understood);
        assert!((u.speed_kmh[0] - 48.3 * p.car["residential"].freeflow_factor).abs() < 1e-9);
    }
}
