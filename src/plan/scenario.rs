//! Scenario files: a versioned TOML file naming the inputs (paths relative
//! to the file), the services with their tiers, which sites offer each, the
//! locality pairs for tier 2 and the thresholds per mode. `ScenarioFile` is
//! the file as written; `Scenario` is the same resolved against a loaded
//! region (site and locality indices), which is what the analysis and the
//! editor work on.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, InputError, Location, Result};
use crate::input::crs::CrsChoice;
use crate::input::joins::{AreasRef, TableJoin};
use crate::input::toml_text::toml_error;
use crate::input::zones::ZoneOptions;
use crate::model::{Site, SiteRole};
use crate::network::StreetMode;
use crate::plan::services::{Catalogue, Tier};
use crate::region::{LocalitiesInput, Region, RegionInputs, SitesInput};
use crate::travel::Mode;

/// The scenario format version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Minutes within which a journey counts as "within reach", per mode.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Bus, minutes.
    pub bus: f64,
    /// Car in the rush hour, minutes.
    pub car_peak: f64,
    /// Car off peak, minutes.
    pub car_offpeak: f64,
    /// Walking, minutes.
    pub walk: f64,
    /// Cycling, minutes.
    pub cycle: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { bus: 15.0, car_peak: 15.0, car_offpeak: 15.0, walk: 25.0, cycle: 15.0 }
    }
}

impl Thresholds {
    /// Longest threshold accepted, minutes (a day).
    pub const MAX_MIN: f64 = 24.0 * 60.0;

    /// Each threshold is a number of minutes above 0 and at most a day:
    /// otherwise the key and what is wrong with its value.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for (key, v) in [("bus", self.bus), ("car_peak", self.car_peak), ("car_offpeak", self.car_offpeak), ("walk", self.walk), ("cycle", self.cycle)] {
            if !(v.is_finite() && v > 0.0 && v <= Self::MAX_MIN) {
                return Err((key, format!("{v} is not a threshold: give minutes above 0 and at most {}", Self::MAX_MIN)));
            }
        }
        Ok(())
    }

    /// The threshold of a mode, minutes.
    pub fn minutes(&self, m: Mode) -> f64 {
        match m {
            Mode::Bus => self.bus,
            Mode::CarPeak => self.car_peak,
            Mode::CarOffpeak => self.car_offpeak,
            Mode::Walk => self.walk,
            Mode::Cycle => self.cycle,
        }
    }
}

/// Where the localities come from, as written in the file.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalitiesFile {
    /// GeoJSON of locality polygons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Property with the locality name (default `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_field: Option<String>,
    /// Or: smaller areas (GeoJSON) ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub areas: Option<String>,
    /// ... their code property ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_id: Option<String>,
    /// ... grouped into localities by this CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouping: Option<String>,
}

/// Reads a list of paths written as one string or as a list.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match <OneOrMany as serde::Deserialize>::deserialize(d)? {
        OneOrMany::One(s) if s.is_empty() => Vec::new(),
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Writes a list of paths as one string when it holds one (as older files have it).
fn one_or_list<S: serde::Serializer>(v: &[String], s: S) -> std::result::Result<S::Ok, S::Error> {
    match v {
        [one] => s.serialize_str(one),
        _ => serde::Serialize::serialize(v, s),
    }
}

/// A table joined to the zones by area code, as written.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinFile {
    /// The table (CSV; a census download as it comes).
    pub file: String,
    /// Column of area codes (found by matching values when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Value columns (population: the one column; attributes: all numeric ones when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// GeoJSON of the larger areas the codes name (LSOAs, MSOAs), if not the zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub areas: Option<String>,
    /// The areas' code property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_id: Option<String>,
}

/// The inputs, as written (paths relative to the scenario file).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputsFile {
    /// OSM street network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osm: Option<String>,
    /// GTFS feeds (zips or folders): one path (`gtfs = "bus.zip"`, as older
    /// files write it) or a list merged into one public transport timetable
    /// (`gtfs = ["bus.zip", "rail.zip"]`). One feed is written back as a
    /// plain path, so such files save unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "one_or_many")]
    pub gtfs: Vec<String>,
    /// Population zones.
    pub zones: String,
    /// Zone id property or column.
    pub zone_id: String,
    /// Population property or column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<String>,
    /// Population from a table keyed by the zones' codes (census download).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population_table: Option<JoinFile>,
    /// Numeric zone attributes from tables keyed by zone or area code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<JoinFile>,
    /// Property giving each zone's locality, if the zones carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_locality: Option<String>,
    /// Candidate sites (CSV or GeoJSON): one file, or a list (`["hlcs.csv", "gp_practices.csv"]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many", serialize_with = "one_or_list")]
    pub sites: Vec<String>,
    /// Postcode lookup (Code-Point Open, ONSPD, NSPL CSV) placing sites given by postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcodes: Option<String>,
    /// Or: sites taken from OSM tags, e.g. `amenity=hospital,clinic,doctors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites_from_osm: Option<String>,
    /// Patient contacts CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<String>,
    /// Localities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localities: Option<LocalitiesFile>,
    /// Coordinate system of CSV/GeoJSON inputs: auto, wgs84, bng.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// Speed profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Car speed calibration table (CSV: class,period,speed_kmh or factor), applied on top of the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_calibration: Option<String>,
    /// Bus service date, `YYYY-MM-DD` (default: the first Tuesday with service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bus_date: Option<String>,
    /// Bus departure window, `HH:MM-HH:MM` (default `07:00-09:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bus_window: Option<String>,
    /// Kilometres kept around the zones when the OSM extract and the feeds
    /// are cut to the study area on load (default 10; `inf` keeps them whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clip_margin_km: Option<f64>,
}

impl InputsFile {
    /// The same inputs for a scenario file saved in `to_dir` instead of
    /// `from_dir`: every path rewritten relative to the new folder.
    pub fn rebased(&self, from_dir: &Path, to_dir: &Path) -> InputsFile {
        let rb = |p: &String| relative_path(&from_dir.join(p), to_dir);
        let mut i = self.clone();
        i.osm = i.osm.as_ref().map(rb);
        i.gtfs = i.gtfs.iter().map(rb).collect();
        i.zones = rb(&i.zones);
        i.sites = i.sites.iter().map(rb).collect();
        i.contacts = i.contacts.as_ref().map(rb);
        i.postcodes = i.postcodes.as_ref().map(rb);
        for j in i.population_table.iter_mut().chain(i.attributes.iter_mut()) {
            j.file = rb(&j.file);
            j.areas = j.areas.as_ref().map(rb);
        }
        i.profile = i.profile.as_ref().map(rb);
        i.speed_calibration = i.speed_calibration.as_ref().map(rb);
        if let Some(l) = i.localities.as_mut() {
            l.file = l.file.as_ref().map(rb);
            l.areas = l.areas.as_ref().map(rb);
            l.grouping = l.grouping.as_ref().map(rb);
        }
        i
    }

    /// The built-in demo region's inputs, for a scenario file in
    /// `datasets/demo/scenarios/`.
    pub fn demo() -> InputsFile {
        InputsFile {
            osm: Some("../../../maps/demo/region.osm".into()),
            gtfs: vec!["../gtfs".into()],
            zones: "../../../maps/demo/zones.geojson".into(),
            zone_id: "zone_id".into(),
            population: Some("population".into()),
            population_table: None,
            attributes: Vec::new(),
            postcodes: None,
            zone_locality: Some("locality".into()),
            sites: vec!["../sites.csv".into()],
            sites_from_osm: None,
            contacts: Some("../contacts.csv".into()),
            localities: Some(LocalitiesFile {
                file: Some("../../../maps/demo/localities.geojson".into()),
                name_field: Some("name".into()),
                ..Default::default()
            }),
            crs: None,
            profile: None,
            speed_calibration: None,
            bus_date: None,
            bus_window: None,
            clip_margin_km: None,
        }
    }
}

/// A list of paths written as one string when it holds one (the form older
/// scenario files use) and as an array otherwise; read from either.
mod one_or_many {
    use serde::de::{Deserializer, SeqAccess, Visitor};
    use serde::ser::Serializer;

    pub fn serialize<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
        match v {
            [one] => s.serialize_str(one),
            many => s.collect_seq(many),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a path to a GTFS feed, or a list of paths such as [\"bus.zip\", \"rail.zip\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(vec![v.to_string()])
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(p) = seq.next_element::<String>()? {
                    out.push(p);
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

/// One service's entry, as written.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    /// Service id (from the catalogue, or new).
    pub id: String,
    /// Name (default: the catalogue's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Tier (default: the catalogue's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// Ids of the sites that offer it.
    #[serde(default)]
    pub sites: Vec<String>,
}

/// A scenario file as written.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Format version (1).
    pub schema_version: u32,
    /// Scenario name.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// When true, patients use the nearest offering site whatever the tier.
    #[serde(default)]
    pub free_choice: bool,
    /// Thresholds per mode, minutes.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// The inputs.
    pub inputs: InputsFile,
    /// Each locality's Healthy Living Centre (locality name -> site id);
    /// default: the site of kind `hlc` in that locality.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hlc: BTreeMap<String, String>,
    /// Locality pairs for tier 2; proposed from shared boundaries when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locality_pairs: Vec<[String; 2]>,
    /// The services planned.
    #[serde(default, rename = "service")]
    pub services: Vec<ServiceEntry>,
    /// Candidate sites added in the app (not in the sites file).
    #[serde(default, rename = "candidate_site", skip_serializing_if = "Vec::is_empty")]
    pub candidate_sites: Vec<CandidateSite>,
    /// Sites given another role or locality than their input says
    /// (`[[site]]` tables); none are written when none were set.
    #[serde(default, rename = "site", skip_serializing_if = "Vec::is_empty")]
    pub site_settings: Vec<SiteEntry>,
    /// When the scenario takes effect (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`):
    /// the order of the phases of a plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Groups of residents the equality figures are broken down by.
    #[serde(default, skip_serializing_if = "crate::plan::equity::EquityFile::is_empty")]
    pub equity: crate::plan::equity::EquityFile,
    /// Future population: residents scaled to a target year (`[growth]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth: Option<crate::plan::growth::GrowthFile>,
}

/// A site's role or locality as the planner set it, over what its input
/// says, as written:
///
/// ```toml
/// [[site]]
/// id = "osm-way-40608609"
/// role = "acute"          # hlc, acute, clinic or other
/// locality = "Stow Hill"  # a locality's name
/// ```
///
/// Which site is a locality's HLC stays the `[hlc]` map's to say.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteEntry {
    /// The site's id (in the sites file, from OSM, or a candidate site).
    pub id: String,
    /// Its role: `hlc`, `acute`, `clinic` or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<SiteRole>,
    /// The locality it stands in, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
}

/// A candidate site kept in the scenario file itself.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateSite {
    /// Identifier (must not clash with the sites file).
    pub id: String,
    /// Name.
    pub name: String,
    /// Longitude, WGS84.
    pub lon: f64,
    /// Latitude, WGS84.
    pub lat: f64,
    /// Locality it stands in, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
}

impl CandidateSite {
    /// As a planned site.
    pub fn to_site(&self) -> crate::model::Site {
        crate::model::Site::candidate(self.id.clone(), self.name.clone(), crate::LonLat::new(self.lon, self.lat), self.locality.clone())
    }
}

impl ScenarioFile {
    /// Reads and parses a scenario file (unknown keys are errors naming the key).
    pub fn load(path: &Path) -> Result<Self, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| InputError::file(path, format!("cannot read the scenario: {e}")))?;
        let f: ScenarioFile = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
        if f.schema_version != SCHEMA_VERSION {
            return Err(InputError::at(
                path,
                Location::File,
                Some("schema_version"),
                format!("version {} is not understood by this build (it reads version {SCHEMA_VERSION})", f.schema_version),
            ));
        }
        f.thresholds.check().map_err(|(key, message)| {
            InputError::at(path, crate::input::toml_text::line_of_key(&text, "thresholds", key), Some(&format!("thresholds.{key}")), message)
        })?;
        f.equity.check().map_err(|(key, message)| {
            let loc = match key.strip_prefix("equity.") {
                Some(k) if !k.contains('[') => crate::input::toml_text::line_of_key(&text, "equity", k),
                _ => Location::File,
            };
            InputError::at(path, loc, Some(&key), message)
        })?;
        if let Some(d) = &f.date {
            phase_date(d).map_err(|message| InputError::at(path, crate::input::toml_text::line_of_key(&text, "", "date"), Some("date"), message))?;
        }
        if let Some(g) = &f.growth {
            g.check().map_err(|(key, message)| {
                InputError::at(path, crate::input::toml_text::line_of_key(&text, "growth", key), Some(&format!("growth.{key}")), message)
            })?;
        }
        Ok(f)
    }

    /// TOML text of the file; an error (never an empty or partial text)
    /// when a value cannot be written as TOML.
    pub fn to_toml(&self) -> Result<String> {
        let body = toml::to_string_pretty(self).map_err(|source| Error::ScenarioToml { name: self.name.clone(), source })?;
        Ok(format!("# accessplan scenario. Paths are relative to this file. Edit freely: unknown keys are reported.\n{body}"))
    }

    /// Writes the file atomically (never over one of `inputs`).
    pub fn save(&self, path: &Path, inputs: &[PathBuf]) -> Result<()> {
        crate::fileio::write_atomic(path, self.to_toml()?.as_bytes(), inputs)
    }

    /// The region inputs, with paths resolved against the scenario's folder.
    pub fn region_inputs(&self, scenario_path: &Path) -> Result<RegionInputs> {
        let dir = scenario_path.parent().unwrap_or(Path::new("."));
        let at = |p: &str| dir.join(p);
        let file = scenario_path;
        // The line of a key ("inputs.crs": key crs of table [inputs]) in the file as written.
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let key_err = |key: &str, msg: String| {
            let (table, k) = key.rsplit_once('.').unwrap_or(("", key));
            Error::Input(InputError::at(file, crate::input::toml_text::line_of_key(&text, table, k), Some(key), msg))
        };
        let crs = match &self.inputs.crs {
            None => CrsChoice::Auto,
            Some(s) => s.parse::<CrsChoice>().map_err(|e| key_err("inputs.crs", e.to_string()))?,
        };
        let check =
            |key: &str, p: PathBuf| -> Result<PathBuf> { if p.exists() { Ok(p) } else { Err(key_err(key, format!("{} does not exist", p.display()))) } };
        let localities = match &self.inputs.localities {
            None => None,
            Some(l) => Some(match (&l.file, &l.areas, &l.grouping) {
                (Some(f), None, None) => LocalitiesInput::Polygons {
                    path: check("inputs.localities.file", at(f))?,
                    name_field: l.name_field.clone().unwrap_or_else(|| "name".into()),
                },
                (None, Some(a), Some(g)) => LocalitiesInput::Grouped {
                    areas: check("inputs.localities.areas", at(a))?,
                    area_id_field: l
                        .area_id
                        .clone()
                        .ok_or_else(|| key_err("inputs.localities.area_id", "grouped localities need the areas' code property".into()))?,
                    grouping: check("inputs.localities.grouping", at(g))?,
                },
                _ => return Err(key_err("inputs.localities", "give either `file` (locality polygons) or `areas`, `area_id` and `grouping`".into())),
            }),
        };
        let join = |key: &str, j: &JoinFile| -> Result<TableJoin> {
            let areas = match (&j.areas, &j.area_id) {
                (None, None) => None,
                (Some(a), Some(id)) => Some(AreasRef { path: check(&format!("{key}.areas"), at(a))?, id_field: id.clone() }),
                (Some(_), None) => return Err(key_err(&format!("{key}.area_id"), "the areas need their code property (`area_id`)".into())),
                (None, Some(_)) => return Err(key_err(&format!("{key}.areas"), "`area_id` is given without the `areas` file".into())),
            };
            Ok(TableJoin { table: check(&format!("{key}.file"), at(&j.file))?, code_column: j.code.clone(), columns: j.columns.clone(), areas })
        };
        if self.inputs.population_table.is_some() && self.inputs.population.is_some() {
            return Err(key_err("inputs.population", "give either `population` (a property of the zones) or `population_table`, not both".into()));
        }
        let population_table = self.inputs.population_table.as_ref().map(|j| join("inputs.population_table", j)).transpose()?;
        let attributes = self.inputs.attributes.iter().map(|j| join("inputs.attributes", j)).collect::<Result<Vec<_>>>()?;
        Ok(RegionInputs {
            name: self.name.clone(),
            population_table,
            attributes,
            postcodes: self.inputs.postcodes.as_deref().map(|p| check("inputs.postcodes", at(p))).transpose()?,
            osm: self.inputs.osm.as_deref().map(|p| check("inputs.osm", at(p))).transpose()?,
            zones: check("inputs.zones", at(&self.inputs.zones))?,
            zone_options: ZoneOptions {
                id_field: self.inputs.zone_id.clone(),
                population_field: self.inputs.population.clone(),
                crs,
                locality_field: self.inputs.zone_locality.clone(),
            },
            sites: {
                let mut v = Vec::new();
                for f in &self.inputs.sites {
                    v.push(SitesInput::File(check("inputs.sites", at(f))?));
                }
                if let Some(tags) = &self.inputs.sites_from_osm {
                    v.push(SitesInput::Osm(tags.parse().map_err(|e: String| key_err("inputs.sites_from_osm", e))?));
                }
                if v.is_empty() {
                    return Err(key_err("inputs.sites", "no sites: give `sites` (a CSV or GeoJSON file, or a list of them) or `sites_from_osm`".into()));
                }
                v
            },
            localities,
            crs,
            profile: self.inputs.profile.as_deref().map(|p| check("inputs.profile", at(p))).transpose()?,
            speed_calibration: self.inputs.speed_calibration.as_deref().map(|p| check("inputs.speed_calibration", at(p))).transpose()?,
            modes: StreetMode::ALL.to_vec(),
            gtfs: self.inputs.gtfs.iter().map(|p| check("inputs.gtfs", at(p))).collect::<Result<_>>()?,
            bus_date: self.inputs.bus_date.as_deref().map(|d| d.parse().map_err(|e: String| key_err("inputs.bus_date", e))).transpose()?,
            bus_window: match &self.inputs.bus_window {
                Some(w) => w.parse().map_err(|e: String| key_err("inputs.bus_window", e))?,
                None => crate::transit::DepartureWindow::MORNING_PEAK,
            },
            clip_margin_km: match self.inputs.clip_margin_km {
                Some(km) if km.is_nan() || km == f64::NEG_INFINITY => {
                    return Err(key_err("inputs.clip_margin_km", format!("{km} is not a margin: give kilometres, e.g. 10, or inf to keep the inputs whole")));
                }
                Some(km) => Some(km),
                None => Some(crate::region::DEFAULT_CLIP_MARGIN_KM),
            },
        })
    }

    /// The contacts file, resolved, if any.
    pub fn contacts_path(&self, scenario_path: &Path) -> Result<Option<PathBuf>> {
        let dir = scenario_path.parent().unwrap_or(Path::new("."));
        match &self.inputs.contacts {
            None => Ok(None),
            Some(c) => {
                let p = dir.join(c);
                if p.exists() {
                    Ok(Some(p))
                } else {
                    Err(Error::Input(InputError::at(scenario_path, Location::File, Some("inputs.contacts"), format!("{} does not exist", p.display()))))
                }
            }
        }
    }
}

/// A phase date as a sortable `(year, month, day)`; month and day 0 when
/// not given. Accepts `YYYY-MM-DD`, `YYYY-MM` and `YYYY`.
pub fn phase_date(text: &str) -> Result<(u32, u32, u32), String> {
    let bad = || format!("'{text}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2027-04-01)");
    let parts: Vec<&str> = text.trim().split('-').collect();
    if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
        return Err(bad());
    }
    let n: Vec<u32> = parts.iter().map(|p| p.parse::<u32>().map_err(|_| bad())).collect::<Result<_, _>>()?;
    let (y, m, d) = (n[0], n.get(1).copied().unwrap_or(0), n.get(2).copied().unwrap_or(0));
    if parts.len() >= 2 && !(1..=12).contains(&m) {
        return Err(bad());
    }
    if parts.len() == 3 && crate::transit::date::ServiceDate::from_ymd(y as i32, m, d).is_none() {
        return Err(format!("'{text}' is not a day of the calendar"));
    }
    Ok((y, m, d))
}

/// One planned service, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedService {
    /// Service id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Whether each site offers it (one flag per region site).
    pub offered: Vec<bool>,
}

impl PlannedService {
    /// Indices of the sites offering it.
    pub fn sites(&self) -> Vec<usize> {
        self.offered.iter().enumerate().filter(|(_, o)| **o).map(|(i, _)| i).collect()
    }
}

/// A scenario resolved against a region: what the analysis and the editor use.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Patients use the nearest offering site, whatever the tier.
    pub free_choice: bool,
    /// Thresholds per mode.
    pub thresholds: Thresholds,
    /// The services, in file order.
    pub services: Vec<PlannedService>,
    /// Each locality's HLC site index (by region locality index).
    pub hlc: Vec<Option<usize>>,
    /// Locality pairs for tier 2 (region locality indices).
    pub pairs: Vec<(usize, usize)>,
    /// Whether the pairs were proposed by the tool (not in the file).
    pub pairs_proposed: bool,
    /// Roles and localities the scenario gives sites over their inputs', by
    /// site index (the `[[site]]` tables; [`Scenario::set_site`] edits them).
    pub site_overrides: BTreeMap<usize, SiteOverride>,
}

/// A role and a locality a scenario gives one site instead of its input's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SiteOverride {
    /// Its role, when the scenario sets one.
    pub role: Option<SiteRole>,
    /// Its locality (region locality index), when the scenario sets one.
    pub locality: Option<usize>,
}

impl Scenario {
    /// Resolves a file against a region and the sites a study plans on (the
    /// region's, then any candidate sites added). Every dangling reference is
    /// an error naming the key.
    ///
    /// A file that plans no service yet starts from the whole catalogue,
    /// every service offered nowhere.
    pub fn resolve(file: &ScenarioFile, path: &Path, region: &Region, sites: &[Site], catalogue: &Catalogue) -> Result<Scenario> {
        let err = |key: String, msg: String| Error::Input(InputError::at(path, Location::File, Some(&key), msg));
        let site_index = |id: &str| sites.iter().position(|s| s.id == id);
        let loc_index = |name: &str| region.localities.iter().position(|l| l.name == name);
        let mut services = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let from_catalogue: Vec<ServiceEntry>;
        let entries = if file.services.is_empty() {
            from_catalogue = catalogue.services.iter().map(|c| ServiceEntry { id: c.id.clone(), name: None, tier: None, sites: Vec::new() }).collect();
            &from_catalogue
        } else {
            &file.services
        };
        for s in entries {
            if !seen.insert(s.id.as_str()) {
                return Err(err(format!("service.{}", s.id), "this service is listed twice".into()));
            }
            let cat = catalogue.get(&s.id);
            let tier = s
                .tier
                .or(cat.map(|c| c.tier))
                .ok_or_else(|| err(format!("service.{}.tier", s.id), "a service that is not in the catalogue needs a tier".into()))?;
            let name = s.name.clone().or(cat.map(|c| c.name.clone())).unwrap_or_else(|| s.id.clone());
            let mut offered = vec![false; sites.len()];
            for id in &s.sites {
                let i = site_index(id).ok_or_else(|| err(format!("service.{}.sites", s.id), format!("site '{id}' does not exist in the sites file")))?;
                offered[i] = true;
            }
            services.push(PlannedService { id: s.id.clone(), name, tier, offered });
        }
        let mut site_overrides: BTreeMap<usize, SiteOverride> = BTreeMap::new();
        for e in &file.site_settings {
            let i = site_index(&e.id).ok_or_else(|| err(format!("site.{}", e.id), format!("site '{}' does not exist", e.id)))?;
            let locality = match &e.locality {
                None => None,
                Some(name) => Some(loc_index(name).ok_or_else(|| err(format!("site.{}.locality", e.id), format!("locality '{name}' does not exist")))?),
            };
            if site_overrides.insert(i, SiteOverride { role: e.role, locality }).is_some() {
                return Err(err(format!("site.{}", e.id), "this site is listed twice".into()));
            }
        }
        let mut hlc = default_hlcs_with(region, sites, &site_overrides);
        for (loc, site) in &file.hlc {
            let li = loc_index(loc).ok_or_else(|| err(format!("hlc.{loc}"), format!("locality '{loc}' does not exist")))?;
            hlc[li] = Some(site_index(site).ok_or_else(|| err(format!("hlc.{loc}"), format!("site '{site}' does not exist")))?);
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for [a, b] in &file.locality_pairs {
            let ia = loc_index(a).ok_or_else(|| err("locality_pairs".into(), format!("locality '{a}' does not exist")))?;
            let ib = loc_index(b).ok_or_else(|| err("locality_pairs".into(), format!("locality '{b}' does not exist")))?;
            if ia == ib {
                return Err(err("locality_pairs".into(), format!("[{a}, {b}] pairs a locality with itself: a pair is two neighbouring localities")));
            }
            for (name, i) in [(a, ia), (b, ib)] {
                if let Some(&(x, y)) = pairs.iter().find(|&&(x, y)| x == i || y == i) {
                    let other = if x == i { y } else { x };
                    return Err(err(
                        "locality_pairs".into(),
                        format!("{name} is in two pairs (with {} and in [{a}, {b}]): each locality belongs to one pair", region.localities[other].name),
                    ));
                }
            }
            pairs.push((ia, ib));
        }
        let pairs_proposed = pairs.is_empty() && region.localities.len() > 1;
        if pairs_proposed {
            pairs = crate::plan::pairs::propose_pairs(region);
        }
        Ok(Scenario {
            name: file.name.clone(),
            free_choice: file.free_choice,
            thresholds: file.thresholds,
            services,
            hlc,
            pairs,
            pairs_proposed,
            site_overrides,
        })
    }

    /// Writes the scenario, resolved on `sites`, back into a file (keeping
    /// the file's inputs).
    pub fn to_file(&self, base: &ScenarioFile, region: &Region, sites: &[Site], catalogue: &Catalogue) -> ScenarioFile {
        let mut f = base.clone();
        f.name = self.name.clone();
        f.free_choice = self.free_choice;
        f.thresholds = self.thresholds;
        f.locality_pairs = self.pairs.iter().map(|&(a, b)| [region.localities[a].name.clone(), region.localities[b].name.clone()]).collect();
        f.hlc = self.hlc.iter().enumerate().filter_map(|(li, s)| s.map(|s| (region.localities[li].name.clone(), sites[s].id.clone()))).collect();
        f.site_settings = self
            .site_overrides
            .iter()
            .filter(|(_, o)| o.role.is_some() || o.locality.is_some())
            .map(|(&i, o)| SiteEntry { id: sites[i].id.clone(), role: o.role, locality: o.locality.map(|l| region.localities[l].name.clone()) })
            .collect();
        f.services = self
            .services
            .iter()
            .map(|s| {
                let cat = catalogue.get(&s.id);
                ServiceEntry {
                    id: s.id.clone(),
                    name: (cat.map(|c| c.name.as_str()) != Some(s.name.as_str())).then(|| s.name.clone()),
                    tier: Some(s.tier),
                    sites: s.sites().into_iter().map(|i| sites[i].id.clone()).collect(),
                }
            })
            .collect();
        f
    }

    /// Localities (of `n`) in no pair: tier 2 must be offered in each of them.
    pub fn unpaired(&self, n: usize) -> Vec<usize> {
        (0..n).filter(|&l| !self.pairs.iter().any(|&(a, b)| a == l || b == l)).collect()
    }

    /// The Healthy Living Centres: each locality's HLC (the `[hlc]` map,
    /// defaulting to the site of role HLC in the locality), ascending and
    /// without repeats. Coverage, rules, maps and reports all take the HLCs
    /// from here.
    pub fn hlc_sites(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.hlc.iter().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Index of a service by id.
    pub fn service(&self, id: &str) -> Option<usize> {
        self.services.iter().position(|s| s.id == id)
    }

    /// The role of site `i` of `sites` in this scenario: the one it sets, or the input's.
    pub fn role_of(&self, sites: &[Site], i: usize) -> SiteRole {
        self.site_overrides.get(&i).and_then(|o| o.role).unwrap_or(sites[i].role)
    }

    /// The locality (region index) each of `sites` stands in for this
    /// scenario: the one it sets, else the site's own (its `locality` field,
    /// or the locality polygon containing it).
    pub fn site_localities(&self, region: &Region, sites: &[Site]) -> Vec<Option<usize>> {
        let mut v = crate::plan::rules::site_localities(region, sites);
        for (&i, o) in &self.site_overrides {
            if let (Some(l), Some(x)) = (o.locality, v.get_mut(i)) {
                *x = Some(l);
            }
        }
        v
    }

    /// Gives site `i` of `sites` a role and a locality (region index; `None`
    /// keeps the one it has), as the app's site table does. What equals the
    /// input is not kept as an override, so a site set back as its input has
    /// it writes nothing. The HLCs follow, as reopening the saved file would
    /// give them: a site of role HLC becomes the HLC of the locality it
    /// stands in; a locality whose HLC it was and no longer is falls back to
    /// its default (another site of role HLC given that locality, if any).
    pub fn set_site(&mut self, region: &Region, sites: &[Site], i: usize, role: SiteRole, locality: Option<usize>) {
        if i >= sites.len() || locality.is_some_and(|l| l >= region.localities.len()) {
            return;
        }
        // The input's locality: the site's field, or the polygon it stands in.
        let own = crate::plan::rules::site_localities(region, &sites[i..=i])[0];
        let named = sites[i].locality.as_deref().and_then(|n| region.localities.iter().position(|l| l.name == n));
        let at = locality.or(self.site_overrides.get(&i).and_then(|o| o.locality)).or(own);
        // A locality is kept when it is not the input's, and for a site of
        // role HLC whose file does not name it (the default HLCs go by name).
        let kept = at.filter(|&l| Some(l) != own || (role == SiteRole::Hlc && named != Some(l)));
        let o = SiteOverride { role: (role != sites[i].role).then_some(role), locality: kept };
        if o == SiteOverride::default() {
            self.site_overrides.remove(&i);
        } else {
            self.site_overrides.insert(i, o);
        }
        let defaults = default_hlcs_with(region, sites, &self.site_overrides);
        for (li, h) in self.hlc.iter_mut().enumerate() {
            if *h == Some(i) && (role != SiteRole::Hlc || at != Some(li)) {
                *h = defaults.get(li).copied().flatten().filter(|&d| d != i);
            }
        }
        if role == SiteRole::Hlc
            && let Some(h) = at.and_then(|li| self.hlc.get_mut(li))
        {
            *h = Some(i);
        }
    }
}

/// Each locality's HLC when a scenario does not name it: the first of
/// `sites` of role HLC standing in the locality (by region locality index).
pub fn default_hlcs(region: &Region, sites: &[Site]) -> Vec<Option<usize>> {
    default_hlcs_with(region, sites, &BTreeMap::new())
}

/// [`default_hlcs`] with the roles and localities a scenario gives sites.
fn default_hlcs_with(region: &Region, sites: &[Site], overrides: &BTreeMap<usize, SiteOverride>) -> Vec<Option<usize>> {
    let role = |i: usize| overrides.get(&i).and_then(|o| o.role).unwrap_or(sites[i].role);
    let in_locality = |i: usize, li: usize| match overrides.get(&i).and_then(|o| o.locality) {
        Some(l) => l == li,
        None => sites[i].locality.as_deref() == Some(region.localities[li].name.as_str()),
    };
    (0..region.localities.len()).map(|li| (0..sites.len()).find(|&i| role(i) == SiteRole::Hlc && in_locality(i, li))).collect()
}

/// `to` written relative to the folder `from_dir` (both made absolute first),
/// with `/` separators, for paths stored in scenario files.
pub fn relative_path(to: &Path, from_dir: &Path) -> String {
    let abs = |p: &Path| p.canonicalize().unwrap_or_else(|_| std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf()));
    let (to, from) = (abs(to), abs(from_dir));
    let a: Vec<Component> = to.components().collect();
    let b: Vec<Component> = from.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), b.len() - common).collect();
    parts.extend(a[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}
