//! Real-data tests of the transit engine on the Newport and Chester feeds.

use super::*;
use crate::testdata::shared_file;

#[test]
fn newport_feed_loads() {
    let Some(p) = shared_file("newport/newport-20230613_gtfs.zip") else { return };
    let (feed, report) = load_gtfs(&p).unwrap();
    eprintln!("{report}");
    let d: ServiceDate = "2023-06-13".parse().unwrap();
    eprintln!("{:?} active {}", feed.date_range(), feed.active_services(d).unwrap().len());
}

#[test]
fn chester_feed_loads() {
    let Some(p) = shared_file("chester/chester-20230816-small_gtfs.zip") else { return };
    let (feed, report) = load_gtfs(&p).unwrap();
    eprintln!("{report}");
    eprintln!("{:?}", feed.date_range());
}
