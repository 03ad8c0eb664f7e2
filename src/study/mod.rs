//! A `Study`: one scenario file opened with everything it needs: the region
//! it names, the travel times computed on it once, the patient contacts and
//! the scenario resolved against them. The CLI, the app and the tests open
//! studies through this one function. A new study put together from loose
//! input files is made in [`create`].

use std::path::{Path, PathBuf};

use crate::analysis::assign::Geography;
use crate::analysis::{Evaluation, evaluate};
use crate::error::{Error, Result, Warning};
use crate::input::contacts::{Contact, load_contacts};
use crate::plan::scenario::{Scenario, ScenarioFile};
use crate::plan::services::Catalogue;
use crate::progress::{Cancelled, Progress};
use crate::region::Region;
use crate::travel::{Mode, TravelRequest, TravelTimes};

pub mod create;

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
    pub fn open(path: &Path, progress: &Progress) -> Result<Study> {
        let file = ScenarioFile::load(path)?;
        let (region, tt, contacts, contact_warnings) = open_inputs(path, &file, progress)?;
        Study::assemble(path, file, region, tt, contacts, contact_warnings)
    }

    /// Builds a study from parts already loaded by [`open_inputs`] for the
    /// scenario file `file` at `path`: adds its candidate sites and resolves
    /// its services (nothing is read again).
    pub fn assemble(path: &Path, file: ScenarioFile, region: Region, tt: TravelTimes, contacts: Vec<Contact>, contact_warnings: Vec<Warning>) -> Result<Study> {
        let catalogue = Catalogue::default();
        let mut bare = file.clone();
        bare.services.clear();
        let scenario = Scenario::resolve(&bare, path, &region, &catalogue)?;
        let geo = Geography::of(&region);
        let mut study = Study { path: path.to_path_buf(), file: file.clone(), region, tt, contacts, contact_warnings, catalogue, geo, scenario };
        // Candidate sites kept in the scenario join the region before its services resolve.
        for c in &file.candidate_sites {
            if study.region.sites.iter().any(|s| s.id == c.id) {
                return Err(Error::Input(crate::error::InputError::at(
                    path,
                    crate::error::Location::File,
                    Some("candidate_site.id"),
                    format!("candidate site '{}' has the id of a site in the sites file", c.id),
                )));
            }
            study.add_site(c.to_site());
        }
        study.scenario = Scenario::resolve(&file, path, &study.region, &study.catalogue)?;
        Ok(study)
    }

    /// Evaluates the scenario as it stands (the app calls this after every edit).
    pub fn evaluate(&self) -> Evaluation {
        evaluate(&self.scenario, &self.region, &self.tt, &self.geo, &self.contacts)
    }

    /// Adds a candidate site: computes its travel-time column for every mode
    /// (one search per street mode; the bus over its window) and makes it
    /// usable like any other site, offering nothing yet. Returns its index.
    pub fn add_site(&mut self, site: crate::model::Site) -> usize {
        match self.column_job(site).compute(&Progress::new()) {
            Ok(cols) => self.add_columns(cols),
            Err(Cancelled) => unreachable!("a Progress nobody else holds is never cancelled"),
        }
    }

    /// What a new site's travel-time columns need, detached from the study
    /// (networks and timetable are shared) so a worker thread can compute them.
    pub fn column_job(&self, site: crate::model::Site) -> ColumnJob {
        ColumnJob {
            zones: self.region.zones.iter().map(|z| z.point).collect(),
            street_modes: self.tt.street.iter().map(|(m, _)| *m).collect(),
            networks: self.region.networks.clone(),
            timetable: self.tt.bus.as_ref().and(self.tt.timetable.clone()),
            request: self.tt.request.clone(),
            site,
        }
    }

    /// Adds a site whose columns were computed by [`ColumnJob::compute`] on
    /// this study. Returns its index.
    pub fn add_columns(&mut self, cols: SiteColumns) -> usize {
        let n_old = self.region.sites.len();
        let n_zones = self.region.zones.len();
        for ((_, m), col) in self.tt.street.iter_mut().zip(cols.street) {
            let (t, l, snap) = match col {
                Some(c) => (c.time_s, c.length_m, c.destination_snaps[0]),
                None => (vec![f32::INFINITY; n_zones], vec![0.0; n_zones], Err(crate::network::SnapFailure::EmptyNetwork)),
            };
            append_column(&mut m.time_s, m.origins, m.destinations, &t);
            append_column(&mut m.length_m, m.origins, m.destinations, &l);
            m.destination_snaps.push(snap);
            m.destinations += 1;
        }
        if let (Some(b), Some(c)) = (self.tt.bus.as_mut(), &cols.bus) {
            for (v, cv) in [
                (&mut b.p10_s, &c.p10_s),
                (&mut b.median_s, &c.median_s),
                (&mut b.p90_s, &c.p90_s),
                (&mut b.no_journey_share, &c.no_journey_share),
                (&mut b.walk_only_s, &c.walk_only_s),
            ] {
                append_column(v, b.origins, b.destinations, cv);
            }
            b.destination_stops.extend(c.destination_stops.iter().copied());
            b.destination_snaps.push(c.destination_snaps[0]);
            b.destinations += 1;
        }
        self.region.sites.push(cols.site);
        for s in &mut self.scenario.services {
            s.offered.push(false);
        }
        self.geo = Geography::of(&self.region);
        n_old
    }

    /// The scenario as a file, with the candidate sites added since loading.
    pub fn scenario_file(&self) -> ScenarioFile {
        let mut f = self.scenario.to_file(&self.file, &self.region, &self.catalogue);
        f.candidate_sites = self
            .region
            .sites
            .iter()
            .filter(|s| s.origin == crate::model::SiteOrigin::Scenario)
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
        let s = Scenario::resolve(&file, path, &self.region, &self.catalogue)?;
        Ok((file, s))
    }
}

/// A new site's travel-time columns, to be computed anywhere (it owns or
/// shares everything it needs).
pub struct ColumnJob {
    zones: Vec<crate::LonLat>,
    street_modes: Vec<Mode>,
    networks: Vec<std::sync::Arc<crate::network::Network>>,
    /// The timetable, when the study has a bus matrix.
    timetable: Option<std::sync::Arc<crate::transit::Timetable>>,
    request: TravelRequest,
    site: crate::model::Site,
}

/// The columns computed for a new site, in the study's matrix order.
pub struct SiteColumns {
    /// The site.
    pub site: crate::model::Site,
    /// One column per street mode of the study, in `tt.street` order.
    street: Vec<Option<crate::network::StreetMatrix>>,
    /// The bus column, when the study has a timetable.
    bus: Option<crate::transit::BusMatrix>,
}

impl ColumnJob {
    /// The site the columns are for.
    pub fn site(&self) -> &crate::model::Site {
        &self.site
    }

    /// Computes the columns: one search per street mode and the bus over its
    /// window (`progress` ticks as the searches go; Cancel stops them).
    pub fn compute(self, progress: &Progress) -> Result<SiteColumns, Cancelled> {
        use crate::network::StreetMode;
        let net = |sm: StreetMode| self.networks.iter().find(|n| n.mode == sm);
        let at = [self.site.point];
        let max_snap_m = self.request.max_snap_m;
        let street = self
            .street_modes
            .iter()
            .map(|m| {
                let net = m.street().and_then(|(sm, period)| net(sm).map(|n| (n, period)));
                net.map(|(n, period)| crate::network::street_matrix(n, period, &self.zones, &at, max_snap_m, progress)).transpose()
            })
            .collect::<Result<_, _>>()?;
        let bus = match (&self.timetable, net(StreetMode::Walk)) {
            (Some(tt), Some(walk)) => {
                Some(crate::transit::bus_matrix(tt, walk, &self.zones, &at, &self.request.bus_window, &self.request.bus_options(), progress)?)
            }
            _ => None,
        };
        Ok(SiteColumns { site: self.site, street, bus })
    }
}

/// Appends one column to an origin-major `rows` x `cols` matrix.
fn append_column(v: &mut Vec<f32>, rows: usize, cols: usize, col: &[f32]) {
    let mut out = Vec::with_capacity(rows * (cols + 1));
    for r in 0..rows {
        out.extend_from_slice(&v[r * cols..(r + 1) * cols]);
        out.push(col.get(r).copied().unwrap_or(f32::INFINITY));
    }
    *v = out;
}
