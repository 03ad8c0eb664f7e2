//! The outputs of an evaluation or a comparison besides the CSV tables: the
//! GeoJSON layers (see `layers`) and one self-contained HTML report that can
//! be emailed. The report holds no web address, script, font or image file:
//! its style is inline CSS and its charts and maps are inline SVG. (A study
//! without a street network gets a shorter report: a banner with where to
//! download one, the only web addresses, then its places, plan and rules.)
//!
//! It shows, in order: a plain-language explainer of tiers and modes; what
//! was compared; headline figures; coverage in the shape of the Medway table
//! (share of residents within each mode's threshold of the nearest HLC, and
//! of where each service is offered), by locality and by service; average
//! driving distances; cumulative curves; a map per mode; patient-journey
//! summaries by mode, locality, service and tier; the worst losses; site
//! loads against capacity; tier-rule violations; inputs and data credits.
//! Counts of 1 to 4 are shown as "<5" when suppression is on, and figures
//! that would reveal a suppressed count are hidden. Coverage figures sit in
//! cells with stable attributes (`class="share"`, `data-target`,
//! `data-mode`, `data-locality`, `data-when`) so tests and tools can read
//! them back.

mod coverage;
mod equity;
mod figures;
mod intro;
mod journeys;
mod sites;

use intro::credits;

use std::fmt::Write as _;

use crate::analysis::compare::Comparison;
use crate::analysis::coverage::{CURVE_MAX_MIN, Cover};
use crate::analysis::journeys::{Journey, JourneySummary, summarise};
use crate::analysis::loads::{catchment_mode, over_capacity};
use crate::analysis::{Evaluation, Target};
use crate::export::layers;
use crate::export::map_svg::{self, MapSpec, esc};
// The report prints whole numbers typeset (true minus, a dash for none).
use crate::export::style::{
    FONT_STACK, NO_HLC_CELL, NO_HLC_NOTE, NOT_OFFERED, Scale, fmt_int_typeset as fmt_int, fmt_num, mode_explained, mode_phrase, one_decimal, pct,
};
use crate::export::tables::count_text;
use crate::model::Site;
use crate::plan::Scenario;
use crate::plan::services::Tier;
use crate::region::Region;
use crate::study::Study;
use crate::travel::Mode;

/// The data credits of a region's inputs (OpenStreetMap, census, timetables), in one line.
pub fn credits_text(r: &Region) -> String {
    credits(r)
}

/// Width of the maps in the report, pixels.
pub const REPORT_MAP_WIDTH_PX: u32 = 900;
/// Height of the maps in the report, pixels.
pub const REPORT_MAP_HEIGHT_PX: u32 = 620;
/// Number of worst losses listed.
pub const WORST_LOSSES: usize = 10;

/// Output files (name, bytes) of one evaluated scenario: GeoJSON layers and `report.html`.
pub fn evaluation_outputs(study: &Study, e: &Evaluation, suppress: bool) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = layers::evaluation_layers(&study.region, study.sites(), &study.scenario, e);
    out.push(("report.html", evaluation_report(study, e, suppress).into_bytes()));
    out
}

/// Output files (name, bytes) of a comparison: GeoJSON layers and `report.html`.
pub fn comparison_outputs(study: &Study, proposed: &Scenario, c: &Comparison, suppress: bool) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = layers::comparison_layers(&study.region, study.sites(), &study.scenario, proposed, c);
    out.push(("report.html", comparison_report(study, proposed, c, suppress).into_bytes()));
    out
}

/// The HTML report of one scenario: the scenario as "after", today's sites
/// (from the contacts) as "before" for patient journeys.
pub fn evaluation_report(study: &Study, e: &Evaluation, suppress: bool) -> String {
    View::new(study, None, Side { s: &study.scenario, e }, &e.journeys, suppress).html()
}

/// The HTML report of a comparison: `c.base` (the study's scenario) before,
/// `c.proposed` (`proposed`) after.
pub fn comparison_report(study: &Study, proposed: &Scenario, c: &Comparison, suppress: bool) -> String {
    View::new(study, Some(Side { s: &study.scenario, e: &c.base }), Side { s: proposed, e: &c.proposed }, &c.journeys, suppress).html()
}

/// A change with its sign, one decimal; "0.0" for no change.
fn signed(x: f64) -> String {
    if x.abs() < 0.05 { "0.0".into() } else { format!("{:+.1}", x).replace('-', "−") }
}

/// CSS class of a change where positive is good.
fn tone(x: f64) -> &'static str {
    if x >= 0.05 {
        "good"
    } else if x <= -0.05 {
        "bad"
    } else {
        ""
    }
}

/// A count for publication, HTML-escaped: "&lt;5" for 1 to 4 when suppressing.
fn count(n: f64, suppress: bool) -> String {
    if is_suppressed(n, suppress) { esc(&count_text(n, suppress)) } else { fmt_int(n) }
}

fn is_suppressed(n: f64, suppress: bool) -> bool {
    count_text(n, suppress).starts_with('<')
}

/// One scenario and its evaluation.
#[derive(Clone, Copy)]
struct Side<'a> {
    s: &'a Scenario,
    e: &'a Evaluation,
}

/// Everything one report shows.
struct View<'a> {
    study: &'a Study,
    region: &'a Region,
    /// The study's sites (the region's, then candidate sites added).
    sites: &'a [Site],
    before: Option<Side<'a>>,
    after: Side<'a>,
    journeys: &'a [Journey],
    suppress: bool,
    /// Contacts a year per service id, for weighting services.
    use_weights: std::collections::BTreeMap<String, f64>,
    /// The groups of residents and their access (the equality section), or
    /// why they could not be formed.
    equity: Result<(crate::analysis::equity::Groupings, Vec<crate::analysis::equity::EquityRow>), String>,
}

/// Colours of the chart lines (colour-blind safe).
const BEFORE_COLOUR: &str = "#e69f00";
const AFTER_COLOUR: &str = "#0072b2";
const HLC_COLOUR: &str = "#555555";

/// The report's style sheet (FONTS stands for the font stack).
const CSS: &str = include_str!("../../../assets/report.css");

impl<'a> View<'a> {
    fn new(study: &'a Study, before: Option<Side<'a>>, after: Side<'a>, journeys: &'a [Journey], suppress: bool) -> Self {
        let use_weights = study.use_by_service();
        let equity = match before {
            Some(b) => study.equity_table((b.s, b.e), Some((after.s, after.e))),
            None => study.equity_table((after.s, after.e), None),
        }
        .map_err(|e| e.to_string());
        View { study, region: &study.region, sites: study.sites(), before, after, journeys, suppress, use_weights, equity }
    }

    fn is_comparison(&self) -> bool {
        self.before.is_some()
    }

    fn modes(&self) -> &[Mode] {
        &self.after.e.modes
    }

    /// The mode of the journey summaries and catchments: car off peak, or the first.
    fn main_mode(&self) -> Option<(usize, Mode)> {
        let k = catchment_mode(self.modes());
        self.modes().get(k).map(|m| (k, *m))
    }

    /// The public transport in words (`bus`, or `public transport (bus,
    /// train)` when rail runs too), when it is one of the modes.
    fn pt_words(&self) -> Option<String> {
        if !self.modes().contains(&Mode::Bus) {
            return None;
        }
        Some(self.study.tt.timetable.as_ref().map_or_else(|| "bus".to_string(), |t| t.mode_words()))
    }

    fn threshold(&self, m: Mode) -> f64 {
        self.after.s.thresholds.minutes(m)
    }

    fn before_target(&self, t: Target) -> Option<Target> {
        let b = self.before?;
        match t {
            Target::AnyHlc => Some(Target::AnyHlc),
            Target::Service(i) => b.s.service(&self.after.s.services[i].id).map(Target::Service),
        }
    }

    fn cover_after(&self, t: Target, m: Mode, loc: Option<usize>) -> Option<Cover> {
        self.after.e.cover(self.region, self.after.s, t, m, loc)
    }

    fn cover_before(&self, t: Target, m: Mode, loc: Option<usize>) -> Option<Cover> {
        let b = self.before?;
        b.e.cover(self.region, b.s, self.before_target(t)?, m, loc)
    }

    /// Weights of a scenario's services: contacts a year, or 1 each when there are no contacts.
    fn weights(&self, s: &Scenario) -> Vec<f64> {
        let w: Vec<f64> = s.services.iter().map(|sv| self.use_weights.get(&sv.id).copied().unwrap_or(0.0)).collect();
        if w.iter().sum::<f64>() > 0.0 { w } else { vec![1.0; s.services.len()] }
    }

    /// Weights of a scenario's services as [`View::weights`], 0 for a
    /// service offered nowhere (it has no "where it is offered" to reach).
    fn offered_weights(&self, s: &Scenario) -> Vec<f64> {
        crate::analysis::equity::service_weights(s, &self.use_weights)
    }

    /// [`View::services_share`] over the whole region, or "not yet offered
    /// anywhere" when no service is offered at any site.
    fn services_fig(&self, side: Side, m: Mode) -> coverage::Fig {
        if side.s.services.iter().all(|s| !s.offered.contains(&true)) {
            return Err(NOT_OFFERED);
        }
        coverage::fig(self.services_share(side, m, None))
    }

    /// Share within the threshold of where each service is offered, services
    /// weighted by use (services offered nowhere left out).
    fn services_share(&self, side: Side, m: Mode, loc: Option<usize>) -> Option<f64> {
        let w = self.offered_weights(side.s);
        let (mut sw, mut acc) = (0.0, 0.0);
        for (si, wi) in w.iter().enumerate() {
            if *wi <= 0.0 {
                continue;
            }
            let c = side.e.cover(self.region, side.s, Target::Service(si), m, loc)?;
            if c.population > 0.0 {
                sw += wi;
                acc += wi * c.share();
            }
        }
        (sw > 0.0).then(|| acc / sw)
    }

    /// Cumulative share of residents within t minutes (t = 0..=90) of where
    /// each service is offered, services weighted by use.
    fn services_curve(&self, side: Side, m: Mode) -> Option<Vec<f64>> {
        let pop = self.region.population();
        if pop <= 0.0 {
            return None;
        }
        let w = self.offered_weights(side.s);
        let sw: f64 = w.iter().sum();
        if sw <= 0.0 {
            return None;
        }
        let mut acc = vec![0.0; CURVE_MAX_MIN + 1];
        for (si, wi) in w.iter().enumerate() {
            if *wi <= 0.0 {
                continue;
            }
            let c = side.e.curve(self.region, Target::Service(si), m, None)?;
            for (a, v) in acc.iter_mut().zip(c) {
                *a += wi * v / pop;
            }
        }
        Some(acc.into_iter().map(|v| v / sw).collect())
    }

    /// Per zone, the use-weighted mean change in minutes (after − before)
    /// over the services both scenarios plan, by mode index `k`.
    fn diff_per_zone(&self, k: usize) -> Vec<Option<f64>> {
        let n = self.region.zones.len();
        let Some(b) = self.before else { return vec![None; n] };
        let w = self.weights(self.after.s);
        let mut sum = vec![0.0; n];
        let mut sw = vec![0.0; n];
        for (si, wi) in w.iter().enumerate() {
            let Some(Target::Service(bi)) = self.before_target(Target::Service(si)) else { continue };
            let (Some(a), Some(bb)) = (self.after.e.choices.get(si).and_then(|v| v.get(k)), b.e.choices.get(bi).and_then(|v| v.get(k))) else { continue };
            for z in 0..n {
                if let (Some(x), Some(y)) = (a[z].minutes(), bb[z].minutes()) {
                    sum[z] += wi * (x - y);
                    sw[z] += wi;
                }
            }
        }
        (0..n).map(|z| (sw[z] > 0.0).then(|| sum[z] / sw[z])).collect()
    }

    /// Sites offering something in the "after" scenario, with the highest tier offered there.
    fn site_tiers(&self) -> Vec<(usize, u8)> {
        let mut top = vec![0u8; self.sites.len()];
        for sv in &self.after.s.services {
            for i in sv.sites() {
                if let Some(t) = top.get_mut(i) {
                    *t = (*t).max(sv.tier.number());
                }
            }
        }
        top.into_iter().enumerate().filter(|(_, t)| *t > 0).collect()
    }

    fn locality_of(&self, j: &Journey) -> Option<&str> {
        self.region.zones.get(j.zone).and_then(|z| z.locality.as_deref())
    }

    fn html(&self) -> String {
        let mut o = String::with_capacity(512 * 1024);
        let title = match self.before {
            Some(b) => format!("Access to community health services: {} compared with {}", self.after.s.name, b.s.name),
            None => format!("Access to community health services: {}", self.after.s.name),
        };
        let _ = writeln!(
            o,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>",
            esc(&title),
            CSS.replace("FONTS", FONT_STACK)
        );
        let _ = writeln!(o, "<header>\n<h1>{}</h1>", esc(&title));
        let r = self.region;
        let _ = writeln!(
            o,
            "<p class=\"meta\">Report produced on {} by accessplan {}. {} residents in {} zones; {} localities; {} candidate sites.</p>\n<p class=\"meta\">Data: {}</p>\n</header>",
            crate::transit::ServiceDate::today(),
            env!("CARGO_PKG_VERSION"),
            fmt_int(r.population()),
            fmt_int(r.zones.len() as f64),
            r.localities.len(),
            self.sites.len(),
            esc(&credits(r))
        );
        if let Some(no) = self.study.no_street_network() {
            // Nothing that needs travel times: the places, the plan and its rules.
            self.no_network_banner(&mut o, &no);
            self.explainer(&mut o);
            self.what_was_compared(&mut o);
            self.places(&mut o);
            self.violations(&mut o);
            self.inputs(&mut o);
            let _ = writeln!(o, "<footer>Produced by accessplan {}. {}</footer>\n</main>\n</body>\n</html>", env!("CARGO_PKG_VERSION"), esc(&credits(r)));
            return o;
        }
        self.explainer(&mut o);
        self.what_was_compared(&mut o);
        self.headlines(&mut o);
        self.coverage(&mut o);
        self.coverage_by_locality(&mut o);
        self.coverage_by_service(&mut o);
        self.equality(&mut o);
        self.distances(&mut o);
        self.curves(&mut o);
        self.maps(&mut o);
        self.journey_tables(&mut o);
        self.worst_losses(&mut o);
        self.loads(&mut o);
        self.violations(&mut o);
        self.inputs(&mut o);
        let _ = writeln!(o, "<footer>Produced by accessplan {}. {}</footer>\n</main>\n</body>\n</html>", env!("CARGO_PKG_VERSION"), esc(&credits(r)));
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(fmt_int(34_508.4), "34,508");
        assert_eq!(fmt_int(-1234.0), "−1,234");
        assert_eq!(signed(0.01), "0.0");
        assert_eq!(signed(2.34), "+2.3");
        assert_eq!(count(3.0, true), "&lt;5");
        assert_eq!(count(3.0, false), "3");
    }
}
