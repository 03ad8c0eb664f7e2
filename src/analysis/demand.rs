//! Need-based demand: where a study's patient contacts come from. A
//! contacts file (activity data) always wins; without one, each zone's
//! contacts a year with each service are estimated from the catalogue's
//! contacts per 1,000 residents by census age band (`contacts_per_1000`)
//! and the zone's residents per band ([`crate::analysis::age_bands`]):
//! demand(zone, service) = sum over bands of rate / 1000 x residents. Each
//! estimate becomes a contacts row whose current site is the one the study's
//! own scenario sends the zone to, so the patient-journey figures exist
//! before any activity data is shared. Zones whose service is offered
//! nowhere or cannot be reached get no row and are counted in
//! [`UnplacedNeed`], never dropped silently.

use std::path::PathBuf;

use crate::analysis::age_bands::{age_band_columns, band_residents};
use crate::analysis::assign::Choice;
use crate::error::{Location, Warning};
use crate::input::contacts::Contact;
use crate::input::joins::group_thousands;
use crate::model::Zone;
use crate::plan::scenario::Scenario;
use crate::plan::services::Catalogue;
use crate::travel::Mode;

/// Where the catalogue the shipped rates come from is named in messages.
pub const SHIPPED_CATALOGUE: &str = "assets/services.toml";

/// Which patient contacts a study's journeys rest on.
#[derive(Debug, Clone, PartialEq)]
pub enum DemandSource {
    /// A contacts file (activity data): its path and the rows used.
    ContactsFile {
        /// The file.
        path: PathBuf,
        /// Rows used.
        rows: usize,
    },
    /// Estimated from the catalogue's contacts per 1,000 residents by age band.
    Estimated {
        /// The catalogue the rates come from.
        catalogue: PathBuf,
        /// Services of the scenario whose need was estimated.
        services_with_rates: usize,
        /// Contacts rows made (one per zone and service reached).
        rows: usize,
        /// Contacts a year estimated, in all (placed or not).
        contacts_per_year: f64,
    },
    /// No contacts file, and no estimate (no age bands, or no rates).
    None,
}

impl DemandSource {
    /// Whether the contacts are estimates from age-band rates.
    pub fn is_estimated(&self) -> bool {
        matches!(self, DemandSource::Estimated { .. })
    }
}

impl std::fmt::Display for DemandSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = |p: &PathBuf| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
        match self {
            DemandSource::ContactsFile { path, rows } => {
                write!(f, "patient contacts from the contacts file {} ({} rows)", name(path), group_thousands(*rows as f64))
            }
            DemandSource::Estimated { catalogue, services_with_rates, contacts_per_year, .. } => write!(
                f,
                "patient contacts estimated from census age bands: {} contacts a year for {services_with_rates} services, at the contacts per 1,000 residents by age band in {} (illustrative national averages, not local activity data; a contacts file replaces them)",
                group_thousands(*contacts_per_year),
                catalogue.display()
            ),
            DemandSource::None => {
                write!(f, "no patient contacts: no contacts file, and no census age bands (age_0_15 ... age_65_plus) joined to the zones to estimate need from")
            }
        }
    }
}

/// What a study's demand rests on, with the need it could not place.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// Contacts file, estimate or none.
    pub source: DemandSource,
    /// Estimated need no site serves, per service.
    pub unplaced: Vec<UnplacedNeed>,
    /// Zone ids without an age profile (no estimate for them), when estimated.
    pub zones_without_bands: Vec<String>,
    /// Their residents.
    pub residents_without_bands: f64,
}

impl Demand {
    /// No contacts at all.
    pub fn none() -> Demand {
        Demand { source: DemandSource::None, unplaced: Vec::new(), zones_without_bands: Vec::new(), residents_without_bands: 0.0 }
    }

    /// Lines for the load report: the source, the zones without an age
    /// profile and the need no site serves.
    pub fn notes(&self) -> Vec<String> {
        let mut v = vec![format!("demand: {}", self.source)];
        if !self.zones_without_bands.is_empty() {
            v.push(format!(
                "demand: {} zones ({} residents) have no census age band and no estimated need: {}",
                self.zones_without_bands.len(),
                group_thousands(self.residents_without_bands),
                crate::input::zones::list(&self.zones_without_bands)
            ));
        }
        v.extend(self.unplaced_lines().into_iter().map(|u| format!("demand: {u}")));
        v
    }

    /// The need no site serves, in plain words: the services offered
    /// nowhere together, then each service some zones cannot reach.
    pub fn unplaced_lines(&self) -> Vec<String> {
        let nowhere: Vec<&UnplacedNeed> = self.unplaced.iter().filter(|u| u.offered_nowhere).collect();
        let mut v = Vec::new();
        if !nowhere.is_empty() {
            let names: Vec<String> = nowhere.iter().map(|u| u.service.clone()).collect();
            let contacts: f64 = nowhere.iter().map(|u| u.contacts_per_year).sum();
            v.push(format!(
                "{} services are offered at no site, so their estimated need ({} contacts a year) gets no journey: {}",
                nowhere.len(),
                group_thousands(contacts),
                crate::input::zones::list(&names)
            ));
        }
        v.extend(self.unplaced.iter().filter(|u| !u.offered_nowhere).map(|u| u.to_string()));
        v
    }
}

/// Each zone's estimated contacts a year with each service that has rates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NeedEstimate {
    /// The age-band columns used, youngest first.
    pub columns: Vec<String>,
    /// Per service (id): contacts a year per zone (0 for zones without bands).
    pub services: Vec<(String, Vec<f64>)>,
    /// Zones without a usable age profile (no band joined, or bands summing
    /// to nothing), by index: they get no estimate.
    pub zones_without_bands: Vec<usize>,
    /// Rates that name no joined age band, one per service and key (that
    /// service is left without an estimate).
    pub problems: Vec<Warning>,
}

impl NeedEstimate {
    /// Contacts a year estimated for service `id`, all zones.
    pub fn total(&self, id: &str) -> Option<f64> {
        self.services.iter().find(|(s, _)| s == id).map(|(_, v)| v.iter().sum())
    }
}

/// Estimates each zone's need for each of `service_ids` that the catalogue
/// gives rates for. Empty when the zones carry no age band. A rate keyed by
/// a band the zones do not carry is a problem naming the service and the
/// key, and that service gets no estimate.
pub fn estimate_need(zones: &[Zone], catalogue: &Catalogue, catalogue_path: &std::path::Path, service_ids: &[&str]) -> NeedEstimate {
    let columns = age_band_columns(zones);
    if columns.is_empty() {
        return NeedEstimate::default();
    }
    let residents: Vec<Option<Vec<f64>>> = zones.iter().map(|z| band_residents(z, &columns)).collect();
    let zones_without_bands = residents.iter().enumerate().filter(|(_, r)| r.is_none()).map(|(i, _)| i).collect();
    let mut services = Vec::new();
    let mut problems = Vec::new();
    for id in service_ids {
        let Some(s) = catalogue.get(id).filter(|s| !s.contacts_per_1000.is_empty()) else { continue };
        let unknown: Vec<&String> = s.contacts_per_1000.keys().filter(|k| !columns.contains(k)).collect();
        if !unknown.is_empty() {
            for k in unknown {
                problems.push(Warning {
                    file: catalogue_path.to_path_buf(),
                    location: Location::File,
                    message: format!(
                        "field 'service.{id}.contacts_per_1000.{k}': service '{id}' gives a rate for '{k}', which is not an age band joined to the zones (they carry {}); its need is not estimated",
                        columns.join(", ")
                    ),
                });
            }
            continue;
        }
        let rates: Vec<f64> = columns.iter().map(|c| s.contacts_per_1000.get(c).copied().unwrap_or(0.0)).collect();
        let per_zone = residents.iter().map(|r| r.as_ref().map_or(0.0, |r| r.iter().zip(&rates).map(|(n, rate)| rate / 1000.0 * n).sum())).collect();
        services.push((id.to_string(), per_zone));
    }
    NeedEstimate { columns, services, zones_without_bands, problems }
}

/// Estimated need that no site serves: a service offered nowhere, or zones
/// that cannot reach it by any mode.
#[derive(Debug, Clone, PartialEq)]
pub struct UnplacedNeed {
    /// Service id.
    pub service: String,
    /// Zones with need and no site.
    pub zones: usize,
    /// Their residents.
    pub residents: f64,
    /// Their estimated contacts a year.
    pub contacts_per_year: f64,
    /// Whether no site offers the service at all (else some zones reach none).
    pub offered_nowhere: bool,
}

impl std::fmt::Display for UnplacedNeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} zones ({} residents, {} estimated contacts a year) have no site offering it within reach and get no journey",
            self.service,
            self.zones,
            group_thousands(self.residents),
            group_thousands(self.contacts_per_year)
        )
    }
}

/// The estimates as contacts rows (`line` 0: no file line): each zone and
/// service with need, seen at the site `scenario` sends the zone to under
/// the tier rules (`choices[service][mode][zone]`, as
/// [`crate::analysis::assign::assign`] gives them) by car off peak, or by
/// the first of `modes` with a journey. Zones with need and no site are
/// counted per service in the second list.
pub fn estimated_contacts(
    need: &NeedEstimate,
    scenario: &Scenario,
    modes: &[Mode],
    choices: &[Vec<Vec<Choice>>],
    zones: &[Zone],
) -> (Vec<Contact>, Vec<UnplacedNeed>) {
    let car = modes.iter().position(|m| *m == Mode::CarOffpeak);
    let order: Vec<usize> = car.into_iter().chain((0..modes.len()).filter(|&k| Some(k) != car)).collect();
    let mut rows = Vec::new();
    let mut unplaced = Vec::new();
    for (id, per_zone) in &need.services {
        let Some(si) = scenario.service(id) else { continue };
        let offered_nowhere = !scenario.services[si].offered.contains(&true);
        let mut lost = UnplacedNeed { service: id.clone(), zones: 0, residents: 0.0, contacts_per_year: 0.0, offered_nowhere };
        for (z, &n) in per_zone.iter().enumerate() {
            if n <= 0.0 {
                continue;
            }
            let site = order.iter().find_map(|&k| choices.get(si)?.get(k)?.get(z).filter(|c| c.minutes().is_some()).and_then(Choice::site));
            match site {
                Some(current_site) => rows.push(Contact { zone: z, service: id.clone(), current_site, contacts_per_year: n, line: 0 }),
                None => {
                    lost.zones += 1;
                    lost.residents += zones.get(z).map_or(0.0, |z| z.population);
                    lost.contacts_per_year += n;
                }
            }
        }
        if lost.zones > 0 {
            unplaced.push(lost);
        }
    }
    (rows, unplaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::LonLat;
    use std::path::Path;

    fn zone(id: &str, pop: f64, bands: &[(&str, f64)]) -> Zone {
        Zone {
            id: id.into(),
            population: pop,
            point: LonLat::new(0.0, 0.0),
            polygons: Vec::new(),
            locality: None,
            weights: bands.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            categories: Default::default(),
        }
    }

    fn catalogue(rates: &str) -> Catalogue {
        let text = format!(
            "schema_version = 1\n[[service]]\nid = \"podiatry\"\nname = \"Podiatry\"\ntier = 2\ncontacts_per_1000 = {{ {rates} }}\n[[service]]\nid = \"phlebotomy\"\nname = \"Phlebotomy\"\ntier = 1\n"
        );
        Catalogue::from_toml(&text, Path::new("c.toml")).unwrap()
    }

    #[test]
    fn the_estimate_is_rates_times_band_residents_worked_by_hand() {
        // Zone A: 1,000 residents, its own bands 600 under 65 and 400 over.
        // Zone B: an output area of 200 in an LSOA of 1,500 with 300 aged 65+ (20%):
        //   160 under 65 and 40 over.
        let zones = vec![
            zone("A", 1000.0, &[("age_0_64", 600.0), ("age_65_plus", 400.0)]),
            zone("B", 200.0, &[("age_0_64", 1200.0), ("age_65_plus", 300.0)]),
            zone("C", 50.0, &[]),
        ];
        let c = catalogue("age_0_64 = 20, age_65_plus = 250");
        let need = estimate_need(&zones, &c, Path::new("c.toml"), &["podiatry", "phlebotomy"]);
        assert_eq!(need.columns, vec!["age_0_64".to_string(), "age_65_plus".to_string()]);
        // Phlebotomy gives no rates: no estimate.
        assert_eq!(need.services.len(), 1);
        let v = &need.services[0].1;
        // A: 20/1000 x 600 + 250/1000 x 400 = 12 + 100 = 112.
        assert!((v[0] - 112.0).abs() < 1e-9, "{}", v[0]);
        // B: 20/1000 x 160 + 250/1000 x 40 = 3.2 + 10 = 13.2.
        assert!((v[1] - 13.2).abs() < 1e-9, "{}", v[1]);
        assert_eq!(v[2], 0.0);
        assert_eq!(need.zones_without_bands, vec![2]);
        assert!((need.total("podiatry").unwrap() - 125.2).abs() < 1e-9);
        assert!(need.problems.is_empty());
    }

    #[test]
    fn an_unknown_band_key_names_the_service_and_key() {
        let zones = vec![zone("A", 1000.0, &[("age_0_64", 600.0), ("age_65_plus", 400.0)])];
        let c = catalogue("age_0_64 = 20, age_70_plus = 250");
        let need = estimate_need(&zones, &c, Path::new("c.toml"), &["podiatry"]);
        assert!(need.services.is_empty());
        assert_eq!(need.problems.len(), 1);
        let m = need.problems[0].to_string();
        assert!(m.contains("service 'podiatry'") && m.contains("'age_70_plus'") && m.contains("age_0_64, age_65_plus") && m.contains("c.toml"), "{m}");
    }

    #[test]
    fn no_age_bands_no_estimate() {
        let zones = vec![zone("A", 1000.0, &[("wimd_rank", 5.0)])];
        let need = estimate_need(&zones, &Catalogue::default(), Path::new(SHIPPED_CATALOGUE), &["podiatry"]);
        assert_eq!(need, NeedEstimate::default());
    }
}
