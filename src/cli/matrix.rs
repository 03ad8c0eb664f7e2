//! `accessplan matrix`: zones x sites travel times as CSV, by a street mode
//! or by bus.

use std::time::Instant;

use accessplan::error::{Error, Result};
use accessplan::export::matrix_csv::matrix_csv;
use accessplan::fileio::write_atomic;
use accessplan::input::osm::TagFilter;
use accessplan::input::zones::ZoneOptions;
use accessplan::network::StreetMode;
use accessplan::region::{Region, RegionInputs, SitesInput};
use accessplan::travel::{LISTED_ZONES, Mode, TravelRequest, TravelTimes, long_link_notes, long_links};

use super::load::print_warnings;
use super::progress::{bar, spinner, ticking};
use super::{CliMode, MatrixArgs};

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
        (None, Some(t)) => {
            SitesInput::Osm(t.parse::<TagFilter>().map_err(|reason| Error::BadArgument { flag: "--sites-from-osm", value: t.clone(), reason })?)
        }
        (None, None) => return Err(Error::MissingArgument { flag: "--sites or --sites-from-osm", reason: "the matrix needs sites" }),
    };
    let bus = a.net.mode == CliMode::Bus;
    if bus && a.bus.gtfs.is_empty() {
        return Err(Error::MissingArgument { flag: "--gtfs FEED.zip (or a GTFS folder)", reason: "--mode bus needs a timetable" });
    }
    let street_mode = match a.net.mode {
        CliMode::Street(m) => m,
        CliMode::Bus => StreetMode::Walk,
    };
    let inputs = RegionInputs {
        name: a.zones.display().to_string(),
        osm: Some(a.net.osm.clone()),
        zones: a.zones.clone(),
        population_table: None,
        attributes: Vec::new(),
        postcodes: None,
        zone_options: ZoneOptions { id_field, population_field, crs: a.crs, locality_field: None },
        sites: vec![sites],
        localities: None,
        crs: a.crs,
        profile: a.net.profile.clone(),
        speed_calibration: a.net.speed_calibration.clone(),
        modes: vec![street_mode],
        gtfs: if bus { a.bus.gtfs.clone() } else { Vec::new() },
        bus_date: a.bus.date,
        bus_window: a.window.parse().map_err(|reason| Error::BadArgument { flag: "--window", value: a.window.clone(), reason })?,
        clip_margin_km: Some(a.clip_margin_km),
    };
    accessplan::fileio::check_writable(&a.out, &inputs.files())?;
    let sp = spinner("loading", quiet);
    let region = Region::load(&inputs)?;
    sp.finish_and_clear();
    print_warnings(&region, quiet);
    let net = region.network(street_mode).ok_or(Error::NoNetwork { mode: street_mode })?;
    if region.sites.is_empty() {
        return Err(Error::NoSites);
    }
    if bus {
        return bus_matrix_csv(&region, &inputs, &a, quiet);
    }
    let pb = bar(region.sites.len() as u64, "travel times", quiet);
    let zones: Vec<_> = region.zones.iter().map(|z| z.point).collect();
    let sites: Vec<_> = region.sites.iter().map(|s| s.point).collect();
    let t = Instant::now();
    let cache = super::travel_cache();
    let (m, used) = accessplan::travel::street_matrix_cached(net, a.net.period, &zones, &sites, a.net.max_snap, &ticking(&pb), cache)?;
    pb.finish_and_clear();
    for p in &used.problems {
        eprintln!("warning: travel-time cache: {p}");
    }
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
        if let Some(cache) = cache {
            eprintln!("note: street travel times: {}", used.summary(cache));
        }
        for (i, e) in off_zones.iter().take(10) {
            eprintln!("unreachable zone {}: {e}", region.zones[*i].id);
        }
        if off_zones.len() > 10 {
            eprintln!("... {} zones unreachable in all (listed in the CSV with the reason)", off_zones.len());
        }
        for (i, e) in &off_sites {
            eprintln!("unreachable site {} ({}): {e}", region.sites[*i].id, region.sites[*i].name);
        }
        for n in long_link_notes(&long_links(street_mode, &m.origin_snaps), |z| region.zones[z].id.as_str(), LISTED_ZONES) {
            eprintln!("note: {n}");
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
    let b = tt.bus.as_ref().ok_or(Error::MissingArgument { flag: "--gtfs", reason: "no bus timetable was loaded" })?;
    let by = bus_words(region, &tt);
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["zone_id", "site_id", "site_name", "median_min", "median_s", "p10_min", "p90_min", "share_no_journey", "status", "reason"]);
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
                b.median(o, d).map_or(String::new(), |s| format!("{s:.1}")),
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
