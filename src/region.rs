//! A `Region`: everything loaded for one place (street networks per mode,
//! zones with population, localities, candidate sites), immutable once
//! built. The OSM extract and the feeds are cut to the study area as they
//! load ([`clip`]). The travel times computed on it live in
//! [`crate::travel`]; the candidate sites a study adds live in the study,
//! after the region's own (`Study::sites`), never in the region.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Location, Result, Warning};
use crate::input::crs::CrsChoice;
use crate::input::joins::{TableJoin, join_attributes, join_population};
use crate::input::localities::{assign_zone_localities, group_localities, load_localities};
use crate::input::osm::{OsmData, TagFilter, sites_from_osm};
use crate::input::postcodes::PostcodeLookup;
use crate::input::sites::load_sites_by_postcode;
use crate::input::zones::{EQUAL_WEIGHTS_WARNING, ZoneOptions, load_zones};
use crate::model::{Locality, Site, Zone};
use crate::network::{Network, Profile, StreetMode};

pub mod clip;

pub use clip::{DEFAULT_CLIP_MARGIN_KM, StudyClip};

/// Where a region's localities come from.
#[derive(Debug, Clone, PartialEq)]
pub enum LocalitiesInput {
    /// A GeoJSON of locality polygons, named by a property.
    Polygons {
        /// The GeoJSON file.
        path: PathBuf,
        /// The property holding the locality name.
        name_field: String,
    },
    /// Smaller areas grouped into localities by a CSV and dissolved.
    Grouped {
        /// The areas (e.g. wards) GeoJSON.
        areas: PathBuf,
        /// The property holding each area's code.
        area_id_field: String,
        /// The CSV naming each area's locality.
        grouping: PathBuf,
    },
}

/// Where sites come from.
#[derive(Debug, Clone, PartialEq)]
pub enum SitesInput {
    /// A CSV or GeoJSON file.
    File(PathBuf),
    /// Tagged nodes and areas of the OSM file.
    Osm(TagFilter),
}

/// The files that make a region.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionInputs {
    /// A name for display.
    pub name: String,
    /// OSM street network (`.osm.pbf` or `.osm`), if any.
    pub osm: Option<PathBuf>,
    /// Population zones.
    pub zones: PathBuf,
    /// How to read the zones.
    pub zone_options: ZoneOptions,
    /// Population from a table keyed by zone code (instead of a zone property).
    pub population_table: Option<TableJoin>,
    /// Numeric attributes joined to the zones (deprivation, age bands, car availability).
    pub attributes: Vec<TableJoin>,
    /// Postcode lookup placing sites given by postcode, if any.
    pub postcodes: Option<PathBuf>,
    /// Candidate sites: files, and tagged OSM elements.
    pub sites: Vec<SitesInput>,
    /// Localities, if any.
    pub localities: Option<LocalitiesInput>,
    /// Coordinate system of the CSV and GeoJSON inputs.
    pub crs: CrsChoice,
    /// Speed profile file, or `None` for the shipped one.
    pub profile: Option<PathBuf>,
    /// Calibration table of car speeds per class and period, applied on top of the profile.
    pub speed_calibration: Option<PathBuf>,
    /// Street modes to build.
    pub modes: Vec<StreetMode>,
    /// GTFS timetables (zips or folders): none, one bus feed, or several
    /// (bus, rail, coach) merged into one public transport timetable.
    pub gtfs: Vec<PathBuf>,
    /// Service date for the bus (default: the first Tuesday with service in the feed).
    pub bus_date: Option<crate::transit::ServiceDate>,
    /// Departure window for the bus (default 07:00-09:00, every minute).
    pub bus_window: crate::transit::DepartureWindow,
    /// Kilometres kept around the zones when the OSM extract and the feeds
    /// are cut to the study area on load (scenario files default to
    /// [`DEFAULT_CLIP_MARGIN_KM`]); `None` or infinite: nothing is cut.
    pub clip_margin_km: Option<f64>,
}

impl RegionInputs {
    /// Every input file named, for checks such as "never overwrite an input".
    pub fn files(&self) -> Vec<PathBuf> {
        let mut v = vec![self.zones.clone()];
        for j in self.population_table.iter().chain(&self.attributes) {
            v.push(j.table.clone());
            v.extend(j.areas.as_ref().map(|a| a.path.clone()));
        }
        v.extend(self.postcodes.clone());
        v.extend(self.osm.clone());
        for s in &self.sites {
            if let SitesInput::File(p) = s {
                v.push(p.clone());
            }
        }
        match &self.localities {
            Some(LocalitiesInput::Polygons { path, .. }) => v.push(path.clone()),
            Some(LocalitiesInput::Grouped { areas, grouping, .. }) => v.extend([areas.clone(), grouping.clone()]),
            None => {}
        }
        v.extend(self.profile.clone());
        v.extend(self.speed_calibration.clone());
        v.extend(self.gtfs.iter().cloned());
        v
    }
}

/// How long each loading step took, for benchmarks and `--verbose` output.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadTimings {
    /// Reading the OSM file (and cutting it to the study area), seconds.
    pub osm_read_s: f64,
    /// Building all networks, seconds.
    pub networks_s: f64,
    /// Reading zones, sites and localities, seconds.
    pub tables_s: f64,
}

/// Everything loaded for one place.
#[derive(Debug, Clone)]
pub struct Region {
    /// Display name.
    pub name: String,
    /// The files it came from.
    pub inputs: RegionInputs,
    /// One network per street mode built (shared, so long work can take
    /// them to a worker thread).
    pub networks: Vec<std::sync::Arc<Network>>,
    /// Population zones.
    pub zones: Vec<Zone>,
    /// The sites of the input files (a sites file or OSM tags), in their
    /// order. A study plans on these followed by the candidate sites it adds
    /// (`Study::sites`): what plans or evaluates takes that list.
    pub sites: Vec<Site>,
    /// Localities (may be empty).
    pub localities: Vec<Locality>,
    /// What could not be used as given, and what was done about it.
    pub warnings: Vec<Warning>,
    /// Plain notes (e.g. unnamed OSM sites).
    pub notes: Vec<String>,
    /// The public transport timetable (every feed merged into one) and what
    /// loading each feed found, if any feed was given.
    pub gtfs: Option<(crate::transit::Feed, Vec<crate::transit::GtfsReport>)>,
    /// Whether OpenStreetMap data was used (maps must credit it); false for
    /// the synthetic demo network.
    pub uses_osm: bool,
    /// What cutting the inputs to the study area kept, if they were cut.
    pub clip: Option<StudyClip>,
    /// Step timings.
    pub timings: LoadTimings,
    /// The speed profile the networks were built with (calibrated, if a table was given).
    pub profile: Profile,
    /// The maps' context layers read from the OSM extract (water, railways,
    /// stations, built-up land, parks, place names), cut to the study area;
    /// empty without an extract. Shared: the region is cloned per study.
    pub context: std::sync::Arc<crate::input::osm::context::ContextLayers>,
}

impl Region {
    /// Loads every input and builds the networks. The zones come first:
    /// their extent, grown by the clip margin, is the area the OSM extract
    /// and the feeds are cut to.
    pub fn load(inputs: &RegionInputs) -> Result<Region> {
        Region::load_with_progress(inputs, &crate::progress::Progress::new())
    }

    /// As [`Region::load`], saying each stage on `progress` (zones, the
    /// street map, the street networks, sites and timetables) and stopping
    /// with `Cancelled` at the next stage once Cancel is asked for.
    pub fn load_with_progress(inputs: &RegionInputs, progress: &crate::progress::Progress) -> Result<Region> {
        Region::load_reading(inputs, progress, false)
    }

    /// The twin of [`Region::load`] that reads every feed whole and cuts it
    /// to the study area afterwards (how regions were loaded before the
    /// feeds were cut while reading): tests check that both give the same
    /// region, benchmarks measure one against the other.
    pub fn load_reading_feeds_whole(inputs: &RegionInputs) -> Result<Region> {
        Region::load_reading(inputs, &crate::progress::Progress::new(), true)
    }

    /// [`Region::load_with_progress`], reading the feeds whole first when `feeds_whole`.
    fn load_reading(inputs: &RegionInputs, progress: &crate::progress::Progress, feeds_whole: bool) -> Result<Region> {
        progress.set_stage("reading the zones");
        let t2 = Instant::now();
        let (mut zones, mut warnings) = load_zones(&inputs.zones, &inputs.zone_options)?;
        let (area, w) = clip::clip_area(&zones, inputs.clip_margin_km, &inputs.zones)?;
        warnings.extend(w);
        let mut study_clip = area.map(|area| StudyClip { margin_km: inputs.clip_margin_km.unwrap_or(0.0), area, osm: None, feeds: Vec::new() });
        let zones_s = t2.elapsed().as_secs_f64();
        progress.check()?;
        progress.set_stage("reading the street map");
        let t0 = Instant::now();
        let mut osm = inputs.osm.as_deref().map(OsmData::load_with_context).transpose()?;
        progress.check()?;
        let mut osm_sites_before = Vec::new();
        if let (Some(o), Some(c), Some(path)) = (osm.as_mut(), study_clip.as_mut(), inputs.osm.as_deref()) {
            let extract = (o.highway_count() > 0).then(|| crate::geom::Extent::of(o.nodes.values().copied())).flatten();
            for s in &inputs.sites {
                if let SitesInput::Osm(filter) = s {
                    osm_sites_before.extend(sites_from_osm(o, filter).0);
                }
            }
            let cut = o.clip(&c.area);
            if cut.streets.0 > 0 && cut.streets.1 == 0 {
                return Err(clip::no_streets_error(path, &c.area, c.margin_km, cut.streets.0, extract));
            }
            c.osm = Some(cut);
        }
        let osm_read_s = t0.elapsed().as_secs_f64();
        let profile = Profile::load_with(inputs.profile.as_deref(), inputs.speed_calibration.as_deref())?;
        progress.set_stage("building the street networks");
        let t1 = Instant::now();
        let networks: Vec<std::sync::Arc<Network>> = match &osm {
            Some(o) => {
                use rayon::prelude::*;
                inputs.modes.par_iter().map(|m| std::sync::Arc::new(Network::build(o, *m, &profile))).collect()
            }
            None => Vec::new(),
        };
        let networks_s = t1.elapsed().as_secs_f64();
        progress.check()?;
        progress.set_stage("reading the sites and timetables");
        let t2 = Instant::now();
        let mut notes = Vec::new();
        if let Some(j) = &inputs.population_table {
            warnings.retain(|w| !w.message.starts_with(EQUAL_WEIGHTS_WARNING));
            let (note, w) = join_population(&mut zones, j)?;
            notes.push(format!("population from {note}"));
            warnings.extend(w);
        }
        for j in &inputs.attributes {
            let (note, w) = join_attributes(&mut zones, j, inputs.crs)?;
            notes.push(format!("zone attributes from {note}"));
            warnings.extend(w);
        }
        let lookup = inputs.postcodes.as_deref().map(PostcodeLookup::load).transpose()?;
        let mut sites: Vec<Site> = Vec::new();
        // Where each site id was first read, to name both places of a clash.
        let mut site_source: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for input in &inputs.sites {
            let (from, source) = match input {
                SitesInput::File(p) => {
                    let (s, w) = load_sites_by_postcode(p, inputs.crs, lookup.as_ref())?;
                    warnings.extend(w);
                    if let Some(c) = &study_clip {
                        warnings.extend(clip::sites_outside(&s, &c.area, c.margin_km, p));
                    }
                    (s, p.display().to_string())
                }
                SitesInput::Osm(filter) => {
                    let o = osm.as_ref().ok_or(Error::SitesFromOsmWithoutOsm)?;
                    let (s, n) = sites_from_osm(o, filter);
                    notes.extend(n);
                    if let (Some(c), Some(path)) = (&study_clip, inputs.osm.as_deref()) {
                        warnings.extend(clip::osm_sites_cut(&osm_sites_before, &s, c.margin_km, path));
                    }
                    (s, "the OSM file".to_string())
                }
            };
            for s in from {
                if let Some(first) = site_source.get(&s.id) {
                    let file = match input {
                        SitesInput::File(p) => p.clone(),
                        SitesInput::Osm(_) => inputs.osm.clone().unwrap_or_default(),
                    };
                    return Err(Error::Input(crate::error::InputError::at(
                        &file,
                        crate::error::Location::Record(s.id.clone()),
                        Some("id"),
                        format!("site id '{}' is also used in {first}; site ids must be unique across the sites files", s.id),
                    )));
                }
                site_source.insert(s.id.clone(), source.clone());
                sites.push(s);
            }
        }
        let localities = match &inputs.localities {
            Some(LocalitiesInput::Polygons { path, name_field }) => load_localities(path, name_field, inputs.crs)?,
            Some(LocalitiesInput::Grouped { areas, area_id_field, grouping }) => {
                let (l, w) = group_localities(areas, area_id_field, grouping, inputs.crs)?;
                warnings.extend(w);
                l
            }
            None => Vec::new(),
        };
        if !localities.is_empty() {
            warnings.extend(assign_zone_localities(&mut zones, &localities).into_iter().map(|mut w| {
                if w.file.as_os_str().is_empty() {
                    w.file = inputs.zones.clone();
                }
                w
            }));
        }
        let gtfs = match inputs.gtfs.as_slice() {
            [] => None,
            paths => {
                let mut feeds = Vec::with_capacity(paths.len());
                let mut reports = Vec::with_capacity(paths.len());
                let filter = study_filter(paths.len(), inputs.bus_date, study_clip.as_ref().map(|c| c.area));
                for p in paths {
                    let (feed, report, kept) = if feeds_whole {
                        let (feed, report) = crate::transit::load_gtfs(p)?;
                        match &study_clip {
                            Some(c) => {
                                let (cut, counts) = feed.clip(&c.area);
                                (cut, report, Some((counts, 0)))
                            }
                            None => (feed, report, None),
                        }
                    } else {
                        let (feed, report) = crate::transit::load_gtfs_filtered(p, &filter)?;
                        let kept = report.filtered.as_ref().map(|r| (r.kept, r.other_days_in_area));
                        (feed, report, kept)
                    };
                    if let (Some(c), Some((counts, other_days_in_area))) = (study_clip.as_mut(), kept) {
                        if counts.trips.0 > 0 && counts.trips.1 == 0 && other_days_in_area == 0 {
                            warnings.push(Warning {
                                file: p.clone(),
                                location: crate::error::Location::File,
                                message: format!(
                                    "none of its {} trips calls within {} km of the zones: the feed adds nothing to this study",
                                    counts.trips.0, c.margin_km
                                ),
                            });
                        }
                        c.feeds.push((p.clone(), counts));
                    }
                    feeds.push(feed);
                    // The notes describe the file whole; the clip's own note says what was kept.
                    reports.push(report.in_file_terms());
                }
                let feed = crate::transit::merge_feeds(feeds);
                let what = if reports.len() == 1 { "bus timetable" } else { "public transport timetable" };
                for report in &reports {
                    warnings.extend(report.warnings());
                    notes.push(format!("{what}: {report}"));
                }
                if feed.parts.len() > 1 {
                    notes.push(format!(
                        "public transport: {} feeds merged into one timetable ({}); their ids are prefixed with the feed's tag ({})",
                        feed.parts.len(),
                        feed.describe_parts(),
                        feed.parts.iter().map(|p| format!("{}:", p.tag)).collect::<Vec<_>>().join(", ")
                    ));
                    warnings.extend(feeds_without_service(&feed, inputs.bus_date));
                }
                Some((feed, reports))
            }
        };
        let tables_s = zones_s + t2.elapsed().as_secs_f64();
        notes.extend(study_clip.iter().flat_map(StudyClip::notes));
        for n in &networks {
            notes.push(format!("{} network: {}", n.mode.name(), n.stats));
            if n.turns.is_some() {
                notes.push(n.turn_stats.summary(n.mode));
            }
            for (id, why) in &n.turn_stats.not_understood {
                warnings.push(Warning {
                    file: inputs.osm.clone().unwrap_or_default(),
                    location: Location::Record(format!("relation {id}")),
                    message: format!("turn restriction not understood, ignored for {}: {why}", n.mode.name()),
                });
            }
        }
        if networks.iter().any(|n| n.mode == StreetMode::Car) {
            notes.push(format!("car speeds: {}", profile.describe()));
        }
        if let Some(o) = &osm
            && o.ways_with_missing_nodes > 0
        {
            notes.push(format!("{} OSM ways reach beyond the extract; kept up to its edge", o.ways_with_missing_nodes));
        }
        Ok(Region {
            name: inputs.name.clone(),
            inputs: inputs.clone(),
            networks,
            zones,
            sites,
            localities,
            warnings,
            notes,
            gtfs,
            uses_osm: osm.as_ref().is_some_and(|o| !o.is_synthetic()),
            context: std::sync::Arc::new(osm.as_mut().map(|o| std::mem::take(&mut o.context)).unwrap_or_default()),
            clip: study_clip,
            timings: LoadTimings { osm_read_s, networks_s, tables_s },
            profile,
        })
    }

    /// The network of a mode, if built.
    pub fn network(&self, mode: StreetMode) -> Option<&Network> {
        self.networks.iter().find(|n| n.mode == mode).map(|n| &**n)
    }

    /// Total population of the zones.
    pub fn population(&self) -> f64 {
        self.zones.iter().map(|z| z.population).sum()
    }

    /// The built-in demo region's inputs, read from the project folder `root`.
    pub fn demo_inputs(root: &Path) -> RegionInputs {
        RegionInputs {
            name: "Riverdale (synthetic demo region)".into(),
            osm: Some(root.join("maps/demo/region.osm")),
            zones: root.join("maps/demo/zones.geojson"),
            population_table: None,
            attributes: Vec::new(),
            postcodes: None,
            zone_options: ZoneOptions {
                id_field: "zone_id".into(),
                population_field: Some("population".into()),
                crs: CrsChoice::Auto,
                locality_field: Some("locality".into()),
            },
            sites: vec![SitesInput::File(root.join("datasets/demo/sites.csv"))],
            localities: Some(LocalitiesInput::Polygons { path: root.join("maps/demo/localities.geojson"), name_field: "name".into() }),
            crs: CrsChoice::Auto,
            profile: None,
            speed_calibration: None,
            modes: StreetMode::ALL.to_vec(),
            gtfs: vec![root.join("datasets/demo/gtfs")],
            bus_date: None,
            bus_window: crate::transit::DepartureWindow::MORNING_PEAK,
            clip_margin_km: Some(DEFAULT_CLIP_MARGIN_KM),
        }
    }
}

/// How a region reads its feeds: cut to the study area while reading (the
/// trips that never call in it are not kept), and, for a feed loaded
/// alone, for the study's bus date only: the one asked for, or the feed's
/// own default (its first Tuesday with service), which is the date every
/// later use of the region's timetable asks for ([`TravelRequest::for_region`]
/// and the `matrix` command's `--date`, which sets `bus_date`); no app
/// control or scenario phase asks another date of a loaded region. Several
/// feeds are read for every date: the merged timetable names each feed by
/// the kinds of vehicle of all its trips (its id prefix, the notes on a
/// feed without service that day) and picks its default date from every
/// feed's calendar.
///
/// [`TravelRequest::for_region`]: crate::travel::TravelRequest::for_region
pub fn study_filter(feeds: usize, bus_date: Option<crate::transit::ServiceDate>, area: Option<crate::geom::Extent>) -> crate::transit::GtfsFilter {
    let one = feeds == 1;
    crate::transit::GtfsFilter {
        dates: if one { bus_date.into_iter().collect() } else { Vec::new() },
        default_date: one && bus_date.is_none(),
        area,
        ..crate::transit::GtfsFilter::default()
    }
}

/// A warning for each of several feeds that runs no service on the study's
/// date (the one asked for, or the merged feed's default): the feed is named
/// with the dates it covers, and its trips add nothing to the travel times.
fn feeds_without_service(feed: &crate::transit::Feed, asked: Option<crate::transit::ServiceDate>) -> Vec<Warning> {
    let Some(date) = asked.or_else(|| feed.default_service_date()) else { return Vec::new() };
    feed.parts_without_service(date)
        .into_iter()
        .map(|p| Warning {
            file: p.source.clone(),
            location: crate::error::Location::File,
            message: format!("{}; its trips are left out of the public transport times", feed.part_no_service_message(p, date)),
        })
        .collect()
}
