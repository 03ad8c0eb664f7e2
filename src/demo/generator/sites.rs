//! Candidate and current sites: one Healthy Living Centre (HLC) per locality
//! (four open, two planned), the acute hospital, a day-rehabilitation centre
//! and eight other places clinics are held today; and `sites.csv`.

use super::layout::{self, LOCALITIES, Projection, TOWNS};
use super::streets::{Highway, Poi, StreetNet};
use super::text::csv_field;

/// One site as written to `sites.csv`.
#[derive(Debug, Clone)]
pub struct DemoSite {
    /// Identifier, e.g. `hlc-northgate`.
    pub id: &'static str,
    /// Human name.
    pub name: &'static str,
    /// `hlc`, `hospital`, `rehab`, `surgery`, `leisure-centre`, `community-centre` or `clinic`.
    pub kind: &'static str,
    /// `existing` or `planned`.
    pub status: &'static str,
    /// Index into [`LOCALITIES`].
    pub locality: usize,
    /// Where it is, metres.
    pub point_m: [f64; 2],
    /// Contacts per year it can take, if known.
    pub capacity: Option<u32>,
}

/// How a site is placed: near a town's centre, offset by metres, and what the map shows there.
struct SitePlan {
    id: &'static str,
    name: &'static str,
    kind: &'static str,
    status: &'static str,
    town: usize,
    offset_m: [f64; 2],
    capacity: Option<u32>,
    /// OSM amenity for a tagged node, if the map should show it.
    amenity: Option<&'static str>,
}

const PLANS: [SitePlan; 16] = [
    SitePlan {
        id: "hlc-westholm",
        name: "Westholm Healthy Living Centre",
        kind: "hlc",
        status: "existing",
        town: 0,
        offset_m: [200.0, 150.0],
        capacity: Some(6_000),
        amenity: None,
    },
    SitePlan {
        id: "hlc-northgate",
        name: "Northgate Healthy Living Centre",
        kind: "hlc",
        status: "existing",
        town: 1,
        offset_m: [-250.0, 200.0],
        capacity: Some(7_000),
        amenity: None,
    },
    SitePlan {
        id: "hlc-eastbrook",
        name: "Eastbrook Healthy Living Centre",
        kind: "hlc",
        status: "planned",
        town: 2,
        offset_m: [300.0, -200.0],
        capacity: Some(6_000),
        amenity: None,
    },
    SitePlan {
        id: "hlc-millford",
        name: "Millford Healthy Living Centre",
        kind: "hlc",
        status: "planned",
        town: 3,
        offset_m: [-200.0, -250.0],
        capacity: Some(6_000),
        amenity: None,
    },
    SitePlan {
        id: "hlc-kingsbridge",
        name: "Kingsbridge Healthy Living Centre",
        kind: "hlc",
        status: "existing",
        town: 4,
        offset_m: [250.0, -150.0],
        capacity: Some(7_000),
        amenity: None,
    },
    SitePlan {
        id: "hlc-ashby-vale",
        name: "Ashby Vale Healthy Living Centre",
        kind: "hlc",
        status: "existing",
        town: 5,
        offset_m: [-150.0, 250.0],
        capacity: Some(6_000),
        amenity: None,
    },
    SitePlan {
        id: "hospital-riverdale",
        name: "Riverdale General Hospital",
        kind: "hospital",
        status: "existing",
        town: 1,
        offset_m: [-700.0, -1500.0],
        capacity: None,
        amenity: Some("hospital"),
    },
    SitePlan {
        id: "rehab-kingsbridge",
        name: "Kingsbridge Day Rehabilitation Centre",
        kind: "rehab",
        status: "existing",
        town: 4,
        offset_m: [600.0, 700.0],
        capacity: Some(2_500),
        amenity: None,
    },
    SitePlan {
        id: "surgery-westholm",
        name: "Westholm Surgery",
        kind: "surgery",
        status: "existing",
        town: 0,
        offset_m: [-400.0, -300.0],
        capacity: Some(3_000),
        amenity: Some("doctors"),
    },
    SitePlan {
        id: "surgery-eastbrook",
        name: "Eastbrook Medical Practice",
        kind: "surgery",
        status: "existing",
        town: 2,
        offset_m: [-350.0, 300.0],
        capacity: Some(4_000),
        amenity: Some("doctors"),
    },
    SitePlan {
        id: "surgery-millford-green",
        name: "Millford Green Surgery",
        kind: "surgery",
        status: "existing",
        town: 3,
        offset_m: [350.0, 200.0],
        capacity: None,
        amenity: Some("doctors"),
    },
    SitePlan {
        id: "clinic-millford",
        name: "Millford Health Centre",
        kind: "clinic",
        status: "existing",
        town: 3,
        offset_m: [-100.0, 500.0],
        capacity: Some(4_500),
        amenity: None,
    },
    SitePlan {
        id: "clinic-ashby-vale",
        name: "Ashby Vale Clinic",
        kind: "clinic",
        status: "existing",
        town: 5,
        offset_m: [400.0, -300.0],
        capacity: Some(3_000),
        amenity: None,
    },
    SitePlan {
        id: "leisure-northgate",
        name: "Northgate Leisure Centre",
        kind: "leisure-centre",
        status: "existing",
        town: 1,
        offset_m: [800.0, -600.0],
        capacity: Some(1_500),
        amenity: None,
    },
    SitePlan {
        id: "leisure-kingsbridge",
        name: "Kingsbridge Leisure Centre",
        kind: "leisure-centre",
        status: "existing",
        town: 4,
        offset_m: [-900.0, -500.0],
        capacity: None,
        amenity: None,
    },
    SitePlan {
        id: "community-eastbrook",
        name: "Eastbrook Community Centre",
        kind: "community-centre",
        status: "existing",
        town: 2,
        offset_m: [600.0, 500.0],
        capacity: Some(1_000),
        amenity: None,
    },
];

/// Places the sites beside the streets (the hospital at the end of its own
/// access road) and adds the amenity nodes to the map.
pub fn place(net: &mut StreetNet) -> Vec<DemoSite> {
    let mut sites = Vec::new();
    for plan in &PLANS {
        let town = &TOWNS[plan.town];
        let c = town.centre();
        let anchor = [c[0] + plan.offset_m[0], c[1] + plan.offset_m[1]];
        let point_m = if plan.kind == "hospital" {
            match net.add_spur(town.side(), anchor, Highway::Service) {
                Some((s, end)) => {
                    net.streets[s].name = Some("Hospital Approach".into());
                    let p = net.nodes[end];
                    [p[0] + 12.0, p[1] + 9.0]
                }
                None => anchor,
            }
        } else {
            let n = nearest_car_vertex(net, anchor);
            let p = net.nodes[n];
            [p[0] + 16.0, p[1] + 12.0 * town.side().sign()]
        };
        if let Some(amenity) = plan.amenity {
            net.nodes.push(point_m);
            let node = net.nodes.len() - 1;
            let healthcare = if amenity == "doctors" { "doctor" } else { amenity };
            net.pois.push(Poi {
                node,
                tags: vec![("amenity", amenity.into()), ("healthcare", healthcare.into()), ("name", plan.name.into()), ("note", "synthetic demo data".into())],
            });
        }
        sites.push(DemoSite {
            id: plan.id,
            name: plan.name,
            kind: plan.kind,
            status: plan.status,
            locality: layout::locality_at(point_m),
            point_m,
            capacity: plan.capacity,
        });
    }
    sites
}

/// The start or end node of a car street nearest `p`, on p's side of the river.
fn nearest_car_vertex(net: &StreetNet, p: [f64; 2]) -> usize {
    let side = layout::side_of(p);
    let mut best = (f64::INFINITY, 0);
    for s in net.streets.iter().filter(|s| s.carries_cars() && s.highway.carries_buses()) {
        for n in [s.nodes[0], s.nodes[s.nodes.len() - 1]] {
            let q = net.nodes[n];
            let d = super::streets::dist(p, q);
            if layout::side_of(q) == side && (d < best.0 || (d == best.0 && n < best.1)) {
                best = (d, n);
            }
        }
    }
    best.1
}

/// `sites.csv`.
pub fn csv(sites: &[DemoSite], proj: &Projection) -> String {
    let mut out = String::from("id,name,kind,status,locality,lon,lat,capacity\n");
    for s in sites {
        let ll = proj.lonlat(s.point_m);
        out.push_str(&format!(
            "{},{},{},{},{},{:.6},{:.6},{}\n",
            csv_field(s.id),
            csv_field(s.name),
            s.kind,
            s.status,
            csv_field(LOCALITIES[s.locality].name),
            ll.lon,
            ll.lat,
            s.capacity.map(|c| c.to_string()).unwrap_or_default()
        ));
    }
    out
}
