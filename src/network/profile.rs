//! The speed profile: which streets each mode may use and how fast it moves
//! on them. The default ships in `assets/profile.toml`; users may pass their
//! own copy, and a calibration table of car speeds per class and period on
//! top of either. Also parses OSM `maxspeed` values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{InputError, Location};
pub use crate::network::calibration::{Calibration, SpeedOverride};

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
    /// Legal speed times this gives the off-peak speed between junctions.
    pub freeflow_factor: f64,
    /// Off-peak speed times this gives the peak speed.
    pub peak_factor: f64,
}

impl CarClass {
    /// Off-peak and peak speeds, km/h (indexed by [`Period::index`]), on a
    /// way whose legal speed is `legal_kmh`, or the class default when the
    /// way has no usable `maxspeed` tag. No calibration applied.
    pub fn speeds_kmh(&self, legal_kmh: Option<f64>) -> [f64; 2] {
        let offpeak = legal_kmh.unwrap_or(self.default_kmh) * self.freeflow_factor;
        let mut s = [0.0; 2];
        s[Period::Offpeak.index()] = offpeak;
        s[Period::Peak.index()] = offpeak * self.peak_factor;
        s
    }
}

/// Where a profile was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProfileSource {
    /// The shipped `assets/profile.toml`.
    #[default]
    BuiltIn,
    /// A file the user gave.
    File(PathBuf),
}

/// The car speeds of one class on a way without a `maxspeed` tag, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSpeeds {
    /// Highway class.
    pub class: String,
    /// Legal speed assumed, km/h.
    pub legal_kmh: f64,
    /// Off-peak speed, km/h.
    pub offpeak_kmh: f64,
    /// Peak speed, km/h.
    pub peak_kmh: f64,
    /// Whether the calibration table changed either speed.
    pub calibrated: bool,
}

/// Highway classes from the fastest down, the order reports list them in.
pub const CLASS_ORDER: [&str; 15] = [
    "motorway",
    "motorway_link",
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
    "road",
    "living_street",
    "service",
];

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
    /// What the profile is and when its figures were taken, as reports print it.
    #[serde(default)]
    pub version: Option<String>,
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
    /// Where the profile was read from (not a key of the file).
    #[serde(skip)]
    pub source: ProfileSource,
    /// The calibration table applied on top, if any (not a key of the file).
    #[serde(skip)]
    pub calibration: Option<Calibration>,
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
        let mut p = Self::from_toml_str(&text, path)?;
        p.source = ProfileSource::File(path.to_path_buf());
        Ok(p)
    }

    /// The profile at `profile` (or the shipped one), calibrated by the
    /// table at `calibration` if given: what commands and regions load.
    pub fn load_with(profile: Option<&Path>, calibration: Option<&Path>) -> Result<Self, InputError> {
        let mut p = match profile {
            Some(path) => Self::load(path)?,
            None => Self::default(),
        };
        if let Some(c) = calibration {
            p.calibration = Some(Calibration::load(c, &p)?);
        }
        Ok(p)
    }

    /// Off-peak and peak car speeds, km/h (indexed by [`Period::index`]), on
    /// a way of `class` whose legal speed is `legal_kmh` (`None`: no usable
    /// `maxspeed` tag), calibrated; `None` when the class is closed to cars.
    pub fn car_speeds_kmh(&self, class: &str, legal_kmh: Option<f64>) -> Option<[f64; 2]> {
        self.car.get(class).map(|c| self.calibrated(class, c.speeds_kmh(legal_kmh)))
    }

    /// `speeds` of a way of `class` after the calibration table, if any.
    pub fn calibrated(&self, class: &str, speeds: [f64; 2]) -> [f64; 2] {
        match &self.calibration {
            Some(c) => c.apply(class, speeds),
            None => speeds,
        }
    }

    /// Which profile this is, in words: the built-in one with its version
    /// line, or the file, and the calibration table if any.
    pub fn describe(&self) -> String {
        let mut s = match &self.source {
            ProfileSource::BuiltIn => "built-in profile".to_string(),
            ProfileSource::File(p) => format!("profile {}", p.display()),
        };
        if let Some(v) = &self.version {
            s.push_str(&format!(" ({v})"));
        }
        if let Some(c) = &self.calibration {
            let n: usize = c.rows.values().map(|r| r.iter().flatten().count()).sum();
            s.push_str(&format!(", calibrated by {} ({n} class-period {})", c.path.display(), if n == 1 { "override" } else { "overrides" }));
        }
        s
    }

    /// The car speeds of each class on an untagged way, fastest classes first.
    pub fn car_speed_table(&self) -> Vec<ClassSpeeds> {
        let rank = |c: &str| CLASS_ORDER.iter().position(|o| *o == c).unwrap_or(CLASS_ORDER.len());
        let mut classes: Vec<&String> = self.car.keys().collect();
        classes.sort_by_key(|c| (rank(c), c.as_str()));
        classes
            .into_iter()
            .map(|class| {
                let c = &self.car[class];
                let raw = c.speeds_kmh(None);
                let s = self.calibrated(class, raw);
                ClassSpeeds {
                    class: class.clone(),
                    legal_kmh: c.default_kmh,
                    offpeak_kmh: s[Period::Offpeak.index()],
                    peak_kmh: s[Period::Peak.index()],
                    calibrated: s != raw,
                }
            })
            .collect()
    }

    /// Parses profile TOML; `path` is used in messages.
    pub fn from_toml_str(text: &str, path: &Path) -> Result<Self, InputError> {
        let p: Profile = toml::from_str(text).map_err(|e| {
            let mut err = crate::input::toml_text::toml_error(path, text, &e);
            // Say what a class needs, not the name of the type that holds it.
            err.message = err.message.replace(
                "struct CarClass",
                "a table of default_kmh, freeflow_factor and peak_factor, e.g. { default_kmh = 48, freeflow_factor = 0.9, peak_factor = 0.75 }",
            );
            for (ty, what) in [("struct FlatSpeed", "a table with speed_kmh"), ("struct Junctions", "a table of junction delays in seconds")] {
                err.message = err.message.replace(ty, what);
            }
            err
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
        assert_eq!(p.source, ProfileSource::BuiltIn);
        assert!(p.version.as_deref().is_some_and(|v| v.contains("DfT")), "{:?}", p.version);
        // Untagged ways: the national limits (70 mph motorways, 60 mph
        // single carriageways, 30 mph in towns), 40 mph for A and B roads.
        assert!((p.car["motorway"].default_kmh - 112.7).abs() < 0.1);
        assert!((p.car["trunk"].default_kmh - 96.6).abs() < 0.1);
        assert!((p.car["primary"].default_kmh - 64.4).abs() < 0.1);
        assert!((p.car["secondary"].default_kmh - 64.4).abs() < 0.1);
        assert!((p.car["residential"].default_kmh - 48.3).abs() < 0.1);
        assert!(!p.car.contains_key("footway"));
        assert_eq!(p.junctions, Junctions::default(), "a profile without [junctions] gets the shipped delays");
        let off = |c: &str| p.car_speeds_kmh(c, None).map_or(f64::NAN, |s| s[Period::Offpeak.index()]);
        // Main roads clearly faster than side streets: 45-65 km/h off-peak
        // on an untagged A or B road, about 25 km/h on a residential street.
        for c in ["primary", "secondary"] {
            assert!((45.0..=65.0).contains(&off(c)), "{c}: {}", off(c));
        }
        assert!((22.0..=28.0).contains(&off("residential")), "{}", off("residential"));
        assert!(off("primary") > 2.0 * off("residential"));
        let order = ["motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "service", "living_street"];
        for w in order.windows(2) {
            assert!(off(w[0]) > off(w[1]), "{} {} vs {} {}", w[0], off(w[0]), w[1], off(w[1]));
        }
        // The peak is never faster; A roads lose the most.
        for (class, c) in &p.car {
            assert!(c.peak_factor <= 1.0 && c.peak_factor >= c_min_peak(&p), "{class}");
        }
        assert_eq!(c_min_peak(&p), p.car["primary"].peak_factor);
    }

    fn c_min_peak(p: &Profile) -> f64 {
        p.car.values().map(|c| c.peak_factor).fold(f64::INFINITY, f64::min)
    }

    /// The arithmetic written in `assets/profile.toml`, from DfT's published
    /// figures to the A-road and motorway factors.
    #[test]
    fn shipped_factors_follow_the_published_dft_figures() {
        let p = Profile::default();
        // Local 'A' roads, year ending June 2023: 23.3 mph average, 46.7 s per
        // vehicle per mile of delay against free flow.
        let observed_s: f64 = 3600.0 / 23.3;
        let freeflow_s = observed_s - 46.7;
        assert!((3600.0 / freeflow_s - 33.4).abs() < 0.05, "free-flow speed {}", 3600.0 / freeflow_s);
        // Junction delay inside it: 1.5 signals per mile at the profile's delay.
        let junctions_s = 1.5 * p.junctions.traffic_signals_s;
        let link_s = freeflow_s - junctions_s;
        let link_mph = 3600.0 / link_s;
        // Against Newport's tagged A roads' mean limit, 45.9 mph.
        assert!((link_mph / 45.9 - p.car["primary"].freeflow_factor).abs() < 0.005, "{}", link_mph / 45.9);
        let peak_link_s = observed_s - junctions_s * p.junctions.peak_factor;
        assert!((link_s / peak_link_s - p.car["primary"].peak_factor).abs() < 0.005, "{}", link_s / peak_link_s);
        // Trunk roads 2003: 49.5 mph morning peak, 54.6 mph off-peak.
        for c in ["motorway", "motorway_link", "trunk", "trunk_link"] {
            assert!((49.5 / 54.6 - p.car[c].peak_factor).abs() < 0.005, "{c}");
        }
        // The SRN in 2022 ran at 0.85 of its limits over the whole day
        // (58.1 mph, 9.3 s per vehicle per mile behind the limits); the
        // motorway off-peak and peak factors bracket that.
        let srn: f64 = 58.1 / (3600.0 / (3600.0 / 58.1 - 9.3));
        let m = p.car["motorway"];
        assert!((srn - 0.85).abs() < 0.005 && m.freeflow_factor > srn && m.freeflow_factor * m.peak_factor <= srn + 0.02, "{srn}");
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
        // A class given as a number: the line, the key, and what a class needs.
        let e =
            Profile::from_toml_str(&DEFAULT_PROFILE_TOML.replace("[car.residential]", "[car]\nresidential = 30\n[car.residential_old]"), Path::new("p.toml"))
                .unwrap_err();
        assert!(e.field.as_deref() == Some("residential") && e.message.contains("a table of default_kmh, freeflow_factor and peak_factor"), "{e}");
        assert!(!e.message.contains("struct"), "{e}");
        let e = Profile::from_toml_str("[walk]\nspeed_kmh = 4.8\nspede = 3\n", Path::new("p.toml")).unwrap_err();
        assert!(e.to_string().contains("line 3") && e.to_string().contains("spede"), "{e}");
    }
}

/// The car network of Newport as built with the shipped profile: the ratio
/// of peak to off-peak times of every street is the profile's factor for its
/// class, and main roads are faster than side streets.
#[cfg(test)]
mod newport_speeds {
    use super::*;
    use crate::input::osm::{OsmData, tag};
    use crate::network::Network;

    #[test]
    fn newport_car_times_follow_the_profile_per_class() {
        let Some(path) = crate::testdata::shared_file("newport/newport-2023-06-13.osm.pbf") else { return };
        let osm = OsmData::load(&path).expect("Newport PBF loads");
        let p = Profile::default();
        let net = Network::build(&osm, StreetMode::Car, &p);
        let tags_of: std::collections::HashMap<i64, &[(String, String)]> = osm.ways.iter().map(|w| (w.id, w.tags.as_slice())).collect();
        // Ways with signals, signs or gates along them carry those delays
        // (peak x junctions.peak_factor) in their street times: the speed
        // ratio is checked on the others.
        let with_delays: std::collections::HashSet<i64> =
            osm.ways.iter().filter(|w| w.nodes.iter().any(|n| osm.node_tags.contains_key(n))).map(|w| w.id).collect();
        // Per class: streets checked, and off-peak speeds of untagged and all streets.
        let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
        let mut untagged: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut all: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for s in &net.streets {
            let class = net.classes[s.class as usize].as_str();
            let pf = p.car[class].peak_factor;
            for ms in [s.forward_ms, s.backward_ms].into_iter().flatten() {
                let (off, peak) = (ms[Period::Offpeak.index()] as f64, ms[Period::Peak.index()] as f64);
                // Both are whole milliseconds (at least 1): within rounding.
                if off > 1.0 && !with_delays.contains(&s.way_id) {
                    assert!((peak - off / pf).abs() <= 0.5 + 0.5 / pf + 1e-9, "way {} ({class}): peak {peak} ms, off-peak {off} ms, factor {pf}", s.way_id);
                }
                *checked.entry(class).or_default() += 1;
            }
            let Some(ms) = s.forward_ms.or(s.backward_ms) else { continue };
            if with_delays.contains(&s.way_id) {
                continue;
            }
            let kmh = s.length_m / (ms[Period::Offpeak.index()] as f64 / 1000.0) * 3.6;
            all.entry(class).or_default().push(kmh);
            if tags_of.get(&s.way_id).is_some_and(|t| tag(t, "maxspeed").is_none()) {
                untagged.entry(class).or_default().push(kmh);
            }
        }
        let median = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
        };
        for (class, v) in &all {
            eprintln!(
                "{class:16} {:5} streets, off-peak median {:5.1} km/h (untagged {:5.1})",
                v.len(),
                median(v),
                untagged.get(class).map_or(f64::NAN, |u| median(u))
            );
        }
        // Every main class of the town (it has no trunk road) was checked:
        // the M4's few long one-way stretches, hundreds of the others.
        assert!(checked.get("motorway").is_some_and(|&n| n > 0), "{checked:?}");
        for c in ["primary", "secondary", "tertiary", "unclassified", "residential", "service"] {
            assert!(checked.get(c).is_some_and(|&n| n > 100), "{c}: {checked:?}");
        }
        // Untagged main roads are clearly faster than untagged residential
        // streets (most of Newport's A roads carry a limit, a few short
        // stretches and a third of its B roads do not), and even the slowest
        // primary road (a 20 mph stretch) is faster than the typical
        // residential street.
        let res = median(&untagged["residential"]);
        assert!((24.0..=26.0).contains(&res), "{res}");
        for c in ["primary", "secondary"] {
            assert!(median(&untagged[c]) > 2.0 * res, "{c}: {}", median(&untagged[c]));
        }
        let slowest_primary = all["primary"].iter().copied().fold(f64::INFINITY, f64::min);
        assert!(slowest_primary > res, "{slowest_primary} vs {res}");
        assert!(median(&all["primary"]) > 2.0 * res, "{}", median(&all["primary"]));
    }
}
