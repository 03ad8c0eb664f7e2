//! Plans in phases: a sequence of scenarios (today, then each phase as it
//! takes effect), each judged on its own and against today and the phase
//! before. A phase's figures are those of an evaluation of its scenario
//! alone; this module only lines them up and checks the order of the dates.

use crate::analysis::Evaluation;
use crate::analysis::equity::{self, GroupAccess, Groupings, Side};
use crate::plan::scenario::{Scenario, phase_date};
use crate::region::Region;
use crate::travel::Mode;

/// One phase's headline figures by one mode.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseFigures {
    /// The mode.
    pub mode: Mode,
    /// The phase's threshold for the mode, minutes.
    pub threshold_min: f64,
    /// Share of residents within the threshold of the nearest HLC (or site).
    pub hlc_share: Option<f64>,
    /// All residents' access to the services (use-weighted), as in `equity.csv`'s "all" row.
    pub services: Option<GroupAccess>,
    /// Tier-rule violations of the phase.
    pub violations: usize,
}

/// The figures of one phase, every mode: the same numbers `evaluate`
/// writes for its scenario alone (coverage.csv's nearest-HLC "All" row,
/// equity.csv's "all" row).
pub fn phase_figures(region: &Region, s: &Scenario, e: &Evaluation, weights: &[f64]) -> Vec<PhaseFigures> {
    let all = Groupings { list: vec![equity::everyone(&region.zones)], proposed: true, longer_by_min: 0.0 };
    let rows = equity::table(region, &all, Side { scenario: s, evaluation: e, weights }, None);
    e.modes
        .iter()
        .map(|&m| PhaseFigures {
            mode: m,
            threshold_min: s.thresholds.minutes(m),
            hlc_share: e.cover(region, s, crate::analysis::Target::AnyHlc, m, None).filter(|c| c.population > 0.0).map(|c| c.share()),
            services: rows.iter().find(|r| r.mode == m).and_then(|r| r.before),
            violations: e.violations.len(),
        })
        .collect()
}

/// Checks that the phases' dates (where given) run forward: the index of
/// the first phase dated before an earlier one, with the message.
pub fn check_order(dates: &[Option<&str>]) -> Result<(), (usize, String)> {
    let mut last: Option<((u32, u32, u32), &str)> = None;
    for (i, d) in dates.iter().enumerate() {
        let Some(d) = d else { continue };
        let k = phase_date(d).map_err(|m| (i, m))?;
        if let Some((lk, ld)) = last
            && k < lk
        {
            return Err((i, format!("the phase dated {d} comes after one dated {ld}: give the scenarios in the order they take effect")));
        }
        last = Some((k, d));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_must_run_forward() {
        assert!(check_order(&[None, Some("2027-04"), Some("2029")]).is_ok());
        let (i, m) = check_order(&[Some("2026-12-01"), Some("2029-01-01"), Some("2027-04")]).unwrap_err();
        assert_eq!(i, 2);
        assert!(m.contains("dated 2027-04 comes after one dated 2029-01-01"), "{m}");
        assert_eq!(check_order(&[Some("2027-13")]).unwrap_err().0, 0);
    }
}
