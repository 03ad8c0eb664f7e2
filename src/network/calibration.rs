//! A planner's calibration table: car speeds per highway class and period
//! that override the speed profile, e.g. from local journey-time data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{InputError, Location};
use crate::network::profile::{Period, Profile};

/// What one calibration row does to the car speed of a class in a period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpeedOverride {
    /// Every way of the class moves at this speed, km/h, whatever its `maxspeed`.
    Speed(f64),
    /// The profile's speed times this.
    Factor(f64),
}

impl SpeedOverride {
    fn apply(self, kmh: f64) -> f64 {
        match self {
            SpeedOverride::Speed(s) => s,
            SpeedOverride::Factor(f) => kmh * f,
        }
    }
}

/// A planner's calibration table: car speeds per highway class and period
/// overriding the profile, e.g. from local journey-time data. Read from a CSV
/// with the columns `class`, `period` (`offpeak`, `peak` or `both`) and
/// `speed_kmh` or `factor` (one of the two per row).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calibration {
    /// The file it was read from.
    pub path: PathBuf,
    /// Per class, the override of each period (indexed by [`Period::index`]).
    pub rows: BTreeMap<String, [Option<SpeedOverride>; 2]>,
}

impl Calibration {
    /// Reads a calibration CSV; its classes must be car classes of `profile`.
    pub fn load(path: &Path, profile: &Profile) -> Result<Self, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
        Self::from_csv_str(&text, path, profile)
    }

    /// Parses calibration CSV text; `path` is used in messages.
    pub fn from_csv_str(text: &str, path: &Path, profile: &Profile) -> Result<Self, InputError> {
        let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).comment(Some(b'#')).from_reader(text.as_bytes());
        let headers = rdr.headers().map_err(|e| InputError::at(path, Location::Line(1), None, format!("cannot read the header: {e}")))?.clone();
        let head_line = headers.position().map_or(1, |p| p.line());
        let col = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
        let need = |name: &str| {
            col(name).ok_or_else(|| {
                InputError::at(
                    path,
                    Location::Line(head_line),
                    Some(name),
                    format!("no '{name}' column (the columns are class, period, and speed_kmh or factor)"),
                )
            })
        };
        let (c_class, c_period) = (need("class")?, need("period")?);
        let (c_speed, c_factor) = (col("speed_kmh"), col("factor"));
        if c_speed.is_none() && c_factor.is_none() {
            return Err(InputError::at(path, Location::Line(head_line), Some("speed_kmh"), "no 'speed_kmh' or 'factor' column: give one of them"));
        }
        let mut rows: BTreeMap<String, [Option<SpeedOverride>; 2]> = BTreeMap::new();
        let mut lines: BTreeMap<(String, usize), u64> = BTreeMap::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(Location::File, |p| Location::Line(p.line()));
                InputError::at(path, line, None, format!("cannot read the row: {e}"))
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let at = |field: &str, msg: String| InputError::at(path, Location::Line(line), Some(field), msg);
            let cell = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
            if rec.iter().all(str::is_empty) {
                continue;
            }
            let class = cell(Some(c_class));
            if !profile.car.contains_key(class) {
                let known: Vec<&str> = profile.car.keys().map(String::as_str).collect();
                return Err(at("class", format!("'{class}' is not a car class of the profile (known: {})", known.join(", "))));
            }
            let period = cell(Some(c_period));
            let periods: Vec<Period> = match period.to_ascii_lowercase().as_str() {
                "both" | "all" => Period::ALL.to_vec(),
                p => vec![p.parse().map_err(|_| at("period", format!("'{period}' is not a period (expected offpeak, peak or both)")))?],
            };
            let number = |field: &str, v: &str, lo: f64, hi: f64, what: &str| -> Result<f64, InputError> {
                let x: f64 = v.parse().map_err(|_| at(field, format!("'{v}' is not a number")))?;
                if !(x > lo && x <= hi) {
                    return Err(at(field, format!("{x} is not {what}")));
                }
                Ok(x)
            };
            let o = match (cell(c_speed), cell(c_factor)) {
                ("", "") => return Err(at("speed_kmh", "empty: give speed_kmh or factor".into())),
                (v, "") => SpeedOverride::Speed(number("speed_kmh", v, 1.0, 200.0, "a car speed: give more than 1 and at most 200 km/h")?),
                ("", v) => SpeedOverride::Factor(number("factor", v, 0.0, 3.0, "a factor: give more than 0 and at most 3")?),
                _ => return Err(at("factor", "both speed_kmh and factor are given: give one".into())),
            };
            for p in periods {
                if let Some(first) = lines.insert((class.to_string(), p.index()), line) {
                    return Err(at("period", format!("{class} {} is already calibrated on line {first}", p.name())));
                }
                rows.entry(class.to_string()).or_default()[p.index()] = Some(o);
            }
        }
        for (class, r) in &rows {
            if let [Some(SpeedOverride::Speed(off)), Some(SpeedOverride::Speed(peak))] = r
                && peak > off
            {
                let line = lines.get(&(class.clone(), Period::Peak.index())).copied().unwrap_or(0);
                return Err(InputError::at(
                    path,
                    Location::Line(line),
                    Some("speed_kmh"),
                    format!("{class}: the peak speed {peak} km/h is faster than the off-peak {off} km/h"),
                ));
            }
        }
        if rows.is_empty() {
            return Err(InputError::file(path, "no calibration rows: give class,period,speed_kmh or class,period,factor rows"));
        }
        Ok(Calibration { path: path.to_path_buf(), rows })
    }

    /// `speeds` (indexed by [`Period::index`]) of a way of `class`, calibrated.
    pub fn apply(&self, class: &str, speeds: [f64; 2]) -> [f64; 2] {
        match self.rows.get(class) {
            Some(r) => [0, 1].map(|i| r[i].map_or(speeds[i], |o| o.apply(speeds[i]))),
            None => speeds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::profile::{DEFAULT_PROFILE_TOML, ProfileSource};

    fn parse(text: &str) -> Result<Calibration, InputError> {
        Calibration::from_csv_str(text, Path::new("speeds.csv"), &Profile::default())
    }

    #[test]
    fn a_calibration_table_overrides_speeds_per_class_and_period() {
        let mut p = Profile::default();
        let raw_primary = p.car_speeds_kmh("primary", Some(48.28)).unwrap_or_default();
        let raw_res = p.car_speeds_kmh("residential", None).unwrap_or_default();
        let raw_sec = p.car_speeds_kmh("secondary", None).unwrap_or_default();
        let text = "# Newport journey times, spring survey\nclass,period,speed_kmh,factor\nprimary,peak,32,\nresidential,both,,0.8\n\nsecondary,offpeak,,1.1\n";
        p.calibration = Some(parse(text).unwrap());
        // A speed replaces the modelled one, whatever the maxspeed tag; the
        // other period keeps the profile's.
        let s = p.car_speeds_kmh("primary", Some(48.28)).unwrap_or_default();
        assert_eq!(s[Period::Peak.index()], 32.0);
        assert_eq!(s[Period::Offpeak.index()], raw_primary[Period::Offpeak.index()]);
        assert_eq!(p.car_speeds_kmh("primary", Some(96.6)).unwrap_or_default()[Period::Peak.index()], 32.0);
        // A factor scales it; `both` does both periods.
        let s = p.car_speeds_kmh("residential", None).unwrap_or_default();
        assert!((s[0] - raw_res[0] * 0.8).abs() < 1e-9 && (s[1] - raw_res[1] * 0.8).abs() < 1e-9);
        let s = p.car_speeds_kmh("secondary", None).unwrap_or_default();
        assert!((s[Period::Offpeak.index()] - raw_sec[Period::Offpeak.index()] * 1.1).abs() < 1e-9);
        assert_eq!(s[Period::Peak.index()], raw_sec[Period::Peak.index()]);
        // Untouched classes are as the profile gives them.
        assert_eq!(p.car_speeds_kmh("tertiary", None), Profile::default().car_speeds_kmh("tertiary", None));
        // Reports say so.
        assert!(p.describe().contains("calibrated by speeds.csv (4 class-period overrides)"), "{}", p.describe());
        let table = p.car_speed_table();
        assert_eq!(table[0].class, "motorway");
        let row = |c: &str| table.iter().find(|r| r.class == c).cloned();
        assert!(row("primary").is_some_and(|r| r.calibrated && r.peak_kmh == 32.0));
        assert!(row("tertiary").is_some_and(|r| !r.calibrated));
        // Header-only columns may be just one of speed_kmh / factor.
        assert!(parse("class,period,factor\nprimary,peak,0.9\n").is_ok());
        assert!(parse("Class,Period,Speed_kmh\nprimary,off-peak,50\n").is_ok());
    }

    #[test]
    fn bad_calibration_rows_name_the_file_line_and_field() {
        let err = |text: &str| parse(text).map(|_| ()).unwrap_err().to_string();
        let e = err("class,period,speed_kmh\nprimary,peak,30\nfootway,peak,5\n");
        assert!(e.starts_with("speeds.csv: line 3, field 'class'") && e.contains("'footway' is not a car class"), "{e}");
        let e = err("class,period,speed_kmh\nprimary,evening,30\n");
        assert!(e.starts_with("speeds.csv: line 2, field 'period'") && e.contains("offpeak, peak or both"), "{e}");
        let e = err("class,period,speed_kmh\nprimary,peak,fast\n");
        assert!(e.starts_with("speeds.csv: line 2, field 'speed_kmh'") && e.contains("'fast' is not a number"), "{e}");
        let e = err("class,period,speed_kmh\nprimary,peak,0\n");
        assert!(e.starts_with("speeds.csv: line 2, field 'speed_kmh'"), "{e}");
        let e = err("class,period,factor\nprimary,peak,-1\n");
        assert!(e.starts_with("speeds.csv: line 2, field 'factor'"), "{e}");
        let e = err("class,period,speed_kmh,factor\nprimary,peak,30,0.9\n");
        assert!(e.starts_with("speeds.csv: line 2, field 'factor'") && e.contains("give one"), "{e}");
        let e = err("class,period,speed_kmh,factor\nprimary,peak,,\n");
        assert!(e.starts_with("speeds.csv: line 2, field 'speed_kmh'") && e.contains("empty"), "{e}");
        let e = err("class,period,speed_kmh\nprimary,both,30\nprimary,peak,25\n");
        assert!(e.starts_with("speeds.csv: line 3, field 'period'") && e.contains("already calibrated on line 2"), "{e}");
        let e = err("class,period,speed_kmh\nprimary,offpeak,30\nprimary,peak,40\n");
        assert!(e.starts_with("speeds.csv: line 3, field 'speed_kmh'") && e.contains("faster than the off-peak"), "{e}");
        let e = err("class,when,speed_kmh\nprimary,peak,30\n");
        assert!(e.starts_with("speeds.csv: line 1, field 'period'"), "{e}");
        let e = err("class,period,kmh\nprimary,peak,30\n");
        assert!(e.starts_with("speeds.csv: line 1, field 'speed_kmh'"), "{e}");
        let e = err("class,period,speed_kmh\n");
        assert!(e.starts_with("speeds.csv: whole file") && e.contains("no calibration rows"), "{e}");
    }

    #[test]
    fn profile_and_calibration_load_from_files() {
        let prof = crate::testdata::temp_file("profile-cal", "mine.toml", &DEFAULT_PROFILE_TOML.replace("version = ", "version = \"mine\"\nold_version = "));
        // An unknown key is an error naming the line; a profile without a version line is fine.
        let e = Profile::load(&prof).unwrap_err().to_string();
        assert!(e.contains("mine.toml") && e.contains("old_version"), "{e}");
        let text: String = DEFAULT_PROFILE_TOML.lines().filter(|l| !l.starts_with("version")).map(|l| format!("{l}\n")).collect();
        let prof = crate::testdata::temp_file("profile-cal", "mine.toml", &text);
        let cal = crate::testdata::temp_file("profile-cal", "cal.csv", "class,period,speed_kmh\nresidential,offpeak,20\n");
        let p = Profile::load_with(Some(&prof), Some(&cal)).unwrap();
        assert_eq!(p.source, ProfileSource::File(prof.clone()));
        assert_eq!(p.version, None);
        assert_eq!(p.car_speeds_kmh("residential", Some(48.28)).map(|s| s[0]), Some(20.0));
        assert_eq!(p.describe(), format!("profile {}, calibrated by {} (1 class-period override)", prof.display(), cal.display()));
        let e = Profile::load_with(None, Some(&cal.with_file_name("missing.csv"))).unwrap_err().to_string();
        assert!(e.contains("missing.csv") && e.contains("cannot read"), "{e}");
        let d = Profile::load_with(None, None).unwrap().describe();
        assert!(d.starts_with("built-in profile (UK defaults"), "{d}");
    }
}
