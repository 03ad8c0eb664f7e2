//! A new study from loose input files: collecting them in an
//! [`InputsDraft`] (each recognised and its fields guessed by
//! [`crate::input::sniff`]) that says what is still missing, and writing a
//! first scenario (the HLC model) beside them with [`new_study`]. The app's
//! "New study from files" form and its file drops build on this; nothing
//! here depends on the user interface.

use std::path::{Path, PathBuf};

use crate::error::{Error, InputError, Result};
use crate::input::code_table::read_code_table;
use crate::input::sniff::{self, FileRole};
use crate::input::zones::{ZoneOptions, load_zones};
use crate::plan::scenario::{InputsFile, JoinFile, LocalitiesFile, Scenario, relative_path};
use crate::plan::services::Catalogue;

use super::Study;

/// The input files of a study being put together, one slot per role, with
/// the fields the scenario needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputsDraft {
    /// The study's name (default: the scenario file's name).
    pub name: Option<String>,
    /// OpenStreetMap street network.
    pub osm: Option<PathBuf>,
    /// GTFS bus timetable (zip or folder).
    pub gtfs: Option<PathBuf>,
    /// Population zones.
    pub zones: Option<PathBuf>,
    /// Candidate sites.
    pub sites: Option<PathBuf>,
    /// Locality polygons.
    pub localities: Option<PathBuf>,
    /// Patient contacts.
    pub contacts: Option<PathBuf>,
    /// The zones' id field.
    pub zone_id: Option<String>,
    /// The zones' population field (`None` weights zones equally).
    pub population: Option<String>,
    /// The localities' name field.
    pub locality_name: Option<String>,
    /// OSM tags taking sites from the street network file, when no sites file is given.
    pub sites_from_osm: Option<String>,
    /// More timetables beyond `gtfs` (rail, coach), merged with it.
    pub extra_gtfs: Vec<PathBuf>,
    /// More sites files beyond `sites` (GP practices, clinics).
    pub extra_sites: Vec<PathBuf>,
    /// Population from a table keyed by the zones' codes (a census download);
    /// `population` then names its column (found when `None`).
    pub population_table: Option<PathBuf>,
    /// Tables of numeric attributes (deprivation, age, cars) keyed by zone
    /// code or by the code of one of `areas`.
    pub attributes: Vec<PathBuf>,
    /// Larger areas (GeoJSON, code property) that attribute tables may be keyed by.
    pub areas: Vec<(PathBuf, String)>,
    /// Postcode lookup placing sites given by postcode.
    pub postcodes: Option<PathBuf>,
    /// Localities grouped from smaller areas: the areas (e.g. wards), their
    /// code property, and the CSV naming each area's locality.
    pub grouping: Option<(PathBuf, String, PathBuf)>,
    /// Kilometres kept around the zones when the extract and feeds are cut
    /// (default [`crate::region::DEFAULT_CLIP_MARGIN_KM`]).
    pub clip_margin_km: Option<f64>,
}

impl InputsDraft {
    /// Tells what `path` is and puts it in its slot, guessing its fields. A
    /// scenario is recognised (`FileRole::Scenario`) but not placed. Roles a
    /// study may have several of add up: a second timetable or sites file
    /// goes beyond the first (rail beside bus, clinics beside practices),
    /// every attributes table is kept, and a second polygon file taken for
    /// zones leaves the finer one (more features) as the zones and the coarser
    /// as areas its attribute tables may be keyed by (LSOAs beside output
    /// areas). Returns the role the file was placed in.
    pub fn place(&mut self, path: &Path) -> Result<FileRole, InputError> {
        let role = sniff::classify(path)?;
        let role = match (role, self.path(role)) {
            (FileRole::Gtfs | FileRole::Sites, Some(first)) if first != path => {
                let list = if role == FileRole::Gtfs { &mut self.extra_gtfs } else { &mut self.extra_sites };
                if !list.iter().any(|p| p == path) {
                    list.push(path.to_path_buf());
                }
                return Ok(role);
            }
            (FileRole::Zones, Some(first)) if first != path => match (feature_count(first), feature_count(path)) {
                (Some(zones), Some(new)) if new > zones => {
                    let coarser = first.to_path_buf();
                    self.set(FileRole::Zones, path);
                    self.set(FileRole::Areas, &coarser);
                    return Ok(FileRole::Zones);
                }
                (Some(_), Some(_)) => FileRole::Areas,
                _ => FileRole::Zones,
            },
            _ => role,
        };
        self.set(role, path);
        Ok(role)
    }

    /// Puts `path` in the slot of `role` (whatever the file holds), guessing
    /// the fields of zones, localities and areas. Attributes tables and areas
    /// are added to those already there; `FileRole::Scenario` changes nothing.
    pub fn set(&mut self, role: FileRole, path: &Path) {
        let p = Some(path.to_path_buf());
        match role {
            FileRole::Osm => self.osm = p,
            FileRole::Gtfs => self.gtfs = p,
            FileRole::Zones => {
                let names = sniff::field_names(path).unwrap_or_default();
                self.zone_id = sniff::id_field_from(&names);
                // With a population table, `population` names its column instead.
                if self.population_table.is_none() {
                    self.population = sniff::population_from(&names);
                }
                self.zones = p;
            }
            FileRole::Sites => {
                self.sites = p;
                self.sites_from_osm = None;
            }
            FileRole::Localities => {
                self.locality_name = sniff::guess_locality_name(path);
                self.localities = p;
            }
            FileRole::Contacts => self.contacts = p,
            FileRole::PopulationTable => {
                // Its residents column is found when the table is joined.
                self.population = None;
                self.population_table = p;
            }
            FileRole::Attributes => {
                if !self.attributes.iter().any(|a| a == path) {
                    self.attributes.push(path.to_path_buf());
                }
            }
            FileRole::Areas => {
                let names = sniff::field_names(path).unwrap_or_default();
                let id = sniff::id_field_from(&names).or_else(|| names.first().cloned()).unwrap_or_default();
                self.areas.retain(|(a, _)| a != path);
                self.areas.push((path.to_path_buf(), id));
            }
            FileRole::Postcodes => self.postcodes = p,
            FileRole::Scenario => {}
        }
        // A file sits in one slot: taken for areas, it is no longer the zones, and so on.
        if role != FileRole::Zones && self.zones.as_deref() == Some(path) {
            self.clear(FileRole::Zones);
        }
        if role != FileRole::Localities && self.localities.as_deref() == Some(path) {
            self.clear(FileRole::Localities);
        }
        if role != FileRole::Areas {
            self.areas.retain(|(a, _)| a != path);
        }
        if role != FileRole::Attributes {
            self.attributes.retain(|a| a != path);
        }
    }

    /// Empties the slot of `role` (and the fields guessed with it); for
    /// attributes and areas, all of them.
    pub fn clear(&mut self, role: FileRole) {
        match role {
            FileRole::Osm => self.osm = None,
            FileRole::Gtfs => {
                self.gtfs = None;
                self.extra_gtfs.clear();
            }
            FileRole::Zones => {
                self.zones = None;
                self.zone_id = None;
                if self.population_table.is_none() {
                    self.population = None;
                }
            }
            FileRole::Sites => {
                self.sites = None;
                self.extra_sites.clear();
            }
            FileRole::Localities => {
                self.localities = None;
                self.locality_name = None;
                self.grouping = None;
            }
            FileRole::Contacts => self.contacts = None,
            FileRole::PopulationTable => {
                self.population_table = None;
                self.population = None;
            }
            FileRole::Attributes => self.attributes.clear(),
            FileRole::Areas => self.areas.clear(),
            FileRole::Postcodes => self.postcodes = None,
            FileRole::Scenario => {}
        }
    }

    /// The file in the slot of `role` (the first, for roles that may hold several).
    pub fn path(&self, role: FileRole) -> Option<&Path> {
        match role {
            FileRole::Osm => self.osm.as_deref(),
            FileRole::Gtfs => self.gtfs.as_deref(),
            FileRole::Zones => self.zones.as_deref(),
            FileRole::Sites => self.sites.as_deref(),
            FileRole::Localities => self.localities.as_deref(),
            FileRole::Contacts => self.contacts.as_deref(),
            FileRole::PopulationTable => self.population_table.as_deref(),
            FileRole::Attributes => self.attributes.first().map(PathBuf::as_path),
            FileRole::Areas => self.areas.first().map(|(p, _)| p.as_path()),
            FileRole::Postcodes => self.postcodes.as_deref(),
            FileRole::Scenario => None,
        }
    }

    /// Localities grouped from smaller areas: the file in the localities slot
    /// (wards) becomes the areas, its code property guessed, and `grouping`
    /// the CSV naming each area's locality (as `--wards`, `--ward-id` and
    /// `--grouping`). An error when no localities file is placed, or its
    /// code property cannot be told.
    pub fn group_localities(&mut self, grouping: &Path) -> Result<(), InputError> {
        let Some(areas) = self.localities.clone().or_else(|| self.grouping.as_ref().map(|g| g.0.clone())) else {
            return Err(InputError::file(grouping, "a locality grouping names the locality of each area: place the areas (e.g. wards) as localities first"));
        };
        let names = sniff::field_names(&areas)?;
        let id = sniff::id_field_from(&names)
            .ok_or_else(|| InputError::file(&areas, format!("cannot tell which property is the areas' code (properties: {})", names.join(", "))))?;
        self.localities = None;
        self.locality_name = None;
        self.grouping = Some((areas, id, grouping.to_path_buf()));
        Ok(())
    }

    /// Every file in the slot of `role`, the first one and those beyond it.
    pub fn paths(&self, role: FileRole) -> Vec<&Path> {
        let mut v: Vec<&Path> = self.path(role).into_iter().collect();
        match role {
            FileRole::Gtfs => v.extend(self.extra_gtfs.iter().map(PathBuf::as_path)),
            FileRole::Sites => v.extend(self.extra_sites.iter().map(PathBuf::as_path)),
            FileRole::Attributes => v = self.attributes.iter().map(PathBuf::as_path).collect(),
            FileRole::Areas => v = self.areas.iter().map(|(p, _)| p.as_path()).collect(),
            _ => {}
        }
        v
    }

    /// Takes one file out of the slot of `role`, leaving the others (the next
    /// timetable or sites file becomes the first).
    pub fn remove(&mut self, role: FileRole, path: &Path) {
        match role {
            FileRole::Gtfs | FileRole::Sites => {
                let (first, extra) = if role == FileRole::Gtfs { (&mut self.gtfs, &mut self.extra_gtfs) } else { (&mut self.sites, &mut self.extra_sites) };
                if first.as_deref() == Some(path) {
                    *first = (!extra.is_empty()).then(|| extra.remove(0));
                } else {
                    extra.retain(|p| p != path);
                }
            }
            FileRole::Attributes => self.attributes.retain(|p| p != path),
            FileRole::Areas => self.areas.retain(|(p, _)| p != path),
            _ if self.path(role) == Some(path) => self.clear(role),
            _ => {}
        }
    }

    /// Every file placed.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = [&self.osm, &self.gtfs, &self.zones, &self.sites, &self.localities, &self.contacts, &self.population_table, &self.postcodes]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        v.extend(self.extra_gtfs.iter().chain(&self.extra_sites).chain(&self.attributes).cloned());
        v.extend(self.areas.iter().map(|(p, _)| p.clone()));
        if let Some((a, _, g)) = &self.grouping {
            v.extend([a.clone(), g.clone()]);
        }
        v
    }

    /// What is still needed before a study can be made, in plain words
    /// (empty when nothing is).
    pub fn missing(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.zones.is_none() {
            v.push("population zones");
        } else if self.zone_id.is_none() {
            v.push("the zones' id field");
        }
        if self.sites.is_none() && self.extra_sites.is_empty() && self.sites_from_osm.is_none() {
            v.push("candidate sites (a sites file, or sites taken from the street network file)");
        }
        if self.localities.is_some() && self.locality_name.is_none() {
            v.push("the localities' name field");
        }
        v
    }

    /// The inputs as a scenario in `scenario_dir` writes them (paths relative
    /// to that folder). A sites file wins over `sites_from_osm`.
    pub fn to_inputs_file(&self, scenario_dir: &Path) -> Result<InputsFile> {
        let rel = |p: &Path| relative_path(p, scenario_dir);
        let need = |what: &'static str| Error::StudyIncomplete { missing: vec![what] };
        let zones = self.zones.as_deref().ok_or_else(|| need("population zones"))?;
        let zone_id = self.zone_id.clone().ok_or_else(|| need("the zones' id field"))?;
        let sites: Vec<String> = self.sites.iter().chain(&self.extra_sites).map(|p| rel(p)).collect();
        let sites_from_osm = self.sites_from_osm.clone();
        if sites.is_empty() && sites_from_osm.is_none() {
            return Err(need("candidate sites (a sites file, or sites taken from the street network file)"));
        }
        let localities = match (&self.localities, &self.grouping) {
            (Some(l), _) => Some(LocalitiesFile {
                file: Some(rel(l)),
                name_field: Some(self.locality_name.clone().ok_or_else(|| need("the localities' name field"))?),
                ..Default::default()
            }),
            (None, Some((areas, id, grouping))) => {
                Some(LocalitiesFile { areas: Some(rel(areas)), area_id: Some(id.clone()), grouping: Some(rel(grouping)), ..Default::default() })
            }
            (None, None) => None,
        };
        let population_table =
            self.population_table.as_deref().map(|t| JoinFile { file: rel(t), columns: self.population.iter().cloned().collect(), ..Default::default() });
        let attributes = self.attributes.iter().map(|t| self.attach(t, zones, &zone_id, scenario_dir)).collect::<Result<Vec<_>>>()?;
        Ok(InputsFile {
            osm: self.osm.as_deref().map(rel),
            gtfs: self.gtfs.iter().chain(&self.extra_gtfs).map(|p| rel(p)).collect(),
            zones: rel(zones),
            zone_id,
            population: if population_table.is_some() { None } else { self.population.clone() },
            population_table,
            attributes,
            postcodes: self.postcodes.as_deref().map(rel),
            zone_locality: None,
            sites,
            sites_from_osm,
            contacts: self.contacts.as_deref().map(rel),
            localities,
            crs: None,
            profile: None,
            speed_calibration: None,
            bus_date: None,
            bus_window: None,
            clip_margin_km: Some(self.clip_margin_km.unwrap_or(crate::region::DEFAULT_CLIP_MARGIN_KM)),
        })
    }

    /// How an attributes table reaches the zones: by the zones' own codes, or
    /// through whichever of [`InputsDraft::areas`] its codes match best. An
    /// error when its codes match none, saying what they look like.
    fn attach(&self, table: &Path, zones: &Path, zone_id: &str, scenario_dir: &Path) -> Result<JoinFile> {
        let rel = |p: &Path| relative_path(p, scenario_dir);
        let t = read_code_table(table)?;
        let zone_ids: Vec<String> = load_zones(zones, &ZoneOptions::new(zone_id))?.0.into_iter().map(|z| z.id).collect();
        let mut best: (usize, Option<&(PathBuf, String)>) = (t.matches(&zone_ids.iter().map(String::as_str).collect()), None);
        for a in &self.areas {
            let ids = area_ids(&a.0, &a.1)?;
            let n = t.matches(&ids.iter().map(String::as_str).collect());
            if n > best.0 {
                best = (n, Some(a));
            }
        }
        match best {
            (0, _) => {
                let ids: std::collections::HashSet<&str> = zone_ids.iter().map(String::as_str).collect();
                let what = if self.areas.is_empty() { "zones" } else { "zones or the areas given" };
                Err(t
                    .code_column(None, &ids, what)
                    .err()
                    .map(Error::Input)
                    .unwrap_or(Error::StudyIncomplete { missing: vec!["areas matching an attributes table"] }))
            }
            (_, None) => Ok(JoinFile { file: rel(table), ..Default::default() }),
            (_, Some((areas, id))) => Ok(JoinFile { file: rel(table), areas: Some(rel(areas)), area_id: Some(id.clone()), ..Default::default() }),
        }
    }
}

/// How many features a GeoJSON file holds (`None` for CSV or an unreadable file).
fn feature_count(path: &Path) -> Option<usize> {
    match sniff::table_format(path).ok()? {
        sniff::TableFormat::GeoJson => crate::input::geojson::parse_geojson(path).ok().map(|r| r.features.len()),
        sniff::TableFormat::Csv => None,
    }
}

/// The codes of the areas in a GeoJSON file, by their code property.
fn area_ids(path: &Path, id_field: &str) -> Result<Vec<String>> {
    let feats = crate::input::geojson::read_feature_collection(path, crate::input::crs::CrsChoice::Auto)?;
    Ok(feats.iter().map(|f| f.str_property(path, id_field)).collect::<Result<Vec<_>, _>>()?)
}

/// Makes a study from the draft's files: loads the region and computes its
/// travel times once, writes a first scenario (the HLC model: tier 1 at each
/// locality's HLC, tiers 2 and 3 placed by the generator) at `scenario_path`
/// atomically, never over an input, and returns the study opened on it.
pub fn new_study(draft: &InputsDraft, scenario_path: &Path, progress: &crate::progress::Progress) -> Result<Study> {
    let missing = draft.missing();
    if !missing.is_empty() {
        return Err(Error::StudyIncomplete { missing });
    }
    let dir = scenario_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::NoScenarioFolder { dir: dir.to_path_buf() });
    }
    // Refuse before the long work, not after it.
    let protected = draft.files();
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    if scenario_path.exists() && protected.iter().any(|i| canon(i) == canon(scenario_path)) {
        return Err(Error::WouldOverwriteInput { path: scenario_path.to_path_buf() });
    }
    let inputs = draft.to_inputs_file(dir)?;
    let stem = scenario_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "study".into());
    let first = crate::plan::generate::empty_file(draft.name.as_deref().unwrap_or(&stem), &inputs);
    let (region, tt, contacts, warnings) = super::open_inputs(scenario_path, &first, progress)?;
    let mut protected_all = region.inputs.files();
    protected_all.extend(protected);
    if region.networks.is_empty() {
        // No travel times to place tiers 2 and 3 by: the study starts with
        // its zones, sites and localities, and says what to download
        // (`Study::no_street_network`).
        first.save(scenario_path, &protected_all)?;
        return Study::assemble(scenario_path, first, region, tt, contacts, warnings, progress);
    }
    let catalogue = Catalogue::default();
    // Pairs and HLCs as proposed for the region, then the HLC model on them.
    let resolved = Scenario::resolve(&first, scenario_path, &region, &region.sites, &catalogue)?;
    let file = crate::plan::generate::hlc_model(&region, &tt, &catalogue, &inputs, &resolved.pairs, &resolved.hlc);
    file.save(scenario_path, &protected_all)?;
    Study::assemble(scenario_path, file, region, tt, contacts, warnings, progress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::shared_file;

    fn project(rel: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("accessplan-create-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn demo_draft(with_gtfs: bool) -> InputsDraft {
        let mut d = InputsDraft::default();
        let mut files =
            vec!["maps/demo/zones.geojson", "maps/demo/localities.geojson", "maps/demo/region.osm", "datasets/demo/sites.csv", "datasets/demo/contacts.csv"];
        if with_gtfs {
            files.push("datasets/demo/gtfs");
        }
        for f in files {
            d.place(&project(f)).unwrap();
        }
        d
    }

    #[test]
    fn create_draft_places_the_newport_files() {
        let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else {
            return;
        };
        let gtfs = shared_file("newport/newport-20230613_gtfs.zip").unwrap();
        let oa = shared_file("newport/boundaries/oa.geojson").unwrap();
        let wards = shared_file("newport/boundaries/wards.geojson").unwrap();
        let mut d = InputsDraft::default();
        for f in [&pbf, &gtfs, &oa, &wards] {
            d.place(f).unwrap();
        }
        assert_eq!((d.zone_id.as_deref(), d.locality_name.as_deref()), (Some("OA11CD"), Some("WD13NM")));
        assert_eq!(d.missing(), vec!["candidate sites (a sites file, or sites taken from the street network file)"]);
        d.sites_from_osm = Some(sniff::HEALTH_TAGS.into());
        assert!(d.missing().is_empty());
        let dir = temp("newport-inputs");
        let inputs = d.to_inputs_file(&dir).unwrap();
        assert!(inputs.sites.is_empty());
        assert_eq!(inputs.sites_from_osm.as_deref(), Some(sniff::HEALTH_TAGS));
        assert_eq!(inputs.localities.as_ref().and_then(|l| l.name_field.as_deref()), Some("WD13NM"));
        assert!(dir.join(&inputs.zones).canonicalize().unwrap() == oa.canonicalize().unwrap(), "{} is relative to {}", inputs.zones, dir.display());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn create_draft_placed_by_classification_matches_the_readme_flags() {
        let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else {
            return;
        };
        let f = |rel: &str| shared_file(rel).unwrap();
        let (bus, rail) = (f("newport/gtfs-more/newport-20240305-bus_gtfs.zip"), f("newport/gtfs-more/newport-20240305-rail_gtfs.zip"));
        let (oa, lsoa, msoa, wards) = (
            f("newport/boundaries/oa.geojson"),
            f("newport/boundaries/lsoa.geojson"),
            f("newport/boundaries/msoa.geojson"),
            f("newport/boundaries/wards.geojson"),
        );
        let census = f("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv");
        let (wimd, cars) = (f("newport/deprivation/wimd2019_lsoa11.csv"), f("newport/car_availability_msoa11_2011.csv"));
        let (practices, postcodes) = (f("newport/gp_practices.csv"), f("newport/postcodes_NP.csv"));
        // As the README's "Your own place" flags build it (the CLI's draft).
        let by_hand = InputsDraft {
            name: None,
            osm: Some(pbf.clone()),
            gtfs: Some(bus.clone()),
            extra_gtfs: vec![rail.clone()],
            zones: Some(oa.clone()),
            zone_id: Some("OA11CD".into()),
            population: None,
            population_table: Some(census.clone()),
            sites: Some(practices.clone()),
            sites_from_osm: Some("amenity=hospital,clinic".into()),
            localities: Some(wards.clone()),
            locality_name: Some("WD13NM".into()),
            attributes: vec![wimd.clone(), cars.clone()],
            areas: vec![(lsoa.clone(), "LSOA11CD".into()), (msoa.clone(), "MSOA11CD".into())],
            postcodes: Some(postcodes.clone()),
            ..Default::default()
        };
        // Dropped one by one, LSOAs before the output areas: each placed by what it holds.
        let mut d = InputsDraft::default();
        let placed: Vec<FileRole> =
            [&pbf, &bus, &rail, &lsoa, &oa, &census, &wimd, &cars, &practices, &postcodes, &wards].into_iter().map(|p| d.place(p).unwrap()).collect();
        use FileRole::*;
        assert_eq!(placed, vec![Osm, Gtfs, Gtfs, Zones, Zones, PopulationTable, Attributes, Attributes, Sites, Postcodes, Localities]);
        assert_eq!(d.zones.as_deref(), Some(oa.as_path()), "the finer polygons are the zones");
        assert_eq!(d.areas, vec![(lsoa.clone(), "LSOA11CD".to_string())], "the coarser, areas for the attribute tables");
        // 20 MSOAs look like localities: the planner says "areas" in the role combo.
        assert_eq!(sniff::classify(&msoa).unwrap(), Localities);
        d.set(Areas, &msoa);
        assert_eq!(d.localities.as_deref(), Some(wards.as_path()), "the wards stay the localities");
        d.sites_from_osm = Some("amenity=hospital,clinic".into());
        assert!(d.missing().is_empty(), "{:?}", d.missing());
        assert_eq!(d, by_hand);
        let dir = temp("readme-flags");
        let (a, b) = (d.to_inputs_file(&dir).unwrap(), by_hand.to_inputs_file(&dir).unwrap());
        assert_eq!(a, b);
        assert_eq!(a.gtfs.len(), 2);
        assert_eq!(a.attributes.iter().map(|j| j.area_id.as_deref()).collect::<Vec<_>>(), vec![Some("LSOA11CD"), Some("MSOA11CD")]);
        // Taking a file out of a slot that holds several leaves the others.
        d.remove(Gtfs, &bus);
        assert_eq!((d.gtfs.as_deref(), d.extra_gtfs.len()), (Some(rail.as_path()), 0));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn create_draft_groups_medway_wards_into_localities_as_the_flags_do() {
        let Some(wards) = shared_file("medway/boundaries/wards.geojson") else {
            return;
        };
        let grouping = shared_file("medway/localities.csv").unwrap();
        let mut d = InputsDraft::default();
        assert!(d.group_localities(&grouping).unwrap_err().to_string().contains("place the areas"), "no areas yet");
        assert_eq!(d.place(&wards).unwrap(), FileRole::Localities);
        d.group_localities(&grouping).unwrap();
        // As --wards wards.geojson --ward-id WD13CD --grouping localities.csv.
        assert_eq!(d.grouping, Some((wards.clone(), "WD13CD".to_string(), grouping.clone())));
        assert_eq!((d.localities.as_deref(), d.locality_name.as_deref()), (None, None));
        d.clear(FileRole::Localities);
        assert_eq!(d.grouping, None);
    }

    #[test]
    fn create_draft_of_the_demo_files_is_complete() {
        let d = demo_draft(true);
        assert_eq!((d.zone_id.as_deref(), d.population.as_deref(), d.locality_name.as_deref()), (Some("zone_id"), Some("population"), Some("name")));
        assert!(d.missing().is_empty(), "{:?}", d.missing());
        assert_eq!(d.files().len(), 6);
    }

    #[test]
    fn create_draft_places_nothing_it_cannot_classify() {
        let dir = temp("unknown");
        let p = dir.join("budget.csv");
        std::fs::write(&p, "team,cost\nnursing,120\n").unwrap();
        let mut d = InputsDraft::default();
        assert!(d.place(&p).is_err());
        assert_eq!(d, InputsDraft::default(), "nothing placed");
        assert_eq!(
            d.missing(),
            vec!["population zones", "candidate sites (a sites file, or sites taken from the street network file)"],
            "a street network is not needed to start a study"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn create_new_study_on_the_demo_files_writes_a_scenario_that_opens_again() {
        let dir = temp("new-study");
        let out = dir.join("study.toml");
        let d = demo_draft(true);
        let progress = crate::progress::Progress::new();
        let study = new_study(&d, &out, &progress).unwrap();
        assert!(progress.done() > 0, "progress ticks");
        let r = &study.region;
        assert_eq!((r.zones.len(), r.sites.len(), r.localities.len()), (795, 16, 6));
        assert_eq!(study.scenario.name, "HLC model");
        assert!(study.tt.timetable.is_some(), "the bus timetable is loaded");
        assert!(!study.contacts.is_empty());
        // Tier 1 at each of the six localities' HLCs.
        let t1 = study.scenario.services.iter().find(|s| s.tier.number() == 1).unwrap();
        assert_eq!(t1.sites().len(), 6);
        assert!(t1.sites().iter().all(|&i| r.sites[i].role == crate::model::SiteRole::Hlc));
        let again = Study::open(&out, &crate::progress::Progress::new()).unwrap();
        let a = &again.region;
        assert_eq!((a.zones.len(), a.sites.len(), a.localities.len()), (795, 16, 6));
        assert_eq!(again.scenario, study.scenario);
        assert_eq!(again.contacts.len(), study.contacts.len());
        // Never over an input.
        let e = new_study(&d, &project("datasets/demo/sites.csv"), &crate::progress::Progress::new()).unwrap_err().to_string();
        assert!(e.contains("refusing"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
