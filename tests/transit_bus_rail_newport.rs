//! Bus and rail together on real data: Newport's 2024 bus feed (BODS) and
//! the rail timetable of the same day (Tuesday 2024-03-05), merged into one
//! public transport timetable, every output area to every OSM health site
//! over 07:00-09:00. Adding the rail feed makes no journey slower, some
//! journeys use a train (checked leg by leg against the timetable), and the
//! stations are linked to nearby bus stops by footpaths.

use std::sync::OnceLock;

use accessplan::network::StreetMode;
use accessplan::progress::Progress;
use accessplan::region::{Region, RegionInputs};
use accessplan::testdata::{newport_inputs, shared_file};
use accessplan::transit::*;
use accessplan::travel::{Mode, TravelRequest, TravelTimes};

struct Run {
    region: Region,
    tt: TravelTimes,
}

fn inputs(feeds: &[&str]) -> Option<RegionInputs> {
    let mut i = newport_inputs()?;
    i.modes = vec![StreetMode::Walk];
    i.gtfs = feeds.iter().map(|f| shared_file(&format!("newport/gtfs-more/{f}"))).collect::<Option<_>>()?;
    i.bus_date = Some("2024-03-05".parse().unwrap());
    // Whole feeds: what is merged here is every record of both (clipping to
    // the study area is tested in clip_study_area.rs).
    i.clip_margin_km = None;
    Some(i)
}

fn run(feeds: &[&str]) -> Option<Run> {
    let region = Region::load(&inputs(feeds)?).unwrap();
    let request = TravelRequest { modes: vec![Mode::Bus], ..TravelRequest::for_region(&region) };
    let tt = TravelTimes::compute(&region, &request, &Progress::new()).unwrap();
    assert!(tt.bus_problem.is_none(), "{:?}", tt.bus_problem);
    Some(Run { region, tt })
}

const BUS: &str = "newport-20240305-bus_gtfs.zip";
const RAIL: &str = "newport-20240305-rail_gtfs.zip";

fn bus_only() -> Option<&'static Run> {
    static CELL: OnceLock<Option<Run>> = OnceLock::new();
    CELL.get_or_init(|| run(&[BUS])).as_ref()
}

fn bus_and_rail() -> Option<&'static Run> {
    static CELL: OnceLock<Option<Run>> = OnceLock::new();
    CELL.get_or_init(|| run(&[BUS, RAIL])).as_ref()
}

#[test]
fn both_feeds_load_into_one_timetable() {
    let Some(r) = bus_and_rail() else { return };
    let (feed, reports) = r.region.gtfs.as_ref().unwrap();
    assert_eq!(reports.len(), 2);
    // The README's counts: 5,377 + 253 stops, 5,426 + 939 trips, 220 + 141 routes.
    assert_eq!((reports[0].counts.stops, reports[0].counts.trips, reports[0].counts.routes), (5377, 5426, 220));
    assert_eq!((reports[1].counts.stops, reports[1].counts.trips, reports[1].counts.routes), (253, 939, 141));
    assert_eq!((feed.stops.len(), feed.trips.len(), feed.routes.len()), (5630, 6365, 361));
    let tags: Vec<&str> = feed.parts.iter().map(|p| p.tag.as_str()).collect();
    assert_eq!(tags, ["bus", "train"]);
    // Routes 2 and 145 exist in both feeds; both are kept.
    for id in ["2", "145"] {
        assert!(feed.routes.iter().any(|x| x.id == format!("bus:{id}")) && feed.routes.iter().any(|x| x.id == format!("train:{id}")), "{id}");
    }
    let tt = r.tt.timetable.as_ref().unwrap();
    assert_eq!(tt.date.to_string(), "2024-03-05");
    assert_eq!(tt.mode_words(), "public transport (bus, train, coach)");
    let note = r.region.notes.iter().find(|n| n.starts_with("public transport: 2 feeds merged")).expect("a note on the merge");
    // The rail feed has a few replacement buses besides its trains.
    assert!(note.contains(&format!("{BUS} (bus, coach); {RAIL} (train, bus)")), "{note}");
    assert!(r.region.warnings.iter().all(|w| !w.message.contains("runs no service")), "both feeds run that day");
    // Newport station is linked to the bus stops around it by footpaths over the walk network.
    let nwp = feed.stop_index("train:NWPTRTG").unwrap() as usize;
    let to_bus: Vec<(String, u32)> = tt
        .footpaths
        .from(nwp)
        .filter(|&k| tt.stops[tt.footpaths.to[k] as usize].id.starts_with("bus:"))
        .map(|k| (tt.stops[tt.footpaths.to[k] as usize].name.clone(), tt.footpaths.walk_s[k]))
        .collect();
    println!("footpaths from Newport station to bus stops: {to_bus:?}");
    assert!(!to_bus.is_empty());
}

#[test]
fn adding_the_rail_feed_makes_no_journey_slower() {
    let (Some(bus), Some(both)) = (bus_only(), bus_and_rail()) else { return };
    let (a, b) = (bus.tt.bus.as_ref().unwrap(), both.tt.bus.as_ref().unwrap());
    assert_eq!((a.origins, a.destinations), (475, bus.region.sites.len()));
    assert_eq!((b.origins, b.destinations), (a.origins, a.destinations));
    // Per departure minute the rail feed only adds trips and stops (the bus
    // trips, the footpaths between bus stops and the walks are the same),
    // so each minute's earliest arrival is never later and neither is the
    // median over the window: compared exactly, cell by cell.
    let (mut faster, mut same, mut newly) = (0, 0, 0);
    for i in 0..a.median_s.len() {
        let (x, y) = (a.median_s[i], b.median_s[i]);
        assert!(y <= x || (x.is_infinite() && y.is_infinite()), "pair {i}: {x} s by bus, {y} s with rail");
        if x.is_infinite() && y.is_finite() {
            newly += 1;
        } else if y < x {
            faster += 1;
        } else {
            same += 1;
        }
        assert!(b.p10_s[i] <= a.p10_s[i] || b.p10_s[i].is_infinite() && a.p10_s[i].is_infinite(), "p10 of pair {i}");
        assert!(b.p90_s[i] <= a.p90_s[i] || b.p90_s[i].is_infinite() && a.p90_s[i].is_infinite(), "p90 of pair {i}");
    }
    println!("with rail: {faster} pairs faster, {newly} pairs newly reachable, {same} unchanged");
    let gain: f64 = (0..a.median_s.len()).filter(|&i| a.median_s[i].is_finite()).map(|i| (a.median_s[i] - b.median_s[i]) as f64).sum::<f64>() / 60.0;
    println!("total gain over the median times: {gain:.0} min");
    assert_eq!((faster, newly, same), (107, 0, 9868));
    assert_eq!(gain.round(), 61.0);
}

/// Checks an itinerary leg by leg: each leg starts where and after the one
/// before ends; each ride is a trip of the merged feed, of the kind and
/// feed it claims, between two of its calls at their times; its duration is
/// that of one fresh search at that minute. Returns the rides' (mode,
/// boarding stop id, alighting stop id).
fn check_legs(run: &Run, router: &BusRouter<'_>, o: usize, d: usize, it: &Itinerary) -> Vec<(&'static str, String, String)> {
    let feed = &run.region.gtfs.as_ref().unwrap().0;
    let single = router.times_by_single_runs(run.region.zones[o].point, run.region.sites[d].point, &[it.depart_s])[0];
    assert_eq!(it.duration_s() as f32, single, "{it}");
    let mut rides = Vec::new();
    let (mut t, mut at) = (it.depart_s, Place::Origin);
    for leg in &it.legs {
        assert!(leg.depart_s() >= t && leg.arrive_s() >= leg.depart_s(), "{it}");
        t = leg.arrive_s();
        let (from, to) = match leg {
            Leg::Walk { from, to, .. } => (from, to),
            Leg::Ride { from, to, trip_id, depart_s, arrive_s, mode, .. } => {
                let (Place::Stop { index: s0, .. }, Place::Stop { index: s1, .. }) = (from, to) else { panic!("a ride between two stops: {it}") };
                let trip = feed.trips.iter().find(|x| &x.id == trip_id).expect("the ride's trip is in the feed");
                assert_eq!(feed.routes[trip.route as usize].mode_name(), *mode);
                let calls: Vec<usize> = trip.times().collect();
                let k0 = calls.iter().position(|&k| feed.stop_times.stop[k] == *s0).expect("the trip calls at the boarding stop");
                let k1 = calls.iter().rposition(|&k| feed.stop_times.stop[k] == *s1).expect("the trip calls at the alighting stop");
                assert!(k0 < k1, "{it}");
                assert_eq!((feed.stop_times.departure_s[calls[k0]], feed.stop_times.arrival_s[calls[k1]]), (*depart_s, *arrive_s), "{it}");
                let tag = &feed.part_of_stop(*s0).unwrap().tag;
                assert!(trip_id.starts_with(&format!("{tag}:")), "{trip_id} rides from a stop of the {tag} feed");
                rides.push((*mode, feed.stops[*s0 as usize].id.clone(), feed.stops[*s1 as usize].id.clone()));
                (from, to)
            }
        };
        assert_eq!(*from, at, "{it}");
        at = to.clone();
    }
    assert_eq!((at, t), (Place::Destination, it.arrive_s));
    rides
}

fn zone(run: &Run, id: &str) -> usize {
    run.region.zones.iter().position(|z| z.id == id).unwrap()
}

fn site(run: &Run, name: &str) -> usize {
    run.region.sites.iter().position(|s| s.name == name).unwrap()
}

#[test]
fn journeys_ride_trains_and_change_to_buses_checked_leg_by_leg() {
    let (Some(bus), Some(both)) = (bus_only(), bus_and_rail()) else { return };
    let tt = both.tt.timetable.as_ref().unwrap();
    let walk = both.region.network(StreetMode::Walk).unwrap();
    let router = BusRouter::new(tt, walk, both.tt.request.bus_options());
    let (a, b) = (bus.tt.bus.as_ref().unwrap(), both.tt.bus.as_ref().unwrap());

    // The pair the rail feed helps most: output area W00008682 in
    // Rogerstone to Chapelwood Surgery. (Until the walking network honoured
    // barriers it was W00008341 by Newport station, whose walk from Pye
    // Corner station crossed the gate at node 501562754, tagged access=no.)
    let n = b.destinations;
    let best = (0..b.median_s.len()).max_by(|&i, &j| (a.median_s[i] - b.median_s[i]).total_cmp(&(a.median_s[j] - b.median_s[j])).then(j.cmp(&i))).unwrap();
    let (o, d) = (zone(both, "W00008682"), site(both, "Chapelwood Surgery"));
    assert_eq!((best / n, best % n), (o, d));
    assert_eq!((a.median_s[best], b.median_s[best]), (1345.0, 1165.0), "median 22 min by bus, 19 with rail");
    // Some departure in the window rides the train there, leg by leg.
    let by_train = (7 * 3600..9 * 3600)
        .step_by(60)
        .filter_map(|dep| router.itinerary(both.region.zones[o].point, both.region.sites[d].point, dep).ok())
        .find(|it| it.legs.iter().any(|l| matches!(l, Leg::Ride { mode: "train", .. })))
        .expect("a journey by train in the window");
    println!("{by_train}");
    let rides = check_legs(both, &router, o, d, &by_train);
    assert_eq!(rides, [("train", "train:ROGRSTN".to_string(), "train:PYECRNR".to_string())], "{by_train}");
    // A change between the feeds: train from Rogerstone to Newport, a walk
    // of 239 m from the station to the Queensway stops, bus 925 to Maindee.
    let (o, d) = (zone(both, "W00008682"), site(both, "CACI Clinic"));
    let it = router.itinerary(both.region.zones[o].point, both.region.sites[d].point, 7 * 3600).unwrap();
    println!("{it}");
    let rides = check_legs(both, &router, o, d, &it);
    assert_eq!(rides.iter().map(|r| (r.0, r.1.as_str())).collect::<Vec<_>>(), [("train", "train:ROGRSTN"), ("bus", rides[1].1.as_str())]);
    assert_eq!(rides[0].2, "train:NWPTRTG");
    assert!(rides[1].1.starts_with("bus:"));
    let Leg::Walk { from: Place::Stop { name: from, .. }, to: Place::Stop { name: to, .. }, length_m, .. } = &it.legs[2] else { panic!("{it}") };
    assert_eq!((from.as_str(), to.as_str(), length_m.round()), ("Newport (S Wales) Rail Station", "Queensway Q1", 239.0));
    let Leg::Ride { route, .. } = &it.legs[3] else { panic!("{it}") };
    assert_eq!(route, "925");
    assert_eq!((fmt_hm(it.arrive_s), it.duration_s().div_ceil(60)), ("07:36".to_string(), 37));
}

#[test]
fn the_matrix_command_takes_several_feeds_and_names_them() {
    let Some(both) = bus_and_rail() else { return };
    let i = inputs(&[BUS, RAIL]).unwrap();
    let out = std::env::temp_dir().join(format!("accessplan-bus-rail-{}.csv", std::process::id()));
    let mut args: Vec<String> = vec!["matrix".into(), "--mode".into(), "bus".into(), "--date".into(), "2024-03-05".into()];
    args.extend(["--osm".into(), i.osm.clone().unwrap().display().to_string(), "--zones".into(), i.zones.display().to_string()]);
    args.extend(["--zone-id".into(), "OA11CD".into(), "--sites-from-osm".into(), accessplan::input::sniff::HEALTH_TAGS.into()]);
    for g in &i.gtfs {
        args.extend(["--gtfs".into(), g.display().to_string()]);
    }
    args.extend(["--out".into(), out.display().to_string()]);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).env("ACCESSPLAN_NO_CACHE", "1").args(&args).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("by public transport (bus, train, coach) from 2 feeds: {BUS} (bus, coach); {RAIL} (train, bus) on Tuesday 2024-03-05")),
        "{stderr}"
    );
    // The feeds are cut to the zones' extent + 10 km (the default), which keeps every trip.
    assert!(stderr.contains("note: inputs clipped to the zones' extent + 10 km"), "{stderr}");
    assert!(stderr.contains("note: GTFS newport-20240305-bus_gtfs.zip clipped: stops 5377 -> 5361, routes 220 -> 220, trips 5426 -> 5426"), "{stderr}");
    // The CSV holds the same medians as the study's matrix.
    let mut r = csv::Reader::from_path(&out).unwrap();
    let row = r.records().map(Result::unwrap).find(|r| &r[0] == "W00008341" && &r[2] == "Chapelwood Surgery").unwrap();
    assert_eq!(&row[3], "43.02");
    let b = both.tt.bus.as_ref().unwrap();
    let d = site(both, "Chapelwood Surgery");
    assert_eq!(b.median(zone(both, "W00008341"), d), Some(2581.0));
    let _ = std::fs::remove_file(&out);
}

#[test]
fn a_newport_study_with_both_feeds_names_them_in_its_report() {
    let dir = std::env::temp_dir().join(format!("accessplan-bus-rail-study-{}", std::process::id()));
    let Some(path) = accessplan::testdata::newport_scenario(&dir, "bus-rail", &[("podiatry", &["osm-way-40608609"])]) else { return };
    let feeds: Vec<String> =
        [BUS, RAIL].iter().map(|f| format!("\"{}\"", shared_file(&format!("newport/gtfs-more/{f}")).unwrap().canonicalize().unwrap().display())).collect();
    let text = std::fs::read_to_string(&path).unwrap();
    let inputs = format!("gtfs = [{}]\nbus_date = \"2024-03-05\"\n[inputs.localities]", feeds.join(", "));
    std::fs::write(&path, text.replacen("[inputs.localities]", &inputs, 1)).unwrap();
    let study = accessplan::study::Study::open(&path, &Progress::new()).unwrap();
    let html = accessplan::export::report::evaluation_report(&study, &study.evaluate(), true);
    assert!(
        html.contains("<li><b>Public transport</b>: by public transport (bus, train, coach), including the walk to, from and between the stops and the waits;"),
        "explainer"
    );
    assert!(
        html.contains(&format!("<tr><th>Public transport timetables (GTFS)</th><td>{BUS} (bus, coach); {RAIL} (train, bus) (used)</td></tr>")),
        "inputs table"
    );
    assert!(!html.contains("Bus timetable (GTFS)"));
    // Saved again, the file keeps both feeds as a list.
    let saved = study.file.to_toml().unwrap();
    assert!(saved.contains("gtfs = [\n"), "{saved}");
    let _ = std::fs::remove_dir_all(&dir);
}
