//! Newport end to end: 475 census output areas to the health sites tagged in
//! OSM, by car and on foot. Every zone gets a time to every site or is
//! reported unreachable with its reason.

use accessplan::network::snap::SnapFailure;
use accessplan::network::{NoTime, StreetMode, one_journey};
use accessplan::region::Region;
use accessplan::travel::{Mode, TravelTimes};

fn newport() -> Option<Region> {
    Some(Region::load(&accessplan::testdata::newport_inputs()?).expect("Newport loads"))
}

#[test]
fn every_output_area_gets_a_time_or_a_reason() {
    let Some(region) = newport() else { return };
    assert_eq!(region.zones.len(), 475);
    assert_eq!(region.sites.len(), 21);
    let tt = TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &accessplan::progress::Progress::new()).unwrap();
    for key in [Mode::CarOffpeak, Mode::CarPeak, Mode::Walk] {
        let m = tt.street(key).unwrap();
        let mut with_time = 0;
        let mut too_far = 0;
        for z in 0..m.origins {
            let times = (0..m.destinations).filter(|&s| m.time(z, s).is_some()).count();
            if times == m.destinations {
                with_time += 1;
            } else {
                assert_eq!(times, 0, "a zone on the network reaches every site");
                for s in 0..m.destinations {
                    match m.why_none(z, s) {
                        Some(NoTime::OriginOffNetwork(SnapFailure::TooFar { nearest_m, limit_m })) => {
                            assert!(nearest_m > 1000.0 && limit_m == 1000.0)
                        }
                        other => panic!("unexpected reason {other:?}"),
                    }
                }
                too_far += 1;
            }
        }
        eprintln!("{}: {with_time} zones with times, {too_far} too far from a street", key.label());
        assert_eq!(with_time + too_far, 475);
        // The extract stops west of the rural east of the authority: those
        // output areas lie more than 1 km from any mapped street.
        let expected = if key == Mode::Walk { 102 } else { 111 };
        assert_eq!(too_far, expected, "{}", key.label());
        assert!(m.destination_snaps.iter().all(|s| s.is_ok()), "every health site is on the network");
    }
}

#[test]
fn matrix_equals_one_search_per_pair() {
    let Some(region) = newport() else { return };
    let tt = TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &accessplan::progress::Progress::new()).unwrap();
    for key in [Mode::CarPeak, Mode::Walk] {
        let m = tt.street(key).unwrap();
        let (sm, period) = key.street().unwrap();
        let net = region.network(sm).unwrap();
        let mut checked = 0;
        for z in (0..region.zones.len()).step_by(23) {
            for s in (0..region.sites.len()).step_by(4) {
                let one = one_journey(net, period, region.zones[z].point, region.sites[s].point, 1000.0).ok();
                match (m.time(z, s), one) {
                    (Some(t), Some((t1, l1))) => {
                        assert!((t - t1).abs() <= 0.002, "{} z{z} s{s}: {t} vs {t1}", key.label());
                        assert!((m.length(z, s).unwrap() - l1).abs() < 1.0);
                    }
                    (None, None) => {}
                    (a, b) => panic!("{a:?} vs {b:?}"),
                }
                checked += 1;
            }
        }
        assert!(checked >= 100);
    }
}

#[test]
fn peak_is_never_faster_than_offpeak() {
    let Some(region) = newport() else { return };
    let tt = TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &accessplan::progress::Progress::new()).unwrap();
    let off = tt.street(Mode::CarOffpeak).unwrap();
    let peak = tt.street(Mode::CarPeak).unwrap();
    let walk = tt.street(Mode::Walk).unwrap();
    let mut n = 0;
    for i in 0..off.time_s.len() {
        if off.time_s[i].is_finite() {
            assert!(peak.time_s[i] >= off.time_s[i] - 0.01);
            // Door-to-door speeds a planner would believe: driving averages
            // 10-60 km/h, walking is 4.8 km/h or a little less (the door walk
            // is straight, the street path winds).
            let kmh = off.length_m[i] / off.time_s[i] * 3.6;
            assert!((3.0..60.0).contains(&kmh), "car {kmh} km/h");
            let wk = walk.length_m[i] / walk.time_s[i] * 3.6;
            assert!((wk - 4.8).abs() < 0.05, "walk {wk} km/h");
            n += 1;
        }
    }
    assert!(n > 7000);
}

#[test]
fn the_no_right_turn_into_bassaleg_road_is_kept_and_junctions_cost_time() {
    use accessplan::network::{Period, StreetMode};
    let Some(region) = newport() else { return };
    let car = region.network(StreetMode::Car).unwrap();
    let ts = &car.turn_stats;
    let listed = |id: i64| ts.not_for_mode.iter().chain(&ts.not_understood).any(|(r, _)| *r == id);
    assert!(car.turns.as_ref().unwrap().rules.iter().any(|r| r.relation == 13063242) && !listed(13063242));
    // No state of Glasllwch Lane arriving at the junction turns into Bassaleg
    // Road there (the relation's from and to, as directed streets).
    let layout = car.turns.as_ref().unwrap();
    let rule = layout.rules.iter().find(|r| r.relation == 13063242).unwrap();
    assert!(!rule.only && rule.via.is_empty());
    let names = |d: u32| car.streets[(d / 2) as usize].way_id;
    println!("relation 13063242: from way {} to way {}", names(rule.from), names(rule.to));
    for &st in layout.states_of(rule.from) {
        let arcs = car.forward.first[st as usize] as usize..car.forward.first[st as usize + 1] as usize;
        assert!(!arcs.clone().any(|k| layout.state_edge[car.forward.head[k] as usize] == rule.to), "state {st} still turns right");
    }
    // Glasllwch Lane is open only to its own residents' journeys (local
    // access), so only its "leaving" state turns out onto the main road; it
    // still may, to the left.
    let turning: Vec<usize> =
        layout.states_of(rule.from).iter().map(|&st| (car.forward.first[st as usize + 1] - car.forward.first[st as usize]) as usize).collect();
    assert_eq!(turning, [1, 0]);
    // Every relation is honoured or reported with its id and why.
    let note = region.notes.iter().find(|n| n.starts_with("car turn restrictions:")).expect("a note on turn restrictions");
    println!("{note}");
    assert!(note.starts_with("car turn restrictions: 86 of 94 relations honoured"), "{note}");
    assert!(note.contains("8 do not bind car: 10780527 (way 976677271 is closed to this mode)"), "{note}");
    assert!(ts.not_understood.is_empty(), "{:?}", ts.not_understood);
    let zone = |id: &str| region.zones.iter().find(|z| z.id == id).unwrap().point;
    let site = |name: &str| region.sites.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name}")).point;
    let (t, m) = one_journey(car, Period::Offpeak, zone("W00008676"), site("Chapelwood Surgery"), 1000.0).unwrap();
    println!("W00008676 to Chapelwood Surgery: {:.1} min, {m:.0} m", t / 60.0);
    let (t2, m2) = one_journey(car, Period::Offpeak, zone("W00008766"), site("CACI Clinic"), 1000.0).unwrap();
    println!("W00008766 to CACI Clinic: {:.1} min, {m2:.0} m", t2 / 60.0);
    let (t3, m3) = one_journey(car, Period::Offpeak, zone("W00008608"), site("Belle Vue Surgery"), 1000.0).unwrap();
    println!("W00008608 to Belle Vue Surgery: {:.1} min, {m3:.0} m", t3 / 60.0);
    // Through the forbidden right turn from Glasllwch Lane it was 2.4 min and
    // 1,040 m; the legal route is about 1.6 km (an established router's car
    // profile: 4.2 min, 1.6 km).
    assert!((1500.0..1750.0).contains(&m) && (3.8..5.5).contains(&(t / 60.0)), "{t} s {m} m");
    // The same 1.6 km as the established router, which takes 5.6 min with
    // its turn and signal costs; without junction delays this was 3.7 min.
    assert!((1450.0..1700.0).contains(&m2) && (4.3..6.0).contains(&(t2 / 60.0)), "{t2} s {m2} m");
    // The docks drive out along West Way Road (access=private: allowed at
    // the start of a journey): about 10 min and 2.7 km, not 18.9 min and
    // 5.5 km after a snap across the Usk.
    assert!((2500.0..3000.0).contains(&m3) && (8.0..12.0).contains(&(t3 / 60.0)), "{t3} s {m3} m");
}

#[test]
fn zones_far_from_a_street_are_noted_with_their_distance_and_mode() {
    let Some(region) = newport() else { return };
    let tt = TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &accessplan::progress::Progress::new()).unwrap();
    let links = tt.long_links();
    let count = |m: StreetMode| links.iter().filter(|l| l.mode == m).count();
    // Car off peak and peak share one network: each zone is noted once per network.
    assert_eq!((count(StreetMode::Car), count(StreetMode::Walk)), (55, 54));
    let notes = accessplan::travel::long_link_notes(&links, |z| region.zones[z].id.as_str(), accessplan::travel::LISTED_ZONES);
    for n in &notes {
        eprintln!("note: {n}");
    }
    assert_eq!(notes.len(), 2);
    assert!(notes[0].starts_with("car: 55 zones are linked to a street more than 300 m away"), "{}", notes[0]);
    assert!(notes[1].starts_with("walk: 54 zones are linked"), "{}", notes[1]);
    // The docks, between the mouths of the Usk and the Ebbw, are linked on
    // their own bank: on foot 974 m along the docks; by car to the private
    // part of West Way Road, close enough not to be noted.
    assert!(notes[1].contains("W00008608 974 m"), "{}", notes[1]);
    assert!(!notes[0].contains("W00008608"), "{}", notes[0]);
    assert!(notes[0].contains("across a railway"), "{}", notes[0]);
}

/// Car times a planner would believe: every zone-to-site car journey on
/// Newport is checked against the straight line between its ends and
/// against its own peak time.
#[test]
fn newport_car_times_stay_within_a_believable_band() {
    let Some(region) = newport() else { return };
    let tt = TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &accessplan::progress::Progress::new()).unwrap();
    let (off, peak) = (tt.street(Mode::CarOffpeak).unwrap(), tt.street(Mode::CarPeak).unwrap());
    let (mut detour, mut route_kmh, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    let mut pairs = 0;
    for z in 0..off.origins {
        for s in 0..off.destinations {
            let (Some(t), Some(m), Some(tp)) = (off.time(z, s), off.length(z, s), peak.time(z, s)) else { continue };
            let straight = accessplan::geom::haversine_m(region.zones[z].point, region.sites[s].point) as f32;
            pairs += 1;
            // The route is never shorter than the straight line (bar rounding).
            assert!(m >= straight * 0.99, "{} to {}: {m} m by road, {straight} m straight", region.zones[z].id, region.sites[s].name);
            // Nobody crosses town faster than 60 km/h as the crow flies.
            assert!(straight / t * 3.6 < 60.0, "{} to {}: {straight} m in {t} s", region.zones[z].id, region.sites[s].name);
            // The peak is slower, and by less than double.
            assert!(tp >= t && tp < 2.0 * t, "{} to {}: {t} s off peak, {tp} s peak", region.zones[z].id, region.sites[s].name);
            ratio.push(tp / t);
            if straight > 1000.0 {
                detour.push(m / straight);
                route_kmh.push(m / t * 3.6);
            }
        }
    }
    let median = |v: &mut Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let (d, k, r) = (median(&mut detour), median(&mut route_kmh), median(&mut ratio));
    println!("{pairs} pairs: median detour {d:.2} x the straight line, median speed along the route {k:.1} km/h off peak, peak/off-peak {r:.2}");
    assert!(pairs > 7000, "{pairs}");
    // Town streets wind: a route 1.2 to 1.6 times the straight line is usual.
    assert!((1.2..1.6).contains(&d), "{d}");
    // Door to door, walks and junctions included, 20 to 45 km/h in a town of 150,000.
    assert!((20.0..45.0).contains(&k), "{k}");
    assert!((1.1..1.6).contains(&r), "{r}");
}
