//! Splitting a study too large for one machine into shards by sites, and
//! merging the shards' matrices back into one.
//!
//! An England-wide matrix (33,755 LSOAs x about 6,500 GP practices) is run as
//! independent tasks. Each shard holds a spatially compact group of sites
//! (consecutive along a Hilbert curve through the sites, so a shard's sites
//! are neighbours) and the zones within a straight-line reach of any of
//! them: a journey longer than the reach in a straight line is longer by
//! road, so a reach above every threshold the study uses loses no pair that
//! matters. Each shard is then an ordinary study of county size: its own
//! `zones.csv` and `sites.csv`, run with `accessplan matrix`, which cuts the
//! street network to the shard's zones as it loads.
//!
//! Every site is in exactly one shard, so each (zone, site) pair appears in
//! at most one shard's matrix; [`merge_matrices`] checks that and joins them.
//! Zones beyond the reach of every site are not dropped in silence: they are
//! listed in the shard plan and written to `zones_beyond_reach.csv`.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::error::{Error, InputError, Location, Result};
use crate::fileio::{write_atomic, write_atomic_with};
use crate::geom::{LonLat, haversine_m};
use crate::model::{Site, SiteStatus, Zone};

/// One shard: indices into the zones and sites it was planned from.
#[derive(Debug, Clone, PartialEq)]
pub struct Shard {
    /// Its sites, in Hilbert order.
    pub sites: Vec<usize>,
    /// The zones within reach of at least one of its sites, in input order.
    pub zones: Vec<usize>,
}

/// How a study was split.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardPlan {
    /// Straight-line reach, km: zones farther than this from every site of a
    /// shard are left out of that shard.
    pub reach_km: f64,
    /// The shards, each with at least one site.
    pub shards: Vec<Shard>,
    /// Zones farther than the reach from every site (in no shard).
    pub beyond_reach: Vec<usize>,
}

impl ShardPlan {
    /// Zone x site pairs the shards compute, in all.
    pub fn pairs(&self) -> usize {
        self.shards.iter().map(|s| s.sites.len() * s.zones.len()).sum()
    }
}

/// Position of a point along a Hilbert curve of `2^order` cells a side over
/// the unit square (`x`, `y` in 0..=1).
fn hilbert_key(x: f64, y: f64, order: u32) -> u64 {
    let n = 1u64 << order;
    let clamp = |v: f64| ((v.clamp(0.0, 1.0) * (n - 1) as f64).round()) as u64;
    let (mut x, mut y) = (clamp(x), clamp(y));
    let mut d = 0u64;
    let mut s = n / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

/// Splits `sites` into `shards` groups of near-equal size, neighbours
/// together, each with the zones within `reach_km` of one of its sites.
/// Refuses no shards, more shards than sites, and a reach that is not a
/// positive number.
pub fn plan_shards(zones: &[Zone], sites: &[Site], shards: usize, reach_km: f64) -> std::result::Result<ShardPlan, String> {
    if sites.is_empty() {
        return Err("there are no sites to split".into());
    }
    if shards == 0 || shards > sites.len() {
        return Err(format!("the number of shards must be between 1 and the number of sites ({}), not {shards}", sites.len()));
    }
    if !(reach_km.is_finite() && reach_km > 0.0) {
        return Err(format!("the reach must be a positive number of kilometres, not {reach_km}"));
    }
    let (mut lo, mut hi) = (LonLat { lon: f64::MAX, lat: f64::MAX }, LonLat { lon: f64::MIN, lat: f64::MIN });
    for s in sites {
        lo = LonLat { lon: lo.lon.min(s.point.lon), lat: lo.lat.min(s.point.lat) };
        hi = LonLat { lon: hi.lon.max(s.point.lon), lat: hi.lat.max(s.point.lat) };
    }
    let span = (hi.lon - lo.lon).max(hi.lat - lo.lat).max(1e-9);
    let mut order: Vec<usize> = (0..sites.len()).collect();
    // Ties (sites in one cell) keep the input order: the split is deterministic.
    order.sort_by_key(|&i| (hilbert_key((sites[i].point.lon - lo.lon) / span, (sites[i].point.lat - lo.lat) / span, 16), i));
    let reach_m = reach_km * 1000.0;
    let mut in_some = vec![false; zones.len()];
    let mut out = Vec::with_capacity(shards);
    for k in 0..shards {
        let group: Vec<usize> = order[k * sites.len() / shards..(k + 1) * sites.len() / shards].to_vec();
        // A box around the group's sites grown by the reach rules most zones
        // out before any distance is computed.
        let (mut blo, mut bhi) = (LonLat { lon: f64::MAX, lat: f64::MAX }, LonLat { lon: f64::MIN, lat: f64::MIN });
        for &i in &group {
            let p = sites[i].point;
            blo = LonLat { lon: blo.lon.min(p.lon), lat: blo.lat.min(p.lat) };
            bhi = LonLat { lon: bhi.lon.max(p.lon), lat: bhi.lat.max(p.lat) };
        }
        let dlat = reach_km / 110.0;
        let coslat = blo.lat.abs().max(bhi.lat.abs()).min(89.0).to_radians().cos();
        let dlon = reach_km / (110.0 * coslat);
        let zs: Vec<usize> = zones
            .iter()
            .enumerate()
            .filter(|(_, z)| {
                let p = z.point;
                p.lon >= blo.lon - dlon
                    && p.lon <= bhi.lon + dlon
                    && p.lat >= blo.lat - dlat
                    && p.lat <= bhi.lat + dlat
                    && group.iter().any(|&s| haversine_m(p, sites[s].point) <= reach_m)
            })
            .map(|(i, _)| i)
            .collect();
        for &z in &zs {
            in_some[z] = true;
        }
        out.push(Shard { sites: group, zones: zs });
    }
    let beyond_reach = (0..zones.len()).filter(|&z| !in_some[z]).collect();
    Ok(ShardPlan { reach_km, shards: out, beyond_reach })
}

/// The folder of shard `k` (0-based) under `dir`: `shard-001`, `shard-002`...
pub fn shard_dir(dir: &Path, k: usize) -> PathBuf {
    dir.join(format!("shard-{:03}", k + 1))
}

/// Writes each shard's `zones.csv` (id, population, lon, lat: the zone's
/// representative point, the one the matrix routes from) and `sites.csv`
/// into its folder, a `shards.csv` plan and, if any, `zones_beyond_reach.csv`.
/// `inputs` are never written over.
pub fn write_shards(dir: &Path, plan: &ShardPlan, zones: &[Zone], sites: &[Site], inputs: &[PathBuf]) -> Result<()> {
    let mkdir = |d: &Path| std::fs::create_dir_all(d).map_err(|source| Error::Write { path: d.to_path_buf(), source });
    mkdir(dir)?;
    let mut summary = csv::Writer::from_writer(Vec::new());
    let _ = summary.write_record(["shard", "folder", "sites", "zones", "pairs", "first_site", "last_site", "west", "south", "east", "north"]);
    for (k, shard) in plan.shards.iter().enumerate() {
        let d = shard_dir(dir, k);
        mkdir(&d)?;
        write_atomic(&d.join("zones.csv"), &zones_csv(shard.zones.iter().map(|&z| &zones[z])), inputs)?;
        write_atomic(&d.join("sites.csv"), &sites_csv(shard.sites.iter().map(|&s| &sites[s])), inputs)?;
        let (first, last) = (shard.sites.first(), shard.sites.last());
        // The extent of the shard's zones (outlines, or points) and sites: the
        // box to cut its street extract to, before the clip margin.
        let mut ext = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        let mut grow = |p: &LonLat| ext = [ext[0].min(p.lon), ext[1].min(p.lat), ext[2].max(p.lon), ext[3].max(p.lat)];
        for &z in &shard.zones {
            grow(&zones[z].point);
            zones[z].polygons.iter().flatten().for_each(&mut grow);
        }
        shard.sites.iter().for_each(|&i| grow(&sites[i].point));
        let _ = summary.write_record([
            (k + 1).to_string(),
            d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            shard.sites.len().to_string(),
            shard.zones.len().to_string(),
            (shard.sites.len() * shard.zones.len()).to_string(),
            first.map(|&s| sites[s].id.clone()).unwrap_or_default(),
            last.map(|&s| sites[s].id.clone()).unwrap_or_default(),
            format!("{:.5}", ext[0]),
            format!("{:.5}", ext[1]),
            format!("{:.5}", ext[2]),
            format!("{:.5}", ext[3]),
        ]);
    }
    write_atomic(&dir.join("shards.csv"), &summary.into_inner().unwrap_or_default(), inputs)?;
    let beyond = dir.join("zones_beyond_reach.csv");
    if plan.beyond_reach.is_empty() {
        // A plan from an earlier split must not leave a stale list behind.
        if beyond.exists() && !inputs.iter().any(|i| i == &beyond) {
            std::fs::remove_file(&beyond).map_err(|source| Error::Write { path: beyond.clone(), source })?;
        }
    } else {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["zone_id", "nearest_site_km"]);
        for &z in &plan.beyond_reach {
            let near = sites.iter().map(|s| haversine_m(zones[z].point, s.point)).fold(f64::INFINITY, f64::min);
            let _ = w.write_record([zones[z].id.clone(), format!("{:.1}", near / 1000.0)]);
        }
        write_atomic(&beyond, &w.into_inner().unwrap_or_default(), inputs)?;
    }
    Ok(())
}

fn zones_csv<'a>(zones: impl Iterator<Item = &'a Zone>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["id", "population", "lon", "lat"]);
    for z in zones {
        let _ = w.write_record([z.id.clone(), z.population.to_string(), z.point.lon.to_string(), z.point.lat.to_string()]);
    }
    w.into_inner().unwrap_or_default()
}

fn sites_csv<'a>(sites: impl Iterator<Item = &'a Site>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["id", "name", "lon", "lat", "kind", "status", "locality", "capacity"]);
    for s in sites {
        let status = match s.status {
            SiteStatus::Existing => "existing",
            SiteStatus::Planned => "planned",
        };
        let _ = w.write_record([
            s.id.clone(),
            s.name.clone(),
            s.point.lon.to_string(),
            s.point.lat.to_string(),
            s.kind.clone(),
            status.to_string(),
            s.locality.clone().unwrap_or_default(),
            s.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// What [`merge_matrices`] joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// Files joined.
    pub files: usize,
    /// Data rows written.
    pub rows: usize,
    /// Distinct sites seen.
    pub sites: usize,
}

/// Joins shard matrices (CSV files from `accessplan matrix` with one header
/// each) into `out`, streaming, so the whole matrix never sits in memory.
/// Every file must have the same header with a `site_id` column, and no site
/// may appear in two files (each site belongs to one shard): otherwise
/// nothing is written and the error names both files and the site.
pub fn merge_matrices(files: &[PathBuf], out: &Path) -> Result<Merged> {
    if files.is_empty() {
        return Err(Error::MissingArgument { flag: "the shard matrices", reason: "there is nothing to merge" });
    }
    crate::fileio::check_writable(out, files)?;
    let open = |p: &Path| std::fs::File::open(p).map(std::io::BufReader::new).map_err(|e| InputError::file(p, format!("cannot be read: {e}")));
    // First pass: headers and the sites in each file, so a clash is found
    // before anything is written.
    let mut header: Option<(String, PathBuf)> = None;
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut site_col = 0;
    for (i, f) in files.iter().enumerate() {
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(open(f)?);
        let h = r.headers().map_err(|e| InputError::at(f, Location::Line(1), None, format!("the header cannot be read: {e}")))?.clone();
        let text = h.iter().collect::<Vec<_>>().join(",");
        match &header {
            None => {
                site_col = h
                    .iter()
                    .position(|c| c == "site_id")
                    .ok_or_else(|| InputError::at(f, Location::Line(1), Some("site_id"), "is missing: this is not a matrix written by `accessplan matrix`"))?;
                header = Some((text, f.clone()));
            }
            Some((first, first_file)) if *first != text => {
                return Err(InputError::at(
                    f,
                    Location::Line(1),
                    None,
                    format!("has the header `{text}`, unlike `{first}` in {}: the shards were not made by the same command", first_file.display()),
                )
                .into());
            }
            Some(_) => {}
        }
        let mut record = csv::StringRecord::new();
        let mut line = 1;
        loop {
            match r.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(InputError::at(f, Location::Line(line + 1), None, format!("cannot be read: {e}")).into()),
            }
            line += 1;
            let Some(site) = record.get(site_col) else {
                return Err(InputError::at(f, Location::Line(line), Some("site_id"), "is missing on this row").into());
            };
            match owner.get(site) {
                Some(&j) if j != i => {
                    return Err(InputError::at(
                        f,
                        Location::Line(line),
                        Some("site_id"),
                        format!("'{site}' is also in {}: each site belongs to one shard, so these files come from different splits", files[j].display()),
                    )
                    .into());
                }
                Some(_) => {}
                None => {
                    owner.insert(site.to_string(), i);
                }
            }
        }
    }
    let mut rows = 0;
    write_atomic_with(out, files, |w| {
        for (i, f) in files.iter().enumerate() {
            let mut lines = open(f).map_err(std::io::Error::other)?.lines();
            let head = lines.next().transpose()?;
            if i == 0
                && let Some(h) = head
            {
                writeln!(w, "{h}")?;
            }
            for l in lines {
                let l = l?;
                if !l.is_empty() {
                    writeln!(w, "{l}")?;
                    rows += 1;
                }
            }
        }
        Ok(())
    })?;
    Ok(Merged { files: files.len(), rows, sites: owner.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(id: &str, lon: f64, lat: f64) -> Zone {
        Zone {
            id: id.into(),
            population: 10.0,
            point: LonLat { lon, lat },
            polygons: Vec::new(),
            locality: None,
            weights: Default::default(),
            categories: Default::default(),
        }
    }

    #[test]
    fn hilbert_keys_visit_every_cell_once() {
        let mut keys: Vec<u64> = (0..16).flat_map(|x| (0..16).map(move |y| hilbert_key(x as f64 / 15.0, y as f64 / 15.0, 4))).collect();
        keys.sort();
        assert_eq!(keys, (0..256).collect::<Vec<_>>());
        // Consecutive keys are neighbouring cells.
        let cell =
            |k: u64| (0..16i32).flat_map(|x| (0..16i32).map(move |y| (x, y))).find(|&(x, y)| hilbert_key(x as f64 / 15.0, y as f64 / 15.0, 4) == k).unwrap();
        for k in 0..255 {
            let ((x0, y0), (x1, y1)) = (cell(k), cell(k + 1));
            assert_eq!((x0 - x1).abs() + (y0 - y1).abs(), 1, "{k}");
        }
    }

    #[test]
    fn a_plan_refuses_what_cannot_be_split() {
        let z = [zone("a", 0.0, 51.0)];
        assert!(plan_shards(&z, &[], 1, 10.0).unwrap_err().contains("no sites"));
        let s = Site::from_input("s".into(), "S".into(), LonLat { lon: 0.0, lat: 51.0 }, "clinic".into());
        assert!(plan_shards(&z, std::slice::from_ref(&s), 2, 10.0).unwrap_err().contains("between 1 and the number of sites (1)"));
        assert!(plan_shards(&z, std::slice::from_ref(&s), 1, f64::NAN).unwrap_err().contains("positive"));
        assert!(plan_shards(&z, std::slice::from_ref(&s), 1, -5.0).unwrap_err().contains("positive"));
    }
}
