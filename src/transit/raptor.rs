//! RAPTOR (Delling, Pajor and Werneck, 2012): earliest arrival at every stop
//! from a set of access stops, in rounds; round k rides the k-th vehicle.
//! Each round scans the patterns through the stops improved in the round
//! before, boarding the earliest catchable trip, then walks footpaths from
//! the stops just reached by vehicle.
//!
//! Two labels per round and stop keep it exact with footpaths that are not
//! transitively closed: the arrival by vehicle (from which a footpath or the
//! walk to the destination may start) and the arrival by any means (from
//! which the next vehicle is boarded). A label improved in round k is also
//! written to every later round, so round k's label is the best with at
//! most k vehicles.
//!
//! Range RAPTOR (rRAPTOR): for a departure window, departures are run from
//! the latest to the earliest without clearing the labels in between, as a
//! journey that leaves later is still possible leaving earlier (by waiting).
//! Each run then only explores what the earlier start improves.

use crate::transit::timetable::Timetable;

/// Time value of a stop not reached.
pub const UNREACHED: u32 = u32::MAX;

/// Limits of the router.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RaptorOptions {
    /// Most transfers: at most this + 1 vehicles (at most 250).
    pub max_transfers: u32,
    /// Least time between reaching a stop and boarding a departure there, seconds.
    pub board_slack_s: u32,
}

impl Default for RaptorOptions {
    fn default() -> Self {
        RaptorOptions { max_transfers: 3, board_slack_s: 60 }
    }
}

/// A walk from the journey's start to a stop (or from a stop to its end).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StopWalk {
    /// The stop.
    pub stop: u32,
    /// Walking time, seconds.
    pub walk_s: u32,
    /// Walking length, metres.
    pub length_m: f32,
}

/// How a stop's label was reached (kept for itineraries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Not reached.
    None,
    /// Walked from the start (the index into the access list).
    Access(u32),
    /// Rode trip `trip` of `pattern`, boarding at position `board` and
    /// alighting at `alight`, as the `round`-th vehicle.
    Ride {
        /// Pattern index.
        pattern: u32,
        /// Trip within the pattern.
        trip: u32,
        /// Boarding position in the pattern.
        board: u16,
        /// Alighting position in the pattern.
        alight: u16,
        /// Which vehicle of the journey (1-based).
        round: u8,
    },
    /// Walked the footpath `footpath` from stop `from`, after the `round`-th vehicle.
    Walk {
        /// The stop walked from.
        from: u32,
        /// Index into the timetable's footpaths.
        footpath: u32,
        /// Which vehicle of the journey it follows.
        round: u8,
    },
}

/// The router with its buffers, reused across searches on one timetable.
#[derive(Debug, Clone)]
pub struct Raptor<'t> {
    tt: &'t Timetable,
    opts: RaptorOptions,
    rounds: usize,
    n: usize,
    /// Arrival by any means, `round * n + stop`.
    any: Vec<u32>,
    /// Arrival by vehicle, `round * n + stop`.
    ride: Vec<u32>,
    any_step: Vec<Step>,
    ride_step: Vec<Step>,
    marked: Vec<bool>,
    marked_list: Vec<u32>,
    rode: Vec<bool>,
    rode_list: Vec<u32>,
    queue_pos: Vec<u32>,
    queue: Vec<u32>,
    /// Longest journey searched for, seconds (`u32::MAX` for no limit).
    limit_s: u32,
    /// Latest arrival kept in the current search: its departure + `limit_s`.
    bound: u32,
    /// Patterns scanned and stops reached in the last run (for benchmarks).
    pub work: (u64, u64),
}

impl<'t> Raptor<'t> {
    /// A router for `tt`.
    pub fn new(tt: &'t Timetable, opts: RaptorOptions) -> Self {
        let n = tt.stop_count();
        // Round 0 is the walk to the first stops; rounds are kept in 8 bits.
        let rounds = opts.max_transfers.min(250) as usize + 2;
        Raptor {
            tt,
            opts,
            rounds,
            n,
            any: vec![UNREACHED; rounds * n],
            ride: vec![UNREACHED; rounds * n],
            any_step: vec![Step::None; rounds * n],
            ride_step: vec![Step::None; rounds * n],
            marked: vec![false; n],
            marked_list: Vec::new(),
            rode: vec![false; n],
            rode_list: Vec::new(),
            queue_pos: vec![UNREACHED; tt.patterns.len()],
            queue: Vec::new(),
            limit_s: u32::MAX,
            bound: u32::MAX,
            work: (0, 0),
        }
    }

    /// The router searching only journeys of at most `max_travel_s` from
    /// the departure: a stop reached later is left unreached, so the search
    /// stops where no journey within the limit can go (a matrix that counts
    /// longer journeys as none needs no more). Arrivals within the limit are
    /// those of the search without it.
    pub fn with_travel_limit(mut self, max_travel_s: u32) -> Self {
        self.limit_s = max_travel_s;
        self
    }

    /// The timetable it routes on.
    pub fn timetable(&self) -> &'t Timetable {
        self.tt
    }

    /// The options in force.
    pub fn options(&self) -> RaptorOptions {
        self.opts
    }

    /// Forgets every label.
    pub fn clear(&mut self) {
        self.any.fill(UNREACHED);
        self.ride.fill(UNREACHED);
        self.any_step.fill(Step::None);
        self.ride_step.fill(Step::None);
    }

    /// One search: earliest arrivals leaving at `depart_s` through `access`.
    pub fn run(&mut self, access: &[StopWalk], depart_s: u32) {
        self.clear();
        self.work = (0, 0);
        self.iterate(access, depart_s);
    }

    /// Range RAPTOR: one search per departure in `departures` (any order;
    /// they are run latest first), calling `each(departure, self)` after each.
    ///
    /// A departure from which no vehicle can be boarded at an access stop
    /// that could not also be boarded from the next later one reaches every
    /// stop by the same vehicles: its search would only move the walks to
    /// the first stops earlier, so only those labels are updated (the labels
    /// are then exactly those of a full search; [`Raptor::run_range_every`]
    /// searches every departure in full, the twin the tests compare with).
    pub fn run_range(&mut self, access: &[StopWalk], departures: &[u32], each: impl FnMut(u32, &Self)) {
        self.range(access, departures, true, each);
    }

    /// Range RAPTOR searching every departure in full (no departure
    /// skipped): the plain twin of [`Raptor::run_range`].
    pub fn run_range_every(&mut self, access: &[StopWalk], departures: &[u32], each: impl FnMut(u32, &Self)) {
        self.range(access, departures, false, each);
    }

    fn range(&mut self, access: &[StopWalk], departures: &[u32], skip: bool, mut each: impl FnMut(u32, &Self)) {
        self.clear();
        self.work = (0, 0);
        let mut order = departures.to_vec();
        order.sort_unstable_by(|a, b| b.cmp(a));
        order.dedup();
        let mut later: Option<u32> = None;
        for d in order {
            match later {
                Some(l) if skip && !self.boards_between(access, d, l) => self.walk_to_first_stops(access, d),
                _ => self.iterate(access, d),
            }
            later = Some(d);
            each(d, self);
        }
    }

    /// Whether a vehicle leaves an access stop (boarding allowed) that can be
    /// caught leaving the door at `from_s` but not at `to_s`.
    fn boards_between(&self, access: &[StopWalk], from_s: u32, to_s: u32) -> bool {
        let tt = self.tt;
        let slack = self.opts.board_slack_s;
        access.iter().any(|a| {
            let lo = from_s.saturating_add(a.walk_s).saturating_add(slack);
            let hi = to_s.saturating_add(a.walk_s).saturating_add(slack);
            tt.patterns_at(a.stop as usize).iter().any(|&(p, pos)| {
                let pat = tt.patterns[p as usize];
                if !tt.can_board[pat.stops_at as usize + pos as usize] {
                    return false;
                }
                // Departures at a position rise with the trip index (no overtaking).
                let dep = |t: usize| tt.departure_s[pat.time_index(t, pos as usize)];
                let (mut l, mut h) = (0usize, pat.n_trips as usize);
                while l < h {
                    let mid = (l + h) / 2;
                    if dep(mid) < lo { l = mid + 1 } else { h = mid }
                }
                l < pat.n_trips as usize && dep(l) < hi
            })
        })
    }

    /// The walks from the door to the first stops leaving at `depart_s`,
    /// and nothing else (see [`Raptor::run_range`]).
    fn walk_to_first_stops(&mut self, access: &[StopWalk], depart_s: u32) {
        self.bound = depart_s.saturating_add(self.limit_s);
        for (i, a) in access.iter().enumerate() {
            let t = depart_s.saturating_add(a.walk_s);
            self.improve_any(0, a.stop as usize, t, Step::Access(i as u32));
        }
        for &s in &self.marked_list {
            self.marked[s as usize] = false;
        }
        self.marked_list.clear();
    }

    /// Earliest arrival at `stop` by any means (vehicle, footpath or the
    /// walk from the start), with at most `max_transfers` transfers.
    #[inline]
    pub fn arrival(&self, stop: usize) -> u32 {
        self.any[(self.rounds - 1) * self.n + stop]
    }

    /// Earliest arrival at `stop` by vehicle (where the walk to the
    /// destination may start).
    #[inline]
    pub fn ride_arrival(&self, stop: usize) -> u32 {
        self.ride[(self.rounds - 1) * self.n + stop]
    }

    /// Earliest arrival at `stop` with at most `vehicles` vehicles, by any means.
    pub fn arrival_with(&self, stop: usize, vehicles: usize) -> u32 {
        self.any[vehicles.min(self.rounds - 1) * self.n + stop]
    }

    /// Label and step of `stop` after `round` vehicles: by vehicle when
    /// `by_ride`, else by any means.
    pub fn label(&self, round: usize, stop: usize, by_ride: bool) -> (u32, Step) {
        let i = round * self.n + stop;
        if by_ride { (self.ride[i], self.ride_step[i]) } else { (self.any[i], self.any_step[i]) }
    }

    /// Number of rounds kept (vehicles + 1).
    pub fn rounds(&self) -> usize {
        self.rounds
    }

    #[inline]
    fn improve_any(&mut self, round: usize, stop: usize, t: u32, step: Step) -> bool {
        if t > self.bound || t >= self.any[round * self.n + stop] {
            return false;
        }
        for r in round..self.rounds {
            let i = r * self.n + stop;
            if t >= self.any[i] {
                break;
            }
            self.any[i] = t;
            self.any_step[i] = step;
        }
        if !self.marked[stop] {
            self.marked[stop] = true;
            self.marked_list.push(stop as u32);
        }
        true
    }

    fn iterate(&mut self, access: &[StopWalk], depart_s: u32) {
        self.bound = depart_s.saturating_add(self.limit_s);
        for (i, a) in access.iter().enumerate() {
            let t = depart_s.saturating_add(a.walk_s);
            self.improve_any(0, a.stop as usize, t, Step::Access(i as u32));
        }
        for k in 1..self.rounds {
            if self.marked_list.is_empty() {
                break;
            }
            // Patterns through the stops improved last round, from their earliest such stop.
            for &s in &self.marked_list {
                self.marked[s as usize] = false;
                for &(p, pos) in self.tt.patterns_at(s as usize) {
                    let q = &mut self.queue_pos[p as usize];
                    if *q == UNREACHED {
                        self.queue.push(p);
                        *q = pos;
                    } else if pos < *q {
                        *q = pos;
                    }
                }
            }
            self.marked_list.clear();
            let queue = std::mem::take(&mut self.queue);
            for &p in &queue {
                let start = std::mem::replace(&mut self.queue_pos[p as usize], UNREACHED);
                self.scan(k, p as usize, start as usize);
            }
            self.work.0 += queue.len() as u64;
            self.queue = queue;
            self.queue.clear();
            // Footpaths from the stops just reached by vehicle.
            let rode = std::mem::take(&mut self.rode_list);
            let fp = &self.tt.footpaths;
            for &s in &rode {
                self.rode[s as usize] = false;
                let t = self.ride[k * self.n + s as usize];
                for f in fp.from(s as usize) {
                    let to = fp.to[f] as usize;
                    self.improve_any(k, to, t.saturating_add(fp.walk_s[f]), Step::Walk { from: s, footpath: f as u32, round: k as u8 });
                }
            }
            self.work.1 += rode.len() as u64;
            self.rode_list = rode;
            self.rode_list.clear();
        }
        for &s in &self.marked_list {
            self.marked[s as usize] = false;
        }
        self.marked_list.clear();
    }

    /// Scans pattern `p` from position `start` in round `k`.
    fn scan(&mut self, k: usize, p: usize, start: usize) {
        let tt = self.tt;
        let pat = tt.patterns[p];
        let n_stops = pat.n_stops as usize;
        let n_trips = pat.n_trips as usize;
        let range = pat.stop_range();
        let stops = &tt.pattern_stops[range.clone()];
        let board_ok = &tt.can_board[range.clone()];
        let alight_ok = &tt.can_alight[range];
        let times = pat.times_at as usize;
        let dep = |trip: usize, pos: usize| tt.departure_s[times + trip * n_stops + pos];
        let prev = (k - 1) * self.n;
        let cur = k * self.n;
        let mut trip = usize::MAX;
        let mut board = 0usize;
        for pos in start..n_stops {
            let s = stops[pos] as usize;
            if trip != usize::MAX && alight_ok[pos] {
                let a = tt.arrival_s[times + trip * n_stops + pos];
                if a < self.ride[cur + s] && a <= self.bound {
                    let step = Step::Ride { pattern: p as u32, trip: trip as u32, board: board as u16, alight: pos as u16, round: k as u8 };
                    for r in k..self.rounds {
                        let i = r * self.n + s;
                        if a >= self.ride[i] {
                            break;
                        }
                        self.ride[i] = a;
                        self.ride_step[i] = step;
                    }
                    if !self.rode[s] {
                        self.rode[s] = true;
                        self.rode_list.push(s as u32);
                    }
                    self.improve_any(k, s, a, step);
                }
            }
            if board_ok[pos] {
                let label = self.any[prev + s];
                if label != UNREACHED {
                    let need = label.saturating_add(self.opts.board_slack_s);
                    if trip == usize::MAX {
                        // Earliest trip leaving at or after `need`: departures at a
                        // position rise with the trip index (no overtaking).
                        let (mut lo, mut hi) = (0usize, n_trips);
                        while lo < hi {
                            let mid = (lo + hi) / 2;
                            if dep(mid, pos) < need { lo = mid + 1 } else { hi = mid }
                        }
                        if lo < n_trips {
                            trip = lo;
                            board = pos;
                        }
                    } else {
                        while trip > 0 && dep(trip - 1, pos) >= need {
                            trip -= 1;
                            board = pos;
                        }
                    }
                }
            }
        }
    }
}
