//! Today's patient contacts: for each zone and service, how many clinic
//! contacts a year its residents have and at which site (`contacts.csv`).
//!
//! Counts are Poisson draws around a rate per 1,000 residents. Each zone's
//! patients go to a site that offers the service today, drawn with a weight
//! that falls with distance and favours the patient's own locality; some
//! zones split a service between two sites. As in Medway today, about half of
//! all clinic contacts happen outside the patient's own locality.

use super::rng::SplitMix64;
use super::sites::DemoSite;
use super::streets::dist;
use super::zones::ZoneSet;
use std::collections::BTreeMap;

/// A service: its id, contacts per 1,000 residents a year, and the sites offering it today.
struct ServiceDef {
    id: &'static str,
    rate_per_1000: f64,
    sites: &'static [&'static str],
}

const HOSPITAL: &str = "hospital-riverdale";
const REHAB: &str = "rehab-kingsbridge";

const SERVICES: [ServiceDef; 21] = [
    ServiceDef { id: "anticoagulation", rate_per_1000: 1.6, sites: &[HOSPITAL, "hlc-northgate", "hlc-kingsbridge", "clinic-millford", "surgery-eastbrook"] },
    ServiceDef { id: "cardiology", rate_per_1000: 0.6, sites: &[HOSPITAL] },
    ServiceDef {
        id: "community-nursing",
        rate_per_1000: 35.0,
        sites: &[
            "hlc-westholm",
            "hlc-northgate",
            "hlc-kingsbridge",
            "hlc-ashby-vale",
            "surgery-westholm",
            "surgery-eastbrook",
            "surgery-millford-green",
            "clinic-millford",
            "clinic-ashby-vale",
        ],
    },
    ServiceDef { id: "community-rehab", rate_per_1000: 0.6, sites: &[REHAB, "leisure-northgate", "leisure-kingsbridge"] },
    ServiceDef { id: "continence", rate_per_1000: 0.3, sites: &["hlc-westholm", "hlc-kingsbridge", "community-eastbrook"] },
    ServiceDef { id: "copd-frailty", rate_per_1000: 0.4, sites: &["hlc-northgate", "hlc-ashby-vale", REHAB] },
    ServiceDef {
        id: "diabetes",
        rate_per_1000: 1.6,
        sites: &[HOSPITAL, "hlc-westholm", "hlc-northgate", "hlc-kingsbridge", "hlc-ashby-vale", "clinic-millford"],
    },
    ServiceDef { id: "epilepsy", rate_per_1000: 0.1, sites: &[HOSPITAL] },
    ServiceDef { id: "hand-therapy", rate_per_1000: 0.2, sites: &[HOSPITAL, REHAB] },
    ServiceDef { id: "lymphoedema", rate_per_1000: 0.1, sites: &[HOSPITAL] },
    ServiceDef {
        id: "msk-physio",
        rate_per_1000: 25.0,
        sites: &[REHAB, "leisure-northgate", "leisure-kingsbridge", "hlc-westholm", "hlc-ashby-vale", HOSPITAL, "clinic-millford"],
    },
    ServiceDef { id: "neuro-physio", rate_per_1000: 0.2, sites: &[REHAB] },
    ServiceDef { id: "dietetics", rate_per_1000: 0.3, sites: &[HOSPITAL, "hlc-kingsbridge", "community-eastbrook"] },
    ServiceDef {
        id: "phlebotomy",
        rate_per_1000: 60.0,
        sites: &[
            HOSPITAL,
            "hlc-westholm",
            "hlc-northgate",
            "hlc-kingsbridge",
            "hlc-ashby-vale",
            "surgery-westholm",
            "surgery-eastbrook",
            "surgery-millford-green",
            "clinic-millford",
            "clinic-ashby-vale",
        ],
    },
    ServiceDef {
        id: "podiatry",
        rate_per_1000: 10.0,
        sites: &["hlc-westholm", "hlc-northgate", "hlc-kingsbridge", "hlc-ashby-vale", "clinic-millford", "clinic-ashby-vale", "surgery-westholm"],
    },
    ServiceDef { id: "respiratory", rate_per_1000: 0.4, sites: &[HOSPITAL, "hlc-northgate"] },
    ServiceDef { id: "speech-language", rate_per_1000: 0.15, sites: &[HOSPITAL, REHAB] },
    ServiceDef {
        id: "wound-care",
        rate_per_1000: 2.0,
        sites: &[
            "hlc-westholm",
            "hlc-northgate",
            "hlc-kingsbridge",
            "hlc-ashby-vale",
            "surgery-westholm",
            "surgery-eastbrook",
            "surgery-millford-green",
            "clinic-millford",
            "clinic-ashby-vale",
        ],
    },
    ServiceDef { id: "pulmonary-rehab", rate_per_1000: 0.2, sites: &[REHAB, "leisure-northgate"] },
    ServiceDef { id: "diabetes-education", rate_per_1000: 0.25, sites: &["community-eastbrook", "hlc-kingsbridge", "leisure-kingsbridge"] },
    ServiceDef { id: "palliative-care", rate_per_1000: 0.12, sites: &[HOSPITAL, "hlc-northgate"] },
];

/// How much more likely a site in the patient's own locality is chosen.
const OWN_LOCALITY_WEIGHT: f64 = 1.25;
/// Distance (km) at which a site's pull has fallen to a quarter.
const HALF_PULL_KM: f64 = 4.0;
/// Chance that a zone with ten or more contacts for a service is split between two sites.
const SPLIT_CHANCE: f64 = 0.2;

/// One row of `contacts.csv`.
#[derive(Debug, Clone)]
pub struct ContactRow {
    /// Zone id.
    pub zone_id: String,
    /// Service id.
    pub service: &'static str,
    /// Site id.
    pub site: &'static str,
    /// Contacts a year.
    pub contacts: u64,
}

/// The rows and the share of contacts outside the patient's locality.
#[derive(Debug, Clone)]
pub struct Contacts {
    /// Rows by zone, service (catalogue order) and site.
    pub rows: Vec<ContactRow>,
    /// Contacts per year in all.
    pub total: u64,
    /// Share of contacts at a site outside the patient's own locality.
    pub out_of_locality_share: f64,
}

/// Generates the contacts.
pub fn build(zones: &ZoneSet, sites: &[DemoSite]) -> Contacts {
    let mut rng = SplitMix64::stream("contacts");
    let site_by_id: BTreeMap<&str, &DemoSite> = sites.iter().map(|s| (s.id, s)).collect();
    let mut rows = Vec::new();
    let (mut total, mut outside) = (0u64, 0u64);
    for z in &zones.zones {
        for svc in &SERVICES {
            let count = rng.poisson(svc.rate_per_1000 * z.population as f64 / 1000.0);
            if count == 0 {
                continue;
            }
            let offered: Vec<&DemoSite> = svc.sites.iter().filter_map(|id| site_by_id.get(id).copied()).collect();
            let weights: Vec<f64> = offered
                .iter()
                .map(|s| {
                    let km = dist(s.point_m, z.point_m) / 1000.0;
                    let own = if s.locality == z.locality { OWN_LOCALITY_WEIGHT } else { 1.0 };
                    own / (1.0 + km / HALF_PULL_KM).powi(2)
                })
                .collect();
            let Some(first) = rng.weighted(&weights) else { continue };
            let mut shares: BTreeMap<&'static str, u64> = BTreeMap::new();
            let mut second = None;
            if count >= 10 && offered.len() > 1 && rng.chance(SPLIT_CHANCE) {
                let mut w2 = weights.clone();
                w2[first] = 0.0;
                second = rng.weighted(&w2);
            }
            match second {
                Some(k) => {
                    let moved = ((count as f64) * rng.range(0.15, 0.45)).round().max(1.0) as u64;
                    shares.insert(offered[first].id, count - moved);
                    *shares.entry(offered[k].id).or_insert(0) += moved;
                }
                None => {
                    shares.insert(offered[first].id, count);
                }
            }
            for (site, n) in shares {
                if n == 0 {
                    continue;
                }
                total += n;
                if site_by_id.get(site).is_some_and(|s| s.locality != z.locality) {
                    outside += n;
                }
                rows.push(ContactRow { zone_id: z.id.clone(), service: svc.id, site, contacts: n });
            }
        }
    }
    let out_of_locality_share = if total > 0 { outside as f64 / total as f64 } else { 0.0 };
    Contacts { rows, total, out_of_locality_share }
}

/// `contacts.csv`.
pub fn csv(c: &Contacts) -> String {
    let mut out = String::from("zone_id,service,current_site,contacts_per_year\n");
    for r in &c.rows {
        out.push_str(&format!("{},{},{},{}\n", r.zone_id, r.service, r.site, r.contacts));
    }
    out
}
