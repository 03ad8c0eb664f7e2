//! The analysis tables as CSV: coverage (the Medway table's shape), patient
//! journeys, journey summaries, site loads and tier-rule violations, for one
//! scenario or a before/after comparison. Small-number suppression (counts
//! of 1 to 4 shown as "<5") is applied where `suppress` is set.

use crate::analysis::compare::Comparison;
use crate::analysis::journeys::{Journey, summarise};
use crate::analysis::loads::over_capacity;
use crate::analysis::{Evaluation, Target};
use crate::export::style::pct;
use crate::model::Site;
use crate::plan::scenario::Scenario;
use crate::region::Region;
use crate::travel::Mode;

/// A count for publication: "<5" for 1 to 4 when suppressing.
pub fn count_text(n: f64, suppress: bool) -> String {
    if suppress && n > 0.0 && n < 5.0 { "<5".to_string() } else { format!("{:.0}", n) }
}

fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

/// A group of journeys for the summary table: key, label, and who belongs.
type JourneyGroup<'a> = (String, String, Box<dyn Fn(&Journey) -> bool + 'a>);

fn writer() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

/// A coverage target's label: `any-hlc` or the service id.
pub fn target_label(s: &Scenario, t: Target) -> String {
    match t {
        Target::AnyHlc => "any-hlc".into(),
        Target::Service(i) => s.services[i].id.clone(),
    }
}

/// Every target of a scenario: any HLC, then each service.
pub fn targets(s: &Scenario) -> Vec<Target> {
    std::iter::once(Target::AnyHlc).chain((0..s.services.len()).map(Target::Service)).collect()
}

/// A coverage target's label in the tables of an evaluation: as
/// [`target_label`], and `nearest-site` for the nearest HLC while the
/// scenario has none (the figures are then to the nearest site of any kind).
fn row_label(s: &Scenario, e: &Evaluation, t: Target) -> String {
    if t == Target::AnyHlc && e.no_hlc() { "nearest-site".into() } else { target_label(s, t) }
}

/// Whether a figure of `t` has nothing to measure: a service offered at no site.
fn offered_nowhere(s: &Scenario, t: Target) -> bool {
    matches!(t, Target::Service(i) if s.services.get(i).is_some_and(|x| !x.offered.contains(&true)))
}

/// Coverage table of one scenario: target, mode, threshold, locality,
/// population, within, share %, no journey. The nearest HLC is written
/// `nearest-site` while the scenario has none (figures to the nearest site
/// of any kind); a service offered nowhere has no share.
pub fn coverage_csv(region: &Region, s: &Scenario, e: &Evaluation) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record(["target", "mode", "threshold_min", "locality", "population", "within", "share_pct", "no_journey"]);
    for t in targets(s) {
        for &m in &e.modes {
            for loc in std::iter::once(None).chain((0..region.localities.len()).map(Some)) {
                let Some(c) = e.cover(region, s, t, m, loc) else { continue };
                let ln = loc.map_or("All".to_string(), |l| region.localities[l].name.clone());
                let _ = w.write_record([
                    row_label(s, e, t),
                    m.label().into(),
                    format!("{}", s.thresholds.minutes(m)),
                    ln,
                    format!("{:.0}", c.population),
                    format!("{:.0}", c.within),
                    if offered_nowhere(s, t) { String::new() } else { pct(c.share()) },
                    format!("{:.0}", c.no_journey),
                ]);
            }
        }
    }
    finish(w)
}

/// Coverage before and after: target, mode, locality, share before %, after
/// %, change (points). A share is left empty where there is nothing to
/// measure: a service offered nowhere, or the nearest HLC on a side with no
/// HLC while the other has some (`nearest-site` when neither has one).
pub fn coverage_compare_csv(region: &Region, base_s: &Scenario, prop_s: &Scenario, c: &Comparison) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record(["target", "mode", "threshold_min", "locality", "population", "share_before_pct", "share_after_pct", "change_points"]);
    for t in targets(prop_s) {
        let bt = crate::analysis::compare::matching_target(base_s, prop_s, t);
        for &m in &c.proposed.modes {
            for loc in std::iter::once(None).chain((0..region.localities.len()).map(Some)) {
                let Some(after) = c.proposed.cover(region, prop_s, t, m, loc) else { continue };
                let before = bt.and_then(|bt| c.base.cover(region, base_s, bt, m, loc));
                let ln = loc.map_or("All".to_string(), |l| region.localities[l].name.clone());
                let mixed = t == Target::AnyHlc && c.base.nearest_of != c.proposed.nearest_of;
                // No figure for a service offered nowhere, nor for the side without HLCs of a mixed pair.
                let a = (!(offered_nowhere(prop_s, t) || mixed && c.proposed.no_hlc())).then(|| after.share());
                let b = before.filter(|_| !(bt.is_some_and(|bt| offered_nowhere(base_s, bt)) || mixed && c.base.no_hlc())).map(|b| b.share());
                let label = if t == Target::AnyHlc && c.base.no_hlc() && c.proposed.no_hlc() { "nearest-site".into() } else { target_label(prop_s, t) };
                let _ = w.write_record([
                    label,
                    m.label().into(),
                    format!("{}", prop_s.thresholds.minutes(m)),
                    ln,
                    format!("{:.0}", after.population),
                    b.map(pct).unwrap_or_default(),
                    a.map(pct).unwrap_or_default(),
                    b.zip(a).map(|(b, a)| format!("{:.1}", 100.0 * (a - b))).unwrap_or_default(),
                ]);
            }
        }
    }
    finish(w)
}

/// One row per contact row: ids, contacts, and per mode the sites and
/// minutes before and after and minutes saved per trip and per year. Site
/// indices are into `sites`, the study's.
pub fn journeys_csv(region: &Region, sites: &[Site], s: &Scenario, modes: &[Mode], js: &[Journey], suppress: bool) -> Vec<u8> {
    let mut w = writer();
    let mut head = vec!["zone_id".to_string(), "locality".into(), "service".into(), "tier".into(), "contacts_per_year".into()];
    for m in modes {
        for col in ["site_before", "site_after", "min_before", "min_after", "saved_min_per_trip", "saved_min_per_year"] {
            head.push(format!("{}_{col}", m.label()));
        }
    }
    let _ = w.write_record(&head);
    let site = |x: Option<usize>| x.map(|i| sites[i].id.clone()).unwrap_or_default();
    for j in js {
        let z = &region.zones[j.zone];
        let mut row = vec![
            z.id.clone(),
            z.locality.clone().unwrap_or_default(),
            s.services[j.service].id.clone(),
            s.services[j.service].tier.number().to_string(),
            count_text(j.contacts_per_year, suppress),
        ];
        for k in 0..modes.len() {
            row.extend([
                site(j.before_site[k]),
                site(j.after_site[k]),
                opt(j.before_min[k], 1),
                opt(j.after_min[k], 1),
                opt(j.saved_min(k), 1),
                opt(j.saved_min_per_year(k), 0),
            ]);
        }
        let _ = w.write_record(&row);
    }
    finish(w)
}

/// Journey summaries by group (all, each locality, each service, each tier)
/// and mode: contacts, gaining, losing, mean minutes before/after, minutes
/// saved per year.
pub fn journey_summary_csv(region: &Region, s: &Scenario, modes: &[Mode], js: &[Journey], suppress: bool) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "group",
        "value",
        "mode",
        "rows",
        "contacts",
        "contacts_gaining",
        "contacts_losing",
        "mean_min_before",
        "mean_min_after",
        "saved_min_per_year",
    ]);
    let mut groups: Vec<JourneyGroup<'_>> = vec![("all".into(), "All".into(), Box::new(|_| true))];
    for (li, l) in region.localities.iter().enumerate() {
        let name = l.name.clone();
        let _ = li;
        groups.push(("locality".into(), l.name.clone(), Box::new(move |j: &Journey| region.zones[j.zone].locality.as_deref() == Some(name.as_str()))));
    }
    for (si, sv) in s.services.iter().enumerate() {
        groups.push(("service".into(), sv.id.clone(), Box::new(move |j: &Journey| j.service == si)));
    }
    for t in 1..=3u8 {
        groups.push(("tier".into(), t.to_string(), Box::new(move |j: &Journey| s.services[j.service].tier.number() == t)));
    }
    for (g, v, keep) in &groups {
        for (k, m) in modes.iter().enumerate() {
            let sm = summarise(js.iter().filter(|j| keep(j)), k);
            if sm.rows == 0 {
                continue;
            }
            let _ = w.write_record([
                g.clone(),
                v.clone(),
                m.label().into(),
                sm.rows.to_string(),
                count_text(sm.contacts, suppress),
                count_text(sm.gain_contacts, suppress),
                count_text(sm.lose_contacts, suppress),
                format!("{:.1}", sm.mean_before_min),
                format!("{:.1}", sm.mean_after_min),
                format!("{:.0}", sm.saved_min_per_year),
            ]);
        }
    }
    finish(w)
}

/// Site loads: site, service, residents in catchment, contacts a year,
/// capacity, and whether the site's total is over capacity. Site indices
/// are into `sites`, the study's.
pub fn loads_csv(sites: &[Site], s: &Scenario, e: &Evaluation, suppress: bool) -> Vec<u8> {
    let over = over_capacity(sites, &e.loads);
    let mut w = writer();
    let _ = w.write_record(["site_id", "site_name", "service", "population", "contacts_per_year", "site_capacity", "site_over_capacity"]);
    for l in &e.loads {
        let site = &sites[l.site];
        let is_over = over.iter().any(|o| o.0 == l.site);
        let _ = w.write_record([
            site.id.clone(),
            site.name.clone(),
            s.services[l.service].id.clone(),
            format!("{:.0}", l.population),
            count_text(l.contacts, suppress),
            opt(site.capacity, 0),
            if is_over { "yes".into() } else { String::new() },
        ]);
    }
    finish(w)
}

/// Tier-rule violations, one per line.
pub fn violations_text(e: &Evaluation) -> String {
    if e.violations.is_empty() {
        return "No tier-rule violations.\n".into();
    }
    e.violations.iter().map(|v| format!("{}\n", v.message)).collect()
}
