//! The built-in demo region: the committed files are exactly what the
//! generator writes, and they hold what a planner would expect of Riverdale
//! (six localities of 30-50k residents, one HLC each, a river crossed only at
//! three bridges, a car network every zone can use, a plausible bus
//! timetable, about half of clinic contacts outside the patient's locality).
//!
//! The content tests read the committed files independently of the
//! generator's own types, as any other loader would.

use accessplan::demo::generator::{self as demo, OUTPUT_FILES};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::PathBuf;

fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    let p = project_root().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e} (regenerate with --ignored regenerate_demo)", p.display()))
}

/// A unique scratch folder under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        Scratch(std::env::temp_dir().join(format!("accessplan-{tag}-{}-{nanos}", std::process::id())))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the demo region into the project (run with `--ignored`).
#[test]
#[ignore = "writes the demo region's files into the project; run on purpose"]
fn regenerate_demo() {
    let summary = demo::generate(&project_root()).expect("generate the demo region");
    println!("{summary}");
}

#[test]
fn committed_files_are_exactly_what_the_generator_writes() {
    let scratch = Scratch::new("demo");
    let summary = demo::generate(&scratch.0).expect("generate the demo region");
    for rel in OUTPUT_FILES {
        let fresh = std::fs::read(scratch.0.join(rel)).unwrap_or_else(|e| panic!("generator did not write {rel}: {e}"));
        let committed = std::fs::read(project_root().join(rel)).unwrap_or_else(|e| panic!("{rel} is not in the project: {e}"));
        assert!(
            fresh == committed,
            "{rel} differs from what the generator writes; run `cargo test --release --test demo_generator -- --ignored regenerate_demo`"
        );
        assert!(!scratch.0.join(format!("{rel}.tmp")).exists(), "{rel}.tmp left behind");
    }
    // A second run into the same folder gives the same bytes and the same counts.
    let again = demo::generate(&scratch.0).expect("generate again");
    assert_eq!(summary, again);
    assert_eq!(summary.residents, 250_000);
    assert_eq!(summary.localities, 6);
    assert_eq!(summary.bridges, 3);
    assert!((750..=850).contains(&summary.zones), "{} zones", summary.zones);
    assert!(summary.max_zone_to_street_m <= 300.0, "{}", summary.max_zone_to_street_m);
    let shown = summary.to_string();
    assert!(shown.contains("250000 residents") && shown.contains("bridges"), "{shown}");
}

#[test]
fn demo_files_are_small() {
    let sizes: BTreeMap<&str, u64> = OUTPUT_FILES.iter().map(|rel| (*rel, std::fs::metadata(project_root().join(rel)).map(|m| m.len()).unwrap_or(0))).collect();
    let total: u64 = sizes.values().sum();
    assert!(total < 5_000_000, "{total} bytes in all: {sizes:?}");
    assert!(sizes["maps/demo/region.osm"] < 3_000_000, "{sizes:?}");
    assert!(sizes["datasets/demo/gtfs/stop_times.txt"] < 1_500_000, "{sizes:?}");
}

// ---------------------------------------------------------------- geometry

const LON0: f64 = 0.55;
const LAT0: f64 = 51.38;
const M_PER_DEG: f64 = 111_195.08;

/// Metres east and north of the region's centre.
fn xy(lon: f64, lat: f64) -> [f64; 2] {
    [(lon - LON0) * M_PER_DEG * LAT0.to_radians().cos(), (lat - LAT0) * M_PER_DEG]
}

fn seg_dist(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let l2 = dx * dx + dy * dy;
    let s = if l2 > 0.0 { (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
    ((p[0] - a[0] - s * dx).powi(2) + (p[1] - a[1] - s * dy).powi(2)).sqrt()
}

/// Whether segments ab and cd cross or touch (an end of one on the other counts).
fn segments_cross(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> bool {
    let orient = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
    let (d1, d2, d3, d4) = (orient(c, d, a), orient(c, d, b), orient(a, b, c), orient(a, b, d));
    let within = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| r[0] >= p[0].min(q[0]) && r[0] <= p[0].max(q[0]) && r[1] >= p[1].min(q[1]) && r[1] <= p[1].max(q[1]);
    if d1 == 0.0 && d2 == 0.0 {
        // Collinear: they meet if they overlap.
        return within(c, d, a) || within(c, d, b) || within(a, b, c);
    }
    d1 * d2 <= 0.0 && d3 * d4 <= 0.0
}

fn point_in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let mut j = ring.len() - 1;
    for i in 0..ring.len() {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0] {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn signed_area_and_centroid(ring: &[[f64; 2]]) -> (f64, [f64; 2]) {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..ring.len() - 1 {
        let (p, q) = (ring[i], ring[i + 1]);
        let cross = p[0] * q[1] - q[0] * p[1];
        a += cross;
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
    }
    (a / 2.0, [cx / (3.0 * a), cy / (3.0 * a)])
}

// ---------------------------------------------------------------- readers

struct Feature {
    props: serde_json::Map<String, serde_json::Value>,
    ring_m: Vec<[f64; 2]>,
}

fn read_polygons(rel: &str) -> Vec<Feature> {
    let v: serde_json::Value = serde_json::from_str(&read(rel)).expect("valid JSON");
    assert_eq!(v["type"], "FeatureCollection");
    assert!(v.get("crs").is_none(), "{rel} must not carry a crs member");
    let features = v["features"].as_array().expect("features");
    features
        .iter()
        .map(|f| {
            assert_eq!(f["geometry"]["type"], "Polygon");
            let ring = f["geometry"]["coordinates"][0].as_array().expect("ring");
            let ring_m: Vec<[f64; 2]> = ring
                .iter()
                .map(|c| {
                    let (lon, lat) = (c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat"));
                    assert!((0.3..0.8).contains(&lon) && (51.2..51.5).contains(&lat), "{lon},{lat} is outside Riverdale");
                    xy(lon, lat)
                })
                .collect();
            assert_eq!(ring_m.first(), ring_m.last(), "rings are closed");
            Feature { props: f["properties"].as_object().cloned().unwrap_or_default(), ring_m }
        })
        .collect()
}

fn read_csv(rel: &str) -> Vec<BTreeMap<String, String>> {
    let text = read(rel);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|rec| {
            let rec = rec.expect("a CSV record");
            headers.iter().zip(rec.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

struct Way {
    refs: Vec<u64>,
    tags: BTreeMap<String, String>,
}

impl Way {
    fn tag(&self, k: &str) -> Option<&str> {
        self.tags.get(k).map(String::as_str)
    }
    fn highway(&self) -> Option<&str> {
        self.tag("highway")
    }
    fn carries_cars(&self) -> bool {
        matches!(self.highway(), Some(h) if !matches!(h, "footway" | "path" | "cycleway" | "steps" | "pedestrian"))
            && !matches!(self.tag("access"), Some("private" | "no"))
    }
    fn is_motorway(&self) -> bool {
        matches!(self.highway(), Some("motorway" | "motorway_link"))
    }
    fn layer(&self) -> i32 {
        self.tag("layer").and_then(|l| l.parse().ok()).unwrap_or(0)
    }
}

struct Osm {
    nodes: HashMap<u64, [f64; 2]>,
    node_tags: HashMap<u64, BTreeMap<String, String>>,
    ways: Vec<Way>,
    root_attrs: BTreeMap<String, String>,
    has_note: bool,
}

fn read_osm() -> Osm {
    use quick_xml::events::Event;
    let text = read("maps/demo/region.osm");
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut osm = Osm { nodes: HashMap::new(), node_tags: HashMap::new(), ways: Vec::new(), root_attrs: BTreeMap::new(), has_note: false };
    let attrs = |e: &quick_xml::events::BytesStart| -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.expect("attribute");
                let v = a.normalized_value(quick_xml::XmlVersion::Explicit1_0).expect("attribute value");
                (a.key.as_ref().to_string(), v.into_owned())
            })
            .collect()
    };
    let mut current_node: Option<u64> = None;
    let mut current_way: Option<Way> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let a = attrs(&e);
                match e.name().as_ref() {
                    "osm" => osm.root_attrs = a,
                    "note" => osm.has_note = true,
                    "node" => {
                        let id: u64 = a["id"].parse().expect("node id");
                        assert!(id > 0);
                        let (lat, lon): (f64, f64) = (a["lat"].parse().expect("lat"), a["lon"].parse().expect("lon"));
                        osm.nodes.insert(id, xy(lon, lat));
                        current_node = Some(id);
                    }
                    "way" => current_way = Some(Way { refs: Vec::new(), tags: BTreeMap::new() }),
                    "nd" => current_way.as_mut().expect("nd inside a way").refs.push(a["ref"].parse().expect("ref")),
                    "tag" => {
                        if let Some(w) = current_way.as_mut() {
                            w.tags.insert(a["k"].clone(), a["v"].clone());
                        } else if let Some(n) = current_node {
                            osm.node_tags.entry(n).or_default().insert(a["k"].clone(), a["v"].clone());
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "way" => osm.ways.extend(current_way.take()),
                "node" => current_node = None,
                _ => {}
            },
            _ => {}
        }
    }
    osm
}

// ---------------------------------------------------------------- content

#[test]
fn six_localities_of_30_to_50_thousand_residents_in_about_800_zones() {
    let localities = read_polygons("maps/demo/localities.geojson");
    let zones = read_polygons("maps/demo/zones.geojson");
    assert_eq!(localities.len(), 6);
    let names: Vec<String> = localities.iter().map(|l| l.props["name"].as_str().expect("name").to_string()).collect();
    assert!((750..=850).contains(&zones.len()), "{} zones", zones.len());
    let mut per_locality: BTreeMap<String, u64> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for z in &zones {
        let id = z.props["zone_id"].as_str().expect("zone_id");
        assert!(id.starts_with("DZ") && ids.insert(id.to_string()), "{id}");
        let pop = z.props["population"].as_u64().expect("integer population");
        assert!((50..=1000).contains(&pop), "{id}: {pop} residents");
        let loc = z.props["locality"].as_str().expect("locality");
        *per_locality.entry(loc.to_string()).or_default() += pop;
        let (area, centroid) = signed_area_and_centroid(&z.ring_m);
        assert!(area > 0.0, "{id} is not anticlockwise");
        let home = &localities[names.iter().position(|n| n == loc).expect("a known locality")];
        assert!(point_in_ring(centroid, &home.ring_m), "{id}'s centre is outside {loc}");
    }
    assert_eq!(per_locality.len(), 6);
    for (name, pop) in &per_locality {
        assert!((30_000..=50_000).contains(pop), "{name}: {pop}");
    }
    assert_eq!(per_locality.values().sum::<u64>(), 250_000);
    // Denser in towns: the most crowded tenth of zones are far smaller than the emptiest tenth.
    let mut areas: Vec<f64> = zones.iter().map(|z| signed_area_and_centroid(&z.ring_m).0).collect();
    areas.sort_by(f64::total_cmp);
    assert!(areas[areas.len() * 9 / 10] > 10.0 * areas[areas.len() / 10], "{} vs {}", areas[areas.len() * 9 / 10], areas[areas.len() / 10]);
}

#[test]
fn one_hlc_per_locality_four_open_and_two_planned() {
    let sites = read_csv("datasets/demo/sites.csv");
    let localities = read_polygons("maps/demo/localities.geojson");
    let hlcs: Vec<_> = sites.iter().filter(|s| s["kind"] == "hlc").collect();
    assert_eq!(hlcs.len(), 6);
    let per_locality: BTreeSet<&str> = hlcs.iter().map(|s| s["locality"].as_str()).collect();
    assert_eq!(per_locality.len(), 6, "one HLC in each locality");
    assert_eq!(hlcs.iter().filter(|s| s["status"] == "existing").count(), 4);
    assert_eq!(hlcs.iter().filter(|s| s["status"] == "planned").count(), 2);
    assert_eq!(sites.iter().filter(|s| s["kind"] == "hospital").count(), 1);
    assert_eq!(sites.iter().filter(|s| s["kind"] == "rehab").count(), 1);
    let others = sites.iter().filter(|s| ["surgery", "leisure-centre", "community-centre", "clinic"].contains(&s["kind"].as_str())).count();
    assert!((6..=10).contains(&others), "{others} other clinic sites");
    assert!(sites.iter().any(|s| s["capacity"].is_empty()) && sites.iter().any(|s| s["capacity"].parse::<u32>().is_ok()));
    for s in &sites {
        let p = xy(s["lon"].parse().expect("lon"), s["lat"].parse().expect("lat"));
        let home = localities.iter().find(|l| l.props["name"] == s["locality"].as_str()).expect("a known locality");
        assert!(point_in_ring(p, &home.ring_m), "{} is not inside {}", s["id"], s["locality"]);
    }
}

#[test]
fn the_map_is_osm_xml_with_the_planned_features() {
    let osm = read_osm();
    assert_eq!(osm.root_attrs.get("version").map(String::as_str), Some("0.6"));
    assert_eq!(osm.root_attrs.get("generator").map(String::as_str), Some("accessplan demo generator"));
    assert!(osm.has_note, "the file says it is synthetic");
    assert!(osm.nodes.len() <= 20_000, "{} nodes", osm.nodes.len());
    let count = |f: &dyn Fn(&Way) -> bool| osm.ways.iter().filter(|w| f(w)).count();
    assert_eq!(count(&|w| w.tag("waterway") == Some("river")), 1);
    assert!(count(&|w| w.highway() == Some("motorway") && w.tag("oneway") == Some("yes")) >= 2);
    assert!(count(&|w| w.highway() == Some("motorway_link")) >= 8, "two junctions with four slip roads each");
    assert_eq!(count(&|w| w.tag("junction") == Some("roundabout")), 2);
    assert!(count(&|w| w.tag("oneway") == Some("yes") && !w.is_motorway()) >= 4);
    assert!(count(&|w| w.tag("oneway") == Some("-1")) >= 1);
    assert!(count(&|w| w.tag("maxspeed") == Some("20 mph") && w.highway() == Some("residential")) >= 1);
    for speed in ["30 mph", "40 mph", "GB:nsl_single", "70 mph"] {
        assert!(count(&|w| w.tag("maxspeed") == Some(speed)) >= 1, "{speed}");
    }
    for class in ["primary", "secondary", "tertiary", "unclassified", "residential", "footway", "service"] {
        assert!(count(&|w| w.highway() == Some(class)) >= 1, "{class}");
    }
    assert!(count(&|w| w.highway() == Some("service") && w.tag("access") == Some("private")) >= 1);
    assert!(count(&|w| w.highway() == Some("primary") && w.tag("name").is_some()) >= 5, "main roads are named");
    let amenities: Vec<&str> = osm.node_tags.values().filter_map(|t| t.get("amenity").map(String::as_str)).collect();
    assert_eq!(amenities.iter().filter(|a| **a == "hospital").count(), 1);
    assert!(amenities.iter().filter(|a| **a == "doctors").count() >= 2);
    for w in &osm.ways {
        assert!(w.refs.len() >= 2 && w.refs.iter().all(|r| osm.nodes.contains_key(r)), "way refs exist");
    }
}

/// All segments of the ways `keep` accepts: (way index, from node, to node).
fn segments(osm: &Osm, keep: impl Fn(&Way) -> bool) -> Vec<(usize, u64, u64)> {
    osm.ways.iter().enumerate().filter(|(_, w)| keep(w)).flat_map(|(i, w)| w.refs.windows(2).map(move |p| (i, p[0], p[1]))).collect()
}

#[test]
fn the_river_is_crossed_only_at_three_road_bridges() {
    let osm = read_osm();
    let river = segments(&osm, |w| w.tag("waterway") == Some("river"));
    let roads = segments(&osm, |w| w.highway().is_some());
    let mut crossing_ways = BTreeSet::new();
    for &(wi, a, b) in &roads {
        let (pa, pb) = (osm.nodes[&a], osm.nodes[&b]);
        if river.iter().any(|&(_, c, d)| segments_cross(pa, pb, osm.nodes[&c], osm.nodes[&d])) {
            crossing_ways.insert(wi);
        }
    }
    let bridges: BTreeSet<usize> = osm.ways.iter().enumerate().filter(|(_, w)| w.tag("bridge") == Some("yes")).map(|(i, _)| i).collect();
    assert_eq!(bridges.len(), 3, "three bridge=yes ways in the whole map");
    assert_eq!(crossing_ways, bridges, "every way over the river is a bridge and every bridge crosses it");
    for &b in &bridges {
        assert!(osm.ways[b].carries_cars(), "the bridges are road bridges");
    }
}

#[test]
fn streets_cross_only_at_shared_nodes_or_on_different_layers() {
    let osm = read_osm();
    let segs = segments(&osm, |w| w.highway().is_some());
    let cell_m = 250.0;
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (k, &(_, a, b)) in segs.iter().enumerate() {
        let (pa, pb) = (osm.nodes[&a], osm.nodes[&b]);
        let (x0, x1) = ((pa[0].min(pb[0]) / cell_m).floor() as i64, (pa[0].max(pb[0]) / cell_m).floor() as i64);
        let (y0, y1) = ((pa[1].min(pb[1]) / cell_m).floor() as i64, (pa[1].max(pb[1]) / cell_m).floor() as i64);
        for gx in x0..=x1 {
            for gy in y0..=y1 {
                grid.entry((gx, gy)).or_default().push(k);
            }
        }
    }
    let mut checked = HashSet::new();
    let mut separated = 0;
    for members in grid.values() {
        for (i, &s) in members.iter().enumerate() {
            for &t in &members[i + 1..] {
                if !checked.insert((s.min(t), s.max(t))) {
                    continue;
                }
                let ((ws, a, b), (wt, c, d)) = (segs[s], segs[t]);
                if a == c || a == d || b == c || b == d {
                    continue;
                }
                if segments_cross(osm.nodes[&a], osm.nodes[&b], osm.nodes[&c], osm.nodes[&d]) {
                    let (lw, lt) = (&osm.ways[ws], &osm.ways[wt]);
                    assert_ne!(lw.layer(), lt.layer(), "{:?} crosses {:?} without a junction", lw.tags, lt.tags);
                    separated += 1;
                }
            }
        }
    }
    assert_eq!(separated, 4, "at each junction the two eastbound slip roads pass under the westbound carriageway");
}

/// Directed car graph: node -> next nodes.
fn car_graph(osm: &Osm) -> HashMap<u64, Vec<u64>> {
    let mut adj: HashMap<u64, Vec<u64>> = HashMap::new();
    for w in osm.ways.iter().filter(|w| w.carries_cars()) {
        let implied = w.tag("junction") == Some("roundabout") || w.highway() == Some("motorway");
        let (fwd, back) = match w.tag("oneway") {
            Some("yes" | "1" | "true") => (true, false),
            Some("-1") => (false, true),
            Some("no") => (true, true),
            _ => (true, !implied),
        };
        for p in w.refs.windows(2) {
            adj.entry(p[0]).or_default();
            adj.entry(p[1]).or_default();
            if fwd {
                adj.entry(p[0]).or_default().push(p[1]);
            }
            if back {
                adj.entry(p[1]).or_default().push(p[0]);
            }
        }
    }
    adj
}

fn reach(adj: &HashMap<u64, Vec<u64>>, root: u64) -> HashSet<u64> {
    let mut seen = HashSet::from([root]);
    let mut q = VecDeque::from([root]);
    while let Some(u) = q.pop_front() {
        for &v in adj.get(&u).into_iter().flatten() {
            if seen.insert(v) {
                q.push_back(v);
            }
        }
    }
    seen
}

#[test]
fn every_zone_reaches_every_hlc_by_car() {
    let osm = read_osm();
    let adj = car_graph(&osm);
    let mut rev: HashMap<u64, Vec<u64>> = HashMap::new();
    for (u, vs) in &adj {
        for v in vs {
            rev.entry(*v).or_default().push(*u);
        }
    }
    let sites = read_csv("datasets/demo/sites.csv");
    let hlc_points: Vec<[f64; 2]> =
        sites.iter().filter(|s| s["kind"] == "hlc").map(|s| xy(s["lon"].parse().expect("lon"), s["lat"].parse().expect("lat"))).collect();
    let root = *adj
        .keys()
        .min_by(|a, b| {
            let (pa, pb) = (osm.nodes[a], osm.nodes[b]);
            seg_dist(hlc_points[0], pa, pa).total_cmp(&seg_dist(hlc_points[0], pb, pb)).then(a.cmp(b))
        })
        .expect("a car network");
    let (fwd, bwd) = (reach(&adj, root), reach(&rev, root));
    let scc: HashSet<u64> = fwd.intersection(&bwd).copied().collect();
    // Only the motorway's ends and the slip roads to them (which run off the map) lie outside.
    let mut outside = BTreeSet::new();
    for w in osm.ways.iter().filter(|w| w.carries_cars()) {
        for r in &w.refs {
            if !scc.contains(r) {
                assert!(w.is_motorway(), "{:?} node {r} is not strongly connected", w.tags);
                outside.insert(*r);
            }
        }
    }
    assert!(outside.len() < 150, "{} motorway nodes outside", outside.len());
    let local = segments(&osm, |w| w.carries_cars() && !w.is_motorway());
    let usable: Vec<([f64; 2], [f64; 2])> =
        local.iter().filter(|(_, a, b)| scc.contains(a) && scc.contains(b)).map(|(_, a, b)| (osm.nodes[a], osm.nodes[b])).collect();
    let nearest = |p: [f64; 2]| usable.iter().map(|(a, b)| seg_dist(p, *a, *b)).fold(f64::INFINITY, f64::min);
    for z in read_polygons("maps/demo/zones.geojson") {
        let (_, c) = signed_area_and_centroid(&z.ring_m);
        let d = nearest(c);
        assert!(d <= 300.0, "zone {} is {d:.0} m from a usable street", z.props["zone_id"]);
    }
    for (s, p) in sites.iter().filter(|s| s["kind"] == "hlc").zip(&hlc_points) {
        assert!(nearest(*p) <= 100.0, "{} is {:.0} m from a street", s["id"], nearest(*p));
    }
}

/// Days since 1970-01-01 of a `YYYYMMDD` date (Howard Hinnant's algorithm).
fn days_from_civil(date: &str) -> i64 {
    let (y, m, d): (i64, i64, i64) = (date[0..4].parse().expect("year"), date[4..6].parse().expect("month"), date[6..8].parse().expect("day"));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn secs(hms: &str) -> u32 {
    let p: Vec<u32> = hms.split(':').map(|x| x.parse().expect("a time")).collect();
    p[0] * 3600 + p[1] * 60 + p[2]
}

#[test]
fn bus_timetable_has_10_to_15_routes_a_weekday_and_a_saturday_service() {
    let g = "datasets/demo/gtfs";
    let routes = read_csv(&format!("{g}/routes.txt"));
    assert!((10..=15).contains(&routes.len()), "{} routes", routes.len());
    assert!(routes.iter().all(|r| r["route_type"] == "3"));
    let calendar = read_csv(&format!("{g}/calendar.txt"));
    let wd = calendar.iter().find(|c| c["service_id"] == "WD").expect("weekday service");
    let sa = calendar.iter().find(|c| c["service_id"] == "SA").expect("Saturday service");
    for day in ["monday", "tuesday", "wednesday", "thursday", "friday"] {
        assert_eq!((wd[day].as_str(), sa[day].as_str()), ("1", "0"));
    }
    assert_eq!((wd["saturday"].as_str(), sa["saturday"].as_str(), wd["sunday"].as_str()), ("0", "1", "0"));
    assert_eq!((wd["start_date"].as_str(), wd["end_date"].as_str()), ("20260101", "20271231"));
    for c in read_csv(&format!("{g}/calendar_dates.txt")) {
        let weekday = (days_from_civil(&c["date"]) + 4).rem_euclid(7); // 0 = Sunday
        let expected = if c["service_id"] == "WD" { 1..=5 } else { 6..=6 };
        assert!(expected.contains(&weekday), "{} is not a day {} runs", c["date"], c["service_id"]);
        assert_eq!(c["exception_type"], "2");
    }
    assert_eq!(days_from_civil("20260101"), 20_454);
    for f in ["agency.txt", "feed_info.txt"] {
        assert_eq!(read_csv(&format!("{g}/{f}")).len(), 1, "{f}");
    }
    let stops = read_csv(&format!("{g}/stops.txt"));
    let stop_ids: HashSet<&str> = stops.iter().map(|s| s["stop_id"].as_str()).collect();
    let trips = read_csv(&format!("{g}/trips.txt"));
    let trip_service: HashMap<&str, (&str, &str, &str)> =
        trips.iter().map(|t| (t["trip_id"].as_str(), (t["route_id"].as_str(), t["service_id"].as_str(), t["direction_id"].as_str()))).collect();
    let times = read_csv(&format!("{g}/stop_times.txt"));
    let mut first_departure: BTreeMap<(&str, &str, &str), Vec<u32>> = BTreeMap::new();
    let mut last_seen: HashMap<&str, (u32, u32)> = HashMap::new();
    let mut latest = 0;
    for st in &times {
        let trip = st["trip_id"].as_str();
        let (route, service, dir) = trip_service[trip];
        assert!(stop_ids.contains(st["stop_id"].as_str()));
        let (arr, dep): (u32, u32) = (secs(&st["arrival_time"]), secs(&st["departure_time"]));
        let seq: u32 = st["stop_sequence"].parse().expect("sequence");
        assert!(dep >= arr);
        if let Some((prev_seq, prev_dep)) = last_seen.get(trip) {
            assert!(seq > *prev_seq && arr >= *prev_dep, "{trip} runs backwards at stop {seq}");
        } else {
            first_departure.entry((route, service, dir)).or_default().push(dep);
        }
        last_seen.insert(trip, (seq, dep));
        latest = latest.max(arr);
    }
    assert!(latest >= 24 * 3600, "a trip runs past midnight");
    // Weekday daytime every 10-30 minutes on the busiest route, lighter on Saturdays.
    let gaps = |key: (&str, &str, &str)| -> u32 {
        let mut d: Vec<u32> = first_departure[&key].iter().copied().filter(|t| (7 * 3600..=19 * 3600).contains(t)).collect();
        d.sort();
        d.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(u32::MAX)
    };
    assert!((600..=1800).contains(&gaps(("R1", "WD", "0"))));
    assert!(gaps(("R1", "SA", "0")) > gaps(("R1", "WD", "0")));
    let evening = first_departure[&("R1", "WD", "0")].iter().filter(|t| **t >= 20 * 3600).count();
    assert!((2..=6).contains(&evening), "{evening} evening trips");
    assert!(first_departure.len() >= 2 * routes.len(), "both directions of every route run");

    // Stops stand on streets buses can use, about 300-400 m apart.
    let osm = read_osm();
    let roads: Vec<([f64; 2], [f64; 2])> =
        segments(&osm, |w| w.carries_cars() && !w.is_motorway()).iter().map(|(_, a, b)| (osm.nodes[a], osm.nodes[b])).collect();
    for s in &stops {
        let p = xy(s["stop_lon"].parse().expect("lon"), s["stop_lat"].parse().expect("lat"));
        let d = roads.iter().map(|(a, b)| seg_dist(p, *a, *b)).fold(f64::INFINITY, f64::min);
        assert!(d < 5.0, "stop {} is {d:.0} m from a street", s["stop_id"]);
    }
}

#[test]
fn contacts_are_at_sites_in_use_today_and_half_cross_a_locality_boundary() {
    const SERVICES: [&str; 21] = [
        "anticoagulation",
        "cardiology",
        "community-nursing",
        "community-rehab",
        "continence",
        "copd-frailty",
        "diabetes",
        "epilepsy",
        "hand-therapy",
        "lymphoedema",
        "msk-physio",
        "neuro-physio",
        "dietetics",
        "phlebotomy",
        "podiatry",
        "respiratory",
        "speech-language",
        "wound-care",
        "pulmonary-rehab",
        "diabetes-education",
        "palliative-care",
    ];
    let rows = read_csv("datasets/demo/contacts.csv");
    assert!((4_500..=5_500).contains(&rows.len()), "{} rows", rows.len());
    let sites = read_csv("datasets/demo/sites.csv");
    let site: HashMap<&str, &BTreeMap<String, String>> = sites.iter().map(|s| (s["id"].as_str(), s)).collect();
    let zone_locality: HashMap<String, String> = read_polygons("maps/demo/zones.geojson")
        .into_iter()
        .map(|z| (z.props["zone_id"].as_str().unwrap_or_default().to_string(), z.props["locality"].as_str().unwrap_or_default().to_string()))
        .collect();
    let (mut total, mut outside, mut small) = (0u64, 0u64, 0);
    let mut services = BTreeSet::new();
    let mut keys = HashSet::new();
    for r in &rows {
        assert!(SERVICES.contains(&r["service"].as_str()), "{}", r["service"]);
        services.insert(r["service"].clone());
        let s = site.get(r["current_site"].as_str()).unwrap_or_else(|| panic!("unknown site {}", r["current_site"]));
        assert_eq!(s["status"], "existing", "{} is not in use today", s["id"]);
        let n: u64 = r["contacts_per_year"].parse().expect("an integer");
        assert!(n > 0);
        small += usize::from(n <= 4);
        total += n;
        let home = zone_locality.get(&r["zone_id"]).unwrap_or_else(|| panic!("unknown zone {}", r["zone_id"]));
        if *home != s["locality"] {
            outside += n;
        }
        assert!(keys.insert((r["zone_id"].clone(), r["service"].clone(), r["current_site"].clone())), "duplicate row");
    }
    assert_eq!(services.len(), SERVICES.len(), "every service appears");
    assert!(small >= 500, "{small} rows with 1-4 contacts");
    let share = outside as f64 / total as f64;
    assert!((0.4..=0.6).contains(&share), "{share:.2} of contacts outside the patient's locality");
}

#[test]
fn readme_says_the_data_is_synthetic_and_how_to_regenerate_it() {
    let text = read("datasets/demo/README.md");
    assert!(text.contains("synthetic") && text.contains("made up"));
    assert!(text.contains("regenerate_demo"));
}

#[test]
fn bus_feed_reads_with_gtfs_structures() {
    let feed = gtfs_structures::Gtfs::from_path(project_root().join("datasets/demo/gtfs")).expect("a valid GTFS feed");
    let trips_txt = read_csv("datasets/demo/gtfs/trips.txt");
    assert_eq!(feed.trips.len(), trips_txt.len());
    assert!((10..=15).contains(&feed.routes.len()));
    assert_eq!(feed.calendar.len(), 2);
    assert_eq!(feed.feed_info.len(), 1);
    assert!(feed.trips.values().all(|t| t.stop_times.len() >= 2), "every trip calls at two or more stops");
    let last_arrival = feed.trips.values().filter_map(|t| t.stop_times.last().and_then(|st| st.arrival_time)).max().unwrap_or(0);
    assert!(last_arrival >= 24 * 3600, "a trip runs past midnight ({last_arrival} s)");
}
