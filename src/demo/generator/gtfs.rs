//! The demo bus timetable as a GTFS feed: twelve routes along the generated
//! roads between and through the towns, stops every 300-460 m, a weekday
//! and a lighter Saturday service for 2026-2027, and bank holidays removed.
//!
//! Routes are shortest paths for a bus (main roads preferred, motorways and
//! private roads never) through each route's waypoints, separately in each
//! direction because of one-way streets. Times come from distance at
//! [`BUS_SPEED_KMH`] plus [`DWELL_S`] at every intermediate stop.

use super::layout::{self, Projection, TOWNS, VILLAGES};
use super::rng::SplitMix64;
use super::sites::DemoSite;
use super::streets::{self, Highway, StreetNet};
use super::text::csv_field;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Average running speed of a bus between stops, km/h.
pub const BUS_SPEED_KMH: f64 = 22.0;
/// Time a bus stands at each intermediate stop, seconds.
pub const DWELL_S: u32 = 20;
/// Stops are placed between these distances apart, metres (drawn at random for each gap).
const STOP_SPACING_M: (f64, f64) = (300.0, 460.0);

/// Where a route passes.
#[derive(Debug, Clone, Copy)]
enum Waypoint {
    Town(usize),
    TownOffset(usize, [f64; 2]),
    Village(usize),
    Site(&'static str),
}

/// One bus route.
struct RouteDef {
    id: &'static str,
    short_name: &'static str,
    long_name: &'static str,
    colour: &'static str,
    waypoints: &'static [Waypoint],
    headsigns: [&'static str; 2],
    weekday_headway_min: u32,
    saturday_headway_min: u32,
    /// Runs a last trip at 23:45 that ends after midnight.
    late: bool,
}

const ROUTES: [RouteDef; 12] = [
    RouteDef {
        id: "R1",
        short_name: "1",
        long_name: "Westholm - Northgate - Eastbrook",
        colour: "C8102E",
        waypoints: &[Waypoint::Town(0), Waypoint::Town(1), Waypoint::Town(2)],
        headsigns: ["Eastbrook", "Westholm"],
        weekday_headway_min: 15,
        saturday_headway_min: 30,
        late: true,
    },
    RouteDef {
        id: "R2",
        short_name: "2",
        long_name: "Millford - Kingsbridge - Ashby Vale",
        colour: "0057B8",
        waypoints: &[Waypoint::Town(3), Waypoint::Town(4), Waypoint::Town(5)],
        headsigns: ["Ashby Vale", "Millford"],
        weekday_headway_min: 15,
        saturday_headway_min: 30,
        late: true,
    },
    RouteDef {
        id: "R3",
        short_name: "3",
        long_name: "Northgate - King's Bridge - Kingsbridge",
        colour: "00843D",
        waypoints: &[Waypoint::Town(1), Waypoint::Town(4)],
        headsigns: ["Kingsbridge", "Northgate"],
        weekday_headway_min: 20,
        saturday_headway_min: 30,
        late: false,
    },
    RouteDef {
        id: "R4",
        short_name: "4",
        long_name: "Westholm - Mill Bridge - Millford",
        colour: "7A3E9D",
        waypoints: &[Waypoint::Town(0), Waypoint::Town(3)],
        headsigns: ["Millford", "Westholm"],
        weekday_headway_min: 30,
        saturday_headway_min: 60,
        late: false,
    },
    RouteDef {
        id: "R5",
        short_name: "5",
        long_name: "Eastbrook - Brook Bridge - Ashby Vale",
        colour: "E87722",
        waypoints: &[Waypoint::Town(2), Waypoint::Town(5)],
        headsigns: ["Ashby Vale", "Eastbrook"],
        weekday_headway_min: 30,
        saturday_headway_min: 60,
        late: false,
    },
    RouteDef {
        id: "R6",
        short_name: "6",
        long_name: "Kingsbridge - Riverdale General Hospital - Northgate",
        colour: "009CA6",
        waypoints: &[Waypoint::Town(4), Waypoint::Site("hospital-riverdale"), Waypoint::Town(1)],
        headsigns: ["Northgate via Hospital", "Kingsbridge via Hospital"],
        weekday_headway_min: 20,
        saturday_headway_min: 40,
        late: false,
    },
    RouteDef {
        id: "R7",
        short_name: "7",
        long_name: "Northgate - Northgate North",
        colour: "B5BD00",
        waypoints: &[Waypoint::Town(1), Waypoint::TownOffset(1, [300.0, 2000.0])],
        headsigns: ["Northgate North", "Northgate Town Centre"],
        weekday_headway_min: 20,
        saturday_headway_min: 30,
        late: false,
    },
    RouteDef {
        id: "R8",
        short_name: "8",
        long_name: "Kingsbridge - Kingsbridge South",
        colour: "D50032",
        waypoints: &[Waypoint::Town(4), Waypoint::TownOffset(4, [-600.0, -2000.0])],
        headsigns: ["Kingsbridge South", "Kingsbridge Town Centre"],
        weekday_headway_min: 20,
        saturday_headway_min: 30,
        late: false,
    },
    RouteDef {
        id: "R9",
        short_name: "9",
        long_name: "Millford - Marden Hill - Kingsbridge",
        colour: "5B7F95",
        waypoints: &[Waypoint::Town(3), Waypoint::Village(3), Waypoint::Town(4)],
        headsigns: ["Kingsbridge", "Millford"],
        weekday_headway_min: 60,
        saturday_headway_min: 120,
        late: false,
    },
    RouteDef {
        id: "R10",
        short_name: "10",
        long_name: "Eastbrook - Fenwick Green",
        colour: "A05EB5",
        waypoints: &[Waypoint::Town(2), Waypoint::Village(2)],
        headsigns: ["Fenwick Green", "Eastbrook"],
        weekday_headway_min: 30,
        saturday_headway_min: 60,
        late: false,
    },
    RouteDef {
        id: "R11",
        short_name: "11",
        long_name: "Ashby Vale - Little Ashby - Oakhurst - Kingsbridge",
        colour: "6D2077",
        waypoints: &[Waypoint::Town(5), Waypoint::Village(6), Waypoint::Village(4), Waypoint::Town(4)],
        headsigns: ["Kingsbridge", "Ashby Vale"],
        weekday_headway_min: 60,
        saturday_headway_min: 120,
        late: false,
    },
    RouteDef {
        id: "R12",
        short_name: "12",
        long_name: "Westholm - Hollowfield - Stonecross - Northgate",
        colour: "00A3E0",
        waypoints: &[Waypoint::Town(0), Waypoint::Village(0), Waypoint::Village(1), Waypoint::Town(1)],
        headsigns: ["Northgate", "Westholm"],
        weekday_headway_min: 60,
        saturday_headway_min: 120,
        late: false,
    },
];

/// English bank holidays on weekdays in 2026-2027: no weekday service.
const BANK_HOLIDAYS: [&str; 16] = [
    "20260101", "20260403", "20260406", "20260504", "20260525", "20260831", "20261225", "20261228", "20270101", "20270326", "20270329", "20270503", "20270531",
    "20270830", "20271227", "20271228",
];

/// A stop.
#[derive(Debug, Clone)]
struct Stop {
    id: String,
    name: String,
    point_m: [f64; 2],
}

/// One direction of a route: its stops and their distance along it.
#[derive(Debug, Clone)]
struct Pattern {
    stops: Vec<(usize, f64)>,
}

/// The feed's files and counts.
#[derive(Debug, Clone)]
pub struct Feed {
    /// (file name, contents) for each file of the feed.
    pub files: Vec<(&'static str, String)>,
    /// Stops.
    pub stops: usize,
    /// Routes.
    pub routes: usize,
    /// Trips.
    pub trips: usize,
    /// stop_times rows.
    pub stop_times: usize,
}

/// Cost factor of a street class for a bus: main roads preferred.
fn bus_factor(h: Highway) -> f64 {
    match h {
        Highway::Primary => 0.75,
        Highway::Secondary => 0.8,
        Highway::Tertiary => 0.85,
        Highway::Residential => 1.0,
        _ => 1.15,
    }
}

/// Cheapest bus path from `a` to `b`: nodes and, for each step, the street.
fn bus_path(net: &StreetNet, adj: &[Vec<(usize, f64, usize)>], a: usize, b: usize) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut best = vec![u64::MAX; adj.len()];
    let mut pred: Vec<Option<(usize, usize)>> = vec![None; adj.len()];
    let mut heap = BinaryHeap::new();
    best[a] = 0;
    heap.push(Reverse((0u64, a)));
    while let Some(Reverse((d, u))) = heap.pop() {
        if d > best[u] {
            continue;
        }
        if u == b {
            break;
        }
        for &(v, len, s) in &adj[u] {
            let nd = d + (len * 1000.0 * bus_factor(net.streets[s].highway)) as u64;
            if nd < best[v] {
                best[v] = nd;
                pred[v] = Some((u, s));
                heap.push(Reverse((nd, v)));
            }
        }
    }
    if best[b] == u64::MAX {
        return None;
    }
    let (mut nodes, mut steps) = (vec![b], Vec::new());
    let mut u = b;
    while let Some((p, s)) = pred[u] {
        nodes.push(p);
        steps.push(s);
        u = p;
    }
    nodes.reverse();
    steps.reverse();
    Some((nodes, steps))
}

/// Everything needed to name and place stops.
struct StopBook<'a> {
    net: &'a StreetNet,
    stops: Vec<Stop>,
    names: BTreeMap<String, usize>,
    landmarks: Vec<([f64; 2], f64, String)>,
    node_streets: Vec<Vec<usize>>,
    rng: SplitMix64,
    spacing: SplitMix64,
}

impl<'a> StopBook<'a> {
    fn new(net: &'a StreetNet, sites: &[DemoSite]) -> Self {
        let mut landmarks = Vec::new();
        for (i, t) in TOWNS.iter().enumerate() {
            landmarks.push((net.nodes[net.town_nodes[i]], 200.0, format!("{} Town Centre", t.name)));
        }
        for (i, v) in VILLAGES.iter().enumerate() {
            landmarks.push((net.nodes[net.village_nodes[i]], 200.0, format!("{} Village", v.name)));
        }
        for s in sites.iter().filter(|s| s.kind == "hospital" || s.kind == "rehab") {
            landmarks.push((s.point_m, 150.0, s.name.to_string()));
        }
        let mut node_streets = vec![Vec::new(); net.nodes.len()];
        for (i, s) in net.streets.iter().enumerate() {
            if s.alive {
                for &n in &s.nodes {
                    node_streets[n].push(i);
                }
            }
        }
        StopBook {
            net,
            stops: Vec::new(),
            names: BTreeMap::new(),
            landmarks,
            node_streets,
            rng: SplitMix64::stream("stop names"),
            spacing: SplitMix64::stream("stop spacing"),
        }
    }

    /// The nearest stop within `radius_m` of p.
    fn near(&self, p: [f64; 2], radius_m: f64) -> Option<usize> {
        self.stops
            .iter()
            .enumerate()
            .map(|(i, s)| (streets::dist(s.point_m, p), i))
            .filter(|(d, _)| *d <= radius_m)
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
            .map(|(_, i)| i)
    }

    /// A name for a new stop at p on `street`, near path node `node`.
    fn name_for(&mut self, p: [f64; 2], street: usize, node: usize) -> String {
        let base = if let Some((_, _, name)) = self.landmarks.iter().find(|(q, r, _)| streets::dist(*q, p) <= *r) {
            name.clone()
        } else if let Some(street_name) = self.net.streets[street].name.clone() {
            let cross = self.node_streets[node]
                .iter()
                .filter_map(|&s| self.net.streets[s].name.clone())
                .find(|n| *n != street_name && streets::dist(self.net.nodes[node], p) < 120.0);
            match cross {
                Some(c) => format!("{street_name} / {c}"),
                None => street_name,
            }
        } else {
            const FARMS: [&str; 12] = ["Pound", "Hollow", "Oast", "Court", "Tithe", "Brook", "Warren", "Chalk", "Ridge", "Heath", "Dairy", "Shaw"];
            format!("{} Farm", FARMS[self.rng.below(FARMS.len())])
        };
        let count = self.names.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 { base } else { format!("{base} ({count})") }
    }

    fn stop_at(&mut self, p: [f64; 2], street: usize, node: usize, reuse_m: f64) -> usize {
        if let Some(i) = self.near(p, reuse_m) {
            return i;
        }
        let name = self.name_for(p, street, node);
        self.stops.push(Stop { id: format!("S{:04}", self.stops.len() + 1), name, point_m: p });
        self.stops.len() - 1
    }

    /// Stops along a non-empty path: at both ends and every 300-460 m
    /// ([`STOP_SPACING_M`]), sharing stops already placed within a few tens of metres.
    fn place_along(&mut self, nodes: &[usize], steps: &[usize]) -> Pattern {
        let pts: Vec<[f64; 2]> = nodes.iter().map(|&n| self.net.nodes[n]).collect();
        let mut cum = vec![0.0];
        for w in pts.windows(2) {
            cum.push(cum[cum.len() - 1] + streets::dist(w[0], w[1]));
        }
        let total = cum[cum.len() - 1];
        let at = |s: f64| -> ([f64; 2], usize) {
            let k = cum.partition_point(|&c| c <= s).clamp(1, pts.len() - 1) - 1;
            let seg = (cum[k + 1] - cum[k]).max(1e-9);
            let f = ((s - cum[k]) / seg).clamp(0.0, 1.0);
            ([pts[k][0] + f * (pts[k + 1][0] - pts[k][0]), pts[k][1] + f * (pts[k + 1][1] - pts[k][1])], k)
        };
        let mut pattern = Pattern { stops: Vec::new() };
        let push = |pattern: &mut Pattern, stop: usize, along: f64| {
            if pattern.stops.last().is_none_or(|(s, _)| *s != stop) {
                pattern.stops.push((stop, along));
            }
        };
        let first = self.stop_at(pts[0], steps[0], nodes[0], 40.0);
        push(&mut pattern, first, 0.0);
        let mut last_along = 0.0;
        let mut gap = self.spacing.range(STOP_SPACING_M.0, STOP_SPACING_M.1);
        let mut s = 10.0;
        while s < total - 200.0 {
            let since = s - last_along;
            let (p, k) = at(s);
            let nearest_node = if streets::dist(pts[k], p) < streets::dist(pts[k + 1], p) { nodes[k] } else { nodes[k + 1] };
            // Past 250 m, share a stop another route already has right here.
            if let Some(existing) = self.near(p, 25.0).filter(|_| since >= 250.0) {
                push(&mut pattern, existing, s);
                last_along = s;
                gap = self.spacing.range(STOP_SPACING_M.0, STOP_SPACING_M.1);
                s += 10.0;
                continue;
            }
            if since >= gap {
                let stop = self.stop_at(p, steps[k], nearest_node, 50.0);
                push(&mut pattern, stop, s);
                last_along = s;
                gap = self.spacing.range(STOP_SPACING_M.0, STOP_SPACING_M.1);
            }
            s += 10.0;
        }
        let end = self.stop_at(pts[pts.len() - 1], steps[steps.len() - 1], nodes[nodes.len() - 1], 40.0);
        push(&mut pattern, end, total);
        pattern
    }
}

/// "HH:MM:SS", hours past 24 for trips after midnight.
fn hms(s: u32) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// Departure times (seconds after midnight) of one direction of a route for a service day.
fn departures(route: &RouteDef, saturday: bool) -> Vec<u32> {
    let h = |hh: u32, mm: u32| hh * 3600 + mm * 60;
    let mut out = Vec::new();
    let (first, day_start, day_end, headway, evening): (Option<u32>, u32, u32, u32, Vec<u32>) = if saturday {
        let evening = if route.saturday_headway_min <= 30 { vec![h(19, 0), h(20, 0), h(21, 0), h(22, 0)] } else { vec![h(19, 0)] };
        (None, h(8, 0), h(18, 0), route.saturday_headway_min * 60, evening)
    } else {
        let evening = if route.weekday_headway_min <= 30 { vec![h(20, 0), h(21, 0), h(22, 0)] } else { vec![h(20, 0)] };
        (Some(h(6, 30)), h(7, 0), h(19, 0), route.weekday_headway_min * 60, evening)
    };
    out.extend(first);
    let mut t = day_start;
    while t <= day_end {
        out.push(t);
        t += headway;
    }
    out.extend(evening.into_iter().filter(|e| *e > day_end));
    if route.late {
        out.extend([h(23, 0), h(23, 45)]);
    }
    out
}

/// Builds the feed.
pub fn build(net: &StreetNet, sites: &[DemoSite], proj: &Projection) -> crate::Result<Feed> {
    let adj = streets::directed_graph(net, |s| s.carries_cars() && s.highway.carries_buses());
    let scc = streets::strong_component(&adj, net.town_nodes[4]);
    let snap = |p: [f64; 2]| -> Option<usize> {
        let side = layout::side_of(p);
        (0..net.nodes.len())
            .filter(|&n| scc[n] && layout::side_of(net.nodes[n]) == side)
            .min_by(|&a, &b| streets::dist(net.nodes[a], p).total_cmp(&streets::dist(net.nodes[b], p)).then(a.cmp(&b)))
    };
    let fail = |m: String| crate::Error::DemoGenerator(format!("(GTFS) {m}"));
    let mut book = StopBook::new(net, sites);
    let mut patterns: Vec<[Pattern; 2]> = Vec::new();
    for route in &ROUTES {
        let mut ends = Vec::new();
        for w in route.waypoints {
            let n = match *w {
                Waypoint::Town(i) => Some(net.town_nodes[i]),
                Waypoint::Village(i) => Some(net.village_nodes[i]),
                Waypoint::TownOffset(i, d) => {
                    let c = TOWNS[i].centre();
                    snap([c[0] + d[0], c[1] + d[1]])
                }
                Waypoint::Site(id) => sites.iter().find(|s| s.id == id).and_then(|s| snap(s.point_m)),
            };
            ends.push(n.ok_or_else(|| fail(format!("route {} has a waypoint off the bus network", route.id)))?);
        }
        let mut dirs = Vec::new();
        for reverse in [false, true] {
            let mut seq = ends.clone();
            if reverse {
                seq.reverse();
            }
            let (mut nodes, mut steps) = (vec![seq[0]], Vec::new());
            for pair in seq.windows(2) {
                let (n, s) = bus_path(net, &adj, pair[0], pair[1]).ok_or_else(|| fail(format!("route {} has no path", route.id)))?;
                nodes.extend_from_slice(&n[1..]);
                steps.extend(s);
            }
            if steps.is_empty() {
                return Err(fail(format!("route {} starts where it ends", route.id)));
            }
            dirs.push(book.place_along(&nodes, &steps));
        }
        let (Some(back), Some(out)) = (dirs.pop(), dirs.pop()) else { return Err(fail("no directions".into())) };
        patterns.push([out, back]);
    }

    let speed_m_s = BUS_SPEED_KMH / 3.6;
    let mut trips = String::from("route_id,service_id,trip_id,trip_headsign,direction_id\n");
    let mut times = String::from("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
    let (mut n_trips, mut n_times) = (0, 0);
    for (route, pats) in ROUTES.iter().zip(&patterns) {
        for (service, saturday) in [("WD", false), ("SA", true)] {
            for (dir, pat) in pats.iter().enumerate() {
                for dep in departures(route, saturday) {
                    let trip_id = format!("{}-{}-{}-{:02}{:02}", route.id, service, dir, dep / 3600, (dep / 60) % 60);
                    trips.push_str(&format!("{},{},{},{},{}\n", route.id, service, trip_id, csv_field(route.headsigns[dir]), dir));
                    n_trips += 1;
                    for (k, &(stop, along)) in pat.stops.iter().enumerate() {
                        let arrive = dep + (along / speed_m_s).round() as u32 + DWELL_S * (k.saturating_sub(1) as u32);
                        let depart = if k == 0 || k + 1 == pat.stops.len() { arrive } else { arrive + DWELL_S };
                        times.push_str(&format!("{},{},{},{},{}\n", trip_id, hms(arrive), hms(depart), book.stops[stop].id, k + 1));
                        n_times += 1;
                    }
                }
            }
        }
    }

    let mut stops_txt = String::from("stop_id,stop_name,stop_lat,stop_lon\n");
    for s in &book.stops {
        let ll = proj.lonlat(s.point_m);
        stops_txt.push_str(&format!("{},{},{:.6},{:.6}\n", s.id, csv_field(&s.name), ll.lat, ll.lon));
    }
    let mut routes_txt = String::from("route_id,agency_id,route_short_name,route_long_name,route_type,route_color,route_text_color\n");
    for r in &ROUTES {
        routes_txt.push_str(&format!("{},RVB,{},{},3,{},FFFFFF\n", r.id, r.short_name, csv_field(r.long_name), r.colour));
    }
    let agency = "agency_id,agency_name,agency_url,agency_timezone,agency_lang\nRVB,Riverdale Buses (synthetic demo),https://example.invalid/riverdale-buses,Europe/London,en\n".to_string();
    let calendar = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20271231\nSA,0,0,0,0,0,1,0,20260101,20271231\n".to_string();
    let mut calendar_dates = String::from("service_id,date,exception_type\n");
    for d in BANK_HOLIDAYS {
        calendar_dates.push_str(&format!("WD,{d},2\n"));
    }
    calendar_dates.push_str("SA,20261226,2\n");
    let feed_info = "feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date,feed_version\naccessplan demo generator (synthetic data),https://example.invalid/accessplan-demo,en,20260101,20271231,riverdale-demo-1\n".to_string();
    let n_stops = book.stops.len();
    Ok(Feed {
        files: vec![
            ("agency.txt", agency),
            ("stops.txt", stops_txt),
            ("routes.txt", routes_txt),
            ("trips.txt", trips),
            ("stop_times.txt", times),
            ("calendar.txt", calendar),
            ("calendar_dates.txt", calendar_dates),
            ("feed_info.txt", feed_info),
        ],
        stops: n_stops,
        routes: ROUTES.len(),
        trips: n_trips,
        stop_times: n_times,
    })
}
