//! `accessplan optimise`: suggests where a service (or a tier's services)
//! should go, prints the suggestion beside today's placement, and writes it
//! as a new scenario the planner can open, edit and compare.

use std::path::Path;

use accessplan::analysis::optimise::{Method, Objective, Options};
use accessplan::analysis::placement::{PlacementError, PlacementRequest, Suggestion, site_index, suggest};
use accessplan::error::{Error, Result};
use accessplan::study::Study;

use super::OptimiseArgs;

/// `accessplan optimise`.
pub fn optimise(a: OptimiseArgs, quiet: bool) -> Result<()> {
    if a.out == a.scenario || a.out.canonicalize().ok().is_some_and(|o| a.scenario.canonicalize().ok() == Some(o)) {
        return Err(Error::BadArgument {
            flag: "--out",
            value: a.out.display().to_string(),
            reason: "it is the scenario being optimised; name a new file so the original stays as it is".into(),
        });
    }
    if !(a.time_limit.is_finite() && a.time_limit > 0.0) {
        return Err(Error::BadArgument { flag: "--time-limit", value: a.time_limit.to_string(), reason: "must be a positive number of seconds".into() });
    }
    {
        let f = accessplan::plan::scenario::ScenarioFile::load(&a.scenario)?;
        let mut inputs = f.region_inputs(&a.scenario)?.files();
        inputs.extend(f.contacts_path(&a.scenario)?);
        inputs.push(a.scenario.clone());
        accessplan::fileio::check_writable(&a.out, &inputs)?;
    }
    let mut study = super::load::open_study(&a.scenario, quiet)?;
    if let Some(no) = study.no_street_network() {
        return Err(Error::NoStreetNetwork { scenario: a.scenario.clone(), what: "a placement".into(), message: no.to_string() });
    }
    let services = chosen_services(&study, &a.service, a.tier)?;
    let mut req = PlacementRequest::new(services);
    req.mode = a.mode;
    req.objective = a.objective;
    req.weighting = a.weight.clone();
    req.sites = a.p;
    req.threshold_min = a.threshold;
    req.kinds = a.kinds.clone();
    req.capacity = a.capacity;
    req.fixed = a.fixed.iter().map(|id| site_index(study.sites(), id)).collect::<Result<_>>()?;
    req.excluded = a.exclude.iter().map(|id| site_index(study.sites(), id)).collect::<Result<_>>()?;
    req.options = Options { method: a.method, time_limit: std::time::Duration::from_secs_f64(a.time_limit), ..Options::default() };
    let sg = suggest(&req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts)?;
    if !quiet {
        for n in &sg.notes {
            eprintln!("note: {n}");
        }
    }
    print_suggestion(&study, &sg);
    // The new scenario: the original with the services moved, inputs re-based on the output's folder.
    sg.apply(&mut study.scenario);
    let mut file = study.scenario_file();
    let names: Vec<&str> = sg.services.iter().map(|&s| study.scenario.services[s].id.as_str()).collect();
    file.name = format!("{} (optimised: {})", file.name, names.join(", "));
    let note = format!(
        "{} placed by accessplan optimise: {} by {}, weighted by {}{}.",
        names.join(", "),
        objective_words(sg.objective, sg.threshold_min),
        sg.mode.title().to_lowercase(),
        sg.weighting,
        if req.capacity { ", within site capacities" } else { "" }
    );
    file.description = if file.description.is_empty() { note } else { format!("{}\n{note}", file.description) };
    let src_dir = a.scenario.parent().unwrap_or(Path::new("."));
    let out_dir = a.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    file.inputs = file.inputs.rebased(src_dir, out_dir);
    file.growth = file.growth.map(|g| g.rebased(src_dir, out_dir));
    let mut protected = study.region.inputs.files();
    protected.push(a.scenario.clone());
    file.save(&a.out, &protected)?;
    if !quiet {
        eprintln!("written {}; compare it with: accessplan compare {} {} --out OUTDIR", a.out.display(), a.scenario.display(), a.out.display());
    }
    Ok(())
}

/// Service indices named by `--service` or `--tier`.
fn chosen_services(study: &Study, ids: &[String], tier: Option<u8>) -> Result<Vec<usize>> {
    let s = &study.scenario;
    if let Some(t) = tier {
        let v: Vec<usize> = (0..s.services.len()).filter(|&i| s.services[i].tier.number() == t).collect();
        if !(2..=3).contains(&t) {
            return Err(Error::BadArgument {
                flag: "--tier",
                value: t.to_string(),
                reason: "only tier 2 and tier 3 services can be placed (tier 1 goes to every HLC)".into(),
            });
        }
        if v.is_empty() {
            return Err(PlacementError::NoServiceOfTier { tier: t }.into());
        }
        return Ok(v);
    }
    ids.iter()
        .map(|id| {
            s.service(id).ok_or_else(|| {
                let known: Vec<String> = s.services.iter().filter(|x| x.tier.number() > 1).map(|x| x.id.clone()).collect();
                PlacementError::UnknownService { id: id.clone(), known }.into()
            })
        })
        .collect()
}

/// The objective in words.
pub fn objective_words(o: Objective, threshold_min: f64) -> String {
    match o {
        Objective::Median => "shortest average journey".into(),
        Objective::Cover => format!("most people within {threshold_min:.0} minutes"),
        Objective::Center => "shortest longest journey".into(),
        Objective::CoverThenMedian => format!("most people within {threshold_min:.0} minutes, then shortest average journey"),
    }
}

fn print_suggestion(study: &Study, sg: &Suggestion) {
    let names: Vec<String> = sg.services.iter().map(|&s| study.scenario.services[s].name.clone()).collect();
    println!(
        "Placement of {} ({}), {} by {}, weighted by {}",
        names.join(", "),
        sg.tier,
        objective_words(sg.objective, sg.threshold_min),
        sg.mode.title().to_lowercase(),
        sg.weighting
    );
    let sites = study.sites();
    let site_list = |v: &[usize]| if v.is_empty() { "none".to_string() } else { v.iter().map(|&i| sites[i].name.clone()).collect::<Vec<_>>().join(", ") };
    let (c, p) = (&sg.current, &sg.solution.value);
    let share = |v: Option<f64>| v.map(|x| format!("{}%", accessplan::export::style::pct(x))).unwrap_or_else(|| "-".into());
    let mins = |s: f64| if s.is_finite() { format!("{:.1} min", s / 60.0) } else { "-".into() };
    println!("  {:<26} {:<16} suggested", "", "today");
    println!("  {:<26} {:<16} {}", "sites", sg.current_sites.len(), sg.solution.open.len());
    // A service offered nowhere today has no journeys to describe: "-", not 0.0.
    let today = |text: String| if sg.current_sites.is_empty() { "-".to_string() } else { text };
    println!("  {:<26} {:<16} {}", "average journey", today(mins(c.mean_time_s)), mins(p.mean_time_s));
    println!("  {:<26} {:<16} {}", format!("within {:.0} min", sg.threshold_min), today(share(c.covered_share)), share(p.covered_share));
    println!("  {:<26} {:<16} {}", "longest journey", today(mins(c.worst_time_s)), mins(p.worst_time_s));
    if c.unreached_weight > 0.0 || p.unreached_weight > 0.0 {
        println!("  {:<26} {:<16.0} {:.0}", "demand with no journey", c.unreached_weight, p.unreached_weight);
    }
    println!("  today:     {}", site_list(&sg.current_sites));
    println!("  suggested: {}", site_list(&sg.solution.open));
    let s = &sg.solution;
    let how = match (s.method, s.proven_optimal, s.timed_out) {
        (Method::Exact, true, _) => "exact search: proven best".to_string(),
        (_, true, _) => "heuristic (greedy + interchange), proven best by its lower bound (no enumeration was needed)".to_string(),
        (Method::Exact, false, true) => "exact search stopped at the time limit: best found so far".to_string(),
        (_, false, true) => "heuristic stopped at the time limit: best found so far".to_string(),
        _ => "heuristic (greedy + interchange)".to_string(),
    };
    let gap = match (s.gap, s.proven_optimal) {
        (_, true) => String::new(),
        (Some(g), false) => format!("; at most {:.2}% from the best possible (bound {:.4})", g * 100.0, s.bound.unwrap_or(f64::NAN)),
        (None, false) => "; no bound known".into(),
    };
    println!("  {how}{gap}; {} placements evaluated in {:.1} ms", accessplan::export::style::fmt_int(s.evaluations as f64), s.elapsed.as_secs_f64() * 1000.0);
}
