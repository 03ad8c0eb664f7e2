//! A synthetic county for benchmarks at scale, generated at bench or test
//! time and never committed: an OSM XML street map, a zones CSV and a sites
//! CSV, all from one seed and one size (car-network junctions).
//!
//! The streets are a lattice (60 m apart) whose local density follows towns:
//! every lattice line is a street near a town centre, every 2nd, 4th, 8th
//! then 16th line farther out, so towns are dense and the countryside is a
//! coarse grid of lanes. Lines every 16, 32, 64 and 128 lattice steps are
//! tertiary, secondary, primary and trunk roads; a dual-carriageway motorway
//! crosses the county east to west with junctions every 64 steps and bridges
//! everywhere else; some residential streets in towns are one-way. Zones
//! (with population) and sites are placed more often where streets are dense.
//!
//! Every random choice comes from a splitmix64 stream of the seed, and the
//! geometry uses only IEEE-exact operations (+, -, x, /, sqrt), so one seed
//! and size give byte-identical files on every run and platform.
//! Compiled with the `demo-generator` feature (and in unit tests).

mod gtfs;
pub use gtfs::{BUS_DATE, CountyGtfsSummary, GTFS_DIR, feed_in, generate_gtfs};

use crate::region::{RegionInputs, SitesInput};
use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The OSM file's name in the output folder.
pub const OSM_FILE: &str = "county.osm";
/// The OSM file's name when it is a PBF (the county made of copies of a
/// town, [`super::tiled`], writes one).
pub const PBF_FILE: &str = "county.osm.pbf";
/// The zones file's name (`zone_id,lon,lat,population`).
pub const ZONES_FILE: &str = "zones.csv";
/// The sites file's name (`id,name,kind,status,locality,lon,lat,capacity`).
pub const SITES_FILE: &str = "sites.csv";

/// Lattice spacing, metres.
const SPACING_M: f64 = 60.0;
/// The coarsest local spacing of streets, in lattice steps.
const MAX_STRIDE: usize = 16;
/// South-west corner of the county (made-up place on real coordinates).
const LON0: f64 = -3.2;
/// South-west corner latitude.
const LAT0: f64 = 52.0;
/// Metres per degree of latitude.
const M_PER_DEG_LAT: f64 = 111_320.0;
/// Metres per degree of longitude at [`LAT0`] (111,320 x cos 52°, a constant
/// so that no platform's `cos` enters the output).
const M_PER_DEG_LON: f64 = 68_535.6;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountyOptions {
    /// Car-network junctions to reach at least (the lattice grows until its
    /// junction count does).
    pub car_nodes: usize,
    /// Population zones.
    pub zones: usize,
    /// Candidate sites.
    pub sites: usize,
    /// The seed of every random choice.
    pub seed: u64,
}

impl CountyOptions {
    /// The county of issue 13: a million junctions, 6,000 zones, 300 sites.
    pub const COUNTY: CountyOptions = CountyOptions { car_nodes: 1_000_000, zones: 6_000, sites: 300, seed: 13 };

    /// A county of about `car_nodes` junctions with zones and sites in the
    /// full county's proportion to its size (at least 20 zones and 5 sites).
    pub fn scaled(car_nodes: usize) -> Self {
        let f = car_nodes as f64 / Self::COUNTY.car_nodes as f64;
        CountyOptions {
            car_nodes,
            zones: ((Self::COUNTY.zones as f64 * f).round() as usize).max(20),
            sites: ((Self::COUNTY.sites as f64 * f).round() as usize).max(5),
            seed: Self::COUNTY.seed,
        }
    }
}

/// What the generator wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountySummary {
    /// Lattice points per side.
    pub lattice_side: usize,
    /// Side of the county, metres.
    pub side_m: u64,
    /// Towns.
    pub towns: usize,
    /// Junctions and dead ends (the car network's nodes before cleaning).
    pub junctions: usize,
    /// Nodes in the OSM file.
    pub osm_nodes: usize,
    /// Ways in the OSM file.
    pub osm_ways: usize,
    /// One-way ways.
    pub oneway_ways: usize,
    /// Zones written.
    pub zones: usize,
    /// Residents in all zones.
    pub residents: u64,
    /// Sites written.
    pub sites: usize,
    /// FNV-1a of the three files' bytes, in order.
    pub checksum: u64,
}

/// splitmix64 seeded with the seed and a purpose, so that each part's draws
/// are independent of the others'.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, purpose: &str) -> Self {
        Rng(seed ^ fnv(0xcbf2_9ce4_8422_2325, purpose.as_bytes()))
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }
}

/// FNV-1a over `bytes`, continuing from `h`.
pub(super) fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A town: centre and radius in lattice units.
#[derive(Debug, Clone, Copy)]
struct Town {
    x: f64,
    y: f64,
    r: f64,
}

/// Towns in unit coordinates (scaled by the lattice side later), so density
/// does not depend on size.
fn towns(seed: u64) -> Vec<(f64, f64, f64)> {
    let mut rng = Rng::new(seed, "towns");
    let mut out = vec![(0.5, 0.5, 0.16)]; // the county town
    for _ in 0..24 {
        out.push((rng.range(0.05, 0.95), rng.range(0.05, 0.95), rng.range(0.03, 0.08)));
    }
    out
}

/// The street lattice: local stride at each point.
struct Lattice {
    n: usize,
    stride: Vec<u8>,
    towns: Vec<Town>,
}

impl Lattice {
    fn new(n: usize, seed: u64) -> Self {
        let towns: Vec<Town> = towns(seed).into_iter().map(|(x, y, r)| Town { x: x * n as f64, y: y * n as f64, r: r * n as f64 }).collect();
        let mut stride = vec![MAX_STRIDE as u8; n * n];
        for j in 0..n {
            for i in 0..n {
                let d = towns
                    .iter()
                    .map(|t| {
                        let (dx, dy) = (i as f64 - t.x, j as f64 - t.y);
                        (dx * dx + dy * dy).sqrt() / t.r
                    })
                    .fold(f64::INFINITY, f64::min);
                stride[j * n + i] = if d < 0.6 {
                    1
                } else if d < 1.0 {
                    2
                } else if d < 1.4 {
                    4
                } else if d < 2.0 {
                    8
                } else {
                    MAX_STRIDE as u8
                };
            }
        }
        Lattice { n, stride, towns }
    }
    fn s(&self, i: usize, j: usize) -> usize {
        usize::from(self.stride[j * self.n + i])
    }
    /// The street from (i, j) to (i + 1, j), if any: its local stride.
    fn east(&self, i: usize, j: usize) -> Option<usize> {
        if i + 1 >= self.n {
            return None;
        }
        let s = self.s(i, j).min(self.s(i + 1, j));
        j.is_multiple_of(s).then_some(s)
    }
    /// The street from (i, j) to (i, j + 1), if any: its local stride.
    fn north(&self, i: usize, j: usize) -> Option<usize> {
        if j + 1 >= self.n {
            return None;
        }
        let s = self.s(i, j).min(self.s(i, j + 1));
        i.is_multiple_of(s).then_some(s)
    }
    /// Streets meeting at (i, j): west, east, south, north.
    fn arms(&self, i: usize, j: usize) -> [bool; 4] {
        [i > 0 && self.east(i - 1, j).is_some(), self.east(i, j).is_some(), j > 0 && self.north(i, j - 1).is_some(), self.north(i, j).is_some()]
    }
    /// Junctions and dead ends: points with other than two arms, or two at a corner.
    fn junctions(&self) -> usize {
        let mut count = 0;
        for j in 0..self.n {
            for i in 0..self.n {
                let a = self.arms(i, j);
                let k = a.iter().filter(|x| **x).count();
                if k == 1 || k >= 3 || (k == 2 && a[0] != a[1]) {
                    count += 1;
                }
            }
        }
        count
    }
}

/// The highway class of a lattice line with index `k` and local stride `s`.
fn class(k: usize, s: usize) -> &'static str {
    if k.is_multiple_of(128) {
        "trunk"
    } else if k.is_multiple_of(64) {
        "primary"
    } else if k.is_multiple_of(32) {
        "secondary"
    } else if k.is_multiple_of(16) {
        "tertiary"
    } else if s == 1 {
        "residential"
    } else {
        "unclassified"
    }
}

/// The lattice side whose junctions first reach `target`.
fn side_for(target: usize, seed: u64) -> (usize, usize) {
    let mut n = ((target as f64).sqrt() * 1.6).ceil() as usize + 2;
    let mut count = Lattice::new(n, seed).junctions();
    for _ in 0..3 {
        if count >= target {
            break;
        }
        n = ((n as f64 * (target as f64 / count.max(1) as f64).sqrt()) * 1.005).ceil() as usize + 1;
        count = Lattice::new(n, seed).junctions();
    }
    while count < target {
        n += n / 100 + 1;
        count = Lattice::new(n, seed).junctions();
    }
    (n, count)
}

/// Writes text into a file, mapping errors to the path.
pub(super) struct Out {
    path: PathBuf,
    w: std::io::BufWriter<std::fs::File>,
    hash: u64,
    bytes: u64,
}

impl Out {
    pub(super) fn create(path: PathBuf) -> Result<Self> {
        let f = std::fs::File::create(&path).map_err(|source| Error::Write { path: path.clone(), source })?;
        Ok(Out { path, w: std::io::BufWriter::with_capacity(1 << 20, f), hash: 0xcbf2_9ce4_8422_2325, bytes: 0 })
    }
    pub(super) fn put(&mut self, s: &str) -> Result<()> {
        self.put_bytes(s.as_bytes())
    }
    pub(super) fn put_bytes(&mut self, b: &[u8]) -> Result<()> {
        self.hash = fnv(self.hash, b);
        self.bytes += b.len() as u64;
        self.w.write_all(b).map_err(|source| Error::Write { path: self.path.clone(), source })
    }
    pub(super) fn finish(mut self) -> Result<u64> {
        self.w.flush().map_err(|source| Error::Write { path: self.path.clone(), source })?;
        Ok(self.hash)
    }
}

/// A point's position in metres east and north of the corner: the lattice
/// point moved by up to 8 m, the same draw for the same point every time.
fn jitter(seed: u64, i: usize, j: usize) -> (f64, f64) {
    let mut r = Rng(seed ^ ((i as u64) << 32 | j as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let (dx, dy) = (r.range(-8.0, 8.0), r.range(-8.0, 8.0));
    (i as f64 * SPACING_M + dx, j as f64 * SPACING_M + dy)
}

/// Degrees from metres east and north of the corner.
fn lonlat(x_m: f64, y_m: f64) -> (f64, f64) {
    (LON0 + x_m / M_PER_DEG_LON, LAT0 + y_m / M_PER_DEG_LAT)
}

/// Tags of a way, in the order written.
type Tags = Vec<(&'static str, &'static str)>;

/// One way: OSM node ids and tags.
struct Way {
    nodes: Vec<u64>,
    tags: Tags,
}

/// Generates the county into `dir` (created if missing): [`OSM_FILE`],
/// [`ZONES_FILE`] and [`SITES_FILE`].
pub fn generate(dir: &Path, opts: &CountyOptions) -> Result<CountySummary> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    let seed = opts.seed;
    let (n, junctions) = side_for(opts.car_nodes, seed);
    let lat = Lattice::new(n, seed);

    // One-way residential lines (rows then columns), each with a direction.
    let mut rng = Rng::new(seed, "oneway");
    let oneway_line: Vec<Option<bool>> = (0..2 * n).map(|_| if rng.unit() < 0.15 { Some(rng.unit() < 0.5) } else { None }).collect();

    // Lattice ways: runs of streets along a line with the same tags.
    let mut ways: Vec<(Vec<(usize, usize)>, Tags)> = Vec::new();
    for horizontal in [true, false] {
        for k in 0..n {
            let mut run: Vec<(usize, usize)> = Vec::new();
            let mut run_tags: Option<Tags> = None;
            for m in 0..n {
                let (i, j) = if horizontal { (m, k) } else { (k, m) };
                let street = if horizontal { lat.east(i, j) } else { lat.north(i, j) };
                let tags = street.map(|s| {
                    let c = class(k, s);
                    let mut t = vec![("highway", c)];
                    let (i2, j2) = if horizontal { (i + 1, j) } else { (i, j + 1) };
                    let town = lat.s(i, j) == 1 && lat.s(i2, j2) == 1;
                    if let Some(dir) = oneway_line[if horizontal { k } else { n + k }].filter(|_| c == "residential" && town) {
                        t.push(("oneway", if dir { "yes" } else { "-1" }));
                    }
                    t
                });
                if tags != run_tags
                    && let Some(t) = run_tags.take()
                {
                    ways.push((std::mem::take(&mut run), t));
                }
                if let Some(t) = tags {
                    if run.is_empty() {
                        run.push((i, j));
                    }
                    run.push(if horizontal { (i + 1, j) } else { (i, j + 1) });
                    run_tags = Some(t);
                }
            }
            if let Some(t) = run_tags.take() {
                ways.push((run, t));
            }
        }
    }

    // Points to write: junctions, corners and ends of ways.
    let mut keep = vec![false; n * n];
    for j in 0..n {
        for i in 0..n {
            let a = lat.arms(i, j);
            let k = a.iter().filter(|x| **x).count();
            keep[j * n + i] = k == 1 || k >= 3 || (k == 2 && a[0] != a[1]);
        }
    }
    for (pts, _) in &ways {
        for p in [pts[0], pts[pts.len() - 1]] {
            keep[p.1 * n + p.0] = true;
        }
    }
    let mut id = vec![0u64; n * n];
    let mut next_id = 0u64;
    for (k, kept) in keep.iter().enumerate() {
        if *kept {
            next_id += 1;
            id[k] = next_id;
        }
    }

    let mut out_ways: Vec<Way> = ways
        .iter()
        .map(|(pts, tags)| Way { nodes: pts.iter().filter(|p| keep[p.1 * n + p.0]).map(|p| id[p.1 * n + p.0]).collect(), tags: tags.clone() })
        .collect();

    // The motorway: two carriageways between rows jm and jm + 1, joined to
    // the lattice at columns every 64 steps (away from the edges).
    let jm = (n / 2) / 16 * 16;
    let junction_cols: Vec<usize> = (1..n / 64).map(|c| c * 64).filter(|&i| i + 8 < n && jm + 1 < n).collect();
    let mut extra_nodes: Vec<(u64, f64, f64)> = Vec::new();
    if junction_cols.len() >= 2 {
        let mut eb = Vec::new();
        let mut wb = Vec::new();
        for &i in &junction_cols {
            let x = i as f64 * SPACING_M;
            for (y_frac, list) in [(0.3, &mut eb), (0.6, &mut wb)] {
                next_id += 1;
                extra_nodes.push((next_id, x, (jm as f64 + y_frac) * SPACING_M));
                list.push(next_id);
            }
            let at = id[jm * n + i];
            if at == 0 {
                continue; // no street at the junction's lattice point (cannot happen on a trunk column)
            }
            for carriageway in [eb[eb.len() - 1], wb[wb.len() - 1]] {
                out_ways.push(Way { nodes: vec![at, carriageway], tags: vec![("highway", "motorway_link"), ("oneway", "no")] });
            }
        }
        wb.reverse();
        out_ways.push(Way { nodes: eb, tags: vec![("highway", "motorway"), ("oneway", "yes"), ("ref", "M13")] });
        out_ways.push(Way { nodes: wb, tags: vec![("highway", "motorway"), ("oneway", "yes"), ("ref", "M13")] });
    }

    // The OSM file.
    let mut osm = Out::create(dir.join(OSM_FILE))?;
    let (lon1, lat1) = lonlat(n as f64 * SPACING_M, n as f64 * SPACING_M);
    osm.put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"accessplan county generator\">\n")?;
    osm.put(&format!(
        "  <note>Synthetic benchmark county (seed {seed}): every street in this file is made up. It is not OpenStreetMap data.</note>\n  <bounds minlat=\"{LAT0:.7}\" minlon=\"{LON0:.7}\" maxlat=\"{lat1:.7}\" maxlon=\"{lon1:.7}\"/>\n"
    ))?;
    let mut buf = String::with_capacity(1 << 16);
    let flush = |buf: &mut String, osm: &mut Out, force: bool| -> Result<()> {
        if force || buf.len() > 60_000 {
            osm.put(buf)?;
            buf.clear();
        }
        Ok(())
    };
    use std::fmt::Write as _;
    let mut osm_nodes = 0;
    for j in 0..n {
        for i in 0..n {
            if keep[j * n + i] {
                let (x, y) = jitter(seed, i, j);
                let (lo, la) = lonlat(x, y);
                let _ = writeln!(buf, "  <node id=\"{}\" lat=\"{la:.7}\" lon=\"{lo:.7}\"/>", id[j * n + i]);
                osm_nodes += 1;
                flush(&mut buf, &mut osm, false)?;
            }
        }
    }
    for (nid, x, y) in &extra_nodes {
        let (lo, la) = lonlat(*x, *y);
        let _ = writeln!(buf, "  <node id=\"{nid}\" lat=\"{la:.7}\" lon=\"{lo:.7}\"/>");
        osm_nodes += 1;
    }
    let mut oneway_ways = 0;
    for (k, w) in out_ways.iter().enumerate() {
        let _ = writeln!(buf, "  <way id=\"{}\">", k + 1);
        for r in &w.nodes {
            let _ = writeln!(buf, "    <nd ref=\"{r}\"/>");
        }
        for (key, v) in &w.tags {
            let _ = writeln!(buf, "    <tag k=\"{key}\" v=\"{v}\"/>");
        }
        oneway_ways += usize::from(w.tags.iter().any(|(k, v)| *k == "oneway" && *v != "no"));
        buf.push_str("  </way>\n");
        flush(&mut buf, &mut osm, false)?;
    }
    buf.push_str("</osm>\n");
    flush(&mut buf, &mut osm, true)?;
    let mut checksum = osm.finish()?;

    // Zones and sites: lattice points with a street, drawn with weight
    // 1 / stride² (dense where streets are), moved up to 25 m off the street.
    let place = |rng: &mut Rng| -> (usize, usize, f64, f64) {
        loop {
            let (i, j) = (rng.below(n), rng.below(n));
            let s = lat.s(i, j) as f64;
            if !lat.arms(i, j).iter().any(|a| *a) {
                continue;
            }
            if rng.unit() * s * s < 1.0 {
                let (x, y) = jitter(seed, i, j);
                let (dx, dy) = (rng.range(-25.0, 25.0), rng.range(-25.0, 25.0));
                let (lo, la) = lonlat(x + dx, y + dy);
                return (i, j, lo, la);
            }
        }
    };
    let mut zones = Out::create(dir.join(ZONES_FILE))?;
    zones.put("zone_id,lon,lat,population\n")?;
    let mut rng = Rng::new(seed, "zones");
    let mut residents = 0u64;
    for z in 0..opts.zones {
        let (i, j, lo, la) = place(&mut rng);
        let pop = if lat.s(i, j) <= 2 { 250 + rng.below(250) } else { 100 + rng.below(300) };
        residents += pop as u64;
        zones.put(&format!("Z{:05},{lo:.7},{la:.7},{pop}\n", z + 1))?;
    }
    checksum = fnv(checksum, &zones.finish()?.to_le_bytes());

    let mut sites = Out::create(dir.join(SITES_FILE))?;
    sites.put("id,name,kind,status,locality,lon,lat,capacity\n")?;
    let mut rng = Rng::new(seed, "sites");
    const KINDS: [&str; 3] = ["hlc", "gp", "clinic"];
    for s in 0..opts.sites {
        let (i, j, lo, la) = place(&mut rng);
        let town = lat
            .towns
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| {
                let d = |t: &Town| (i as f64 - t.x) * (i as f64 - t.x) + (j as f64 - t.y) * (j as f64 - t.y);
                d(a).total_cmp(&d(b))
            })
            .map_or(0, |(k, _)| k);
        let kind = KINDS[rng.below(KINDS.len())];
        sites.put(&format!("S{:04},Site {},{kind},existing,Town {},{lo:.7},{la:.7},\n", s + 1, s + 1, town + 1))?;
    }
    checksum = fnv(checksum, &sites.finish()?.to_le_bytes());

    Ok(CountySummary {
        lattice_side: n,
        side_m: (n as f64 * SPACING_M) as u64,
        towns: lat.towns.len(),
        junctions,
        osm_nodes,
        osm_ways: out_ways.len(),
        oneway_ways,
        zones: opts.zones,
        residents,
        sites: opts.sites,
        checksum,
    })
}

/// The street map of the generated county in `dir`: its PBF if there is
/// one, else its OSM XML.
pub fn osm_in(dir: &Path) -> PathBuf {
    let pbf = dir.join(PBF_FILE);
    if pbf.exists() { pbf } else { dir.join(OSM_FILE) }
}

/// The inputs of a region over a generated county in `dir`: car only, the
/// whole map (no clipping); with its bus timetable and walking when
/// [`generate_gtfs`] wrote one there.
pub fn region_inputs(dir: &Path) -> RegionInputs {
    use crate::input::crs::CrsChoice;
    RegionInputs {
        name: "Synthetic county".into(),
        osm: Some(osm_in(dir)),
        zones: dir.join(ZONES_FILE),
        zone_options: crate::input::zones::ZoneOptions {
            id_field: "zone_id".into(),
            population_field: Some("population".into()),
            crs: CrsChoice::Auto,
            locality_field: None,
        },
        population_table: None,
        attributes: Vec::new(),
        postcodes: None,
        sites: vec![SitesInput::File(dir.join(SITES_FILE))],
        localities: None,
        crs: CrsChoice::Auto,
        profile: None,
        speed_calibration: None,
        modes: if feed_in(dir).is_some() {
            vec![crate::network::StreetMode::Car, crate::network::StreetMode::Walk]
        } else {
            vec![crate::network::StreetMode::Car]
        },
        gtfs: feed_in(dir).into_iter().collect(),
        bus_date: feed_in(dir).and_then(|_| BUS_DATE.parse().ok()),
        bus_window: crate::transit::DepartureWindow::MORNING_PEAK,
        clip_margin_km: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{Network, Period, Profile, StreetMode};

    fn temp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("accessplan-county-{name}-{}", std::process::id()))
    }

    #[test]
    fn a_small_county_is_the_same_from_the_same_seed_and_differs_from_another() {
        let opts = CountyOptions::scaled(10_000);
        let (a, b) = (temp("det-a"), temp("det-b"));
        let sa = generate(&a, &opts).unwrap();
        let sb = generate(&b, &opts).unwrap();
        assert_eq!(sa, sb);
        for f in [OSM_FILE, ZONES_FILE, SITES_FILE] {
            assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f}");
        }
        assert!(sa.junctions >= 10_000 && sa.junctions < 11_000, "{sa:?}");
        assert_eq!((sa.zones, sa.sites), (60, 5));
        assert!(sa.oneway_ways > 0, "{sa:?}");
        let other = generate(&b, &CountyOptions { seed: 14, ..opts }).unwrap();
        assert_ne!(other.checksum, sa.checksum);
        std::fs::remove_dir_all(&a).ok();
        std::fs::remove_dir_all(&b).ok();
    }

    #[test]
    fn a_small_countys_car_network_is_one_part_keeping_nearly_every_junction() {
        let dir = temp("net");
        let s = generate(&dir, &CountyOptions::scaled(10_000)).unwrap();
        let osm = crate::input::osm::OsmData::load(&dir.join(OSM_FILE)).unwrap();
        let net = Network::build(&osm, StreetMode::Car, &Profile::default());
        let st = &net.stats;
        assert!(st.nodes_before >= s.junctions, "{st}");
        assert!(st.nodes_dropped * 100 <= st.nodes_before, "more than 1% dropped: {st}");
        assert!(net.node_count() >= 9_900, "{}", net.node_count());
        // Every class of the hierarchy made it into the car network.
        for c in ["motorway", "motorway_link", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential"] {
            assert!(net.classes.iter().any(|k| k == c), "{c} missing: {:?}", net.classes);
        }
        // From the first node every other is reached (one strongly connected part).
        let zones: Vec<_> = [net.node_point[0]].to_vec();
        let all: Vec<_> = net.node_point.iter().step_by(97).copied().collect();
        let m = crate::network::street_matrix(&net, Period::Offpeak, &zones, &all, 1000.0, &crate::progress::Progress::new()).unwrap();
        assert!((0..all.len()).all(|d| m.time(0, d).is_some()));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_small_county_loads_as_a_region_and_every_zone_drives_to_every_site() {
        let dir = temp("region");
        let s = generate(&dir, &CountyOptions::scaled(10_000)).unwrap();
        let region = crate::region::Region::load(&region_inputs(&dir)).unwrap();
        assert_eq!(region.zones.len(), s.zones);
        assert_eq!(region.sites.len(), s.sites);
        assert!((region.population() - s.residents as f64).abs() < 0.5);
        let car = region.network(StreetMode::Car).unwrap();
        let zones: Vec<_> = region.zones.iter().map(|z| z.point).collect();
        let sites: Vec<_> = region.sites.iter().map(|z| z.point).collect();
        let m = crate::network::street_matrix(car, Period::Offpeak, &zones, &sites, 1000.0, &crate::progress::Progress::new()).unwrap();
        for z in 0..zones.len() {
            for d in 0..sites.len() {
                let t = m.time(z, d).unwrap_or_else(|| panic!("zone {z} to site {d}: {:?}", m.why_none(z, d)));
                assert!(t > 0.0 && t < 3600.0, "zone {z} to site {d}: {t} s");
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
