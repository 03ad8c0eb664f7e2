//! Who gains and who loses: residents split into groups (deprivation decile
//! and quintile, the most deprived fifth, age bands, households without a
//! car, any zone attribute or the locality), and each group's access to the
//! services, before and after.
//!
//! A grouping shares out each zone's residents among its groups: a decile
//! puts the whole zone in one group, a share splits it in two (share times
//! population), count bands split it by their proportions. Zones without
//! the attribute go to an "unknown" group, so the groups of a grouping
//! always add up to all residents.
//!
//! Access to "the services" is the measure of the report's coverage table:
//! for each service offered somewhere, whether the zone's journey to where
//! the tier rules send it is within the mode's threshold, services weighted
//! by use (contacts a year, or equally). Per group: the share of residents'
//! service uses within the threshold, the mean and 90th-percentile journey
//! time, the share with no journey, and the share within the threshold of
//! the nearest Healthy Living Centre.

use std::collections::BTreeMap;

use crate::analysis::Evaluation;
use crate::analysis::age_bands::{self, age_band_columns, band_label, band_residents};
use crate::model::Zone;
use crate::plan::equity::{EquityFile, GroupKind, GroupSpec};
use crate::plan::scenario::Scenario;
use crate::region::Region;
use crate::travel::Mode;

/// The group a zone without the attribute falls in.
pub const UNKNOWN_GROUP: &str = "unknown";

/// One group of a grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Its key in `equity.csv` (`1`, `age_65_plus`, `in`, ...).
    pub key: String,
    /// Its name for people (`1 (most deprived 10%)`, `65+`, ...).
    pub label: String,
}

/// Residents split into groups one way.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    /// Name in `equity.csv` (`deprivation_decile`).
    pub name: String,
    /// Title for people (`Deprivation decile`).
    pub title: String,
    /// How it splits residents.
    pub kind: GroupKind,
    /// The groups, in order (the unknown group last, when any zone is in it).
    pub groups: Vec<Group>,
    /// Per zone, its residents in each group it has a part in.
    pub members: Vec<Vec<(usize, f64)>>,
    /// Zones without the attribute (in the unknown group), by id.
    pub zones_unknown: Vec<String>,
}

impl Grouping {
    /// Residents of each group.
    pub fn residents(&self) -> Vec<f64> {
        let mut r = vec![0.0; self.groups.len()];
        for m in &self.members {
            for &(g, p) in m {
                r[g] += p;
            }
        }
        r
    }

    /// Index of a group by key.
    pub fn group(&self, key: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.key == key)
    }
}

/// The groupings of a study and where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Groupings {
    /// The groupings, in the scenario's order.
    pub list: Vec<Grouping>,
    /// Whether they were proposed from the zones' attributes (no `[[equity.group]]`).
    pub proposed: bool,
    /// Minutes a journey must change by to count as longer or shorter.
    pub longer_by_min: f64,
}

/// A problem with an `[[equity.group]]`: the key and what is wrong.
pub type SpecError = (String, String);

/// The groupings a scenario declares, or those proposed from the zones'
/// attributes when it declares none.
///
/// `with_localities`: whether the study has localities (a `locality`
/// grouping is then proposed).
pub fn groupings(zones: &[Zone], with_localities: bool, file: &EquityFile) -> Result<Groupings, SpecError> {
    let proposed = file.groups.is_empty();
    let specs = if proposed { default_specs(zones, with_localities) } else { file.groups.clone() };
    let mut list = vec![everyone(zones)];
    for (i, s) in specs.iter().enumerate() {
        if s.name == ALL_GROUPING {
            return Err((format!("equity.group[{}].name", i + 1), format!("'{ALL_GROUPING}' is the grouping of every resident; give another name")));
        }
        list.push(build(zones, s, i)?);
    }
    Ok(Groupings { list, proposed, longer_by_min: file.longer_by_min() })
}

/// The name of the grouping of every resident, first in every table.
pub const ALL_GROUPING: &str = "all";

/// Every resident in one group: the whole area's figures, first in every
/// table so a group can be read against all residents.
pub fn everyone(zones: &[Zone]) -> Grouping {
    Grouping {
        name: ALL_GROUPING.into(),
        title: "All residents".into(),
        kind: GroupKind::Category,
        groups: vec![Group { key: ALL_GROUPING.into(), label: "all residents".into() }],
        members: zones.iter().map(|z| vec![(0, z.population)]).collect(),
        zones_unknown: Vec::new(),
    }
}

/// Groupings proposed from the attributes the zones carry: deprivation
/// decile, quintile and Core20 from a column named like `imd_decile` or
/// `wimd_decile...`; age bands and 65+ from `age_*` columns; households
/// without a car from a `pct_..._no_car...` column; and the locality.
pub fn default_specs(zones: &[Zone], with_localities: bool) -> Vec<GroupSpec> {
    let cols: std::collections::BTreeSet<&String> = zones.iter().flat_map(|z| z.weights.keys()).collect();
    let spec = |name: &str, kind, column: Option<String>, columns: Vec<String>, labels: Vec<String>| GroupSpec {
        name: name.into(),
        kind,
        title: None,
        column,
        columns,
        of: None,
        labels,
    };
    let mut out = Vec::new();
    let decile = cols.iter().find(|c| {
        let l = c.to_ascii_lowercase();
        (l.starts_with("imd") || l.starts_with("wimd") || l.contains("deprivation")) && l.contains("decile")
    });
    if let Some(d) = decile {
        out.push(spec("deprivation_decile", GroupKind::Decile, Some((*d).clone()), Vec::new(), Vec::new()));
        out.push(spec("deprivation_quintile", GroupKind::Quintile, Some((*d).clone()), Vec::new(), Vec::new()));
        out.push(spec("core20", GroupKind::Core20, Some((*d).clone()), Vec::new(), Vec::new()));
    }
    let bands = age_band_columns(zones);
    if bands.len() >= 2 {
        out.push(spec("age_band", GroupKind::Bands, None, bands.clone(), Vec::new()));
        // 65 and over against the rest, from the same bands.
        let old: Vec<String> = bands.iter().filter(|b| age_bands::band_start(b).is_some_and(|a| a >= 65)).cloned().collect();
        let young: Vec<String> = bands.iter().filter(|b| !old.contains(b)).cloned().collect();
        if !old.is_empty() && !young.is_empty() {
            let mut s = spec("age_65_plus", GroupKind::Bands, None, [old, young].concat(), vec!["65 and over".into(), "under 65".into()]);
            s.title = Some("Aged 65 and over".into());
            out.push(s);
        }
    }
    let no_car = cols.iter().find(|c| {
        let l = c.to_ascii_lowercase();
        (l.contains("no_car") || l.contains("without_car") || l.contains("no car")) && (l.starts_with("pct") || l.contains("percent") || l.contains("share"))
    });
    if let Some(c) = no_car {
        let mut s = spec("no_car", GroupKind::Share, Some((*c).clone()), Vec::new(), vec!["without a car".into(), "with a car".into()]);
        s.title = Some("Households without a car".into());
        out.push(s);
    }
    if with_localities {
        out.push(spec("locality", GroupKind::Category, Some("locality".into()), Vec::new(), Vec::new()));
    }
    out
}

fn title_of(s: &GroupSpec) -> String {
    if let Some(t) = &s.title {
        return t.clone();
    }
    let t = s.name.replace('_', " ");
    let mut c = t.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// Builds one grouping; `i` is its place in the file, for messages. A
/// category reads a numeric attribute, the locality or a text property.
fn build(zones: &[Zone], s: &GroupSpec, i: usize) -> Result<Grouping, SpecError> {
    let key = |k: &str| format!("equity.group[{}].{k}", i + 1);
    let known: std::collections::BTreeSet<&String> = zones.iter().flat_map(|z| z.weights.keys()).collect();
    let text: std::collections::BTreeSet<&String> = zones.iter().flat_map(|z| z.categories.keys()).collect();
    let has = |c: &str| c == "locality" || known.contains(&c.to_string()) || (s.kind == GroupKind::Category && text.contains(&c.to_string()));
    let missing = |k: &str, c: &str| {
        let list: Vec<&str> = known.iter().map(|s| s.as_str()).take(12).collect();
        let more = if known.len() > 12 { format!(" and {} more", known.len() - 12) } else { String::new() };
        let attrs = if known.is_empty() { "no numbers: join a table with [[inputs.attributes]]".to_string() } else { format!("{}{more}", list.join(", ")) };
        (key(k), format!("grouping '{}': no zone has the attribute '{c}' (the zones carry: {attrs})", s.name))
    };
    let column = s.column.clone().unwrap_or_default();
    if s.kind != GroupKind::Bands && !has(&column) {
        return Err(missing("column", &column));
    }
    if let Some(of) = &s.of
        && !has(of)
    {
        return Err(missing("of", of));
    }
    for c in &s.columns {
        if !has(c) {
            return Err(missing("columns", c));
        }
    }
    let n = zones.len();
    let mut members: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut unknown = Vec::new();
    let value = |z: usize, c: &str| zones[z].weights.get(c).copied().filter(|v| v.is_finite());
    let label = |idx: usize, default: String| s.labels.get(idx).cloned().unwrap_or(default);
    let mut groups: Vec<Group> = Vec::new();
    match s.kind {
        GroupKind::Decile | GroupKind::Quintile | GroupKind::Core20 => {
            let (count, names): (usize, Vec<String>) = match s.kind {
                GroupKind::Decile => (10, (1..=10).map(|d| decile_label(d, 10)).collect()),
                GroupKind::Quintile => (5, (1..=5).map(|d| decile_label(d, 5)).collect()),
                _ => (2, vec!["Core20 (most deprived 20%)".into(), "other 80%".into()]),
            };
            groups = (0..count)
                .map(|g| Group {
                    key: if s.kind == GroupKind::Core20 { ["core20", "other"][g].into() } else { (g + 1).to_string() },
                    label: label(g, names[g].clone()),
                })
                .collect();
            for z in 0..n {
                let Some(v) = value(z, &column) else {
                    unknown.push(z);
                    continue;
                };
                if v.fract() != 0.0 || !(1.0..=10.0).contains(&v) {
                    return Err((key("column"), format!("grouping '{}': zone '{}' has {column} = {v}, not a decile from 1 to 10", s.name, zones[z].id)));
                }
                let d = v as usize;
                let g = match s.kind {
                    GroupKind::Decile => d - 1,
                    GroupKind::Quintile => (d - 1) / 2,
                    _ => usize::from(d > 2),
                };
                members[z].push((g, zones[z].population));
            }
        }
        GroupKind::Share => {
            groups = vec![
                Group { key: "in".into(), label: label(0, column.replace('_', " ")) },
                Group { key: "out".into(), label: label(1, format!("not {}", column.replace('_', " "))) },
            ];
            // A percentage when the name says so or a value is above 1.
            let lname = column.to_ascii_lowercase();
            let percent = s.of.is_none() && (lname.contains("pct") || lname.contains("percent") || (0..n).any(|z| value(z, &column).is_some_and(|v| v > 1.0)));
            for z in 0..n {
                let share = match (&s.of, value(z, &column)) {
                    (_, None) => None,
                    (Some(of), Some(v)) => value(z, of).filter(|d| *d > 0.0).map(|d| v / d),
                    (None, Some(v)) => Some(if percent { v / 100.0 } else { v }),
                };
                let Some(sh) = share else {
                    unknown.push(z);
                    continue;
                };
                if !(0.0..=1.0 + 1e-9).contains(&sh) {
                    return Err((
                        key("column"),
                        format!("grouping '{}': zone '{}' has a share of {:.3} from {column}, outside 0 to 1", s.name, zones[z].id, sh),
                    ));
                }
                let p = zones[z].population;
                members[z].push((0, p * sh.min(1.0)));
                members[z].push((1, p * (1.0 - sh.min(1.0))));
            }
        }
        GroupKind::Bands => {
            // Named as age bands when they are; the 65+ default merges its
            // first bands into one group and the rest into another.
            let two = s.name == "age_65_plus" && s.labels.len() == 2;
            if two {
                groups = vec![Group { key: "65_plus".into(), label: s.labels[0].clone() }, Group { key: "under_65".into(), label: s.labels[1].clone() }];
            } else {
                groups = s
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(g, c)| Group { key: c.clone(), label: label(g, if age_bands::is_age_band(c) { band_label(c) } else { c.replace('_', " ") }) })
                    .collect();
            }
            let n_old = s.columns.iter().filter(|b| age_bands::band_start(b).is_some_and(|a| a >= 65)).count();
            for z in 0..n {
                let Some(r) = band_residents(&zones[z], &s.columns) else {
                    unknown.push(z);
                    continue;
                };
                if two {
                    members[z].push((0, r[..n_old].iter().sum()));
                    members[z].push((1, r[n_old..].iter().sum()));
                } else {
                    members[z].extend(r.into_iter().enumerate());
                }
            }
        }
        GroupKind::Category => {
            let mut keys: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (z, zone) in zones.iter().enumerate() {
                let k = match (column.as_str(), value(z, &column)) {
                    ("locality", _) => zone.locality.clone(),
                    (_, Some(v)) => Some(fmt_value(v)),
                    (_, None) => zone.categories.get(&column).cloned(),
                };
                match k {
                    Some(k) => keys.entry(k).or_default().push(z),
                    None => unknown.push(z),
                }
            }
            // Numbers in numeric order, names in alphabetical order.
            let mut ks: Vec<(String, Vec<usize>)> = keys.into_iter().collect();
            ks.sort_by(|a, b| match (a.0.parse::<f64>(), b.0.parse::<f64>()) {
                (Ok(x), Ok(y)) => x.total_cmp(&y),
                _ => a.0.cmp(&b.0),
            });
            for (g, (k, zs)) in ks.into_iter().enumerate() {
                groups.push(Group { key: k.clone(), label: label(g, k) });
                for z in zs {
                    members[z].push((g, zones[z].population));
                }
            }
        }
    }
    if !unknown.is_empty() {
        let g = groups.len();
        groups.push(Group { key: UNKNOWN_GROUP.into(), label: "not known".into() });
        for &z in &unknown {
            members[z].push((g, zones[z].population));
        }
    }
    Ok(Grouping {
        name: s.name.clone(),
        title: title_of(s),
        kind: s.kind,
        groups,
        members,
        zones_unknown: unknown.iter().map(|&z| zones[z].id.clone()).collect(),
    })
}

fn decile_label(d: usize, of: usize) -> String {
    let share = 100 / of;
    match d {
        1 => format!("1 (most deprived {share}%)"),
        x if x == of => format!("{x} (least deprived {share}%)"),
        x => x.to_string(),
    }
}

fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

/// Weights of a scenario's services: contacts a year by service id, or 1
/// each when no contact names any of them; 0 for a service offered nowhere.
pub fn service_weights(s: &Scenario, use_by_service: &BTreeMap<String, f64>) -> Vec<f64> {
    let w: Vec<f64> = s.services.iter().map(|sv| use_by_service.get(&sv.id).copied().unwrap_or(0.0)).collect();
    let mut w = if w.iter().sum::<f64>() > 0.0 { w } else { vec![1.0; s.services.len()] };
    for (wi, sv) in w.iter_mut().zip(&s.services) {
        if !sv.offered.contains(&true) {
            *wi = 0.0;
        }
    }
    w
}

/// One scenario's access per zone, by one mode.
#[derive(Debug, Clone)]
struct ZoneAccess {
    /// Use-weighted share of the services within the threshold.
    within: Vec<f64>,
    /// Use-weighted share of the services with no journey.
    no_journey: Vec<f64>,
    /// Each service's journey in minutes and its weight (summing to 1 per zone), journeys only.
    items: Vec<Vec<(f64, f64)>>,
    /// Whether the nearest HLC is within the threshold.
    hlc_within: Vec<bool>,
    /// Whether any service is weighed at all.
    any: bool,
}

fn zone_access(e: &Evaluation, weights: &[f64], k: usize, threshold_min: f64, zones: usize) -> ZoneAccess {
    let sw: f64 = weights.iter().sum();
    let mut a =
        ZoneAccess { within: vec![0.0; zones], no_journey: vec![0.0; zones], items: vec![Vec::new(); zones], hlc_within: vec![false; zones], any: sw > 0.0 };
    let limit = threshold_min * 60.0;
    if sw > 0.0 {
        for (si, &w) in weights.iter().enumerate() {
            if w <= 0.0 {
                continue;
            }
            let Some(ch) = e.choices.get(si).and_then(|v| v.get(k)) else { continue };
            let w = w / sw;
            for (z, c) in ch.iter().enumerate().take(zones) {
                if !c.time_s.is_finite() {
                    a.no_journey[z] += w;
                    continue;
                }
                if (c.time_s as f64) <= limit {
                    a.within[z] += w;
                }
                a.items[z].push((c.time_s as f64 / 60.0, w));
            }
        }
    }
    if let Some(h) = e.any_hlc.get(k) {
        for (z, c) in h.iter().enumerate().take(zones) {
            a.hlc_within[z] = c.time_s.is_finite() && (c.time_s as f64) <= limit;
        }
    }
    a
}

/// One group's access, by one mode, in one scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupAccess {
    /// Share of the group's service uses within the mode's threshold (0..=1).
    pub share_within: f64,
    /// Mean journey, minutes, over the uses with a journey.
    pub mean_min: Option<f64>,
    /// 90th percentile of the journeys, minutes.
    pub p90_min: Option<f64>,
    /// Share of the uses with no journey at all.
    pub share_no_journey: f64,
    /// Share of the group's residents within the threshold of the nearest HLC.
    pub hlc_share_within: f64,
}

/// One row of the equality table: a group, by a mode.
#[derive(Debug, Clone, PartialEq)]
pub struct EquityRow {
    /// Grouping index in [`Groupings::list`].
    pub grouping: usize,
    /// Group index in the grouping.
    pub group: usize,
    /// Residents of the group.
    pub residents: f64,
    /// The mode.
    pub mode: Mode,
    /// The mode's threshold, minutes.
    pub threshold_min: f64,
    /// The baseline's access (an evaluation's own figures when not compared).
    pub before: Option<GroupAccess>,
    /// The proposal's access (comparisons only).
    pub after: Option<GroupAccess>,
    /// Residents whose mean journey gets longer by more than the set minutes (comparisons only).
    pub residents_longer: Option<f64>,
    /// Residents whose mean journey gets shorter by more than the set minutes.
    pub residents_shorter: Option<f64>,
}

impl EquityRow {
    /// Change in the share within the threshold, percentage points.
    pub fn change_points(&self) -> Option<f64> {
        Some((self.after?.share_within - self.before?.share_within) * 100.0)
    }
}

/// One side of an equality table: a scenario, its evaluation and its services' weights.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its evaluation.
    pub evaluation: &'a Evaluation,
    /// Its services' weights ([`service_weights`]).
    pub weights: &'a [f64],
}

/// The equality table of one scenario (`after` = `None`: the "before"
/// columns only) or of two, for every grouping, group and mode.
pub fn table(region: &Region, groupings: &Groupings, before: Side, after: Option<Side>) -> Vec<EquityRow> {
    let n = region.zones.len();
    let modes = after.map_or(&before.evaluation.modes, |a| &a.evaluation.modes).clone();
    let mut rows = Vec::new();
    for &mode in &modes {
        let thr = after.map_or(before.scenario, |a| a.scenario).thresholds.minutes(mode);
        let acc = |s: Side| -> Option<ZoneAccess> {
            let k = s.evaluation.mode_index(mode)?;
            Some(zone_access(s.evaluation, s.weights, k, s.scenario.thresholds.minutes(mode), n))
        };
        let (b, a) = (acc(before), after.and_then(acc));
        let change: Option<Vec<Option<f64>>> = match (&b, &a) {
            (Some(b), Some(a)) => Some((0..n).map(|z| zone_change(b, a, z)).collect()),
            _ => None,
        };
        for (gi, g) in groupings.list.iter().enumerate() {
            let residents = g.residents();
            let gb = b.as_ref().map(|x| aggregate(x, g));
            let ga = a.as_ref().map(|x| aggregate(x, g));
            // Residents whose mean journey changes past the mark, per group.
            let moved = change.as_ref().map(|ch| {
                let mut ls = vec![(0.0, 0.0); g.groups.len()];
                for (z, m) in g.members.iter().enumerate() {
                    for &(k, p) in m {
                        match ch[z] {
                            Some(d) if d > groupings.longer_by_min => ls[k].0 += p,
                            Some(d) if d < -groupings.longer_by_min => ls[k].1 += p,
                            _ => {}
                        }
                    }
                }
                ls
            });
            for (k, &r) in residents.iter().enumerate() {
                rows.push(EquityRow {
                    grouping: gi,
                    group: k,
                    residents: r,
                    mode,
                    threshold_min: thr,
                    before: gb.as_ref().and_then(|v| v[k]),
                    after: ga.as_ref().and_then(|v| v[k]),
                    residents_longer: moved.as_ref().map(|v| v[k].0),
                    residents_shorter: moved.as_ref().map(|v| v[k].1),
                });
            }
        }
    }
    rows
}

/// A zone's change in mean journey (after − before), minutes; losing every
/// journey counts as infinitely longer, gaining one as infinitely shorter.
fn zone_change(b: &ZoneAccess, a: &ZoneAccess, z: usize) -> Option<f64> {
    let mean = |x: &ZoneAccess| -> Option<f64> {
        let w: f64 = x.items[z].iter().map(|i| i.1).sum();
        (w > 0.0).then(|| x.items[z].iter().map(|i| i.0 * i.1).sum::<f64>() / w)
    };
    match (mean(b), mean(a)) {
        (Some(x), Some(y)) => Some(y - x),
        (Some(_), None) if a.any => Some(f64::INFINITY),
        (None, Some(_)) if b.any => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Each group's access, weighting each zone by its residents in the group
/// (one pass over the zones); `None` for a group with no residents.
fn aggregate(x: &ZoneAccess, g: &Grouping) -> Vec<Option<GroupAccess>> {
    let n = g.groups.len();
    let (mut r, mut within, mut none, mut hlc) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut items: Vec<Vec<(f64, f64)>> = vec![Vec::new(); n];
    for (z, m) in g.members.iter().enumerate() {
        for &(k, p) in m {
            if p <= 0.0 {
                continue;
            }
            r[k] += p;
            within[k] += p * x.within[z];
            none[k] += p * x.no_journey[z];
            if x.hlc_within[z] {
                hlc[k] += p;
            }
            items[k].extend(x.items[z].iter().map(|&(t, w)| (t, w * p)));
        }
    }
    (0..n)
        .map(|k| {
            if r[k] <= 0.0 {
                return None;
            }
            let w: f64 = items[k].iter().map(|i| i.1).sum();
            let mean = (w > 0.0).then(|| items[k].iter().map(|i| i.0 * i.1).sum::<f64>() / w);
            Some(GroupAccess {
                share_within: if x.any { within[k] / r[k] } else { 0.0 },
                mean_min: mean,
                p90_min: weighted_quantile(&mut items[k], 0.9),
                share_no_journey: if x.any { none[k] / r[k] } else { 0.0 },
                hlc_share_within: hlc[k] / r[k],
            })
        })
        .collect()
}

/// The `q` quantile of weighted values: the smallest value whose cumulative
/// weight reaches `q` of the total.
pub fn weighted_quantile(items: &mut [(f64, f64)], q: f64) -> Option<f64> {
    let total: f64 = items.iter().map(|i| i.1).sum();
    if total <= 0.0 {
        return None;
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut acc = 0.0;
    for &(v, w) in items.iter() {
        acc += w;
        if acc >= q * total * (1.0 - 1e-12) {
            return Some(v);
        }
    }
    items.last().map(|i| i.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_of_weighted_values() {
        let mut v = vec![(10.0, 1.0), (20.0, 1.0), (30.0, 8.0)];
        assert_eq!(weighted_quantile(&mut v, 0.9), Some(30.0));
        assert_eq!(weighted_quantile(&mut v, 0.1), Some(10.0));
        assert_eq!(weighted_quantile(&mut v, 0.2), Some(20.0));
        assert_eq!(weighted_quantile(&mut [], 0.9), None);
    }

    #[test]
    fn decile_labels_say_which_end_is_which() {
        assert_eq!(decile_label(1, 10), "1 (most deprived 10%)");
        assert_eq!(decile_label(10, 10), "10 (least deprived 10%)");
        assert_eq!(decile_label(5, 5), "5 (least deprived 20%)");
        assert_eq!(decile_label(4, 10), "4");
    }
}
