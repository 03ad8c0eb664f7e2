//! Coordinate reference systems of input files: which system a file uses
//! (WGS84 longitude/latitude or British National Grid metres), how that is
//! declared or detected, plausibility checks that catch a file read in the
//! wrong system, and conversion of BNG eastings/northings to WGS84.
//!
//! The conversion uses proj4rs with the standard EPSG:27700 definition and
//! the OSGB36 → WGS84 seven-parameter Helmert shift. That shift is good to
//! about 5 m across Great Britain (the OS quotes "a few metres"), which is far
//! below what zone centroids or site placement need; it is not OSTN15.

use std::path::Path;
use std::str::FromStr;

use proj4rs::Proj;

use crate::error::{InputError, Location};
use crate::geom::LonLat;

/// The EPSG:27700 (OSGB36 / British National Grid) definition with the
/// standard seven-parameter Helmert shift to WGS84.
pub const BNG_PROJ_STRING: &str = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 \
     +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs";

/// The WGS84 longitude/latitude definition used as the target of conversions.
const WGS84_PROJ_STRING: &str = "+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs";

/// Largest plausible British National Grid easting, metres.
pub const BNG_MAX_EASTING_M: f64 = 700_000.0;
/// Largest plausible British National Grid northing, metres.
pub const BNG_MAX_NORTHING_M: f64 = 1_300_000.0;

/// A coordinate reference system this tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Crs {
    /// WGS84 longitude/latitude in degrees (EPSG:4326, OGC CRS84).
    #[default]
    Wgs84,
    /// OSGB36 British National Grid eastings/northings in metres (EPSG:27700).
    BritishNationalGrid,
}

impl Crs {
    /// The short name users pass on the command line (`wgs84`, `bng`).
    pub fn short_name(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::BritishNationalGrid => "bng",
        }
    }
    /// The EPSG code.
    pub fn epsg(self) -> u16 {
        match self {
            Crs::Wgs84 => 4326,
            Crs::BritishNationalGrid => 27700,
        }
    }
}

impl std::fmt::Display for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Crs::Wgs84 => write!(f, "WGS84 longitude/latitude (EPSG:4326)"),
            Crs::BritishNationalGrid => write!(f, "British National Grid (EPSG:27700)"),
        }
    }
}

impl FromStr for Crs {
    type Err = String;
    /// Accepts `wgs84`, `epsg:4326`, `4326`, `crs84`, `bng`, `epsg:27700`, `27700`, `osgb36` (any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wgs84" | "epsg:4326" | "4326" | "crs84" | "lonlat" => Ok(Crs::Wgs84),
            "bng" | "epsg:27700" | "27700" | "osgb36" | "osgb" => Ok(Crs::BritishNationalGrid),
            other => Err(format!("unknown coordinate system '{other}': use wgs84 (EPSG:4326, longitude/latitude) or bng (EPSG:27700, British National Grid)")),
        }
    }
}

/// Which coordinate system to read a file in: detect it, or as the user said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CrsChoice {
    /// Use the file's own declaration, else the column names, else the values.
    #[default]
    Auto,
    /// The user said which system the file uses.
    Fixed(Crs),
}

impl FromStr for CrsChoice {
    type Err = String;
    /// `auto` or anything [`Crs`] accepts.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().eq_ignore_ascii_case("auto") { Ok(CrsChoice::Auto) } else { s.parse().map(CrsChoice::Fixed) }
    }
}

/// The system named by a GeoJSON `crs` member (`urn:ogc:def:crs:EPSG::27700`,
/// `EPSG:27700`, `urn:ogc:def:crs:OGC:1.3:CRS84`, ...), or an error message
/// for a system this tool does not read.
pub fn crs_from_name(name: &str) -> Result<Crs, String> {
    let n = name.trim().to_ascii_uppercase();
    let code = n.rsplit([':', '/']).next().unwrap_or("");
    match code {
        "CRS84" | "4326" => Ok(Crs::Wgs84),
        "27700" => Ok(Crs::BritishNationalGrid),
        _ if n.ends_with("CRS84") || n.ends_with("CRS:84") => Ok(Crs::Wgs84),
        _ => Err(format!(
            "the file declares coordinate system '{name}', which this tool does not read; \
             reproject it to WGS84 (EPSG:4326) or British National Grid (EPSG:27700)"
        )),
    }
}

/// Whether a coordinate pair is within the longitude/latitude range.
pub fn in_lonlat_range(x: f64, y: f64) -> bool {
    x.is_finite() && y.is_finite() && x.abs() <= 180.0 && y.abs() <= 90.0
}

/// Whether a coordinate pair is within the British National Grid's extent.
pub fn in_bng_range(x: f64, y: f64) -> bool {
    (0.0..=BNG_MAX_EASTING_M).contains(&x) && (0.0..=BNG_MAX_NORTHING_M).contains(&y)
}

/// One raw coordinate pair read from a file, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCoord {
    /// Where in the file (feature index or line).
    pub location: Location,
    /// First value (longitude or easting).
    pub x: f64,
    /// Second value (latitude or northing).
    pub y: f64,
}

/// The field names to blame when a coordinate is wrong: (x field, y field).
/// GeoJSON passes `("geometry", "geometry")`, CSV the column headers.
#[derive(Debug, Clone, Copy)]
pub struct CoordFields<'a> {
    /// Name of the field holding x (longitude or easting).
    pub x: &'a str,
    /// Name of the field holding y (latitude or northing).
    pub y: &'a str,
}

/// Decide the system of a file's coordinates and check that they are
/// plausible in it.
///
/// `hint` is what the file itself says (a GeoJSON `crs` member, or CSV
/// column names such as `easting`/`northing`); a [`CrsChoice::Fixed`] choice
/// overrides it. Without either, the values decide: all within lon/lat range
/// means WGS84, all within the BNG extent means BNG. Errors name the first
/// coordinate at fault.
pub fn resolve_crs<'a, I>(file: &Path, choice: CrsChoice, hint: Option<Crs>, coords: I, fields: CoordFields<'_>) -> Result<Crs, InputError>
where
    I: IntoIterator<Item = &'a RawCoord>,
    I::IntoIter: Clone,
{
    let coords = coords.into_iter();
    let crs = match (choice, hint) {
        (CrsChoice::Fixed(c), _) => c,
        (CrsChoice::Auto, Some(c)) => c,
        (CrsChoice::Auto, None) => {
            if coords.clone().all(|c| in_lonlat_range(c.x, c.y)) {
                Crs::Wgs84
            } else if coords.clone().all(|c| in_bng_range(c.x, c.y)) {
                Crs::BritishNationalGrid
            } else {
                // Blame the first coordinate that is neither.
                let bad = coords.clone().find(|c| !in_lonlat_range(c.x, c.y) && !in_bng_range(c.x, c.y));
                let bad = bad.or_else(|| coords.clone().find(|c| !in_lonlat_range(c.x, c.y)));
                return Err(match bad {
                    Some(c) => InputError::at(
                        file,
                        c.location.clone(),
                        Some(fields.x),
                        format!(
                            "coordinates mix longitude/latitude and British National Grid metres ({}, {}); \
                             one file must use one system",
                            c.x, c.y
                        ),
                    ),
                    None => InputError::file(file, "coordinates are in no known system"),
                });
            }
        }
    };
    check_coordinates(file, crs, coords, fields)?;
    Ok(crs)
}

/// Check that coordinates are plausible in `crs`; the errors say which system
/// they look like instead and which `--crs` to pass.
pub fn check_coordinates<'a, I>(file: &Path, crs: Crs, coords: I, fields: CoordFields<'_>) -> Result<(), InputError>
where
    I: IntoIterator<Item = &'a RawCoord>,
    I::IntoIter: Clone,
{
    let coords = coords.into_iter();
    for c in coords.clone() {
        if !c.x.is_finite() || !c.y.is_finite() {
            return Err(InputError::at(file, c.location.clone(), Some(fields.x), format!("coordinate ({}, {}) is not a finite number", c.x, c.y)));
        }
    }
    match crs {
        Crs::Wgs84 => {
            if let Some(c) = coords.clone().find(|c| !in_lonlat_range(c.x, c.y)) {
                let field = if c.x.abs() > 180.0 { fields.x } else { fields.y };
                let msg = if in_bng_range(c.x, c.y) {
                    format!("coordinates look like British National Grid metres; pass --crs bng (found {}, {}, outside longitude/latitude range)", c.x, c.y)
                } else {
                    format!("coordinate ({}, {}) is outside the longitude/latitude range (-180..180, -90..90)", c.x, c.y)
                };
                return Err(InputError::at(file, c.location.clone(), Some(field), msg));
            }
        }
        Crs::BritishNationalGrid => {
            let mut it = coords.clone();
            if let Some(first) = it.next()
                && std::iter::once(first).chain(it).all(|c| in_lonlat_range(c.x, c.y))
            {
                return Err(InputError::at(
                    file,
                    first.location.clone(),
                    Some(fields.x),
                    format!(
                        "coordinates look like longitude/latitude; pass --crs wgs84 (found {}, {}, and every coordinate is within longitude/latitude range)",
                        first.x, first.y
                    ),
                ));
            }
            if let Some(c) = coords.clone().find(|c| !in_bng_range(c.x, c.y)) {
                let field = if (0.0..=BNG_MAX_EASTING_M).contains(&c.x) { fields.y } else { fields.x };
                return Err(InputError::at(
                    file,
                    c.location.clone(),
                    Some(field),
                    format!(
                        "coordinate ({}, {}) is outside the British National Grid (easting 0..{}, northing 0..{} m)",
                        c.x, c.y, BNG_MAX_EASTING_M, BNG_MAX_NORTHING_M
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Converts coordinates of one system to WGS84 [`LonLat`]; build once per file.
pub struct ToWgs84 {
    /// `None` for WGS84 input (identity), else source and target projections.
    projs: Option<(Proj, Proj)>,
}

impl std::fmt::Debug for ToWgs84 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ToWgs84({})", if self.projs.is_some() { "bng" } else { "identity" })
    }
}

impl ToWgs84 {
    /// A converter from `crs`; fails only if the built-in definitions do not parse.
    pub fn new(crs: Crs) -> Result<Self, String> {
        match crs {
            Crs::Wgs84 => Ok(Self { projs: None }),
            Crs::BritishNationalGrid => Self::from_proj_string(BNG_PROJ_STRING),
        }
    }

    /// A converter from any proj string to WGS84 (used by tests to isolate the projection).
    fn from_proj_string(src: &str) -> Result<Self, String> {
        let src = Proj::from_proj_string(src).map_err(|e| format!("bad projection definition: {e}"))?;
        let dst = Proj::from_proj_string(WGS84_PROJ_STRING).map_err(|e| format!("bad projection definition: {e}"))?;
        Ok(Self { projs: Some((src, dst)) })
    }

    /// The WGS84 position of `(x, y)`, or `None` if it cannot be converted.
    pub fn convert(&self, x: f64, y: f64) -> Option<LonLat> {
        match &self.projs {
            None => Some(LonLat::new(x, y)).filter(LonLat::is_valid),
            Some((src, dst)) => {
                let mut p = (x, y, 0.0);
                proj4rs::transform::transform(src, dst, &mut p).ok()?;
                Some(LonLat::new(p.0.to_degrees(), p.1.to_degrees())).filter(LonLat::is_valid)
            }
        }
    }
}

/// Convert one BNG easting/northing (metres) to WGS84; for many points build a [`ToWgs84`] once.
pub fn bng_to_wgs84(easting_m: f64, northing_m: f64) -> Option<LonLat> {
    ToWgs84::new(Crs::BritishNationalGrid).ok()?.convert(easting_m, northing_m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::haversine_m;

    fn dms(d: f64, m: f64, s: f64) -> f64 {
        d + m / 60.0 + s / 3600.0
    }

    #[test]
    fn parses_names() {
        assert_eq!("WGS84".parse::<Crs>(), Ok(Crs::Wgs84));
        assert_eq!("epsg:4326".parse::<Crs>(), Ok(Crs::Wgs84));
        assert_eq!("4326".parse::<Crs>(), Ok(Crs::Wgs84));
        assert_eq!("bng".parse::<Crs>(), Ok(Crs::BritishNationalGrid));
        assert_eq!("EPSG:27700".parse::<Crs>(), Ok(Crs::BritishNationalGrid));
        assert_eq!("27700".parse::<Crs>(), Ok(Crs::BritishNationalGrid));
        assert!("utm30".parse::<Crs>().is_err());
        assert_eq!("auto".parse::<CrsChoice>(), Ok(CrsChoice::Auto));
        assert_eq!("bng".parse::<CrsChoice>(), Ok(CrsChoice::Fixed(Crs::BritishNationalGrid)));
        assert_eq!(crs_from_name("urn:ogc:def:crs:EPSG::27700"), Ok(Crs::BritishNationalGrid));
        assert_eq!(crs_from_name("EPSG:27700"), Ok(Crs::BritishNationalGrid));
        assert_eq!(crs_from_name("urn:ogc:def:crs:OGC:1.3:CRS84"), Ok(Crs::Wgs84));
        assert_eq!(crs_from_name("urn:ogc:def:crs:EPSG::4326"), Ok(Crs::Wgs84));
        assert_eq!(crs_from_name("CRS:84"), Ok(Crs::Wgs84));
        assert_eq!(crs_from_name("http://www.opengis.net/def/crs/EPSG/0/27700"), Ok(Crs::BritishNationalGrid));
        assert!(crs_from_name("urn:ogc:def:crs:EPSG::3857").unwrap_err().contains("3857"));
    }

    /// The OS guide's worked example (Annex C of "A guide to coordinate systems
    /// in Great Britain"): E 651409.903, N 313177.270 is OSGB36 lat
    /// 52°39'27.2531"N, lon 1°43'4.5177"E. This checks the projection constants
    /// alone (no datum shift): 1e-7 degrees is about 1 cm.
    #[test]
    fn transverse_mercator_matches_the_os_worked_example() {
        let airy_only = BNG_PROJ_STRING.replace("+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489", "");
        let src = Proj::from_proj_string(&airy_only).unwrap();
        let dst = Proj::from_proj_string("+proj=longlat +ellps=airy +no_defs").unwrap();
        let mut p = (651_409.903, 313_177.270, 0.0);
        proj4rs::transform::transform(&src, &dst, &mut p).unwrap();
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        assert!((lat - dms(52.0, 39.0, 27.2531)).abs() < 1e-7, "lat {lat}");
        assert!((lon - dms(1.0, 43.0, 4.5177)).abs() < 1e-7, "lon {lon}");
    }

    /// Big Ben (Elizabeth Tower): E 530268, N 179640 is WGS84 about
    /// lon -0.12463, lat 51.50072. The Helmert shift is good to about 5 m and
    /// the reference is given to 5 decimals (about 1 m), so 5 m is the bound.
    #[test]
    fn bng_to_wgs84_is_within_five_metres_at_big_ben() {
        let p = bng_to_wgs84(530_268.0, 179_640.0).unwrap();
        let d = haversine_m(p, LonLat::new(-0.12463, 51.50072));
        assert!(d < 5.0, "{p:?} is {d:.1} m off");
    }

    /// The datum shift itself is about 100 m in south-east England: the WGS84
    /// result must differ from the OSGB36 one by 80-140 m, or the shift is missing.
    #[test]
    fn datum_shift_is_applied() {
        let wgs = bng_to_wgs84(651_409.903, 313_177.270).unwrap();
        let osgb = LonLat::new(dms(1.0, 43.0, 4.5177), dms(52.0, 39.0, 27.2531));
        let d = haversine_m(wgs, osgb);
        assert!((80.0..140.0).contains(&d), "{d}");
    }

    fn coords(v: &[(f64, f64)]) -> Vec<RawCoord> {
        v.iter().enumerate().map(|(i, &(x, y))| RawCoord { location: Location::Feature(i), x, y }).collect()
    }
    const F: CoordFields<'static> = CoordFields { x: "x", y: "y" };

    #[test]
    fn detects_and_checks_systems() {
        let p = Path::new("t.csv");
        let ll = coords(&[(-3.0, 51.5), (-2.9, 51.6)]);
        let bng = coords(&[(331_000.0, 188_000.0), (332_000.0, 189_000.0)]);
        assert_eq!(resolve_crs(p, CrsChoice::Auto, None, &ll, F).unwrap(), Crs::Wgs84);
        assert_eq!(resolve_crs(p, CrsChoice::Auto, None, &bng, F).unwrap(), Crs::BritishNationalGrid);
        let e = resolve_crs(p, CrsChoice::Fixed(Crs::Wgs84), None, &bng, F).unwrap_err();
        assert!(e.message.contains("look like British National Grid metres; pass --crs bng"), "{e}");
        assert_eq!(e.location, Location::Feature(0));
        let e = resolve_crs(p, CrsChoice::Fixed(Crs::BritishNationalGrid), None, &ll, F).unwrap_err();
        assert!(e.message.contains("look like longitude/latitude"), "{e}");
        assert!(e.message.contains("pass --crs wgs84"), "{e}");
        let far = coords(&[(331_000.0, 188_000.0), (-5.0, 2_000_000.0)]);
        let e = resolve_crs(p, CrsChoice::Fixed(Crs::BritishNationalGrid), None, &far, F).unwrap_err();
        assert_eq!(e.location, Location::Feature(1));
        assert!(e.message.contains("outside the British National Grid"), "{e}");
        let mixed = coords(&[(-3.0, 51.5), (331_000.0, 188_000.0)]);
        let e = resolve_crs(p, CrsChoice::Auto, None, &mixed, F).unwrap_err();
        assert!(e.message.contains("mix"), "{e}");
        // A declaration is trusted, then checked.
        let e = resolve_crs(p, CrsChoice::Auto, Some(Crs::Wgs84), &bng, F).unwrap_err();
        assert!(e.message.contains("pass --crs bng"), "{e}");
    }
}
