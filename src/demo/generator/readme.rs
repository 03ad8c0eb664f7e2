//! The `README.md` written beside the demo datasets.

use super::DemoSummary;

/// The README text, with the counts of this run.
pub fn text(s: &DemoSummary) -> String {
    format!(
        r#"# Riverdale: the built-in demo region (synthetic)

Everything in this folder and in `maps/demo/` is **made up**. Riverdale is a
fictional county of six localities (Westholm, Northgate, Eastbrook, Millford,
Kingsbridge, Ashby Vale) laid on real WGS84 coordinates in north Kent (centred
on lon 0.55, lat 51.38, about 20 km x 15 km) only so that distances,
projections and travel times behave as they would in England. No street, place,
site, bus route, population figure or patient count describes anything real,
and the map is not OpenStreetMap data.

The files are written by `src/demo/generator/` with a fixed-seed generator
(splitmix64 and arithmetic-only maths), so every run gives byte-identical
files. To regenerate them:

```
cargo run --release --features demo-generator -- generate-demo          # or:
cargo test --release --test demo_generator -- --ignored regenerate_demo
```

and `cargo test --release --test demo_generator` checks that the committed
files are exactly what the generator writes.

## Files

| file | what it is |
|---|---|
| `maps/demo/region.osm` | OSM XML 0.6 street network: {osm_nodes} nodes, {osm_ways} ways. Town grids, country lanes, primary/secondary/tertiary roads between towns with `maxspeed` tags (`20 mph`, `30 mph`, `40 mph`, `GB:nsl_single`), one-way streets (a town-centre gyratory in Northgate and one in Kingsbridge, one street tagged `oneway=-1`), the M99 motorway (two one-way carriageways) along the southern edge with two junctions (roundabouts and `motorway_link` slip roads; at each junction the two eastbound slip roads pass under the westbound carriageway, tagged `tunnel=yes`, `layer=-1`), footways (park paths and riverside walks), a private service road (`access=private`), the River Dale (`waterway=river`) crossed only by three road bridges (`bridge=yes`: Mill Bridge, King's Bridge, Brook Bridge), and amenity nodes for the hospital (`amenity=hospital`) and three surgeries (`amenity=doctors`). |
| `maps/demo/zones.geojson` | {zones} population zones (polygons, WGS84) with `zone_id` (`DZ0001`...), `population` and `locality`; {residents} residents in all, about 300 a zone, denser in the towns. Each zone lies in one locality. Made-up equality figures shaped like real towns, for the equality impact figures: `imd_decile` (1 = most deprived tenth; the denser, the more deprived), residents by census age band (`age_0_15` ... `age_65_plus`, summing to `population`; older in the villages) and `pct_no_car` (households without a car or van, per cent; more in the town centres). |
| `maps/demo/localities.geojson` | The {localities} localities (polygons) with `name`. The river is the boundary between the three northern and the three southern ones. |
| `datasets/demo/sites.csv` | {sites} sites: `id,name,kind,status,locality,lon,lat,capacity`. One Healthy Living Centre (`hlc`) per locality, four `existing` and two `planned` (Eastbrook, Millford); the acute hospital (`hospital`), a day-rehabilitation centre (`rehab`) and eight other places clinics are held today (`surgery`, `clinic`, `leisure-centre`, `community-centre`). `capacity` is contacts a year (blank where unknown). |
| `datasets/demo/gtfs/` | A GTFS feed for Riverdale Buses: {gtfs_routes} bus routes, {gtfs_stops} stops, {gtfs_trips} trips, {gtfs_stop_times} stop times. Weekday (`WD`, Mon-Fri) and Saturday (`SA`) services from 2026-01-01 to 2027-12-31, no weekday service on bank holidays and no Saturday service on Boxing Day 2026 (`calendar_dates.txt`). Buses run every 15-60 minutes by day, hourly in the evening; routes 1 and 2 run a last trip at 23:45 that ends after midnight (times past 24:00:00). Times are distance at 22 km/h plus 20 s at each stop. |
| `datasets/demo/contacts.csv` | {contacts_rows} rows `zone_id,service,current_site,contacts_per_year` ({contacts_total} contacts a year): where each zone's patients are seen today for each of 21 community services. Only sites in use today appear (never a planned HLC). About {out_pct:.0}% of contacts are at a site outside the patient's own locality. Some counts are 1-4, so small-number suppression matters. |

## How the region is built

- The river runs west to east; each side is cut into 1 km columns and seven
  rows that follow the river, and each cell is split into smaller zones where
  more people live (so zones hold similar numbers, like census output areas).
  Population comes from a density surface: six towns, seven villages and
  countryside between them, scaled so each locality has 36,000-49,000 people.
- Streets run along the sides of the same grid (a little finer than the zones
  in the countryside), so every zone's centre is within 300 m of a street and
  no street crosses another or the river except at a junction or a bridge.
  Main roads are shortest paths on that grid between towns, bridges, villages
  and the motorway junctions; a third of the country lanes are then removed at
  random, never cutting the network in two.
- The car network is one strongly connected component except the motorway's
  ends and four slip roads, which run off the map as in any real extract.
"#,
        osm_nodes = s.osm_nodes,
        osm_ways = s.osm_ways,
        zones = s.zones,
        residents = s.residents,
        localities = s.localities,
        sites = s.sites,
        gtfs_routes = s.gtfs_routes,
        gtfs_stops = s.gtfs_stops,
        gtfs_trips = s.gtfs_trips,
        gtfs_stop_times = s.gtfs_stop_times,
        contacts_rows = s.contacts_rows,
        contacts_total = s.contacts_total,
        out_pct = s.out_of_locality_share * 100.0,
    )
}
