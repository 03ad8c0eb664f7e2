//! Several GTFS feeds in one timetable, on hand-made feeds whose answers are
//! worked out by hand: the tiny bus feed (see `transit_common.rs`) with a
//! tiny rail feed that reuses every one of its ids, and the same feed given
//! twice. Both feeds are kept whole, every id is namespaced by its feed's
//! tag, a journey changes from a bus to a train by walking between the
//! feeds' stops, and a feed without service on the date is named.

#[path = "transit_common.rs"]
mod common;

use accessplan::transit::*;
use common::{temp_dir, tiny_feed};

fn hms(h: u32, m: u32, s: u32) -> u32 {
    h * 3600 + m * 60 + s
}

/// A rail feed reusing the tiny bus feed's ids (agency AG, stops A and B,
/// route R1, service WK, trip T1): station A stands 150 m north of the bus
/// stop Charlie, station B 7 km east; train T1 leaves A at 08:30 and
/// reaches B at 08:40, on the weekdays of `calendar` (default: June 2023).
fn rail_feed(name: &str, calendar: Option<&str>) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let files = [
        ("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nAG,Tiny Trains,https://example.org,Europe/London\n"),
        ("stops.txt", "stop_id,stop_code,stop_name,stop_lat,stop_lon\nA,TNA,Charlie Parkway,51.50135,0.10\nB,TNB,Foxtrot,51.5000,0.20\n"),
        ("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,AG,,Charlie Parkway - Foxtrot,2\n"),
        ("trips.txt", "route_id,service_id,trip_id,trip_headsign\nR1,WK,T1,Foxtrot\n"),
        ("stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:30:00,08:30:00,A,1\nT1,08:40:00,08:40:00,B,2\n"),
        (
            "calendar.txt",
            calendar.unwrap_or("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20230601,20230630\n"),
        ),
    ];
    for (n, c) in files {
        std::fs::write(dir.join(n), c).unwrap();
    }
    dir
}

#[test]
fn clashing_ids_of_a_bus_and_a_rail_feed_are_both_kept_and_namespaced() {
    let bus = tiny_feed("several-bus", &[]);
    let rail = rail_feed("several-rail", None);
    let (feed, reports) = load_feeds(&[bus.clone(), rail.clone()]).unwrap();
    assert_eq!(reports.len(), 2);
    assert!(reports.iter().all(|r| r.problem_count() == 0));
    // Every record of both feeds is kept: 5 + 2 stops, 5 + 1 routes, 2 + 1
    // services, 8 + 1 trips (T6 is three frequency departures), 1 + 1 agencies.
    assert_eq!((feed.stops.len(), feed.routes.len(), feed.services.len(), feed.trips.len(), feed.agencies.len()), (7, 6, 3, 9, 2));
    let tags: Vec<&str> = feed.parts.iter().map(|p| p.tag.as_str()).collect();
    assert_eq!(tags, ["bus", "train"]);
    assert_eq!(feed.parts[1].source, rail);
    // The same ids in both feeds, told apart by the feed's tag.
    let (bus_a, rail_a) = (feed.stop_index("bus:A").unwrap(), feed.stop_index("train:A").unwrap());
    assert_ne!(bus_a, rail_a);
    assert_eq!((feed.stops[bus_a as usize].name.as_str(), feed.stops[rail_a as usize].name.as_str()), ("Alpha", "Charlie Parkway"));
    assert_eq!(feed.stops[rail_a as usize].code.as_deref(), Some("TNA"), "codes riders see are not changed");
    assert_eq!(feed.stop_index("A"), None);
    let ids = |v: Vec<&str>| v.into_iter().filter(|id| id.ends_with(":T1") || id.ends_with(":R1") || id.ends_with(":WK") || id.ends_with(":AG")).count();
    assert_eq!(ids(feed.trips.iter().map(|t| t.id.as_str()).collect()), 2, "bus:T1 and train:T1");
    assert_eq!(ids(feed.routes.iter().map(|r| r.id.as_str()).collect()), 2, "bus:R1 and train:R1");
    assert_eq!(ids(feed.services.iter().map(|s| s.id.as_str()).collect()), 2, "bus:WK and train:WK");
    assert_eq!(ids(feed.agencies.iter().filter_map(|a| a.id.as_deref()).collect()), 2, "bus:AG and train:AG");
    // Each trip keeps its own route, service and stops.
    let t1 = feed.trips.iter().find(|t| t.id == "train:T1").unwrap();
    assert_eq!((feed.routes[t1.route as usize].id.as_str(), feed.services[t1.service as usize].id.as_str()), ("train:R1", "train:WK"));
    assert_eq!(feed.routes[t1.route as usize].agency.map(|a| feed.agencies[a as usize].name.as_str()), Some("Tiny Trains"));
    let calls: Vec<&str> = t1.times().map(|k| feed.stops[feed.stop_times.stop[k] as usize].id.as_str()).collect();
    assert_eq!(calls, ["train:A", "train:B"]);
    assert_eq!(feed.vehicle_kinds(), ["bus", "train"]);
    assert_eq!(public_transport_words(&feed.vehicle_kinds()), "public transport (bus, train)");
    assert_eq!(feed.describe_parts(), format!("{} (bus); {} (train)", bus.file_name().unwrap().to_string_lossy(), rail.file_name().unwrap().to_string_lossy()));

    // Bus 2 from Alpha at 08:05 reaches Charlie at 08:20; the footpath to
    // Charlie Parkway (150 m x 1.3 at 4.8 km/h: 147 s) makes the 08:30
    // train, at Foxtrot 08:40. Without the walk between the feeds' stops
    // Foxtrot would not be reached at all.
    let tt = Timetable::build(&feed, "2023-06-13".parse().unwrap(), None, &FootpathOptions::default()).unwrap();
    let charlie = feed.stop_index("bus:C").unwrap() as usize;
    let fp = tt.footpaths.between(charlie, rail_a as usize).expect("a footpath from the bus stop to the station");
    assert_eq!(fp.0, 147);
    assert_eq!(tt.vehicle_kinds(), ["bus", "train"]);
    assert_eq!(tt.mode_words(), "public transport (bus, train)");
    let mut r = Raptor::new(&tt, RaptorOptions::default());
    r.run(&[StopWalk { stop: bus_a, walk_s: 0, length_m: 0.0 }], hms(7, 59, 0));
    assert_eq!(r.arrival(feed.stop_index("train:B").unwrap() as usize), hms(8, 40, 0));
    assert_eq!(r.arrival(feed.stop_index("bus:D").unwrap() as usize), hms(8, 45, 0), "the bus journeys are unchanged");
}

#[test]
fn the_same_feed_given_twice_is_kept_twice() {
    let bus = tiny_feed("several-twice", &[]);
    let (one, _) = load_gtfs(&bus).unwrap();
    let (two, _) = load_feeds(&[bus.clone(), bus.clone()]).unwrap();
    assert_eq!((two.stops.len(), two.trips.len(), two.stop_times.len()), (2 * one.stops.len(), 2 * one.trips.len(), 2 * one.stop_times.len()));
    let tags: Vec<&str> = two.parts.iter().map(|p| p.tag.as_str()).collect();
    assert_eq!(tags, ["bus", "bus-2"]);
    assert!(two.trips.iter().any(|t| t.id == "bus:T6 @06:20:00") && two.trips.iter().any(|t| t.id == "bus-2:T6 @06:20:00"));
    assert_eq!(two.parts[1].stops, 5..10);
    // One feed alone keeps its ids as written, with one untagged part.
    assert_eq!(one.parts.len(), 1);
    assert_eq!(one.parts[0].tag, "");
    assert!(one.stop_index("A").is_some());
    // Routing over both copies gives the times of one.
    let day = "2023-06-13".parse().unwrap();
    let tt1 = Timetable::build(&one, day, None, &FootpathOptions::default()).unwrap();
    let tt2 = Timetable::build(&two, day, None, &FootpathOptions::default()).unwrap();
    assert_eq!(tt2.trip_count(), 2 * tt1.trip_count());
    assert_eq!(tt2.mode_words(), "bus");
    let mut r1 = Raptor::new(&tt1, RaptorOptions::default());
    r1.run(&[StopWalk { stop: one.stop_index("A").unwrap(), walk_s: 0, length_m: 0.0 }], hms(7, 59, 0));
    let mut r2 = Raptor::new(&tt2, RaptorOptions::default());
    r2.run(&[StopWalk { stop: two.stop_index("bus:A").unwrap(), walk_s: 0, length_m: 0.0 }], hms(7, 59, 0));
    for s in ["B", "C", "D", "E"] {
        let t1 = r1.arrival(one.stop_index(s).unwrap() as usize);
        assert_eq!(r2.arrival(two.stop_index(&format!("bus:{s}")).unwrap() as usize), t1, "{s}");
        // The second copy's stop stands on the first's: reached by a 0 m footpath.
        assert_eq!(r2.arrival(two.stop_index(&format!("bus-2:{s}")).unwrap() as usize), t1, "{s} of the copy");
    }
}

#[test]
fn a_feed_without_service_on_the_date_is_named() {
    let bus = tiny_feed("several-dates-bus", &[]);
    let july = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20230701,20230731\n";
    let rail = rail_feed("several-dates-rail", Some(july));
    let (feed, _) = load_feeds(&[bus.clone(), rail.clone()]).unwrap();
    let day: ServiceDate = "2023-06-13".parse().unwrap();
    let missing: Vec<&std::path::Path> = feed.parts_without_service(day).iter().map(|p| p.source.as_path()).collect();
    assert_eq!(missing, [rail.as_path()]);
    // The bus still runs: the timetable is built, and its notes name the rail feed and its dates.
    let tt = Timetable::build(&feed, day, None, &FootpathOptions::default()).unwrap();
    let note = tt.notes.iter().find(|n| n.contains(&rail.display().to_string())).expect("a note naming the rail feed");
    assert!(note.contains("(train) runs no service on Tuesday 2023-06-13; the feed covers 2023-07-01 to 2023-07-31"), "{note}");
    assert!(note.contains("its trips are not used"), "{note}");
    assert_eq!(tt.mode_words(), "bus", "only buses run that day");
    // No day in June has both; the default date is still a Tuesday with buses.
    assert_eq!(feed.default_service_date().map(|d| d.to_string()), Some("2023-06-06".into()));
    // A day when neither runs: both feeds are named, with their dates.
    let e = feed.active_services("2023-08-01".parse().unwrap()).unwrap_err().to_string();
    assert!(e.starts_with("no public transport service runs on Tuesday 2023-08-01 in any of the 2 feeds"), "{e}");
    assert!(e.contains(&format!("the feed {} (bus) runs no service", bus.display())) && e.contains("the feed covers 2023-06-01 to 2023-06-30"), "{e}");
    assert!(e.contains(&format!("the feed {} (train) runs no service", rail.display())) && e.contains("the feed covers 2023-07-01 to 2023-07-31"), "{e}");
    // In July only the train runs.
    let july_tt = Timetable::build(&feed, "2023-07-04".parse().unwrap(), None, &FootpathOptions::default()).unwrap();
    assert_eq!(july_tt.vehicle_kinds(), ["train"]);
}

#[test]
fn scenario_files_name_one_feed_as_a_path_and_several_as_a_list() {
    use accessplan::plan::scenario::ScenarioFile;
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // The demo scenarios name one feed as a plain path: read and written back unchanged.
    for name in ["baseline", "hlc-model"] {
        let path = root.join(format!("datasets/demo/scenarios/{name}.toml"));
        let f = ScenarioFile::load(&path).unwrap();
        assert_eq!(f.inputs.gtfs, ["../gtfs"]);
        assert_eq!(f.to_toml().unwrap(), std::fs::read_to_string(&path).unwrap(), "{name} saves unchanged");
    }
    let dir = temp_dir("several-scenario");
    let write = |name: &str, gtfs: &str| {
        let p = dir.join(name);
        std::fs::write(&p, format!("schema_version = 1\nname = \"s\"\n[inputs]\n{gtfs}zones = \"z.geojson\"\nzone_id = \"id\"\nsites = \"s.csv\"\n")).unwrap();
        p
    };
    // Several feeds: a list, kept in order and written back as a list.
    let f = ScenarioFile::load(&write("list.toml", "gtfs = [\"bus.zip\", \"rail.zip\"]\n")).unwrap();
    assert_eq!(f.inputs.gtfs, ["bus.zip", "rail.zip"]);
    let back = f.to_toml().unwrap();
    assert!(back.contains("gtfs = [\n    \"bus.zip\",\n    \"rail.zip\",\n]"), "{back}");
    // A list of one is written as the plain path older builds read.
    let f = ScenarioFile::load(&write("one.toml", "gtfs = [\"bus.zip\"]\n")).unwrap();
    assert!(f.to_toml().unwrap().contains("gtfs = \"bus.zip\"\n"));
    // No feed: no key.
    let f = ScenarioFile::load(&write("none.toml", "")).unwrap();
    assert!(f.inputs.gtfs.is_empty() && !f.to_toml().unwrap().contains("gtfs"));
    // Anything else names the file and the line of the key, and says what is expected.
    let e = ScenarioFile::load(&write("bad.toml", "gtfs = 3\n")).unwrap_err().to_string();
    assert!(e.contains("bad.toml: line 4") && e.contains("expected a path to a GTFS feed, or a list of paths"), "{e}");
    let e = ScenarioFile::load(&write("bad2.toml", "gtfs = [\"bus.zip\", 3]\n")).unwrap_err().to_string();
    assert!(e.contains("bad2.toml: line 4") && e.contains("expected a string"), "{e}");
}

#[test]
fn a_study_names_the_feed_that_runs_no_service_on_its_date() {
    use accessplan::input::crs::CrsChoice;
    use accessplan::input::zones::ZoneOptions;
    use accessplan::region::{Region, RegionInputs, SitesInput};
    let bus = tiny_feed("several-study-bus", &[]);
    let july = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20230701,20230731\n";
    let rail = rail_feed("several-study-rail", Some(july));
    let dir = temp_dir("several-study");
    std::fs::write(dir.join("zones.csv"), "zone_id,lon,lat\nz1,0.0,51.4999\n").unwrap();
    std::fs::write(dir.join("sites.csv"), "id,name,lon,lat\ns1,Delta clinic,0.15,51.4999\n").unwrap();
    let inputs = RegionInputs {
        population_table: None,
        attributes: Vec::new(),
        postcodes: None,
        name: "tiny".into(),
        osm: Some(common::tiny_osm("several-study-osm")),
        zones: dir.join("zones.csv"),
        zone_options: ZoneOptions { id_field: "zone_id".into(), population_field: None, crs: CrsChoice::Auto, locality_field: None },
        sites: vec![SitesInput::File(dir.join("sites.csv"))],
        localities: None,
        crs: CrsChoice::Auto,
        profile: None,
        speed_calibration: None,
        modes: vec![accessplan::network::StreetMode::Walk],
        gtfs: vec![bus, rail.clone()],
        bus_date: Some("2023-06-13".parse().unwrap()),
        bus_window: DepartureWindow::MORNING_PEAK,
        clip_margin_km: None,
    };
    let region = Region::load(&inputs).unwrap();
    let w = region.warnings.iter().find(|w| w.file == rail).expect("a warning naming the rail feed");
    assert_eq!(
        w.message,
        format!(
            "the feed {} (train) runs no service on Tuesday 2023-06-13; the feed covers 2023-07-01 to 2023-07-31; the nearest days with service are Monday 2023-07-03; its trips are left out of the public transport times",
            rail.display()
        )
    );
    // The only other warning is about the zones' missing population.
    assert_eq!(region.warnings.iter().filter(|w| w.message.contains("no service")).count(), 1, "{:?}", region.warnings);
}
