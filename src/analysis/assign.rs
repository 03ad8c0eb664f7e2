//! Which site a resident would use for each service, by each mode: the
//! tier rules applied to the precomputed zones x sites matrices. Tier 1:
//! the nearest offering site in the zone's own locality; tier 2: the nearest
//! in its locality pair; tier 3 (or free choice): the nearest anywhere. When
//! the rule's area offers nothing, the nearest offering site anywhere is
//! used (and the tier-rule check reports the gap).

use crate::model::Site;
use crate::plan::rules::site_localities;
use crate::plan::scenario::Scenario;
use crate::plan::services::Tier;
use crate::region::Region;
use crate::travel::{Mode, ModeMatrix, TravelTimes};

/// No site (nothing offered, or nothing reachable).
pub const NO_SITE: u32 = u32::MAX;

/// The site a zone uses and the journey to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// Site index, or `NO_SITE`.
    pub site: u32,
    /// Door-to-door time, seconds (`INFINITY` when none).
    pub time_s: f32,
    /// Length of the journey, metres (0 when none or unknown).
    pub length_m: f32,
}

impl Choice {
    /// No site.
    pub const NONE: Choice = Choice { site: NO_SITE, time_s: f32::INFINITY, length_m: 0.0 };
    /// The site index, if any.
    pub fn site(&self) -> Option<usize> {
        (self.site != NO_SITE).then_some(self.site as usize)
    }
    /// The time in minutes, if any.
    pub fn minutes(&self) -> Option<f64> {
        self.time_s.is_finite().then_some(self.time_s as f64 / 60.0)
    }
}

/// Facts about the region the assignment needs, computed once.
#[derive(Debug, Clone)]
pub struct Geography {
    /// Each zone's locality index.
    pub zone_locality: Vec<Option<usize>>,
    /// Each site's locality index.
    pub site_locality: Vec<Option<usize>>,
}

impl Geography {
    /// Works out localities of the region's zones and of `sites` (the
    /// sites the study plans on).
    pub fn of(region: &Region, sites: &[Site]) -> Geography {
        let zone_locality = region.zones.iter().map(|z| z.locality.as_deref().and_then(|n| region.localities.iter().position(|l| l.name == n))).collect();
        Geography { zone_locality, site_locality: site_localities(region, sites) }
    }

    /// The same with the localities `scenario` gives sites (its `[[site]]`
    /// settings) over their own: what its evaluation and placements use.
    pub fn under(&self, scenario: &Scenario) -> Geography {
        let mut g = self.clone();
        for (&i, o) in &scenario.site_overrides {
            if let (Some(l), Some(x)) = (o.locality, g.site_locality.get_mut(i)) {
                *x = Some(l);
            }
        }
        g
    }
}

/// The nearest of `sites` from zone `z` by matrix `m`.
pub fn nearest(m: ModeMatrix, z: usize, sites: impl IntoIterator<Item = usize>) -> Choice {
    let mut best = Choice::NONE;
    let row = z * m.destinations();
    let (times, lengths) = (m.times_s(), m.lengths_m());
    for s in sites {
        let t = times[row + s];
        if t < best.time_s {
            best = Choice { site: s as u32, time_s: t, length_m: lengths.map_or(0.0, |l| l[row + s]) };
        }
    }
    best
}

/// The sites a zone in locality `loc` may use for a service, under the rules.
pub fn eligible(scenario: &Scenario, geo: &Geography, service: usize, loc: Option<usize>) -> Vec<usize> {
    let s = &scenario.services[service];
    let offered = s.sites();
    let Some(loc) = loc else { return offered };
    if scenario.free_choice || s.tier == Tier::THREE {
        return offered;
    }
    let area: Vec<usize> = if s.tier == Tier::ONE {
        vec![loc]
    } else {
        let mut a = vec![loc];
        a.extend(scenario.pairs.iter().filter_map(|&(x, y)| {
            if x == loc {
                Some(y)
            } else if y == loc {
                Some(x)
            } else {
                None
            }
        }));
        a
    };
    let local: Vec<usize> = offered.iter().copied().filter(|&x| geo.site_locality[x].is_some_and(|l| area.contains(&l))).collect();
    if local.is_empty() { offered } else { local }
}

/// Choices per service, per mode, per zone: `[service][mode][zone]`.
pub fn assign(scenario: &Scenario, region: &Region, tt: &TravelTimes, geo: &Geography, modes: &[Mode]) -> Vec<Vec<Vec<Choice>>> {
    use rayon::prelude::*;
    let n_loc = region.localities.len();
    (0..scenario.services.len())
        .into_par_iter()
        .map(|si| {
            // Eligible sets depend only on the zone's locality: compute once per locality.
            let sets: Vec<Vec<usize>> = (0..=n_loc).map(|l| eligible(scenario, geo, si, (l < n_loc).then_some(l))).collect();
            modes
                .iter()
                .map(|&mode| {
                    let Some(m) = tt.get(mode) else { return vec![Choice::NONE; region.zones.len()] };
                    (0..region.zones.len()).map(|z| nearest(m, z, sets[geo.zone_locality[z].unwrap_or(n_loc)].iter().copied())).collect()
                })
                .collect()
        })
        .collect()
}
