//! A hand-checkable fixture: one straight 3 km street on the equator, three
//! zones 100 m north of it, two sites on it, two localities. Every figure
//! below is worked out by hand from the geometry and the fixture's profile
//! (car 10 m/s off peak, 5 m/s at peak, walking 1 m/s).
//!
//! Street nodes at lon 0, 0.009, 0.018, 0.027 on the equator: 0.009 degrees
//! is 1,000.75 m (Earth radius 6,371,008.8 m), so the street is 3,002.25 m
//! long, one graph edge A-D. Zones: Z1 above A (pop 100), Z2 above B (pop
//! 200), Z3 above D (pop 700), each 100 m north (0.000899322 degrees), so a
//! 100 s walk to the street. Sites: S1 at B (West), S2 at D (East).

use std::path::{Path, PathBuf};

use accessplan::analysis::Target;
use accessplan::study::Study;
use accessplan::travel::Mode;

const L: f64 = 1000.7543; // metres per 0.009 degrees of longitude on the equator

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn fixture() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accessplan-fixture-{}-{:?}", std::process::id(), std::thread::current().id()));
    std::fs::create_dir_all(&dir).unwrap();
    write(
        &dir,
        "street.osm",
        r#"<osm version="0.6">
<node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.009"/><node id="3" lat="0" lon="0.018"/><node id="4" lat="0" lon="0.027"/>
<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/></way>
</osm>"#,
    );
    write(
        &dir,
        "profile.toml",
        // No junction delays: the figures below are along the street only.
        "[walk]\nspeed_kmh = 3.6\n[cycle]\nspeed_kmh = 18.0\n[car.residential]\ndefault_kmh = 36.0\nfreeflow_factor = 1.0\npeak_factor = 0.5\n\
         [junctions]\ndrive_on = \"left\"\ntraffic_signals_s = 0\nstop_s = 0\ngive_way_s = 0\nturn_with_traffic_s = 0\nturn_across_traffic_s = 0\nu_turn_s = 0\ngate_s = 0\npeak_factor = 1\n",
    );
    write(&dir, "zones.csv", "zone_id,lon,lat,population\nZ1,0,0.000899322,100\nZ2,0.009,0.000899322,200\nZ3,0.027,0.000899322,700\n");
    write(
        &dir,
        "sites.csv",
        "id,name,kind,status,locality,lon,lat,capacity\nS1,West Centre,hlc,existing,West,0.009,0,\nS2,East Centre,hlc,existing,East,0.027,0,12\n",
    );
    write(
        &dir,
        "localities.geojson",
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"West"},"geometry":{"type":"Polygon","coordinates":[[[-0.005,-0.01],[0.015,-0.01],[0.015,0.01],[-0.005,0.01],[-0.005,-0.01]]]}},
{"type":"Feature","properties":{"name":"East"},"geometry":{"type":"Polygon","coordinates":[[[0.015,-0.01],[0.035,-0.01],[0.035,0.01],[0.015,0.01],[0.015,-0.01]]]}}]}"#,
    );
    write(&dir, "contacts.csv", "zone_id,service,current_site,contacts_per_year\nZ1,phlebotomy,S2,10\nZ2,phlebotomy,S1,5\nZ3,hand-therapy,S1,4\n");
    write(
        &dir,
        "scenario.toml",
        r#"schema_version = 1
name = "By hand"
[thresholds]
car_offpeak = 3
car_peak = 3
walk = 10
cycle = 3
[inputs]
osm = "street.osm"
profile = "profile.toml"
zones = "zones.csv"
zone_id = "zone_id"
population = "population"
sites = "sites.csv"
contacts = "contacts.csv"
[inputs.localities]
file = "localities.geojson"
[[service]]
id = "phlebotomy"
sites = ["S1", "S2"]
[[service]]
id = "hand-therapy"
sites = ["S2"]
"#,
    );
    dir.join("scenario.toml")
}

fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn every_figure_matches_the_hand_calculation() {
    let path = fixture();
    let study = Study::open(&path, &accessplan::progress::Progress::new()).unwrap();
    let r = &study.region;
    assert_eq!((r.zones.len(), r.sites.len(), r.localities.len()), (3, 2, 2));
    assert_eq!(r.zones.iter().map(|z| z.locality.clone().unwrap()).collect::<Vec<_>>(), ["West", "West", "East"]);
    let e = study.evaluate();
    let s = &study.scenario;
    let car = e.mode_index(Mode::CarOffpeak).unwrap();
    let peak = e.mode_index(Mode::CarPeak).unwrap();
    let walk = e.mode_index(Mode::Walk).unwrap();

    // Phlebotomy is tier 1: each zone uses its own locality's site.
    let ph = &e.choices[0];
    let sites: Vec<usize> = ph[car].iter().map(|c| c.site().unwrap()).collect();
    assert_eq!(sites, [0, 0, 1]);
    // Z1: 100 s walk + 1,000.75 m at 10 m/s = 200.08 s. Z2, Z3: the 100 s walk only.
    let t: Vec<f64> = ph[car].iter().map(|c| c.time_s as f64).collect();
    assert!(near(t[0], 100.0 + L / 10.0, 0.01) && near(t[1], 100.0, 0.01) && near(t[2], 100.0, 0.01), "{t:?}");
    // At peak the drive takes twice as long: 300.15 s.
    assert!(near(ph[peak][0].time_s as f64, 100.0 + L / 5.0, 0.01));
    // Walking: 100 s + 1,000.75 s.
    assert!(near(ph[walk][0].time_s as f64, 100.0 + L, 0.01));
    // Distances: door walk plus street, 1,100.75 m for Z1.
    assert!(near(ph[car][0].length_m as f64, 100.0 + L, 0.05));

    // Coverage within 3 minutes by car: Z2 and Z3 (900 of 1,000 residents).
    let c = e.cover(r, s, Target::Service(0), Mode::CarOffpeak, None).unwrap();
    assert_eq!((c.population, c.within), (1000.0, 900.0));
    assert!(near(c.share(), 0.9, 1e-12));
    // West alone: Z2 of Z1 + Z2, 200 of 300.
    let west = e.cover(r, s, Target::Service(0), Mode::CarOffpeak, Some(0)).unwrap();
    assert!(near(west.share(), 2.0 / 3.0, 1e-12));
    // Walking within 10 minutes: Z1 needs 18.3 min; again 90%.
    assert!(near(e.cover(r, s, Target::Service(0), Mode::Walk, None).unwrap().share(), 0.9, 1e-12));
    // Hand therapy (tier 3) only at S2: Z1 400.2 s, Z2 300.15 s, Z3 100 s: 70% within 3 min.
    let ht = &e.choices[1][car];
    assert!(near(ht[0].time_s as f64, 100.0 + 3.0 * L / 10.0, 0.01) && near(ht[1].time_s as f64, 100.0 + 2.0 * L / 10.0, 0.01));
    assert!(near(e.cover(r, s, Target::Service(1), Mode::CarOffpeak, None).unwrap().share(), 0.7, 1e-12));
    // Cumulative curve: 900 residents by minute 2 (100 s), all 1,000 by minute 4 (200 s).
    let curve = e.curve(r, Target::Service(0), Mode::CarOffpeak, None).unwrap();
    assert_eq!((curve[1], curve[2], curve[3], curve[4], curve[90]), (0.0, 900.0, 900.0, 1000.0, 1000.0));

    // Mean driving distance for phlebotomy, population-weighted:
    // (100 x 1,100.75 + 200 x 100 + 700 x 100) / 1,000 m = 200.08 m = 0.12432 miles.
    let miles = e.mean_drive_miles(r, Target::Service(0)).unwrap();
    assert!(near(miles, (100.0 * (100.0 + L) + 20_000.0 + 70_000.0) / 1000.0 / 1609.344, 1e-4), "{miles}");

    // Journeys. Z1's phlebotomy moves from S2 (400.2 s) to S1 (200.1 s):
    // 3.335 minutes saved per trip, x 10 contacts = 33.35 minutes a year.
    let j = &e.journeys;
    assert_eq!(j.len(), 3);
    let saved = j[0].saved_min(car).unwrap();
    assert!(near(saved, 2.0 * L / 10.0 / 60.0, 0.001), "{saved}");
    assert!(near(j[0].saved_min_per_year(car).unwrap(), 10.0 * 2.0 * L / 10.0 / 60.0, 0.01));
    // Z2 stays at S1: nothing saved. Z3's hand therapy moves from S1 to S2: 2 x 100.075 s saved.
    assert!(near(j[1].saved_min(car).unwrap(), 0.0, 1e-6));
    assert!(near(j[2].saved_min(car).unwrap(), 2.0 * L / 10.0 / 60.0, 0.001));
    for jj in j {
        for k in 0..e.modes.len() {
            if let (Some(b), Some(a), Some(sv)) = (jj.before_min[k], jj.after_min[k], jj.saved_min(k)) {
                assert!(near(sv, b - a, 1e-9));
            }
        }
    }
    let sum = accessplan::analysis::journeys::summarise(j, car);
    assert_eq!((sum.rows, sum.contacts, sum.gain_contacts, sum.lose_contacts), (3, 19.0, 14.0, 0.0));

    // Loads by car off peak: S1 serves Z1 and Z2 for phlebotomy (300 residents,
    // 15 contacts), S2 serves Z3 (700) and all hand therapy (1,000; 4 contacts).
    let load = |site: usize, svc: usize| e.loads.iter().find(|l| l.site == site && l.service == svc).map(|l| (l.population, l.contacts));
    assert_eq!(load(0, 0), Some((300.0, 15.0)));
    assert_eq!(load(1, 0), Some((700.0, 0.0)));
    assert_eq!(load(1, 1), Some((1000.0, 4.0)));
    // S2 takes 4 contacts against a capacity of 12: not over.
    assert!(accessplan::analysis::loads::over_capacity(study.sites(), &e.loads).is_empty());
    // The rules hold: phlebotomy at both HLCs; hand therapy somewhere.
    assert!(e.violations.is_empty(), "{:?}", e.violations);
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}

#[test]
fn removing_a_tier_1_site_is_a_violation_and_sends_people_elsewhere() {
    let path = fixture();
    let mut study = Study::open(&path, &accessplan::progress::Progress::new()).unwrap();
    study.scenario.services[0].offered[1] = false; // phlebotomy no longer at S2 (East)
    let e = study.evaluate();
    assert_eq!(e.violations.len(), 1);
    assert!(e.violations[0].message.contains("Phlebotomy (tier 1) is not offered in East"), "{}", e.violations[0].message);
    // Z3 falls back to S1, two street segments away: 100 + 2,001.5 / 10 s.
    let car = e.mode_index(Mode::CarOffpeak).unwrap();
    assert_eq!(e.choices[0][car][2].site(), Some(0));
    assert!(near(e.choices[0][car][2].time_s as f64, 100.0 + 2.0 * L / 10.0, 0.01));
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}
