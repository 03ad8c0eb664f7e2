//! Service dates and clock times. A GTFS service day is a calendar date;
//! times within it are seconds since its midnight and may pass 24:00 (a trip
//! that leaves at 25:10:00 runs at 01:10 the next morning on the previous
//! day's service).

use std::fmt;

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceDate {
    days: i32,
}

/// Day names, Monday first (the order of GTFS `calendar.txt` columns).
pub const WEEKDAY_NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

impl ServiceDate {
    /// The date of year, month (1-12) and day (1-31), if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<ServiceDate> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(ServiceDate { days: era * 146_097 + doe - 719_468 })
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i32) -> ServiceDate {
        ServiceDate { days }
    }

    /// Today's date (UTC), from the system clock; 1970-01-01 if the clock is before it.
    pub fn today() -> ServiceDate {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        ServiceDate { days: (secs / 86_400) as i32 }
    }

    /// Year, month (1-12) and day (1-31).
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    /// Day of the week, 0 = Monday .. 6 = Sunday.
    pub fn weekday(self) -> usize {
        (self.days + 3).rem_euclid(7) as usize
    }

    /// The day's name, e.g. `Tuesday`.
    pub fn weekday_name(self) -> &'static str {
        WEEKDAY_NAMES[self.weekday()]
    }

    /// The date `n` days later (earlier when negative).
    pub fn plus_days(self, n: i32) -> ServiceDate {
        ServiceDate { days: self.days + n }
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: ServiceDate) -> i32 {
        other.days - self.days
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for ServiceDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl std::str::FromStr for ServiceDate {
    type Err = String;
    /// Parses `2023-06-13` (ISO) or `20230613` (GTFS).
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let digits: String = t.chars().filter(|c| *c != '-').collect();
        let iso = t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
        if !(iso || t.len() == 8) || digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("'{s}' is not a date; use YYYY-MM-DD, e.g. 2023-06-13"));
        }
        let num = |a: usize, b: usize| digits[a..b].parse::<u32>().unwrap_or(0);
        ServiceDate::from_ymd(num(0, 4) as i32, num(4, 6), num(6, 8)).ok_or_else(|| format!("'{s}' is not a date that exists"))
    }
}

/// `hh:mm:ss` for seconds since midnight (hours may pass 24).
pub fn fmt_hms(s: u32) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `hh:mm` for seconds since midnight, rounded down to the minute.
pub fn fmt_hm(s: u32) -> String {
    format!("{:02}:{:02}", s / 3600, s / 60 % 60)
}

/// Parses a clock time `HH:MM` or `HH:MM:SS` (hours may pass 24) into
/// seconds since midnight.
pub fn parse_clock(s: &str) -> Result<u32, String> {
    let bad = || format!("'{s}' is not a time; use HH:MM or HH:MM:SS, e.g. 07:30");
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    let n: Vec<u32> = parts.iter().map(|p| p.parse::<u32>().unwrap_or(u32::MAX)).collect();
    if n[1] > 59 || n.get(2).is_some_and(|&x| x > 59) {
        return Err(bad());
    }
    Ok(n[0] * 3600 + n[1] * 60 + n.get(2).copied().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_know_their_weekday() {
        let d: ServiceDate = "2023-06-13".parse().unwrap();
        assert_eq!(d.ymd(), (2023, 6, 13));
        assert_eq!(d.weekday_name(), "Tuesday");
        assert_eq!("20230613".parse::<ServiceDate>().unwrap(), d);
        assert_eq!(ServiceDate::from_ymd(1970, 1, 1).unwrap().weekday_name(), "Thursday");
        assert_eq!(ServiceDate::from_ymd(2024, 2, 29).unwrap().plus_days(1).to_string(), "2024-03-01");
        assert_eq!(ServiceDate::from_ymd(2023, 2, 29), None);
        assert!("2023-13-01".parse::<ServiceDate>().is_err());
        // Days since the epoch (the report's "made on" date uses them).
        assert_eq!(ServiceDate::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(ServiceDate::from_days_since_epoch(19_723).to_string(), "2024-01-01");
        assert_eq!(ServiceDate::from_days_since_epoch(19_782).to_string(), "2024-02-29");
        assert!(ServiceDate::today() >= ServiceDate::from_ymd(2026, 1, 1).unwrap());
        for k in -800..800 {
            let x = d.plus_days(k * 37);
            let (y, m, dd) = x.ymd();
            assert_eq!(ServiceDate::from_ymd(y, m, dd), Some(x));
        }
    }

    #[test]
    fn clock_times_pass_midnight() {
        assert_eq!(parse_clock("07:00"), Ok(25_200));
        assert_eq!(parse_clock("25:10:00"), Ok(90_600));
        assert!(parse_clock("7:61").is_err());
        assert!(parse_clock("07-00").is_err());
        assert_eq!(fmt_hms(90_600), "25:10:00");
        assert_eq!(fmt_hm(25_259), "07:00");
    }
}
