//! The synthetic county's bus timetable: a GTFS folder written beside the
//! map, from the same seed and lattice, never committed.
//!
//! Two kinds of route run on the county's main roads (the lattice lines
//! every 16 steps, which are continuous streets from edge to edge):
//! - between towns, along every primary and trunk line (every 64 steps)
//!   from one edge of the county to the other, stopping every 16 steps
//!   (960 m), at 45 km/h, every 20 minutes from 06:00 to 22:00;
//! - within each town, along every line a multiple of 32 steps crossing
//!   its centre's disc, over 1.3 radii each side of the centre, stopping
//!   every 4 steps (240 m), at 20 km/h, every 20 minutes from 06:00 to 23:00.
//!
//! Stops sit on lattice points, so routes crossing at a point share its stop
//! and riders change there. Every route runs both ways every day of 2026
//! ([`BUS_DATE`] is a Tuesday). At the county of issue 13 (a million
//! junctions) that is 52,516 trips and 6.1 million stop times.

use super::CountyOptions;
use super::{Lattice, Out, Rng, SPACING_M, fnv, jitter, lonlat, side_for};
use crate::Result;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The feed's folder in the county's folder.
pub const GTFS_DIR: &str = "gtfs";
/// The service date the benchmarks use (every route runs every day of 2026).
pub const BUS_DATE: &str = "2026-03-03";

/// What the timetable generator wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyGtfsSummary {
    /// Stops.
    pub stops: usize,
    /// Routes (one per line and kind).
    pub routes: usize,
    /// Trips (both directions).
    pub trips: usize,
    /// Stop times.
    pub stop_times: usize,
    /// FNV-1a of the files' bytes, in order.
    pub checksum: u64,
}

/// One route: its stops as lattice points in order, speed and span of service.
struct Line {
    id: String,
    name: String,
    stops: Vec<(usize, usize)>,
    speed_m_s: f64,
    first_s: u32,
    last_s: u32,
    headway_s: u32,
}

/// The county's GTFS folder, if it was generated into `dir`.
pub fn feed_in(dir: &Path) -> Option<PathBuf> {
    let p = dir.join(GTFS_DIR);
    p.join("stop_times.txt").is_file().then_some(p)
}

/// Writes the bus timetable of the county `opts` describes into
/// `dir/`[`GTFS_DIR`] (created if missing). The same options give the same
/// bytes.
pub fn generate_gtfs(dir: &Path, opts: &CountyOptions) -> Result<CountyGtfsSummary> {
    let out = dir.join(GTFS_DIR);
    std::fs::create_dir_all(&out).map_err(|source| crate::Error::Write { path: out.clone(), source })?;
    let seed = opts.seed;
    let (n, _) = side_for(opts.car_nodes, seed);
    let lat = Lattice::new(n, seed);
    let along = |horizontal: bool, k: usize, m: usize| if horizontal { (m, k) } else { (k, m) };
    let mut lines: Vec<Line> = Vec::new();
    for horizontal in [true, false] {
        let axis = if horizontal { 'E' } else { 'N' };
        for k in (64..n.saturating_sub(1)).step_by(64) {
            lines.push(Line {
                id: format!("X{axis}{k}"),
                name: format!("Express {axis}{k}"),
                stops: (0..n).step_by(16).map(|m| along(horizontal, k, m)).collect(),
                speed_m_s: 12.5,
                first_s: 6 * 3600,
                last_s: 22 * 3600,
                headway_s: 1200,
            });
        }
        for (t, town) in lat.towns.iter().enumerate() {
            let (centre_k, centre_m) = if horizontal { (town.y, town.x) } else { (town.x, town.y) };
            for k in (32..n.saturating_sub(1)).step_by(32) {
                if (k as f64 - centre_k).abs() >= town.r {
                    continue;
                }
                let lo = (centre_m - 1.3 * town.r).max(0.0).ceil() as usize;
                let hi = ((centre_m + 1.3 * town.r).floor() as usize).min(n - 1);
                let stops: Vec<(usize, usize)> = (lo..=hi).filter(|m| m % 4 == 0).map(|m| along(horizontal, k, m)).collect();
                if stops.len() < 2 {
                    continue;
                }
                lines.push(Line {
                    id: format!("T{}{axis}{k}", t + 1),
                    name: format!("Town {} {axis}{k}", t + 1),
                    stops,
                    speed_m_s: 20.0 / 3.6,
                    first_s: 6 * 3600,
                    last_s: 23 * 3600,
                    headway_s: 1200,
                });
            }
        }
    }

    // Stops: every lattice point a route stops at, 12 m off the street.
    let mut stop_points: BTreeMap<(usize, usize), ()> = BTreeMap::new();
    for l in &lines {
        for p in &l.stops {
            stop_points.insert(*p, ());
        }
    }
    let file = |name: &str| Out::create(out.join(name));
    let mut checksum = 0xcbf2_9ce4_8422_2325u64;
    let mut mix = |h: u64| checksum = fnv(checksum, &h.to_le_bytes());

    let mut agency = file("agency.txt")?;
    agency.put("agency_id,agency_name,agency_url,agency_timezone\nCB,County Buses (synthetic),https://example.org,Europe/London\n")?;
    mix(agency.finish()?);
    let mut calendar = file("calendar.txt")?;
    calendar.put("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nDAILY,1,1,1,1,1,1,1,20260101,20261231\n")?;
    mix(calendar.finish()?);

    let mut stops = file("stops.txt")?;
    stops.put("stop_id,stop_name,stop_lat,stop_lon\n")?;
    for &(i, j) in stop_points.keys() {
        let (x, y) = jitter(seed, i, j);
        let (lo, la) = lonlat(x + 12.0, y + 12.0);
        stops.put(&format!("P{i}_{j},Stop {i}/{j},{la:.7},{lo:.7}\n"))?;
    }
    mix(stops.finish()?);

    let mut routes = file("routes.txt")?;
    routes.put("route_id,agency_id,route_short_name,route_long_name,route_type\n")?;
    for l in &lines {
        routes.put(&format!("{},CB,{},{},3\n", l.id, l.id, l.name))?;
    }
    mix(routes.finish()?);

    let mut trips = file("trips.txt")?;
    trips.put("route_id,service_id,trip_id,trip_headsign\n")?;
    let mut times = file("stop_times.txt")?;
    times.put("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")?;
    let mut rng = Rng::new(seed, "buses");
    let (mut n_trips, mut n_times) = (0usize, 0usize);
    let mut buf = String::with_capacity(1 << 16);
    for l in &lines {
        // Each route starts at its own minute past the hour, so buses do not all leave at once.
        let offset = (rng.below(l.headway_s as usize / 60) * 60) as u32;
        for (d, order) in [("a", l.stops.clone()), ("b", l.stops.iter().rev().copied().collect::<Vec<_>>())] {
            let last = order[order.len() - 1];
            let mut start = l.first_s + offset;
            let mut k = 0;
            while start <= l.last_s {
                let trip = format!("{}-{d}-{k}", l.id);
                trips.put(&format!("{},DAILY,{trip},Stop {}/{}\n", l.id, last.0, last.1))?;
                let mut t = f64::from(start);
                for (s, p) in order.iter().enumerate() {
                    if s > 0 {
                        let q = order[s - 1];
                        let steps = p.0.abs_diff(q.0) + p.1.abs_diff(q.1);
                        t += steps as f64 * SPACING_M / l.speed_m_s;
                    }
                    let ts = t.round() as u32;
                    let hms = format!("{:02}:{:02}:{:02}", ts / 3600, ts / 60 % 60, ts % 60);
                    let _ = writeln!(buf, "{trip},{hms},{hms},P{}_{},{}", p.0, p.1, s + 1);
                    n_times += 1;
                }
                if buf.len() > 60_000 {
                    times.put(&buf)?;
                    buf.clear();
                }
                n_trips += 1;
                k += 1;
                start += l.headway_s;
            }
        }
    }
    times.put(&buf)?;
    mix(trips.finish()?);
    mix(times.finish()?);
    Ok(CountyGtfsSummary { stops: stop_points.len(), routes: lines.len(), trips: n_trips, stop_times: n_times, checksum })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_county_feed_is_the_same_from_the_same_seed_and_loads_without_problems() {
        let opts = CountyOptions::scaled(10_000);
        let base = std::env::temp_dir().join(format!("accessplan-county-gtfs-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        let sa = generate_gtfs(&a, &opts).unwrap();
        let sb = generate_gtfs(&b, &opts).unwrap();
        assert_eq!(sa, sb);
        for f in ["stops.txt", "routes.txt", "trips.txt", "stop_times.txt"] {
            assert_eq!(std::fs::read(a.join(GTFS_DIR).join(f)).unwrap(), std::fs::read(b.join(GTFS_DIR).join(f)).unwrap(), "{f}");
        }
        assert!(sa.trips > 100 && sa.stop_times > 1_000, "{sa:?}");
        let other = generate_gtfs(&b, &CountyOptions { seed: 14, ..opts }).unwrap();
        assert_ne!(other.checksum, sa.checksum);
        let (feed, report) = crate::transit::load_gtfs(&feed_in(&a).unwrap()).unwrap();
        assert_eq!(report.problem_count(), 0, "{report}");
        assert_eq!((feed.stops.len(), feed.routes.len(), feed.trips.len(), feed.stop_times.len()), (sa.stops, sa.routes, sa.trips, sa.stop_times));
        let tt = crate::transit::Timetable::build(&feed, BUS_DATE.parse().unwrap(), None, &Default::default()).unwrap();
        assert_eq!(tt.trip_count(), sa.trips);
        std::fs::remove_dir_all(&base).ok();
    }
}
