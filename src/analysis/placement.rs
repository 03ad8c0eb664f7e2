//! Placement suggestions: turns "where should this service (or this group of
//! services) go?" on a loaded scenario into an optimisation problem over the
//! study's sites, solves it with `optimise`, and carries the answer back
//! into the scenario. The tier rules shape the problem: tier 3 places `p`
//! sites anywhere; tier 2 places exactly one site in each locality pair (a
//! locality left out of every pair gets one of its own), and its residents
//! may only use their pair's site, as the analysis assumes; tier 1 belongs at
//! every HLC and has nothing to place.

use crate::analysis::assign::Geography;
use crate::analysis::optimise::{self, Method, Objective, Options, Problem, Sector, Solution, Value};
use crate::error::{Error, Result};
use crate::input::contacts::Contact;
use crate::model::Site;
use crate::plan::scenario::Scenario;
use crate::plan::services::Tier;
use crate::region::Region;
use crate::travel::{Mode, TravelTimes};

/// What each zone's demand is counted in.
#[derive(Debug, Clone, PartialEq)]
pub enum Weighting {
    /// Residents.
    Population,
    /// Patient contacts a year for the services placed (from the contacts file).
    Contacts,
    /// A numeric zone property, e.g. a deprivation score or the residents over 65.
    Field(String),
}

impl std::str::FromStr for Weighting {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s.trim() {
            "" => return Err("give a weighting: population, contacts or a zone property".into()),
            x if x.eq_ignore_ascii_case("population") => Weighting::Population,
            x if x.eq_ignore_ascii_case("contacts") => Weighting::Contacts,
            x => Weighting::Field(x.to_string()),
        })
    }
}

impl std::fmt::Display for Weighting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Weighting::Population => write!(f, "residents"),
            Weighting::Contacts => write!(f, "patient contacts"),
            Weighting::Field(n) => write!(f, "zone property '{n}'"),
        }
    }
}

/// Why a placement cannot be suggested as asked: each names the service,
/// site, zone, pair or setting at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlacementError {
    /// A site id that is not in the region.
    #[error("site '{id}' does not exist; the sites include {}", some.join(", "))]
    UnknownSite {
        /// The id asked for.
        id: String,
        /// The first few ids of the region's sites.
        some: Vec<String>,
    },
    /// A service id that is not in the scenario.
    #[error("service '{id}' is not in the scenario; its tier 2 and 3 services are: {}", known.join(", "))]
    UnknownService {
        /// The id asked for.
        id: String,
        /// The scenario's tier 2 and 3 service ids.
        known: Vec<String>,
    },
    /// No service of the tier asked for.
    #[error("the scenario has no tier {tier} services")]
    NoServiceOfTier {
        /// The tier number.
        tier: u8,
    },
    /// No service is named.
    #[error("no service chosen to place")]
    NoService,
    /// Services of different tiers, which are placed by different rules.
    #[error("{first} ({first_tier}) and {other} ({other_tier}) have different tiers; place them separately")]
    MixedTiers {
        /// The first service's name.
        first: String,
        /// Its tier.
        first_tier: Tier,
        /// A service of another tier.
        other: String,
        /// Its tier.
        other_tier: Tier,
    },
    /// Zero sites asked for: the tier rules want every service somewhere.
    #[error("--p 0 would offer a {tier} service nowhere, which breaks the tier rules: ask for 1 site or more")]
    NoSitesAsked {
        /// The tier of the services.
        tier: Tier,
    },
    /// A tier 1 service, which goes to every HLC.
    #[error("{service} is tier 1, which goes to every locality's HLC: there is nothing to place. Make it tier 2 or 3 to let accessplan choose sites")]
    TierOne {
        /// The service's name.
        service: String,
    },
    /// The mode judged by has no travel times.
    #[error("no {} travel times are loaded for this region (modes loaded: {})", mode.title().to_lowercase(), loaded.iter().map(|m| m.label()).collect::<Vec<_>>().join(", "))]
    ModeNotLoaded {
        /// The mode asked for.
        mode: Mode,
        /// The modes there are.
        loaded: Vec<Mode>,
    },
    /// Weighting by contacts, and none is recorded for the services.
    #[error("no patient contacts are recorded for {}, so they cannot weight the zones; weight by population instead", services.join(", "))]
    NoContacts {
        /// The services' ids.
        services: Vec<String>,
    },
    /// Weighting by a zone property that a zone lacks.
    #[error("zone '{zone}' has no numeric property '{property}' to weight by ({})", if known.is_empty() { "the zones carry no numeric properties".to_string() } else { format!("numeric properties: {}", known.join(", ")) })]
    NoWeight {
        /// The zone's id.
        zone: String,
        /// The property asked for.
        property: String,
        /// The numeric properties the zones carry.
        known: Vec<String>,
    },
    /// Capacities asked for without weighting by contacts (capacities are contacts a year).
    #[error("site capacities are contacts a year, so --capacity needs the zones weighted by contacts")]
    CapacityNeedsContacts,
    /// A locality pair with no site for its tier 2 services.
    #[error(
        "tier 2 needs one site in each locality pair, and for {pair} {}. Add a candidate site there (in the app: Add a candidate site), or pair the localities differently (locality_pairs in the scenario)",
        if *filtered { "no site there is left once the excluded sites and kinds are set aside" } else { "no site stands there" }
    )]
    NoSiteInPair {
        /// The pair, e.g. `Westholm + Millford`.
        pair: String,
        /// Whether sites were set aside (excluded, or of other kinds).
        filtered: bool,
    },
    /// No candidate site is left once sites are set aside.
    #[error("no candidate site is left once the excluded sites and kinds ({}) are set aside; the sites' kinds are: {}", kinds.join(", "), site_kinds.join(", "))]
    NoCandidateLeft {
        /// The kinds asked for.
        kinds: Vec<String>,
        /// The kinds of the region's sites.
        site_kinds: Vec<String>,
    },
    /// A number of tier 2 sites other than one per locality pair.
    #[error("tier 2 places exactly one site in each of the {} locality pairs ({}), so the number of sites is {}; {asked} cannot hold", pairs.len(), pairs.join("; "), pairs.len())]
    PairCount {
        /// The pairs (sectors), e.g. `Westholm + Millford`.
        pairs: Vec<String>,
        /// The number asked for.
        asked: usize,
    },
}

/// A request for a placement.
#[derive(Debug, Clone)]
pub struct PlacementRequest {
    /// Services placed together (scenario indices, all of one tier).
    pub services: Vec<usize>,
    /// Mode and period the journeys are judged by.
    pub mode: Mode,
    /// What to optimise.
    pub objective: Objective,
    /// What demand counts in.
    pub weighting: Weighting,
    /// Number of sites for tier 3 (default: as many as offer it now, at least 1).
    pub sites: Option<usize>,
    /// Sites that must stay (region indices).
    pub fixed: Vec<usize>,
    /// Sites that must not be used (region indices).
    pub excluded: Vec<usize>,
    /// Only sites of these kinds are candidates (empty: every site).
    pub kinds: Vec<String>,
    /// Respect the sites' capacities (contacts a year; needs contact weighting).
    pub capacity: bool,
    /// Threshold for the cover objectives, minutes (default: the scenario's for the mode).
    pub threshold_min: Option<f64>,
    /// Solver settings.
    pub options: Options,
}

impl PlacementRequest {
    /// A request with the usual settings: p-median by car off peak, by residents.
    pub fn new(services: Vec<usize>) -> Self {
        PlacementRequest {
            services,
            mode: Mode::CarOffpeak,
            objective: Objective::Median,
            weighting: Weighting::Population,
            sites: None,
            fixed: Vec::new(),
            excluded: Vec::new(),
            kinds: Vec::new(),
            capacity: false,
            threshold_min: None,
            options: Options::default(),
        }
    }
}

/// A suggested placement beside the current one.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// The services placed (scenario indices).
    pub services: Vec<usize>,
    /// Their tier.
    pub tier: Tier,
    /// Mode judged by.
    pub mode: Mode,
    /// Objective.
    pub objective: Objective,
    /// Demand weighting.
    pub weighting: Weighting,
    /// Threshold used for coverage figures, minutes.
    pub threshold_min: f64,
    /// Sites offering the services now (region indices).
    pub current_sites: Vec<usize>,
    /// The current placement's value on the same problem.
    pub current: Value,
    /// The solver's answer (`open` are region site indices).
    pub solution: Solution,
    /// The parts solved on their own (locality pairs for tier 2).
    pub sectors: Vec<String>,
    /// What was left out and why (zones without a locality, ...).
    pub notes: Vec<String>,
}

impl Suggestion {
    /// Puts the suggested sites into the scenario: every service placed is
    /// offered at exactly the suggested sites.
    pub fn apply(&self, scenario: &mut Scenario) {
        for &si in &self.services {
            let s = &mut scenario.services[si];
            s.offered.iter_mut().for_each(|o| *o = false);
            for &x in &self.solution.open {
                if let Some(o) = s.offered.get_mut(x) {
                    *o = true;
                }
            }
        }
    }

    /// Mean time gained, minutes (positive: the suggestion is quicker).
    pub fn mean_gain_min(&self) -> f64 {
        (self.current.mean_time_s - self.solution.value.mean_time_s) / 60.0
    }

    /// Coverage gained, percentage points.
    pub fn cover_gain_points(&self) -> Option<f64> {
        Some((self.solution.value.covered_share? - self.current.covered_share?) * 100.0)
    }
}

/// Finds a site of `sites` by id, with a message listing a few ids when it
/// does not exist.
pub fn site_index(sites: &[Site], id: &str) -> Result<usize> {
    sites.iter().position(|s| s.id == id).ok_or_else(|| {
        let some: Vec<String> = sites.iter().take(8).map(|s| s.id.clone()).collect();
        PlacementError::UnknownSite { id: id.to_string(), some }.into()
    })
}

/// The demand of each zone under a weighting.
pub fn zone_weights(region: &Region, scenario: &Scenario, services: &[usize], weighting: &Weighting, contacts: &[Contact]) -> Result<Vec<f64>> {
    match weighting {
        Weighting::Population => Ok(region.zones.iter().map(|z| z.population).collect()),
        Weighting::Contacts => {
            let ids: Vec<&str> = services.iter().map(|&s| scenario.services[s].id.as_str()).collect();
            let mut w = vec![0.0; region.zones.len()];
            for c in contacts.iter().filter(|c| ids.contains(&c.service.as_str())) {
                w[c.zone] += c.contacts_per_year;
            }
            if w.iter().sum::<f64>() <= 0.0 {
                return Err(PlacementError::NoContacts { services: ids.iter().map(|s| s.to_string()).collect() }.into());
            }
            Ok(w)
        }
        Weighting::Field(name) => region
            .zones
            .iter()
            .map(|z| {
                z.weights.get(name).copied().ok_or_else(|| {
                    let known: Vec<String> =
                        region.zones.iter().flat_map(|z| z.weights.keys()).collect::<std::collections::BTreeSet<_>>().into_iter().cloned().collect();
                    PlacementError::NoWeight { zone: z.id.clone(), property: name.clone(), known }.into()
                })
            })
            .collect(),
    }
}

/// The tier shared by the services of a request.
fn tier_of(scenario: &Scenario, services: &[usize]) -> Result<Tier> {
    let first = services.first().ok_or(PlacementError::NoService)?;
    let tier = scenario.services[*first].tier;
    if let Some(o) = services.iter().find(|&&s| scenario.services[s].tier != tier) {
        let (a, b) = (&scenario.services[*first], &scenario.services[*o]);
        return Err(PlacementError::MixedTiers { first: a.name.clone(), first_tier: a.tier, other: b.name.clone(), other_tier: b.tier }.into());
    }
    Ok(tier)
}

/// The problem for a request: candidates are `sites`, the study's (column
/// `c` of the problem is site `c`), sectors follow the tier rules. Also returns
/// notes on what was left out.
pub fn build_problem(
    req: &PlacementRequest,
    scenario: &Scenario,
    region: &Region,
    sites: &[Site],
    tt: &TravelTimes,
    geo: &Geography,
    contacts: &[Contact],
) -> Result<(Problem, Tier, Vec<String>)> {
    build(req, scenario, region, sites, tt, geo, contacts).map(|(problem, _, tier, notes)| (problem, tier, notes))
}

/// [`build_problem`], also returning each sector's sites before the request's
/// kinds filter (today's placement is scored on those).
fn build(
    req: &PlacementRequest,
    scenario: &Scenario,
    region: &Region,
    sites: &[Site],
    tt: &TravelTimes,
    geo: &Geography,
    contacts: &[Contact],
) -> Result<Built> {
    let geo = &geo.under(scenario);
    let tier = tier_of(scenario, &req.services)?;
    if tier == Tier::ONE {
        return Err(PlacementError::TierOne { service: scenario.services[req.services[0]].name.clone() }.into());
    }
    let m = tt.get(req.mode).ok_or_else(|| PlacementError::ModeNotLoaded { mode: req.mode, loaded: tt.modes() })?;
    let weight = zone_weights(region, scenario, &req.services, &req.weighting, contacts)?;
    if req.capacity && req.weighting != Weighting::Contacts {
        return Err(PlacementError::CapacityNeedsContacts.into());
    }
    let mut notes = Vec::new();
    if req.weighting == Weighting::Population && region.inputs.zone_options.population_field.is_none() {
        notes.push("the zones carry no population, so each zone counts once (output areas hold similar numbers of residents)".to_string());
    }
    let threshold_min = req.threshold_min.unwrap_or_else(|| scenario.thresholds.minutes(req.mode));
    let n_sites = sites.len();
    let allowed: Vec<bool> =
        (0..n_sites).map(|s| req.fixed.contains(&s) || req.kinds.is_empty() || req.kinds.iter().any(|k| k.eq_ignore_ascii_case(&sites[s].kind))).collect();
    // Sectors with every site of their area; the kinds filter comes after.
    let mut sectors = if tier == Tier::TWO && !scenario.free_choice && !region.localities.is_empty() {
        let mut areas: Vec<(String, Vec<usize>)> =
            scenario.pairs.iter().map(|&(a, b)| (format!("{} + {}", region.localities[a].name, region.localities[b].name), vec![a, b])).collect();
        for (li, l) in region.localities.iter().enumerate() {
            if !scenario.pairs.iter().any(|&(a, b)| a == li || b == li) {
                areas.push((l.name.clone(), vec![li]));
                notes.push(format!("{} is in no locality pair, so it gets a tier 2 site of its own", l.name));
            }
        }
        let in_area = |loc: Option<usize>, area: &[usize]| loc.is_some_and(|l| area.contains(&l));
        let left_out: Vec<&str> = (0..region.zones.len()).filter(|&z| geo.zone_locality[z].is_none()).map(|z| region.zones[z].id.as_str()).collect();
        if !left_out.is_empty() {
            notes.push(format!(
                "{} zones lie in no locality and are left out of the tier 2 placement (e.g. {})",
                left_out.len(),
                left_out.iter().take(3).copied().collect::<Vec<_>>().join(", ")
            ));
        }
        areas
            .into_iter()
            .map(|(label, area)| Sector {
                label,
                zones: (0..region.zones.len()).filter(|&z| in_area(geo.zone_locality[z], &area)).collect(),
                candidates: (0..n_sites).filter(|&s| in_area(geo.site_locality[s], &area)).collect(),
                open: 1,
            })
            .collect::<Vec<_>>()
    } else {
        let current = current_sites(scenario, &req.services).len().max(1);
        vec![Sector {
            label: "the whole region".into(),
            zones: (0..region.zones.len()).collect(),
            candidates: (0..n_sites).collect(),
            open: req.sites.unwrap_or(current),
        }]
    };
    let area_sites: Vec<Vec<usize>> = sectors.iter().map(|s| s.candidates.clone()).collect();
    for s in &mut sectors {
        s.candidates.retain(|&c| allowed[c]);
    }
    if let Some(empty) = sectors.iter().find(|s| s.candidates.is_empty() && !s.zones.is_empty()) {
        return Err(if tier == Tier::TWO {
            PlacementError::NoSiteInPair { pair: empty.label.clone(), filtered: !(req.kinds.is_empty() && req.excluded.is_empty()) }
        } else {
            let mut site_kinds: Vec<String> = sites.iter().map(|s| s.kind.clone()).collect();
            site_kinds.sort_unstable();
            site_kinds.dedup();
            PlacementError::NoCandidateLeft { kinds: req.kinds.clone(), site_kinds }
        }
        .into());
    }
    if tier == Tier::TWO
        && let Some(p) = req.sites
        && p != sectors.len()
    {
        return Err(PlacementError::PairCount { pairs: sectors.iter().map(|s| s.label.clone()).collect(), asked: p }.into());
    }
    if req.sites == Some(0) {
        return Err(PlacementError::NoSitesAsked { tier }.into());
    }
    // A zone no candidate of its sector reaches scores the same under every
    // placement: left in, it would make every placement tie on the longest
    // journey (the p-center objective) and add a constant elsewhere. It is
    // left out of the objective and named.
    let mut weight = weight;
    let mut unreached: Vec<usize> = Vec::new();
    for sec in &sectors {
        for &z in &sec.zones {
            if weight[z] > 0.0 && sec.candidates.iter().all(|&c| m.time(z, c).is_none()) {
                unreached.push(z);
            }
        }
    }
    if !unreached.is_empty() {
        let residents: f64 = unreached.iter().map(|&z| weight[z]).sum();
        notes.push(format!(
            "{} zones (weight {:.0}) have no journey by {} to any candidate site, so no placement can serve them; they are left out of the objective (e.g. {})",
            unreached.len(),
            residents,
            req.mode.title().to_lowercase(),
            unreached.iter().take(3).map(|&z| region.zones[z].id.as_str()).collect::<Vec<_>>().join(", ")
        ));
        for &z in &unreached {
            weight[z] = 0.0;
        }
    }
    let problem = Problem {
        zones: region.zones.len(),
        candidates: n_sites,
        time_s: m.times_s().to_vec(),
        weight,
        threshold_s: Some((threshold_min * 60.0) as f32),
        objective: req.objective,
        sectors,
        fixed: req.fixed.clone(),
        excluded: req.excluded.clone(),
        capacity: req.capacity.then(|| sites.iter().map(|s| s.capacity).collect()),
        candidate_names: sites.iter().map(|s| format!("{} ({})", s.name, s.id)).collect(),
    };
    Ok((problem, area_sites, tier, notes))
}

/// Sites offering any of the services now.
fn current_sites(scenario: &Scenario, services: &[usize]) -> Vec<usize> {
    let mut v: Vec<usize> = services.iter().flat_map(|&s| scenario.services[s].sites()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A request turned into a problem, with today's placement scored on it:
/// everything but the solving, which can then run on another thread (it
/// owns its data).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The problem (column `c` is region site `c`).
    pub problem: Problem,
    /// Solver settings.
    pub options: Options,
    /// The services placed.
    pub services: Vec<usize>,
    /// Their tier.
    pub tier: Tier,
    /// Mode judged by.
    pub mode: Mode,
    /// Demand weighting.
    pub weighting: Weighting,
    /// Sites offering the services now.
    pub current_sites: Vec<usize>,
    /// Today's placement scored on the problem.
    pub current: Value,
    /// What was left out and why.
    pub notes: Vec<String>,
}

/// A built problem: the problem, each sector's sites before the kinds
/// filter, the tier, and notes for the planner.
type Built = (Problem, Vec<Vec<usize>>, Tier, Vec<String>);

/// Builds the problem for a request and scores today's placement on it.
pub fn prepare(
    req: &PlacementRequest,
    scenario: &Scenario,
    region: &Region,
    sites: &[Site],
    tt: &TravelTimes,
    geo: &Geography,
    contacts: &[Contact],
) -> Result<Prepared> {
    let (mut problem, area_sites, tier, notes) = build(req, scenario, region, sites, tt, geo, contacts)?;
    optimise::validate(&problem)?;
    // Today's placement is scored on the same problem with every site of
    // each area allowed (it may use sites the request filters out; `evaluate`
    // scores excluded sites as any other).
    let current_sites = current_sites(scenario, &req.services);
    let filtered: Vec<Vec<usize>> = problem.sectors.iter_mut().zip(area_sites).map(|(s, all)| std::mem::replace(&mut s.candidates, all)).collect();
    let current = optimise::evaluate(&problem, &current_sites);
    for (s, c) in problem.sectors.iter_mut().zip(filtered) {
        s.candidates = c;
    }
    Ok(Prepared {
        problem,
        options: req.options.clone(),
        services: req.services.clone(),
        tier,
        mode: req.mode,
        weighting: req.weighting.clone(),
        current_sites,
        current,
        notes,
    })
}

impl Prepared {
    /// Solves the problem (within the time limit) and returns the suggestion.
    pub fn solve(self) -> Result<Suggestion> {
        self.solve_with(&crate::progress::Progress::new())
    }

    /// [`Prepared::solve`] with a progress handle: Cancel stops the search
    /// and returns [`Error::Cancelled`].
    pub fn solve_with(self, progress: &crate::progress::Progress) -> Result<Suggestion> {
        let solution = match optimise::solve_with(&self.problem, &self.options, progress) {
            Ok(s) => s,
            Err(optimise::OptimiseError::Cancelled) => return Err(Error::Cancelled),
            Err(e) => return Err(e.into()),
        };
        Ok(Suggestion {
            services: self.services,
            tier: self.tier,
            mode: self.mode,
            objective: self.problem.objective,
            weighting: self.weighting,
            threshold_min: self.problem.threshold_s.map(|t| t as f64 / 60.0).unwrap_or(0.0),
            current_sites: self.current_sites,
            current: self.current,
            solution,
            sectors: self.problem.sectors.iter().map(|s| s.label.clone()).collect(),
            notes: self.notes,
        })
    }
}

/// Suggests a placement and scores the current one on the same problem.
pub fn suggest(
    req: &PlacementRequest,
    scenario: &Scenario,
    region: &Region,
    sites: &[Site],
    tt: &TravelTimes,
    geo: &Geography,
    contacts: &[Contact],
) -> Result<Suggestion> {
    prepare(req, scenario, region, sites, tt, geo, contacts)?.solve()
}

/// The method names the command line accepts.
pub fn parse_method(s: &str) -> std::result::Result<Method, String> {
    match s.to_ascii_lowercase().as_str() {
        "auto" => Ok(Method::Auto),
        "exact" => Ok(Method::Exact),
        "heuristic" => Ok(Method::Heuristic),
        _ => Err(format!("unknown method '{s}' (expected auto, exact or heuristic)")),
    }
}
