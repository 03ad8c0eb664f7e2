//! Generators for the usual configurations, written as editable scenario
//! files: the baseline (each service where it is delivered today, read from
//! the contacts) and the HLC model (tier 1 at every HLC, tier 2 at the
//! better-connected HLC of each pair, tier 3 at the best-connected site).
//! They work on a region as loaded, before any candidate site is added: its
//! own sites, with the travel times and contacts read for them.

use crate::input::contacts::Contact;
use crate::plan::scenario::{InputsFile, SCHEMA_VERSION, ScenarioFile, ServiceEntry};
use crate::plan::services::{Catalogue, Tier};
use crate::region::Region;
use crate::travel::{Mode, TravelTimes, UNREACHED_PENALTY_S};

/// The mode used to judge "better connected": the bus when loaded (the
/// people with the fewest choices), otherwise the car off peak.
pub fn connection_mode(tt: &TravelTimes) -> Option<Mode> {
    [Mode::Bus, Mode::CarOffpeak].into_iter().find(|m| tt.get(*m).is_some())
}

/// Population-weighted mean time (s) from `zones` to `site`; zones with no
/// journey count at [`UNREACHED_PENALTY_S`], as in the optimiser.
pub fn mean_time_s(region: &Region, tt: &TravelTimes, mode: Mode, zones: &[usize], site: usize) -> f64 {
    let Some(m) = tt.get(mode) else { return f64::INFINITY };
    let (mut w, mut sum) = (0.0, 0.0);
    for &z in zones {
        let p = region.zones[z].population;
        let t = m.time(z, site).map_or(UNREACHED_PENALTY_S, |t| t as f64);
        w += p;
        sum += p * t;
    }
    if w > 0.0 { sum / w } else { f64::INFINITY }
}

/// A scenario file with these inputs and no services.
pub fn empty_file(name: &str, inputs: &InputsFile) -> ScenarioFile {
    base_file(name, String::new(), inputs, Vec::new())
}

fn base_file(name: &str, description: String, inputs: &InputsFile, pairs: Vec<[String; 2]>) -> ScenarioFile {
    ScenarioFile {
        schema_version: SCHEMA_VERSION,
        name: name.to_string(),
        description,
        free_choice: false,
        thresholds: Default::default(),
        inputs: inputs.clone(),
        hlc: Default::default(),
        locality_pairs: pairs,
        services: Vec::new(),
        candidate_sites: Vec::new(),
        site_settings: Vec::new(),
        date: None,
        equity: Default::default(),
        growth: None,
    }
}

/// The locality pairs as names (from the file, or proposed).
pub fn pair_names(region: &Region, pairs: &[(usize, usize)]) -> Vec<[String; 2]> {
    pairs.iter().map(|&(a, b)| [region.localities[a].name.clone(), region.localities[b].name.clone()]).collect()
}

/// Today's configuration: each service at the sites where its contacts are seen now.
pub fn baseline(region: &Region, contacts: &[Contact], catalogue: &Catalogue, inputs: &InputsFile, pairs: &[(usize, usize)]) -> ScenarioFile {
    let mut f = base_file("Baseline (today)", "Each service where it is delivered today, from the patient contacts.".into(), inputs, pair_names(region, pairs));
    let mut ids: Vec<&str> = catalogue.services.iter().map(|s| s.id.as_str()).collect();
    for c in contacts {
        if !ids.contains(&c.service.as_str()) {
            ids.push(&c.service);
        }
    }
    for id in ids {
        let mut sites: Vec<usize> = contacts.iter().filter(|c| c.service == id).map(|c| c.current_site).collect();
        sites.sort();
        sites.dedup();
        if sites.is_empty() {
            continue;
        }
        f.services.push(ServiceEntry {
            id: id.to_string(),
            name: None,
            tier: catalogue.get(id).map(|s| s.tier).or(Some(Tier::THREE)),
            sites: sites.into_iter().map(|s| region.sites[s].id.clone()).collect(),
        });
    }
    f
}

/// The HLC model. `hlc` gives each locality's HLC site (region indices).
pub fn hlc_model(
    region: &Region,
    tt: &TravelTimes,
    catalogue: &Catalogue,
    inputs: &InputsFile,
    pairs: &[(usize, usize)],
    hlc: &[Option<usize>],
) -> ScenarioFile {
    let mode = connection_mode(tt).unwrap_or(Mode::CarOffpeak);
    let zones_in = |locs: &[usize]| -> Vec<usize> {
        (0..region.zones.len()).filter(|&z| region.zones[z].locality.as_deref().is_some_and(|n| locs.iter().any(|&l| region.localities[l].name == n))).collect()
    };
    let all_zones: Vec<usize> = (0..region.zones.len()).collect();
    let hlcs: Vec<usize> = hlc.iter().flatten().copied().collect();
    // Tier 2: per pair, the HLC with the lower mean time from the pair's residents.
    let mut tier2 = Vec::new();
    let mut paired = vec![false; region.localities.len()];
    for &(a, b) in pairs {
        paired[a] = true;
        paired[b] = true;
        let zs = zones_in(&[a, b]);
        let best =
            [hlc[a], hlc[b]].into_iter().flatten().min_by(|&x, &y| mean_time_s(region, tt, mode, &zs, x).total_cmp(&mean_time_s(region, tt, mode, &zs, y)));
        tier2.extend(best);
    }
    // A locality left out of every pair keeps tier 2 at its own HLC.
    tier2.extend((0..region.localities.len()).filter(|&l| !paired[l]).filter_map(|l| hlc[l]));
    // Tier 3: the site with the lowest mean time from all residents.
    let best_site =
        (0..region.sites.len()).min_by(|&x, &y| mean_time_s(region, tt, mode, &all_zones, x).total_cmp(&mean_time_s(region, tt, mode, &all_zones, y)));
    let mut f = base_file(
        "HLC model",
        format!(
            "Tier 1 at every locality's HLC; tier 2 at the better-connected HLC of each pair; tier 3 at the best-connected site (judged by {}).",
            mode.title().to_lowercase()
        ),
        inputs,
        pair_names(region, pairs),
    );
    for s in &catalogue.services {
        let sites: Vec<usize> = match s.tier.number() {
            1 => hlcs.clone(),
            2 => tier2.clone(),
            _ => best_site.into_iter().collect(),
        };
        f.services.push(ServiceEntry {
            id: s.id.clone(),
            name: None,
            tier: Some(s.tier),
            sites: sites.into_iter().map(|i| region.sites[i].id.clone()).collect(),
        });
    }
    f
}
