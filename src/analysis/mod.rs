//! Analysis of a scenario on a region's precomputed travel times: which site
//! each resident would use, coverage, distances, patient journeys before and
//! after, site loads; and the comparison of two scenarios. Everything here is
//! array work on the matrices, fast enough to rerun on every edit.

pub mod age_bands;
pub mod assign;
pub mod compare;
pub mod coverage;
pub mod demand;
pub mod equity;
pub mod journeys;
pub mod loads;
pub mod optimise;
pub mod phases;
pub mod placement;

use crate::input::contacts::Contact;
use crate::model::Site;
use crate::plan::rules::{Violation, check};
use crate::plan::scenario::Scenario;
use crate::region::Region;
use crate::travel::{Mode, TravelTimes};
use assign::{Choice, Geography, assign, nearest};
use coverage::{Cover, cover};
use journeys::Journey;
use loads::SiteLoad;

/// Metres in a statute mile.
pub const METRES_PER_MILE: f64 = 1_609.344;

/// What a coverage figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// The nearest Healthy Living Centre, whatever it offers (the nearest
    /// site of any kind while the scenario has no HLC: [`NearestOf`]).
    AnyHlc,
    /// One service (index in the scenario), under the tier rules.
    Service(usize),
}

/// What the "nearest HLC" figures of an evaluation are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NearestOf {
    /// The scenario's HLCs.
    Hlc,
    /// Every site, since the scenario has no HLC yet (a place whose sites
    /// come from OSM tags or a list of practices, say): the figures say so.
    AnySite,
}

/// Everything worked out for one scenario.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The scenario's name.
    pub name: String,
    /// Modes evaluated, in table order.
    pub modes: Vec<Mode>,
    /// `[service][mode][zone]` choices.
    pub choices: Vec<Vec<Vec<Choice>>>,
    /// `[mode][zone]`: the nearest HLC (the nearest site of any kind when
    /// there is none: see `nearest_of`).
    pub any_hlc: Vec<Vec<Choice>>,
    /// Whether `any_hlc` is about the HLCs or, with none, every site.
    pub nearest_of: NearestOf,
    /// Tier-rule violations.
    pub violations: Vec<Violation>,
    /// Journeys of the contacts (before: their current site).
    pub journeys: Vec<Journey>,
    /// Population and contacts per site and service.
    pub loads: Vec<SiteLoad>,
    /// Region facts used.
    pub geo: Geography,
    /// The scenario's Healthy Living Centres ([`Scenario::hlc_sites`]).
    pub hlcs: Vec<usize>,
}

impl Evaluation {
    /// Choices for a target and mode index.
    pub fn choices_of(&self, target: Target, k: usize) -> &[Choice] {
        match target {
            Target::AnyHlc => &self.any_hlc[k],
            Target::Service(s) => &self.choices[s][k],
        }
    }
    /// Whether the "nearest HLC" figures stand for the nearest site of any
    /// kind, the scenario having no HLC yet.
    pub fn no_hlc(&self) -> bool {
        self.nearest_of == NearestOf::AnySite
    }
    /// Index of a mode in `modes`.
    pub fn mode_index(&self, m: Mode) -> Option<usize> {
        self.modes.iter().position(|x| *x == m)
    }
    /// Coverage for a target, mode and locality (`None`: whole region).
    pub fn cover(&self, region: &Region, scenario: &Scenario, target: Target, mode: Mode, locality: Option<usize>) -> Option<Cover> {
        let k = self.mode_index(mode)?;
        Some(cover(self.choices_of(target, k), &region.zones, &self.geo.zone_locality, locality, scenario.thresholds.minutes(mode)))
    }
    /// Cumulative population within t minutes (t = 0..=90).
    pub fn curve(&self, region: &Region, target: Target, mode: Mode, locality: Option<usize>) -> Option<Vec<f64>> {
        let k = self.mode_index(mode)?;
        Some(coverage::curve(self.choices_of(target, k), &region.zones, &self.geo.zone_locality, locality))
    }
    /// Population-weighted mean driving distance (car off peak), miles.
    pub fn mean_drive_miles(&self, region: &Region, target: Target) -> Option<f64> {
        let k = self.mode_index(Mode::CarOffpeak)?;
        coverage::mean_miles(self.choices_of(target, k), &region.zones)
    }
    /// Contact-weighted mean driving distance after (car off peak), miles,
    /// and before, over the journeys that have both.
    pub fn contact_drive_miles(&self) -> Option<(f64, f64)> {
        journeys::contact_drive_miles(&self.journeys)
    }
}

/// Evaluates a scenario resolved on `sites` (the study's: the region's, then
/// any candidate sites added; `tt` and `geo` cover the same list). `before`
/// of each journey is the contact's current site.
pub fn evaluate(scenario: &Scenario, region: &Region, sites: &[Site], tt: &TravelTimes, geo: &Geography, contacts: &[Contact]) -> Evaluation {
    evaluate_reusing(scenario, region, sites, tt, geo, contacts, None)
}

/// As [`evaluate`], taking each zone's nearest HLC from `previous` when it
/// was worked out for the same HLCs (or the same "any site") and modes. The
/// caller vouches that `previous` was evaluated on the same region, sites
/// and travel times. An edit of a service then costs only that service's
/// array work: at 6,000 zones x 300 sites the nearest HLC of every zone
/// by every mode is most of an evaluation.
pub fn evaluate_reusing(
    scenario: &Scenario,
    region: &Region,
    sites: &[Site],
    tt: &TravelTimes,
    geo: &Geography,
    contacts: &[Contact],
    previous: Option<&Evaluation>,
) -> Evaluation {
    let modes = tt.modes();
    let hlcs = scenario.hlc_sites();
    let geo = &geo.under(scenario);
    let choices = assign(scenario, region, tt, geo, &modes);
    // No HLC yet: the nearest site of any kind stands in, and says so.
    let (nearest_of, pool): (NearestOf, Vec<usize>) =
        if hlcs.is_empty() { (NearestOf::AnySite, (0..sites.len()).collect()) } else { (NearestOf::Hlc, hlcs.clone()) };
    let any_hlc: Vec<Vec<Choice>> = match previous {
        Some(p) if p.hlcs == hlcs && p.nearest_of == nearest_of && p.modes == modes => p.any_hlc.clone(),
        _ => modes
            .iter()
            .map(|&m| match tt.get(m) {
                Some(mx) => (0..region.zones.len()).map(|z| nearest(mx, z, pool.iter().copied())).collect(),
                None => vec![Choice::NONE; region.zones.len()],
            })
            .collect(),
    };
    let service_of = |id: &str| scenario.service(id);
    let before = |ci: usize, _si: usize, k: usize| -> Choice {
        let c = &contacts[ci];
        match tt.get(modes[k]) {
            Some(m) => nearest(m, c.zone, [c.current_site]),
            None => Choice::NONE,
        }
    };
    let journeys = journeys::journeys(contacts, &service_of, &modes, &before, &choices);
    let loads = loads::site_loads(scenario, region, sites, &modes, &choices, &journeys);
    let violations = check(scenario, region, sites);
    Evaluation { name: scenario.name.clone(), modes, choices, any_hlc, nearest_of, violations, journeys, loads, geo: geo.clone(), hlcs }
}
