//! OSM reading on real and broken files: the errors name the file, the line
//! and the field.

use std::path::PathBuf;

use accessplan::input::osm::{OsmData, TagFilter, sites_from_osm};
use accessplan::network::{Network, Profile, StreetMode};
use accessplan::testdata::shared_file;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("accessplan-osm-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn newport_health_sites_from_osm_tags() {
    let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else { return };
    let osm = OsmData::load(&pbf).unwrap();
    let filter: TagFilter = "amenity=hospital,clinic,doctors".parse().unwrap();
    let (sites, notes) = sites_from_osm(&osm, &filter);
    let names: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
    eprintln!("{names:?} {notes:?}");
    for want in ["Royal Gwent Hospital", "St Woolos Hospital", "Alway Health Centre", "Gaer Medical Centre"] {
        assert!(names.iter().any(|n| n.contains(want)), "{want} missing from {names:?}");
    }
    // Royal Gwent and St Woolos (areas) and the Minor Injuries Unit (a node).
    assert_eq!(sites.iter().filter(|s| s.kind == "hospital").count(), 3);
    assert_eq!(sites.len(), 21);
    assert!(sites.iter().any(|s| s.id.starts_with("osm-way-")) && sites.iter().any(|s| s.id.starts_with("osm-node-")));
    assert!(sites.iter().all(|s| s.point.lon > -3.2 && s.point.lon < -2.8 && s.point.lat > 51.5 && s.point.lat < 51.65));
}

#[test]
fn the_blob_parallel_reader_gives_what_the_per_element_reader_gave_on_newport() {
    let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else { return };
    let new = OsmData::load(&pbf).unwrap();
    let old = OsmData::load_every_node(&pbf).unwrap();
    // Every node read; of them, only those of the ways kept are held.
    assert_eq!((old.nodes.len(), new.nodes_read, new.nodes.len()), (256_508, 256_508, 74_906));
    assert_eq!((new.ways.len(), new.highway_count(), new.pois.len(), new.restrictions.len()), (11_657, 8_965, 862, old.restrictions.len()));
    assert_eq!(new.ways, old.ways);
    assert_eq!(new.pois, old.pois);
    assert_eq!(new.node_tags, old.node_tags);
    assert_eq!(new.restrictions, old.restrictions);
    assert_eq!(new.ways_with_missing_nodes, old.ways_with_missing_nodes);
    let on_ways: std::collections::BTreeSet<i64> = old.ways.iter().flat_map(|w| w.nodes.iter().copied()).collect();
    let expected: Vec<_> = old.nodes.iter().filter(|(id, _)| on_ways.contains(id)).collect();
    assert_eq!(new.nodes.iter().collect::<Vec<_>>(), expected, "the positions of the kept ways' nodes, exactly");
    for w in &new.ways {
        assert_eq!(new.way_points(w), old.way_points(w), "way {}", w.id);
    }
}

#[test]
fn xml_and_pbf_give_the_same_network_for_the_same_data() {
    // A small hand-written XML town: a square of residential streets with a
    // one-way side and a footpath across the middle.
    let d = temp_dir("xml");
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="51.5000" lon="-3.0000"/>
  <node id="2" lat="51.5000" lon="-2.9970"/>
  <node id="3" lat="51.5020" lon="-2.9970"/>
  <node id="4" lat="51.5020" lon="-3.0000"/>
  <node id="5" lat="51.5010" lon="-2.9985"><tag k="amenity" v="doctors"/><tag k="name" v="Square Surgery"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>
  <way id="11"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/></way>
  <way id="12"><nd ref="4"/><nd ref="1"/><tag k="highway" v="residential"/><tag k="maxspeed" v="20 mph"/></way>
  <way id="13"><nd ref="1"/><nd ref="3"/><tag k="highway" v="footway"/></way>
</osm>"#;
    let p = d.join("square.osm");
    std::fs::write(&p, xml).unwrap();
    let osm = OsmData::load(&p).unwrap();
    // Five nodes read; the surgery stands on no way, so it is kept as a
    // tagged point and its position is not kept in the node table.
    assert_eq!((osm.nodes_read, osm.nodes.len()), (5, 4));
    assert_eq!(osm.highway_count(), 4);
    let (sites, _) = sites_from_osm(&osm, &"amenity=doctors".parse().unwrap());
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].name, "Square Surgery");
    let prof = Profile::default();
    let car = Network::build(&osm, StreetMode::Car, &prof);
    let walk = Network::build(&osm, StreetMode::Walk, &prof);
    // Car: nodes 1, 3 (way 10 splits nowhere else: 2 is interior), 4; edges 1<->3 (2), 3->4 (1), 4<->1 (2).
    assert_eq!((car.node_count(), car.edge_count()), (3, 5));
    // Walk adds the footpath 1<->3 and ignores the one-way.
    assert_eq!((walk.node_count(), walk.edge_count()), (3, 8));
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn broken_osm_files_give_clear_errors() {
    let d = temp_dir("bad");
    let empty = d.join("empty.osm");
    std::fs::write(&empty, "").unwrap();
    let e = OsmData::load(&empty).unwrap_err().to_string();
    assert!(e.contains("empty.osm") && e.contains("empty"), "{e}");

    let bad_xml = d.join("bad.osm");
    std::fs::write(&bad_xml, "<osm version=\"0.6\">\n  <node id=\"1\" lat=\"51.5\" lon=\"-3.0\"/>\n  <way id=\"2\"><nd ref=\"1\"></way>\n</osm>\n").unwrap();
    let e = OsmData::load(&bad_xml).unwrap_err().to_string();
    assert!(e.contains("bad.osm") && e.contains("line 3") && e.contains("XML does not parse"), "{e}");

    let bad_coord = d.join("coord.osm");
    std::fs::write(&bad_coord, "<osm version=\"0.6\">\n  <node id=\"1\" lat=\"north\" lon=\"-3.0\"/>\n</osm>\n").unwrap();
    let e = OsmData::load(&bad_coord).unwrap_err().to_string();
    assert!(e.contains("coord.osm") && e.contains("line 2") && e.contains("field 'lat'") && e.contains("'north' is not a number"), "{e}");

    let not_osm = d.join("other.osm");
    std::fs::write(&not_osm, "<html><body/></html>").unwrap();
    let e = OsmData::load(&not_osm).unwrap_err().to_string();
    assert!(e.contains("no <osm> element"), "{e}");

    let garbage = d.join("garbage.osm.pbf");
    std::fs::write(&garbage, b"\x00\x00\x00\x0dthis is not a pbf file at all").unwrap();
    let e = OsmData::load(&garbage).unwrap_err().to_string();
    assert!(e.contains("garbage.osm.pbf") && e.contains("not a readable OSM PBF"), "{e}");

    if let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") {
        let bytes = std::fs::read(&pbf).unwrap();
        let cut = d.join("truncated.osm.pbf");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let e = OsmData::load(&cut).unwrap_err().to_string();
        assert!(e.contains("truncated.osm.pbf") && e.contains("truncated or corrupt"), "{e}");
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_cut_short_or_unclosed_xml_file_is_refused_and_xml_named_pbf_is_read_as_xml() {
    let demo = std::fs::read_to_string(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/demo/region.osm")).unwrap();
    // Cut after a complete </way>, as an interrupted download leaves it.
    let cut = &demo[..demo.find("</way>").unwrap() + "</way>".len()];
    let p = accessplan::testdata::temp_file("osm-cut", "region.osm", cut);
    let e = accessplan::input::osm::OsmData::load(&p).unwrap_err().to_string();
    assert!(e.contains("region.osm") && e.contains("ends before </osm>") && e.contains("cut short"), "{e}");
    // An <nd> left unclosed swallows the next element.
    let i = demo.find("<nd ref=").unwrap();
    let j = i + demo[i..].find("/>").unwrap();
    let unclosed = format!("{}{}", &demo[..j], &demo[j + 2..]);
    let p = accessplan::testdata::temp_file("osm-unclosed", "region.osm", &unclosed);
    let e = accessplan::input::osm::OsmData::load(&p).unwrap_err().to_string();
    let line = 1 + demo[..i].matches('\n').count();
    assert!(e.contains(&format!("line {line}")) && (e.contains("<nd> element is not closed") || e.contains("bad XML attribute")), "{e}");
    // The same XML saved under a .pbf name reads as XML.
    let p = accessplan::testdata::temp_file("osm-as-pbf", "region.osm.pbf", &demo);
    let xml = accessplan::input::osm::OsmData::load(&p).unwrap();
    let p2 = accessplan::testdata::temp_file("osm-as-osm", "region.osm", &demo);
    let same = accessplan::input::osm::OsmData::load(&p2).unwrap();
    assert_eq!((xml.ways.len(), xml.nodes_read), (same.ways.len(), same.nodes_read));
}
