//! `accessplan isochrone`: the areas reachable within given minutes from a
//! point, as GeoJSON bands, by a street mode or by bus.

use accessplan::error::{Error, Result};
use accessplan::export::geojson_out::isochrone_geojson;
use accessplan::fileio::write_atomic;
use accessplan::input::osm::OsmData;
use accessplan::network::{Network, StreetMode};
use accessplan::progress::Progress;
use accessplan::travel::TravelRequest;

use super::load::profile;
use super::progress::spinner;
use super::{CliMode, IsochroneArgs};

/// `accessplan isochrone --mode bus`: leaving at `--depart` on the service date.
fn bus_isochrone(a: &IsochroneArgs, quiet: bool) -> Result<()> {
    use accessplan::transit::{FootpathOptions, Timetable, load_feeds, parse_clock};
    if a.bus.gtfs.is_empty() {
        return Err(Error::MissingArgument { flag: "--gtfs FEED.zip (or a GTFS folder)", reason: "--mode bus needs a timetable" });
    }
    let depart = parse_clock(a.depart.trim()).map_err(|reason| Error::BadArgument { flag: "--depart", value: a.depart.clone(), reason })?;
    let sp = spinner("loading the walk network and the timetable", quiet);
    let osm = OsmData::load(&a.net.osm)?;
    let walk = Network::build(&osm, StreetMode::Walk, &profile(&a.net)?);
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
        .map_err(|source| Error::Isochrone { network: StreetMode::Walk, source })?;
    let mut inputs = vec![a.net.osm.clone()];
    inputs.extend(a.bus.gtfs.iter().cloned());
    inputs.extend(a.net.profile.clone());
    inputs.extend(a.net.speed_calibration.clone());
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
        let value = a.minutes.iter().map(f64::to_string).collect::<Vec<_>>().join(",");
        return Err(Error::BadArgument { flag: "--minutes", value, reason: "must be ascending values between 0 and 600, e.g. 5,10,15,20".into() });
    }
    if !(5.0..=1000.0).contains(&a.cell) {
        return Err(Error::BadArgument { flag: "--cell", value: a.cell.to_string(), reason: "must be between 5 and 1000 metres".into() });
    }
    let mut inputs = vec![a.net.osm.clone()];
    inputs.extend(a.bus.gtfs.iter().cloned());
    inputs.extend(a.net.profile.clone());
    inputs.extend(a.net.speed_calibration.clone());
    accessplan::fileio::check_writable(&a.out, &inputs)?;
    if a.net.mode == CliMode::Bus {
        return bus_isochrone(&a, quiet);
    }
    let CliMode::Street(mode) = a.net.mode else { return Ok(()) };
    let sp = spinner("loading street network", quiet);
    let osm = OsmData::load(&a.net.osm)?;
    let speeds = profile(&a.net)?;
    let net = Network::build(&osm, mode, &speeds);
    sp.finish_and_clear();
    if !quiet && mode == StreetMode::Car {
        eprintln!("note: car speeds: {}", speeds.describe());
    }
    let iso = accessplan::travel::isochrone::isochrone(&net, a.net.period, a.at, &a.minutes, a.net.max_snap, a.cell, &Progress::new())
        .map_err(|source| Error::Isochrone { network: mode, source })?;
    let mut inputs = vec![a.net.osm.clone()];
    inputs.extend(a.net.profile.clone());
    inputs.extend(a.net.speed_calibration.clone());
    write_atomic(&a.out, isochrone_geojson(&iso, mode.name(), a.net.period.name()).as_bytes(), &inputs)?;
    if !quiet {
        eprintln!("{} bands from {:.5},{:.5} by {} written to {}", iso.bands.len(), a.at.lon, a.at.lat, mode.name(), a.out.display());
    }
    Ok(())
}
