//! Errors from TOML files (scenarios, the service catalogue, speed
//! profiles) located as a planner needs them: the line, and the key the
//! error is about.

use std::path::Path;

use crate::error::{InputError, Location};

/// An `InputError` from a TOML error, with the line it points at and the
/// key the error is about: the key named in the message (an unknown or
/// missing field), or else the key written on that line (a bad value, such
/// as `schema_version = "one"`). A syntax error on a line without a key
/// names no field rather than a stray character.
pub fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> InputError {
    let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count());
    let loc = line.map_or(Location::File, |l| Location::Line(1 + l as u64));
    let msg = e.message();
    let named = ["unknown field `", "missing field `", "duplicate key `"]
        .iter()
        .find_map(|p| msg.split_once(p).and_then(|(_, rest)| rest.split('`').next()))
        .map(str::to_string);
    let on_line = line.and_then(|l| text.lines().nth(l)).and_then(key_of_line);
    InputError { file: path.to_path_buf(), location: loc, field: named.or(on_line), message: msg.trim_end().to_string() }
}

/// The key a TOML line assigns (`key = value`, possibly dotted or quoted), if any.
pub fn key_of_line(line: &str) -> Option<String> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let ok = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    ok.then(|| key.to_string())
}

/// The line of `key` inside table `[table]` of a TOML text (the whole
/// file when it cannot be found), for errors found after parsing.
pub fn line_of_key(text: &str, table: &str, key: &str) -> Location {
    let mut current = String::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            current = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
        } else if current == table && key_of_line(t).as_deref() == Some(key) {
            return Location::Line(i as u64 + 1);
        }
    }
    Location::File
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_name_the_key_of_their_line_not_a_stray_character() {
        let p = Path::new("s.toml");
        let e = |text: &str| {
            #[derive(Debug, serde::Deserialize)]
            #[allow(dead_code)]
            struct F {
                schema_version: u32,
                name: Option<String>,
            }
            let err = toml::from_str::<F>(text).unwrap_err();
            toml_error(p, text, &err)
        };
        let x = e("schema_version = \"one\"\n");
        assert_eq!((x.location.clone(), x.field.as_deref()), (Location::Line(1), Some("schema_version")), "{x}");
        let x = e("schema_version = 1\nname = [\"a\",,]\n");
        assert_eq!((x.location.clone(), x.field.as_deref()), (Location::Line(2), Some("name")), "{x}");
        let x = e("schema_version = 1\n[[[\n");
        assert_eq!((x.location.clone(), x.field.as_deref()), (Location::Line(2), None), "{x}");
        let x = e("name = \"a\"\n");
        assert_eq!(x.field.as_deref(), Some("schema_version"), "{x}");
        assert_eq!(line_of_key("a = 1\n[thresholds]\n walk = -5\n", "thresholds", "walk"), Location::Line(3));
        assert_eq!(line_of_key("walk = 1\n", "thresholds", "walk"), Location::File);
    }
}
