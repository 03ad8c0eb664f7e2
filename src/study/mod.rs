//! A `Study`: one scenario file opened with everything it needs: the region
//! it names, the travel times computed on it once, the patient contacts and
//! the scenario resolved against them. The CLI, the app and the tests open
//! studies through this one function. A new study put together from loose
//! input files is made in [`create`].
//!
//! The region stays as its input files made it. The study owns the list of
//! sites it plans on: the region's, followed by the candidate sites added in
//! the scenario file or in the app ([`Study::sites`]); the travel times'
//! columns, the scenario's site indices and every evaluation follow that
//! list.
//!
//! A study whose inputs name no street network still opens: its zones,
//! localities, sites and tier rules are all there, it has no travel times,
//! and [`Study::no_street_network`] says what to download and where.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::assign::Geography;
use crate::analysis::demand::{Demand, DemandSource, SHIPPED_CATALOGUE, estimate_need, estimated_contacts};
use crate::analysis::{Evaluation, evaluate};
use crate::error::{Error, Result, Warning};
use crate::input::contacts::{Contact, load_contacts_with_postcodes};
use crate::model::Site;
use crate::model::Zone;
use crate::plan::growth::{Growth, GrowthFile};
use crate::plan::scenario::{Scenario, ScenarioFile};
use crate::plan::services::Catalogue;
use crate::progress::{Cancelled, Progress};
use crate::region::Region;
use crate::travel::{ColumnCache, ColumnJob, SiteColumns, TravelRequest, TravelTimes};

pub mod create;
pub mod shard;

/// A scenario file opened on its region.
#[derive(Debug, Clone)]
pub struct Study {
    /// The scenario file's path.
    pub path: PathBuf,
    /// The file as read.
    pub file: ScenarioFile,
    /// The region its inputs name, as loaded and never changed afterwards:
    /// its `sites` are those of the input files only (shared, so work on
    /// another thread can hold it).
    pub region: Arc<Region>,
    /// The sites the study plans on: the region's, then the candidate sites
    /// added ([`Study::sites`]). Only [`Study::add_columns`] extends it, with
    /// the travel times, so the two never disagree.
    sites: Vec<Site>,
    /// Travel times from the region's zones to `sites`, in that order.
    pub tt: TravelTimes,
    /// The contacts that could be used.
    pub contacts: Vec<Contact>,
    /// Contacts rows left out, with the reason.
    pub contact_warnings: Vec<Warning>,
    /// The service catalogue.
    pub catalogue: Catalogue,
    /// Localities of zones and sites.
    pub geo: Geography,
    /// The scenario, resolved.
    pub scenario: Scenario,
    /// Which contacts the journeys rest on (a contacts file, estimates from
    /// age bands, or none) and the need no site serves.
    pub demand: Demand,
    /// The future population the zones were scaled to (`[growth]`), if any.
    pub growth: Option<Growth>,
    /// In a comparison whose scenarios give different `[growth]` tables,
    /// which one both are judged on.
    pub growth_note: Option<String>,
}

/// A country of the United Kingdom, as the first letter of ONS area codes tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Country {
    /// Codes `E…`.
    England,
    /// Codes `W…`.
    Wales,
    /// Codes `S…`.
    Scotland,
}

impl Country {
    /// The country every zone's id places the study in, when they are all
    /// ONS codes of one country (a letter and eight digits, `E00123456`).
    pub fn of_zones(zones: &[Zone]) -> Option<Country> {
        let of = |id: &str| -> Option<Country> {
            let (first, rest) = id.split_at_checked(1)?;
            if rest.len() != 8 || !rest.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            match first {
                "E" => Some(Country::England),
                "W" => Some(Country::Wales),
                "S" => Some(Country::Scotland),
                _ => None,
            }
        };
        let first = of(&zones.first()?.id)?;
        zones.iter().all(|z| of(&z.id) == Some(first)).then_some(first)
    }
}

/// What a study whose inputs name no street network lacks, in words a
/// planner can act on: what to download, where, and where to name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoStreetNetwork {
    /// Whether the inputs already name a timetable (`gtfs`); it needs the
    /// street network too, to walk to and from the stops.
    pub gtfs_given: bool,
    /// The country the zones' codes tell, if they do.
    pub country: Option<Country>,
}

impl NoStreetNetwork {
    /// What `region` lacks, or `None` when it has a street network.
    pub fn of(region: &Region) -> Option<NoStreetNetwork> {
        region.networks.is_empty().then(|| NoStreetNetwork { gtfs_given: !region.inputs.gtfs.is_empty(), country: Country::of_zones(&region.zones) })
    }
}

impl std::fmt::Display for NoStreetNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let osm = match self.country {
            Some(Country::England) => "e.g. the extract of its county from Geofabrik, https://download.geofabrik.de/europe/united-kingdom/england.html",
            Some(Country::Wales) => "e.g. the extract of Wales from Geofabrik, https://download.geofabrik.de/europe/united-kingdom/wales.html",
            Some(Country::Scotland) => "e.g. the extract of Scotland from Geofabrik, https://download.geofabrik.de/europe/united-kingdom/scotland.html",
            None => "e.g. a county or region extract from Geofabrik, https://download.geofabrik.de/europe/united-kingdom.html",
        };
        if self.gtfs_given {
            write!(
                f,
                "no street network: download an OpenStreetMap extract covering the area ({osm}), then add it under [inputs] (osm); the timetable already named (gtfs) needs it too, to walk to and from the stops"
            )
        } else {
            let bus = match self.country {
                Some(Country::England) => "the Bus Open Data Service, https://data.bus-data.dft.gov.uk/, whole or its region's download",
                _ => "in England the Bus Open Data Service, https://data.bus-data.dft.gov.uk/, whole or by region; elsewhere the transport authority's",
            };
            write!(
                f,
                "no street network: download an OpenStreetMap extract covering the area ({osm}) and a GTFS feed for its buses ({bus}), then add them under [inputs] (osm, gtfs)"
            )
        }
    }
}

/// Opens the region and the contacts named by a scenario file, without
/// resolving its services (generators use this). Inputs that name no street
/// network open too, with no travel times ([`NoStreetNetwork`] says why).
pub fn open_inputs(path: &Path, file: &ScenarioFile, progress: &Progress) -> Result<(Region, TravelTimes, Vec<Contact>, Vec<Warning>)> {
    open_inputs_with(path, file, None, progress)
}

/// [`open_inputs`] with the street travel times read from `cache` where it
/// holds them, and kept in it ([`crate::travel::cache`]).
pub fn open_inputs_with(
    path: &Path,
    file: &ScenarioFile,
    cache: Option<&ColumnCache>,
    progress: &Progress,
) -> Result<(Region, TravelTimes, Vec<Contact>, Vec<Warning>)> {
    let inputs = file.region_inputs(path)?;
    let region = Region::load_with_progress(&inputs, progress)?;
    progress.check()?;
    progress.set_stage("computing travel times");
    let tt = TravelTimes::compute_cached(&region, &TravelRequest::for_region(&region), cache, progress)?;
    let (contacts, warnings) = match file.contacts_path(path)? {
        Some(p) => {
            let site_ids: Vec<&str> = region.sites.iter().map(|s| s.id.as_str()).collect();
            let catalogue = Catalogue::default();
            let mut services: Vec<&str> = catalogue.services.iter().map(|s| s.id.as_str()).collect();
            services.extend(file.services.iter().map(|s| s.id.as_str()));
            let lookup = region.inputs.postcodes.as_deref().map(crate::input::postcodes::PostcodeLookup::load).transpose()?;
            load_contacts_with_postcodes(&p, &region.zones, &site_ids, &services, lookup.as_ref())?
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok((region, tt, contacts, warnings))
}

impl Study {
    /// Opens a scenario file: reads it, loads its region, computes travel
    /// times, reads the contacts and resolves the scenario.
    pub fn open(path: &Path, progress: &Progress) -> Result<Study> {
        Study::open_with(path, None, progress)
    }

    /// [`Study::open`] with the street travel times read from `cache` where
    /// it holds them and kept in it (candidate sites added later too).
    pub fn open_with(path: &Path, cache: Option<&ColumnCache>, progress: &Progress) -> Result<Study> {
        let file = ScenarioFile::load(path)?;
        let (region, tt, contacts, contact_warnings) = open_inputs_with(path, &file, cache, progress)?;
        Study::assemble(path, file, region, tt, contacts, contact_warnings, progress)
    }

    /// Builds a study from parts already loaded by [`open_inputs`] for the
    /// scenario file `file` at `path`: adds its candidate sites (their
    /// searches tick `progress`; Cancel stops them) and resolves its services
    /// (nothing is read again).
    pub fn assemble(
        path: &Path,
        file: ScenarioFile,
        region: Region,
        tt: TravelTimes,
        contacts: Vec<Contact>,
        contact_warnings: Vec<Warning>,
        progress: &Progress,
    ) -> Result<Study> {
        let growth = file.growth.clone().map(|g| (path.to_path_buf(), g));
        Study::assemble_with_growth(path, file, region, tt, contacts, contact_warnings, growth, progress)
    }

    /// Opens the scenario file `base` to be compared with `proposed`, both
    /// judged on the same population: the proposal's `[growth]` if it has
    /// one, else the baseline's; [`Study::growth_note`] says so when the two
    /// files differ.
    pub fn open_for_comparison(base: &Path, proposed: &Path, progress: &Progress) -> Result<Study> {
        Study::open_for_comparison_with(base, proposed, None, progress)
    }

    /// [`Study::open_for_comparison`] through a travel-time `cache`.
    pub fn open_for_comparison_with(base: &Path, proposed: &Path, cache: Option<&ColumnCache>, progress: &Progress) -> Result<Study> {
        let file = ScenarioFile::load(base)?;
        let other = ScenarioFile::load(proposed)?;
        let base_dir = base.parent().unwrap_or(Path::new("."));
        let prop_dir = proposed.parent().unwrap_or(Path::new("."));
        let other_growth = other.growth.clone().map(|g| g.rebased(prop_dir, base_dir));
        let (growth, note) = match (&file.growth, &other_growth) {
            (b, Some(p)) if b.as_ref() == Some(p) => (Some((base.to_path_buf(), p.clone())), None),
            (b, Some(p)) => (
                Some((base.to_path_buf(), p.clone())),
                Some(match b {
                    Some(b) => format!(
                        "both scenarios are judged on the proposal's {} population (its [growth]); the baseline's own [growth] for {} is not used",
                        p.year, b.year
                    ),
                    None => {
                        format!("both scenarios are judged on the proposal's {} population (its [growth]); the baseline has no [growth] of its own", p.year)
                    }
                }),
            ),
            (Some(b), None) => (
                Some((base.to_path_buf(), b.clone())),
                Some(format!("the proposal has no [growth]: both scenarios are judged on the baseline's {} population", b.year)),
            ),
            (None, None) => (None, None),
        };
        let (region, tt, contacts, contact_warnings) = open_inputs_with(base, &file, cache, progress)?;
        let mut study = Study::assemble_with_growth(base, file, region, tt, contacts, contact_warnings, growth, progress)?;
        study.growth_note = note;
        Ok(study)
    }

    /// [`Study::assemble`] with the population scaled by `growth` (the
    /// `[growth]` table and the scenario file its paths are relative to):
    /// zones' residents and a contacts file's counts by each zone's factor.
    /// Without a contacts file, the need is estimated from age bands.
    #[allow(clippy::too_many_arguments)]
    fn assemble_with_growth(
        path: &Path,
        file: ScenarioFile,
        mut region: Region,
        tt: TravelTimes,
        mut contacts: Vec<Contact>,
        contact_warnings: Vec<Warning>,
        growth: Option<(PathBuf, GrowthFile)>,
        progress: &Progress,
    ) -> Result<Study> {
        let growth = match growth {
            Some((from, g)) => {
                let gr = Growth::resolve(&g, &from, &region.zones, region.inputs.crs)?;
                gr.apply(&mut region.zones);
                for c in &mut contacts {
                    c.contacts_per_year *= gr.factors.get(c.zone).copied().unwrap_or(1.0);
                }
                region.notes.push(gr.note());
                Some(gr)
            }
            None => None,
        };
        let contacts_file = file.contacts_path(path)?;
        let catalogue = Catalogue::default();
        // Services, HLCs and site settings may name candidate sites: they
        // resolve once those are added.
        let mut bare = file.clone();
        bare.services.clear();
        bare.hlc.clear();
        bare.site_settings.clear();
        let scenario = Scenario::resolve(&bare, path, &region, &region.sites, &catalogue)?;
        let geo = Geography::of(&region, &region.sites);
        let sites = region.sites.clone();
        let region = Arc::new(region);
        let mut study = Study {
            path: path.to_path_buf(),
            file: file.clone(),
            region,
            sites,
            tt,
            contacts,
            contact_warnings,
            catalogue,
            geo,
            scenario,
            demand: Demand::none(),
            growth,
            growth_note: None,
        };
        // Candidate sites kept in the scenario join the study's sites before its services resolve.
        for c in &file.candidate_sites {
            if study.sites.iter().any(|s| s.id == c.id) {
                return Err(Error::Input(crate::error::InputError::at(
                    path,
                    crate::error::Location::File,
                    Some("candidate_site.id"),
                    format!("candidate site '{}' has the id of a site in the sites file", c.id),
                )));
            }
            study.add_site(c.to_site(), progress)?;
        }
        study.scenario = Scenario::resolve(&file, path, &study.region, study.sites(), &study.catalogue)?;
        study.demand = match contacts_file {
            Some(p) => Demand { source: DemandSource::ContactsFile { path: p, rows: study.contacts.len() }, ..Demand::none() },
            None => study.estimate_demand(),
        };
        Ok(study)
    }

    /// Without a contacts file: each zone's need per service from the
    /// catalogue's age-band rates, as contacts seen where the study's own
    /// scenario sends the zone (see [`crate::analysis::demand`]). Sets the
    /// study's contacts and returns what they rest on.
    fn estimate_demand(&mut self) -> Demand {
        let ids: Vec<&str> = self.scenario.services.iter().map(|s| s.id.as_str()).collect();
        let need = estimate_need(&self.region.zones, &self.catalogue, Path::new(SHIPPED_CATALOGUE), &ids);
        self.contact_warnings.extend(need.problems.iter().cloned());
        if need.services.is_empty() {
            return Demand::none();
        }
        let modes = self.tt.modes();
        let choices = crate::analysis::assign::assign(&self.scenario, &self.region, &self.tt, &self.geo.under(&self.scenario), &modes);
        let (rows, unplaced) = estimated_contacts(&need, &self.scenario, &modes, &choices, &self.region.zones);
        let contacts_per_year = need.services.iter().map(|(_, v)| v.iter().sum::<f64>()).sum();
        let source = DemandSource::Estimated {
            catalogue: PathBuf::from(SHIPPED_CATALOGUE),
            services_with_rates: need.services.len(),
            rows: rows.len(),
            contacts_per_year,
        };
        let zones_without_bands = need.zones_without_bands.iter().map(|&z| self.region.zones[z].id.clone()).collect();
        let residents_without_bands = need.zones_without_bands.iter().map(|&z| self.region.zones[z].population).sum();
        self.contacts = rows;
        Demand { source, unplaced, zones_without_bands, residents_without_bands }
    }

    /// What the study lacks for travel times, when its inputs name no street
    /// network: it opens with zones, localities, sites and tier rules, and
    /// every travel-time figure is absent.
    pub fn no_street_network(&self) -> Option<NoStreetNetwork> {
        NoStreetNetwork::of(&self.region)
    }

    /// The sites the study plans on: the region's, then the candidate sites
    /// added (from the scenario file or in the app). Site indices in the
    /// scenario, the travel times' columns and the evaluation follow it.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// Gives site `i` a role and a locality (region index; `None` keeps its
    /// own) in the scenario: [`Scenario::set_site`] on the study's sites.
    pub fn set_site(&mut self, i: usize, role: crate::model::SiteRole, locality: Option<usize>) {
        self.scenario.set_site(&self.region, &self.sites, i, role, locality);
    }

    /// The candidate sites added to the region's, in the order they were added.
    pub fn candidate_sites(&self) -> &[Site] {
        &self.sites[self.region.sites.len()..]
    }

    /// The groups of residents the equality figures break down by: those
    /// `file`'s `[equity]` declares (a scenario file of this study's), or
    /// those proposed from the zones' attributes. An error names the
    /// scenario file and the `equity.group` key.
    pub fn groupings(&self, file: &ScenarioFile, path: &Path) -> Result<crate::analysis::equity::Groupings> {
        crate::analysis::equity::groupings(&self.region.zones, !self.region.localities.is_empty(), &file.equity)
            .map_err(|(key, message)| Error::Input(crate::error::InputError::at(path, crate::error::Location::File, Some(&key), message)))
    }

    /// The groups of residents (those this study's scenario file declares,
    /// or proposed) and each group's access: by `one` alone (the table's
    /// "before" columns), or from `one` before to `after`.
    pub fn equity_table(
        &self,
        one: (&Scenario, &Evaluation),
        after: Option<(&Scenario, &Evaluation)>,
    ) -> Result<(crate::analysis::equity::Groupings, Vec<crate::analysis::equity::EquityRow>)> {
        use crate::analysis::equity::{Side, service_weights, table};
        let g = self.groupings(&self.file, &self.path)?;
        let use_by = self.use_by_service();
        let (w1, w2) = (service_weights(one.0, &use_by), after.map(|a| service_weights(a.0, &use_by)));
        let first = Side { scenario: one.0, evaluation: one.1, weights: &w1 };
        let second = after.zip(w2.as_deref()).map(|(a, w)| Side { scenario: a.0, evaluation: a.1, weights: w });
        let rows = table(&self.region, &g, first, second);
        Ok((g, rows))
    }

    /// Contacts a year by service id, for weighting services by use.
    pub fn use_by_service(&self) -> std::collections::BTreeMap<String, f64> {
        let mut m = std::collections::BTreeMap::new();
        for c in &self.contacts {
            *m.entry(c.service.clone()).or_insert(0.0) += c.contacts_per_year;
        }
        m
    }

    /// Evaluates the scenario as it stands (the app calls this after every edit).
    pub fn evaluate(&self) -> Evaluation {
        evaluate(&self.scenario, &self.region, self.sites(), &self.tt, &self.geo, &self.contacts)
    }

    /// Adds a candidate site: computes its travel-time column for every mode
    /// (one search per street mode; the bus over its window; `progress`
    /// ticks, and Cancel stops them and leaves the study as it was) and
    /// makes it usable like any other site, offering nothing yet. Returns
    /// its index.
    pub fn add_site(&mut self, site: Site, progress: &Progress) -> Result<usize, Cancelled> {
        let cols = self.column_job(site).compute(progress)?;
        Ok(self.add_columns(cols))
    }

    /// What a new site's travel-time columns need, detached from the study
    /// (networks and timetable are shared) so a worker thread can compute them.
    pub fn column_job(&self, site: Site) -> ColumnJob {
        ColumnJob::new(&self.region, &self.tt, site)
    }

    /// Adds a site whose columns were computed by [`ColumnJob::compute`] on
    /// this study: the site goes at the end of the study's sites and its
    /// columns at the end of the travel times (the region is untouched).
    /// Returns its index.
    pub fn add_columns(&mut self, cols: SiteColumns) -> usize {
        let i = self.sites.len();
        let site = self.tt.append(cols);
        self.sites.push(site);
        for s in &mut self.scenario.services {
            s.offered.push(false);
        }
        self.geo = Geography::of(&self.region, &self.sites);
        i
    }

    /// The scenario as a file, with the candidate sites added since loading.
    pub fn scenario_file(&self) -> ScenarioFile {
        self.scenario_file_of(&self.scenario, &self.file)
    }

    /// `scenario` as a file written over `base` (the file it was read from:
    /// its name line, description, date, inputs and settings are kept), with
    /// this study's candidate sites. A plan's phases each keep their own base.
    pub fn scenario_file_of(&self, scenario: &Scenario, base: &ScenarioFile) -> ScenarioFile {
        let mut f = scenario.to_file(base, &self.region, self.sites(), &self.catalogue);
        f.candidate_sites = self
            .candidate_sites()
            .iter()
            .map(|s| crate::plan::scenario::CandidateSite {
                id: s.id.clone(),
                name: s.name.clone(),
                lon: s.point.lon,
                lat: s.point.lat,
                locality: s.locality.clone(),
            })
            .collect();
        f
    }

    /// Resolves another scenario file on this study's region; its inputs must
    /// be the same files.
    pub fn other(&self, path: &Path) -> Result<(ScenarioFile, Scenario)> {
        let file = ScenarioFile::load(path)?;
        let inputs = file.region_inputs(path)?;
        let canon = |v: Vec<PathBuf>| -> Vec<PathBuf> { v.into_iter().map(|p| p.canonicalize().unwrap_or(p)).collect() };
        if canon(inputs.files()) != canon(self.region.inputs.files()) {
            return Err(Error::DifferentInputs { baseline: self.path.clone(), other: path.to_path_buf() });
        }
        let s = Scenario::resolve(&file, path, &self.region, self.sites(), &self.catalogue)?;
        Ok((file, s))
    }
}
