//! Tier rules, checked on every scenario: tier 1 in every locality (at its
//! HLC), tier 2 at least once in every locality pair (a locality in no pair
//! counts as a pair of its own), tier 3 somewhere.
//! Violations are plain sentences a planner can act on.

use crate::model::Site;
use crate::plan::scenario::Scenario;
use crate::plan::services::Tier;
use crate::region::Region;

/// One broken rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The service concerned (index in the scenario).
    pub service: usize,
    /// Localities concerned (region indices), for highlighting on the map.
    pub localities: Vec<usize>,
    /// What is wrong and what would fix it.
    pub message: String,
}

/// The locality of the region each of `sites` stands in: its `locality`
/// field, or the locality polygon containing it.
pub fn site_localities(region: &Region, sites: &[Site]) -> Vec<Option<usize>> {
    sites
        .iter()
        .map(|s| {
            s.locality
                .as_deref()
                .and_then(|n| region.localities.iter().position(|l| l.name == n))
                .or_else(|| crate::input::localities::locality_of(s.point, &region.localities))
        })
        .collect()
}

/// Every violation of the tier rules in `scenario` (resolved on `sites`;
/// sites stand in the localities the scenario gives them). A service offered
/// nowhere is one violation, "not yet offered anywhere", whatever its tier.
pub fn check(scenario: &Scenario, region: &Region, sites: &[Site]) -> Vec<Violation> {
    let site_loc = scenario.site_localities(region, sites);
    let mut out = Vec::new();
    for (si, s) in scenario.services.iter().enumerate() {
        let offered = s.sites();
        if offered.is_empty() {
            out.push(Violation { service: si, localities: vec![], message: not_offered_message(&s.name, s.tier) });
            continue;
        }
        let in_loc = |li: usize| offered.iter().any(|&x| site_loc[x] == Some(li));
        match s.tier {
            t if t == Tier::ONE => {
                for (li, l) in region.localities.iter().enumerate() {
                    match scenario.hlc[li] {
                        Some(h) if s.offered[h] => {}
                        Some(h) if in_loc(li) => out.push(Violation {
                            service: si,
                            localities: vec![li],
                            message: format!("{} (tier 1) is offered in {} but not at its HLC, {}", s.name, l.name, sites[h].name),
                        }),
                        Some(h) => out.push(Violation {
                            service: si,
                            localities: vec![li],
                            message: format!("{} (tier 1) is not offered in {}: add it at {}", s.name, l.name, sites[h].name),
                        }),
                        None if in_loc(li) => {}
                        None => out.push(Violation {
                            service: si,
                            localities: vec![li],
                            message: format!("{} (tier 1) is not offered in {}, which has no HLC", s.name, l.name),
                        }),
                    }
                }
            }
            t if t == Tier::TWO => {
                for &(a, b) in &scenario.pairs {
                    if !in_loc(a) && !in_loc(b) {
                        out.push(Violation {
                            service: si,
                            localities: vec![a, b],
                            message: format!("{} (tier 2) is offered in neither {} nor {}", s.name, region.localities[a].name, region.localities[b].name),
                        });
                    }
                }
                // A locality in no pair is a pair of its own: the service
                // must be offered there, or the locality paired.
                for li in scenario.unpaired(region.localities.len()) {
                    if !in_loc(li) {
                        let name = &region.localities[li].name;
                        out.push(Violation {
                            service: si,
                            localities: vec![li],
                            message: format!(
                                "{} (tier 2) is not offered in {name}, which is in no locality pair: offer it there or pair {name} with a neighbour",
                                s.name
                            ),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// What the rules say of a service offered at no site.
pub fn not_offered_message(name: &str, tier: Tier) -> String {
    format!("{name} (tier {}) is not yet offered anywhere: tick the sites that offer it", tier.number())
}
