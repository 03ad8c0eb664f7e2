//! The speed profile: which streets each mode may use and how fast it moves
//! on them. The default ships in `assets/profile.toml`; users may pass their
//! own copy. Also parses OSM `maxspeed` values.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{InputError, Location};

/// The default profile, as shipped.
pub const DEFAULT_PROFILE_TOML: &str = include_str!("../../assets/profile.toml");

/// Kilometres per hour in one mile per hour.
pub const KMH_PER_MPH: f64 = 1.609_344;

/// A way of travelling on the street network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StreetMode {
    /// Driving.
    Car,
    /// Walking.
    Walk,
    /// Cycling.
    Cycle,
}

impl StreetMode {
    /// All street modes.
    pub const ALL: [StreetMode; 3] = [StreetMode::Car, StreetMode::Walk, StreetMode::Cycle];
    /// Lower-case name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            StreetMode::Car => "car",
            StreetMode::Walk => "walk",
            StreetMode::Cycle => "cycle",
        }
    }
}

impl std::str::FromStr for StreetMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "car" | "drive" => Ok(StreetMode::Car),
            "walk" | "foot" => Ok(StreetMode::Walk),
            "cycle" | "bike" | "bicycle" => Ok(StreetMode::Cycle),
            _ => Err(format!("unknown mode '{s}' (expected car, walk or cycle)")),
        }
    }
}

/// Time of day for car travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Free-flowing traffic.
    Offpeak,
    /// Rush hour.
    Peak,
}

impl Period {
    /// Both periods.
    pub const ALL: [Period; 2] = [Period::Offpeak, Period::Peak];
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Period::Offpeak => "offpeak",
            Period::Peak => "peak",
        }
    }
    /// Index into per-period arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().replace('-', "").as_str() {
            "offpeak" => Ok(Period::Offpeak),
            "peak" => Ok(Period::Peak),
            _ => Err(format!("unknown period '{s}' (expected offpeak or peak)")),
        }
    }
}

/// Car speeds for one highway class.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarClass {
    /// Legal speed assumed when the way has no usable `maxspeed` tag, km/h.
    pub default_kmh: f64,
    /// Legal speed times this gives the off-peak free-flow speed.
    pub freeflow_factor: f64,
    /// Off-peak speed times this gives the peak speed.
    pub peak_factor: f64,
}

/// A speed for a non-motorised mode.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlatSpeed {
    /// Speed, km/h.
    pub speed_kmh: f64,
}

/// Which side of the road traffic drives on: turns across the oncoming
/// traffic (right turns where traffic drives on the left) cost more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DriveOn {
    /// United Kingdom, Ireland, Japan, ...
    Left,
    /// Most of the world.
    Right,
}

/// Delays at junctions and barriers, seconds, off-peak; the peak multiplies
/// them by `peak_factor`. Cars pay all of them; cycles pay signals, stop and
/// give-way signs and gates.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Junctions {
    /// Side of the road traffic drives on.
    pub drive_on: DriveOn,
    /// Passing a node tagged `highway=traffic_signals`.
    pub traffic_signals_s: f64,
    /// Passing a `highway=stop` sign (on the approach it faces).
    pub stop_s: f64,
    /// Passing a `highway=give_way` sign (on the approach it faces).
    pub give_way_s: f64,
    /// A right-angle turn with the traffic (left where traffic drives on the left).
    pub turn_with_traffic_s: f64,
    /// A right-angle turn across the oncoming traffic.
    pub turn_across_traffic_s: f64,
    /// Turning back on the same street; only allowed where nothing else is.
    pub u_turn_s: f64,
    /// Passing a gate (`barrier=gate`, `lift_gate`, `swing_gate`, ...) that is open to the mode.
    pub gate_s: f64,
    /// Peak delays are the off-peak ones times this.
    pub peak_factor: f64,
}

/// The whole profile.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Walking speed.
    pub walk: FlatSpeed,
    /// Cycling speed.
    pub cycle: FlatSpeed,
    /// Car speeds by highway class; classes not listed are closed to cars.
    pub car: BTreeMap<String, CarClass>,
    /// Delays at junctions and barriers; a profile without the section
    /// gets the shipped values.
    #[serde(default)]
    pub junctions: Junctions,
}

impl Default for Junctions {
    /// The values shipped in `assets/profile.toml` (a test checks they agree).
    fn default() -> Self {
        Junctions {
            drive_on: DriveOn::Left,
            traffic_signals_s: 12.0,
            stop_s: 6.0,
            give_way_s: 3.0,
            turn_with_traffic_s: 3.0,
            turn_across_traffic_s: 8.0,
            u_turn_s: 30.0,
            gate_s: 20.0,
            peak_factor: 1.5,
        }
    }
}

impl Default for Profile {
    fn default() -> Self {
        // The shipped profile is checked by a test; failing here is a build defect.
        Self::from_toml_str(DEFAULT_PROFILE_TOML, Path::new("assets/profile.toml")).unwrap_or_else(|e| panic!("built-in profile is invalid: {e}"))
    }
}

impl Profile {
    /// Reads a profile file.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
        Self::from_toml_str(&text, path)
    }

    /// Parses profile TOML; `path` is used in messages.
    pub fn from_toml_str(text: &str, path: &Path) -> Result<Self, InputError> {
        let p: Profile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| 1 + text[..s.start.min(text.len())].matches('\n').count() as u64);
            InputError::at(path, line.map_or(Location::File, Location::Line), None, e.message().to_string())
        })?;
        let bad = |field: String, msg: &str| InputError::at(path, Location::File, Some(&field), msg.to_string());
        if !(p.walk.speed_kmh > 0.5 && p.walk.speed_kmh < 20.0) {
            return Err(bad("walk.speed_kmh".into(), "walking speed must be between 0.5 and 20 km/h"));
        }
        if !(p.cycle.speed_kmh > 1.0 && p.cycle.speed_kmh < 60.0) {
            return Err(bad("cycle.speed_kmh".into(), "cycling speed must be between 1 and 60 km/h"));
        }
        for (class, c) in &p.car {
            if !(c.default_kmh > 0.0 && c.default_kmh <= 200.0) {
                return Err(bad(format!("car.{class}.default_kmh"), "must be between 0 and 200 km/h"));
            }
            for (name, f) in [("freeflow_factor", c.freeflow_factor), ("peak_factor", c.peak_factor)] {
                if !(f > 0.0 && f <= 1.5) {
                    return Err(bad(format!("car.{class}.{name}"), "must be between 0 and 1.5"));
                }
            }
        }
        let j = &p.junctions;
        for (name, v) in [
            ("traffic_signals_s", j.traffic_signals_s),
            ("stop_s", j.stop_s),
            ("give_way_s", j.give_way_s),
            ("turn_with_traffic_s", j.turn_with_traffic_s),
            ("turn_across_traffic_s", j.turn_across_traffic_s),
            ("u_turn_s", j.u_turn_s),
            ("gate_s", j.gate_s),
        ] {
            if !(0.0..=600.0).contains(&v) {
                return Err(bad(format!("junctions.{name}"), "must be between 0 and 600 seconds"));
            }
        }
        if !(j.peak_factor >= 1.0 && j.peak_factor <= 5.0) {
            return Err(bad("junctions.peak_factor".into(), "must be between 1 and 5"));
        }
        Ok(p)
    }

    /// Walking speed in metres per second.
    pub fn walk_mps(&self) -> f64 {
        self.walk.speed_kmh / 3.6
    }
}

/// Parses an OSM `maxspeed` value into km/h. `None` for values that do not
/// give a number (`signals`, `variable`, `none`, unknown zone codes).
pub fn parse_maxspeed_kmh(value: &str) -> Option<f64> {
    let v = value.trim();
    // Several values separated by ';' (lanes or conditional): take the first.
    let v = v.split(';').next().unwrap_or(v).trim();
    let lower = v.to_ascii_lowercase();
    match lower.as_str() {
        "walk" => return Some(6.0),
        "gb:nsl_single" | "uk:nsl_single" | "gb:nsl_restricted" => return Some(60.0 * KMH_PER_MPH),
        "gb:nsl_dual" | "uk:nsl_dual" | "gb:motorway" | "uk:motorway" => return Some(70.0 * KMH_PER_MPH),
        "gb:urban" | "uk:urban" | "gb:zone30" => return Some(30.0 * KMH_PER_MPH),
        "gb:zone20" | "uk:zone20" => return Some(20.0 * KMH_PER_MPH),
        _ => {}
    }
    let (num, unit_mph) = if let Some(n) = lower.strip_suffix("mph") {
        (n.trim(), true)
    } else if let Some(n) = lower.strip_suffix("km/h").or_else(|| lower.strip_suffix("kmh")).or_else(|| lower.strip_suffix("kph")) {
        (n.trim(), false)
    } else {
        (lower.as_str(), false)
    };
    let n: f64 = num.parse().ok()?;
    if !(n > 0.0 && n < 300.0) {
        return None;
    }
    Some(if unit_mph { n * KMH_PER_MPH } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_profile_parses_with_uk_limits() {
        let p = Profile::default();
        assert_eq!(p.walk.speed_kmh, 4.8);
        assert!((p.car["motorway"].default_kmh - 112.7).abs() < 0.1);
        assert!((p.car["residential"].default_kmh - 48.3).abs() < 0.1);
        assert!(!p.car.contains_key("footway"));
        assert_eq!(p.junctions, Junctions::default(), "a profile without [junctions] gets the shipped delays");
    }

    #[test]
    fn maxspeed_values_as_tagged_in_the_uk() {
        let near = |v: &str, kmh: f64| {
            let got = parse_maxspeed_kmh(v).unwrap_or(f64::NAN);
            assert!((got - kmh).abs() < 0.01, "{v}: {got} vs {kmh}");
        };
        near("30", 30.0);
        near("30 mph", 48.28);
        near("20mph", 32.19);
        near("GB:nsl_single", 96.56);
        near("GB:nsl_dual", 112.65);
        near("GB:motorway", 112.65);
        near("walk", 6.0);
        near("50 km/h", 50.0);
        near("40 mph;30 mph", 64.37);
        assert_eq!(parse_maxspeed_kmh("signals"), None);
        assert_eq!(parse_maxspeed_kmh("none"), None);
        assert_eq!(parse_maxspeed_kmh("-5"), None);
    }

    #[test]
    fn a_bad_profile_names_the_field() {
        let text = DEFAULT_PROFILE_TOML.replace("speed_kmh = 4.8", "speed_kmh = 0");
        let e = Profile::from_toml_str(&text, Path::new("p.toml")).unwrap_err();
        assert!(e.to_string().contains("walk.speed_kmh"), "{e}");
        let e = Profile::from_toml_str("[walk]\nspeed_kmh = 4.8\nspede = 3\n", Path::new("p.toml")).unwrap_err();
        assert!(e.to_string().contains("line 3") && e.to_string().contains("spede"), "{e}");
    }
}
