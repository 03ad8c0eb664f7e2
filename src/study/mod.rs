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

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::assign::Geography;
use crate::analysis::{Evaluation, evaluate};
use crate::error::{Error, Result, Warning};
use crate::input::contacts::{Contact, load_contacts_with_postcodes};
use crate::model::Site;
use crate::plan::scenario::{Scenario, ScenarioFile};
use crate::plan::services::Catalogue;
use crate::progress::{Cancelled, Progress};
use crate::region::Region;
use crate::travel::{ColumnJob, SiteColumns, TravelRequest, TravelTimes};

pub mod create;

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
}

/// Opens the region and the contacts named by a scenario file, without
/// resolving its services (generators use this).
pub fn open_inputs(path: &Path, file: &ScenarioFile, progress: &Progress) -> Result<(Region, TravelTimes, Vec<Contact>, Vec<Warning>)> {
    let inputs = file.region_inputs(path)?;
    let region = Region::load(&inputs)?;
    if region.networks.is_empty() {
        return Err(Error::NoStreetNetwork {
            scenario: path.to_path_buf(),
            zones: region.zones.len(),
            sites: region.sites.len(),
            localities: region.localities.len(),
        });
    }
    progress.check()?;
    let tt = TravelTimes::compute(&region, &TravelRequest::for_region(&region), progress)?;
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
        let file = ScenarioFile::load(path)?;
        let (region, tt, contacts, contact_warnings) = open_inputs(path, &file, progress)?;
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
        let catalogue = Catalogue::default();
        let mut bare = file.clone();
        bare.services.clear();
        let scenario = Scenario::resolve(&bare, path, &region, &region.sites, &catalogue)?;
        let geo = Geography::of(&region, &region.sites);
        let sites = region.sites.clone();
        let region = Arc::new(region);
        let mut study = Study { path: path.to_path_buf(), file: file.clone(), region, sites, tt, contacts, contact_warnings, catalogue, geo, scenario };
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
        Ok(study)
    }

    /// The sites the study plans on: the region's, then the candidate sites
    /// added (from the scenario file or in the app). Site indices in the
    /// scenario, the travel times' columns and the evaluation follow it.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// The candidate sites added to the region's, in the order they were added.
    pub fn candidate_sites(&self) -> &[Site] {
        &self.sites[self.region.sites.len()..]
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
        let mut f = self.scenario.to_file(&self.file, &self.region, self.sites(), &self.catalogue);
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
