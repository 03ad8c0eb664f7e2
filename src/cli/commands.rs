//! The work behind each subcommand.

use std::path::{Path, PathBuf};
use std::time::Instant;

use accessplan::error::{Error, Result};
use accessplan::export::style::fmt_int;
use accessplan::export::{geojson_out::isochrone_geojson, matrix_csv::matrix_csv};
use accessplan::fileio::write_atomic;
use accessplan::input::osm::{OsmData, TagFilter};
use accessplan::input::zones::ZoneOptions;
use accessplan::network::{Network, Profile, StreetMode};
use accessplan::region::{Region, RegionInputs, SitesInput};
use accessplan::travel::{Mode, TravelRequest, TravelTimes};

use accessplan::progress::Progress;

use super::progress::{bar, spinner, spinning, ticking};
use super::{CliMode, IsochroneArgs, MatrixArgs};

fn profile(path: &Option<PathBuf>) -> Result<Profile> {
    Ok(match path {
        Some(p) => Profile::load(p)?,
        None => Profile::default(),
    })
}

fn print_warnings(region: &Region, quiet: bool) {
    if quiet {
        return;
    }
    for n in &region.notes {
        eprintln!("note: {n}");
    }
    for w in region.warnings.iter().take(20) {
        eprintln!("warning: {w}");
    }
    if region.warnings.len() > 20 {
        eprintln!("warning: ... and {} more", region.warnings.len() - 20);
    }
}

/// `accessplan matrix`.
pub fn matrix(a: MatrixArgs, quiet: bool) -> Result<()> {
    let id_field = match &a.zone_id {
        Some(f) => f.clone(),
        None => accessplan::input::sniff::guess_zone_id(&a.zones)?,
    };
    let population_field = match &a.population {
        Some(p) => Some(p.clone()),
        None => accessplan::input::sniff::guess_population(&a.zones),
    };
    let sites = match (&a.sites, &a.sites_from_osm) {
        (Some(p), _) => SitesInput::File(p.clone()),
        (None, Some(t)) => SitesInput::Osm(t.parse::<TagFilter>().map_err(|e| Error::Request(format!("--sites-from-osm: {e}")))?),
        (None, None) => return Err(Error::Request("give --sites or --sites-from-osm".into())),
    };
    let bus = a.net.mode == CliMode::Bus;
    if bus && a.bus.gtfs.is_empty() {
        return Err(Error::Request("--mode bus needs a timetable: --gtfs FEED.zip (or a GTFS folder)".into()));
    }
    let street_mode = match a.net.mode {
        CliMode::Street(m) => m,
        CliMode::Bus => StreetMode::Walk,
    };
    let inputs = RegionInputs {
        name: a.zones.display().to_string(),
        osm: Some(a.net.osm.clone()),
        zones: a.zones.clone(),
        zone_options: ZoneOptions { id_field, population_field, crs: a.crs, locality_field: None },
        sites: Some(sites),
        localities: None,
        crs: a.crs,
        profile: a.net.profile.clone(),
        modes: vec![street_mode],
        gtfs: if bus { a.bus.gtfs.clone() } else { Vec::new() },
        bus_date: a.bus.date,
        bus_window: a.window.parse().map_err(|e: String| Error::Request(format!("--window: {e}")))?,
        clip_margin_km: Some(a.clip_margin_km),
    };
    let sp = spinner("loading", quiet);
    let region = Region::load(&inputs)?;
    sp.finish_and_clear();
    print_warnings(&region, quiet);
    let net = region.network(street_mode).ok_or_else(|| Error::Request("no network was built".into()))?;
    if region.sites.is_empty() {
        return Err(Error::Request("no sites: the sites input holds none".into()));
    }
    if bus {
        return bus_matrix_csv(&region, &inputs, &a, quiet);
    }
    let pb = bar(region.sites.len() as u64, "travel times", quiet);
    let zones: Vec<_> = region.zones.iter().map(|z| z.point).collect();
    let sites: Vec<_> = region.sites.iter().map(|s| s.point).collect();
    let t = Instant::now();
    let m = accessplan::network::street_matrix(net, a.net.period, &zones, &sites, a.net.max_snap, &ticking(&pb))?;
    pb.finish_and_clear();
    write_atomic(&a.out, &matrix_csv(&m, &region.zones, &region.sites), &inputs.files())?;
    let off_zones: Vec<_> = m.origin_snaps.iter().enumerate().filter_map(|(i, s)| s.as_ref().err().map(|e| (i, *e))).collect();
    let off_sites: Vec<_> = m.destination_snaps.iter().enumerate().filter_map(|(i, s)| s.as_ref().err().map(|e| (i, *e))).collect();
    if !quiet {
        eprintln!(
            "{} zones x {} sites by {} ({}): {} pairs with a time, computed in {:.0} ms; written to {}",
            region.zones.len(),
            region.sites.len(),
            street_mode.name(),
            a.net.period.name(),
            m.time_s.iter().filter(|t| t.is_finite()).count(),
            t.elapsed().as_secs_f64() * 1000.0,
            a.out.display()
        );
        for (i, e) in off_zones.iter().take(10) {
            eprintln!("unreachable zone {}: {e}", region.zones[*i].id);
        }
        if off_zones.len() > 10 {
            eprintln!("... {} zones unreachable in all (listed in the CSV with the reason)", off_zones.len());
        }
        for (i, e) in &off_sites {
            eprintln!("unreachable site {} ({}): {e}", region.sites[*i].id, region.sites[*i].name);
        }
    }
    Ok(())
}

/// `accessplan matrix --mode bus`: median, 10th and 90th percentile door-to-door
/// times over the window, and the share of departure minutes with no journey.
fn bus_matrix_csv(region: &Region, inputs: &RegionInputs, a: &MatrixArgs, quiet: bool) -> Result<()> {
    let pb = bar(region.zones.len() as u64, "bus journeys", quiet);
    let t = Instant::now();
    let request = TravelRequest { modes: vec![Mode::Bus], ..TravelRequest::for_region(region) }.with_max_snap(a.net.max_snap);
    let tt = TravelTimes::compute(region, &request, &ticking(&pb))?;
    pb.finish_and_clear();
    let date = tt.bus_date();
    if let Some(p) = tt.bus_problem {
        return Err(p.into());
    }
    let b = tt.bus.as_ref().ok_or_else(|| Error::Request("no bus timetable was loaded (--gtfs)".into()))?;
    let by = bus_words(region, &tt);
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["zone_id", "site_id", "site_name", "median_min", "p10_min", "p90_min", "share_no_journey", "status", "reason"]);
    let min = |x: Option<f32>| x.map_or(String::new(), |s| format!("{:.2}", s / 60.0));
    for (o, z) in region.zones.iter().enumerate() {
        for (d, s) in region.sites.iter().enumerate() {
            let why = b.why_none(o, d).map(|r| r.to_string()).unwrap_or_default();
            let status = if b.median(o, d).is_some() { "ok" } else { "unreachable" };
            let share = b.no_journey_share[o * b.destinations + d];
            let _ = w.write_record([
                z.id.clone(),
                s.id.clone(),
                s.name.clone(),
                min(b.median(o, d)),
                min(b.p10(o, d)),
                min(b.p90(o, d)),
                format!("{share:.3}"),
                status.into(),
                why,
            ]);
        }
    }
    write_atomic(&a.out, &w.into_inner().unwrap_or_default(), &inputs.files())?;
    if !quiet {
        eprintln!(
            "{} zones x {} sites by {by} on {} {}, departing {}: {} pairs with a median time, in {:.0} ms; written to {}",
            region.zones.len(),
            region.sites.len(),
            date.map(|d| d.weekday_name()).unwrap_or(""),
            date.map(|d| d.to_string()).unwrap_or_default(),
            a.window,
            b.median_s.iter().filter(|t| t.is_finite()).count(),
            t.elapsed().as_secs_f64() * 1000.0,
            a.out.display()
        );
    }
    Ok(())
}

/// The public transport of a bus matrix in words: `bus`, or with several
/// feeds `public transport (bus, coach, train) from 2 feeds: bus.zip (bus,
/// coach); rail.zip (train)`.
fn bus_words(region: &Region, tt: &TravelTimes) -> String {
    let words = tt.timetable.as_ref().map_or_else(|| "bus".to_string(), |t| t.mode_words());
    match &region.gtfs {
        Some((feed, _)) if feed.parts.len() > 1 => format!("{words} from {} feeds: {}", feed.parts.len(), feed.describe_parts()),
        _ => words,
    }
}

/// `accessplan isochrone --mode bus`: leaving at `--depart` on the service date.
fn bus_isochrone(a: &IsochroneArgs, quiet: bool) -> Result<()> {
    use accessplan::transit::{FootpathOptions, Timetable, load_feeds, parse_clock};
    if a.bus.gtfs.is_empty() {
        return Err(Error::Request("--mode bus needs a timetable: --gtfs FEED.zip (or a GTFS folder)".into()));
    }
    let depart = parse_clock(a.depart.trim()).map_err(|e| Error::Request(format!("--depart: {e}")))?;
    let sp = spinner("loading the walk network and the timetable", quiet);
    let osm = OsmData::load(&a.net.osm)?;
    let walk = Network::build(&osm, StreetMode::Walk, &profile(&a.net.profile)?);
    let (feed, reports) = load_feeds(&a.bus.gtfs)?;
    let request = TravelRequest { bus_date: a.bus.date, ..TravelRequest::default() }.with_max_snap(a.net.max_snap);
    let date = request.service_date(&feed).ok_or(accessplan::travel::BusProblem::NoServiceDay)?;
    let tt = Timetable::build(&feed, date, Some(&walk), &FootpathOptions::default())?;
    sp.finish_and_clear();
    if !quiet {
        reports.iter().for_each(|r| eprintln!("note: {r}"));
    }
    let router = accessplan::transit::BusRouter::new(&tt, &walk, request.bus_options());
    let iso = accessplan::travel::isochrone::bus_isochrone(&router, a.at, depart, &a.minutes, a.cell, &Progress::new())
        .map_err(|e| Error::Request(format!("walk network: {e}")))?;
    let mut inputs = vec![a.net.osm.clone()];
    inputs.extend(a.bus.gtfs.iter().cloned());
    inputs.extend(a.net.profile.clone());
    write_atomic(&a.out, isochrone_geojson(&iso, "bus", &format!("{date} {}", a.depart)).as_bytes(), &inputs)?;
    if !quiet {
        eprintln!(
            "{} bands from {:.5},{:.5} by {} leaving {} on {} {date} written to {}",
            iso.bands.len(),
            a.at.lon,
            a.at.lat,
            tt.mode_words(),
            a.depart,
            date.weekday_name(),
            a.out.display()
        );
    }
    Ok(())
}

/// `accessplan isochrone`.
pub fn isochrone(a: IsochroneArgs, quiet: bool) -> Result<()> {
    if a.minutes.is_empty() || a.minutes.iter().any(|m| !(*m > 0.0 && *m <= 600.0)) || a.minutes.windows(2).any(|w| w[1] <= w[0]) {
        return Err(Error::Request("--minutes must be ascending values between 0 and 600, e.g. 5,10,15,20".into()));
    }
    if !(5.0..=1000.0).contains(&a.cell) {
        return Err(Error::Request("--cell must be between 5 and 1000 metres".into()));
    }
    if a.net.mode == CliMode::Bus {
        return bus_isochrone(&a, quiet);
    }
    let CliMode::Street(mode) = a.net.mode else { return Ok(()) };
    let sp = spinner("loading street network", quiet);
    let osm = OsmData::load(&a.net.osm)?;
    let net = Network::build(&osm, mode, &profile(&a.net.profile)?);
    sp.finish_and_clear();
    let iso = accessplan::travel::isochrone::isochrone(&net, a.net.period, a.at, &a.minutes, a.net.max_snap, a.cell, &Progress::new())
        .map_err(|e| Error::Request(format!("{} network: {e}", mode.name())))?;
    let mut inputs = vec![a.net.osm.clone()];
    inputs.extend(a.net.profile.clone());
    write_atomic(&a.out, isochrone_geojson(&iso, mode.name(), a.net.period.name()).as_bytes(), &inputs)?;
    if !quiet {
        eprintln!("{} bands from {:.5},{:.5} by {} written to {}", iso.bands.len(), a.at.lon, a.at.lat, mode.name(), a.out.display());
    }
    Ok(())
}

/// `accessplan inspect`.
pub fn inspect(file: &Path) -> Result<()> {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if name.ends_with(".pbf") || name.ends_with(".osm") {
        let osm = OsmData::load(file)?;
        println!("{}: OpenStreetMap data", file.display());
        println!("  nodes: {}, ways kept: {} ({} streets), tagged points: {}", osm.nodes.len(), osm.ways.len(), osm.highway_count(), osm.pois.len());
        if let Some(e) = accessplan::geom::Extent::of(osm.nodes.values().copied()) {
            println!("  extent: {e}");
        }
        let health = "amenity=hospital,clinic,doctors,dentist,pharmacy".parse::<TagFilter>().map_err(Error::Request)?;
        let (sites, _) = accessplan::input::osm::sites_from_osm(&osm, &health);
        println!("  health places (amenity=hospital,clinic,doctors,dentist,pharmacy): {}", sites.len());
        let profile = Profile::default();
        for mode in StreetMode::ALL {
            let n = Network::build(&osm, mode, &profile);
            println!("  {} network: {}", mode.name(), n.stats);
        }
        if osm.ways_with_missing_nodes > 0 {
            println!("  problems: {} ways reach beyond the extract (kept up to its edge)", osm.ways_with_missing_nodes);
        }
        return Ok(());
    }
    let report = accessplan::input::inspect::inspect_table_or_geojson(file)?;
    println!("{}: {report}", file.display());
    Ok(())
}

/// The project folder holding the demo region.
fn demo_root(root: Option<PathBuf>) -> Result<PathBuf> {
    match root {
        Some(r) => Ok(r),
        None => accessplan::demo::demo_root(),
    }
}

/// `accessplan demo`.
pub fn demo(root: Option<PathBuf>, quiet: bool) -> Result<()> {
    let root = demo_root(root)?;
    let t = Instant::now();
    let sp = spinner("loading the demo region", quiet);
    let region = Region::load(&Region::demo_inputs(&root))?;
    let load_s = t.elapsed().as_secs_f64();
    sp.finish_and_clear();
    print_warnings(&region, quiet);
    let pb = bar((region.sites.len() * Mode::STREET.len()) as u64, "travel times", quiet);
    let tt = TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &ticking(&pb))?;
    pb.finish_and_clear();
    println!("{}", region.name);
    println!(
        "  {} residents in {} zones, {} localities, {} sites; loaded in {:.2} s, travel times for {} modes in {:.2} s",
        fmt_int(region.population()),
        region.zones.len(),
        region.localities.len(),
        region.sites.len(),
        load_s,
        tt.modes().len(),
        tt.compute_s
    );
    use accessplan::analysis::{
        assign::{Geography, nearest},
        coverage::cover,
    };
    let geo = Geography::of(&region);
    let hlcs: Vec<usize> = accessplan::plan::scenario::default_hlcs(&region).into_iter().flatten().collect();
    let thresholds = accessplan::plan::Thresholds::default();
    println!("\n  Share of residents within the threshold of their nearest Healthy Living Centre ({} HLCs):", hlcs.len());
    let modes = tt.modes();
    print!("  {:<18}{:>10}", "locality", "residents");
    for m in &modes {
        print!("{:>16}", format!("{} {:.0}m", m.label(), thresholds.minutes(*m)));
    }
    println!();
    // The nearest HLC of every zone, by each mode.
    let choices: Vec<Vec<_>> =
        modes.iter().map(|m| tt.get(*m).map_or_else(Vec::new, |mx| (0..region.zones.len()).map(|z| nearest(mx, z, hlcs.iter().copied())).collect())).collect();
    for loc in (0..region.localities.len()).map(Some).chain(std::iter::once(None)) {
        let name = loc.map_or("All", |l| region.localities[l].name.as_str());
        let mut pop = None;
        let mut row = String::new();
        for (m, ch) in modes.iter().zip(&choices) {
            let c = cover(ch, &region.zones, &geo.zone_locality, loc, thresholds.minutes(*m));
            pop = Some(c.population);
            row.push_str(&format!("{:>15.0}%", 100.0 * c.share()));
        }
        println!("  {:<18}{:>10}{row}", name, fmt_int(pop.unwrap_or(0.0)));
    }
    println!("\n  The demo region is fictional: a synthetic street network in OpenStreetMap format, made by accessplan.");
    println!("  Next: accessplan compare datasets/demo/scenarios/baseline.toml datasets/demo/scenarios/hlc-model.toml --out compare-demo");
    Ok(())
}

/// `accessplan generate-demo` (with the `demo-generator` feature).
#[cfg(feature = "demo-generator")]
pub fn generate_demo(root: &Path, quiet: bool) -> Result<()> {
    let summary = accessplan::demo::generator::generate(root)?;
    if !quiet {
        println!("{summary}");
    }
    Ok(())
}

/// The demo region's baseline scenario (its [inputs] are the demo's).
fn demo_scenario() -> Result<PathBuf> {
    Ok(demo_root(None)?.join("datasets/demo/scenarios/baseline.toml"))
}

pub(super) fn open_study(path: &Path, quiet: bool) -> Result<accessplan::study::Study> {
    let sp = spinner(&format!("opening {}", path.display()), quiet);
    let study = accessplan::study::Study::open(path, &spinning(&sp))?;
    sp.finish_and_clear();
    print_warnings(&study.region, quiet);
    if !quiet {
        for w in study.contact_warnings.iter().take(10) {
            eprintln!("warning: {w}");
        }
        if study.contact_warnings.len() > 10 {
            eprintln!("warning: {} contact rows left out in all", study.contact_warnings.len());
        }
        if study.scenario.pairs_proposed {
            let names: Vec<String> =
                study.scenario.pairs.iter().map(|&(a, b)| format!("{} + {}", study.region.localities[a].name, study.region.localities[b].name)).collect();
            eprintln!("note: no locality pairs in the file; proposed from shared boundaries: {}", names.join(", "));
        }
    }
    Ok(study)
}

/// `accessplan scenario baseline|hlc-model`.
pub fn scenario(kind: super::ScenarioKind, inputs: Option<PathBuf>, out: &Path, quiet: bool) -> Result<()> {
    use accessplan::plan::generate::{baseline, hlc_model};
    use accessplan::plan::scenario::{Scenario, ScenarioFile};
    // Without --inputs, the demo region's inputs, as seen from its scenarios folder.
    let given = inputs.is_some();
    let (src, file) = match inputs {
        Some(p) => {
            let f = ScenarioFile::load(&p)?;
            (p, f)
        }
        None => {
            let demo = demo_scenario()?;
            let mut f = ScenarioFile::load(&demo)
                .ok()
                .unwrap_or_else(|| accessplan::plan::generate::empty_file("demo inputs", &accessplan::plan::scenario::InputsFile::demo()));
            f.inputs = accessplan::plan::scenario::InputsFile::demo();
            f.services.clear();
            (demo, f)
        }
    };
    let sp = spinner("loading the region", quiet);
    let (region, tt, contacts, _) = accessplan::study::open_inputs(&src, &file, &spinning(&sp))?;
    sp.finish_and_clear();
    let catalogue = accessplan::plan::Catalogue::default();
    // Pairs and HLCs as the source file gives them (or proposed).
    let mut bare = file.clone();
    bare.services.clear();
    let resolved = Scenario::resolve(&bare, &src, &region, &catalogue)?;
    // Re-base the input paths on the output's folder.
    let src_dir = src.parent().unwrap_or(Path::new("."));
    let out_dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let inputs = file.inputs.rebased(src_dir, out_dir);
    let new = match kind {
        super::ScenarioKind::Baseline => {
            if contacts.is_empty() {
                return Err(Error::Request("the baseline is read from the patient contacts, and the inputs name none (inputs.contacts)".into()));
            }
            baseline(&region, &contacts, &catalogue, &inputs, &resolved.pairs)
        }
        super::ScenarioKind::HlcModel => hlc_model(&region, &tt, &catalogue, &inputs, &resolved.pairs, &resolved.hlc),
    };
    let mut protected = region.inputs.files();
    if given {
        protected.push(src.clone());
    }
    new.save(out, &protected)?;
    if !quiet {
        eprintln!("{} written to {} ({} services)", new.name, out.display(), new.services.len());
    }
    Ok(())
}

fn write_outputs(dir: &Path, files: Vec<(&str, Vec<u8>)>, protected: &[PathBuf]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    for (name, bytes) in files {
        write_atomic(&dir.join(name), &bytes, protected)?;
    }
    Ok(())
}

/// `accessplan evaluate`.
pub fn evaluate(path: &Path, out: &Path, suppress: bool, quiet: bool) -> Result<()> {
    use accessplan::export::tables::*;
    let study = open_study(path, quiet)?;
    let e = study.evaluate();
    let (r, s) = (&study.region, &study.scenario);
    let mut protected = r.inputs.files();
    protected.push(path.to_path_buf());
    let mut files = vec![
        ("coverage.csv", coverage_csv(r, s, &e)),
        ("journeys.csv", journeys_csv(r, s, &e.modes, &e.journeys, suppress)),
        ("journey_summary.csv", journey_summary_csv(r, s, &e.modes, &e.journeys, suppress)),
        ("loads.csv", loads_csv(r, s, &e, suppress)),
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
    let study = open_study(base, quiet)?;
    let (_, prop_s) = study.other(proposed)?;
    let base_e = study.evaluate();
    let prop_e = accessplan::analysis::evaluate(&prop_s, &study.region, &study.tt, &study.geo, &study.contacts);
    let c = accessplan::analysis::compare::compare(&study.scenario, base_e, &prop_s, prop_e, &study.tt, &study.contacts);
    let r = &study.region;
    let mut protected = r.inputs.files();
    protected.extend([base.to_path_buf(), proposed.to_path_buf()]);
    let mut files = vec![
        ("coverage.csv", coverage_compare_csv(r, &study.scenario, &prop_s, &c)),
        ("journeys.csv", journeys_csv(r, &prop_s, &c.proposed.modes, &c.journeys, suppress)),
        ("journey_summary.csv", journey_summary_csv(r, &prop_s, &c.proposed.modes, &c.journeys, suppress)),
        ("loads_before.csv", loads_csv(r, &study.scenario, &c.base, suppress)),
        ("loads_after.csv", loads_csv(r, &prop_s, &c.proposed, suppress)),
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

/// Prints the "any HLC" coverage (the Medway table) and driving distances.
fn print_headline(
    study: &accessplan::study::Study,
    e: &accessplan::analysis::Evaluation,
    after: Option<(&accessplan::plan::Scenario, &accessplan::analysis::Evaluation)>,
) {
    use accessplan::analysis::Target;
    let (r, s) = (&study.region, &study.scenario);
    println!("Share of residents within reach of the nearest HLC ({} residents):", fmt_int(r.population()));
    for &m in &e.modes {
        let b = e.cover(r, s, Target::AnyHlc, m, None).map(|c| c.share() * 100.0).unwrap_or(f64::NAN);
        match after {
            None => println!("  {:<18} within {:>3.0} min  {:>5.1}%", m.title(), s.thresholds.minutes(m), b),
            Some((ps, pe)) => {
                let a = pe.cover(r, ps, Target::AnyHlc, m, None).map(|c| c.share() * 100.0).unwrap_or(f64::NAN);
                println!("  {:<18} within {:>3.0} min  {:>5.1}% -> {:>5.1}%", m.title(), ps.thresholds.minutes(m), b, a);
            }
        }
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
