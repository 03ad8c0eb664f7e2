//! A mutation fuzzer on stable Rust for every reader of the engine: it owns
//! the seeds (the real inputs in `../shared/data` and the demo's files),
//! the mutations (byte-level and aware of CSV, JSON, TOML, XML and GTFS
//! structure), the targets (one per loader, each calling the engine as the
//! program does) and the run loop: each run in a worker thread under
//! `catch_unwind`, with a time budget (over it is a hang), and a check that
//! the mutated input files are unchanged afterwards. `examples/fuzz.rs` runs
//! it for minutes; `tests/fuzz_smoke.rs` runs a few hundred fixed-seed runs.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::Rng;
use crate::input::crs::CrsChoice;

/// What one run came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The loader accepted the input.
    Ok,
    /// The loader refused it with a message.
    Error(String),
    /// The loader panicked (the message and where).
    Panic(String),
    /// The loader ran past the time budget.
    Hang,
    /// The loader changed one of its input files.
    InputChanged(String),
}

/// The file format a seed is in, which decides its structure-aware mutations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated table.
    Csv,
    /// GeoJSON or other JSON.
    Json,
    /// TOML (scenarios, profile, services).
    Toml,
    /// OSM XML.
    Xml,
    /// Binary (OSM PBF): byte mutations only.
    Binary,
    /// A GTFS zip: one file inside it is mutated.
    GtfsZip,
    /// A GTFS folder: one file inside it is mutated.
    GtfsFolder,
}

/// Reads a mutated file at the given path; `Err` is a clean refusal.
pub type Loader = Arc<dyn Fn(&Path) -> Result<(), String> + Send + Sync>;

/// A loader under test and the seeds it reads.
#[derive(Clone)]
pub struct Target {
    /// Short name for the summary.
    pub name: &'static str,
    /// The seed file (or folder) mutated for each run.
    pub seed: PathBuf,
    /// Its format.
    pub format: Format,
    /// File name the mutated copy gets (the extension matters to the readers).
    pub file_name: String,
    /// Reads the mutated file at the given path; `Err` is a clean refusal.
    pub run: Loader,
    /// Relative weight in the random choice of target (slow loaders less).
    pub weight: u32,
}

/// The counts of one target.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Accepted.
    pub ok: usize,
    /// Refused with a message.
    pub error: usize,
    /// Refused with a message naming the mutated file.
    pub error_naming_file: usize,
    /// Panicked.
    pub panic: usize,
    /// Over the time budget.
    pub hang: usize,
    /// Changed an input.
    pub input_changed: usize,
}

/// A run that panicked, hung or changed an input.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The target.
    pub target: &'static str,
    /// The run number.
    pub run: usize,
    /// What happened.
    pub outcome: Outcome,
    /// Where the input was saved (when an out folder was given).
    pub saved: Option<PathBuf>,
}

/// Options of a fuzzing session.
#[derive(Debug, Clone)]
pub struct Options {
    /// Seed of the random choices (same seed, same runs).
    pub seed: u64,
    /// Stop after this many runs...
    pub max_runs: Option<usize>,
    /// ...or after this long.
    pub max_time: Option<Duration>,
    /// A run longer than this is a hang.
    pub run_budget: Duration,
    /// Only targets whose name contains this.
    pub only: Option<String>,
    /// Where crashing or hanging inputs are saved.
    pub out: Option<PathBuf>,
    /// Folder the mutated inputs are written to.
    pub work: PathBuf,
}

/// What a session found.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Runs made.
    pub runs: usize,
    /// Wall time taken, seconds.
    pub elapsed_s: f64,
    /// Counts per target.
    pub per_target: BTreeMap<&'static str, Counts>,
    /// Panics, hangs and changed inputs.
    pub findings: Vec<Finding>,
}

impl Summary {
    /// Whether any run panicked, hung or changed an input.
    pub fn failed(&self) -> bool {
        !self.findings.is_empty()
    }

    /// The summary as a table, one line per target.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{} runs in {:.1} s ({:.1} runs/s)\n{:<16} {:>6} {:>6} {:>8} {:>6} {:>5} {:>8}\n",
            self.runs,
            self.elapsed_s,
            self.runs as f64 / self.elapsed_s.max(1e-9),
            "target",
            "ok",
            "error",
            "(named)",
            "panic",
            "hang",
            "changed"
        );
        for (t, c) in &self.per_target {
            s.push_str(&format!("{:<16} {:>6} {:>6} {:>8} {:>6} {:>5} {:>8}\n", t, c.ok, c.error, c.error_naming_file, c.panic, c.hang, c.input_changed));
        }
        for f in &self.findings {
            s.push_str(&format!(
                "FOUND {} run {}: {:?}{}\n",
                f.target,
                f.run,
                f.outcome,
                f.saved.as_ref().map(|p| format!(" (saved {})", p.display())).unwrap_or_default()
            ));
        }
        s
    }
}

// ---------------------------------------------------------------- panics

fn panic_messages() -> &'static Mutex<BTreeMap<String, String>> {
    static M: OnceLock<Mutex<BTreeMap<String, String>>> = OnceLock::new();
    M.get_or_init(|| Mutex::new(BTreeMap::new()))
}

/// Installs (once) a panic hook that keeps the message and place of a
/// panic in a `fuzz-*` worker thread instead of printing it; other threads
/// keep the usual hook.
fn install_hook() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let name = std::thread::current().name().unwrap_or("").to_string();
            if name.starts_with("fuzz-") {
                let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                if let Ok(mut m) = panic_messages().lock() {
                    m.insert(name, format!("{msg}{place}"));
                }
            } else {
                previous(info);
            }
        }));
    });
}

// ---------------------------------------------------------------- mutations

const INTERESTING: &[&str] = &[
    "0",
    "-1",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "-1e309",
    "4294967295",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "",
    " ",
    "\"",
    "'",
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\u{0}",
    "\u{feff}",
    "é",
    "25:61:00",
    "20:61:00",
    "99:99:99",
    "4294967295:00:00",
    "-01:00:00",
    "20231305",
    "00000000",
    "99999999",
    "1e-300",
    "0.0000001",
    "180.1",
    "-91",
    "999999999999",
    "true",
    "null",
    "[]",
    "{}",
    "[[1,2]]",
    "[0,0]",
    "x",
];

fn pick<'a>(rng: &mut Rng, items: &'a [&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

/// One byte-level mutation of `data` (bit flip, byte insert, delete or
/// duplicate, an interesting value written in, a chunk spliced from
/// `other`, or truncation).
pub fn mutate_bytes(data: &mut Vec<u8>, other: &[u8], rng: &mut Rng) {
    if data.is_empty() {
        data.extend_from_slice(pick(rng, INTERESTING).as_bytes());
        return;
    }
    let at = rng.below(data.len());
    match rng.below(8) {
        0 => data[at] ^= 1 << rng.below(8),
        1 => data.insert(at, rng.below(256) as u8),
        2 => {
            let n = rng.range(1, 16.min(data.len() - at));
            data.drain(at..at + n);
        }
        3 => {
            let n = rng.range(1, 64.min(data.len() - at));
            let chunk = data[at..at + n].to_vec();
            let to = rng.below(data.len());
            data.splice(to..to, chunk);
        }
        4 => {
            let v = pick(rng, INTERESTING).as_bytes().to_vec();
            let n = v.len().min(data.len() - at);
            data.splice(at..at + n, v);
        }
        5 if !other.is_empty() => {
            let from = rng.below(other.len());
            let n = rng.range(1, 256.min(other.len() - from));
            data.splice(at..at, other[from..from + n].iter().copied());
        }
        6 => data.truncate(at),
        _ => {
            let v = [0u8, 0xff, 0x7f, 0x80][rng.below(4)];
            data[at] = v;
        }
    }
}

/// Numbers, strings and quoted values in text: spans a structure-aware
/// mutation replaces.
fn token_spans(text: &str, numbers: bool) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if numbers && (b[i].is_ascii_digit() || (b[i] == b'-' && i + 1 < b.len() && b[i + 1].is_ascii_digit())) {
            let s = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b'e' || b[i] == b'E' || b[i] == b'-' || b[i] == b':') {
                i += 1;
            }
            spans.push((s, i));
        } else if b[i] == b'"' {
            let s = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += 1;
            }
            i = (i + 1).min(b.len());
            spans.push((s, i));
        } else {
            i += 1;
        }
    }
    spans
}

fn lines(text: &str) -> Vec<String> {
    text.split('\n').map(str::to_string).collect()
}

fn mutate_csv(text: &str, rng: &mut Rng) -> String {
    let mut rows = lines(text);
    if rows.is_empty() {
        return text.to_string();
    }
    let r = rng.below(rows.len());
    match rng.below(9) {
        // A field swapped, emptied or garbled.
        0..=2 => {
            let mut fields: Vec<String> = rows[r].split(',').map(str::to_string).collect();
            let f = rng.below(fields.len());
            fields[f] = match rng.below(4) {
                0 => String::new(),
                1 => pick(rng, INTERESTING).to_string(),
                2 => fields[rng.below(fields.len())].clone(),
                _ => format!("\"{}", fields[f]),
            };
            rows[r] = fields.join(",");
        }
        // A column dropped or duplicated in every row (or only the header).
        3 | 4 => {
            let col = rng.below(rows[0].split(',').count().max(1));
            let dup = rng.chance(0.5);
            let only_header = rng.chance(0.3);
            for (i, row) in rows.iter_mut().enumerate() {
                if only_header && i > 0 {
                    break;
                }
                let mut fields: Vec<String> = row.split(',').map(str::to_string).collect();
                if col < fields.len() {
                    if dup {
                        let v = fields[col].clone();
                        fields.insert(col, v);
                    } else {
                        fields.remove(col);
                    }
                }
                *row = fields.join(",");
            }
        }
        // A row dropped or duplicated.
        5 => {
            rows.remove(r);
        }
        6 => {
            let v = rows[r].clone();
            rows.insert(rng.below(rows.len() + 1), v);
        }
        // The delimiter changed.
        7 => {
            let d = [";", "\t", "|", " "][rng.below(4)];
            return rows.join("\n").replace(',', d);
        }
        _ => return mutate_text_values(text, rng, true),
    }
    rows.join("\n")
}

fn mutate_text_values(text: &str, rng: &mut Rng, numbers: bool) -> String {
    let spans = token_spans(text, numbers);
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = text.to_string();
    for _ in 0..rng.range(1, 3) {
        let (s, e) = spans[rng.below(spans.len())];
        if e > out.len() || !out.is_char_boundary(s) || !out.is_char_boundary(e) {
            continue;
        }
        let v = pick(rng, INTERESTING).to_string();
        let quoted = out[s..e].starts_with('"');
        let v = if quoted && rng.chance(0.5) { format!("\"{v}\"") } else { v };
        out.replace_range(s..e, &v);
        break;
    }
    out
}

fn mutate_json(text: &str, rng: &mut Rng) -> String {
    match rng.below(6) {
        0 | 1 => mutate_text_values(text, rng, true),
        // A coordinate array replaced.
        2 => {
            let starts: Vec<usize> = text.match_indices("[[").map(|(i, _)| i).collect();
            if starts.is_empty() {
                return mutate_text_values(text, rng, true);
            }
            let s = starts[rng.below(starts.len())];
            let e = text[s..].find("]]").map(|i| s + i + 2).unwrap_or(text.len());
            let v = ["[]", "[[]]", "[[0,0]]", "[[1e309,0],[0,0]]", "[[0,0],[1,1],[1,0],[0,1],[0,0]]", "[[\"a\",\"b\"]]", "null", "[[[[[[1]]]]]]"][rng.below(8)];
            format!("{}{}{}", &text[..s], v, &text[e..])
        }
        // A key deleted (its name blanked or its pair cut).
        3 => {
            let keys: Vec<usize> = text.match_indices("\":").map(|(i, _)| i).collect();
            if keys.is_empty() {
                return text.to_string();
            }
            let k = keys[rng.below(keys.len())];
            let s = text[..k].rfind('"').unwrap_or(k);
            let new = ["\"_gone", "\"type", "\"properties", "\"geometry", "\"features"][rng.below(5)];
            format!("{}{}{}", &text[..s], new, &text[k..])
        }
        // A value nested.
        4 => {
            let spans = token_spans(text, true);
            if spans.is_empty() {
                return text.to_string();
            }
            let (s, e) = spans[rng.below(spans.len())];
            format!("{}[{{\"x\":{}}}]{}", &text[..s], &text[s..e], &text[e..])
        }
        _ => {
            // An empty collection or a feature duplicated.
            if rng.chance(0.5)
                && let Some(i) = text.find("\"features\"")
            {
                return format!("{}\"features\":[]}}", &text[..i]);
            }
            let feats: Vec<usize> = text.match_indices("{\"type\":\"Feature\"").map(|(i, _)| i).collect();
            if let Some(&s) = feats.get(rng.below(feats.len().max(1))) {
                let e = text[s + 1..].find("{\"type\":\"Feature\"").map(|i| s + 1 + i).unwrap_or(text.len());
                return format!("{}{}{}", &text[..e], &text[s..e], &text[e..]);
            }
            text.to_string()
        }
    }
}

fn mutate_toml(text: &str, rng: &mut Rng) -> String {
    let mut rows = lines(text);
    let keyed: Vec<usize> = rows.iter().enumerate().filter(|(_, l)| l.contains(" = ")).map(|(i, _)| i).collect();
    let tables: Vec<usize> = rows.iter().enumerate().filter(|(_, l)| l.starts_with('[')).map(|(i, _)| i).collect();
    match rng.below(6) {
        // A value's type changed.
        0 | 1 if !keyed.is_empty() => {
            let r = keyed[rng.below(keyed.len())];
            let key = rows[r].split(" = ").next().unwrap_or("").to_string();
            let v =
                ["\"one\"", "-5", "nan", "inf", "1e309", "true", "[]", "[[\"a\", \"a\"]]", "{}", "\"13/06/2023\"", "\"\"", "0", "99999999999", "[1, \"x\"]"]
                    [rng.below(14)];
            rows[r] = format!("{key} = {v}");
        }
        // A key duplicated.
        2 if !keyed.is_empty() => {
            let r = keyed[rng.below(keyed.len())];
            let v = rows[r].clone();
            rows.insert(r + 1, v);
        }
        // A table removed (up to the next one) or duplicated.
        3 if !tables.is_empty() => {
            let t = rng.below(tables.len());
            let s = tables[t];
            let e = tables.get(t + 1).copied().unwrap_or(rows.len());
            if rng.chance(0.5) {
                rows.drain(s..e);
            } else {
                let copy: Vec<String> = rows[s..e].to_vec();
                rows.splice(e..e, copy);
            }
        }
        4 => return mutate_text_values(text, rng, true),
        _ => {
            if !rows.is_empty() {
                let r = rng.below(rows.len());
                rows.remove(r);
            }
        }
    }
    rows.join("\n")
}

fn mutate_xml(text: &str, rng: &mut Rng) -> String {
    match rng.below(5) {
        // Cut after a closing tag (an interrupted download).
        0 => {
            let ends: Vec<usize> = text.match_indices("</way>").map(|(i, _)| i + 6).chain(text.match_indices("/>").map(|(i, _)| i + 2)).collect();
            match ends.get(rng.below(ends.len().max(1))) {
                Some(&e) => text[..e].to_string(),
                None => text.to_string(),
            }
        }
        // An attribute dropped.
        1 => {
            let attrs: Vec<usize> = text.match_indices("=\"").map(|(i, _)| i).collect();
            let Some(&a) = attrs.get(rng.below(attrs.len().max(1))) else { return text.to_string() };
            let s = text[..a].rfind(' ').unwrap_or(a);
            let e = text[a + 2..].find('"').map(|i| a + 3 + i).unwrap_or(text.len());
            format!("{}{}", &text[..s], &text[e..])
        }
        // An element left unclosed.
        2 => {
            let ends: Vec<usize> = text.match_indices("\"/>").map(|(i, _)| i + 1).collect();
            let Some(&e) = ends.get(rng.below(ends.len().max(1))) else { return text.to_string() };
            format!("{}{}", &text[..e], &text[e + 2..])
        }
        3 => {
            let rows = lines(text);
            let r = rng.below(rows.len());
            let mut rows = rows;
            let v = rows[r].clone();
            rows.insert(r, v);
            rows.join("\n")
        }
        _ => mutate_text_values(text, rng, true),
    }
}

/// One structure-aware mutation of a text seed in `format` (falls back to
/// bytes for binary seeds and text that is not UTF-8).
pub fn mutate_structured(data: &[u8], format: Format, rng: &mut Rng) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(data) else {
        let mut d = data.to_vec();
        mutate_bytes(&mut d, &[], rng);
        return d;
    };
    let out = match format {
        Format::Csv | Format::GtfsZip | Format::GtfsFolder => mutate_csv(text, rng),
        Format::Json => mutate_json(text, rng),
        Format::Toml => mutate_toml(text, rng),
        Format::Xml => mutate_xml(text, rng),
        Format::Binary => {
            let mut d = data.to_vec();
            mutate_bytes(&mut d, &[], rng);
            return d;
        }
    };
    out.into_bytes()
}

/// Mutates `data`: one to three mutations, structure-aware or byte-level.
pub fn mutate(data: &[u8], format: Format, other: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut d = data.to_vec();
    for _ in 0..rng.range(1, 3) {
        if format != Format::Binary && rng.chance(0.6) {
            d = mutate_structured(&d, format, rng);
        } else {
            mutate_bytes(&mut d, other, rng);
        }
    }
    d
}

// ---------------------------------------------------------------- GTFS

fn read_zip(path: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut z = zip::ZipArchive::new(f).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut b = Vec::new();
        e.read_to_end(&mut b).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push((e.name().to_string(), b));
    }
    Ok(out)
}

fn write_zip(path: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let f = std::fs::File::create(path)?;
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, b) in files {
        z.start_file(name.as_str(), opts).map_err(std::io::Error::other)?;
        z.write_all(b)?;
    }
    z.finish().map_err(std::io::Error::other)?;
    Ok(())
}

/// GTFS times in stop_times-like text pushed past the clock.
fn mutate_gtfs_file(name: &str, data: &[u8], rng: &mut Rng) -> Vec<u8> {
    if name.ends_with("stop_times.txt")
        && rng.chance(0.3)
        && let Ok(text) = std::str::from_utf8(data)
    {
        let spans: Vec<usize> = text.match_indices(':').map(|(i, _)| i).collect();
        if let Some(&c) = spans.get(rng.below(spans.len().max(1))) {
            let s = text[..c].rfind(',').map(|i| i + 1).unwrap_or(c);
            let e = text[c..].find(',').map(|i| c + i).unwrap_or(text.len());
            let v = pick(rng, &["25:61:00", "20:61:00", "4294967295:00:00", "-1:00:00", "24:00:60", "", "7:5", "99:99:99", "00:00:00"]);
            return format!("{}{}{}", &text[..s], v, &text[e..]).into_bytes();
        }
    }
    mutate(data, Format::Csv, &[], rng)
}

// ---------------------------------------------------------------- runs

fn hash_tree(path: &Path) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    if path.is_dir() {
        let mut names: Vec<PathBuf> = std::fs::read_dir(path).map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
        names.sort();
        for n in names {
            n.hash(&mut h);
            std::fs::read(&n).unwrap_or_default().hash(&mut h);
        }
    } else {
        std::fs::read(path).unwrap_or_default().hash(&mut h);
    }
    h.finish()
}

/// Writes the mutated input of one run for `t` at `dir/t.file_name`.
/// `Err` when the seed cannot be read or the folder written (an
/// environment fault, not a finding).
pub fn write_mutant(t: &Target, dir: &Path, rng: &mut Rng, other: &[u8]) -> std::io::Result<PathBuf> {
    let dest = dir.join(&t.file_name);
    if dest.is_dir() {
        std::fs::remove_dir_all(&dest)?;
    }
    match t.format {
        Format::GtfsZip => {
            let files = read_zip(&t.seed).map_err(std::io::Error::other)?;
            let mut files = files;
            if !files.is_empty() && rng.chance(0.85) {
                let i = rng.below(files.len());
                let (name, b) = &files[i];
                let m = mutate_gtfs_file(name, b, rng);
                files[i].1 = m;
                write_zip(&dest, &files)?;
            } else {
                // The zip itself mutated, or a file left out of it.
                if rng.chance(0.5) && !files.is_empty() {
                    let i = rng.below(files.len());
                    files.remove(i);
                    write_zip(&dest, &files)?;
                } else {
                    let b = std::fs::read(&t.seed)?;
                    std::fs::write(&dest, mutate(&b, Format::Binary, other, rng))?;
                }
            }
        }
        Format::GtfsFolder => {
            std::fs::create_dir_all(&dest)?;
            let mut names: Vec<PathBuf> = std::fs::read_dir(&t.seed)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
            names.sort();
            let victim = rng.below(names.len().max(1));
            let drop = rng.chance(0.1);
            for (i, n) in names.iter().enumerate() {
                let Some(file) = n.file_name() else { continue };
                let b = std::fs::read(n)?;
                if i == victim {
                    if drop {
                        continue;
                    }
                    let m = mutate_gtfs_file(&file.to_string_lossy(), &b, rng);
                    std::fs::write(dest.join(file), m)?;
                } else {
                    std::fs::write(dest.join(file), b)?;
                }
            }
        }
        f => {
            let b = std::fs::read(&t.seed)?;
            std::fs::write(&dest, mutate(&b, f, other, rng))?;
        }
    }
    Ok(dest)
}

/// Runs `t.run` on `path` in a worker thread under `catch_unwind`, waiting
/// at most `budget`; a run still going then is a hang (its thread is left
/// to finish on its own).
pub fn run_one(t: &Target, path: &Path, budget: Duration) -> Outcome {
    install_hook();
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!("fuzz-{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let (tx, rx) = std::sync::mpsc::channel();
    let run = t.run.clone();
    let p = path.to_path_buf();
    let before = hash_tree(path);
    let thread_name = name.clone();
    let spawned = std::thread::Builder::new().name(name).stack_size(64 << 20).spawn(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&p)));
        let _ = tx.send(r);
    });
    if let Err(e) = spawned {
        return Outcome::Error(format!("harness: no thread: {e}"));
    }
    let outcome = match rx.recv_timeout(budget) {
        Ok(Ok(Ok(()))) => Outcome::Ok,
        Ok(Ok(Err(e))) => Outcome::Error(e),
        Ok(Err(_)) => {
            let msg = panic_messages().lock().ok().and_then(|mut m| m.remove(&thread_name)).unwrap_or_else(|| "panic".into());
            Outcome::Panic(msg)
        }
        Err(_) => return Outcome::Hang,
    };
    if hash_tree(path) != before {
        return Outcome::InputChanged(format!("{} changed by the loader", path.display()));
    }
    outcome
}

fn save_finding(out: &Path, t: &Target, run: usize, path: &Path, outcome: &Outcome) -> Option<PathBuf> {
    let dir = out.join(format!("{}-{run}", t.name));
    std::fs::create_dir_all(&dir).ok()?;
    let dest = dir.join(&t.file_name);
    if path.is_dir() {
        std::fs::create_dir_all(&dest).ok()?;
        for e in std::fs::read_dir(path).ok()?.flatten() {
            std::fs::copy(e.path(), dest.join(e.file_name())).ok()?;
        }
    } else {
        std::fs::copy(path, &dest).ok()?;
    }
    std::fs::write(dir.join("outcome.txt"), format!("target {}\nrun {run}\n{outcome:?}\n", t.name)).ok()?;
    Some(dir)
}

/// Runs a fuzzing session over `targets` (see [`Options`]).
pub fn fuzz(targets: &[Target], opts: &Options) -> std::io::Result<Summary> {
    let targets: Vec<&Target> = targets.iter().filter(|t| opts.only.as_deref().is_none_or(|o| t.name.contains(o))).collect();
    let mut summary = Summary::default();
    if targets.is_empty() {
        return Ok(summary);
    }
    for t in &targets {
        summary.per_target.entry(t.name).or_default();
    }
    std::fs::create_dir_all(&opts.work)?;
    let mut rng = Rng::new(opts.seed);
    let total: u32 = targets.iter().map(|t| t.weight).sum();
    // Chunks spliced into a seed come from the seeds of the other text targets.
    let mut donors: Vec<Vec<u8>> = Vec::new();
    for t in &targets {
        if matches!(t.format, Format::Csv | Format::Json | Format::Toml) {
            let mut b = std::fs::read(&t.seed)?;
            b.truncate(4096);
            donors.push(b);
        }
    }
    let start = Instant::now();
    let mut run = 0usize;
    loop {
        if opts.max_runs.is_some_and(|n| run >= n) || opts.max_time.is_some_and(|d| start.elapsed() >= d) {
            break;
        }
        let mut pick_w = (rng.next_u64() % u64::from(total.max(1))) as u32;
        let mut t = targets[0];
        for c in &targets {
            if pick_w < c.weight {
                t = c;
                break;
            }
            pick_w -= c.weight;
        }
        let other = donors.get(rng.below(donors.len().max(1))).cloned().unwrap_or_default();
        // Each run gets its own folder: a hung run's thread may still be reading the last one.
        let dir = opts.work.join(format!("run-{run}"));
        std::fs::create_dir_all(&dir)?;
        let path = write_mutant(t, &dir, &mut rng, &other)?;
        let outcome = run_one(t, &path, opts.run_budget);
        let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let c = summary.per_target.entry(t.name).or_default();
        match &outcome {
            Outcome::Ok => c.ok += 1,
            Outcome::Error(m) => {
                c.error += 1;
                if m.contains(&file_name) {
                    c.error_naming_file += 1;
                }
            }
            Outcome::Panic(_) => c.panic += 1,
            Outcome::Hang => c.hang += 1,
            Outcome::InputChanged(_) => c.input_changed += 1,
        }
        if matches!(outcome, Outcome::Panic(_) | Outcome::Hang | Outcome::InputChanged(_)) {
            let saved = opts.out.as_deref().and_then(|o| save_finding(o, t, run, &path, &outcome));
            summary.findings.push(Finding { target: t.name, run, outcome: outcome.clone(), saved });
        }
        if outcome != Outcome::Hang {
            let _ = std::fs::remove_dir_all(&dir);
        }
        run += 1;
    }
    summary.runs = run;
    summary.elapsed_s = start.elapsed().as_secs_f64();
    Ok(summary)
}

// ---------------------------------------------------------------- targets

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn target(
    name: &'static str,
    seed: PathBuf,
    format: Format,
    file_name: &str,
    weight: u32,
    run: impl Fn(&Path) -> Result<(), String> + Send + Sync + 'static,
) -> Target {
    Target { name, seed, format, file_name: file_name.to_string(), run: Arc::new(run), weight }
}

/// The demo's scenario with absolute input paths and no street network or
/// timetable (so a whole study opens in well under a second), written to
/// `dir/study.toml`.
fn tiny_study(root: &Path, dir: &Path) -> std::io::Result<PathBuf> {
    let text = std::fs::read_to_string(root.join("datasets/demo/scenarios/hlc-model.toml"))?;
    let text: String = text.lines().filter(|l| !l.starts_with("osm = ") && !l.starts_with("gtfs = ")).map(|l| format!("{l}\n")).collect();
    let text = text.replace("\"../../../", &format!("\"{}/", root.display())).replace("\"../", &format!("\"{}/datasets/demo/", root.display()));
    std::fs::create_dir_all(dir)?;
    let p = dir.join("study.toml");
    std::fs::write(&p, text)?;
    Ok(p)
}

/// Every target: each loader of the engine on its real seeds. Seeds under
/// `../shared/data` are left out when that folder is missing. `work` holds
/// the files the targets share (the tiny study).
pub fn targets(work: &Path) -> std::io::Result<Vec<Target>> {
    use crate::input;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = super::shared_data_dir();
    let data = |rel: &str| shared.as_ref().map(|d| d.join(rel)).filter(|p| p.exists());
    let mut t = Vec::new();

    // Zones: the demo's and Newport's and Medway's output areas.
    let demo_zones = root.join("maps/demo/zones.geojson");
    t.push(target("zones-demo", demo_zones.clone(), Format::Json, "zones.geojson", 6, |p| {
        let opts = input::zones::ZoneOptions {
            population_field: Some("population".into()),
            locality_field: Some("locality".into()),
            ..input::zones::ZoneOptions::new("zone_id")
        };
        input::zones::load_zones(p, &opts).map(|_| ()).map_err(err)
    }));
    for (name, rel) in [("zones-newport", "newport/boundaries/lsoa.geojson"), ("zones-medway", "medway/boundaries/msoa.geojson")] {
        if let Some(seed) = data(rel) {
            let id = if rel.contains("lsoa") { "LSOA11CD" } else { "MSOA11CD" };
            t.push(target(name, seed, Format::Json, "areas.geojson", 4, move |p| {
                input::zones::load_zones(p, &input::zones::ZoneOptions::new(id)).map(|_| ()).map_err(err)
            }));
        }
    }
    // Localities: polygons, and wards grouped by a CSV.
    t.push(target("localities", root.join("maps/demo/localities.geojson"), Format::Json, "localities.geojson", 6, |p| {
        input::localities::load_localities(p, "name", CrsChoice::Auto).map(|_| ()).map_err(err)
    }));
    if let (Some(wards), Some(grouping)) = (data("medway/boundaries/wards.geojson"), data("medway/localities.csv")) {
        let w = wards.clone();
        let g = grouping.clone();
        t.push(target("locality-groups", grouping, Format::Csv, "localities.csv", 5, move |p| {
            input::localities::group_localities(&w, "WD13CD", p, CrsChoice::Auto).map(|_| ()).map_err(err)
        }));
        t.push(target("wards", wards, Format::Json, "wards.geojson", 3, move |p| {
            input::localities::group_localities(p, "WD13CD", &g, CrsChoice::Auto).map(|_| ()).map_err(err)
        }));
    }
    // Sites: the demo's, Medway's, and GP practices (by coordinates or postcode).
    t.push(target("sites-demo", root.join("datasets/demo/sites.csv"), Format::Csv, "sites.csv", 6, |p| {
        input::sites::load_sites(p, CrsChoice::Auto).map(|_| ()).map_err(err)
    }));
    for (name, rel) in [("sites-medway", "medway/nhs_clinics.csv"), ("sites-gp", "newport/gp_practices.csv")] {
        if let Some(seed) = data(rel) {
            t.push(target(name, seed, Format::Csv, "sites.csv", 5, |p| input::sites::load_sites(p, CrsChoice::Auto).map(|_| ()).map_err(err)));
        }
    }
    // Postcodes (a cut of the lookup: the whole is 1.2 MB), and sites placed by them.
    if let Some(pc) = data("newport/postcodes_NP.csv") {
        let cut = work.join("seeds/postcodes.csv");
        std::fs::create_dir_all(work.join("seeds"))?;
        let text = std::fs::read_to_string(&pc)?;
        std::fs::write(&cut, text.lines().take(400).map(|l| format!("{l}\n")).collect::<String>())?;
        t.push(target("postcodes", cut, Format::Csv, "postcodes.csv", 5, |p| input::postcodes::PostcodeLookup::load(p).map(|_| ()).map_err(err)));
        if let Some(gp) = data("newport/gp_practices.csv") {
            let lookup = input::postcodes::PostcodeLookup::load(&pc).map_err(std::io::Error::other)?;
            let lookup = Arc::new(lookup);
            t.push(target("sites-postcode", gp, Format::Csv, "gp.csv", 4, move |p| {
                // Without coordinates: only the postcode places each practice.
                input::sites::load_sites_by_postcode(p, CrsChoice::Auto, Some(&lookup)).map(|_| ()).map_err(err)
            }));
        }
    }
    // Census and attribute joins onto Newport's output areas and LSOAs.
    if let (Some(oa), Some(lsoa)) = (data("newport/boundaries/oa.geojson"), data("newport/boundaries/lsoa.geojson")) {
        let oa_zones = Arc::new(input::zones::load_zones(&oa, &input::zones::ZoneOptions::new("OA11CD")).map_err(std::io::Error::other)?.0);
        let lsoa_zones = Arc::new(input::zones::load_zones(&lsoa, &input::zones::ZoneOptions::new("LSOA11CD")).map_err(std::io::Error::other)?.0);
        let joins: [(&'static str, &str, bool, bool); 4] = [
            ("census-oa", "newport/population/oa11_usual_residents_2011.csv", true, true),
            ("census-lsoa", "newport/population/lsoa11_usual_residents_2021.csv", false, true),
            ("attributes-wimd", "newport/deprivation/wimd2019_lsoa11.csv", false, false),
            ("attributes-cars", "newport/car_availability_msoa11_2011.csv", true, false),
        ];
        for (name, rel, on_oa, population) in joins {
            let Some(seed) = data(rel) else { continue };
            let zones = if on_oa { oa_zones.clone() } else { lsoa_zones.clone() };
            let msoa = data("newport/boundaries/msoa.geojson");
            t.push(target(name, seed, Format::Csv, "table.csv", 4, move |p| {
                let mut z = (*zones).clone();
                let mut j = input::joins::table(p);
                if name == "attributes-cars" {
                    j.areas = msoa.clone().map(|path| input::joins::AreasRef { path, id_field: "MSOA11CD".into() });
                }
                if population {
                    input::joins::join_population(&mut z, &j).map(|_| ()).map_err(err)
                } else {
                    input::joins::join_attributes(&mut z, &j, CrsChoice::Auto).map(|_| ()).map_err(err)
                }
            }));
        }
        // The Nomis download as it comes (titles, footnotes), cut to its
        // first 200 rows and Newport's output areas.
        if let Some(nomis) = data("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv") {
            let text = std::fs::read_to_string(&nomis)?;
            let ids: std::collections::HashSet<String> = oa_zones.iter().map(|z| format!("\"{}\"", z.id)).collect();
            let mut cut: String = text
                .lines()
                .enumerate()
                .filter(|(i, l)| *i < 210 || l.split(',').next().is_some_and(|c| ids.contains(c)))
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            let tail: Vec<&str> = text.lines().rev().take(8).collect();
            for l in tail.iter().rev() {
                cut.push_str(l);
                cut.push('\n');
            }
            let seed = work.join("seeds/nomis.csv");
            std::fs::write(&seed, cut)?;
            let zones = oa_zones.clone();
            t.push(target("census-nomis", seed, Format::Csv, "nomis.csv", 3, move |p| {
                let mut z = (*zones).clone();
                input::joins::join_population(&mut z, &input::joins::table(p)).map(|_| ()).map_err(err)
            }));
        }
    }
    // Patient contacts (the demo's, against its zones, sites and services).
    {
        let zones = input::zones::load_zones(&demo_zones, &input::zones::ZoneOptions::new("zone_id")).map_err(std::io::Error::other)?.0;
        let sites = input::sites::load_sites(&root.join("datasets/demo/sites.csv"), CrsChoice::Auto).map_err(std::io::Error::other)?.0;
        let site_ids: Vec<String> = sites.iter().map(|s| s.id.clone()).collect();
        let services: Vec<String> = crate::plan::Catalogue::default().services.iter().map(|s| s.id.clone()).collect();
        let zones = Arc::new(zones);
        t.push(target("contacts", root.join("datasets/demo/contacts.csv"), Format::Csv, "contacts.csv", 4, move |p| {
            let s: Vec<&str> = site_ids.iter().map(String::as_str).collect();
            let v: Vec<&str> = services.iter().map(String::as_str).collect();
            input::contacts::load_contacts_with_postcodes(p, &zones, &s, &v, None).map(|_| ()).map_err(err)
        }));
    }
    // GTFS: zips (Newport, Chester) and the demo's feed as a folder; loaded and a day's timetable built.
    let gtfs = |p: &Path| -> Result<(), String> {
        let (feed, _) = crate::transit::load_feeds(&[p.to_path_buf()]).map_err(err)?;
        if let Some(date) = feed.default_service_date() {
            crate::transit::Timetable::build(&feed, date, None, &crate::transit::FootpathOptions::default()).map_err(err)?;
        }
        Ok(())
    };
    t.push(target("gtfs-folder", root.join("datasets/demo/gtfs"), Format::GtfsFolder, "gtfs", 5, gtfs));
    for (name, rel) in [("gtfs-newport", "newport/newport-20230613_gtfs.zip"), ("gtfs-chester", "chester/chester-20230816-small_gtfs.zip")] {
        if let Some(seed) = data(rel) {
            t.push(target(name, seed, Format::GtfsZip, "feed.zip", 3, gtfs));
        }
    }
    // OSM: the demo's XML and Newport's PBF, read and the street networks built.
    let osm = |p: &Path| -> Result<(), String> {
        let o = input::osm::OsmData::load(p).map_err(err)?;
        let profile = crate::network::Profile::default();
        for m in [crate::network::StreetMode::Walk, crate::network::StreetMode::Car] {
            crate::network::Network::build(&o, m, &profile);
        }
        Ok(())
    };
    t.push(target("osm-xml", root.join("maps/demo/region.osm"), Format::Xml, "region.osm", 3, osm));
    if let Some(seed) = data("newport/newport-2023-06-13.osm.pbf") {
        t.push(target("osm-pbf", seed, Format::Binary, "region.osm.pbf", 1, osm));
    }
    // TOML: the speed profile, the service catalogue, scenarios (read and
    // resolved against the demo region without streets) and a whole study.
    t.push(target("profile", root.join("assets/profile.toml"), Format::Toml, "profile.toml", 5, |p| crate::network::Profile::load(p).map(|_| ()).map_err(err)));
    t.push(target("services", root.join("assets/services.toml"), Format::Toml, "services.toml", 4, |p| {
        crate::plan::Catalogue::load(p).map(|_| ()).map_err(err)
    }));
    let study = tiny_study(&root, &work.join("seeds"))?;
    let file = crate::plan::ScenarioFile::load(&study).map_err(std::io::Error::other)?;
    let inputs = file.region_inputs(&study).map_err(std::io::Error::other)?;
    let region = Arc::new(crate::region::Region::load(&inputs).map_err(std::io::Error::other)?);
    for (name, seed) in [("scenario-hlc", study.clone()), ("scenario-base", work.join("seeds/baseline.toml"))] {
        if name == "scenario-base" {
            let text = std::fs::read_to_string(&study)?;
            let base = std::fs::read_to_string(root.join("datasets/demo/scenarios/baseline.toml"))?;
            // The baseline's services with the study's (absolute) inputs.
            let head_end = text.find("\n[[service]]").unwrap_or(text.len());
            let base_services = base.find("\n[[service]]").map(|i| &base[i..]).unwrap_or("");
            std::fs::write(&seed, format!("{}{}", &text[..head_end], base_services))?;
        }
        let region = region.clone();
        t.push(target(name, seed, Format::Toml, "scenario.toml", 6, move |p| {
            let file = crate::plan::ScenarioFile::load(p).map_err(err)?;
            file.region_inputs(p).map_err(err)?;
            crate::plan::Scenario::resolve(&file, p, &region, &region.sites, &crate::plan::Catalogue::default()).map(|_| ()).map_err(err)
        }));
    }
    t.push(target("study", study, Format::Toml, "study.toml", 2, |p| crate::study::Study::open(p, &crate::progress::Progress::new()).map(|_| ()).map_err(err)));
    Ok(t)
}

/// Each target run once on its unmutated seed (copied to `work`): every
/// one should be `Ok`, or the fuzzing would only test refusals.
pub fn check_seeds(targets: &[Target], work: &Path, budget: Duration) -> std::io::Result<Vec<(&'static str, Outcome)>> {
    let mut out = Vec::new();
    for t in targets {
        let dir = work.join(format!("seed-{}", t.name));
        std::fs::create_dir_all(&dir)?;
        let dest = dir.join(&t.file_name);
        if t.seed.is_dir() {
            std::fs::create_dir_all(&dest)?;
            for e in std::fs::read_dir(&t.seed)?.flatten() {
                std::fs::copy(e.path(), dest.join(e.file_name()))?;
            }
        } else {
            std::fs::copy(&t.seed, &dest)?;
        }
        out.push((t.name, run_one(t, &dest, budget)));
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(out)
}
