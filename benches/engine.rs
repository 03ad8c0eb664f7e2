//! Engine benchmarks with printed figures, each beside a baseline measured
//! in the same run. Run with `cargo bench --bench engine`.
//!
//! - Newport PBF to car and walk networks, beside osmpbf's bare decode (the floor).
//! - The Newport region loaded and clipped to its zones + 10 km, beside the
//!   same without clipping, and the clip pass alone.
//! - Newport matrix, 475 output areas x OSM health sites, car off-peak, car
//!   peak and walk, beside one forward search per zone (the naive way).
//! - Snapping the 475 output areas to the car network around water, railways
//!   and motorways, beside taking the nearest street whatever lies between.
//! - One-to-all search on the Newport car network, beside petgraph's Dijkstra.
//! - A planner's own place: the national census table (181,408 rows) joined
//!   to Newport's output areas, beside reading the file with the csv crate
//!   alone; `new-study` on Newport end to end (population, deprivation,
//!   postcodes, bus + rail), beside opening the study it wrote.
//! - Demo region: load plus the full matrix for every mode.

use std::path::PathBuf;
use std::time::Instant;

use accessplan::input::osm::OsmData;
use accessplan::network::dijkstra::{Search, UNREACHED};
use accessplan::network::snap::Snapper;
use accessplan::network::snap::obstacles::Obstacles;
use accessplan::network::street_matrix;
use accessplan::network::{Network, Period, Profile, StreetMode};
use accessplan::region::Region;
use accessplan::travel::TravelTimes;

mod common;
use common::{median, time};

fn ms(s: f64) -> String {
    format!("{:8.2} ms", s * 1000.0)
}

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let pbf = data.join("newport/newport-2023-06-13.osm.pbf");
    println!("accessplan engine benchmarks ({} threads)", rayon::current_num_threads());
    if pbf.exists() {
        newport(&pbf);
        own_place(&data);
    } else {
        println!("../shared/data not found: Newport benchmarks skipped");
    }
    demo();
    scenario_figures();
}

fn newport(pbf: &std::path::Path) {
    println!("\n## Newport (real OSM extract, 256k nodes)");
    let (floor, n) = time(5, || osmpbf::ElementReader::from_path(pbf).and_then(|r| r.par_map_reduce(|_| 1u64, || 0, |a, b| a + b)).unwrap_or(0));
    println!("osmpbf decode only (floor), {n} elements      {}", ms(floor));
    let profile = Profile::default();
    let (build, (car, walk)) = time(5, || {
        let osm = OsmData::load(pbf).expect("Newport PBF");
        rayon::join(|| Network::build(&osm, StreetMode::Car, &profile), || Network::build(&osm, StreetMode::Walk, &profile))
    });
    println!("PBF to routable car + walk networks           {}  (target <= 500 ms; {:.1}x the floor)", ms(build), build / floor);

    let Some(inputs) = accessplan::testdata::newport_inputs() else { return };
    let (load_clipped, region) = time(3, || Region::load(&inputs).expect("Newport region"));
    let whole = accessplan::region::RegionInputs { clip_margin_km: None, ..inputs.clone() };
    let (load_whole, _) = time(3, || Region::load(&whole).expect("Newport region"));
    println!("region load (zones, sites, car + walk), clipped to the zones + 10 km {}  baseline whole extract {}", ms(load_clipped), ms(load_whole));
    if let Some(c) = &region.clip {
        let osm = OsmData::load(pbf).expect("Newport PBF");
        let (copy_s, _) = time(5, || osm.clone());
        let (clip_s, counts) = time(5, || osm.clone().clip(&c.area));
        println!("  clip the extract alone                     {}  ({counts}; copying it first, subtracted: {})", ms(clip_s - copy_s), ms(copy_s));
    }
    let zones: Vec<_> = region.zones.iter().map(|z| z.point).collect();
    let sites: Vec<_> = region.sites.iter().map(|s| s.point).collect();
    let runs = [(&car, Period::Offpeak), (&car, Period::Peak), (&walk, Period::Offpeak)];
    let (fast, _) = time(7, || {
        for (net, period) in runs {
            std::hint::black_box(street_matrix(net, period, &zones, &sites, 1000.0, &accessplan::progress::Progress::new()).unwrap());
        }
    });
    let (naive, _) = time(1, || {
        for (net, period) in runs {
            for z in &zones {
                for s in &sites {
                    std::hint::black_box(accessplan::network::one_journey(net, period, *z, *s, 1000.0).ok());
                }
            }
        }
    });
    println!(
        "matrix {} zones x {} sites, car off-peak + peak + walk {}  (target <= 100 ms); baseline one search per pair {} ({:.0}x slower)",
        zones.len(),
        sites.len(),
        ms(fast),
        ms(naive),
        naive / fast
    );
    // The road rules' cost: the same matrix with the car searched on nodes
    // (no turn restrictions, junction delays at turns or local-access rule).
    let plain_car = car.without_turns();
    let plain_runs = [(&plain_car, Period::Offpeak), (&plain_car, Period::Peak), (&walk, Period::Offpeak)];
    let (plain, _) = time(7, || {
        for (net, period) in plain_runs {
            std::hint::black_box(street_matrix(net, period, &zones, &sites, 1000.0, &accessplan::progress::Progress::new()).unwrap());
        }
    });
    println!("  same matrix, car searched on nodes without turn rules (baseline) {}  (turn-aware {:.2}x)", ms(plain), fast / plain);
    let (turn_build, _) = time(5, || {
        let dir = accessplan::network::turns::Directed::new(&car.streets, &car.shapes, car.node_count(), &car.classes);
        let layout = car.turns.as_ref().expect("car has turns");
        let flags = layout.node_flags.clone();
        let mut stats = accessplan::network::turns::TurnStats::default();
        accessplan::network::turns::build(&dir, StreetMode::Car, &profile.junctions, &flags, &layout.rules, &mut stats)
    });
    println!(
        "  car turn graph: {} states, {} turns (node graph: {} nodes, {} edges); built in {} of the car network; search graph {:.2} MB (node graph {:.2} MB)",
        car.state_count(),
        car.arc_count(),
        plain_car.node_count(),
        plain_car.arc_count(),
        ms(turn_build),
        car.search_bytes() as f64 / 1e6,
        plain_car.search_bytes() as f64 / 1e6
    );

    // Snapping the output areas to the car network, one after another: the
    // nearest street whatever lies between (the baseline, as before barriers
    // were checked) beside the nearest whose straight link crosses no water,
    // railway or motorway; and the barriers' index built from the extract.
    let plain = Snapper::new(&car.shapes, &car.projection);
    let snap_all = |s: &Snapper| zones.iter().filter_map(|z| s.snap(&car.shapes, *z, &car.projection, 1000.0).ok()).map(|s| s.offset_m).sum::<f64>();
    let (before, before_m) = time(21, || snap_all(&plain));
    let (after, after_m) = time(21, || snap_all(&car.snapper));
    let osm = OsmData::load(pbf).expect("Newport PBF");
    let (index_s, obstacles) = time(5, || Obstacles::from_osm(&osm, &car.projection));
    println!(
        "snap {} zones to the car network around barriers {}  baseline nearest street {} ({:.2}x; links {:.1} km -> {:.1} km); barrier index of {} segments built in {}",
        zones.len(),
        ms(after),
        ms(before),
        after / before,
        before_m / 1000.0,
        after_m / 1000.0,
        obstacles.len(),
        ms(index_s)
    );

    let n = car.state_count();
    let sources: Vec<u32> = (0..200).map(|i| ((i as u64 * 2_654_435_761) % n as u64) as u32).collect();
    let mut search = Search::new(n);
    let mut each = Vec::new();
    for &s in &sources {
        let t = Instant::now();
        search.run(&car.forward, 0, &[(s, 0, 0.0)], UNREACHED - 1);
        each.push(t.elapsed().as_secs_f64());
    }
    let ours = median(each);
    let pn = plain_car.state_count();
    let mut plain_search = Search::new(pn);
    let mut each = Vec::new();
    for i in 0..200u64 {
        let s = ((i * 2_654_435_761) % pn as u64) as u32;
        let t = Instant::now();
        plain_search.run(&plain_car.forward, 0, &[(s, 0, 0.0)], UNREACHED - 1);
        each.push(t.elapsed().as_secs_f64());
    }
    println!("one-to-all on the car network searched on nodes without turn rules, median {}", ms(median(each)));
    let g = petgraph_of(&car);
    let mut each = Vec::new();
    for &s in sources.iter().take(50) {
        let t = Instant::now();
        std::hint::black_box(petgraph::algo::dijkstra(&g, petgraph::graph::NodeIndex::new(s as usize), None, |e| *e.weight()));
        each.push(t.elapsed().as_secs_f64());
    }
    let theirs = median(each);
    println!("one-to-all, car turn graph ({n} states), median    {}  (target <= 2 ms); baseline petgraph::algo::dijkstra {} ", ms(ours), ms(theirs));
}

fn petgraph_of(net: &Network) -> petgraph::graph::DiGraph<(), u32> {
    let csr = &net.forward;
    let mut g = petgraph::graph::DiGraph::with_capacity(csr.node_count(), csr.edge_count());
    for _ in 0..csr.node_count() {
        g.add_node(());
    }
    for v in 0..csr.node_count() {
        for e in csr.first[v] as usize..csr.first[v + 1] as usize {
            g.add_edge(petgraph::graph::NodeIndex::new(v), petgraph::graph::NodeIndex::new(csr.head[e] as usize), csr.time_ms[e * 2]);
        }
    }
    g
}

fn demo() {
    println!("\n## Demo region (synthetic, built in)");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let inputs = Region::demo_inputs(&root);
    let (total, (load, matrix, zones, sites)) = time(5, || {
        let t = Instant::now();
        let region = Region::load(&inputs).expect("demo region");
        let load = t.elapsed().as_secs_f64();
        let tt = TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &accessplan::progress::Progress::new()).unwrap();
        (load, tt.compute_s, region.zones.len(), region.sites.len())
    });
    println!(
        "load + full matrix, {zones} zones x {sites} sites, car off-peak/peak, walk, cycle and bus (07:00-09:00 every minute): {}  (target <= 1000 ms; last run: load {}, matrices {})",
        ms(total),
        ms(load),
        ms(matrix)
    );
}

/// Issue 3 figures: re-evaluating a scenario after one change, and a full
/// compare from files to finished report.
pub fn scenario_figures() {
    println!("\n## Scenarios on the demo region");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let base = root.join("datasets/demo/scenarios/baseline.toml");
    let hlc = root.join("datasets/demo/scenarios/hlc-model.toml");
    let (open_s, study) = time(3, || accessplan::study::Study::open(&hlc, &accessplan::progress::Progress::new()).expect("demo study"));
    let mut scenario = study.scenario.clone();
    let mut flips = 0usize;
    let (eval_s, _) = time(51, || {
        // One change of assignment per run: toggle a service at a site.
        let si = flips % scenario.services.len();
        let site = flips % study.sites().len();
        scenario.services[si].offered[site] = !scenario.services[si].offered[site];
        flips += 1;
        std::hint::black_box(accessplan::analysis::evaluate(&scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts))
    });
    println!(
        "re-evaluate after one change ({} services x {} modes x {} zones, {} journeys) {}  (target <= 5 ms); baseline: opening the study (load + matrices) {}",
        scenario.services.len(),
        study.tt.modes().len(),
        study.region.zones.len(),
        study.contacts.len(),
        ms(eval_s),
        ms(open_s)
    );
    let out = std::env::temp_dir().join(format!("accessplan-bench-compare-{}", std::process::id()));
    let (cmp_s, _) = time(3, || {
        let study = accessplan::study::Study::open(&base, &accessplan::progress::Progress::new()).expect("baseline");
        let (_, prop) = study.other(&hlc).expect("hlc model");
        let be = study.evaluate();
        let pe = accessplan::analysis::evaluate(&prop, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
        let c = accessplan::analysis::compare::compare(&study.scenario, be, &prop, pe, &study.tt, &study.contacts);
        let mut files = vec![
            ("coverage.csv", accessplan::export::tables::coverage_compare_csv(&study.region, &study.scenario, &prop, &c)),
            ("journeys.csv", accessplan::export::tables::journeys_csv(&study.region, study.sites(), &prop, &c.proposed.modes, &c.journeys, true)),
        ];
        files.extend(accessplan::export::report::comparison_outputs(&study, &prop, &c, true));
        std::fs::create_dir_all(&out).expect("temp dir");
        for (name, bytes) in files {
            accessplan::fileio::write_atomic(&out.join(name), &bytes, &[]).expect("write");
        }
    });
    std::fs::remove_dir_all(&out).ok();
    println!("compare baseline vs HLC model, files to finished report            {}  (target <= 3000 ms)", ms(cmp_s));
}

fn own_place(data: &std::path::Path) {
    use accessplan::input::joins::{join_population, table};
    use accessplan::input::zones::{ZoneOptions, load_zones};
    println!("\n## A planner's own place (Newport)");
    let national = data.join("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv");
    if !national.exists() {
        return;
    }
    let (floor, rows) = time(5, || {
        let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&national).expect("census table");
        r.records().filter(|x| x.is_ok()).count()
    });
    let zones = load_zones(&data.join("newport/boundaries/oa.geojson"), &ZoneOptions::new("OA11CD")).expect("Newport OAs").0;
    let (join, note) = time(5, || join_population(&mut zones.clone(), &table(&national)).expect("join").0);
    println!(
        "join the national table to {} OAs ({} matched)  {}  baseline csv crate reading its {rows} records {} ({:.1}x)",
        zones.len(),
        note.matched(),
        ms(join),
        ms(floor),
        join / floor
    );

    let f = |p: &str| Some(data.join(p));
    let draft = accessplan::study::create::InputsDraft {
        name: Some("Newport".into()),
        osm: f("newport/newport-2023-06-13.osm.pbf"),
        zones: f("newport/boundaries/oa.geojson"),
        zone_id: Some("OA11CD".into()),
        population_table: f("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv"),
        attributes: vec![data.join("newport/deprivation/wimd2019_lsoa11.csv"), data.join("newport/car_availability_msoa11_2011.csv")],
        areas: vec![(data.join("newport/boundaries/lsoa.geojson"), "LSOA11CD".into()), (data.join("newport/boundaries/msoa.geojson"), "MSOA11CD".into())],
        sites: f("newport/gp_practices.csv"),
        sites_from_osm: Some("amenity=hospital,clinic".into()),
        postcodes: f("newport/postcodes_NP.csv"),
        gtfs: f("newport/gtfs-more/newport-20240305-bus_gtfs.zip"),
        extra_gtfs: vec![data.join("newport/gtfs-more/newport-20240305-rail_gtfs.zip")],
        localities: f("newport/boundaries/wards.geojson"),
        locality_name: Some("WD13NM".into()),
        ..Default::default()
    };
    let dir = std::env::temp_dir().join(format!("accessplan-bench-new-study-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let path = dir.join("study.toml");
    let progress = accessplan::progress::Progress::new();
    let (create, study) = time(3, || accessplan::study::create::new_study(&draft, &path, &progress).expect("new study"));
    let (open, _) = time(3, || accessplan::study::Study::open(&path, &progress).expect("open"));
    println!(
        "new-study end to end ({} zones, {} sites, bus + rail, every matrix) {}  baseline opening the study it wrote {} ({:.2}x)",
        study.region.zones.len(),
        study.sites().len(),
        ms(create),
        ms(open),
        create / open
    );
    std::fs::remove_dir_all(&dir).ok();
}
