//! Isochrones on Newport checked against what walking speed allows, and
//! clean bands (few shapes, few holes, growing areas) on the demo and Newport.

use accessplan::geom::{LocalProjection, LonLat, haversine_m};
use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Period, Profile, StreetMode};
use accessplan::testdata::shared_file;
use accessplan::travel::isochrone::isochrone;
use geo::{Area, Coord, MapCoords};

#[test]
fn walking_bands_stay_within_walking_reach_and_cover_the_streets() {
    let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else { return };
    let osm = OsmData::load(&pbf).unwrap();
    let p = Profile::default();
    let walk = Network::build(&osm, StreetMode::Walk, &p);
    let car = Network::build(&osm, StreetMode::Car, &p);
    // Newport city centre, by the railway station.
    let at = LonLat::new(-2.9990, 51.5880);
    let iso = isochrone(&walk, Period::Offpeak, at, &[5.0, 10.0, 15.0], 1000.0, 25.0, &accessplan::progress::Progress::new()).unwrap();
    assert_eq!(iso.bands.len(), 3);
    assert_eq!((iso.bands[0].from_min, iso.bands[0].to_min), (0.0, 5.0));
    let proj = LocalProjection::new(at);
    let mut areas = Vec::new();
    for b in &iso.bands {
        // Nothing walked in t minutes lies farther than 80 m/min x t (plus a
        // grid cell of smoothing) as the crow flies.
        let reach = b.to_min * 80.0 + 40.0;
        for poly in &b.area.0 {
            for c in poly.exterior().coords() {
                let d = haversine_m(at, LonLat::new(c.x, c.y));
                assert!(d <= reach, "{}-{} min band reaches {d:.0} m (max {reach:.0})", b.from_min, b.to_min);
            }
        }
        let metric = b.area.map_coords(|c| {
            let [x, y] = proj.to_xy(LonLat::new(c.x, c.y));
            Coord { x, y }
        });
        areas.push(metric.unsigned_area());
    }
    eprintln!("band areas m2: {areas:?}");
    // A dense town centre: the 5-minute walk covers a good share of the
    // 400 m disc, and each later ring is larger than the one before.
    let disc5 = std::f64::consts::PI * 400.0f64.powi(2);
    assert!(areas[0] > 0.25 * disc5 && areas[0] < disc5, "{}", areas[0] / disc5);
    assert!(areas[1] > areas[0] && areas[2] > areas[1]);

    let by_car = isochrone(&car, Period::Offpeak, at, &[10.0], 1000.0, 50.0, &accessplan::progress::Progress::new()).unwrap();
    let car_area: f64 = by_car.bands[0]
        .area
        .map_coords(|c| {
            let [x, y] = proj.to_xy(LonLat::new(c.x, c.y));
            Coord { x, y }
        })
        .unsigned_area();
    assert!(car_area > 3.0 * (areas[0] + areas[1]), "10 min by car {car_area} vs walking {}", areas[0] + areas[1]);
}

#[test]
fn bus_isochrone_reaches_at_least_as_far_as_walking_and_further_by_half_an_hour() {
    use accessplan::transit::{BusOptions, BusRouter, FootpathOptions, Timetable, load_gtfs};
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let osm = OsmData::load(&root.join("maps/demo/region.osm")).unwrap();
    let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
    let (feed, _) = load_gtfs(&root.join("datasets/demo/gtfs")).unwrap();
    let tt = Timetable::build(&feed, "2026-01-06".parse().unwrap(), Some(&walk), &FootpathOptions::default()).unwrap();
    // Northgate town centre, 08:00 on a Tuesday.
    let at = LonLat::new(0.5526, 51.4172);
    let minutes = [10.0, 20.0, 30.0];
    let on_foot = isochrone(&walk, Period::Offpeak, at, &minutes, 1000.0, 50.0, &accessplan::progress::Progress::new()).unwrap();
    let by_bus = accessplan::travel::isochrone::bus_isochrone(
        &BusRouter::new(&tt, &walk, BusOptions::default()),
        at,
        8 * 3600,
        &minutes,
        50.0,
        &accessplan::progress::Progress::new(),
    )
    .unwrap();
    let proj = LocalProjection::new(at);
    let area = |iso: &accessplan::travel::isochrone::Isochrone| -> f64 {
        iso.bands
            .iter()
            .map(|b| {
                b.area
                    .map_coords(|c| {
                        let [x, y] = proj.to_xy(LonLat::new(c.x, c.y));
                        Coord { x, y }
                    })
                    .unsigned_area()
            })
            .sum()
    };
    let (w, b) = (area(&on_foot), area(&by_bus));
    eprintln!("within 30 min: walking {:.2} km2, bus {:.2} km2", w / 1e6, b / 1e6);
    // Walking is always allowed on a bus journey, so the bus reaches at least
    // as far; with buses every 15-30 minutes it reaches well beyond by 30 minutes.
    assert!(b >= w * 0.99, "{b} vs {w}");
    assert!(b > w * 1.1, "{b} vs {w}");
    // The first band is walking-speed bound: nothing within 10 minutes lies
    // beyond 800 m (plus a cell) as the crow flies, bus or not (waits and
    // boarding slack make so short a ride no faster than walking, here).
    for poly in &by_bus.bands[0].area.0 {
        for c in poly.exterior().coords() {
            assert!(haversine_m(at, LonLat::new(c.x, c.y)) < 800.0 + 60.0);
        }
    }
}

/// The demo's car network (built once per test).
fn demo_car() -> Network {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let osm = OsmData::load(&root.join("maps/demo/region.osm")).unwrap();
    Network::build(&osm, StreetMode::Car, &Profile::default())
}

#[test]
fn demo_car_isochrone_from_the_centre_is_a_few_solid_bands() {
    let car = demo_car();
    // The middle of the demo map, where a planner's first click lands.
    let at = LonLat::new(0.55, 51.3792);
    let iso = isochrone(&car, Period::Offpeak, at, &[5.0, 10.0, 15.0, 20.0, 30.0], 1000.0, 50.0, &accessplan::progress::Progress::new()).unwrap();
    let summary: Vec<(f64, f64, usize, usize, f64)> = iso.bands.iter().map(|b| (b.from_min, b.to_min, b.polygons, b.holes, b.area_km2)).collect();
    eprintln!("bands (from, to, polygons, holes, km2): {summary:?}");
    assert_eq!(summary.iter().map(|b| (b.0, b.1)).collect::<Vec<_>>(), [(0.0, 5.0), (5.0, 10.0), (10.0, 15.0), (15.0, 20.0), (20.0, 30.0)]);
    for b in &iso.bands {
        assert!(b.polygons >= 1 && b.polygons <= 5, "{}-{} min: {} polygons", b.from_min, b.to_min, b.polygons);
        assert!(b.holes <= 10, "{}-{} min: {} holes", b.from_min, b.to_min, b.holes);
    }
    // The area reached grows with each cut-off: 12.2, 57.3, 147.9, 252.7 and
    // 303.9 km2 within 5, 10, 15, 20 and 30 minutes (the last band is small:
    // by 20 minutes the car reaches most of the demo county's edges).
    let mut within = 0.0;
    for (b, want_km2) in iso.bands.iter().zip([12.2, 57.3, 147.9, 252.7, 303.9]) {
        within += b.area_km2;
        assert!((within - want_km2).abs() < 0.5, "within {} min: {within:.1} km2, expected {want_km2}", b.to_min);
    }
    // The GeoJSON says the bands do not overlap and carries each band's figures.
    let gj: serde_json::Value = serde_json::from_str(&accessplan::export::geojson_out::isochrone_geojson(&iso, "car", "offpeak")).unwrap();
    assert_eq!(gj["bands"], "non-overlapping");
    let p = &gj["features"][1]["properties"];
    assert_eq!((p["min_from"].as_f64(), p["min_to"].as_f64(), p["label"].as_str()), (Some(5.0), Some(10.0), Some("5-10 min")));
    assert_eq!((p["polygons"].as_u64(), p["holes"].as_u64()), (Some(iso.bands[1].polygons as u64), Some(iso.bands[1].holes as u64)));
    assert!((p["area_km2"].as_f64().unwrap() - 45.0).abs() < 0.5, "{p}");
}

#[test]
fn a_point_in_the_sea_gets_a_clear_message() {
    let car = demo_car();
    // The Thames estuary, north of the demo's coast.
    let at = LonLat::new(0.60, 51.52);
    let e = isochrone(&car, Period::Offpeak, at, &[5.0, 10.0], 1000.0, 50.0, &accessplan::progress::Progress::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the start point is off the street network: nearest usable street is 8081 m away (limit 1000 m); choose a point on or near a street"
    );
}

#[test]
fn newport_car_isochrone_from_the_station_is_clean_and_of_a_sensible_size() {
    let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else { return };
    let osm = OsmData::load(&pbf).unwrap();
    let car = Network::build(&osm, StreetMode::Car, &Profile::default());
    let at = LonLat::new(-2.9990, 51.5880);
    let iso = isochrone(&car, Period::Offpeak, at, &[5.0, 10.0, 15.0], 1000.0, 50.0, &accessplan::progress::Progress::new()).unwrap();
    let summary: Vec<(usize, usize, f64)> = iso.bands.iter().map(|b| (b.polygons, b.holes, b.area_km2)).collect();
    eprintln!("Newport car bands (polygons, holes, km2): {summary:?}");
    let mut far_m: f64 = 0.0;
    for b in &iso.bands {
        for poly in &b.area.0 {
            for c in poly.exterior().coords() {
                far_m = far_m.max(haversine_m(at, LonLat::new(c.x, c.y)));
            }
        }
    }
    eprintln!("farthest point within 15 min: {far_m:.0} m");
    for b in &iso.bands {
        assert!(b.polygons >= 1 && b.polygons <= 5 && b.holes <= 10, "{}-{} min: {} polygons, {} holes", b.from_min, b.to_min, b.polygons, b.holes);
    }
    // Fifteen minutes at urban average speeds of 20-35 km/h puts the edge 5
    // to 9 km out (measured: 7.6 km); the streets fill a third or so of
    // such a disc, so 30-75 km2 (measured: 51.3 km2), far more than the
    // walk covers (1.7 km2 in 15 minutes, above).
    assert!((5_000.0..9_000.0).contains(&far_m), "{far_m}");
    let within_15_km2: f64 = iso.bands.iter().map(|b| b.area_km2).sum();
    assert!((30.0..75.0).contains(&within_15_km2), "{within_15_km2}");
    assert!((within_15_km2 - 51.3).abs() < 0.5, "{within_15_km2}");
}

#[test]
fn an_exported_map_draws_the_isochrone_with_its_legend() {
    use accessplan::export::map_svg::{IsochroneLayer, MapSpec, default_credits, render_svg};
    use accessplan::export::style::Scale;
    use accessplan::region::Region;
    let region = Region::load(&Region::demo_inputs(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))).unwrap();
    let car = region.network(StreetMode::Car).expect("the demo builds its car network");
    let at = region.sites[0].point;
    let iso = isochrone(car, Period::Offpeak, at, &[5.0, 10.0, 15.0], 1000.0, 50.0, &accessplan::progress::Progress::new()).unwrap();
    let layer = IsochroneLayer::of(&iso, "Isochrone: car off-peak");
    // Each band keeps every ring the engine made: its outlines and its holes.
    let labels: Vec<&str> = layer.bands.iter().map(|b| b.0.as_str()).collect();
    assert_eq!(labels, ["0-5 min", "5-10 min", "10-15 min"]);
    for (b, (_, rings)) in iso.bands.iter().zip(&layer.bands) {
        assert_eq!(rings.len(), b.polygons + b.holes, "{}-{} min", b.from_min, b.to_min);
    }
    let spec = |isochrone: Option<IsochroneLayer>| MapSpec {
        title: "Travel time".into(),
        subtitle: "isochrone test".into(),
        width_px: 1200,
        height_px: 800,
        values: vec![Some(12.0); region.zones.len()],
        scale: Scale::minutes(),
        legend_title: "Minutes".into(),
        highlight_sites: Vec::new(),
        hlcs: Vec::new(),
        credits: default_credits(&region),
        isochrone,
    };
    let plain = render_svg(&region, &region.sites, &spec(None));
    assert!(!plain.contains("class=\"isochrone\"") && !plain.contains("0-5 min"));
    let svg = render_svg(&region, &region.sites, &spec(Some(layer)));
    let group = svg.split("<g class=\"isochrone\"").nth(1).expect("the bands are drawn").split("</g>").next().unwrap();
    // One path per band, nearest green, in the app's colours; the start marked.
    let fills: Vec<&str> = group.split("fill=\"").skip(1).map(|f| &f[..7]).collect();
    assert_eq!(fills, ["#1a9850", "#91cf60", "#d9ef8b", "#111111"]);
    assert_eq!(group.matches("<path ").count(), 3);
    assert_eq!(group.matches("<circle ").count(), 1);
    for text in [">Isochrone: car off-peak</text>", ">0-5 min</text>", ">5-10 min</text>", ">10-15 min</text>"] {
        assert!(svg.contains(text), "the legend has {text}");
    }
    // The PNG is drawn from the same SVG.
    let png = accessplan::export::map_png::render_png(&region, &region.sites, &spec(Some(IsochroneLayer::of(&iso, "Isochrone: car off-peak")))).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    if std::env::var_os("ACCESSPLAN_KEEP_MAPS").is_some() {
        std::fs::write(std::env::temp_dir().join("iso-demo.png"), &png).unwrap();
        std::fs::write(std::env::temp_dir().join("iso-demo.svg"), &svg).unwrap();
    }
}
