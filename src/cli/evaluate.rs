//! `accessplan evaluate` and `accessplan compare`: one scenario analysed, or
//! two compared, written as CSV tables, GeoJSON layers and the HTML report,
//! with a headline printed.

use std::path::{Path, PathBuf};

use accessplan::error::{Error, Result};
use accessplan::export::style::fmt_int;
use accessplan::fileio::{check_writable_folder, write_atomic};
use accessplan::plan::scenario::ScenarioFile;
use accessplan::travel::Mode;

use super::load::open_study;

/// Names `evaluate` and `compare` write into their folder, besides the
/// zones layer of each mode.
const OUTPUT_NAMES: &[&str] = &[
    "coverage.csv",
    "equity.csv",
    "phases.csv",
    "journeys.csv",
    "journey_summary.csv",
    "loads.csv",
    "loads_before.csv",
    "loads_after.csv",
    "violations.txt",
    "violations_before.txt",
    "violations_after.txt",
    "no_street_network.txt",
    "report.html",
    "catchments.geojson",
    "zones.geojson",
    "sites.geojson",
    "localities.geojson",
];

/// Before the region is loaded: each scenario file parses, and the output
/// folder can be made and written without going over any file the
/// scenarios read (the scenarios themselves, their inputs, their contacts).
fn preflight(out: &Path, scenarios: &[&Path]) -> Result<()> {
    let mut inputs: Vec<PathBuf> = Vec::new();
    for &p in scenarios {
        let f = ScenarioFile::load(p)?;
        inputs.push(p.to_path_buf());
        inputs.extend(f.region_inputs(p)?.files());
        inputs.extend(f.contacts_path(p)?);
    }
    let mut names: Vec<&str> = OUTPUT_NAMES.to_vec();
    names.extend(Mode::ALL.iter().map(|&m| accessplan::export::layers::zones_file_name(m)));
    check_writable_folder(out, &names, &inputs)
}

fn write_outputs(dir: &Path, files: Vec<(&str, Vec<u8>)>, protected: &[PathBuf]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    for (name, bytes) in files {
        write_atomic(&dir.join(name), &bytes, protected)?;
    }
    Ok(())
}

/// `accessplan evaluate`. A study without a street network writes what
/// needs none (zones with population, sites, localities, the tier rules and
/// what is missing) and says what to download.
pub fn evaluate(path: &Path, out: &Path, suppress: bool, quiet: bool) -> Result<()> {
    use accessplan::export::tables::*;
    preflight(out, &[path])?;
    let study = open_study(path, quiet)?;
    let e = study.evaluate();
    let (r, s) = (&study.region, &study.scenario);
    let mut protected = r.inputs.files();
    protected.push(path.to_path_buf());
    if let Some(no) = study.no_street_network() {
        let mut files = accessplan::export::layers::places_layers(r, study.sites(), s);
        files.push(("violations.txt", violations_text(&e).into_bytes()));
        files.push(("no_street_network.txt", format!("{no}\n").into_bytes()));
        files.push(("report.html", accessplan::export::report::evaluation_report(&study, &e, suppress).into_bytes()));
        write_outputs(out, files, &protected)?;
        if !quiet {
            println!("{}", population_and_demand(&study));
            let offered = s.services.iter().filter(|x| x.offered.contains(&true)).count();
            println!(
                "{} zones ({} residents), {} localities, {} sites; {} of {} services offered somewhere",
                fmt_int(r.zones.len() as f64),
                fmt_int(r.population()),
                r.localities.len(),
                study.sites().len(),
                offered,
                s.services.len()
            );
            println!("Tier-rule violations: {}", e.violations.len());
            let no = no.to_string();
            println!("No travel times. {}{}", no[..1].to_uppercase(), &no[1..]);
            eprintln!("zones, sites, localities, tier rules and report written to {}", out.display());
        }
        return Ok(());
    }
    let (groupings, equity) = study.equity_table((s, &e), None)?;
    let mut files = vec![
        ("coverage.csv", coverage_csv(r, s, &e)),
        ("equity.csv", accessplan::export::equity_csv::equity_csv(&groupings, &equity, suppress)),
        ("journeys.csv", journeys_csv(r, study.sites(), s, &e.modes, &e.journeys, suppress)),
        ("journey_summary.csv", journey_summary_csv(r, s, &e.modes, &e.journeys, suppress)),
        ("loads.csv", loads_csv(study.sites(), s, &e, suppress)),
        ("violations.txt", violations_text(&e).into_bytes()),
    ];
    files.extend(accessplan::export::report::evaluation_outputs(&study, &e, suppress));
    write_outputs(out, files, &protected)?;
    if !quiet {
        print_headline(&study, &e, None);
        eprintln!("tables, layers and report written to {}", out.display());
    }
    Ok(())
}

/// `accessplan compare` of two scenarios.
pub fn compare(base: &Path, proposed: &Path, out: &Path, suppress: bool, quiet: bool) -> Result<()> {
    preflight(out, &[base, proposed])?;
    let study = super::load::open_study_judged_with(base, Some(proposed), quiet)?;
    if let Some(no) = study.no_street_network() {
        return Err(Error::NoStreetNetwork { scenario: base.to_path_buf(), what: "a comparison".into(), message: no.to_string() });
    }
    let (_, prop_s) = study.other(proposed)?;
    let base_e = study.evaluate();
    let prop_e = accessplan::analysis::evaluate(&prop_s, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
    let c = accessplan::analysis::compare::compare(&study.scenario, base_e, &prop_s, prop_e, &study.tt, &study.contacts);
    let mut protected = study.region.inputs.files();
    protected.extend([base.to_path_buf(), proposed.to_path_buf()]);
    write_outputs(out, comparison_files(&study, &prop_s, &c, suppress)?, &protected)?;
    if !quiet {
        print_headline(&study, &c.base, Some((&prop_s, &c.proposed)));
        print_journeys(&c);
        eprintln!("tables, layers and report written to {}", out.display());
    }
    Ok(())
}

/// The files of a comparison of the study's scenario (before) with `prop_s` (after).
fn comparison_files(
    study: &accessplan::study::Study,
    prop_s: &accessplan::plan::Scenario,
    c: &accessplan::analysis::compare::Comparison,
    suppress: bool,
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    use accessplan::export::tables::*;
    let r = &study.region;
    let (groupings, equity) = study.equity_table((&study.scenario, &c.base), Some((prop_s, &c.proposed)))?;
    let mut files = vec![
        ("coverage.csv", coverage_compare_csv(r, &study.scenario, prop_s, c)),
        ("equity.csv", accessplan::export::equity_csv::equity_csv(&groupings, &equity, suppress)),
        ("journeys.csv", journeys_csv(r, study.sites(), prop_s, &c.proposed.modes, &c.journeys, suppress)),
        ("journey_summary.csv", journey_summary_csv(r, prop_s, &c.proposed.modes, &c.journeys, suppress)),
        ("loads_before.csv", loads_csv(study.sites(), &study.scenario, &c.base, suppress)),
        ("loads_after.csv", loads_csv(study.sites(), prop_s, &c.proposed, suppress)),
        ("violations_before.txt", violations_text(&c.base).into_bytes()),
        ("violations_after.txt", violations_text(&c.proposed).into_bytes()),
    ];
    files.extend(accessplan::export::report::comparison_outputs(study, prop_s, c, suppress));
    Ok(files)
}

fn print_journeys(c: &accessplan::analysis::compare::Comparison) {
    if let Some(k) = c.proposed.mode_index(accessplan::travel::Mode::CarOffpeak) {
        let sm = accessplan::analysis::journeys::summarise(&c.journeys, k);
        if let Some((b, a)) = c.drive_miles() {
            println!("Patient journeys (car, off peak): {b:.1} -> {a:.1} miles per contact on average");
        }
        println!(
            "  {} contacts a year: {} with a shorter journey, {} longer; {:.0} hours saved a year in all",
            fmt_int(sm.contacts),
            fmt_int(sm.gain_contacts),
            fmt_int(sm.lose_contacts),
            sm.saved_min_per_year / 60.0
        );
    }
}

/// The folder of one comparison of a plan: `phase2-interim-vs-today`.
fn phase_folder(k: usize, name: &str, against: &str) -> String {
    let slug: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let slug = slug.split('-').filter(|p| !p.is_empty()).take(6).collect::<Vec<_>>().join("-");
    format!("phase{}-{}-vs-{against}", k + 1, if slug.is_empty() { "scenario".into() } else { slug })
}

/// `accessplan compare` of a plan in phases: the first scenario is today,
/// then each phase in order. Writes `phases.csv` (every phase's headline
/// figures, with the change against today and the phase before), a short
/// `report.html` linking each comparison, and one folder per comparison
/// (each phase against today, and from the third on against the phase
/// before) holding what a two-scenario `compare` writes.
pub fn compare_phases(paths: &[PathBuf], out: &Path, suppress: bool, quiet: bool) -> Result<()> {
    use accessplan::analysis::phases::{check_order, phase_figures};
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    preflight(out, &refs)?;
    let files: Vec<ScenarioFile> = paths.iter().map(|p| ScenarioFile::load(p)).collect::<std::result::Result<_, _>>()?;
    check_order(&files.iter().map(|f| f.date.as_deref()).collect::<Vec<_>>())
        .map_err(|(i, message)| Error::Input(accessplan::error::InputError::at(&paths[i], accessplan::error::Location::File, Some("date"), message)))?;
    let mut study = open_study(&paths[0], quiet)?;
    if let Some(no) = study.no_street_network() {
        return Err(Error::NoStreetNetwork { scenario: paths[0].clone(), what: "a plan in phases".into(), message: no.to_string() });
    }
    let mut scenarios = vec![study.scenario.clone()];
    for p in &paths[1..] {
        scenarios.push(study.other(p)?.1);
    }
    let evals: Vec<accessplan::analysis::Evaluation> =
        scenarios.iter().map(|s| accessplan::analysis::evaluate(s, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts)).collect();
    let mut protected = study.region.inputs.files();
    protected.extend(paths.iter().cloned());
    let use_by = study.use_by_service();
    let figs: Vec<Vec<accessplan::analysis::phases::PhaseFigures>> =
        scenarios.iter().zip(&evals).map(|(s, e)| phase_figures(&study.region, s, e, &accessplan::analysis::equity::service_weights(s, &use_by))).collect();
    // Each comparison, written with the study's scenario set to its "before".
    let (first_file, first_path, first_s) = (study.file.clone(), study.path.clone(), study.scenario.clone());
    let mut folders: Vec<(usize, usize, String)> = Vec::new();
    for k in 1..paths.len() {
        let against: Vec<(usize, &str)> = if k == 1 { vec![(0, "today")] } else { vec![(0, "today"), (k - 1, "previous")] };
        for (b, word) in against {
            study.file = files[b].clone();
            study.path = paths[b].clone();
            study.scenario = scenarios[b].clone();
            let c = accessplan::analysis::compare::compare(&scenarios[b], evals[b].clone(), &scenarios[k], evals[k].clone(), &study.tt, &study.contacts);
            let folder = phase_folder(k, &scenarios[k].name, word);
            write_outputs(&out.join(&folder), comparison_files(&study, &scenarios[k], &c, suppress)?, &protected)?;
            folders.push((k, b, folder));
        }
    }
    (study.file, study.path, study.scenario) = (first_file, first_path, first_s);
    let csv = phases_csv(&scenarios, &files, paths, &figs);
    let html = phases_html(&study, &scenarios, &files, &figs, &folders);
    write_outputs(out, vec![("phases.csv", csv), ("report.html", html.into_bytes())], &protected)?;
    if !quiet {
        println!("A plan in {} phases after today ({} residents):", paths.len() - 1, fmt_int(study.region.population()));
        for (k, s) in scenarios.iter().enumerate() {
            let when = files[k].date.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
            let shares: Vec<String> = figs[k]
                .iter()
                .map(|f| format!("{} {}%", f.mode.label(), f.services.map_or("-".into(), |a| format!("{:.1}", a.share_within * 100.0))))
                .collect();
            println!("  {}{when}: {}; {} tier-rule violations", s.name, shares.join(", "), evals[k].violations.len());
        }
        println!("  (share of service uses within each mode's threshold, services weighted by use)");
        eprintln!("phases.csv, report.html and {} comparison folders written to {}", folders.len(), out.display());
    }
    Ok(())
}

fn phases_csv(
    scenarios: &[accessplan::plan::Scenario],
    files: &[ScenarioFile],
    paths: &[PathBuf],
    figs: &[Vec<accessplan::analysis::phases::PhaseFigures>],
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "phase",
        "scenario",
        "date",
        "file",
        "mode",
        "threshold_min",
        "hlc_share_within",
        "services_share_within",
        "services_mean_min",
        "services_p90_min",
        "change_vs_today_points",
        "change_vs_previous_points",
        "violations",
    ]);
    let f4 = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
    let f2 = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_default();
    for (k, s) in scenarios.iter().enumerate() {
        for f in &figs[k] {
            let share = |j: usize| figs[j].iter().find(|x| x.mode == f.mode).and_then(|x| x.services).map(|a| a.share_within);
            let mine = f.services.map(|a| a.share_within);
            let change = |j: usize| if k > 0 { mine.zip(share(j)).map(|(a, b)| (a - b) * 100.0) } else { None };
            let _ = w.write_record([
                k.to_string(),
                s.name.clone(),
                files[k].date.clone().unwrap_or_default(),
                paths[k].display().to_string(),
                f.mode.label().to_string(),
                format!("{}", f.threshold_min),
                f4(f.hlc_share),
                f4(mine),
                f2(f.services.and_then(|a| a.mean_min)),
                f2(f.services.and_then(|a| a.p90_min)),
                f2(change(0)),
                f2(if k > 0 { change(k - 1) } else { None }),
                f.violations.to_string(),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

fn phases_html(
    study: &accessplan::study::Study,
    scenarios: &[accessplan::plan::Scenario],
    files: &[ScenarioFile],
    figs: &[Vec<accessplan::analysis::phases::PhaseFigures>],
    folders: &[(usize, usize, String)],
) -> String {
    use accessplan::export::map_svg::esc;
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>A plan in phases</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse}}td,th{{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:right}}td:first-child,th:first-child{{text-align:left}}</style>\n</head>\n<body>\n<h1>A plan in phases</h1>\n<p>{} residents. Each phase is judged on its own: the share of residents' uses of the services within each mode's time of where the tier rules send them (services weighted by use). Follow the links for each phase's full comparison with today and with the phase before.</p>\n<table><thead><tr><th>Phase</th><th>From</th>",
        accessplan::export::style::fmt_int(study.region.population())
    );
    let modes: Vec<accessplan::travel::Mode> = figs.first().map(|f| f.iter().map(|x| x.mode).collect()).unwrap_or_default();
    for m in &modes {
        let _ = write!(o, "<th>{}</th>", esc(m.title()));
    }
    o.push_str("<th>Rule violations</th><th>Comparisons</th></tr></thead><tbody>\n");
    for (k, s) in scenarios.iter().enumerate() {
        let _ = write!(o, "<tr><td>{}{}</td><td>{}</td>", if k == 0 { "Today: " } else { "" }, esc(&s.name), esc(files[k].date.as_deref().unwrap_or("–")));
        for f in &figs[k] {
            let _ = write!(o, "<td>{}</td>", f.services.map_or("–".into(), |a| format!("{:.1}%", a.share_within * 100.0)));
        }
        let links: Vec<String> = folders
            .iter()
            .filter(|(p, _, _)| *p == k)
            .map(|(_, b, f)| format!("<a href=\"{f}/report.html\">against {}</a>", if *b == 0 { "today".to_string() } else { esc(&scenarios[*b].name) }))
            .collect();
        let _ = writeln!(o, "<td>{}</td><td>{}</td></tr>", figs[k].first().map_or(0, |f| f.violations), links.join(", "));
    }
    let _ = writeln!(o, "</tbody></table>\n<p>{}</p>\n</body>\n</html>", esc(&accessplan::export::report::credits_text(&study.region)));
    o
}

/// The headline's first lines: the population year the figures rest on and
/// which patient contacts the journeys use, in plain words.
fn population_and_demand(study: &accessplan::study::Study) -> String {
    let population = match &study.growth {
        Some(g) => format!("Population: {}", g.headline()),
        None => format!("Population: as the inputs give it, {} residents (no [growth] table)", fmt_int(study.region.population())),
    };
    let mut s = population;
    if let Some(n) = &study.growth_note {
        s.push_str(&format!("; {n}"));
    }
    let d = study.demand.source.to_string();
    s.push_str(&format!("\nDemand: {}{}", d[..1].to_uppercase(), &d[1..]));
    s
}

/// Prints the "any HLC" coverage (the Medway table) and driving distances.
/// Without HLCs the figures are to the nearest site of any kind, and say so;
/// compared with a scenario that has HLCs, a side without reads "no HLC defined".
fn print_headline(
    study: &accessplan::study::Study,
    e: &accessplan::analysis::Evaluation,
    after: Option<(&accessplan::plan::Scenario, &accessplan::analysis::Evaluation)>,
) {
    use accessplan::analysis::Target;
    use accessplan::export::style::{NO_HLC_CELL, NO_HLC_NOTE, nearest_words};
    let (r, s) = (&study.region, &study.scenario);
    let none = e.no_hlc() && after.is_none_or(|(_, pe)| pe.no_hlc());
    let some_none = e.no_hlc() || after.is_some_and(|(_, pe)| pe.no_hlc());
    if none {
        println!("{NO_HLC_NOTE}.");
    }
    println!("{}", population_and_demand(study));
    let to = if none { nearest_words(accessplan::analysis::NearestOf::AnySite) } else { nearest_words(accessplan::analysis::NearestOf::Hlc) };
    println!("Share of residents within reach of {to} ({} residents):", fmt_int(r.population()));
    let share = |ev: &accessplan::analysis::Evaluation, sc: &accessplan::plan::Scenario, m| -> String {
        if ev.no_hlc() && !none {
            return format!("{NO_HLC_CELL:>6}");
        }
        format!("{:>5.1}%", ev.cover(r, sc, Target::AnyHlc, m, None).map(|c| c.share() * 100.0).unwrap_or(f64::NAN))
    };
    for &m in &e.modes {
        let b = share(e, s, m);
        match after {
            None => println!("  {:<18} within {:>3.0} min  {b}", m.title(), s.thresholds.minutes(m)),
            Some((ps, pe)) => println!("  {:<18} within {:>3.0} min  {b} -> {}", m.title(), ps.thresholds.minutes(m), share(pe, ps, m)),
        }
    }
    if some_none && !none {
        println!("  (one scenario has no HLC: its figures read \"{NO_HLC_CELL}\")");
    }
    if e.modes.iter().any(|m| matches!(m, accessplan::travel::Mode::CarOffpeak | accessplan::travel::Mode::CarPeak)) {
        println!("Car speeds: {}", r.profile.describe());
        let main = ["motorway", "trunk", "primary", "secondary", "tertiary", "residential"];
        let speeds: Vec<String> = r
            .profile
            .car_speed_table()
            .iter()
            .filter(|c| main.contains(&c.class.as_str()))
            .map(|c| format!("{} {:.0}/{:.0}", c.class, c.offpeak_kmh, c.peak_kmh))
            .collect();
        println!("  untagged streets, off-peak/peak km/h: {}", speeds.join(", "));
    }
    let miles = |ev: &accessplan::analysis::Evaluation| ev.contact_drive_miles();
    if let (Some((today, sc)), None) = (miles(e), after.map(|(_, pe)| miles(pe))) {
        println!("Average driving distance per contact: {today:.1} miles today, {sc:.1} miles in '{}'", e.name);
    }
    match after {
        None => println!("Tier-rule violations: {}", e.violations.len()),
        Some((_, pe)) => println!("Tier-rule violations: {} -> {}", e.violations.len(), pe.violations.len()),
    }
}
