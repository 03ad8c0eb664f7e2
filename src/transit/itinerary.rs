//! One journey's legs, for the journey view and reports: walk to a stop,
//! ride a route from one stop to another, walk between stops to change,
//! walk to the destination. Found by one RAPTOR search from the origin and
//! traced back through the steps it kept; walking all the way is chosen
//! when it is at least as fast.

use std::fmt;

use crate::geom::LonLat;
use crate::network::Period;
use crate::transit::date::fmt_hm;
use crate::transit::raptor::{Raptor, Step, StopWalk, UNREACHED};
use crate::transit::router::{BusRouter, NoBusTime};

/// A place a leg starts or ends at.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// The journey's start (the door).
    Origin,
    /// The journey's end.
    Destination,
    /// A stop.
    Stop {
        /// Index of the stop in the timetable.
        index: u32,
        /// Its name.
        name: String,
        /// Its `stop_code` or id, as shown at the stop.
        code: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Origin => write!(f, "the start"),
            Place::Destination => write!(f, "the destination"),
            Place::Stop { name, code, .. } => write!(f, "{name} ({code})"),
        }
    }
}

/// One leg of a journey.
#[derive(Debug, Clone, PartialEq)]
pub enum Leg {
    /// A walk.
    Walk {
        /// Where it starts.
        from: Place,
        /// Where it ends.
        to: Place,
        /// When it starts, seconds since midnight.
        depart_s: u32,
        /// When it ends.
        arrive_s: u32,
        /// Its length, metres.
        length_m: f32,
    },
    /// A ride on one vehicle.
    Ride {
        /// The route's name for riders (e.g. `R1`).
        route: String,
        /// The kind of vehicle (`bus`, `coach`, ...).
        mode: &'static str,
        /// Where the vehicle is heading, if the feed says.
        headsign: Option<String>,
        /// The feed's trip id.
        trip_id: String,
        /// Boarding stop.
        from: Place,
        /// Alighting stop.
        to: Place,
        /// Departure from the boarding stop.
        depart_s: u32,
        /// Arrival at the alighting stop.
        arrive_s: u32,
        /// Stops travelled (alighting stop included).
        stops: u32,
    },
}

impl Leg {
    /// When the leg starts.
    pub fn depart_s(&self) -> u32 {
        match self {
            Leg::Walk { depart_s, .. } | Leg::Ride { depart_s, .. } => *depart_s,
        }
    }
    /// When the leg ends.
    pub fn arrive_s(&self) -> u32 {
        match self {
            Leg::Walk { arrive_s, .. } | Leg::Ride { arrive_s, .. } => *arrive_s,
        }
    }
}

/// A door-to-door journey.
#[derive(Debug, Clone, PartialEq)]
pub struct Itinerary {
    /// When the traveller leaves the door, seconds since midnight.
    pub depart_s: u32,
    /// When they reach the destination.
    pub arrive_s: u32,
    /// The legs, in order.
    pub legs: Vec<Leg>,
}

impl Itinerary {
    /// Door-to-door time, seconds (waiting at the first stop included).
    pub fn duration_s(&self) -> u32 {
        self.arrive_s - self.depart_s
    }
    /// Number of vehicles ridden.
    pub fn rides(&self) -> usize {
        self.legs.iter().filter(|l| matches!(l, Leg::Ride { .. })).count()
    }
    /// Number of transfers.
    pub fn transfers(&self) -> usize {
        self.rides().saturating_sub(1)
    }
}

fn minutes(s: u32) -> u32 {
    (s + 30) / 60
}

impl fmt::Display for Itinerary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let transfers = match (self.rides(), self.transfers()) {
            (0, _) => "on foot".to_string(),
            (_, 0) => "no change".to_string(),
            (_, 1) => "1 change".to_string(),
            (_, n) => format!("{n} changes"),
        };
        write!(f, "leave {}, arrive {}: {} min door to door, {transfers}", fmt_hm(self.depart_s), fmt_hm(self.arrive_s), minutes(self.duration_s()))?;
        let mut last = self.depart_s;
        for leg in &self.legs {
            match leg {
                Leg::Walk { to, depart_s, arrive_s, length_m, .. } => {
                    write!(f, "\n  {}-{}  walk {:.0} m ({} min) to {to}", fmt_hm(*depart_s), fmt_hm(*arrive_s), length_m, minutes(arrive_s - depart_s))?;
                }
                Leg::Ride { route, mode, headsign, from, to, depart_s, arrive_s, stops, .. } => {
                    let towards = headsign.as_ref().map(|h| format!(" towards {h}")).unwrap_or_default();
                    let wait = depart_s.saturating_sub(last);
                    let wait = if wait >= 60 { format!(", after {} min wait", minutes(wait)) } else { String::new() };
                    let n = if *stops == 1 { "1 stop".to_string() } else { format!("{stops} stops") };
                    write!(f, "\n  {}-{}  {mode} {route}{towards} from {from} to {to} ({n}{wait})", fmt_hm(*depart_s), fmt_hm(*arrive_s))?;
                }
            }
            last = leg.arrive_s();
        }
        Ok(())
    }
}

impl BusRouter<'_> {
    /// The fastest journey from `from` to `to` leaving at `depart_s`
    /// (seconds since midnight), with its legs.
    pub fn itinerary(&self, from: LonLat, to: LonLat, depart_s: u32) -> Result<Itinerary, NoBusTime> {
        let os = self.snap(from).map_err(NoBusTime::OriginOffNetwork)?;
        let ds = self.snap(to).map_err(NoBusTime::DestinationOffNetwork)?;
        let mut search = self.search();
        let access = self.access(&mut search, from, &os);
        let egress = self.egress(&mut search, to, &ds);
        let walk = crate::network::one_journey(self.network(), Period::Offpeak, from, to, self.options.max_snap_m).ok();
        let mut raptor = Raptor::new(self.timetable, self.options.raptor());
        raptor.run(&access, depart_s);
        let best = egress
            .iter()
            .filter_map(|e| {
                let a = raptor.ride_arrival(e.stop as usize);
                (a != UNREACHED).then_some((a + e.walk_s, *e))
            })
            .min_by_key(|x| x.0);
        let walk_s = walk.map(|(t, _)| t.ceil() as u32);
        let limit = self.options.max_travel_s;
        match (best, walk_s) {
            (Some((arrive, e)), w) if w.is_none_or(|w| arrive - depart_s < w) && arrive - depart_s <= limit => self.trace(&raptor, &access, &e, depart_s),
            (_, Some(w)) if w <= limit => {
                let length_m = walk.map_or(0.0, |(_, l)| l);
                Ok(Itinerary {
                    depart_s,
                    arrive_s: depart_s + w,
                    legs: vec![Leg::Walk { from: Place::Origin, to: Place::Destination, depart_s, arrive_s: depart_s + w, length_m }],
                })
            }
            _ if access.is_empty() => Err(NoBusTime::NoStopNearOrigin { max_access_m: self.options.max_access_m }),
            _ if egress.is_empty() => Err(NoBusTime::NoStopNearDestination { max_egress_m: self.options.max_egress_m }),
            _ => Err(NoBusTime::NoJourney { max_travel_s: limit }),
        }
    }

    fn place(&self, s: u32) -> Place {
        let st = &self.timetable.stops[s as usize];
        Place::Stop { index: s, name: st.name.clone(), code: st.code.clone().unwrap_or_else(|| st.id.clone()) }
    }

    /// Follows the search's steps back from the last stop `egress.stop`.
    fn trace(&self, raptor: &Raptor<'_>, access: &[StopWalk], egress: &StopWalk, depart_s: u32) -> Result<Itinerary, NoBusTime> {
        let tt = self.timetable;
        let broken = NoBusTime::NoJourney { max_travel_s: self.options.max_travel_s };
        let last_round = raptor.rounds() - 1;
        let (arrive, mut step) = raptor.label(last_round, egress.stop as usize, true);
        let mut legs = vec![Leg::Walk {
            from: self.place(egress.stop),
            to: Place::Destination,
            depart_s: arrive,
            arrive_s: arrive + egress.walk_s,
            length_m: egress.length_m,
        }];
        for _ in 0..2 * raptor.rounds() + 2 {
            match step {
                Step::Ride { pattern, trip, board, alight, round } => {
                    let p = tt.patterns[pattern as usize];
                    let (b, a) = (board as usize, alight as usize);
                    let stops = &tt.pattern_stops[p.stop_range()];
                    let tref = tt.trips[p.trips_at as usize + trip as usize];
                    let route = tt.route_of(pattern as usize);
                    legs.push(Leg::Ride {
                        route: route.label().to_string(),
                        mode: route.mode_name(),
                        headsign: tt.headsigns[tref.feed_trip as usize].clone(),
                        trip_id: tt.trip_id(tref),
                        from: self.place(stops[b]),
                        to: self.place(stops[a]),
                        depart_s: tt.departure_s[p.time_index(trip as usize, b)],
                        arrive_s: tt.arrival_s[p.time_index(trip as usize, a)],
                        stops: (a - b) as u32,
                    });
                    step = raptor.label(round as usize - 1, stops[b] as usize, false).1;
                }
                Step::Walk { from, footpath, round } => {
                    let fp = &tt.footpaths;
                    let f = footpath as usize;
                    let (t, s) = raptor.label(round as usize, from as usize, true);
                    legs.push(Leg::Walk {
                        from: self.place(from),
                        to: self.place(fp.to[f]),
                        depart_s: t,
                        arrive_s: t + fp.walk_s[f],
                        length_m: fp.length_m[f],
                    });
                    step = s;
                }
                Step::Access(i) => {
                    let a = access.get(i as usize).ok_or(broken)?;
                    legs.push(Leg::Walk { from: Place::Origin, to: self.place(a.stop), depart_s, arrive_s: depart_s + a.walk_s, length_m: a.length_m });
                    legs.reverse();
                    return Ok(Itinerary { depart_s, arrive_s: arrive + egress.walk_s, legs });
                }
                Step::None => return Err(broken),
            }
        }
        Err(broken)
    }
}
