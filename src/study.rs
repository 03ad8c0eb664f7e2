//! A `Study`: one scenario file opened with everything it needs: the region
//! it names, the travel times computed on it once, the patient contacts and
//! the scenario resolved against them. The CLI, the app and the tests open
//! studies through this one function.

use std::path::{Path, PathBuf};

use crate::analysis::assign::Geography;
use crate::analysis::{Evaluation, evaluate};
use crate::error::{Error, Result, Warning};
use crate::input::contacts::{Contact, load_contacts};
use crate::plan::scenario::{Scenario, ScenarioFile};
use crate::plan::services::Catalogue;
use crate::region::{Region, TravelTimes};

/// A scenario file opened on its region.
#[derive(Debug, Clone)]
pub struct Study {
    /// The scenario file's path.
    pub path: PathBuf,
    /// The file as read.
    pub file: ScenarioFile,
    /// The region its inputs name.
    pub region: Region,
    /// Travel times on it.
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
pub fn open_inputs(path: &Path, file: &ScenarioFile, progress: &(dyn Fn() + Sync)) -> Result<(Region, TravelTimes, Vec<Contact>, Vec<Warning>)> {
    let inputs = file.region_inputs(path)?;
    let region = Region::load(&inputs)?;
    if region.networks.is_empty() {
        return Err(Error::Request(format!(
            "{}: no street network is given (inputs.osm), so no travel times can be computed. Download an OpenStreetMap extract covering the area (a .osm.pbf file) and name it as `osm` under [inputs]. Loaded so far: {} zones, {} sites, {} localities.",
            path.display(),
            region.zones.len(),
            region.sites.len(),
            region.localities.len()
        )));
    }
    let tt = TravelTimes::compute(&region, crate::network::snap::DEFAULT_MAX_SNAP_M, progress);
    let (contacts, warnings) = match file.contacts_path(path)? {
        Some(p) => {
            let zone_ids: Vec<&str> = region.zones.iter().map(|z| z.id.as_str()).collect();
            let site_ids: Vec<&str> = region.sites.iter().map(|s| s.id.as_str()).collect();
            let catalogue = Catalogue::default();
            let mut services: Vec<&str> = catalogue.services.iter().map(|s| s.id.as_str()).collect();
            services.extend(file.services.iter().map(|s| s.id.as_str()));
            load_contacts(&p, &zone_ids, &site_ids, &services)?
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok((region, tt, contacts, warnings))
}

impl Study {
    /// Opens a scenario file: reads it, loads its region, computes travel
    /// times, reads the contacts and resolves the scenario.
    pub fn open(path: &Path, progress: &(dyn Fn() + Sync)) -> Result<Study> {
        let file = ScenarioFile::load(path)?;
        let (region, tt, contacts, contact_warnings) = open_inputs(path, &file, progress)?;
        let catalogue = Catalogue::default();
        let scenario = Scenario::resolve(&file, path, &region, &catalogue)?;
        let geo = Geography::of(&region);
        Ok(Study { path: path.to_path_buf(), file, region, tt, contacts, contact_warnings, catalogue, geo, scenario })
    }

    /// Evaluates the scenario as it stands (the app calls this after every edit).
    pub fn evaluate(&self) -> Evaluation {
        evaluate(&self.scenario, &self.region, &self.tt, &self.geo, &self.contacts)
    }

    /// Resolves another scenario file on this study's region; its inputs must
    /// be the same files.
    pub fn other(&self, path: &Path) -> Result<(ScenarioFile, Scenario)> {
        let file = ScenarioFile::load(path)?;
        let inputs = file.region_inputs(path)?;
        let canon = |v: Vec<PathBuf>| -> Vec<PathBuf> { v.into_iter().map(|p| p.canonicalize().unwrap_or(p)).collect() };
        if canon(inputs.files()) != canon(self.region.inputs.files()) {
            return Err(Error::Request(format!("{} and {} use different input files; a comparison needs the same region", self.path.display(), path.display())));
        }
        let s = Scenario::resolve(&file, path, &self.region, &self.catalogue)?;
        Ok((file, s))
    }
}
