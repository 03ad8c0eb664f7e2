//! Catchments and loads: the population and the contacts each site would
//! serve for each service (by the car off-peak choice, or the first mode
//! when there is no car), against the site's capacity.

use crate::analysis::assign::Choice;
use crate::analysis::journeys::Journey;
use crate::model::Site;
use crate::plan::scenario::Scenario;
use crate::region::Region;
use crate::travel::Mode;

/// One site's load for one service.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteLoad {
    /// Site index.
    pub site: usize,
    /// Service index.
    pub service: usize,
    /// Residents whose chosen site this is.
    pub population: f64,
    /// Contacts a year that would come here.
    pub contacts: f64,
}

/// The mode used for catchments.
pub fn catchment_mode(modes: &[Mode]) -> usize {
    modes.iter().position(|m| *m == Mode::CarOffpeak).unwrap_or(0)
}

/// Loads per site of `sites` and service (only pairs with some load).
pub fn site_loads(scenario: &Scenario, region: &Region, sites: &[Site], modes: &[Mode], choices: &[Vec<Vec<Choice>>], journeys: &[Journey]) -> Vec<SiteLoad> {
    let k = catchment_mode(modes);
    let n_sites = sites.len();
    let mut out = Vec::new();
    for si in 0..scenario.services.len() {
        let mut pop = vec![0.0; n_sites];
        let mut con = vec![0.0; n_sites];
        if let Some(per_zone) = choices.get(si).and_then(|c| c.get(k)) {
            for (z, ch) in per_zone.iter().enumerate() {
                if let Some(s) = ch.site() {
                    pop[s] += region.zones[z].population;
                }
            }
        }
        for j in journeys.iter().filter(|j| j.service == si) {
            if let Some(s) = j.after_site.get(k).copied().flatten() {
                con[s] += j.contacts_per_year;
            }
        }
        for s in 0..n_sites {
            if pop[s] > 0.0 || con[s] > 0.0 {
                out.push(SiteLoad { site: s, service: si, population: pop[s], contacts: con[s] });
            }
        }
    }
    out
}

/// Sites of `sites` whose total contacts over all services exceed their
/// capacity: (site, contacts, capacity).
pub fn over_capacity(sites: &[Site], loads: &[SiteLoad]) -> Vec<(usize, f64, f64)> {
    let mut total = vec![0.0; sites.len()];
    for l in loads {
        total[l.site] += l.contacts;
    }
    sites.iter().enumerate().filter_map(|(i, s)| s.capacity.filter(|c| total[i] > *c).map(|c| (i, total[i], c))).collect()
}
