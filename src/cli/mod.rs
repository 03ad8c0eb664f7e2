//! Command-line interface: parses arguments with clap, calls the engine,
//! reports errors in plain words with a non-zero exit code.

mod demo;
mod evaluate;
mod inspect;
mod isochrone;
mod load;
pub(crate) mod map;
mod matrix;
mod new_study;
mod optimise;
mod progress;
mod scenario;
mod shard;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use accessplan::input::crs::CrsChoice;
use accessplan::network::{Period, StreetMode};

/// Plan where community health services go and see what it does to patients' journeys.
/// With no subcommand, opens the desktop app on the built-in demo region.
#[derive(Debug, Parser)]
#[command(name = "accessplan", version, about, long_about = None)]
pub struct Cli {
    /// Print no progress bars or notes, only errors and requested output.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Compute every street travel time afresh: neither read the times kept
    /// from earlier runs nor keep new ones (they are kept in ~/.cache/accessplan,
    /// or $ACCESSPLAN_HOME/cache; ACCESSPLAN_NO_CACHE=1 does the same).
    #[arg(long, global = true)]
    pub no_cache: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the desktop app on a scenario (default: the demo region).
    App {
        /// The scenario to open and edit.
        scenario: Option<PathBuf>,
        /// The baseline to compare it with (today, in a plan in phases).
        #[arg(long)]
        before: Option<PathBuf>,
        /// A later phase of the plan (repeat, in order): the app then steps
        /// through today (`--before`), SCENARIO and each phase on a timeline.
        #[arg(long = "phase")]
        phases: Vec<PathBuf>,
        /// Measure this many frames (start-up, frame time, edit to frame), print the figures and quit.
        #[arg(long, hide = true)]
        bench_frames: Option<usize>,
    },
    /// Load the built-in demo region and print what it holds and how far people are from their HLC.
    Demo {
        /// Project folder holding maps/demo and datasets/demo (default: this program's source folder).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Zones x sites travel times (minutes, km) as CSV.
    Matrix(MatrixArgs),
    /// Areas reachable within given minutes from a point, as GeoJSON bands.
    Isochrone(IsochroneArgs),
    /// Draw a scenario's travel times (or a comparison's change) as a PNG or
    /// SVG map, the same map as the app's File > Export.
    Map(MapArgs),
    /// Say what a file holds: kind, counts, extent, problems found.
    Inspect {
        /// The file (OSM .pbf/.osm, GTFS .zip or folder, GeoJSON, CSV).
        file: PathBuf,
    },
    /// Write a scenario file for a usual configuration.
    Scenario {
        /// Which configuration.
        #[arg(value_enum)]
        kind: ScenarioKind,
        /// A scenario file whose [inputs] to use (default: the demo region's).
        #[arg(long)]
        inputs: Option<PathBuf>,
        /// Output scenario file (TOML).
        #[arg(long)]
        out: PathBuf,
    },
    /// Make a study from the files a planner downloads: a folder with a first scenario.
    NewStudy(Box<NewStudyArgs>),
    /// Analyse one scenario: coverage, distances, journeys, loads, tier rules.
    Evaluate {
        /// The scenario file.
        scenario: PathBuf,
        /// Output folder for CSV tables, GeoJSON layers and the HTML report.
        #[arg(long)]
        out: PathBuf,
        /// Show counts of 1 to 4 as they are (default: "<5", for publication).
        #[arg(long)]
        no_suppression: bool,
    },
    /// Compare two scenarios on the same region, side by side with the
    /// differences; or a plan in phases (three or more scenarios: today, then
    /// each phase in order), each phase against today and against the one before.
    Compare {
        /// The baseline ("before", today) scenario, then the proposed one, or each phase of the plan in order.
        #[arg(num_args = 2.., required = true)]
        scenarios: Vec<PathBuf>,
        /// Output folder for CSV tables, GeoJSON layers and the HTML report.
        #[arg(long)]
        out: PathBuf,
        /// Show counts of 1 to 4 as they are (default: "<5", for publication).
        #[arg(long)]
        no_suppression: bool,
    },
    /// Suggest where a tier 2 or tier 3 service (or a whole tier) should go, and write it as a new scenario.
    Optimise(OptimiseArgs),
    /// Split a study too large for one machine into shards by sites (each an
    /// ordinary `matrix` run), or merge the shards' matrices into one CSV.
    #[command(subcommand)]
    Shard(ShardCommand),
    /// The app's autosave run headless for the process-level test: edit,
    /// idle until killed; or, with --recover, recover and print the state.
    #[command(hide = true)]
    AutosaveDrill {
        /// Recover the autosave and print the state instead.
        #[arg(long)]
        recover: bool,
    },
    /// Regenerate the demo region's files (deterministic; built with `--features demo-generator`).
    #[cfg(feature = "demo-generator")]
    #[command(hide = true)]
    GenerateDemo {
        /// Project folder to write maps/demo and datasets/demo into.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// `accessplan shard split` and `accessplan shard merge`.
#[derive(Debug, Subcommand)]
pub enum ShardCommand {
    /// Write N shard folders, each with the zones.csv and sites.csv of one
    /// group of neighbouring sites and the zones within --reach-km of them.
    Split {
        /// Population zones: GeoJSON polygons or points, or CSV points.
        #[arg(long)]
        zones: PathBuf,
        /// Zone id property or column (default: guessed).
        #[arg(long)]
        zone_id: Option<String>,
        /// Population property or column (default: guessed).
        #[arg(long)]
        population: Option<String>,
        /// Sites: CSV (id,name,lon,lat,...) or GeoJSON points.
        #[arg(long)]
        sites: PathBuf,
        /// Coordinate system of the zones and sites files: auto, wgs84 or bng (EPSG:27700).
        #[arg(long, default_value = "auto", value_parser = parse_crs)]
        crs: CrsChoice,
        /// Number of shards.
        #[arg(long)]
        shards: usize,
        /// Straight-line reach, km: a shard holds the zones within this distance of one of its sites.
        /// Choose it above every threshold the study uses (60 km covers an hour's drive).
        #[arg(long, default_value_t = 60.0)]
        reach_km: f64,
        /// Output folder (shard-001/, shard-002/..., shards.csv).
        #[arg(long)]
        out: PathBuf,
    },
    /// Join the shards' matrix CSVs (same command, same mode) into one.
    Merge {
        /// The shard matrices.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The merged CSV.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Arguments of `map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// The scenario to draw (the "after" of a comparison).
    pub scenario: PathBuf,
    /// The "before" scenario to compare it with (needed by --view before and difference).
    #[arg(long)]
    pub compare: Option<PathBuf>,
    /// Service id of the scenario (e.g. `podiatry`), or `any-hlc` for the nearest Healthy Living Centre.
    #[arg(long)]
    pub service: String,
    /// Mode: car-offpeak, car-peak, walk, cycle or bus.
    #[arg(long)]
    pub mode: String,
    /// What the colours show: before, after or difference (after minus before).
    #[arg(long, default_value = "after")]
    pub view: String,
    /// Image size: a4 or a3 (landscape; add -portrait), or WIDTHxHEIGHT in pixels.
    #[arg(long, default_value = "a4")]
    pub size: String,
    /// Resolution of a paper size, dots per inch.
    #[arg(long, default_value_t = 150)]
    pub dpi: u32,
    /// Map title (default: "Travel time to ...").
    #[arg(long)]
    pub title: Option<String>,
    /// Output file: .png or .svg.
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `optimise`.
#[derive(Debug, Args)]
pub struct OptimiseArgs {
    /// The scenario to start from (it is not changed).
    pub scenario: PathBuf,
    /// Service id(s) to place together, comma-separated (e.g. `podiatry`).
    #[arg(long, value_delimiter = ',', required_unless_present = "tier", conflicts_with = "tier")]
    pub service: Vec<String>,
    /// Or: place every service of this tier (2 or 3) together.
    #[arg(long)]
    pub tier: Option<u8>,
    /// What to optimise: median (shortest average time), cover (most people within the threshold),
    /// center (shortest worst time) or combined (cover first, then average time).
    #[arg(long, default_value = "median")]
    pub objective: accessplan::analysis::optimise::Objective,
    /// Number of sites (tier 3; tier 2 always has one per locality pair). Default: as many as today.
    #[arg(long)]
    pub p: Option<usize>,
    /// Mode the journeys are judged by: car-offpeak, car-peak, walk, cycle or bus.
    #[arg(long, default_value = "car-offpeak")]
    pub mode: accessplan::travel::Mode,
    /// Demand weighting: population, contacts, or the name of a numeric zone property.
    #[arg(long, default_value = "population")]
    pub weight: accessplan::analysis::placement::Weighting,
    /// Threshold in minutes for cover and combined (default: the scenario's threshold for the mode).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Site ids that must stay, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub fixed: Vec<String>,
    /// Site ids that must not be used, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// Only sites of these kinds are candidates, comma-separated (e.g. `hlc,clinic`).
    #[arg(long, value_delimiter = ',')]
    pub kinds: Vec<String>,
    /// Respect the sites' capacities (contacts a year); patients beyond a full site go to their next-nearest.
    #[arg(long)]
    pub capacity: bool,
    /// Solver: auto (exact when small enough), exact, or heuristic.
    #[arg(long, default_value = "auto", value_parser = accessplan::analysis::placement::parse_method)]
    pub method: accessplan::analysis::optimise::Method,
    /// Stop after this many seconds with the best placement found so far.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// The new scenario file to write (TOML).
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `new-study`.
#[derive(Debug, Args)]
pub struct NewStudyArgs {
    /// The study's name.
    #[arg(long)]
    pub name: String,
    /// The folder to write the study into (created if needed); the first scenario is `study.toml`.
    #[arg(long)]
    pub out: PathBuf,
    /// OpenStreetMap extract (.osm.pbf or .osm); a county extract is cut to the zones plus the margin.
    #[arg(long)]
    pub osm: Option<PathBuf>,
    /// Population zones (GeoJSON polygons or CSV points), e.g. census output areas.
    #[arg(long)]
    pub zones: PathBuf,
    /// The zones' id field (guessed when not given, e.g. OA11CD).
    #[arg(long)]
    pub zone_id: Option<String>,
    /// Population table keyed by zone code (a census download as it comes, e.g. from Nomis).
    #[arg(long)]
    pub population: Option<PathBuf>,
    /// The population table's column (or, without --population, the zones' own population field).
    #[arg(long)]
    pub population_field: Option<String>,
    /// A table of numeric zone attributes keyed by zone or area code (deprivation, age, cars); repeat for several.
    #[arg(long)]
    pub attributes: Vec<PathBuf>,
    /// Larger areas (GeoJSON) an attributes table may be keyed by, e.g. LSOAs; repeat, each with its --area-id.
    #[arg(long)]
    pub area_attributes: Vec<PathBuf>,
    /// The code property of each --area-attributes file (e.g. LSOA11CD), in the same order.
    #[arg(long)]
    pub area_id: Vec<String>,
    /// Candidate sites (CSV or GeoJSON; coordinates or postcodes); repeat for several files.
    #[arg(long)]
    pub sites: Vec<PathBuf>,
    /// Sites taken from OSM tags too, e.g. `amenity=hospital,clinic,doctors`.
    #[arg(long)]
    pub sites_from_osm: Option<String>,
    /// Postcode lookup (OS Code-Point Open, ONSPD or NSPL CSV) placing sites given by postcode.
    #[arg(long)]
    pub postcodes: Option<PathBuf>,
    /// GTFS timetable (zip or folder); repeat for bus, rail and coach feeds.
    #[arg(long)]
    pub gtfs: Vec<PathBuf>,
    /// Locality polygons (GeoJSON).
    #[arg(long)]
    pub localities: Option<PathBuf>,
    /// The localities' name field (guessed when not given).
    #[arg(long)]
    pub locality_name: Option<String>,
    /// Or: wards (GeoJSON) grouped into localities by --grouping.
    #[arg(long)]
    pub wards: Option<PathBuf>,
    /// The wards' code property (e.g. WD13CD).
    #[arg(long)]
    pub ward_id: Option<String>,
    /// CSV naming each ward's locality (ward code, locality).
    #[arg(long)]
    pub grouping: Option<PathBuf>,
    /// Patient contacts (CSV).
    #[arg(long)]
    pub contacts: Option<PathBuf>,
    /// Kilometres kept around the zones when the extract and feeds are cut (default 10).
    #[arg(long)]
    pub clip_margin_km: Option<f64>,
}

/// Configurations `scenario` can write.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ScenarioKind {
    /// Each service where it is delivered today (from the contacts' current sites).
    Baseline,
    /// Tier 1 at every HLC, tier 2 at the better-connected HLC of each pair, tier 3 at the best-connected site.
    HlcModel,
}

/// Options shared by commands that route on a street network.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// OpenStreetMap street network (.osm.pbf or .osm XML).
    #[arg(long)]
    pub osm: PathBuf,
    /// Travel mode: car, walk, cycle, or bus (with --gtfs; matrix only).
    #[arg(long, default_value = "car", value_parser = parse_mode)]
    pub mode: CliMode,
    /// Time of day for car travel.
    #[arg(long, default_value = "offpeak", value_parser = parse_period)]
    pub period: Period,
    /// Speed profile (TOML); default: the shipped assets/profile.toml.
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// Car speed calibration (CSV: class,period,speed_kmh or class,period,factor)
    /// applied on top of the profile, e.g. from local journey-time data.
    #[arg(long)]
    pub speed_calibration: Option<PathBuf>,
    /// Largest distance from a point to the street network, metres (1 to 10,000).
    #[arg(long, default_value_t = accessplan::network::snap::DEFAULT_MAX_SNAP_M, value_parser = parse_max_snap, allow_hyphen_values = true)]
    pub max_snap: f64,
}

/// The timetable options of commands that can route by bus.
#[derive(Debug, Args)]
pub struct BusArgs {
    /// GTFS timetable (zip or folder), for --mode bus; give it several times
    /// (bus, rail, coach) to merge the feeds into one public transport timetable.
    #[arg(long)]
    pub gtfs: Vec<PathBuf>,
    /// Service date for the bus, YYYY-MM-DD (default: the first Tuesday with service).
    #[arg(long, value_parser = parse_date)]
    pub date: Option<accessplan::transit::ServiceDate>,
}

/// A mode on the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CliMode {
    /// A street mode.
    Street(StreetMode),
    /// Bus, from a GTFS timetable.
    Bus,
}

/// Arguments of `matrix`.
#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub net: NetworkArgs,
    #[command(flatten)]
    pub bus: BusArgs,
    /// Departure window for the bus, HH:MM-HH:MM, every minute.
    #[arg(long, default_value = "07:00-09:00")]
    pub window: String,
    /// Population zones: GeoJSON polygons or points, or CSV points.
    #[arg(long)]
    pub zones: PathBuf,
    /// Zone id property or column (default: guessed as the New-study form does: zone_id, id, code, or a census code such as OA11CD).
    #[arg(long)]
    pub zone_id: Option<String>,
    /// Population property or column (default: guessed as the New-study form does: population, pop, residents, All usual residents...; without one every zone weighs 1).
    #[arg(long)]
    pub population: Option<String>,
    /// Sites: CSV (id,name,lon,lat,...) or GeoJSON points.
    #[arg(long, conflicts_with = "sites_from_osm", required_unless_present = "sites_from_osm")]
    pub sites: Option<PathBuf>,
    /// Take sites from OSM tags, e.g. `amenity=hospital,clinic,doctors`.
    #[arg(long)]
    pub sites_from_osm: Option<String>,
    /// Coordinate system of the zones and sites files: auto, wgs84 or bng (EPSG:27700).
    #[arg(long, default_value = "auto", value_parser = parse_crs)]
    pub crs: CrsChoice,
    /// Kilometres kept around the zones when the OSM extract and the feeds are cut to the study area (inf: keep them whole).
    #[arg(long, default_value_t = accessplan::region::DEFAULT_CLIP_MARGIN_KM, allow_hyphen_values = true)]
    pub clip_margin_km: f64,
    /// Output CSV.
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `isochrone`.
#[derive(Debug, Args)]
pub struct IsochroneArgs {
    #[command(flatten)]
    pub net: NetworkArgs,
    /// Start point as LON,LAT (WGS84).
    #[arg(long, value_parser = parse_lonlat, allow_hyphen_values = true)]
    pub at: accessplan::LonLat,
    /// Band limits in minutes, ascending.
    #[arg(long, default_value = "5,10,15,20", value_delimiter = ',')]
    pub minutes: Vec<f64>,
    /// Grid cell size in metres (smaller is finer and slower).
    #[arg(long, default_value_t = 50.0)]
    pub cell: f64,
    #[command(flatten)]
    pub bus: BusArgs,
    /// Departure time for the bus, HH:MM.
    #[arg(long, default_value = "08:00")]
    pub depart: String,
    /// Output GeoJSON.
    #[arg(long)]
    pub out: PathBuf,
}

fn parse_mode(s: &str) -> Result<CliMode, String> {
    if s.eq_ignore_ascii_case("bus") {
        return Ok(CliMode::Bus);
    }
    s.parse().map(CliMode::Street).map_err(|e: String| e.replace("car, walk or cycle", "car, walk, cycle or bus"))
}
/// A snapping limit: metres, at least 1 and at most 10 km (NaN or a
/// negative limit would switch the check off or reach nothing).
fn parse_max_snap(s: &str) -> Result<f64, String> {
    let m: f64 = s.trim().parse().map_err(|_| format!("'{s}' is not a number of metres"))?;
    if (1.0..=10_000.0).contains(&m) { Ok(m) } else { Err("must be between 1 and 10000 metres".into()) }
}

fn parse_date(s: &str) -> Result<accessplan::transit::ServiceDate, String> {
    s.parse()
}
fn parse_period(s: &str) -> Result<Period, String> {
    s.parse()
}
fn parse_crs(s: &str) -> Result<CrsChoice, String> {
    if s.eq_ignore_ascii_case("auto") {
        return Ok(CrsChoice::Auto);
    }
    accessplan::input::crs::crs_from_name(s).map(CrsChoice::Fixed)
}
fn parse_lonlat(s: &str) -> Result<accessplan::LonLat, String> {
    let (a, b) = s.split_once(',').ok_or("expected LON,LAT, e.g. -2.99,51.58")?;
    let lon: f64 = a.trim().parse().map_err(|_| format!("'{a}' is not a longitude"))?;
    let lat: f64 = b.trim().parse().map_err(|_| format!("'{b}' is not a latitude"))?;
    let p = accessplan::LonLat::new(lon, lat);
    if !p.is_valid() {
        return Err(format!("{s} is not a WGS84 longitude,latitude"));
    }
    Ok(p)
}

/// The travel-time cache the commands and the app use: the user's, unless
/// `--no-cache` or `ACCESSPLAN_NO_CACHE` says not to (none before [`run`]
/// has read the arguments, as in the app's tests).
static TRAVEL_CACHE: std::sync::OnceLock<Option<accessplan::travel::ColumnCache>> = std::sync::OnceLock::new();

/// The travel-time cache to use, if any.
pub(crate) fn travel_cache() -> Option<&'static accessplan::travel::ColumnCache> {
    TRAVEL_CACHE.get().and_then(|c| c.as_ref())
}

/// Asks glibc's malloc to take every block of 256 KB or more straight from
/// the system and give it back when freed. By default the threshold rises
/// to 32 MB once a large block is freed, after which the network build's
/// freed temporaries (arc chunks, sort buffers, the parsed map) stay in the
/// heap for the rest of the run: on the 1M-junction county the car matrix
/// then held about 150 MB more than its live data while it searched
/// (BENCHMARKS.md, "Memory at county scale"). For the headless commands
/// only: the app keeps malloc's defaults, so that the buffers it makes and
/// drops every frame or every redraw of the map do not each cost fresh
/// pages from the system.
fn return_large_buffers_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a malloc parameter; it is called before the
    // command starts any other thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

/// Parses arguments, runs the command, and turns errors into messages.
pub fn run() -> std::process::ExitCode {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    let _ = TRAVEL_CACHE.set(if cli.no_cache { None } else { accessplan::settings::travel_cache() });
    if !matches!(cli.command, None | Some(Command::App { .. })) {
        return_large_buffers_to_the_system();
    }
    let result = match cli.command {
        None => return app_exit(crate::app::run(None, Vec::new(), None), "; the command-line tools still work: accessplan --help"),
        Some(Command::App { scenario, before, phases, bench_frames }) => {
            return app_exit(crate::app::run(scenario.map(|s| (s, before)), phases, bench_frames), "");
        }
        Some(Command::Demo { root }) => demo::demo(root, quiet),
        Some(Command::Matrix(a)) => matrix::matrix(a, quiet),
        Some(Command::Isochrone(a)) => isochrone::isochrone(a, quiet),
        Some(Command::Map(a)) => map::map(a, quiet),
        Some(Command::Inspect { file }) => inspect::inspect(&file),
        Some(Command::Scenario { kind, inputs, out }) => scenario::scenario(kind, inputs, &out, quiet),
        Some(Command::NewStudy(a)) => new_study::run(*a, quiet),
        Some(Command::Evaluate { scenario, out, no_suppression }) => evaluate::evaluate(&scenario, &out, !no_suppression, quiet),
        Some(Command::Compare { scenarios, out, no_suppression }) => match scenarios.as_slice() {
            [baseline, proposed] => evaluate::compare(baseline, proposed, &out, !no_suppression, quiet),
            _ => evaluate::compare_phases(&scenarios, &out, !no_suppression, quiet),
        },
        Some(Command::Optimise(a)) => optimise::optimise(a, quiet),
        Some(Command::Shard(c)) => shard::shard(c, quiet),
        Some(Command::AutosaveDrill { recover }) => crate::app::autosave_drill(recover),
        #[cfg(feature = "demo-generator")]
        Some(Command::GenerateDemo { root }) => demo::generate_demo(&root, quiet),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The exit code of the desktop app, saying in plain words when its window
/// could not open (`hint`: what to do instead).
fn app_exit(result: eframe::Result, hint: &str) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the window could not open ({e}){hint}");
            std::process::ExitCode::FAILURE
        }
    }
}
