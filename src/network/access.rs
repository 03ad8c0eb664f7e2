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
    /// Usable only at the start or the end of a journey, never as a through
    /// route (`private`, `destination`, `delivery`, `customers`).
    pub local_only: bool,
}

/// What access tags allow a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Open to all.
    Open,
    /// Only to reach or leave places on it (the local-access rule).
    LocalOnly,
    /// Closed.
    Closed,
}

/// The access an OSM access value gives, `None` for values that say nothing
/// about it (e.g. `unknown`).
fn access_value(v: &str) -> Option<Access> {
    match v {
        "yes" | "designated" | "permissive" | "official" => Some(Access::Open),
        "private" | "destination" | "delivery" | "customers" | "permit" => Some(Access::LocalOnly),
        "no" | "agricultural" | "forestry" | "discouraged" | "use_sidepath" | "emergency" => Some(Access::Closed),
        _ => None,
    }
}

/// The access of the most specific key present (later keys in `keys` are
/// more specific); `Open` when none says anything.
pub fn access(tags: &[(String, String)], keys: &[&str]) -> Access {
    let mut a = Access::Open;
    for k in keys {
        if let Some(v) = tag(tags, k).and_then(access_value) {
            a = v;
        }
    }
    a
}

/// Access keys that apply to each mode, least specific first.
pub fn access_keys(mode: StreetMode) -> &'static [&'static str] {
    match mode {
        StreetMode::Car => &["access", "vehicle", "motor_vehicle", "motorcar"],
        StreetMode::Walk => &["access", "foot"],
        StreetMode::Cycle => &["access", "vehicle", "bicycle"],
    }
}

/// What a node with a `barrier` tag does to a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Barrier {
    /// Nothing: the mode passes freely.
    Pass,
    /// The mode passes after a stop (a gate to open): the profile's `gate_s`.
    Gate,
    /// The mode cannot pass: the way is closed at this node.
    Block,
}

/// What the node with these (sorted) tags does to `mode`, if it is a barrier.
/// Following the usual routing practice: a car passes gates, cattle grids,
/// toll booths, entrances and height limits and nothing else (bollards,
/// blocks, stiles, kissing gates, fences...); a walker passes everything but
/// walls, fences, hedges and ditches; a cycle passes what a walker passes but
/// stiles and turnstiles. The node's own access tags open or close it; a
/// private gate is locked to the public.
pub fn barrier(tags: &[(String, String)], mode: StreetMode) -> Barrier {
    let Some(kind) = tag(tags, "barrier") else { return Barrier::Pass };
    const GATES: &[&str] = &["gate", "lift_gate", "swing_gate", "sliding_gate", "bump_gate", "hampshire_gate", "sally_port", "toll_booth", "border_control"];
    const CAR_PASSES: &[&str] = &["cattle_grid", "entrance", "height_restrictor", "arch", "no", "kerb"];
    const NOBODY_PASSES: &[&str] = &["wall", "fence", "hedge", "retaining_wall", "city_wall", "ditch"];
    let gate = GATES.contains(&kind);
    let default = match mode {
        StreetMode::Car if gate => Barrier::Gate,
        StreetMode::Car if CAR_PASSES.contains(&kind) => Barrier::Pass,
        StreetMode::Car => Barrier::Block,
        _ if NOBODY_PASSES.contains(&kind) => Barrier::Block,
        StreetMode::Cycle if matches!(kind, "stile" | "turnstile" | "full-height_turnstile") => Barrier::Block,
        _ if gate || matches!(kind, "kissing_gate" | "stile") => Barrier::Gate,
        _ => Barrier::Pass,
    };
    let keys = access_keys(mode);
    if !keys.iter().any(|k| tag(tags, k).and_then(access_value).is_some()) {
        return default;
    }
    match access(tags, keys) {
        Access::Closed => Barrier::Block,
        Access::LocalOnly if tag_says_private(tags, keys) => Barrier::Block,
        Access::Open if default == Barrier::Block => {
            if gate {
                Barrier::Gate
            } else {
                Barrier::Pass
            }
        }
        _ => default,
    }
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
            let a = access(tags, access_keys(mode));
            if a == Access::Closed {
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
            Some(WayUse { forward, backward, speed_kmh, maxspeed_not_understood: tagged.is_some() && parsed.is_none(), local_only: a == Access::LocalOnly })
        }
        StreetMode::Walk => {
            let explicit = tag(tags, "foot").and_then(access_value) == Some(Access::Open);
            if !WALK_CLASSES.contains(&highway) && !explicit {
                return None;
            }
            // Walking is searched on nodes, without the local-access rule: a
            // private way is closed to walkers (unless `foot` opens it), a
            // destination or customers way is open to them.
            if highway.starts_with("motorway") || access(tags, access_keys(mode)) == Access::Closed || tag_says_private(tags, access_keys(mode)) {
                return None;
            }
            let (forward, backward) = match oneway(tags, "oneway:foot", false) {
                OneWay::Forward => (true, false),
                OneWay::Backward => (false, true),
                _ => (true, true),
            };
            let s = profile.walk.speed_kmh;
            Some(WayUse { forward, backward, speed_kmh: [s, s], maxspeed_not_understood: false, local_only: false })
        }
        StreetMode::Cycle => {
            let explicit = tag(tags, "bicycle").and_then(access_value) == Some(Access::Open);
            if !CYCLE_CLASSES.contains(&highway) && !explicit {
                return None;
            }
            let a = access(tags, access_keys(mode));
            if highway.starts_with("motorway") || a == Access::Closed {
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
            Some(WayUse { forward, backward, speed_kmh: [s, s], maxspeed_not_understood: false, local_only: a == Access::LocalOnly })
        }
    }
}

/// Whether the most specific access key present says `private`.
fn tag_says_private(tags: &[(String, String)], keys: &[&str]) -> bool {
    keys.iter().rev().find_map(|k| tag(tags, k).filter(|v| access_value(v).is_some())) == Some("private")
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
        assert!(way_use(&private, StreetMode::Car, &p).is_some_and(|u| u.local_only), "private: to and from places on it only");
        assert!(way_use(&private, StreetMode::Walk, &p).is_none());
        let destination = tags(&[("highway", "residential"), ("motor_vehicle", "destination")]);
        assert!(way_use(&destination, StreetMode::Car, &p).is_some_and(|u| u.local_only));
        assert!(way_use(&destination, StreetMode::Walk, &p).is_some());
        assert!(way_use(&destination, StreetMode::Cycle, &p).is_some_and(|u| !u.local_only), "motor_vehicle does not bind cycles");
        let open_again = tags(&[("highway", "residential"), ("access", "private"), ("motorcar", "yes")]);
        assert!(way_use(&open_again, StreetMode::Car, &p).is_some_and(|u| !u.local_only), "the more specific key wins");
        let foot_ok = tags(&[("highway", "service"), ("access", "private"), ("foot", "yes")]);
        assert!(way_use(&foot_ok, StreetMode::Walk, &p).is_some());
        assert!(way_use(&foot_ok, StreetMode::Car, &p).is_some_and(|u| u.local_only));
        let no_cars = tags(&[("highway", "residential"), ("motor_vehicle", "no")]);
        assert!(way_use(&no_cars, StreetMode::Car, &p).is_none());
        assert!(way_use(&tags(&[("highway", "residential"), ("foot", "no")]), StreetMode::Walk, &p).is_none());
    }

    #[test]
    fn barriers_by_mode() {
        use StreetMode::*;
        let b = |kv: &[(&str, &str)], m| barrier(&tags(kv), m);
        assert_eq!(b(&[("barrier", "bollard")], Car), Barrier::Block);
        assert_eq!(b(&[("barrier", "bollard")], Walk), Barrier::Pass);
        assert_eq!(b(&[("barrier", "bollard")], Cycle), Barrier::Pass);
        assert_eq!(b(&[("barrier", "gate")], Car), Barrier::Gate);
        assert_eq!(b(&[("barrier", "gate"), ("access", "no")], Car), Barrier::Block);
        assert_eq!(b(&[("barrier", "gate"), ("access", "private")], Car), Barrier::Block);
        assert_eq!(b(&[("barrier", "gate"), ("access", "delivery")], Car), Barrier::Gate);
        assert_eq!(b(&[("barrier", "gate"), ("access", "private"), ("foot", "yes")], Walk), Barrier::Gate);
        assert_eq!(b(&[("barrier", "lift_gate")], Car), Barrier::Gate);
        assert_eq!(b(&[("barrier", "bollard"), ("motor_vehicle", "yes")], Car), Barrier::Pass);
        assert_eq!(b(&[("barrier", "cattle_grid")], Car), Barrier::Pass);
        assert_eq!(b(&[("barrier", "stile")], Walk), Barrier::Gate);
        assert_eq!(b(&[("barrier", "stile")], Cycle), Barrier::Block);
        assert_eq!(b(&[("barrier", "wall")], Walk), Barrier::Block);
        assert_eq!(b(&[("barrier", "kissing_gate")], Car), Barrier::Block);
        assert_eq!(b(&[("highway", "traffic_signals")], Car), Barrier::Pass);
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
