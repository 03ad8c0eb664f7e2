//! Patient journeys: for every row of the contacts file, the journey to the
//! site the patient uses before and the one the scenario sends them to
//! after, by each mode; minutes saved per trip and per year.

use crate::analysis::assign::Choice;
use crate::input::contacts::Contact;
use crate::travel::Mode;

/// One contacts row, before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    /// Index of the row in the contacts.
    pub contact: usize,
    /// Service index in the scenario.
    pub service: usize,
    /// Origin zone index.
    pub zone: usize,
    /// Contacts a year.
    pub contacts_per_year: f64,
    /// The site before (the current site, or the baseline scenario's choice).
    pub before_site: Vec<Option<usize>>,
    /// The site after, per mode.
    pub after_site: Vec<Option<usize>>,
    /// Minutes before, per mode.
    pub before_min: Vec<Option<f64>>,
    /// Minutes after, per mode.
    pub after_min: Vec<Option<f64>>,
    /// Miles before and after by car off peak (door to door), if known.
    pub car_miles: (Option<f64>, Option<f64>),
}

impl Journey {
    /// Minutes saved per trip by mode `k` (before minus after; negative is a loss).
    pub fn saved_min(&self, k: usize) -> Option<f64> {
        Some(self.before_min[k]? - self.after_min[k]?)
    }
    /// Minutes saved per year by mode `k`: contacts x minutes saved.
    pub fn saved_min_per_year(&self, k: usize) -> Option<f64> {
        self.saved_min(k).map(|s| s * self.contacts_per_year)
    }
}

/// Totals over a set of journeys for one mode.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct JourneySummary {
    /// Contact rows counted (with a time before and after).
    pub rows: usize,
    /// Contacts a year in them.
    pub contacts: f64,
    /// Contacts whose journey gets shorter by more than half a minute.
    pub gain_contacts: f64,
    /// Contacts whose journey gets longer by more than half a minute.
    pub lose_contacts: f64,
    /// Minutes saved per year, all rows (net).
    pub saved_min_per_year: f64,
    /// Mean minutes per trip before, contact-weighted.
    pub mean_before_min: f64,
    /// Mean minutes per trip after, contact-weighted.
    pub mean_after_min: f64,
}

/// Contact-weighted mean driving distance (car off peak) before and after,
/// miles, over the journeys that have both.
pub fn contact_drive_miles<'a>(journeys: impl IntoIterator<Item = &'a Journey>) -> Option<(f64, f64)> {
    let (mut w, mut b, mut a) = (0.0, 0.0, 0.0);
    for j in journeys {
        if let (Some(x), Some(y)) = j.car_miles {
            w += j.contacts_per_year;
            b += x * j.contacts_per_year;
            a += y * j.contacts_per_year;
        }
    }
    (w > 0.0).then(|| (b / w, a / w))
}

/// Summarises `journeys` by mode index `k`, over those `keep` selects.
pub fn summarise<'a>(journeys: impl IntoIterator<Item = &'a Journey>, k: usize) -> JourneySummary {
    let mut s = JourneySummary::default();
    let (mut before, mut after) = (0.0, 0.0);
    for j in journeys {
        let (Some(b), Some(a)) = (j.before_min[k], j.after_min[k]) else { continue };
        s.rows += 1;
        s.contacts += j.contacts_per_year;
        before += b * j.contacts_per_year;
        after += a * j.contacts_per_year;
        s.saved_min_per_year += (b - a) * j.contacts_per_year;
        if b - a > 0.5 {
            s.gain_contacts += j.contacts_per_year;
        } else if a - b > 0.5 {
            s.lose_contacts += j.contacts_per_year;
        }
    }
    if s.contacts > 0.0 {
        s.mean_before_min = before / s.contacts;
        s.mean_after_min = after / s.contacts;
    }
    s
}

/// Builds the journeys. `before` gives, per contact row, the site used before
/// per mode with its choice (current site or a baseline's assignment);
/// `after[service][mode][zone]` is the scenario's assignment.
pub fn journeys(
    contacts: &[Contact],
    service_of: &dyn Fn(&str) -> Option<usize>,
    modes: &[Mode],
    before: &dyn Fn(usize, usize, usize) -> Choice,
    after: &[Vec<Vec<Choice>>],
) -> Vec<Journey> {
    let car = modes.iter().position(|m| *m == Mode::CarOffpeak);
    contacts
        .iter()
        .enumerate()
        .filter_map(|(ci, c)| {
            let si = service_of(&c.service)?;
            let b: Vec<Choice> = (0..modes.len()).map(|k| before(ci, si, k)).collect();
            let a: Vec<Choice> = (0..modes.len()).map(|k| after[si][k][c.zone]).collect();
            let miles = |ch: &Choice| ch.minutes().map(|_| ch.length_m as f64 / crate::analysis::METRES_PER_MILE);
            Some(Journey {
                contact: ci,
                service: si,
                zone: c.zone,
                contacts_per_year: c.contacts_per_year,
                before_site: b.iter().map(Choice::site).collect(),
                after_site: a.iter().map(Choice::site).collect(),
                before_min: b.iter().map(Choice::minutes).collect(),
                after_min: a.iter().map(Choice::minutes).collect(),
                car_miles: car.map_or((None, None), |k| (miles(&b[k]), miles(&a[k]))),
            })
        })
        .collect()
}
