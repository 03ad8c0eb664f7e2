//! A county made of copies of a real town, for benchmarks at county scale on
//! streets as OpenStreetMap maps them: a real town's street ways (with
//! their shape points, one-ways, speed limits, access tags, signals and
//! turn restrictions) copied into a grid of tiles, each copy moved by a
//! whole tile and given its own OSM ids, and neighbouring tiles joined by
//! primary roads between major roads near their shared edge. The town's
//! zones (points, outlines and population) and sites are copied with their
//! tile.
//!
//! The synthetic county of [`super::county`] is a lattice in which every
//! OSM node is a junction; a real extract has several shape points per
//! junction, dead ends and cul-de-sacs, so a county of the same number of
//! OSM nodes has several times fewer junctions and search states. Newport's
//! extract has 33,165 nodes on car-usable ways for 9,521 car junctions;
//! copied 8 x 4 ([`TiledOptions::COUNTY`]) it is a county of 1.06 million
//! OSM nodes on car ways and 305,000 car junctions, whose ICB-sized study
//! (6,000 of its output areas) holds 1.8 million residents: Kent and
//! Medway's size.
//!
//! The streets are written as a PBF, the format planners download a county
//! in. Everything comes from the town's files and the grid's size: the same
//! inputs give byte-identical files. Written into the file names of
//! [`super::county`], so [`super::county::region_inputs`] serves both;
//! [`write_study`] writes the scenario over the zones' own outlines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::county::{Out, PBF_FILE, SITES_FILE, ZONES_FILE, fnv};
use super::county_zones::ZONE_POLYGONS_FILE;
use super::pbf_writer::PbfWriter;
use crate::Result;
use crate::geom::LonLat;
use crate::input::osm::{MemberKind, OsmData, tag};
use crate::model::{Site, Zone};

/// The grid of tiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TiledOptions {
    /// Tiles from west to east.
    pub columns: usize,
    /// Tiles from south to north.
    pub rows: usize,
    /// Zones to write, spread evenly over all the copies (0: every copy of
    /// every zone).
    pub zones: usize,
    /// Sites to write, spread alike (0: all).
    pub sites: usize,
}

impl TiledOptions {
    /// Newport copied 8 x 4, the county of issue 13: 1.06 million OSM nodes
    /// on car-usable ways (Newport's extract has 33,165), about 305,000 car
    /// junctions; the ICB-sized study's 6,000 zones and 300 sites spread
    /// over the copies of the 364 output areas within reach of Newport's
    /// streets (11,648) and of its 21 health sites (672).
    pub const COUNTY: TiledOptions = TiledOptions { columns: 8, rows: 4, zones: 6_000, sites: 300 };

    /// Every copy of every zone and site, on `columns` x `rows` tiles.
    pub fn all(columns: usize, rows: usize) -> Self {
        TiledOptions { columns, rows, zones: 0, sites: 0 }
    }
}

/// `k` indices spread evenly over `0..all` (all of them when `k` is 0 or
/// at least `all`).
fn spread(all: usize, k: usize) -> Vec<usize> {
    if k == 0 || k >= all { (0..all).collect() } else { (0..k).map(|i| i * all / k).collect() }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TiledSummary {
    /// Tiles.
    pub tiles: usize,
    /// Nodes in the OSM file (street ways' nodes).
    pub osm_nodes: usize,
    /// Ways in the OSM file: the town's street ways in every tile and the links.
    pub osm_ways: usize,
    /// Turn restriction relations copied.
    pub restrictions: usize,
    /// Roads added between neighbouring tiles.
    pub links: usize,
    /// Zones written (copies of the town's).
    pub zones: usize,
    /// Residents over all zones (rounded per zone).
    pub residents: u64,
    /// Sites written.
    pub sites: usize,
    /// FNV-1a of every byte written, file by file.
    pub checksum: u64,
}

/// Road classes a link between tiles may start from.
const MAJOR: [&str; 4] = ["trunk", "primary", "secondary", "tertiary"];
/// Degrees left between neighbouring tiles (about 300 m).
const GAP_DEG: f64 = 0.003;
/// Ids of a tile's copies are the town's plus `tile * ID_STRIDE` (OSM ids
/// are below 10^11 today); links use the next block after the last tile.
const ID_STRIDE: i64 = 100_000_000_000;
/// Links between each pair of neighbouring tiles.
const LINKS_PER_EDGE: usize = 3;

/// Writes the county: `town`'s street ways, routing node tags and turn
/// restrictions copied into `opts.columns` x `opts.rows` tiles, with
/// `zones` and `sites` copied alike (ids prefixed `Tcc-rr-`), into `dir`.
/// Fails when the town has no street ways or no major roads to link tiles
/// by, or when `dir` cannot be written.
pub fn generate(dir: &Path, town: &OsmData, zones: &[Zone], sites: &[Site], opts: &TiledOptions) -> Result<TiledSummary> {
    let bad = |what: String| crate::Error::Input(crate::error::InputError::file(dir, what));
    if opts.columns == 0 || opts.rows == 0 {
        return Err(bad("a tiled county needs at least one column and one row of tiles".into()));
    }
    std::fs::create_dir_all(dir).map_err(|source| crate::Error::Write { path: dir.to_path_buf(), source })?;
    let streets: Vec<_> = town.ways.iter().filter(|w| tag(&w.tags, "highway").is_some()).collect();
    let street_ids: BTreeSet<i64> = streets.iter().map(|w| w.id).collect();
    // The street ways' nodes, in id order, with their positions.
    let nodes: BTreeMap<i64, LonLat> = streets.iter().flat_map(|w| w.nodes.iter()).filter_map(|id| town.nodes.get(id).map(|p| (*id, *p))).collect();
    let Some(ext) = crate::geom::Extent::of(nodes.values().copied()) else {
        return Err(bad("the town has no street ways to copy".into()));
    };
    let (step_lon, step_lat) = (ext.max.lon - ext.min.lon + GAP_DEG, ext.max.lat - ext.min.lat + GAP_DEG);
    let major: Vec<(i64, LonLat)> = streets
        .iter()
        .filter(|w| tag(&w.tags, "highway").is_some_and(|h| MAJOR.contains(&h)))
        .flat_map(|w| w.nodes.iter())
        .filter_map(|id| nodes.get(id).map(|p| (*id, *p)))
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    if major.is_empty() {
        return Err(bad("the town has no trunk, primary, secondary or tertiary road to link its copies by".into()));
    }
    // The major-road node nearest to a point (degrees scaled to metres'
    // proportions at the town's latitude; ties to the lower id).
    let cos = ((ext.min.lat + ext.max.lat) / 2.0).to_radians().cos();
    let nearest = |lon: f64, lat: f64| -> i64 {
        let d = |p: &LonLat| ((p.lon - lon) * cos).powi(2) + (p.lat - lat).powi(2);
        major.iter().min_by(|a, b| d(&a.1).total_cmp(&d(&b.1))).map_or(0, |m| m.0)
    };
    let tiles = opts.columns * opts.rows;
    let tile_of = |c: usize, r: usize| (r * opts.columns + c) as i64;
    let shift = |t: i64, p: &LonLat| {
        let (c, r) = ((t as usize % opts.columns) as f64, (t as usize / opts.columns) as f64);
        (p.lon + c * step_lon, p.lat + r * step_lat)
    };

    let mut checksum = 0xcbf2_9ce4_8422_2325u64;
    // A `county.osm` left in the folder by the lattice generator would not be
    // read (`osm_in` prefers the PBF): remove it, so the folder holds one map.
    std::fs::remove_file(dir.join(super::county::OSM_FILE)).ok();
    let mut osm = PbfWriter::new(Out::create(dir.join(PBF_FILE))?, "accessplan tiled county")?;
    for t in 0..tiles as i64 {
        for (id, p) in &nodes {
            let (lon, lat) = shift(t, p);
            let tags = town.node_tags.get(id).map_or(&[][..], |t| t.as_slice());
            osm.node(id + t * ID_STRIDE, lon, lat, tags)?;
        }
    }
    for t in 0..tiles as i64 {
        for w in &streets {
            let refs: Vec<i64> = w.nodes.iter().filter(|id| nodes.contains_key(id)).map(|id| id + t * ID_STRIDE).collect();
            osm.way(w.id + t * ID_STRIDE, &refs, &w.tags)?;
        }
    }
    // Links: between each tile and its eastern and northern neighbours, at
    // a quarter, half and three quarters of the shared edge. The roads they
    // join are the same in every tile: the town's major-road nodes nearest
    // its east and west edges, and its north and south edges.
    let quarters = (1..=LINKS_PER_EDGE).map(|k| k as f64 / (LINKS_PER_EDGE + 1) as f64);
    let east_west: Vec<(i64, i64)> =
        quarters.clone().map(|f| ext.min.lat + f * (ext.max.lat - ext.min.lat)).map(|lat| (nearest(ext.max.lon, lat), nearest(ext.min.lon, lat))).collect();
    let north_south: Vec<(i64, i64)> =
        quarters.map(|f| ext.min.lon + f * (ext.max.lon - ext.min.lon)).map(|lon| (nearest(lon, ext.max.lat), nearest(lon, ext.min.lat))).collect();
    let link_base = tiles as i64 * ID_STRIDE;
    let mut links = 0usize;
    for r in 0..opts.rows {
        for c in 0..opts.columns {
            let here = tile_of(c, r);
            let mut pairs = Vec::new();
            for k in 0..LINKS_PER_EDGE {
                if c + 1 < opts.columns {
                    pairs.push((east_west[k].0, tile_of(c + 1, r), east_west[k].1));
                }
                if r + 1 < opts.rows {
                    pairs.push((north_south[k].0, tile_of(c, r + 1), north_south[k].1));
                }
            }
            for (a, there, b) in pairs {
                links += 1;
                let tags = [("highway".to_string(), "primary".to_string()), ("name".to_string(), format!("Link {links}"))];
                osm.way(link_base + links as i64, &[a + here * ID_STRIDE, b + there * ID_STRIDE], &tags)?;
            }
        }
    }
    // Turn restrictions whose ways are all copied.
    let usable: Vec<_> = town.restrictions.iter().filter(|r| r.members.iter().all(|m| m.kind != MemberKind::Way || street_ids.contains(&m.id))).collect();
    for t in 0..tiles as i64 {
        for rel in &usable {
            let members: Vec<(MemberKind, i64, &str)> = rel.members.iter().map(|m| (m.kind, m.id + t * ID_STRIDE, m.role.as_str())).collect();
            osm.relation(rel.id + t * ID_STRIDE, &members, &rel.tags)?;
        }
    }
    checksum = fnv(checksum, &osm.finish()?.to_le_bytes());

    let prefix = |t: i64| format!("T{:02}-{:02}-", t as usize % opts.columns, t as usize / opts.columns);
    let mut out = Out::create(dir.join(ZONES_FILE))?;
    // The zones' outlines too, moved with their tile, for the study.
    let mut outlines = Out::create(dir.join(ZONE_POLYGONS_FILE))?;
    out.put("zone_id,lon,lat,population\n")?;
    outlines.put("{\"type\":\"FeatureCollection\",\"features\":[\n")?;
    let mut residents = 0u64;
    let zone_copies = spread(tiles * zones.len(), opts.zones);
    for (n, &k) in zone_copies.iter().enumerate() {
        let (t, z) = ((k / zones.len()) as i64, &zones[k % zones.len()]);
        let (lon, lat) = shift(t, &z.point);
        let pop = z.population.round().max(0.0) as u64;
        residents += pop;
        let id = format!("{}{}", prefix(t), z.id);
        out.put(&format!("{},{lon:.7},{lat:.7},{pop}\n", csv_field(&id)))?;
        let rings: Vec<String> = z
            .polygons
            .iter()
            .filter(|r| r.len() >= 3)
            .map(|ring| {
                let mut pts: Vec<String> = ring.iter().map(|p| shift(t, p)).map(|(x, y)| format!("[{x:.7},{y:.7}]")).collect();
                if ring.first() != ring.last() {
                    pts.push(pts[0].clone());
                }
                format!("[[{}]]", pts.join(","))
            })
            .collect();
        let geometry = if rings.is_empty() {
            format!("{{\"type\":\"Point\",\"coordinates\":[{lon:.7},{lat:.7}]}}")
        } else {
            format!("{{\"type\":\"MultiPolygon\",\"coordinates\":[{}]}}", rings.join(","))
        };
        let id_json = serde_json::to_string(&id).unwrap_or_else(|_| "\"\"".into());
        let comma = if n + 1 < zone_copies.len() { "," } else { "" };
        outlines.put(&format!("{{\"type\":\"Feature\",\"properties\":{{\"zone_id\":{id_json},\"population\":{pop}}},\"geometry\":{geometry}}}{comma}\n"))?;
    }
    outlines.put("]}\n")?;
    checksum = fnv(checksum, &out.finish()?.to_le_bytes());
    checksum = fnv(checksum, &outlines.finish()?.to_le_bytes());
    let mut out = Out::create(dir.join(SITES_FILE))?;
    out.put("id,name,kind,status,locality,lon,lat,capacity\n")?;
    let site_copies = spread(tiles * sites.len(), opts.sites);
    for &k in &site_copies {
        let (t, s) = ((k / sites.len()) as i64, &sites[k % sites.len()]);
        {
            let (lon, lat) = shift(t, &s.point);
            out.put(&format!("{}{},{},{},existing,,{lon:.7},{lat:.7},\n", prefix(t), csv_field(&s.id), csv_field(&s.name), csv_field(&s.kind)))?;
        }
    }
    checksum = fnv(checksum, &out.finish()?.to_le_bytes());

    Ok(TiledSummary {
        tiles,
        osm_nodes: nodes.len() * tiles,
        osm_ways: streets.len() * tiles + links,
        restrictions: usable.len() * tiles,
        links,
        zones: zone_copies.len(),
        residents,
        sites: site_copies.len(),
        checksum,
    })
}

/// The town's zones that reach its streets: those within
/// [`DEFAULT_MAX_SNAP_M`](crate::network::snap::DEFAULT_MAX_SNAP_M) of a
/// street of `net`. A town's extract may cover only its centre (Newport's
/// streets leave out 111 of its 475 output areas, rural ones in the east);
/// a county's extract covers every zone, so its copies should too.
pub fn zones_on_streets(zones: &[Zone], net: &crate::network::Network) -> Vec<Zone> {
    zones.iter().filter(|z| net.snap(z.point, crate::network::snap::DEFAULT_MAX_SNAP_M).is_ok()).cloned().collect()
}

/// Writes the study over a county [`generate`] wrote in `dir` (the zones'
/// own outlines, the sites, one service at every tenth site) and returns
/// the scenario's path.
pub fn write_study(dir: &Path) -> Result<std::path::PathBuf> {
    super::county_zones::write_scenario(dir, &dir.join(ZONE_POLYGONS_FILE))
}

/// A CSV field: quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{Period, StreetMode, street_matrix};
    use crate::progress::Progress;
    use crate::region::Region;

    use crate::region::RegionInputs;

    #[test]
    fn newport_copied_two_by_two_is_four_towns_joined_and_the_same_every_time() {
        let Some((osm, town)) = crate::testdata::newport_town() else { return };
        let base = std::env::temp_dir().join(format!("accessplan-tiled-{}", std::process::id()));
        let opts = TiledOptions::all(2, 2);
        let s = generate(&base.join("a"), &osm, &town.zones, &town.sites, &opts).unwrap();
        let again = generate(&base.join("b"), &osm, &town.zones, &town.sites, &opts).unwrap();
        assert_eq!(s, again, "same inputs, same files");
        for f in [PBF_FILE, ZONES_FILE, SITES_FILE] {
            assert_eq!(std::fs::read(base.join("a").join(f)).unwrap(), std::fs::read(base.join("b").join(f)).unwrap(), "{f}");
        }
        assert_eq!(s.tiles, 4);
        assert_eq!(s.zones, 4 * 475);
        assert_eq!(s.sites, 4 * town.sites.len());
        // Two pairs side by side and two one above the other, three roads each.
        assert_eq!(s.links, 12);
        assert_eq!(s.osm_nodes % 4, 0);
        assert!(s.osm_nodes > 4 * 40_000, "{} nodes", s.osm_nodes);

        let county = Region::load(&crate::demo::county::region_inputs(&base.join("a"))).unwrap();
        let (car, newport_car) = (county.network(StreetMode::Car).unwrap(), town.network(StreetMode::Car).unwrap());
        // The zones a county's extract would cover: Newport's 364 within
        // reach of its streets.
        assert_eq!(zones_on_streets(&town.zones, newport_car).len(), 364);
        // One connected network holding all four towns: what Newport's car
        // network keeps, four times, plus the junctions the links made of
        // shape points (at most two per link).
        let kept = car.node_count();
        assert!(kept >= 4 * newport_car.node_count() && kept <= 4 * newport_car.node_count() + 24, "{kept} nodes");
        assert_eq!(county.zones.len(), 4 * 475);
        // The study's zones are the output areas' own outlines, moved.
        write_study(&base.join("a")).unwrap();
        let inputs = RegionInputs { zones: base.join("a").join(ZONE_POLYGONS_FILE), ..crate::demo::county::region_inputs(&base.join("a")) };
        let outlined = Region::load(&inputs).unwrap();
        assert_eq!(outlined.zones.len(), 4 * 475);
        let (z, own) = (&outlined.zones[475 + 10], &town.zones[10]);
        assert_eq!(z.id, format!("T01-00-{}", own.id));
        assert_eq!(z.polygons.len(), own.polygons.len());
        assert!((z.polygons[0][0].lat - own.polygons[0][0].lat).abs() < 1e-6, "moved east, not north");
        assert!(z.polygons[0][0].lon > own.polygons[0][0].lon + 0.2, "moved one tile east");
        assert_eq!(outlined.zones.iter().map(|z| z.population).sum::<f64>(), s.residents as f64);

        // Journeys inside one town (the north-east one) are Newport's own:
        // the links join the towns at their edges, far from most journeys.
        let tile = |t: usize, n: usize| t * n..(t + 1) * n;
        let zones: Vec<_> = county.zones[tile(3, 475)].iter().map(|z| z.point).collect();
        let sites: Vec<_> = county.sites[tile(3, town.sites.len())].iter().map(|s| s.point).collect();
        let copied = street_matrix(car, Period::Offpeak, &zones, &sites, 1000.0, &Progress::new()).unwrap();
        let zp: Vec<_> = town.zones.iter().map(|z| z.point).collect();
        let sp: Vec<_> = town.sites.iter().map(|s| s.point).collect();
        let own = street_matrix(newport_car, Period::Offpeak, &zp, &sp, 1000.0, &Progress::new()).unwrap();
        let pairs = own.time_s.len();
        // A copy one row north has its east-west metres a little shorter
        // (a degree of longitude shrinks northwards): times agree to 0.5 %.
        let close = |a: f32, b: f32| a == b || (a - b).abs() <= 0.005 * a.max(b) + 0.5;
        let same = (0..pairs).filter(|&k| close(own.time_s[k], copied.time_s[k])).count();
        // 9,786 of 9,975: the others start from the few zones whose nearest
        // street lies across water or a railway, which Newport's region
        // knows from its map layers and the copies do not carry.
        assert!(same * 100 >= pairs * 97, "{same} of {pairs} journeys as in Newport");
        std::fs::remove_dir_all(&base).ok();
    }
}
