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
    let mut files = vec![
        ("coverage.csv", coverage_csv(r, s, &e)),
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

/// `accessplan compare`.
pub fn compare(base: &Path, proposed: &Path, out: &Path, suppress: bool, quiet: bool) -> Result<()> {
    use accessplan::export::tables::*;
    preflight(out, &[base, proposed])?;
    let study = super::load::open_study_judged_with(base, Some(proposed), quiet)?;
    if let Some(no) = study.no_street_network() {
        return Err(Error::NoStreetNetwork { scenario: base.to_path_buf(), what: "a comparison".into(), message: no.to_string() });
    }
    let (_, prop_s) = study.other(proposed)?;
    let base_e = study.evaluate();
    let prop_e = accessplan::analysis::evaluate(&prop_s, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
    let c = accessplan::analysis::compare::compare(&study.scenario, base_e, &prop_s, prop_e, &study.tt, &study.contacts);
    let r = &study.region;
    let mut protected = r.inputs.files();
    protected.extend([base.to_path_buf(), proposed.to_path_buf()]);
    let mut files = vec![
        ("coverage.csv", coverage_compare_csv(r, &study.scenario, &prop_s, &c)),
        ("journeys.csv", journeys_csv(r, study.sites(), &prop_s, &c.proposed.modes, &c.journeys, suppress)),
        ("journey_summary.csv", journey_summary_csv(r, &prop_s, &c.proposed.modes, &c.journeys, suppress)),
        ("loads_before.csv", loads_csv(study.sites(), &study.scenario, &c.base, suppress)),
        ("loads_after.csv", loads_csv(study.sites(), &prop_s, &c.proposed, suppress)),
        ("violations_before.txt", violations_text(&c.base).into_bytes()),
        ("violations_after.txt", violations_text(&c.proposed).into_bytes()),
    ];
    files.extend(accessplan::export::report::comparison_outputs(&study, &prop_s, &c, suppress));
    write_outputs(out, files, &protected)?;
    if !quiet {
        print_headline(&study, &c.base, Some((&prop_s, &c.proposed)));
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
        eprintln!("tables, layers and report written to {}", out.display());
    }
    Ok(())
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
