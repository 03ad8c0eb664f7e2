//! Clipping the inputs to the study area (the zones' extent grown by a
//! margin): on Newport, the street times of every zone well inside the area
//! are those of the whole extract, and the notes count what was cut; on a
//! hand-made feed, a trip that leaves the area and comes back keeps all its
//! stop times; a margin that leaves no zone inside is an error.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use accessplan::input::crs::CrsChoice;
use accessplan::input::zones::{ZoneOptions, load_zones};
use accessplan::network::StreetMode;
use accessplan::progress::Progress;
use accessplan::region::{Region, RegionInputs};
use accessplan::testdata::{newport_inputs, shared_file};
use accessplan::travel::{Mode, TravelRequest, TravelTimes};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accessplan-clip-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Newport output areas whose point lies in `lon` x `lat`, written as a
/// GeoJSON of their outlines.
fn oa_subset(name: &str, lon: (f64, f64), lat: (f64, f64)) -> Option<PathBuf> {
    let oa = shared_file("newport/boundaries/oa.geojson")?;
    let zones = load_zones(&oa, &ZoneOptions { id_field: "OA11CD".into(), population_field: None, crs: CrsChoice::Auto, locality_field: None }).unwrap().0;
    let keep: BTreeSet<String> =
        zones.iter().filter(|z| (lon.0..lon.1).contains(&z.point.lon) && (lat.0..lat.1).contains(&z.point.lat)).map(|z| z.id.clone()).collect();
    let mut gj: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&oa).unwrap()).unwrap();
    let features = gj["features"].as_array_mut().unwrap();
    features.retain(|f| keep.contains(f["properties"]["OA11CD"].as_str().unwrap_or("")));
    let p = temp_dir(name).join("oa-subset.geojson");
    std::fs::write(&p, gj.to_string()).unwrap();
    Some(p)
}

fn times(inputs: &RegionInputs) -> (Region, TravelTimes) {
    let region = Region::load(inputs).unwrap();
    let request = TravelRequest { modes: vec![Mode::CarOffpeak, Mode::CarPeak, Mode::Walk], ..TravelRequest::for_region(&region) };
    let tt = TravelTimes::compute(&region, &request, &Progress::new()).unwrap();
    (region, tt)
}

#[test]
fn newport_clipped_two_km_around_its_western_zones_keeps_their_street_times() {
    // The Newport OA zones reach beyond the street extract (lon -3.074 to
    // -2.930), so clipped around all of them the extract loses no street.
    // The 116 output areas west of the Usk and north of the docks span a
    // smaller box: 2 km around it cuts the east and south of the extract.
    let Some(zones) = oa_subset("west", (-3.06, -3.0), (51.56, 51.60)) else { return };
    let mut inputs = newport_inputs().unwrap();
    inputs.zones = zones;
    inputs.clip_margin_km = None;
    let (whole_r, whole) = times(&inputs);
    assert!(whole_r.clip.is_none() && !whole_r.notes.iter().any(|n| n.contains("clipped")));
    inputs.clip_margin_km = Some(2.0);
    let (cut_r, cut) = times(&inputs);
    let clip = cut_r.clip.as_ref().unwrap();
    assert_eq!(clip.margin_km, 2.0);
    assert_eq!(clip.area.to_string(), "lon -3.0999..-2.9613, lat 51.5403..51.6213");
    // The counts before and after, and the notes that say them.
    let osm = clip.osm.unwrap();
    assert_eq!((osm.ways, osm.streets, osm.nodes, osm.points), ((11657, 8838), (8965, 7255), (74906, 56136), (862, 777)));
    assert!(cut_r.notes.contains(&"inputs clipped to the zones' extent + 2 km (lon -3.0999..-2.9613, lat 51.5403..51.6213)".to_string()), "{:?}", cut_r.notes);
    assert!(
        cut_r.notes.contains(&"OSM extract clipped: ways 11657 -> 8838 (streets 8965 -> 7255), nodes 74906 -> 56136, tagged points 862 -> 777".to_string()),
        "{:?}",
        cut_r.notes
    );
    let nodes = |r: &Region, m: StreetMode| r.network(m).unwrap().node_count();
    assert_eq!((nodes(&whole_r, StreetMode::Car), nodes(&cut_r, StreetMode::Car)), (9521, 7672));
    assert_eq!((nodes(&whole_r, StreetMode::Walk), nodes(&cut_r, StreetMode::Walk)), (13511, 10707));
    // Of the 21 OSM health sites, one stands outside the area and is cut with its tags.
    let cut_ids: BTreeSet<&str> = cut_r.sites.iter().map(|s| s.id.as_str()).collect();
    let gone: Vec<&str> = whole_r.sites.iter().filter(|s| !cut_ids.contains(s.id.as_str())).map(|s| s.name.as_str()).collect();
    assert_eq!((whole_r.sites.len(), cut_r.sites.len()), (21, 20));
    assert_eq!(gone, ["Alway Health Centre"]);
    let w = cut_r.warnings.iter().find(|w| w.message.contains("left out")).expect("a warning naming the site cut");
    assert!(
        w.message.starts_with(
            "sites tagged in the extract but standing outside the area kept by clipping (the zones' extent + 2 km) are left out (1): Alway Health Centre (osm-"
        ),
        "{w}"
    );
    // Every zone lies more than 2 km inside the area (the margin is taken
    // around the zones' outlines, and each zone's point is inside its outline).
    let inside: Vec<usize> = (0..cut_r.zones.len()).filter(|&z| clip.area.inside_by_m(cut_r.zones[z].point) > 2000.0).collect();
    assert_eq!((cut_r.zones.len(), inside.len()), (116, 116));
    // Same times for every such zone to every site, by car (both periods)
    // and on foot. Not to the bit: each network's local projection is
    // centred on its own extent, so the doors' snap offsets (metres in that
    // projection) move by about 1e-4 of their length, a few milliseconds.
    let whole_site: HashMap<&str, usize> = whole_r.sites.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut pairs = 0;
    for mode in [Mode::CarOffpeak, Mode::CarPeak, Mode::Walk] {
        let (a, b) = (whole.get(mode).unwrap(), cut.get(mode).unwrap());
        let mut max_diff = 0.0f32;
        for &z in &inside {
            for (d, s) in cut_r.sites.iter().enumerate() {
                let (x, y) = (a.time(z, whole_site[s.id.as_str()]), b.time(z, d));
                assert_eq!(x.is_some(), y.is_some(), "{mode:?} {} to {}", cut_r.zones[z].id, s.name);
                if let (Some(x), Some(y)) = (x, y) {
                    if (x - y).abs() > 0.1 {
                        println!("{mode:?} {} to {}: {x} vs {y}", cut_r.zones[z].id, s.name);
                    }
                    max_diff = max_diff.max((x - y).abs());
                    pairs += 1;
                }
            }
        }
        println!("{mode:?}: largest difference {max_diff} s");
        assert!(max_diff < 0.1, "{mode:?}: {max_diff} s");
    }
    assert_eq!(pairs, 3 * 116 * 20);
}

#[test]
fn newport_feeds_clipped_two_km_keep_every_bus_and_rail_median() {
    let Some(mut inputs) = newport_inputs() else { return };
    inputs.modes = vec![StreetMode::Walk];
    let feed = |f: &str| shared_file(&format!("newport/gtfs-more/{f}")).unwrap();
    inputs.gtfs = vec![feed("newport-20240305-bus_gtfs.zip"), feed("newport-20240305-rail_gtfs.zip")];
    inputs.bus_date = Some("2024-03-05".parse().unwrap());
    let mut medians = Vec::new();
    for margin in [None, Some(2.0)] {
        inputs.clip_margin_km = margin;
        let region = Region::load(&inputs).unwrap();
        let request = TravelRequest { modes: vec![Mode::Bus], ..TravelRequest::for_region(&region) };
        let tt = TravelTimes::compute(&region, &request, &Progress::new()).unwrap();
        medians.push(tt.bus.unwrap().median_s);
        let Some(clip) = &region.clip else { continue };
        // Around all 475 output areas the extract keeps every way (and the
        // reader already held only the nodes of kept ways); the regional
        // feeds lose the trips that never call within 2 km of Newport.
        let osm = clip.osm.unwrap();
        assert_eq!((osm.ways, osm.streets, osm.nodes, osm.points), ((11657, 11657), (8965, 8965), (74906, 74906), (862, 862)));
        let counts: Vec<_> = clip.feeds.iter().map(|(_, c)| (c.stops, c.routes, c.trips, c.stop_times)).collect();
        assert_eq!(counts, [((5377, 3005), (220, 136), (5426, 3034), (204361, 108837)), ((253, 174), (141, 61), (939, 325), (12082, 4597))]);
        for line in [
            "GTFS newport-20240305-bus_gtfs.zip clipped: stops 5377 -> 3005, routes 220 -> 136, trips 5426 -> 3034 (stop times 204361 -> 108837)",
            "GTFS newport-20240305-rail_gtfs.zip clipped: stops 253 -> 174, routes 141 -> 61, trips 939 -> 325 (stop times 12082 -> 4597)",
        ] {
            assert!(region.notes.iter().any(|n| n == line), "{line}\n{:#?}", region.notes);
        }
        let (f, _) = region.gtfs.as_ref().unwrap();
        assert_eq!((f.stops.len(), f.trips.len()), (3005 + 174, 3034 + 325));
        assert_eq!((f.parts[1].stops.clone(), f.parts[1].trips.clone()), (3005..3179, 3034..3359));
    }
    // Every trip that can carry anyone to or from a zone is kept whole, so
    // no median over 07:00-09:00 changes, zone by site.
    assert_eq!(medians[0].len(), 475 * 21);
    assert!(medians[0].iter().zip(&medians[1]).all(|(a, b)| a == b || (a.is_infinite() && b.is_infinite())));
}

#[test]
fn a_trip_that_leaves_the_area_and_comes_back_keeps_its_stop_times() {
    use accessplan::geom::{Extent, LonLat};
    use accessplan::transit::*;
    // A and B inside the area; X 11 km north of it, Y and Z farther. T1
    // runs A 08:00, X 08:20, B 08:40; T2 (Y to Z) and T3 (X to Y) never
    // call inside the area.
    let dir = temp_dir("loop");
    let files = [
        ("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nAG,Loop Buses,https://example.org,Europe/London\n"),
        (
            "stops.txt",
            "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,51.50,0.00\nB,Bravo,51.50,0.10\nX,X-ray,51.60,0.05\nY,Yankee,51.70,0.05\nZ,Zulu,51.70,0.15\n",
        ),
        ("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,AG,1,,3\nR2,AG,2,,3\nR3,AG,3,,3\n"),
        ("trips.txt", "route_id,service_id,trip_id\nR1,WK,T1\nR2,WK,T2\nR3,WK,T3\n"),
        (
            "stop_times.txt",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,08:20:00,08:20:00,X,2\nT1,08:40:00,08:40:00,B,3\nT2,09:00:00,09:00:00,Y,1\nT2,09:30:00,09:30:00,Z,2\nT3,10:00:00,10:00:00,X,1\nT3,10:30:00,10:30:00,Y,2\n",
        ),
        ("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20230601,20230630\n"),
    ];
    for (n, c) in files {
        std::fs::write(dir.join(n), c).unwrap();
    }
    let (feed, _) = load_gtfs(&dir).unwrap();
    let area = Extent { min: LonLat::new(-0.01, 51.49), max: LonLat::new(0.11, 51.51) };
    let (cut, counts) = feed.clip(&area);
    assert_eq!((counts.stops, counts.routes, counts.trips, counts.stop_times), ((5, 3), (3, 1), (3, 1), (7, 3)));
    assert_eq!(counts.to_string(), "stops 5 -> 3, routes 3 -> 1, trips 3 -> 1 (stop times 7 -> 3)");
    let t1 = &cut.trips[0];
    let calls: Vec<(&str, u32)> = t1.times().map(|k| (cut.stops[cut.stop_times.stop[k] as usize].id.as_str(), cut.stop_times.arrival_s[k])).collect();
    assert_eq!(calls, [("A", 8 * 3600), ("X", 8 * 3600 + 20 * 60), ("B", 8 * 3600 + 40 * 60)]);
    assert_eq!((cut.stop_index("Y"), cut.stop_index("Z")), (None, None));
    assert_eq!(cut.parts[0].stops, 0..3);
    // Routing on the clipped feed: B is reached at 08:40, not sooner.
    let tt = Timetable::build(&cut, "2023-06-13".parse().unwrap(), None, &FootpathOptions::default()).unwrap();
    let mut r = Raptor::new(&tt, RaptorOptions::default());
    r.run(&[StopWalk { stop: cut.stop_index("A").unwrap(), walk_s: 0, length_m: 0.0 }], 7 * 3600 + 59 * 60);
    assert_eq!(r.arrival(cut.stop_index("B").unwrap() as usize), 8 * 3600 + 40 * 60);
    assert_eq!(r.arrival(cut.stop_index("X").unwrap() as usize), 8 * 3600 + 20 * 60);
}

#[test]
fn a_margin_that_leaves_no_zone_inside_is_an_error() {
    use accessplan::region::clip::clip_area;
    let Some(oa) = shared_file("newport/boundaries/oa.geojson") else { return };
    let zones = load_zones(&oa, &ZoneOptions { id_field: "OA11CD".into(), population_field: None, crs: CrsChoice::Auto, locality_field: None }).unwrap().0;
    let e = clip_area(&zones, Some(-20.0), &oa).unwrap_err().to_string();
    println!("{e}");
    assert!(e.contains("oa.geojson") && e.contains("clip_margin_km"), "{e}");
    assert!(e.contains("a clip margin of -20 km leaves no zone inside the area kept (the zones span lon -3.1241..-2.8031, lat 51.5018..51.6494)"), "{e}");
    assert!(e.contains("give a margin above -8.1 km"), "{e}");
    // That margin keeps a zone; shrunk by 5 km, many zones are outside:
    // kept, and counted in a warning.
    assert!(clip_area(&zones, Some(-8.1), &oa).is_ok());
    let (area, w) = clip_area(&zones, Some(-5.0), &oa).unwrap();
    assert!(area.is_some());
    println!("{}", w[0]);
    assert!(w[0].message.starts_with("zones lying outside the area kept by a clip margin of -5 km (138; first: W00008409,"), "{}", w[0]);
    // No margin, or an infinite one: nothing is cut. Not a number: an error.
    assert_eq!(clip_area(&zones, None, &oa).unwrap().0, None);
    assert_eq!(clip_area(&zones, Some(f64::INFINITY), &oa).unwrap().0, None);
    assert!(clip_area(&zones, Some(f64::NAN), &oa).is_err());
}

#[test]
fn an_extract_that_misses_the_zones_is_an_error() {
    let Some(mut inputs) = newport_inputs() else { return };
    let dir = temp_dir("elsewhere");
    inputs.zones = dir.join("zones.csv");
    std::fs::write(&inputs.zones, "zone_id,lon,lat\nfar,0.5,52.2\n").unwrap();
    inputs.zone_options.id_field = "zone_id".into();
    let e = Region::load(&inputs).unwrap_err().to_string();
    assert!(e.contains("newport-2023-06-13.osm.pbf") && e.contains("none of its 8965 streets lies within 10 km of the zones"), "{e}");
    assert!(e.contains("the extract does not cover the study area"), "{e}");
}

#[test]
fn scenario_files_record_the_clip_margin() {
    use accessplan::plan::scenario::ScenarioFile;
    let dir = temp_dir("scenario");
    for f in ["z.geojson", "s.csv"] {
        std::fs::write(dir.join(f), "").unwrap();
    }
    let write = |name: &str, extra: &str| {
        let p = dir.join(name);
        std::fs::write(&p, format!("schema_version = 1\nname = \"s\"\n[inputs]\nzones = \"z.geojson\"\nzone_id = \"id\"\nsites = \"s.csv\"\n{extra}")).unwrap();
        p
    };
    let margin = |p: &PathBuf| ScenarioFile::load(p).unwrap().region_inputs(p).map(|i| i.clip_margin_km);
    // Absent (every older file): the default 10 km, and the file saves unchanged.
    let p = write("default.toml", "");
    assert_eq!(margin(&p).unwrap(), Some(10.0));
    assert!(!ScenarioFile::load(&p).unwrap().to_toml().unwrap().contains("clip_margin_km"));
    let p = write("two.toml", "clip_margin_km = 2.5\n");
    assert_eq!(margin(&p).unwrap(), Some(2.5));
    assert!(ScenarioFile::load(&p).unwrap().to_toml().unwrap().contains("clip_margin_km = 2.5\n"));
    let p = write("whole.toml", "clip_margin_km = inf\n");
    assert_eq!(margin(&p).unwrap(), Some(f64::INFINITY));
    assert!(ScenarioFile::load(&p).unwrap().to_toml().unwrap().contains("clip_margin_km = inf\n"));
    let p = write("nan.toml", "clip_margin_km = nan\n");
    let e = margin(&p).unwrap_err().to_string();
    assert!(e.contains("nan.toml") && e.contains("inputs.clip_margin_km") && e.contains("give kilometres"), "{e}");
}
