//! One view of a study as a map to publish: a scenario (and, for a
//! comparison, the one before it), a service or the nearest HLC, a mode,
//! and before, after or the difference. The app's File > Export and
//! `accessplan map` both turn a view into a [`MapSpec`] here, so the two
//! draw the same map (same values, classes, legend, title and credits).

use crate::analysis::compare::matching_target;
use crate::analysis::{Evaluation, Target};
use crate::export::map_svg::{MapSpec, default_credits};
use crate::export::style::Scale;
use crate::plan::scenario::Scenario;
use crate::region::Region;
use crate::travel::Mode;

/// Which times a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The "before" scenario.
    Before,
    /// The scenario (being edited, or the one given).
    After,
    /// After minus before.
    Difference,
}

impl View {
    /// Every view, as named on the command line.
    pub const ALL: [View; 3] = [View::Before, View::After, View::Difference];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            View::Before => "before",
            View::After => "after",
            View::Difference => "difference",
        }
    }
}

impl std::str::FromStr for View {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        View::ALL
            .into_iter()
            .find(|v| v.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("unknown view '{s}' (expected {})", View::ALL.map(View::name).join(", ")))
    }
}

/// A scenario evaluated on a region, and the one before it if compared.
#[derive(Debug, Clone, Copy)]
pub struct StudyView<'a> {
    /// The region.
    pub region: &'a Region,
    /// The scenario shown as "after".
    pub after: &'a Scenario,
    /// Its evaluation.
    pub after_eval: &'a Evaluation,
    /// The "before" scenario and its evaluation, if there is one.
    pub before: Option<(&'a Scenario, &'a Evaluation)>,
}

impl StudyView<'_> {
    /// The before scenario, or the after one when there is none.
    pub fn before_scenario(&self) -> &Scenario {
        self.before.map_or(self.after, |(s, _)| s)
    }

    /// Minutes per zone for a target, mode and view (`None`: no journey).
    /// Without a before scenario, "before" is the after one and the
    /// difference is nought everywhere.
    pub fn zone_minutes(&self, target: Target, mode: Mode, view: View) -> Vec<Option<f64>> {
        let n = self.region.zones.len();
        let get = |e: &Evaluation, t: Option<Target>| -> Vec<Option<f64>> {
            match (t, e.mode_index(mode)) {
                (Some(t), Some(k)) => e.choices_of(t, k).iter().map(|c| c.minutes()).collect(),
                _ => vec![None; n],
            }
        };
        let after = get(self.after_eval, Some(target));
        let before_target = || matching_target(self.before_scenario(), self.after, target);
        match (view, self.before) {
            (View::After, _) | (View::Before, None) => after,
            (View::Before, Some((_, b))) => get(b, before_target()),
            (View::Difference, Some((_, b))) => get(b, before_target()).iter().zip(&after).map(|(b, a)| Some((*a)? - (*b)?)).collect(),
            (View::Difference, None) => vec![Some(0.0); n],
        }
    }

    /// The map of a view, `width` x `height` pixels, titled `title` (empty:
    /// "Travel time to ..."); `None` when the target is not a service of
    /// the scenario.
    pub fn map_spec(&self, target: Target, mode: Mode, view: View, width: u32, height: u32, title: &str) -> Option<MapSpec> {
        let (s, region) = (self.after, self.region);
        let what = match target {
            Target::AnyHlc if self.after_eval.no_hlc() => "the nearest site of any kind".to_string(),
            Target::AnyHlc => "the nearest Healthy Living Centre".to_string(),
            Target::Service(i) => s.services.get(i)?.name.clone(),
        };
        let mut when = match view {
            View::Before => format!("before ({})", self.before_scenario().name),
            View::After => format!("after ({})", s.name),
            View::Difference => "change, after minus before".to_string(),
        };
        if target == Target::AnyHlc && self.after_eval.no_hlc() {
            when.push_str(" (no HLC defined yet)");
        }
        let diverging = view == View::Difference;
        let scale = if diverging { Scale::change() } else { Scale::minutes() };
        let legend = if diverging { "Change in minutes (blue: quicker)" } else { "Minutes" }.to_string();
        let highlight = match target {
            Target::Service(i) => s.services[i].sites().into_iter().map(|x| (x, s.services[i].tier.number())).collect(),
            Target::AnyHlc => s.hlc_sites().into_iter().map(|i| (i, 0)).collect(),
        };
        let mut credits = default_credits(region);
        if !region.uses_osm && region.inputs.osm.is_some() {
            credits = format!("Synthetic demo region (fictional). {credits}");
        }
        Some(MapSpec {
            title: if title.trim().is_empty() { format!("Travel time to {what}") } else { title.to_string() },
            subtitle: format!("{}, {when}", mode.title()),
            width_px: width,
            height_px: height,
            values: self.zone_minutes(target, mode, view),
            scale,
            legend_title: legend,
            highlight_sites: highlight,
            hlcs: s.hlc_sites(),
            credits,
            isochrone: None,
        })
    }
}
