//! Future population: a scenario's `[growth]` table, which scales the
//! zones' residents to a target year so a plan can be judged for 2035 as
//! well as today. One overall factor (`factor = 1.18`), or a CSV of factors
//! or target populations keyed by zone id or, through an areas file as in
//! joins, by larger areas (LSOAs, local authorities). Age-band residents and
//! estimated need follow the zones' population; a contacts file's counts are
//! scaled by each zone's factor by the study.
//!
//! ```toml
//! [growth]
//! year = 2035
//! factor = 1.18                 # or:
//! # file = "growth.csv"         # columns: code, factor (or code, population)
//! # areas = "lsoa.geojson"      # when the codes name larger areas
//! # area_id = "LSOA11CD"
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{InputError, Location};
use crate::input::crs::CrsChoice;
use crate::input::csv_table::read_csv_table;
use crate::input::joins::{AreasRef, group_thousands, zone_area_codes};
use crate::input::zones::list;
use crate::model::Zone;

/// Column names read as a growth factor.
const FACTOR_NAMES: &[&str] = &["factor", "growth_factor", "growth"];
/// Column names read as a target population.
const POPULATION_NAMES: &[&str] = &["population", "target_population", "projected_population", "projection", "target", "residents"];

/// The `[growth]` table of a scenario file, as written.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthFile {
    /// The year the population is projected to.
    pub year: i32,
    /// One factor for every zone (e.g. 1.18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// Or: a CSV of area codes with a factor or a target population
    /// (path relative to the scenario file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The file's column of codes (default: its first column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The file's value column (default: one named `factor`, or
    /// `population`/`target_population`); read as a factor when its name
    /// says `factor` or `growth`, else as a target population.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// GeoJSON of the larger areas the codes name, if not the zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub areas: Option<String>,
    /// The areas' code property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_id: Option<String>,
}

impl GrowthFile {
    /// The same table for a scenario file saved in `to_dir` instead of
    /// `from_dir`: its paths rewritten relative to the new folder.
    pub fn rebased(mut self, from_dir: &Path, to_dir: &Path) -> GrowthFile {
        let rb = |p: String| crate::plan::scenario::relative_path(&from_dir.join(p), to_dir);
        self.file = self.file.map(rb);
        self.areas = self.areas.map(rb);
        self
    }

    /// An overall factor that is a number above 0, and exactly one of
    /// `factor` and `file`: otherwise the key and what is wrong.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        match (self.factor, &self.file) {
            (Some(f), None) if !(f.is_finite() && f > 0.0) => {
                Err(("factor", format!("{f} is not a growth factor: give a number above 0 (1.18 for 18% more residents)")))
            }
            (Some(_), Some(_)) => Err(("factor", "give either `factor` (one for every zone) or `file` (by area), not both".into())),
            (None, None) => Err(("factor", "give `factor` (one for every zone, e.g. 1.18) or `file` (a CSV of factors by area code)".into())),
            _ => match (&self.areas, &self.area_id) {
                (Some(_), None) => Err(("area_id", "the areas need their code property (`area_id`)".into())),
                (None, Some(_)) => Err(("areas", "`area_id` is given without the `areas` file".into())),
                _ => Ok(()),
            },
        }
    }
}

/// Where the factors came from.
#[derive(Debug, Clone, PartialEq)]
pub enum GrowthBy {
    /// One factor for every zone.
    Overall(f64),
    /// A file of factors or target populations by code.
    File {
        /// The CSV.
        path: PathBuf,
        /// The areas its codes name (`None`: the zones' own ids).
        areas: Option<PathBuf>,
        /// Whether it gives target populations (else factors).
        target_population: bool,
        /// Rows whose code is none of the zones or areas.
        rows_unused: usize,
    },
}

/// A growth table resolved on the zones: each zone's factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Growth {
    /// The projection year.
    pub year: i32,
    /// Where the factors came from.
    pub by: GrowthBy,
    /// The scenario file whose `[growth]` this is.
    pub scenario: PathBuf,
    /// Each zone's factor (1.0 for zones without one).
    pub factors: Vec<f64>,
    /// Zones the table gives no factor (they keep 1.0), by id.
    pub zones_without: Vec<String>,
    /// Their residents.
    pub residents_without: f64,
    /// Residents before scaling (the census).
    pub census_total: f64,
    /// Residents after scaling.
    pub projected_total: f64,
}

impl Growth {
    /// Resolves `g` (from the scenario file at `scenario`, which paths are
    /// relative to) on `zones`, as loaded (census population).
    pub fn resolve(g: &GrowthFile, scenario: &Path, zones: &[Zone], crs: CrsChoice) -> Result<Growth, InputError> {
        g.check().map_err(|(key, msg)| InputError::at(scenario, Location::File, Some(&format!("growth.{key}")), msg))?;
        let dir = scenario.parent().unwrap_or(Path::new("."));
        let census_total: f64 = zones.iter().map(|z| z.population).sum();
        let mut factors = vec![1.0; zones.len()];
        let mut have = vec![true; zones.len()];
        let by = match (g.factor, &g.file) {
            (Some(f), _) => {
                factors.fill(f);
                GrowthBy::Overall(f)
            }
            (None, Some(file)) => {
                let path = dir.join(file);
                if !path.exists() {
                    return Err(InputError::at(scenario, Location::File, Some("growth.file"), format!("{} does not exist", path.display())));
                }
                let areas = match (&g.areas, &g.area_id) {
                    (Some(a), Some(id)) => {
                        let p = dir.join(a);
                        if !p.exists() {
                            return Err(InputError::at(scenario, Location::File, Some("growth.areas"), format!("{} does not exist", p.display())));
                        }
                        Some(AreasRef { path: p, id_field: id.clone() })
                    }
                    _ => None,
                };
                let codes: Vec<Option<String>> = match &areas {
                    None => zones.iter().map(|z| Some(z.id.clone())).collect(),
                    Some(a) => zone_area_codes(zones, a, crs)?,
                };
                let (by_code, target_population, rows_unused) = read_growth_csv(&path, g, &codes)?;
                // A target population is shared by the zones of its area in
                // proportion to their census residents.
                let mut area_pop: HashMap<&str, f64> = HashMap::new();
                for (z, c) in zones.iter().zip(&codes) {
                    if let Some(c) = c {
                        *area_pop.entry(c.as_str()).or_default() += z.population;
                    }
                }
                for (i, c) in codes.iter().enumerate() {
                    let v = c.as_deref().and_then(|c| by_code.get(c).map(|v| (c, *v)));
                    match v {
                        Some((_, f)) if !target_population => factors[i] = f,
                        Some((c, target)) if area_pop.get(c).is_some_and(|p| *p > 0.0) => factors[i] = target / area_pop[c],
                        _ => have[i] = false,
                    }
                }
                GrowthBy::File { path, areas: areas.map(|a| a.path), target_population, rows_unused }
            }
            (None, None) => return Err(InputError::at(scenario, Location::File, Some("growth.factor"), "give `factor` or `file`")),
        };
        let zones_without: Vec<String> = zones.iter().zip(&have).filter(|(_, h)| !**h).map(|(z, _)| z.id.clone()).collect();
        let residents_without = zones.iter().zip(&have).filter(|(_, h)| !**h).map(|(z, _)| z.population).sum();
        let projected_total = zones.iter().zip(&factors).map(|(z, f)| z.population * f).sum();
        Ok(Growth { year: g.year, by, scenario: scenario.to_path_buf(), factors, zones_without, residents_without, census_total, projected_total })
    }

    /// Scales each zone's population by its factor.
    pub fn apply(&self, zones: &mut [Zone]) {
        for (z, f) in zones.iter_mut().zip(&self.factors) {
            z.population *= f;
        }
    }

    /// The projected total over the census total.
    pub fn overall_factor(&self) -> f64 {
        if self.census_total > 0.0 { self.projected_total / self.census_total } else { 1.0 }
    }

    /// "2035 projection, 330,000 residents (x1.18 on the census)".
    pub fn headline(&self) -> String {
        format!("{} projection, {} residents (x{:.2} on the census)", self.year, group_thousands(self.projected_total), self.overall_factor())
    }

    /// What was done, for the load report: the source and the zones without a factor.
    pub fn note(&self) -> String {
        let name = |p: &Path| p.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let mut s = format!("population: {} (census {})", self.headline(), group_thousands(self.census_total));
        match &self.by {
            GrowthBy::Overall(f) => s.push_str(&format!("; one factor of {f} for every zone")),
            GrowthBy::File { path, areas, target_population, rows_unused } => {
                let what = if *target_population { "target populations" } else { "factors" };
                s.push_str(&format!("; {what} from {}", name(path)));
                if let Some(a) = areas {
                    s.push_str(&format!(" by the areas of {}", name(a)));
                }
                if *rows_unused > 0 {
                    s.push_str(&format!("; {rows_unused} rows for other areas"));
                }
            }
        }
        if !self.zones_without.is_empty() {
            s.push_str(&format!(
                "; {} zones ({} residents) have no factor and keep their census population: {}",
                self.zones_without.len(),
                group_thousands(self.residents_without),
                list(&self.zones_without)
            ));
        }
        s
    }
}

/// The values of a growth CSV by code, whether they are target populations,
/// and how many rows name none of `codes`.
fn read_growth_csv(path: &Path, g: &GrowthFile, codes: &[Option<String>]) -> Result<(HashMap<String, f64>, bool, usize), InputError> {
    let t = read_csv_table(path)?;
    if t.rows.is_empty() {
        return Err(t.no_rows());
    }
    let c_code = match &g.code {
        Some(c) => t.require_column(c, &[])?,
        None => 0,
    };
    let c_value = match &g.column {
        Some(c) => t.require_column(c, &[])?,
        None => t.find_column(FACTOR_NAMES).or_else(|| t.find_column(POPULATION_NAMES)).ok_or_else(|| {
            InputError::at(
                path,
                Location::Line(1),
                Some("factor"),
                format!("no column of growth factors (`factor`) or target populations (`population`); the columns are: {}", t.headers.join(", ")),
            )
        })?,
    };
    let header = t.header(c_value).to_ascii_lowercase();
    let target_population = !(header.contains("factor") || header.contains("growth"));
    let known: std::collections::HashSet<&str> = codes.iter().flatten().map(String::as_str).collect();
    let mut out = HashMap::new();
    let mut unused = 0;
    for r in &t.rows {
        let code = t.value(r, c_code).trim();
        let v = t.f64_at(r, c_value)?;
        if !(v.is_finite() && v > 0.0) {
            let what = if target_population { "a target population" } else { "a growth factor" };
            return Err(InputError::at(
                path,
                Location::Line(r.line),
                Some(t.header(c_value)),
                format!("{v} is not {what} for '{code}': give a number above 0"),
            ));
        }
        if !known.contains(code) {
            unused += 1;
            continue;
        }
        if out.insert(code.to_string(), v).is_some() {
            return Err(InputError::at(path, Location::Line(r.line), Some(t.header(c_code)), format!("'{code}' is listed twice")));
        }
    }
    Ok((out, target_population, unused))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::LonLat;

    fn zone(id: &str, pop: f64) -> Zone {
        Zone {
            id: id.into(),
            population: pop,
            point: LonLat::new(0.0, 0.0),
            polygons: Vec::new(),
            locality: None,
            weights: Default::default(),
            categories: Default::default(),
        }
    }

    fn by_file(text: &str, name: &str) -> (PathBuf, GrowthFile) {
        let csv = crate::testdata::temp_file("growth", name, text);
        let scenario = csv.with_file_name("s.toml");
        let g = GrowthFile { year: 2035, factor: None, file: Some(name.into()), code: None, column: None, areas: None, area_id: None };
        (scenario, g)
    }

    #[test]
    fn factors_and_targets_by_zone_id() {
        let zones = vec![zone("A", 100.0), zone("B", 200.0), zone("C", 50.0)];
        let (s, g) = by_file("zone,factor\nA,1.5\nB,1.1\nX,2\n", "by-zone.csv");
        let gr = Growth::resolve(&g, &s, &zones, CrsChoice::Auto).unwrap();
        assert_eq!(gr.factors, vec![1.5, 1.1, 1.0]);
        assert_eq!(gr.zones_without, vec!["C".to_string()]);
        assert_eq!((gr.residents_without, gr.census_total), (50.0, 350.0));
        assert!((gr.projected_total - 420.0).abs() < 1e-9);
        assert!(matches!(gr.by, GrowthBy::File { rows_unused: 1, target_population: false, .. }));
        let (s, g) = by_file("code,population\nA,130\nB,260\n", "targets.csv");
        let gr = Growth::resolve(&g, &s, &zones, CrsChoice::Auto).unwrap();
        assert!((gr.factors[0] - 1.3).abs() < 1e-12 && (gr.factors[1] - 1.3).abs() < 1e-12 && gr.factors[2] == 1.0);
        assert_eq!(gr.headline(), "2035 projection, 440 residents (x1.26 on the census)");
    }

    #[test]
    fn a_bad_factor_is_refused_naming_file_line_and_field() {
        let zones = vec![zone("A", 100.0), zone("B", 200.0)];
        for (name, text, bad) in [
            ("zero.csv", "zone,factor\nA,1.2\nB,0\n", "0 is not a growth factor for 'B'"),
            ("neg.csv", "zone,factor\nA,1.2\nB,-0.5\n", "-0.5 is not a growth factor for 'B'"),
            ("inf.csv", "zone,factor\nA,1.2\nB,inf\n", "'inf' is not a number"),
        ] {
            let (s, g) = by_file(text, name);
            let e = Growth::resolve(&g, &s, &zones, CrsChoice::Auto).unwrap_err().to_string();
            assert!(e.contains(name) && e.contains("line 3") && e.contains("'factor'") && e.contains(bad), "{e}");
        }
        let (s, g) = by_file("zone,factor\nA,lots\n", "text.csv");
        let e = Growth::resolve(&g, &s, &zones, CrsChoice::Auto).unwrap_err().to_string();
        assert!(e.contains("text.csv") && e.contains("line 2") && e.contains("'lots' is not a number"), "{e}");
        let overall = GrowthFile { year: 2035, factor: Some(-1.0), file: None, code: None, column: None, areas: None, area_id: None };
        assert_eq!(overall.check().unwrap_err().0, "factor");
        assert!(overall.check().unwrap_err().1.contains("-1 is not a growth factor"));
        let nan = GrowthFile { factor: Some(f64::NAN), ..overall };
        assert!(nan.check().unwrap_err().1.contains("NaN is not a growth factor"));
    }
}
