//! A small OpenStreetMap PBF writer for the generated counties: dense
//! nodes, ways and relations in zlib-compressed blocks of at most 8,000
//! elements, as osmium and Geofabrik's extracts lay them out (nodes, then
//! ways, then relations), so that a benchmark reads a county in the format
//! planners download. Only what the generators need: no metadata, no
//! bounding box, positions to 1e-7 degree.
//!
//! Written by hand (the format is a few protobuf messages); `osmpbf`, which
//! reads the files, does not write them.

use std::collections::HashMap;
use std::io::Write;

use super::county::Out;
use crate::Result;
use crate::input::osm::MemberKind;

/// Elements per block (the format's usual 8,000).
const BLOCK: usize = 8_000;

/// Tags of an element.
pub type Tags<'a> = &'a [(String, String)];

#[derive(PartialEq, Eq)]
enum Kind {
    Nodes,
    Ways,
    Relations,
}

/// Writes elements in order (all nodes, then ways, then relations) into an
/// [`Out`], a block at a time.
pub struct PbfWriter {
    out: Out,
    strings: HashMap<String, u32>,
    table: Vec<String>,
    kind: Kind,
    count: usize,
    // Dense nodes, as the block will hold them.
    ids: Vec<i64>,
    lats: Vec<i64>,
    lons: Vec<i64>,
    keys_vals: Vec<u32>,
    any_tags: bool,
    // Ways or relations, each already encoded.
    elements: Vec<u8>,
}

impl PbfWriter {
    /// A writer into `out`, the header block written.
    pub fn new(mut out: Out, program: &str) -> Result<Self> {
        let mut header = Vec::new();
        bytes_field(&mut header, 4, b"OsmSchema-V0.6");
        bytes_field(&mut header, 4, b"DenseNodes");
        bytes_field(&mut header, 16, program.as_bytes());
        blob(&mut out, "OSMHeader", &header)?;
        Ok(PbfWriter {
            out,
            strings: HashMap::new(),
            table: Vec::new(),
            kind: Kind::Nodes,
            count: 0,
            ids: Vec::new(),
            lats: Vec::new(),
            lons: Vec::new(),
            keys_vals: Vec::new(),
            any_tags: false,
            elements: Vec::new(),
        })
    }

    fn string(&mut self, s: &str) -> u32 {
        if self.table.is_empty() {
            self.table.push(String::new()); // index 0 is the empty string
        }
        if let Some(&k) = self.strings.get(s) {
            return k;
        }
        let k = self.table.len() as u32;
        self.strings.insert(s.to_string(), k);
        self.table.push(s.to_string());
        k
    }

    fn start(&mut self, kind: Kind) -> Result<()> {
        if self.kind != kind || self.count == BLOCK {
            self.flush()?;
        }
        self.kind = kind;
        self.count += 1;
        Ok(())
    }

    /// A node at (lon, lat) degrees.
    pub fn node(&mut self, id: i64, lon: f64, lat: f64, tags: Tags) -> Result<()> {
        self.start(Kind::Nodes)?;
        self.ids.push(id);
        self.lats.push((lat * 1e7).round() as i64);
        self.lons.push((lon * 1e7).round() as i64);
        for (k, v) in tags {
            let (k, v) = (self.string(k), self.string(v));
            self.keys_vals.extend([k, v]);
            self.any_tags = true;
        }
        self.keys_vals.push(0);
        Ok(())
    }

    /// A way through `refs`.
    pub fn way(&mut self, id: i64, refs: &[i64], tags: Tags) -> Result<()> {
        self.start(Kind::Ways)?;
        let mut w = Vec::new();
        varint_field(&mut w, 1, id as u64);
        self.tags(&mut w, tags);
        packed(&mut w, 8, delta(refs.iter().copied()).map(zigzag));
        bytes_field(&mut self.elements, 3, &w);
        Ok(())
    }

    /// A relation of `members` (kind, id, role).
    pub fn relation(&mut self, id: i64, members: &[(MemberKind, i64, &str)], tags: Tags) -> Result<()> {
        self.start(Kind::Relations)?;
        let mut r = Vec::new();
        varint_field(&mut r, 1, id as u64);
        self.tags(&mut r, tags);
        let roles: Vec<u64> = members.iter().map(|m| u64::from(self.string(m.2))).collect();
        packed(&mut r, 8, roles.into_iter());
        packed(&mut r, 9, delta(members.iter().map(|m| m.1)).map(zigzag));
        // The format numbers the kinds node 0, way 1, relation 2.
        packed(
            &mut r,
            10,
            members.iter().map(|m| match m.0 {
                MemberKind::Node => 0,
                MemberKind::Way => 1,
                MemberKind::Relation => 2,
            }),
        );
        bytes_field(&mut self.elements, 4, &r);
        Ok(())
    }

    fn tags(&mut self, into: &mut Vec<u8>, tags: Tags) {
        let keys: Vec<u64> = tags.iter().map(|(k, _)| u64::from(self.string(k))).collect();
        let vals: Vec<u64> = tags.iter().map(|(_, v)| u64::from(self.string(v))).collect();
        packed(into, 2, keys.into_iter());
        packed(into, 3, vals.into_iter());
    }

    /// Writes the block being filled, if any.
    fn flush(&mut self) -> Result<()> {
        if self.count == 0 {
            return Ok(());
        }
        let mut group = Vec::new();
        match self.kind {
            Kind::Nodes => {
                let mut dense = Vec::new();
                packed(&mut dense, 1, delta(self.ids.drain(..)).map(zigzag));
                packed(&mut dense, 8, delta(self.lats.drain(..)).map(zigzag));
                packed(&mut dense, 9, delta(self.lons.drain(..)).map(zigzag));
                if self.any_tags {
                    packed(&mut dense, 10, self.keys_vals.iter().map(|&k| u64::from(k)));
                }
                self.keys_vals.clear();
                self.any_tags = false;
                bytes_field(&mut group, 2, &dense);
            }
            Kind::Ways | Kind::Relations => group.append(&mut self.elements),
        }
        let mut table = Vec::new();
        if self.table.is_empty() {
            self.table.push(String::new());
        }
        for s in &self.table {
            bytes_field(&mut table, 1, s.as_bytes());
        }
        let mut block = Vec::new();
        bytes_field(&mut block, 1, &table);
        bytes_field(&mut block, 2, &group);
        blob(&mut self.out, "OSMData", &block)?;
        self.strings.clear();
        self.table.clear();
        self.count = 0;
        Ok(())
    }

    /// Writes the last block and closes the file; returns the hash of every
    /// byte written.
    pub fn finish(mut self) -> Result<u64> {
        self.flush()?;
        self.out.finish()
    }
}

/// Writes one file block: its header's length (4 bytes, big-endian), the
/// header, and the zlib-compressed message.
fn blob(out: &mut Out, kind: &str, message: &[u8]) -> Result<()> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let zipped = z.write_all(message).and_then(|()| z.finish()).expect("compressing into memory cannot fail");
    let mut body = Vec::new();
    varint_field(&mut body, 2, message.len() as u64);
    bytes_field(&mut body, 3, &zipped);
    let mut header = Vec::new();
    bytes_field(&mut header, 1, kind.as_bytes());
    varint_field(&mut header, 3, body.len() as u64);
    out.put_bytes(&(header.len() as u32).to_be_bytes())?;
    out.put_bytes(&header)?;
    out.put_bytes(&body)
}

fn varint(into: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        into.push((v as u8) | 0x80);
        v >>= 7;
    }
    into.push(v as u8);
}

fn varint_field(into: &mut Vec<u8>, field: u32, v: u64) {
    varint(into, u64::from(field) << 3);
    varint(into, v);
}

fn bytes_field(into: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    varint(into, (u64::from(field) << 3) | 2);
    varint(into, bytes.len() as u64);
    into.extend_from_slice(bytes);
}

/// A packed repeated field (written only when not empty).
fn packed(into: &mut Vec<u8>, field: u32, values: impl Iterator<Item = u64>) {
    let mut body = Vec::new();
    for v in values {
        varint(&mut body, v);
    }
    if !body.is_empty() {
        bytes_field(into, field, &body);
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Each value less the one before (the first as it is).
fn delta(values: impl Iterator<Item = i64>) -> impl Iterator<Item = i64> {
    let mut last = 0i64;
    values.map(move |v| {
        let d = v.wrapping_sub(last);
        last = v;
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::osm::OsmData;

    #[test]
    fn a_written_file_reads_back_with_every_node_way_tag_and_relation() {
        let dir = std::env::temp_dir().join(format!("accessplan-pbf-writer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.osm.pbf");
        let mut w = PbfWriter::new(Out::create(path.clone()).unwrap(), "test").unwrap();
        let signals = [("highway".to_string(), "traffic_signals".to_string())];
        // More nodes than one block holds, ids going up and down.
        for k in 0..(BLOCK as i64 + 10) {
            let id = if k % 2 == 0 { 1_000_000 + k } else { 5 * k };
            w.node(id, -3.0 + k as f64 * 1e-5, 51.5 - k as f64 * 1e-5, if k == 3 { &signals } else { &[] }).unwrap();
        }
        let tags = |h: &str| vec![("highway".to_string(), h.to_string()), ("name".to_string(), "A & B <road>".to_string())];
        w.way(7, &[1_000_000, 5, 1_000_002, 15], &tags("residential")).unwrap();
        w.way(8, &[15, 1_000_004], &tags("primary")).unwrap();
        let rel_tags = [("restriction".to_string(), "no_left_turn".to_string()), ("type".to_string(), "restriction".to_string())];
        w.relation(9, &[(MemberKind::Way, 7, "from"), (MemberKind::Node, 15, "via"), (MemberKind::Way, 8, "to")], &rel_tags).unwrap();
        w.finish().unwrap();

        let osm = OsmData::load(&path).unwrap();
        assert_eq!(osm.ways.len(), 2);
        assert_eq!(osm.ways[0].nodes, vec![1_000_000, 5, 1_000_002, 15]);
        assert_eq!(crate::input::osm::tag(&osm.ways[0].tags, "highway"), Some("residential"));
        assert_eq!(crate::input::osm::tag(&osm.ways[1].tags, "name"), Some("A & B <road>"));
        // The kept nodes (those of the ways) at their places to 1e-7 degree.
        assert_eq!(osm.nodes.len(), 5);
        let p = osm.nodes.get(&15).unwrap();
        assert!((p.lon - (-3.0 + 3.0 * 1e-5)).abs() < 1e-7 && (p.lat - (51.5 - 3.0 * 1e-5)).abs() < 1e-7, "{p:?}");
        assert_eq!(osm.node_tags.get(&15).map(|t| t.as_slice()), Some(&signals[..]));
        assert_eq!(osm.restrictions.len(), 1);
        let r = &osm.restrictions[0];
        assert_eq!(r.id, 9);
        let members: Vec<_> = r.members.iter().map(|m| (m.kind, m.id, m.role.as_str())).collect();
        assert_eq!(members, vec![(MemberKind::Way, 7, "from"), (MemberKind::Node, 15, "via"), (MemberKind::Way, 8, "to")]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
