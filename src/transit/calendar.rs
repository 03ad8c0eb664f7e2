//! Services and the days they run: `calendar.txt` (weekdays between two
//! dates) with `calendar_dates.txt` exceptions (a date added or removed), and
//! which services run on a chosen service date.

use std::collections::HashMap;
use std::path::PathBuf;

use gtfs_structures as gs;

use crate::error::{InputError, Location};
use crate::transit::date::ServiceDate;
use crate::transit::feed::{Feed, FeedPart};
use crate::transit::report::{GtfsReport, ProblemKind};
use crate::transit::source::Table;

/// Weekdays between two dates, from one `calendar.txt` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyPattern {
    /// Whether it runs on each weekday, Monday first.
    pub days: [bool; 7],
    /// First date (inclusive).
    pub start: ServiceDate,
    /// Last date (inclusive).
    pub end: ServiceDate,
}

/// A service: the set of days some trips run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// `service_id`.
    pub id: String,
    /// Its `calendar.txt` row, if it has one.
    pub weekly: Option<WeeklyPattern>,
    /// Dates added by `calendar_dates.txt`.
    pub added: Vec<ServiceDate>,
    /// Dates removed by `calendar_dates.txt`.
    pub removed: Vec<ServiceDate>,
}

impl Service {
    /// Whether the service runs on `date`.
    pub fn runs_on(&self, date: ServiceDate) -> bool {
        if self.removed.contains(&date) {
            return false;
        }
        if self.added.contains(&date) {
            return true;
        }
        self.weekly.as_ref().is_some_and(|w| w.start <= date && date <= w.end && w.days[date.weekday()])
    }

    /// First and last dates the service could run.
    pub fn span(&self) -> Option<(ServiceDate, ServiceDate)> {
        let ends = self.weekly.iter().flat_map(|w| [w.start, w.end]).chain(self.added.iter().copied());
        ends.fold(None, |acc, d| match acc {
            None => Some((d, d)),
            Some((a, b)) => Some((a.min(d), b.max(d))),
        })
    }
}

/// A gtfs-structures date (a civil date of its date crate, which this crate
/// does not name) as a [`ServiceDate`], through the date's own accessors.
macro_rules! to_date {
    ($d:expr) => {
        ServiceDate::from_ymd(i32::from($d.year()), $d.month() as u32, $d.day() as u32)
    };
}

/// Builds the services from `calendar.txt` and `calendar_dates.txt`.
pub(crate) fn build_services(
    calendar: Option<&Table<gs::Calendar>>,
    dates: Option<&Table<gs::CalendarDate>>,
    report: &mut GtfsReport,
) -> (Vec<Service>, HashMap<String, u32>) {
    let mut services: Vec<Service> = Vec::new();
    let mut by_id: HashMap<String, u32> = HashMap::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    if let Some(t) = calendar {
        for (line, c) in &t.rows {
            if let Some(prev) = first_line.get(&c.id) {
                report.add(
                    ProblemKind::DuplicateId,
                    InputError::at(
                        &t.file,
                        Location::Line(*line),
                        Some("service_id"),
                        format!("service '{}' is already defined on line {prev}; this row is ignored", c.id),
                    ),
                );
                continue;
            }
            first_line.insert(c.id.clone(), *line);
            let (Some(start), Some(end)) = (to_date!(c.start_date), to_date!(c.end_date)) else { continue };
            if end < start {
                report.add(
                    ProblemKind::MalformedValue,
                    InputError::at(
                        &t.file,
                        Location::Line(*line),
                        Some("end_date"),
                        format!("end date {end} is before start date {start}; service '{}' runs only on its added dates", c.id),
                    ),
                );
            }
            let days = [c.monday, c.tuesday, c.wednesday, c.thursday, c.friday, c.saturday, c.sunday];
            by_id.insert(c.id.clone(), services.len() as u32);
            services.push(Service { id: c.id.clone(), weekly: (end >= start).then_some(WeeklyPattern { days, start, end }), added: vec![], removed: vec![] });
        }
    }
    if let Some(t) = dates {
        let mut seen: HashMap<(String, ServiceDate), u64> = HashMap::new();
        for (line, cd) in &t.rows {
            let Some(date) = to_date!(cd.date) else { continue };
            if let Some(prev) = seen.get(&(cd.service_id.clone(), date)) {
                report.add(
                    ProblemKind::DuplicateId,
                    InputError::at(
                        &t.file,
                        Location::Line(*line),
                        Some("date"),
                        format!("service '{}' already has an exception on {date} (line {prev}); this row is ignored", cd.service_id),
                    ),
                );
                continue;
            }
            seen.insert((cd.service_id.clone(), date), *line);
            let i = *by_id.entry(cd.service_id.clone()).or_insert_with(|| {
                services.push(Service { id: cd.service_id.clone(), weekly: None, added: vec![], removed: vec![] });
                (services.len() - 1) as u32
            });
            let s = &mut services[i as usize];
            match cd.exception_type {
                gs::Exception::Added => s.added.push(date),
                gs::Exception::Deleted => s.removed.push(date),
            }
        }
    }
    (services, by_id)
}

impl Feed {
    /// First and last dates any service could run, if any.
    pub fn date_range(&self) -> Option<(ServiceDate, ServiceDate)> {
        span_of(&self.services)
    }

    /// The service date used when none is asked for: the first Tuesday with
    /// service in the feed (a typical weekday), else its first day with
    /// service; `None` when no day has any. With several feeds, the first
    /// Tuesday on which every feed has service comes first.
    pub fn default_service_date(&self) -> Option<ServiceDate> {
        default_date(&self.services, |d| self.parts.len() > 1 && self.parts_without_service(d).is_empty())
    }

    /// How many trips run on each date the feed covers (its first 400 days
    /// at most), in date order: the trips whose service runs that day.
    pub fn trips_by_date(&self) -> Vec<(ServiceDate, usize)> {
        let Some((from, to)) = self.date_range() else { return Vec::new() };
        let mut per_service = vec![0usize; self.services.len()];
        for t in &self.trips {
            if let Some(n) = per_service.get_mut(t.service as usize) {
                *n += 1;
            }
        }
        (0..=from.days_until(to).clamp(0, 400))
            .map(|i| from.plus_days(i))
            .map(|d| (d, self.services.iter().zip(&per_service).filter(|(s, _)| s.runs_on(d)).map(|(_, n)| n).sum()))
            .collect()
    }

    /// The date on which the most trips run (the earliest of equals) and
    /// how many; `None` when no trip runs on any day.
    pub fn busiest_service_date(&self) -> Option<(ServiceDate, usize)> {
        self.trips_by_date().into_iter().filter(|(_, n)| *n > 0).fold(None, |best, (d, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((d, n)),
        })
    }

    /// Indices of the services running on `date` (possibly none).
    pub fn services_on(&self, date: ServiceDate) -> Vec<u32> {
        (0..self.services.len() as u32).filter(|&i| self.services[i as usize].runs_on(date)).collect()
    }

    /// Indices of the services running on `date`; an error naming the dates
    /// the feed covers (and the nearest days with service) when none runs.
    pub fn active_services(&self, date: ServiceDate) -> Result<Vec<u32>, NoService> {
        let on = self.services_on(date);
        if !on.is_empty() {
            return Ok(on);
        }
        Err(self.no_service(date))
    }

    /// What to say about a date without service: the days the feed covers
    /// and the nearest days with service.
    fn no_service(&self, date: ServiceDate) -> NoService {
        let range = self.date_range();
        let mut nearest = Vec::new();
        if let Some((a, b)) = range {
            let runs = |d: ServiceDate| self.services.iter().any(|s| s.runs_on(d));
            let before = (1..=400).map(|k| date.plus_days(-k)).take_while(|d| *d >= a).find(|d| runs(*d));
            let after = (1..=400).map(|k| date.plus_days(k)).take_while(|d| *d <= b).find(|d| runs(*d));
            nearest.extend(before.into_iter().chain(after));
        }
        let feeds = if self.parts.len() > 1 { self.parts.iter().map(|p| self.part_no_service_message(p, date)).collect() } else { Vec::new() };
        NoService { date, feed: self.source.clone(), range, nearest, feeds }
    }
}

/// No bus service runs on a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct NoService {
    /// The date asked for.
    pub date: ServiceDate,
    /// The feed (zip or folder).
    pub feed: PathBuf,
    /// The first and last days the feed covers, if it defines any.
    pub range: Option<(ServiceDate, ServiceDate)>,
    /// The nearest days with service before and after `date` (none, one or two).
    pub nearest: Vec<ServiceDate>,
    /// With several feeds merged, what each says about the date (empty for one feed).
    pub feeds: Vec<String>,
}

impl std::fmt::Display for NoService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let date = self.date;
        if self.feeds.len() > 1 {
            return write!(
                f,
                "no public transport service runs on {} {date} in any of the {} feeds: {}",
                date.weekday_name(),
                self.feeds.len(),
                self.feeds.join("; ")
            );
        }
        write!(f, "no bus service runs on {} {date} in {}", date.weekday_name(), self.feed.display())?;
        match self.range {
            None => write!(f, ": the feed defines no service days at all"),
            Some((a, b)) => {
                write!(f, "; the feed covers {a} to {b}")?;
                let near: Vec<String> = self.nearest.iter().map(|d| format!("{} {d}", d.weekday_name())).collect();
                if !near.is_empty() {
                    write!(f, "; the nearest days with service are {}", near.join(" and "))?;
                }
                Ok(())
            }
        }
    }
}

impl Feed {
    /// The feeds (of several merged) with no service on `date`.
    pub fn parts_without_service(&self, date: ServiceDate) -> Vec<&FeedPart> {
        self.parts.iter().filter(|p| !self.services[p.services.start as usize..p.services.end as usize].iter().any(|s| s.runs_on(date))).collect()
    }

    /// Why one of several feeds adds nothing on `date`: the feed named, the
    /// dates it covers and its nearest days with service.
    pub fn part_no_service_message(&self, part: &FeedPart, date: ServiceDate) -> String {
        let kinds = self.part_vehicle_kinds(part);
        let what = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
        let mut msg = format!("the feed {}{what} runs no service on {} {date}", part.source.display(), date.weekday_name());
        msg.push_str(&dates_covered(&self.services[part.services.start as usize..part.services.end as usize], date));
        msg
    }
}

/// The default service date of `services`: the first Tuesday on which
/// `every_feed` holds, else the first Tuesday with service, else the first
/// day with service (see [`Feed::default_service_date`]). The loader uses it
/// to read a feed for its own default date before any trip is read.
pub(crate) fn default_date(services: &[Service], every_feed: impl Fn(ServiceDate) -> bool) -> Option<ServiceDate> {
    let (from, to) = span_of(services)?;
    let days = from.days_until(to).clamp(0, 400);
    let all_days = || (0..=days).map(|i| from.plus_days(i));
    let with_service = |d: &ServiceDate| services.iter().any(|s| s.runs_on(*d));
    all_days()
        .find(|d| d.weekday() == 1 && every_feed(*d))
        .or_else(|| all_days().find(|d| d.weekday() == 1 && with_service(d)))
        .or_else(|| all_days().find(with_service))
}

/// First and last dates any of `services` could run.
fn span_of(services: &[Service]) -> Option<(ServiceDate, ServiceDate)> {
    services.iter().filter_map(Service::span).fold(None, |acc, (a, b)| match acc {
        None => Some((a, b)),
        Some((x, y)) => Some((x.min(a), y.max(b))),
    })
}

/// `; the feed covers A to B; the nearest days with service are ...` for a
/// date on which none of `services` runs.
fn dates_covered(services: &[Service], date: ServiceDate) -> String {
    match span_of(services) {
        None => ": the feed defines no service days at all".into(),
        Some((a, b)) => {
            let mut msg = format!("; the feed covers {a} to {b}");
            let runs = |d: ServiceDate| services.iter().any(|s| s.runs_on(d));
            let before = (1..=400).map(|k| date.plus_days(-k)).take_while(|d| *d >= a).find(|d| runs(*d));
            let after = (1..=400).map(|k| date.plus_days(k)).take_while(|d| *d <= b).find(|d| runs(*d));
            let near: Vec<String> = before.into_iter().chain(after).map(|d| format!("{} {d}", d.weekday_name())).collect();
            if !near.is_empty() {
                msg.push_str(&format!("; the nearest days with service are {}", near.join(" and ")));
            }
            msg
        }
    }
}
