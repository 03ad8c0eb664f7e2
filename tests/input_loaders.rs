//! Loaders of zones, sites and localities on the real Newport and Medway
//! data, and on small broken files written to a temporary folder: every
//! error must name the file, where in it, and the field.

use std::path::{Path, PathBuf};

use accessplan::input::crs::{Crs, CrsChoice};
use accessplan::input::inspect::inspect_table_or_geojson;
use accessplan::input::localities::{assign_zone_localities, group_localities, load_localities, locality_of};
use accessplan::input::sites::load_sites;
use accessplan::input::zones::{ZoneOptions, load_zones};
use accessplan::model::{Locality, SiteStatus};
use accessplan::testdata::shared_file;
use accessplan::{InputError, Location, LonLat};
use geo::{Contains, GeodesicArea, Orient, orient::Direction};

/// A fresh folder under the system temp dir for one test's fixtures.
fn fixture_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accessplan-input-loaders-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn polygon(ring: &[LonLat]) -> geo::Polygon<f64> {
    geo::Polygon::new(ring.iter().map(|p| geo::coord! { x: p.lon, y: p.lat }).collect(), vec![])
}

/// Geodesic area of outer rings in km², whatever their winding.
fn area_km2(rings: &[Vec<LonLat>]) -> f64 {
    rings.iter().map(|r| polygon(r).orient(Direction::Default).geodesic_area_unsigned()).sum::<f64>() / 1e6
}

/// Checks an error names the file, the place and the field, in its fields and its text.
fn assert_names(e: &InputError, file: &Path, location: Location, field: Option<&str>, words: &str) {
    let text = e.to_string();
    assert_eq!(e.file, file, "{text}");
    assert_eq!(e.location, location, "{text}");
    assert_eq!(e.field.as_deref(), field, "{text}");
    assert!(e.message.contains(words), "expected '{words}' in: {text}");
    assert!(text.contains(&file.display().to_string()), "{text}");
    if let Some(f) = field {
        assert!(text.contains(&format!("field '{f}'")), "{text}");
    }
}

// ------------------------------------------------------------------ Newport

#[test]
fn newport_output_areas_are_475_equally_weighted_zones_with_points_inside() {
    let Some(path) = shared_file("newport/boundaries/oa.geojson") else { return };
    let (zones, warnings) = load_zones(&path, &ZoneOptions::new("OA11CD")).unwrap();
    assert_eq!(zones.len(), 475);
    assert!(zones.iter().all(|z| z.id.starts_with("W000") && z.id.len() == 9), "{:?}", zones.iter().find(|z| !z.id.starts_with("W000")));
    assert!(zones.iter().all(|z| z.population == 1.0));
    assert_eq!(zones.iter().map(|z| z.population).sum::<f64>(), 475.0);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("each of the 475 zones counts as 1.0 (zones weighted equally)"), "{}", warnings[0]);
    for z in &zones {
        assert!(!z.polygons.is_empty(), "{}", z.id);
        let pt = geo::Point::new(z.point.lon, z.point.lat);
        assert!(z.polygons.iter().any(|r| polygon(r).contains(&pt)), "zone {} point {:?} is outside its polygon", z.id, z.point);
    }
    // Newport lies around lon -3.0, lat 51.58.
    assert!(zones.iter().all(|z| (-3.2..-2.7).contains(&z.point.lon) && (51.45..51.7).contains(&z.point.lat)));
}

#[test]
fn newport_wards_are_20_localities() {
    let Some(path) = shared_file("newport/boundaries/wards.geojson") else { return };
    let locs = load_localities(&path, "WD13NM", CrsChoice::Auto).unwrap();
    assert_eq!(locs.len(), 20);
    let mut names: Vec<&str> = locs.iter().map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 20);
    assert_eq!(locs[0].name, "Allt-yr-yn");
    assert!(locs.iter().all(|l| !l.polygons.is_empty() && l.members.is_empty()));
    // Newport's 20 wards cover the unitary authority: about 190 km² (ONS: 190.5 km² to mean high water).
    let total = locs.iter().map(|l| area_km2(&l.polygons)).sum::<f64>();
    assert!((150.0..230.0).contains(&total), "{total}");
    // Every output area falls in exactly one ward-locality.
    let Some(oa) = shared_file("newport/boundaries/oa.geojson") else { return };
    let (mut zones, _) = load_zones(&oa, &ZoneOptions::new("OA11CD")).unwrap();
    let w = assign_zone_localities(&mut zones, &locs);
    assert!(w.is_empty(), "{w:?}");
    assert!(zones.iter().all(|z| z.locality.is_some()));
}

// ------------------------------------------------------------------- Medway

fn medway_localities() -> Option<Vec<Locality>> {
    let wards = shared_file("medway/boundaries/wards.geojson")?;
    let grouping = shared_file("medway/localities.csv")?;
    let (locs, warnings) = group_localities(&wards, "WD13CD", &grouping, CrsChoice::Auto).unwrap();
    assert!(warnings.is_empty(), "every Medway ward is grouped: {warnings:?}");
    Some(locs)
}

#[test]
fn medway_wards_group_into_six_localities_with_their_area() {
    let Some(locs) = medway_localities() else { return };
    let names: Vec<&str> = locs.iter().map(|l| l.name.as_str()).collect();
    // In the order the grouping file first names them.
    assert_eq!(names, ["Strood", "Rochester", "Chatham Central", "Lordswood", "Gillingham", "Rainham"]);
    let counts: Vec<usize> = locs.iter().map(|l| l.members.len()).collect();
    assert_eq!(counts, [5, 3, 3, 4, 4, 3]);
    assert_eq!(counts.iter().sum::<usize>(), 22);
    assert_eq!(locs[5].members, ["E05002259", "E05002258", "E05002260"]);

    // Dissolving must neither lose nor add area: each locality's area equals its wards' sum.
    let wards = accessplan::input::geojson::read_feature_collection(&shared_file("medway/boundaries/wards.geojson").unwrap(), CrsChoice::Auto).unwrap();
    let mut total = 0.0;
    for l in &locs {
        let sum: f64 = wards
            .iter()
            .filter(|w| l.members.iter().any(|m| w.properties.get("WD13CD").and_then(|v| v.as_str()) == Some(m.as_str())))
            .map(|w| match &w.geometry {
                accessplan::input::geojson::GeometryIn::Polygons(ps) => ps.iter().map(|p| p.to_geo().geodesic_area_unsigned()).sum::<f64>() / 1e6,
                g => panic!("{g:?}"),
            })
            .sum();
        let dissolved = area_km2(&l.polygons);
        assert!((dissolved - sum).abs() / sum < 0.005, "{}: dissolved {dissolved:.3} km² vs wards {sum:.3} km²", l.name);
        total += dissolved;
    }
    // Medway is about 192 km² to mean high water; Strood alone (with the Hoo peninsula) is 132.5 km².
    assert!((185.0..200.0).contains(&total), "{total}");
    assert!((area_km2(&locs[0].polygons) - 132.5).abs() < 0.5);
    // Built-up localities are one piece; Strood and Rainham have estuary islands.
    let pieces: Vec<usize> = locs.iter().map(|l| l.polygons.len()).collect();
    assert_eq!(pieces, [6, 1, 1, 1, 1, 7]);
}

#[test]
fn medway_output_areas_all_fall_in_a_locality() {
    let Some(locs) = medway_localities() else { return };
    let Some(oa) = shared_file("medway/boundaries/oa.geojson") else { return };
    let (mut zones, _) = load_zones(&oa, &ZoneOptions::new("OA11CD")).unwrap();
    assert_eq!(zones.len(), 826);
    // One zone keeps a locality it already had, even a wrong one.
    zones[0].locality = Some("Rainham".into());
    let first_home = locality_of(zones[0].point, &locs).map(|i| locs[i].name.clone());
    let warnings = assign_zone_localities(&mut zones, &locs);
    assert!(warnings.is_empty(), "{warnings:?}");
    let unassigned = zones.iter().filter(|z| z.locality.is_none()).count();
    assert_eq!(unassigned, 0);
    assert_eq!(zones[0].locality.as_deref(), Some("Rainham"));
    assert_eq!(first_home.as_deref(), Some("Chatham Central"), "E00080972 lies in Chatham");
    // Output areas in each locality, in the localities' order (zone 0 counted in Rainham, as it says).
    let counts: Vec<usize> = locs.iter().map(|l| zones.iter().filter(|z| z.locality.as_deref() == Some(&l.name)).count()).collect();
    assert_eq!(counts, [195, 107, 126 - 1, 114, 172, 112 + 1]);
    assert_eq!(counts.iter().sum::<usize>(), 826);
}

#[test]
fn medway_sites_are_four_existing_and_two_planned_hlcs_and_the_hospital() {
    let Some(path) = shared_file("medway/sites.csv") else { return };
    let (sites, warnings) = load_sites(&path, CrsChoice::Auto).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(sites.len(), 7);
    let hlc = |s: SiteStatus| sites.iter().filter(|x| x.kind == "hlc" && x.status == s).count();
    assert_eq!(hlc(SiteStatus::Existing), 4);
    assert_eq!(hlc(SiteStatus::Planned), 2);
    let hospital: Vec<_> = sites.iter().filter(|s| s.kind == "acute").collect();
    assert_eq!(hospital.len(), 1);
    assert_eq!(hospital[0].name, "Medway Maritime Hospital");
    // At its postcode centroid (ME7 5NY, OS Code-Point Open) since the pack placed sites by postcode.
    assert_eq!(hospital[0].point, LonLat::new(0.542062, 51.379862));
    assert_eq!(hospital[0].role, accessplan::model::SiteRole::Acute);
    assert_eq!(sites.iter().filter(|s| s.role == accessplan::model::SiteRole::Hlc).count(), 6);
    assert!(sites.iter().all(|s| s.capacity.is_none()));
    // Each site stands in the locality it names.
    if let Some(locs) = medway_localities() {
        for s in &sites {
            let found = locality_of(s.point, &locs).map(|i| locs[i].name.as_str());
            assert_eq!(found, s.locality.as_deref(), "{}", s.id);
        }
    }
}

#[test]
fn inspecting_the_real_files_finds_no_problems() {
    let Some(oa) = shared_file("newport/boundaries/oa.geojson") else { return };
    let r = inspect_table_or_geojson(&oa).unwrap();
    assert!(r.problems.is_empty(), "{r}");
    assert!(r.lines[0].starts_with("475 features"), "{r}");
    assert!(r.lines.iter().any(|l| l.contains("OA11CD (text; 475 distinct values, unique")), "{r}");
    assert!(r.lines.iter().any(|l| l.contains("WGS84") && l.contains("declared in the file")), "{r}");
    let Some(sites) = shared_file("medway/sites.csv") else { return };
    let r = inspect_table_or_geojson(&sites).unwrap();
    assert!(r.problems.is_empty(), "{r}");
    assert!(r.lines.contains(&"rows: 7".to_string()) && r.lines.iter().any(|l| l.starts_with("looks like: sites")), "{r}");
    let Some(grouping) = shared_file("medway/localities.csv") else { return };
    let r = inspect_table_or_geojson(&grouping).unwrap();
    assert!(r.lines.iter().any(|l| l.starts_with("looks like: locality grouping")), "{r}");
    assert!(r.lines.contains(&"rows: 22".to_string()), "{r}");
}

// ---------------------------------------------------------------- bad input

#[test]
fn geojson_without_the_id_property_names_feature_and_field() {
    let dir = fixture_dir("no-id");
    let p = write(
        &dir,
        "zones.geojson",
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"code":"A","LAD11CD":"W06000022"},"geometry":{"type":"Point","coordinates":[-3.0,51.58]}}]}"#,
    );
    let e = load_zones(&p, &ZoneOptions::new("OA11CD")).unwrap_err();
    assert_names(&e, &p, Location::Feature(0), Some("OA11CD"), "property 'OA11CD' is missing; its properties are: LAD11CD, code");
}

#[test]
fn csv_missing_column_names_it_and_lists_the_columns() {
    let dir = fixture_dir("missing-column");
    let p = write(&dir, "sites.csv", "id,lon,lat\nhlc-a,0.55,51.38\n");
    let e = load_sites(&p, CrsChoice::Auto).unwrap_err();
    assert_names(&e, &p, Location::Line(1), Some("name"), "column 'name' is missing; the columns are: id, lon, lat");
    let p = write(&dir, "nocoords.csv", "id,name\nhlc-a,A\n");
    let e = load_sites(&p, CrsChoice::Auto).unwrap_err();
    assert_names(&e, &p, Location::Line(1), Some("lon"), "is missing");
}

#[test]
fn non_numeric_coordinate_names_line_and_column() {
    let dir = fixture_dir("non-numeric");
    let p = write(&dir, "sites.csv", "id,name,lon,lat\na,A,0.55,51.38\nb,B,0.56,51.3x\n");
    let e = load_sites(&p, CrsChoice::Auto).unwrap_err();
    assert_names(&e, &p, Location::Line(3), Some("lat"), "'51.3x' is not a number");
    let p = write(&dir, "zones.csv", "id,x,y\nz1,331000,\n");
    let e = load_zones(&p, &ZoneOptions::new("id")).unwrap_err();
    assert_names(&e, &p, Location::Line(2), Some("y"), "empty");
}

#[test]
fn empty_files_are_refused() {
    let dir = fixture_dir("empty");
    let p = write(&dir, "zones.geojson", "");
    assert_names(&load_zones(&p, &ZoneOptions::new("id")).unwrap_err(), &p, Location::File, None, "the file is empty");
    let p = write(&dir, "sites.csv", "  \n");
    assert_names(&load_sites(&p, CrsChoice::Auto).unwrap_err(), &p, Location::File, None, "the file is empty");
    let p = write(&dir, "header-only.csv", "id,name,lon,lat\n");
    assert_names(&load_sites(&p, CrsChoice::Auto).unwrap_err(), &p, Location::File, None, "no data rows");
    let p = dir.join("absent.csv");
    assert_names(&load_sites(&p, CrsChoice::Auto).unwrap_err(), &p, Location::File, None, "cannot read the file");
}

#[test]
fn invalid_json_reports_line_and_column() {
    let dir = fixture_dir("invalid-json");
    let p = write(&dir, "wards.geojson", "{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"type\": \"Feature\" \"properties\": {}}\n]}\n");
    let e = load_localities(&p, "WD13NM", CrsChoice::Auto).unwrap_err();
    assert_names(&e, &p, Location::Line(3), None, "invalid JSON at column 22");
    let p = write(&dir, "list.geojson", "[]");
    assert_names(&load_localities(&p, "WD13NM", CrsChoice::Auto).unwrap_err(), &p, Location::File, None, "expected a GeoJSON FeatureCollection");
}

#[test]
fn lonlat_read_as_bng_and_bng_read_as_lonlat_say_which_crs_to_pass() {
    let dir = fixture_dir("wrong-crs");
    let lonlat = write(&dir, "sites.csv", "id,name,lon,lat\na,A,0.55,51.38\nb,B,0.61,51.36\n");
    let e = load_sites(&lonlat, CrsChoice::Fixed(Crs::BritishNationalGrid)).unwrap_err();
    assert_names(&e, &lonlat, Location::Line(2), Some("lon"), "coordinates look like longitude/latitude; pass --crs wgs84");

    let bng = write(&dir, "zones.csv", "id,easting,northing\nz1,576000,168000\nz2,577000,169000\n");
    let e = load_zones(&bng, &ZoneOptions { crs: CrsChoice::Fixed(Crs::Wgs84), ..ZoneOptions::new("id") }).unwrap_err();
    assert_names(&e, &bng, Location::Line(2), Some("easting"), "coordinates look like British National Grid metres; pass --crs bng");

    // GeoJSON in metres without a crs member, forced to WGS84: the feature and the geometry are named.
    let gj = write(
        &dir,
        "zones.geojson",
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"id":"z1"},"geometry":{"type":"Point","coordinates":[-3.0,51.58]}},
          {"type":"Feature","properties":{"id":"z2"},"geometry":{"type":"Point","coordinates":[331000,188000]}}]}"#,
    );
    let e = load_zones(&gj, &ZoneOptions { crs: CrsChoice::Fixed(Crs::Wgs84), ..ZoneOptions::new("id") }).unwrap_err();
    assert_names(&e, &gj, Location::Feature(1), Some("geometry"), "pass --crs bng");
    // A declared CRS84 file forced to BNG.
    let Some(oa) = shared_file("newport/boundaries/wards.geojson") else { return };
    let e = load_localities(&oa, "WD13NM", CrsChoice::Fixed(Crs::BritishNationalGrid)).unwrap_err();
    assert_names(&e, &oa, Location::Feature(0), Some("geometry"), "pass --crs wgs84");
}

#[test]
fn bng_outside_the_grid_is_refused() {
    let dir = fixture_dir("off-grid");
    let p = write(&dir, "zones.csv", "id,easting,northing\nz1,576000,168000\nz2,576000,1468000\n");
    let e = load_zones(&p, &ZoneOptions::new("id")).unwrap_err();
    assert_names(&e, &p, Location::Line(3), Some("northing"), "outside the British National Grid");
}

#[test]
fn negative_or_non_numeric_population_names_the_record() {
    let dir = fixture_dir("population");
    let p = write(&dir, "zones.csv", "id,lon,lat,population\nz1,0.55,51.38,310\nz2,0.56,51.39,-5\n");
    let opts = ZoneOptions { population_field: Some("population".into()), ..ZoneOptions::new("id") };
    assert_names(&load_zones(&p, &opts).unwrap_err(), &p, Location::Line(3), Some("population"), "population -5 is negative");
    let gj = write(
        &dir,
        "zones.geojson",
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"id":"z1","residents":"about 300"},"geometry":{"type":"Point","coordinates":[0.55,51.38]}}]}"#,
    );
    let opts = ZoneOptions { population_field: Some("residents".into()), ..ZoneOptions::new("id") };
    assert_names(&load_zones(&gj, &opts).unwrap_err(), &gj, Location::Feature(0), Some("residents"), "'about 300' is not a number");
    let opts = ZoneOptions { population_field: Some("pop".into()), ..ZoneOptions::new("id") };
    assert_names(&load_zones(&gj, &opts).unwrap_err(), &gj, Location::Feature(0), Some("pop"), "property 'pop' is missing; its properties are: id, residents");
}

#[test]
fn grouping_rows_naming_unknown_areas_are_errors_and_ungrouped_areas_warn() {
    let Some(wards) = shared_file("medway/boundaries/wards.geojson") else { return };
    let dir = fixture_dir("grouping");
    let bad = write(&dir, "groups.csv", "ward_code,ward_name,locality\nE05002265,Strood North,Strood\nE05009999,Nowhere,Strood\n");
    let e = group_localities(&wards, "WD13CD", &bad, CrsChoice::Auto).unwrap_err();
    assert_names(&e, &bad, Location::Line(3), Some("ward_code"), "'E05009999' is not an area of");
    let partial = write(&dir, "partial.csv", "code,locality\nE05002265,Strood\nE05002267,Strood\n");
    let (locs, w) = group_localities(&wards, "WD13CD", &partial, CrsChoice::Auto).unwrap();
    assert_eq!(locs.len(), 1);
    assert_eq!(locs[0].members, ["E05002265", "E05002267"]);
    assert_eq!(w.len(), 1);
    assert!(w[0].message.starts_with("20 area(s) of"), "{}", w[0]);
    assert!(w[0].message.contains("E05002249"), "{}", w[0]);
    let twice = write(&dir, "twice.csv", "code,locality\nE05002265,Strood\nE05002265,Rochester\n");
    let e = group_localities(&wards, "WD13CD", &twice, CrsChoice::Auto).unwrap_err();
    assert_names(&e, &twice, Location::Line(3), Some("locality"), "but in 'Strood' on line 2");
}

#[test]
fn duplicate_site_ids_are_refused() {
    let dir = fixture_dir("dup-sites");
    let p = write(&dir, "sites.csv", "id,name,lon,lat\na,A,0.55,51.38\nb,B,0.56,51.39\na,C,0.57,51.40\n");
    assert_names(&load_sites(&p, CrsChoice::Auto).unwrap_err(), &p, Location::Line(4), Some("id"), "site id 'a' is used more than once (line 2, line 4)");
}

// -------------------------------------------------------- BNG conversion

/// Big Ben (Elizabeth Tower): E 530268, N 179640 is about lon -0.12463,
/// lat 51.50072 in WGS84. The Helmert shift is good to ~5 m, so a site file
/// in eastings/northings must land within 5 m of it.
#[test]
fn bng_site_file_lands_within_five_metres_of_big_ben() {
    let dir = fixture_dir("big-ben");
    let p = write(&dir, "sites.csv", "id,name,easting,northing\nbig-ben,Elizabeth Tower,530268,179640\n");
    let (sites, _) = load_sites(&p, CrsChoice::Auto).unwrap();
    let d = accessplan::geom::haversine_m(sites[0].point, LonLat::new(-0.12463, 51.50072));
    assert!(d < 5.0, "{:?} is {d:.2} m off", sites[0].point);
    // The same point as a GeoJSON declaring EPSG:27700.
    let gj = write(
        &dir,
        "sites.geojson",
        r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[
          {"type":"Feature","properties":{"id":"big-ben","name":"Elizabeth Tower"},"geometry":{"type":"Point","coordinates":[530268,179640]}}]}"#,
    );
    let (sites2, _) = load_sites(&gj, CrsChoice::Auto).unwrap();
    assert_eq!(sites2[0].point, sites[0].point);
}

/// Every number pair in a GeoJSON `coordinates` tree, mapped through `f`.
fn map_positions(v: &mut serde_json::Value, f: &dyn Fn(f64, f64) -> (f64, f64)) {
    if let Some(a) = v.as_array_mut() {
        if a.len() >= 2 && a[0].is_number() && a[1].is_number() {
            let (x, y) = f(a[0].as_f64().unwrap(), a[1].as_f64().unwrap());
            a[0] = serde_json::json!(x);
            a[1] = serde_json::json!(y);
        } else {
            a.iter_mut().for_each(|c| map_positions(c, f));
        }
    }
}

/// Newport's wards re-projected to British National Grid (no `crs` member,
/// so the system is detected from the values) load as the same zones: the
/// round trip through BNG moves no zone point by more than 0.1 m.
#[test]
fn a_bng_copy_of_newport_wards_gives_the_same_zones() {
    let Some(path) = shared_file("newport/boundaries/wards.geojson") else { return };
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let wgs = proj4rs::Proj::from_proj_string("+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs").unwrap();
    let bng = proj4rs::Proj::from_proj_string(accessplan::input::crs::BNG_PROJ_STRING).unwrap();
    let to_bng = |lon: f64, lat: f64| {
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&wgs, &bng, &mut p).unwrap();
        ((p.0 * 1000.0).round() / 1000.0, (p.1 * 1000.0).round() / 1000.0)
    };
    doc.as_object_mut().unwrap().remove("crs");
    for f in doc["features"].as_array_mut().unwrap() {
        map_positions(&mut f["geometry"]["coordinates"], &to_bng);
    }
    let dir = fixture_dir("bng-wards");
    let copy = write(&dir, "wards-bng.geojson", &doc.to_string());
    let opts = ZoneOptions::new("WD13CD");
    let (a, _) = load_zones(&path, &opts).unwrap();
    let (b, _) = load_zones(&copy, &opts).unwrap();
    assert_eq!(a.len(), 20);
    assert_eq!(b.len(), 20);
    for (za, zb) in a.iter().zip(&b) {
        assert_eq!(za.id, zb.id);
        let d = accessplan::geom::haversine_m(za.point, zb.point);
        assert!(d < 0.1, "{}: {d} m", za.id);
    }
    let r = inspect_table_or_geojson(&copy).unwrap();
    assert!(r.lines.iter().any(|l| l.contains("British National Grid") && l.contains("detected from the coordinate values")), "{r}");
    assert!(r.lines.iter().any(|l| l.starts_with("extent: easting 3")), "{r}");
}

#[test]
fn real_boundaries_do_not_cross_themselves_and_a_bow_tie_is_reported() {
    use accessplan::input::zones::{ZoneOptions, load_zones};
    // Every census boundary file of both places: no outline crosses itself,
    // so no zone is warned about and every ward loads as a locality.
    for (place, file, id) in [
        ("newport", "oa", "OA11CD"),
        ("newport", "lsoa", "LSOA11CD"),
        ("newport", "msoa", "MSOA11CD"),
        ("newport", "wards", "WD13CD"),
        ("medway", "oa", "OA11CD"),
        ("medway", "lsoa", "LSOA11CD"),
        ("medway", "msoa", "MSOA11CD"),
    ] {
        let Some(p) = accessplan::testdata::shared_file(&format!("{place}/boundaries/{file}.geojson")) else { return };
        let (zones, w) = load_zones(&p, &ZoneOptions::new(id)).unwrap_or_else(|e| panic!("{place} {file}: {e}"));
        assert!(!zones.is_empty());
        assert!(!w.iter().any(|w| w.message.contains("cross themselves")), "{place} {file}: {w:?}");
    }
    // A bow-tie zone is used and named in a warning; a bow-tie locality is refused.
    let bow = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[0.01,51],[0.01,51.01],[0,51.01],[0,51]]]}},
        {"type":"Feature","properties":{"id":"B"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[0.02,51.01],[0.02,51],[0,51.02],[0,51]]]}}]}"#;
    let p = accessplan::testdata::temp_file("bow-tie", "zones.geojson", bow);
    let (zones, w) = load_zones(&p, &ZoneOptions::new("id")).unwrap();
    assert_eq!(zones.len(), 2);
    let w = w.iter().find(|w| w.message.contains("cross themselves")).expect("a warning");
    assert!(w.message.contains("field 'geometry'") && w.message.contains("B (feature 1, near 0.01333,51.00667)") && !w.message.contains("A (feature 0"), "{w}");
    let e = accessplan::input::localities::load_localities(&p, "id", accessplan::input::crs::CrsChoice::Auto).unwrap_err();
    assert!(
        e.to_string().contains("feature 1") && e.to_string().contains("'geometry'") && e.to_string().contains("locality 'B': the outline crosses itself"),
        "{e}"
    );
}

#[test]
fn an_empty_feature_collection_says_it_has_no_features() {
    let p = accessplan::testdata::temp_file("empty-fc", "zones.geojson", r#"{"type":"FeatureCollection","features":[]}"#);
    let e = accessplan::input::sniff::guess_zone_id(&p).unwrap_err().to_string();
    assert!(e.contains("zones.geojson") && e.contains("has no features"), "{e}");
    let p = accessplan::testdata::temp_file("empty-csv", "zones.csv", "id,lon,lat\n");
    let e = accessplan::input::sniff::guess_zone_id(&p).unwrap_err().to_string();
    assert!(e.contains("has a header (id, lon, lat) but no rows"), "{e}");
}
