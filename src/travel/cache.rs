//! Street travel-time columns kept on disk, so that a study opened again, a
//! matrix asked again or a candidate site tried again reads the searches
//! made before instead of making them again: at county scale each column is
//! a one-to-all search of half a second, and a study of 300 sites and four
//! street modes is minutes of them.
//!
//! A column is kept under a key made of everything it depends on, and of
//! nothing else: the network as the searches read it (both turn graphs with
//! their times and lengths, the streets' ends, times and lengths, the turn
//! layout, the walking speed at the doors), the period, every origin's snap
//! and the destination's snap. A change to the OSM file, the profile, the
//! speeds, a zone, a site, or to the code that builds the graphs changes the
//! key, so a stale column is never read and nothing has to be cleared by
//! hand; a site moved by a few metres along the same street gets its own
//! column, one that snaps to the same place is the same column.
//!
//! One file per network, period and set of origins (`*.cols`) holds one
//! column per destination: written whole and atomically, with a checksum,
//! and read whole. The folder is kept under a size limit by removing the
//! files used longest ago. A file that cannot be read is named in the
//! problems and its columns computed again; a cache that cannot be written
//! is named too and the work goes on: the cache only ever saves time.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use bytemuck::cast_slice;
use xxhash_rust::xxh3::{Xxh3, xxh3_64, xxh3_128};

use crate::geom::LonLat;
use crate::network::matrix::{MatrixEngine, snaps, street_matrix_snapped};
use crate::network::snap::{Snap, SnapFailure};
use crate::network::{Network, Period, StreetMatrix, street_matrix};
use crate::progress::{Cancelled, Progress};

/// The file format, and the version of the searches whose columns it
/// holds: part of every key, so a change to either is a new key. Change it
/// whenever the rules of the search change while the graphs it reads stay
/// the same (how ties are broken, how the walks at the doors are timed):
/// the key sees the graphs, not the code that searches them.
const FORMAT: &[u8; 8] = b"APCOLS1\n";

/// The extension of a cache file.
const EXTENSION: &str = "cols";

/// Where street columns are kept, and how much room they may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnCache {
    dir: PathBuf,
    limit_bytes: u64,
}

/// What a computation took from the cache and what it had to compute.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CacheUse {
    /// Columns read from the cache.
    pub read: usize,
    /// Columns computed (and written to it).
    pub computed: usize,
    /// What went wrong with the cache (a file unreadable or not written):
    /// the columns were computed all the same.
    pub problems: Vec<String>,
}

impl CacheUse {
    /// The sum of two uses.
    pub fn add(&mut self, other: CacheUse) {
        self.read += other.read;
        self.computed += other.computed;
        self.problems.extend(other.problems);
    }

    /// How many columns came from the cache, in words ("N columns read
    /// from the cache in DIR, M computed"), for a line on street travel times.
    pub fn summary(&self, cache: &ColumnCache) -> String {
        format!("{} column{} read from the cache in {}, {} computed", self.read, if self.read == 1 { "" } else { "s" }, cache.dir().display(), self.computed)
    }
}

impl ColumnCache {
    /// The room a cache takes by default: 2 GB (a county study of 6,000
    /// zones, 300 sites and four street modes takes about 60 MB).
    pub const DEFAULT_LIMIT_BYTES: u64 = 2 << 30;

    /// A cache in `dir` (made when first written) with the default limit.
    pub fn at(dir: impl Into<PathBuf>) -> ColumnCache {
        ColumnCache { dir: dir.into(), limit_bytes: Self::DEFAULT_LIMIT_BYTES }
    }

    /// The same cache with another size limit, bytes.
    pub fn with_limit(self, limit_bytes: u64) -> ColumnCache {
        ColumnCache { limit_bytes, ..self }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file holding the columns of `net` for `period` from origins
    /// snapped as `origin_snaps`.
    fn file_for(&self, net: &Network, period: Period, origin_snaps: &[Result<Snap, SnapFailure>]) -> PathBuf {
        let mut h = Xxh3::new();
        h.update(FORMAT);
        h.update(&network_key(net).to_le_bytes());
        h.update(period.name().as_bytes());
        h.update(&(origin_snaps.len() as u64).to_le_bytes());
        for s in origin_snaps {
            h.update(format!("{s:?}").as_bytes());
        }
        self.dir.join(format!("{}-{}-{:032x}.{EXTENSION}", net.mode.name(), period.name(), h.digest128()))
    }

    /// Removes the files used longest ago until the folder's cache files
    /// take at most the limit. Returns the problems met.
    fn prune(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION))
            .filter_map(|e| {
                let m = e.metadata().ok()?;
                Some((m.modified().ok()?, m.len(), e.path()))
            })
            .collect();
        let mut total: u64 = files.iter().map(|f| f.1).sum();
        files.sort();
        let mut problems = Vec::new();
        for (_, len, path) in files {
            if total <= self.limit_bytes {
                break;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => total -= len,
                Err(e) => problems.push(format!("{}: could not remove it to keep the cache under its limit: {e}", path.display())),
            }
        }
        problems
    }
}

/// One destination's column: seconds and metres from every origin.
type Column = (Vec<f32>, Vec<f32>);

/// [`street_matrix`] through `cache` when one is given: the destinations
/// whose columns it holds are read, the others searched and added to it.
/// The matrix is the one [`street_matrix`] gives, to the bit.
pub fn street_matrix_cached(
    net: &Network,
    period: Period,
    origins: &[LonLat],
    destinations: &[LonLat],
    max_snap_m: f64,
    progress: &Progress,
    cache: Option<&ColumnCache>,
) -> Result<(StreetMatrix, CacheUse), Cancelled> {
    let Some(cache) = cache else {
        let m = street_matrix(net, period, origins, destinations, max_snap_m, progress)?;
        let computed = m.destination_snaps.iter().filter(|s| s.is_ok()).count();
        return Ok((m, CacheUse { computed, ..CacheUse::default() }));
    };
    let origin_snaps = snaps(net, origins, max_snap_m);
    let destination_snaps = snaps(net, destinations, max_snap_m);
    let file = cache.file_for(net, period, &origin_snaps);
    let mut used = CacheUse::default();
    let n_o = origin_snaps.len();
    let mut held = match read_columns(&file, n_o) {
        Ok(held) => held,
        Err(why) => {
            used.problems.push(format!("{}: {why}; its columns are computed again", file.display()));
            HashMap::new()
        }
    };
    let keys: Vec<Option<u128>> = destination_snaps.iter().map(|s| s.as_ref().ok().map(snap_key)).collect();
    // Each destination not held, once per key (two sites at one place are one search).
    let mut missing: Vec<usize> = Vec::new();
    let mut asked: HashSet<u128> = HashSet::new();
    for (d, k) in keys.iter().enumerate() {
        if let Some(k) = k
            && !held.contains_key(k)
            && asked.insert(*k)
        {
            missing.push(d);
        }
    }
    used.read = keys.iter().flatten().filter(|k| !asked.contains(k)).count();
    if !missing.is_empty() {
        let m = street_matrix_snapped(
            MatrixEngine::for_destinations(missing.len()),
            net,
            period,
            origin_snaps.clone(),
            missing.iter().map(|&d| destination_snaps[d]).collect(),
            progress,
        )?;
        for (j, &d) in missing.iter().enumerate() {
            let column = (0..n_o).map(|o| (m.time_s[o * m.destinations + j], m.length_m[o * m.destinations + j])).unzip();
            if let Some(k) = keys[d] {
                held.insert(k, column);
            }
        }
        used.computed = keys.iter().flatten().filter(|k| asked.contains(k)).count();
    }
    // The destinations not searched still count as done.
    for _ in 0..destinations.len() - missing.len() {
        progress.tick();
    }
    let n_d = destinations.len();
    let mut time_s = vec![f32::INFINITY; n_o * n_d];
    let mut length_m = vec![0.0; n_o * n_d];
    for (d, k) in keys.iter().enumerate() {
        let Some((ts, ls)) = k.and_then(|k| held.get(&k)) else { continue };
        for o in 0..n_o {
            time_s[o * n_d + d] = ts[o];
            length_m[o * n_d + d] = ls[o];
        }
    }
    if !missing.is_empty() {
        if let Err(e) = write_columns(&file, n_o, &held) {
            used.problems.push(format!("could not keep the travel times in the cache: {e}"));
        }
        used.problems.extend(cache.prune());
    } else {
        // Mark the file used, so pruning keeps it longest.
        let _ = std::fs::File::options().append(true).open(&file).and_then(|f| f.set_modified(std::time::SystemTime::now()));
    }
    Ok((StreetMatrix { origins: n_o, destinations: n_d, time_s, length_m, origin_snaps, destination_snaps }, used))
}

/// The key of everything a search on `net` reads: the graph (its reverse is
/// made from it), the streets'
/// ends, times and lengths (seeds and same-street journeys), the turn layout
/// (which states a street's ends are) and the walking speed at the doors.
pub fn network_key(net: &Network) -> u128 {
    let mut h = Xxh3::new();
    h.update(FORMAT);
    h.update(net.mode.name().as_bytes());
    h.update(&net.walk_mps.to_bits().to_le_bytes());
    let csr = &net.forward;
    h.update(&(csr.first.len() as u64).to_le_bytes());
    h.update(cast_slice(&csr.first));
    h.update(cast_slice(&csr.head));
    h.update(cast_slice(&csr.time_ms));
    h.update(cast_slice(&csr.length_m));
    // The streets in batches, so the hash sees long runs.
    let mut buf: Vec<u32> = Vec::with_capacity(4096 * 12);
    for chunk in net.streets.chunks(4096) {
        buf.clear();
        for s in chunk {
            let len = s.length_m.to_bits();
            buf.extend([s.a, s.b, len as u32, (len >> 32) as u32]);
            for t in [s.forward_ms, s.backward_ms] {
                match t {
                    Some(t) => {
                        buf.push(1);
                        buf.extend(t);
                    }
                    None => buf.extend([0; 1 + crate::network::graph::PERIODS]),
                }
            }
        }
        h.update(cast_slice(&buf));
    }
    if let Some(t) = &net.turns {
        h.update(cast_slice(&t.start_state));
        h.update(cast_slice(&t.states_first));
        h.update(cast_slice(&t.states));
    }
    h.digest128()
}

/// The key of a destination's snap.
fn snap_key(s: &Snap) -> u128 {
    xxh3_128(format!("{s:?}").as_bytes())
}

/// Reads the columns of a cache file for `origins` origins: none when there
/// is no file, an error (in words) when it cannot be used.
fn read_columns(path: &Path, origins: usize) -> Result<HashMap<u128, Column>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(format!("could not read it: {e}")),
    };
    if bytes.len() < FORMAT.len() + 16 || &bytes[..FORMAT.len()] != FORMAT {
        return Err("not a cache file of this version of accessplan".into());
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    if xxh3_64(body).to_le_bytes() != sum {
        return Err("its checksum does not match: the file was damaged".into());
    }
    let word = |at: usize| u32::from_le_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]]) as usize;
    let (n_o, n_c) = (word(8), word(12));
    let per_column = 16 + 8 * n_o;
    if n_o != origins || body.len() != 16 + n_c * per_column {
        return Err(format!("it holds {n_c} columns of {n_o} origins in {} bytes, not what this study's {origins} origins need", body.len()));
    }
    let floats = |at: usize| -> Vec<f32> { body[at..at + 4 * n_o].chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect() };
    let mut out = HashMap::with_capacity(n_c);
    for c in 0..n_c {
        let at = 16 + c * per_column;
        let mut key = [0u8; 16];
        key.copy_from_slice(&body[at..at + 16]);
        out.insert(u128::from_le_bytes(key), (floats(at + 16), floats(at + 16 + 4 * n_o)));
    }
    Ok(out)
}

/// Writes `columns` of `origins` origins to `path` atomically (the folder
/// made if missing), sorted by key so the same columns give the same file.
fn write_columns(path: &Path, origins: usize, columns: &HashMap<u128, Column>) -> crate::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| crate::Error::Write { path: dir.to_path_buf(), source })?;
    }
    let mut keys: Vec<&u128> = columns.keys().collect();
    keys.sort();
    let mut out = Vec::with_capacity(16 + keys.len() * (16 + 8 * origins) + 8);
    out.extend_from_slice(FORMAT);
    out.extend_from_slice(&(origins as u32).to_le_bytes());
    out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    for k in keys {
        out.extend_from_slice(&k.to_le_bytes());
        let (ts, ls) = &columns[k];
        for v in ts.iter().chain(ls) {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    let sum = xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    crate::fileio::write_atomic(path, &out, &[])
}
