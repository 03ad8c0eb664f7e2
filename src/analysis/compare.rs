//! Comparing two scenarios on the same region: both evaluated, and every
//! patient journey taken from the baseline's site to the proposal's. Where
//! the baseline still offers a service at the site a patient uses today,
//! "before" is that site (the baseline is today); otherwise it is the site
//! the baseline's rules would send them to.

use crate::analysis::assign::Choice;
use crate::analysis::journeys::{Journey, journeys};
use crate::analysis::{Evaluation, Target};
use crate::input::contacts::Contact;
use crate::plan::scenario::Scenario;
use crate::travel::TravelTimes;

/// Two evaluations side by side.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The baseline ("before").
    pub base: Evaluation,
    /// The proposal ("after").
    pub proposed: Evaluation,
    /// Each contact row from the baseline's site to the proposal's.
    pub journeys: Vec<Journey>,
}

/// Builds the comparison of two evaluated scenarios.
pub fn compare(base_s: &Scenario, base: Evaluation, prop_s: &Scenario, proposed: Evaluation, tt: &TravelTimes, contacts: &[Contact]) -> Comparison {
    let modes = proposed.modes.clone();
    let service_of = |id: &str| prop_s.service(id);
    let before = |ci: usize, si: usize, k: usize| -> Choice {
        let c = &contacts[ci];
        let current = || tt.get(modes[k]).map_or(Choice::NONE, |m| crate::analysis::assign::nearest(m, c.zone, [c.current_site]));
        match base_s.service(&prop_s.services[si].id) {
            // The baseline still offers the service where the patient is seen
            // today: they keep going there.
            Some(bi) if base_s.services[bi].offered.get(c.current_site).copied().unwrap_or(false) => current(),
            Some(bi) => base.choices[bi].get(k).map_or(Choice::NONE, |v| v[c.zone]),
            None => current(),
        }
    };
    let js = journeys(contacts, &service_of, &modes, &before, &proposed.choices);
    Comparison { base, proposed, journeys: js }
}

impl Comparison {
    /// Contact-weighted mean driving distance (car off peak) of the journeys
    /// before and after, miles, over the rows that have both.
    pub fn drive_miles(&self) -> Option<(f64, f64)> {
        crate::analysis::journeys::contact_drive_miles(&self.journeys)
    }
}

/// The target in the baseline `base_s` matching a target of the proposal
/// `prop_s` (services matched by id).
pub fn matching_target(base_s: &Scenario, prop_s: &Scenario, t: Target) -> Option<Target> {
    match t {
        Target::AnyHlc => Some(Target::AnyHlc),
        Target::Service(si) => base_s.service(&prop_s.services.get(si)?.id).map(Target::Service),
    }
}
