//! Text as planners hand it over, for every reader: a file's text (UTF-8,
//! a byte order mark dropped, empty files refused with a clear error) and
//! numbers as people type them (`1,234`, ` 3.5 `).

use std::path::Path;

use crate::error::{InputError, Location};

/// The text of a file, with a clear error when it is missing, unreadable or empty.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read the file: {e}")))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::file(path, "the file is empty"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64;
        InputError::at(path, Location::Line(line), None, "the file is not UTF-8 text; save it as UTF-8")
    })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// Parse a number as people type it: `12`, ` 3.5 `, `1,234` (thousands
/// separators), `1e3`. Rejects empty text, `NaN` and infinities.
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let parsed = t.parse::<f64>().ok().or_else(|| {
        // Thousands separators: digits in groups of three after the first.
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let (sign, digits) = int.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", int));
        let groups: Vec<&str> = digits.split(',').collect();
        let ok = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        ok.then(|| format!("{sign}{}{}{frac}", groups.concat(), if frac.is_empty() { "" } else { "." })).and_then(|n| n.parse().ok())
    })?;
    parsed.is_finite().then_some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("1,234"), Some(1234.0));
        assert_eq!(parse_number("-1,234.5"), Some(-1234.5));
        assert_eq!(parse_number("1,5"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("abc"), None);
    }
}
