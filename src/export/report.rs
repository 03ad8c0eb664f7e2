//! The outputs of an evaluation or a comparison besides the CSV tables: the
//! GeoJSON layers (see `layers`) and one self-contained HTML report that can
//! be emailed. The report holds no web address, script, font or image file:
//! its style is inline CSS and its charts and maps are inline SVG.
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

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::analysis::compare::Comparison;
use crate::analysis::coverage::{CURVE_MAX_MIN, Cover};
use crate::analysis::journeys::{Journey, JourneySummary, summarise};
use crate::analysis::loads::{catchment_mode, over_capacity};
use crate::analysis::{Evaluation, Target};
use crate::export::layers;
use crate::export::map_svg::{self, MapSpec, esc};
// The report prints whole numbers typeset (true minus, a dash for none).
use crate::export::style::{FONT_STACK, Scale, fmt_int_typeset as fmt_int, fmt_num, mode_explained, mode_phrase, one_decimal, pct};
use crate::export::tables::count_text;
use crate::plan::Scenario;
use crate::plan::services::Tier;
use crate::region::Region;
use crate::study::Study;
use crate::travel::Mode;

/// Width of the maps in the report, pixels.
pub const REPORT_MAP_WIDTH_PX: u32 = 900;
/// Height of the maps in the report, pixels.
pub const REPORT_MAP_HEIGHT_PX: u32 = 620;
/// Number of worst losses listed.
pub const WORST_LOSSES: usize = 10;

/// Output files (name, bytes) of one evaluated scenario: GeoJSON layers and `report.html`.
pub fn evaluation_outputs(study: &Study, e: &Evaluation, suppress: bool) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = layers::evaluation_layers(&study.region, &study.scenario, e);
    out.push(("report.html", evaluation_report(study, e, suppress).into_bytes()));
    out
}

/// Output files (name, bytes) of a comparison: GeoJSON layers and `report.html`.
pub fn comparison_outputs(study: &Study, proposed: &Scenario, c: &Comparison, suppress: bool) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = layers::comparison_layers(&study.region, &study.scenario, proposed, c);
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

/// Today's date as `YYYY-MM-DD` (UTC), from the system clock.
pub fn today_iso() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
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
    before: Option<Side<'a>>,
    after: Side<'a>,
    journeys: &'a [Journey],
    suppress: bool,
    /// Contacts a year per service id, for weighting services.
    use_weights: HashMap<String, f64>,
}

/// Colours of the chart lines (colour-blind safe).
const BEFORE_COLOUR: &str = "#e69f00";
const AFTER_COLOUR: &str = "#0072b2";
const HLC_COLOUR: &str = "#555555";

const CSS: &str = "
:root{--ink:#1d1f21;--muted:#5a6169;--line:#d8dce0;--band:#f4f6f8;--quick:#2166ac;--slow:#a64f05}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);background:#fff;font:15px/1.5 FONTS}
main{max-width:1060px;margin:0 auto;padding:24px 20px 56px}
h1{font-size:1.7rem;line-height:1.25;margin:.2em 0 .2em}
h2{font-size:1.25rem;margin:2.2em 0 .5em;padding-bottom:.25em;border-bottom:2px solid var(--line)}
h3{font-size:1.02rem;margin:1.5em 0 .4em}
p{margin:.45em 0}
.meta{color:var(--muted);margin:0}
.explainer{background:var(--band);border-left:4px solid var(--quick);padding:10px 18px;margin:18px 0}
.explainer ul{margin:.3em 0 .5em;padding-left:1.3em}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:.9rem}
th,td{padding:4px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--band);font-weight:600;vertical-align:bottom}
th.n,td.n,td.share,td.change{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th.group{text-align:center;border-left:1px solid var(--line)}
td.first,th.first{border-left:1px solid var(--line)}
tbody th{font-weight:600;background:#fafbfc}
tr.total td,tr.total th{font-weight:700;border-top:2px solid var(--ink)}
.good{color:var(--quick)}
.bad{color:var(--slow)}
.over{color:var(--slow);font-weight:700}
.scroll{overflow-x:auto}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{flex:1 1 210px;border:1px solid var(--line);border-radius:6px;padding:10px 14px}
.card .big{display:block;font-size:1.5rem;font-weight:700;line-height:1.2}
.card .what{color:var(--muted);font-size:.85rem}
.charts{display:flex;flex-wrap:wrap;gap:14px}
figure{margin:0 0 18px}
figcaption{color:var(--muted);font-size:.85rem}
svg{max-width:100%;height:auto}
.note{color:var(--muted);font-size:.85rem}
ul.violations li{margin:.15em 0}
footer{margin-top:3em;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:.6em}
@media print{body{font-size:11pt}main{max-width:none;padding:0}h2{break-after:avoid}figure,table{break-inside:avoid}}
";

impl<'a> View<'a> {
    fn new(study: &'a Study, before: Option<Side<'a>>, after: Side<'a>, journeys: &'a [Journey], suppress: bool) -> Self {
        let mut use_weights: HashMap<String, f64> = HashMap::new();
        for c in &study.contacts {
            *use_weights.entry(c.service.clone()).or_default() += c.contacts_per_year;
        }
        View { study, region: &study.region, before, after, journeys, suppress, use_weights }
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

    /// Share within the threshold of where each service is offered, services weighted by use.
    fn services_share(&self, side: Side, m: Mode, loc: Option<usize>) -> Option<f64> {
        let w = self.weights(side.s);
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
        let w = self.weights(side.s);
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
        let mut top = vec![0u8; self.region.sites.len()];
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
            today_iso(),
            env!("CARGO_PKG_VERSION"),
            fmt_int(r.population()),
            fmt_int(r.zones.len() as f64),
            r.localities.len(),
            r.sites.len(),
            esc(&credits(r))
        );
        self.explainer(&mut o);
        self.what_was_compared(&mut o);
        self.headlines(&mut o);
        self.coverage(&mut o);
        self.coverage_by_locality(&mut o);
        self.coverage_by_service(&mut o);
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

    fn explainer(&self, o: &mut String) {
        o.push_str("<section class=\"explainer\">\n<h2 style=\"margin-top:.4em\">How to read this report</h2>\n");
        let bus = if self.modes().contains(&Mode::Bus) { " and the bus timetable" } else { "" };
        let _ = writeln!(
            o,
            "<p>Each small area (a <b>zone</b>) stands for the people who live in it. For every zone the tool works out the door-to-door journey to every site on the street network{bus}. Which site residents use for a service depends on the service's <b>tier</b>:</p>\n<ul>"
        );
        let rule = |t: Tier| match t.number() {
            1 => "residents use the one in their own locality",
            2 => "residents use the nearer one of their pair of localities",
            _ => "residents use the nearest one anywhere",
        };
        for t in Tier::ALL {
            let _ = writeln!(o, "<li><b>Tier {}</b> services are offered {}; {}.</li>", t.number(), esc(t.meaning()), rule(t));
        }
        o.push_str("</ul>\n");
        if self.after.s.free_choice {
            o.push_str("<p>In this scenario patients may choose: they use the nearest site offering a service, whatever its tier.</p>\n");
        }
        o.push_str("<p><b>Ways of travelling</b>, each with the time within which a journey counts as &ldquo;within reach&rdquo;:</p>\n<ul>\n");
        for &m in self.modes() {
            let _ = writeln!(o, "<li><b>{}</b>: {}; within {} minutes.</li>", esc(m.title()), mode_explained(m), fmt_num(self.threshold(m)));
        }
        o.push_str("</ul>\n");
        if !self.modes().contains(&Mode::Bus) {
            o.push_str("<p class=\"note\">Public transport is not included: no bus timetable was used for these travel times.</p>\n");
        }
        o.push_str("<p><b>Nearest HLC</b>: like the original Medway analysis, the headline table counts the journey to the nearest Healthy Living Centre, whatever it offers; that figure changes only when HLCs open or close. The rows &ldquo;where each service is offered&rdquo; and the table by service follow each service to the sites that offer it, with services weighted by how many patient contacts they have a year.</p>\n");
        match self.before {
            Some(b) => {
                let _ = writeln!(
                    o,
                    "<p><b>Before</b> is the scenario &ldquo;{}&rdquo;; <b>after</b> is &ldquo;{}&rdquo;. For patient journeys (one per row of the contacts file), before is the site where the patient is seen today when the baseline still offers the service there, otherwise the site the baseline's rules send them to.</p>",
                    esc(&b.s.name),
                    esc(&self.after.s.name)
                );
            }
            None => {
                o.push_str("<p><b>Patient journeys</b> (one per row of the contacts file) compare the site where each patient is seen today (<b>before</b>) with the site this scenario sends them to (<b>after</b>). Coverage figures are those of this scenario.</p>\n");
            }
        }
        if self.suppress {
            o.push_str("<p>To protect patients' privacy, counts of 1 to 4 are shown as &ldquo;&lt;5&rdquo;, and figures that would reveal such a count are left out.</p>\n");
        }
        o.push_str("</section>\n");
    }

    /// The sites offering a service, by name ("every HLC" when it is exactly the HLCs).
    fn site_names(&self, s: &Scenario, si: usize) -> String {
        let sites = s.services[si].sites();
        let hlcs = &self.after.e.hlcs;
        if hlcs.len() > 1 && sites.len() == hlcs.len() && sites.iter().all(|x| hlcs.contains(x)) {
            return format!("every HLC ({})", hlcs.len());
        }
        let names: Vec<String> = sites.into_iter().map(|i| esc(&self.region.sites[i].name)).collect();
        if names.is_empty() { "<em>nowhere</em>".into() } else { names.join(", ") }
    }

    fn what_was_compared(&self, o: &mut String) {
        o.push_str("<h2>What was compared</h2>\n");
        let a = self.after.s;
        let desc = |d: &str| if d.is_empty() { String::new() } else { format!(" — {}", esc(d)) };
        match self.before {
            Some(b) => {
                let _ = writeln!(o, "<p><b>Before:</b> {}{}<br><b>After:</b> {}</p>", esc(&b.s.name), desc(&self.study.file.description), esc(&a.name));
                let mut rows = String::new();
                let mut same = 0;
                for (si, sv) in a.services.iter().enumerate() {
                    let bi = b.s.service(&sv.id);
                    let changed = match bi {
                        Some(bi) => b.s.services[bi].offered != sv.offered || b.s.services[bi].tier != sv.tier,
                        None => true,
                    };
                    if !changed {
                        same += 1;
                        continue;
                    }
                    let tier = match bi.map(|bi| b.s.services[bi].tier) {
                        Some(t) if t != sv.tier => format!("{} → {}", t.number(), sv.tier.number()),
                        _ => sv.tier.number().to_string(),
                    };
                    let before = bi.map_or("<em>not planned</em>".to_string(), |bi| self.site_names(b.s, bi));
                    let _ =
                        writeln!(rows, "<tr><td>{}</td><td class=\"n\">{tier}</td><td>{before}</td><td>{}</td></tr>", esc(&sv.name), self.site_names(a, si));
                }
                for (bi, sv) in b.s.services.iter().enumerate() {
                    if a.service(&sv.id).is_none() {
                        let _ = writeln!(
                            rows,
                            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td><em>not planned</em></td></tr>",
                            esc(&sv.name),
                            sv.tier.number(),
                            self.site_names(b.s, bi)
                        );
                    }
                }
                if rows.is_empty() {
                    o.push_str("<p>Both scenarios offer every service at the same sites.</p>\n");
                } else {
                    let _ = writeln!(
                        o,
                        "<details open><summary>Services that move ({} unchanged)</summary>\n<div class=\"scroll\"><table class=\"moves\"><thead><tr><th>Service</th><th class=\"n\">Tier</th><th>Offered before at</th><th>Offered after at</th></tr></thead><tbody>\n{rows}</tbody></table></div></details>",
                        same
                    );
                }
            }
            None => {
                let _ = writeln!(o, "<p><b>Scenario:</b> {}{}</p>", esc(&a.name), desc(&self.study.file.description));
                let mut rows = String::new();
                let mut order: Vec<usize> = (0..a.services.len()).collect();
                order.sort_by_key(|&i| a.services[i].tier);
                for si in order {
                    let sv = &a.services[si];
                    let _ = writeln!(rows, "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>", esc(&sv.name), sv.tier.number(), self.site_names(a, si));
                }
                let _ = writeln!(
                    o,
                    "<details><summary>Where each of the {} services is offered</summary>\n<div class=\"scroll\"><table class=\"services\"><thead><tr><th>Service</th><th class=\"n\">Tier</th><th>Offered at</th></tr></thead><tbody>\n{rows}</tbody></table></div></details>",
                    a.services.len()
                );
            }
        }
    }

    fn contact_miles(&self) -> Option<(f64, f64)> {
        let (mut w, mut b, mut a) = (0.0, 0.0, 0.0);
        for j in self.journeys {
            if let (Some(x), Some(y)) = j.car_miles {
                w += j.contacts_per_year;
                b += x * j.contacts_per_year;
                a += y * j.contacts_per_year;
            }
        }
        (w > 0.0).then(|| (b / w, a / w))
    }

    fn headlines(&self, o: &mut String) {
        o.push_str("<h2>At a glance</h2>\n<div class=\"cards\">\n");
        let card = |o: &mut String, big: String, what: String| {
            let _ = writeln!(o, "<div class=\"card\"><span class=\"big\">{big}</span><span class=\"what\">{what}</span></div>");
        };
        if let Some((k, m)) = self.main_mode() {
            let thr = fmt_num(self.threshold(m));
            if let Some(a) = self.services_share(self.after, m, None) {
                let big = match self.before.and_then(|b| self.services_share(b, m, None)) {
                    Some(b) => format!("{}% → {}%", pct(b), pct(a)),
                    None => format!("{}%", pct(a)),
                };
                card(
                    o,
                    big,
                    format!("of residents within {thr} minutes ({}) of where each service is offered, weighted by use", esc(&m.title().to_lowercase())),
                );
            }
            let sm = summarise(self.journeys, k);
            if sm.rows > 0 {
                card(
                    o,
                    format!("{} / {}", count(sm.gain_contacts, self.suppress), count(sm.lose_contacts, self.suppress)),
                    format!(
                        "patient contacts a year with a shorter / longer journey ({}), of {}",
                        esc(&m.title().to_lowercase()),
                        count(sm.contacts, self.suppress)
                    ),
                );
                let hours = if is_suppressed(sm.contacts, self.suppress) { "–".to_string() } else { fmt_int(sm.saved_min_per_year / 60.0) };
                card(o, hours, format!("hours of travel saved a year ({}; negative: more travel)", esc(&m.title().to_lowercase())));
            }
        }
        if let Some((b, a)) = self.contact_miles() {
            card(o, format!("{b:.1} → {a:.1} miles"), "average driving distance per patient contact, before → after".into());
        }
        let viol = match self.before {
            Some(b) => format!("{} → {}", b.e.violations.len(), self.after.e.violations.len()),
            None => self.after.e.violations.len().to_string(),
        };
        card(o, viol, "tier-rule violations".into());
        o.push_str("</div>\n");
    }

    fn share_td(&self, target: &str, m: Mode, loc: &str, when: &str, share: Option<f64>, first: bool) -> String {
        let cls = if first { "share first" } else { "share" };
        let text = share.map_or("–".to_string(), |s| format!("{}%", pct(s)));
        format!(
            "<td class=\"{cls}\" data-target=\"{}\" data-mode=\"{}\" data-locality=\"{}\" data-when=\"{when}\">{text}</td>",
            esc(target),
            m.label(),
            esc(loc),
        )
    }

    fn change_td(&self, target: &str, m: Mode, loc: &str, before: Option<f64>, after: Option<f64>) -> String {
        match (before, after) {
            (Some(b), Some(a)) => {
                let d = 100.0 * (a - b);
                format!(
                    "<td class=\"{}\" data-target=\"{}\" data-mode=\"{}\" data-locality=\"{}\" data-when=\"change\">{}</td>",
                    format!("change {}", tone(d)).trim_end(),
                    esc(target),
                    m.label(),
                    esc(loc),
                    signed(d)
                )
            }
            _ => format!(
                "<td class=\"change\" data-target=\"{}\" data-mode=\"{}\" data-locality=\"{}\" data-when=\"change\">–</td>",
                esc(target),
                m.label(),
                esc(loc)
            ),
        }
    }

    /// Cells of one share: before, after, change (comparison) or the share alone.
    fn share_cells(&self, target: &str, m: Mode, loc: &str, before: Option<f64>, after: Option<f64>, first: bool) -> String {
        if self.is_comparison() {
            format!(
                "{}{}{}",
                self.share_td(target, m, loc, "before", before, first),
                self.share_td(target, m, loc, "after", after, false),
                self.change_td(target, m, loc, before, after)
            )
        } else {
            self.share_td(target, m, loc, "after", after, first)
        }
    }

    fn share_heads(&self) -> &'static str {
        if self.is_comparison() {
            "<th class=\"n first\">Before</th><th class=\"n\">After</th><th class=\"n\">Change (points)</th>"
        } else {
            "<th class=\"n first\">Share of residents</th>"
        }
    }

    fn coverage(&self, o: &mut String) {
        o.push_str("<h2>Who can reach services</h2>\n<p>Share of residents within each mode's time of the site they would use, in the shape of the Medway table.</p>\n");
        let _ = writeln!(o, "<table class=\"coverage medway\"><thead><tr><th>Measure</th>{}</tr></thead>", self.share_heads());
        let span = if self.is_comparison() { 4 } else { 2 };
        let _ = writeln!(o, "<tbody><tr><th colspan=\"{span}\">Travel to the nearest Healthy Living Centre</th></tr>");
        for &m in self.modes() {
            let a = self.cover_after(Target::AnyHlc, m, None).map(|c| c.share());
            let b = self.cover_before(Target::AnyHlc, m, None).map(|c| c.share());
            let _ = writeln!(
                o,
                "<tr><td>{} within {} minutes</td>{}</tr>",
                mode_phrase(m),
                fmt_num(self.threshold(m)),
                self.share_cells("any-hlc", m, "All", b, a, true)
            );
        }
        o.push_str("</tbody>\n");
        if !self.after.s.services.is_empty() {
            let _ =
                writeln!(o, "<tbody><tr><th colspan=\"{span}\">Travel to where each service is offered (all services, weighted by contacts a year)</th></tr>");
            for &m in self.modes() {
                let a = self.services_share(self.after, m, None);
                let b = self.before.and_then(|b| self.services_share(b, m, None));
                let _ = writeln!(
                    o,
                    "<tr><td>{} within {} minutes</td>{}</tr>",
                    mode_phrase(m),
                    fmt_num(self.threshold(m)),
                    self.share_cells("all-services", m, "All", b, a, true)
                );
            }
            o.push_str("</tbody>\n");
        }
        o.push_str("</table>\n");
    }

    fn coverage_by_locality(&self, o: &mut String) {
        if self.region.localities.is_empty() {
            return;
        }
        o.push_str("<h3>Nearest HLC, by locality</h3>\n<div class=\"scroll\"><table class=\"coverage by-locality\"><thead><tr><th rowspan=\"2\">Locality</th><th class=\"n\" rowspan=\"2\">Residents</th>");
        let span = if self.is_comparison() { 3 } else { 1 };
        for &m in self.modes() {
            let _ = write!(o, "<th class=\"group\" colspan=\"{span}\">{} ({} min)</th>", esc(m.title()), fmt_num(self.threshold(m)));
        }
        o.push_str("</tr><tr>");
        for _ in self.modes() {
            o.push_str(if self.is_comparison() {
                "<th class=\"n first\">Before</th><th class=\"n\">After</th><th class=\"n\">Change</th>"
            } else {
                "<th class=\"n first\">Share</th>"
            });
        }
        o.push_str("</tr></thead><tbody>\n");
        let rows: Vec<(Option<usize>, String)> = (0..self.region.localities.len())
            .map(|l| (Some(l), self.region.localities[l].name.clone()))
            .chain(std::iter::once((None, "All".to_string())))
            .collect();
        for (loc, name) in rows {
            let pop = self.cover_after(Target::AnyHlc, self.modes().first().copied().unwrap_or(Mode::CarOffpeak), loc).map_or(0.0, |c| c.population);
            let cls = if loc.is_none() { " class=\"total\"" } else { "" };
            let _ = write!(o, "<tr{cls}><td>{}</td><td class=\"n\">{}</td>", esc(&name), fmt_int(pop));
            for &m in self.modes() {
                let a = self.cover_after(Target::AnyHlc, m, loc).map(|c| c.share());
                let b = self.cover_before(Target::AnyHlc, m, loc).map(|c| c.share());
                o.push_str(&self.share_cells("any-hlc", m, &name, b, a, true));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></div>\n");
    }

    fn coverage_by_service(&self, o: &mut String) {
        let a = self.after.s;
        if a.services.is_empty() {
            return;
        }
        let cmp = self.is_comparison();
        o.push_str("<h3>By service</h3>\n<p>Share of residents within each mode's time of the site the tier rules send them to");
        o.push_str(if cmp { " (after, and the change in points since before)" } else { "" });
        o.push_str(", and the average driving distance per resident (car, off peak).</p>\n<div class=\"scroll\"><table class=\"coverage by-service\"><thead><tr><th>Service</th><th class=\"n\">Tier</th>");
        for &m in self.modes() {
            let _ = write!(o, "<th class=\"n first\">{} ({} min)</th>", esc(m.title()), fmt_num(self.threshold(m)));
            if cmp {
                o.push_str("<th class=\"n\">Change</th>");
            }
        }
        o.push_str(if cmp { "<th class=\"n first\">Miles before</th><th class=\"n\">Miles after</th>" } else { "<th class=\"n first\">Miles</th>" });
        o.push_str("</tr></thead><tbody>\n");
        let mut order: Vec<usize> = (0..a.services.len()).collect();
        order.sort_by_key(|&i| a.services[i].tier);
        for si in order {
            let sv = &a.services[si];
            let t = Target::Service(si);
            let bt = self.before_target(t);
            let tier = match (self.before, bt) {
                (Some(b), Some(Target::Service(bi))) if b.s.services[bi].tier != sv.tier => {
                    format!("{} → {}", b.s.services[bi].tier.number(), sv.tier.number())
                }
                _ => sv.tier.number().to_string(),
            };
            let _ = write!(o, "<tr><td>{}</td><td class=\"n\">{tier}</td>", esc(&sv.name));
            for &m in self.modes() {
                let after = self.cover_after(t, m, None).map(|c| c.share());
                o.push_str(&self.share_td(&sv.id, m, "All", "after", after, true));
                if cmp {
                    let before = self.cover_before(t, m, None).map(|c| c.share());
                    o.push_str(&self.change_td(&sv.id, m, "All", before, after));
                }
            }
            let miles_after = self.after.e.mean_drive_miles(self.region, t);
            if let Some(b) = self.before {
                let miles_before = bt.and_then(|bt| b.e.mean_drive_miles(self.region, bt));
                let _ = write!(o, "<td class=\"n first\">{}</td><td class=\"n\">{}</td>", one_decimal(miles_before), one_decimal(miles_after));
            } else {
                let _ = write!(o, "<td class=\"n first\">{}</td>", one_decimal(miles_after));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></div>\n");
    }

    /// Use-weighted mean over services of the population-weighted driving miles.
    fn services_miles(&self, side: Side) -> Option<f64> {
        let w = self.weights(side.s);
        let (mut sw, mut acc) = (0.0, 0.0);
        for (si, wi) in w.iter().enumerate() {
            if let Some(m) = side.e.mean_drive_miles(self.region, Target::Service(si)).filter(|_| *wi > 0.0) {
                sw += wi;
                acc += wi * m;
            }
        }
        (sw > 0.0).then(|| acc / sw)
    }

    fn distances(&self, o: &mut String) {
        if !self.modes().contains(&Mode::CarOffpeak) {
            return;
        }
        o.push_str("<h2>Average driving distance</h2>\n<p>Miles by car outside the rush hour, door to door.</p>\n");
        let cmp = self.is_comparison();
        let heads = if cmp {
            "<th class=\"n\">Before</th><th class=\"n\">After</th><th class=\"n\">Change</th>"
        } else {
            "<th class=\"n\">Today</th><th class=\"n\">This scenario</th><th class=\"n\">Change</th>"
        };
        let _ = writeln!(o, "<table class=\"distance\"><thead><tr><th>Average over</th>{heads}</tr></thead><tbody>");
        let row = |o: &mut String, label: &str, b: Option<f64>, a: Option<f64>| {
            let ch = match (b, a) {
                (Some(b), Some(a)) => format!("<td class=\"n {}\">{}</td>", tone(b - a), signed(a - b)),
                _ => "<td class=\"n\">–</td>".into(),
            };
            let _ = writeln!(o, "<tr><td>{label}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{ch}</tr>", one_decimal(b), one_decimal(a));
        };
        let hlc_a = self.after.e.mean_drive_miles(self.region, Target::AnyHlc);
        let hlc_b = self.before.and_then(|b| b.e.mean_drive_miles(self.region, Target::AnyHlc));
        row(o, "Residents, to the nearest HLC", hlc_b, hlc_a);
        if !self.after.s.services.is_empty() {
            row(
                o,
                "Residents, to where each service is offered (services weighted by contacts a year)",
                self.before.and_then(|b| self.services_miles(b)),
                self.services_miles(self.after),
            );
        }
        if let Some((b, a)) = self.contact_miles() {
            row(o, "Patient contacts (each contact a year counts once)", Some(b), Some(a));
        }
        o.push_str("</tbody></table>\n");
    }

    fn curves(&self, o: &mut String) {
        if self.region.population() <= 0.0 {
            return;
        }
        o.push_str("<h2>How many residents are within a given time</h2>\n<p>Share of residents who can reach where each service is offered (services weighted by use) within the minutes on the horizontal axis; the grey dotted line is the nearest HLC. The dashed vertical line marks the mode's threshold.</p>\n<div class=\"charts\">\n");
        let pop = self.region.population();
        for &m in self.modes() {
            let mut series = Vec::new();
            if let Some(b) = self.before
                && let Some(v) = self.services_curve(b, m)
            {
                series.push(Series { label: format!("Before: {}", b.s.name), colour: BEFORE_COLOUR, dash: "6 3", values: v });
            }
            if let Some(v) = self.services_curve(self.after, m) {
                let label = if self.is_comparison() { format!("After: {}", self.after.s.name) } else { self.after.s.name.clone() };
                series.push(Series { label, colour: AFTER_COLOUR, dash: "", values: v });
            }
            if let Some(v) = self.after.e.curve(self.region, Target::AnyHlc, m, None) {
                series.push(Series { label: "Nearest HLC".into(), colour: HLC_COLOUR, dash: "2 3", values: v.into_iter().map(|x| x / pop).collect() });
            }
            let _ = writeln!(o, "<figure>{}</figure>", curve_chart(m.title(), &series, self.threshold(m)));
        }
        o.push_str("</div>\n");
    }

    fn maps(&self, o: &mut String) {
        if self.region.zones.is_empty() {
            return;
        }
        let map_credits = credits(self.region);
        let highlight = self.site_tiers();
        if self.is_comparison() {
            o.push_str("<h2>Maps: where journeys get quicker or slower</h2>\n<p>Each zone is coloured by the change in minutes, after minus before, to the sites its residents would use, averaged over the services both scenarios plan (weighted by contacts a year). Blue: quicker; red: slower; white: little change; grey: no journey.</p>\n");
        } else {
            o.push_str("<h2>Maps: time to the nearest HLC</h2>\n<p>Each zone is coloured by the door-to-door minutes to the nearest Healthy Living Centre. Grey: no journey.</p>\n");
        }
        for (k, &m) in self.modes().iter().enumerate() {
            let spec = if let Some(b) = self.before {
                let values = self.diff_per_zone(k);
                let scale = Scale::change_fitted(&values);
                MapSpec {
                    title: format!("Change in travel time: {}", m.title()),
                    subtitle: format!("{} minus {}; services weighted by contacts a year", self.after.s.name, b.s.name),
                    width_px: REPORT_MAP_WIDTH_PX,
                    height_px: REPORT_MAP_HEIGHT_PX,
                    values,
                    scale,
                    legend_title: "Change in minutes (after − before)".into(),
                    highlight_sites: highlight.clone(),
                    hlcs: self.after.e.hlcs.clone(),
                    credits: map_credits.clone(),
                }
            } else {
                let values: Vec<Option<f64>> =
                    self.after.e.any_hlc.get(k).map_or(vec![None; self.region.zones.len()], |v| v.iter().map(|c| c.minutes()).collect());
                let within = self
                    .cover_after(Target::AnyHlc, m, None)
                    .map_or(String::new(), |c| format!("; {}% of residents within {} min", pct(c.share()), fmt_num(self.threshold(m))));
                MapSpec {
                    title: format!("Time to the nearest HLC: {}", m.title()),
                    subtitle: format!("{}{within}", self.after.s.name),
                    width_px: REPORT_MAP_WIDTH_PX,
                    height_px: REPORT_MAP_HEIGHT_PX,
                    values,
                    scale: Scale::minutes(),
                    legend_title: "Minutes to the nearest HLC".into(),
                    highlight_sites: highlight.clone(),
                    hlcs: self.after.e.hlcs.clone(),
                    credits: map_credits.clone(),
                }
            };
            let _ = writeln!(o, "<figure class=\"map\" data-mode=\"{}\">{}</figure>", m.label(), map_svg::render_svg_inline(self.region, &spec));
        }
    }

    fn summary_row(&self, o: &mut String, group: &str, value: &str, label: &str, m: Mode, sm: &JourneySummary) {
        let sup = self.suppress;
        let attrs = |col: &str| format!("data-group=\"{}\" data-value=\"{}\" data-mode=\"{}\" data-col=\"{col}\"", esc(group), esc(value), m.label());
        let hidden = is_suppressed(sm.contacts, sup);
        let saved = if hidden { "–".to_string() } else { fmt_int(sm.saved_min_per_year) };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n count\" {}>{}</td><td class=\"n count good\" {}>{}</td><td class=\"n count bad\" {}>{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.1}</td><td class=\"n {}\" {}>{}</td></tr>",
            esc(label),
            attrs("contacts"),
            count(sm.contacts, sup),
            attrs("gaining"),
            count(sm.gain_contacts, sup),
            attrs("losing"),
            count(sm.lose_contacts, sup),
            sm.mean_before_min,
            sm.mean_after_min,
            if hidden { "" } else { tone(sm.saved_min_per_year) },
            attrs("saved_min_per_year"),
            saved
        );
    }

    fn summary_head(first: &str) -> String {
        format!(
            "<thead><tr><th>{first}</th><th class=\"n\">Contacts a year</th><th class=\"n\">Shorter journey</th><th class=\"n\">Longer journey</th><th class=\"n\">Mean minutes before</th><th class=\"n\">Mean minutes after</th><th class=\"n\">Minutes saved a year</th></tr></thead>"
        )
    }

    fn journey_tables(&self, o: &mut String) {
        o.push_str("<h2>Patient journeys</h2>\n");
        if self.journeys.is_empty() {
            o.push_str("<p>No patient contacts were given, so no journeys are compared.</p>\n");
            return;
        }
        let total: f64 = self.journeys.iter().map(|j| j.contacts_per_year).sum();
        let _ = writeln!(
            o,
            "<p>{} rows of the contacts file, {} contacts a year. A journey counts as shorter or longer when it changes by more than half a minute. Minutes saved a year are contacts a year times the minutes saved per trip (negative: more time travelling).</p>",
            fmt_int(self.journeys.len() as f64),
            count(total, self.suppress)
        );
        let _ = writeln!(o, "<h3>By way of travelling</h3>\n<table class=\"journeys by-mode\">{}<tbody>", Self::summary_head("Mode"));
        for (k, &m) in self.modes().iter().enumerate() {
            let sm = summarise(self.journeys, k);
            if sm.rows > 0 {
                self.summary_row(o, "all", "All", m.title(), m, &sm);
            }
        }
        o.push_str("</tbody></table>\n");
        let Some((k, m)) = self.main_mode() else { return };
        let mt = esc(&m.title().to_lowercase());
        if !self.region.localities.is_empty() {
            let _ = writeln!(o, "<h3>By locality ({mt})</h3>\n<table class=\"journeys by-locality\">{}<tbody>", Self::summary_head("Locality"));
            for l in &self.region.localities {
                let sm = summarise(self.journeys.iter().filter(|j| self.locality_of(j) == Some(l.name.as_str())), k);
                if sm.rows > 0 {
                    self.summary_row(o, "locality", &l.name, &l.name, m, &sm);
                }
            }
            o.push_str("</tbody></table>\n");
        }
        let _ = writeln!(o, "<h3>By service ({mt})</h3>\n<div class=\"scroll\"><table class=\"journeys by-service\">{}<tbody>", Self::summary_head("Service"));
        let s = self.after.s;
        let mut order: Vec<usize> = (0..s.services.len()).collect();
        order.sort_by_key(|&i| s.services[i].tier);
        for si in order {
            let sm = summarise(self.journeys.iter().filter(|j| j.service == si), k);
            if sm.rows > 0 {
                let label = format!("{} (tier {})", s.services[si].name, s.services[si].tier.number());
                self.summary_row(o, "service", &s.services[si].id, &label, m, &sm);
            }
        }
        o.push_str("</tbody></table></div>\n");
        let _ = writeln!(o, "<h3>By tier ({mt})</h3>\n<table class=\"journeys by-tier\">{}<tbody>", Self::summary_head("Tier"));
        for t in Tier::ALL {
            let sm = summarise(self.journeys.iter().filter(|j| s.services.get(j.service).is_some_and(|sv| sv.tier == t)), k);
            if sm.rows > 0 {
                self.summary_row(o, "tier", &t.number().to_string(), &format!("Tier {}", t.number()), m, &sm);
            }
        }
        o.push_str("</tbody></table>\n");
    }

    fn worst_losses(&self, o: &mut String) {
        let Some((k, m)) = self.main_mode() else { return };
        let mut losers: Vec<&Journey> = self.journeys.iter().filter(|j| j.saved_min(k).is_some_and(|s| s < -0.5)).collect();
        losers
            .sort_by(|a, b| a.saved_min(k).unwrap_or(0.0).total_cmp(&b.saved_min(k).unwrap_or(0.0)).then(b.contacts_per_year.total_cmp(&a.contacts_per_year)));
        let _ = writeln!(o, "<h2>The largest losses ({})</h2>", esc(&m.title().to_lowercase()));
        if losers.is_empty() {
            o.push_str("<p>No patient's journey gets longer by more than half a minute.</p>\n");
            return;
        }
        let _ = writeln!(
            o,
            "<p>Rows of the contacts file whose journey gets longer, the longest extra time per trip first ({} of {}).</p>\n<div class=\"scroll\"><table class=\"losses\"><thead><tr><th>Zone</th><th>Locality</th><th>Service</th><th class=\"n\">Contacts a year</th><th>Site before</th><th>Site after</th><th class=\"n\">Minutes before</th><th class=\"n\">Minutes after</th><th class=\"n\">Extra minutes per trip</th><th class=\"n\">Extra minutes a year</th></tr></thead><tbody>",
            losers.len().min(WORST_LOSSES),
            fmt_int(losers.len() as f64)
        );
        let site = |x: Option<usize>| x.and_then(|i| self.region.sites.get(i)).map_or("–".to_string(), |s| esc(&s.name));
        for j in losers.iter().take(WORST_LOSSES) {
            let z = &self.region.zones[j.zone];
            let sv = &self.after.s.services[j.service];
            let lost = -j.saved_min(k).unwrap_or(0.0);
            let hidden = is_suppressed(j.contacts_per_year, self.suppress);
            let per_year = if hidden { "–".to_string() } else { fmt_int(lost * j.contacts_per_year) };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{} (tier {})</td><td class=\"n count\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n bad\">{:.1}</td><td class=\"n bad\">{}</td></tr>",
                esc(&z.id),
                esc(z.locality.as_deref().unwrap_or("–")),
                esc(&sv.name),
                sv.tier.number(),
                count(j.contacts_per_year, self.suppress),
                site(j.before_site.get(k).copied().flatten()),
                site(j.after_site.get(k).copied().flatten()),
                one_decimal(j.before_min.get(k).copied().flatten()),
                one_decimal(j.after_min.get(k).copied().flatten()),
                lost,
                per_year
            );
        }
        o.push_str("</tbody></table></div>\n");
        self.loss_itineraries(o, &losers);
    }

    /// The bus journey, leg by leg, to the site "after" for the three largest
    /// losses: what a patient without a car would face.
    fn loss_itineraries(&self, o: &mut String, losers: &[&Journey]) {
        let (Some(tt), Some(walk)) = (self.study.tt.timetable.as_ref(), self.region.network(crate::network::StreetMode::Walk)) else { return };
        let Some((k, _)) = self.main_mode() else { return };
        let depart = self.study.tt.request.bus_window.middle_s();
        let router = crate::transit::BusRouter::new(tt, walk, self.study.tt.request.bus_options());
        let _ = writeln!(
            o,
            "<h3>By bus, for the largest losses</h3>\n<p>Leaving at {} on {} {}, the journey to the site after the change, leg by leg (walking, waiting and riding).</p>",
            crate::transit::fmt_hm(depart),
            tt.date.weekday_name(),
            tt.date
        );
        for j in losers.iter().take(3) {
            let Some(site) = j.after_site.get(k).copied().flatten() else { continue };
            let z = &self.region.zones[j.zone];
            let text = match router.itinerary(z.point, self.region.sites[site].point, depart) {
                Ok(it) => it.to_string(),
                Err(e) => format!("no bus journey: {e}"),
            };
            let _ = writeln!(
                o,
                "<p><strong>{} to {}</strong></p>\n<pre class=\"itinerary\">{}</pre>",
                esc(&z.id),
                esc(&self.region.sites[site].name),
                esc(text.trim_end())
            );
        }
    }

    fn loads(&self, o: &mut String) {
        let Some((k, m)) = self.main_mode() else { return };
        let n = self.region.sites.len();
        let mut before = vec![0.0; n];
        let mut after = vec![0.0; n];
        for j in self.journeys {
            if let Some(s) = j.before_site.get(k).copied().flatten().filter(|s| *s < n) {
                before[s] += j.contacts_per_year;
            }
            if let Some(s) = j.after_site.get(k).copied().flatten().filter(|s| *s < n) {
                after[s] += j.contacts_per_year;
            }
        }
        let over = over_capacity(self.region, &self.after.e.loads);
        let _ = writeln!(
            o,
            "<h2>Site loads</h2>\n<p>Patient contacts a year each site would see, each patient going where the rules send them ({}).</p>",
            esc(&m.title().to_lowercase())
        );
        if over.is_empty() {
            o.push_str("<p class=\"loads-ok\">No site is over its capacity after the change.</p>\n");
        } else {
            o.push_str("<p><b>Over capacity after the change:</b></p>\n<ul class=\"over-capacity\">\n");
            for (s, contacts, cap) in &over {
                let _ = writeln!(
                    o,
                    "<li class=\"over\">{}: {} contacts a year against a capacity of {} ({:.0}%)</li>",
                    esc(&self.region.sites[*s].name),
                    count(*contacts, self.suppress),
                    fmt_int(*cap),
                    100.0 * contacts / cap.max(1e-9)
                );
            }
            o.push_str("</ul>\n");
        }
        let (bh, ah) = if self.is_comparison() { ("Before", "After") } else { ("Today", "This scenario") };
        let _ = writeln!(
            o,
            "<div class=\"scroll\"><table class=\"loads\"><thead><tr><th>Site</th><th>Kind</th><th class=\"n\">{bh}</th><th class=\"n\">{ah}</th><th class=\"n\">Capacity</th><th class=\"n\">Share of capacity after</th></tr></thead><tbody>"
        );
        for (i, s) in self.region.sites.iter().enumerate() {
            if before[i] <= 0.0 && after[i] <= 0.0 {
                continue;
            }
            let is_over = over.iter().any(|x| x.0 == i);
            let share = s.capacity.filter(|c| *c > 0.0).map_or("–".to_string(), |c| format!("{:.0}%", 100.0 * after[i] / c));
            let status = if s.status == crate::model::SiteStatus::Planned { " (planned)" } else { "" };
            let _ = writeln!(
                o,
                "<tr><td>{}{status}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n{}\">{share}</td></tr>",
                esc(&s.name),
                esc(&s.kind),
                count(before[i], self.suppress),
                count(after[i], self.suppress),
                s.capacity.map_or("–".to_string(), fmt_int),
                if is_over { " over" } else { "" }
            );
        }
        o.push_str("</tbody></table></div>\n");
    }

    fn violations(&self, o: &mut String) {
        o.push_str("<h2>Tier-rule violations</h2>\n");
        let list = |o: &mut String, e: &Evaluation| {
            if e.violations.is_empty() {
                o.push_str("<p>None: every tier rule holds.</p>\n");
            } else {
                o.push_str("<ul class=\"violations\">\n");
                for v in &e.violations {
                    let _ = writeln!(o, "<li>{}</li>", esc(&v.message));
                }
                o.push_str("</ul>\n");
            }
        };
        match self.before {
            Some(b) => {
                let _ = writeln!(o, "<h3>After: {} ({})</h3>", esc(&self.after.s.name), self.after.e.violations.len());
                list(o, self.after.e);
                let _ = writeln!(o, "<details><summary>Before: {} ({})</summary>", esc(&b.s.name), b.e.violations.len());
                list(o, b.e);
                o.push_str("</details>\n");
            }
            None => list(o, self.after.e),
        }
    }

    fn inputs(&self, o: &mut String) {
        let r = self.region;
        let f = &self.study.file.inputs;
        o.push_str("<h2>Inputs and data credits</h2>\n<table class=\"inputs\"><tbody>\n");
        let name = |p: &std::path::Path| p.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let row = |o: &mut String, k: &str, v: String| {
            let _ = writeln!(o, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
        };
        row(o, if self.is_comparison() { "Baseline scenario file" } else { "Scenario file" }, name(&self.study.path));
        row(
            o,
            "Zones",
            format!(
                "{} ({} zones, {} residents; population from '{}')",
                name(&r.inputs.zones),
                r.zones.len(),
                fmt_int(r.population()),
                f.population.as_deref().unwrap_or("none: zones weighted equally")
            ),
        );
        if let Some(p) = &r.inputs.osm {
            let what = if r.uses_osm { "OpenStreetMap" } else { "synthetic, in OpenStreetMap format" };
            row(o, "Street network", format!("{} ({what})", name(p)));
        }
        match &r.inputs.sites {
            Some(crate::region::SitesInput::File(p)) => row(o, "Sites", format!("{} ({} sites)", name(p), r.sites.len())),
            Some(crate::region::SitesInput::Osm(_)) => row(o, "Sites", format!("OpenStreetMap tags ({} sites)", r.sites.len())),
            None => {}
        }
        match &r.inputs.localities {
            Some(crate::region::LocalitiesInput::Polygons { path, .. }) => row(o, "Localities", format!("{} ({})", name(path), r.localities.len())),
            Some(crate::region::LocalitiesInput::Grouped { areas, grouping, .. }) => {
                row(o, "Localities", format!("{} grouped by {} ({})", name(areas), name(grouping), r.localities.len()))
            }
            None => {}
        }
        if let Some(c) = &f.contacts {
            let left = self.study.contact_warnings.len();
            row(
                o,
                "Patient contacts",
                format!(
                    "{} ({} rows used{})",
                    c.rsplit('/').next().unwrap_or(c),
                    fmt_int(self.study.contacts.len() as f64),
                    if left > 0 { format!(", {left} rows left out") } else { String::new() }
                ),
            );
        }
        if let Some(g) = &f.gtfs {
            let used = if self.modes().contains(&Mode::Bus) { "used" } else { "named, not used for these travel times" };
            row(o, "Bus timetable (GTFS)", format!("{} ({used})", g.rsplit('/').next().unwrap_or(g)));
        }
        let names: Vec<&str> = self.modes().iter().map(|m| m.title()).collect();
        row(o, "Travel times", format!("door to door for {} zones x {} sites: {}", r.zones.len(), r.sites.len(), names.join("; ")));
        if !r.warnings.is_empty() {
            row(o, "Input warnings", format!("{} (see the command's output)", r.warnings.len()));
        }
        o.push_str("</tbody></table>\n");
        let _ = writeln!(o, "<p class=\"credits\">{}</p>", esc(&credits(r)));
    }
}

/// The credits line of the report and its maps: the map credits, saying so
/// when the street network is a synthetic one (the demo region).
fn credits(r: &Region) -> String {
    let c = map_svg::default_credits(r);
    if r.inputs.osm.is_some() && !r.uses_osm { format!("Synthetic demo region (fictional). {c}") } else { c }
}

/// One line of a cumulative chart: shares (0..=1) for t = 0..=90 minutes.
struct Series {
    label: String,
    colour: &'static str,
    dash: &'static str,
    values: Vec<f64>,
}

/// An inline SVG line chart of cumulative shares against minutes.
fn curve_chart(title: &str, series: &[Series], threshold_min: f64) -> String {
    let (w, h) = (470.0, 300.0);
    let (left, right, top, bottom) = (54.0, 16.0, 64.0, 44.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let tmax = CURVE_MAX_MIN as f64;
    let px = |t: f64| left + t / tmax * pw;
    let py = |s: f64| top + (1.0 - s.clamp(0.0, 1.0)) * ph;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="curve" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}" font-family="{}" font-size="11">"#,
        esc(&format!("Cumulative share of residents by minutes: {title}")),
        esc(FONT_STACK)
    );
    let _ = write!(
        o,
        r##"<rect width="{w}" height="{h}" fill="#ffffff"/><text x="{left}" y="18" font-size="14" font-weight="700" fill="#111111">{}</text>"##,
        esc(title)
    );
    // Legend, under the title.
    let mut lx = left;
    let mut ly = 36.0;
    for s in series {
        let width = 34.0 + 6.2 * s.label.chars().count() as f64;
        if lx + width > w - right && lx > left {
            lx = left;
            ly += 15.0;
        }
        let _ = write!(
            o,
            r##"<path d="M{lx} {}h22" stroke="{}" stroke-width="2.5" stroke-dasharray="{}" fill="none"/><text x="{}" y="{}" fill="#222222">{}</text>"##,
            ly - 4.0,
            s.colour,
            s.dash,
            lx + 27.0,
            ly,
            esc(&s.label)
        );
        lx += width;
    }
    // Grid and axes.
    o.push_str(r##"<g stroke="#e3e6e9" stroke-width="1">"##);
    for i in 0..=5 {
        let y = py(i as f64 / 5.0);
        let _ = write!(o, r#"<path d="M{left} {y:.1}H{}"/>"#, left + pw);
    }
    for t in (0..=CURVE_MAX_MIN).step_by(15) {
        let x = px(t as f64);
        let _ = write!(o, r#"<path d="M{x:.1} {top}V{}"/>"#, top + ph);
    }
    o.push_str("</g>");
    let _ = write!(o, r##"<path d="M{left} {top}V{}H{}" stroke="#555555" fill="none"/>"##, top + ph, left + pw);
    o.push_str(r##"<g fill="#333333" text-anchor="end">"##);
    for i in 0..=5 {
        let y = py(i as f64 / 5.0);
        let _ = write!(o, r#"<text x="{}" y="{:.1}">{}%</text>"#, left - 5.0, y + 4.0, i * 20);
    }
    o.push_str(r##"</g><g fill="#333333" text-anchor="middle">"##);
    for t in (0..=CURVE_MAX_MIN).step_by(15) {
        let _ = write!(o, r#"<text x="{:.1}" y="{}">{t}</text>"#, px(t as f64), top + ph + 15.0);
    }
    o.push_str("</g>");
    let _ = write!(o, r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#333333">Minutes, door to door</text>"##, left + pw / 2.0, h - 8.0);
    let _ = write!(o, r##"<text transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle" fill="#333333">Residents within (%)</text>"##, top + ph / 2.0);
    // Threshold.
    if threshold_min.is_finite() && threshold_min > 0.0 && threshold_min <= tmax {
        let x = px(threshold_min);
        let _ = write!(
            o,
            r##"<path d="M{x:.1} {top}V{}" stroke="#111111" stroke-dasharray="4 3" fill="none"/><text x="{:.1}" y="{}" fill="#111111">{} min</text>"##,
            top + ph,
            x + 4.0,
            top + 12.0,
            fmt_num(threshold_min)
        );
    }
    // Lines.
    for s in series {
        let pts: Vec<String> = s.values.iter().enumerate().map(|(t, v)| format!("{:.1},{:.1}", px(t as f64), py(*v))).collect();
        let dash = if s.dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{}""#, s.dash) };
        let _ = write!(o, r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.2"{dash}/>"#, pts.join(" "), s.colour);
    }
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_are_right() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

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
