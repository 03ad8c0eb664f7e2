//! Small text helpers shared by the demo's writers: JSON strings and
//! coordinate arrays, CSV fields, XML attributes.

use super::layout::Projection;

/// A JSON string literal.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A closed GeoJSON linear ring `[[lon,lat],...]` (7 decimals) from an open ring in metres.
pub fn coords_json(ring_m: &[[f64; 2]], proj: &Projection) -> String {
    let mut parts: Vec<String> = ring_m
        .iter()
        .map(|p| {
            let ll = proj.lonlat(*p);
            format!("[{:.7},{:.7}]", ll.lon, ll.lat)
        })
        .collect();
    if let Some(first) = parts.first().cloned() {
        parts.push(first);
    }
    format!("[{}]", parts.join(","))
}

/// A CSV field, quoted when it needs to be.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// An XML attribute value (in double quotes) with `&`, `<`, `>` and `"` escaped.
pub fn xml_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
