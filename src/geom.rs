//! Small geometry helpers: WGS84 points, great-circle distance and a local
//! metric projection for work that needs metres.

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A WGS84 position, longitude and latitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LonLat {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

impl LonLat {
    /// A point from longitude and latitude in degrees.
    pub const fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }
    /// Whether this is a plausible WGS84 coordinate.
    pub fn is_valid(&self) -> bool {
        self.lon.is_finite() && self.lat.is_finite() && (-180.0..=180.0).contains(&self.lon) && (-90.0..=90.0).contains(&self.lat)
    }
}

/// Great-circle distance in metres (haversine).
pub fn haversine_m(a: LonLat, b: LonLat) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

/// An equirectangular projection centred on a region: metres east and north
/// of the centre. Within a town or county (tens of km) its distance error is
/// well under 0.5%, which is all snapping and isochrone grids need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalProjection {
    lon0: f64,
    lat0: f64,
    m_per_deg_lon: f64,
    m_per_deg_lat: f64,
}

impl LocalProjection {
    /// A projection centred on `centre`.
    pub fn new(centre: LonLat) -> Self {
        let m_per_deg_lat = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        Self { lon0: centre.lon, lat0: centre.lat, m_per_deg_lon: m_per_deg_lat * centre.lat.to_radians().cos(), m_per_deg_lat }
    }
    /// Metres east and north of the centre.
    pub fn to_xy(&self, p: LonLat) -> [f64; 2] {
        [(p.lon - self.lon0) * self.m_per_deg_lon, (p.lat - self.lat0) * self.m_per_deg_lat]
    }
    /// Back from metres to WGS84.
    pub fn to_lonlat(&self, xy: [f64; 2]) -> LonLat {
        LonLat { lon: self.lon0 + xy[0] / self.m_per_deg_lon, lat: self.lat0 + xy[1] / self.m_per_deg_lat }
    }
}

/// A lon/lat bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    /// South-west corner.
    pub min: LonLat,
    /// North-east corner.
    pub max: LonLat,
}

impl Extent {
    /// The extent of some points, or `None` when there are none.
    pub fn of(points: impl IntoIterator<Item = LonLat>) -> Option<Self> {
        let mut it = points.into_iter();
        let first = it.next()?;
        let mut e = Extent { min: first, max: first };
        for p in it {
            e.min.lon = e.min.lon.min(p.lon);
            e.min.lat = e.min.lat.min(p.lat);
            e.max.lon = e.max.lon.max(p.lon);
            e.max.lat = e.max.lat.max(p.lat);
        }
        Some(e)
    }
    /// The centre of the box.
    pub fn centre(&self) -> LonLat {
        LonLat::new((self.min.lon + self.max.lon) / 2.0, (self.min.lat + self.max.lat) / 2.0)
    }
    /// Whether `p` lies in the box (edges included).
    pub fn contains(&self, p: LonLat) -> bool {
        (self.min.lon..=self.max.lon).contains(&p.lon) && (self.min.lat..=self.max.lat).contains(&p.lat)
    }
    /// The box grown by `m` metres on every side (shrunk when `m` is
    /// negative; `None` when nothing is left). East-west metres are counted
    /// at the latitude where a degree of longitude is shortest, so the box
    /// holds at least `m` metres everywhere.
    pub fn grown_by_m(&self, m: f64) -> Option<Extent> {
        let m_per_deg_lat = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        let widest_lat = self.min.lat.abs().max(self.max.lat.abs()).min(89.0);
        let dlat = m / m_per_deg_lat;
        let dlon = m / (m_per_deg_lat * widest_lat.to_radians().cos());
        let e = Extent {
            min: LonLat::new((self.min.lon - dlon).max(-180.0), (self.min.lat - dlat).max(-90.0)),
            max: LonLat::new((self.max.lon + dlon).min(180.0), (self.max.lat + dlat).min(90.0)),
        };
        (e.min.lon <= e.max.lon && e.min.lat <= e.max.lat).then_some(e)
    }
    /// How far `p` lies inside the box, metres (negative outside): the
    /// distance to its nearest edge.
    pub fn inside_by_m(&self, p: LonLat) -> f64 {
        let m_per_deg_lat = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        let m_per_deg_lon = m_per_deg_lat * p.lat.to_radians().cos();
        let dx = (p.lon - self.min.lon).min(self.max.lon - p.lon) * m_per_deg_lon;
        let dy = (p.lat - self.min.lat).min(self.max.lat - p.lat) * m_per_deg_lat;
        dx.min(dy)
    }
}

impl std::fmt::Display for Extent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "lon {:.4}..{:.4}, lat {:.4}..{:.4}", self.min.lon, self.max.lon, self.min.lat, self.max.lat)
    }
}

/// Twice the signed planar area of a ring in degrees² (positive when counter-clockwise).
pub fn ring_signed_area2(ring: &[LonLat]) -> f64 {
    ring.windows(2).map(|w| w[0].lon * w[1].lat - w[1].lon * w[0].lat).sum()
}

/// Where a ring crosses itself (a "bow-tie"), if it does: the first point
/// found where two of its edges that are not neighbours cross at a point
/// inside both. Edges that only touch at a vertex (a ring pinched to one
/// point, common and harmless in boundary files) do not count; repeated
/// points are ignored. Edges are swept in order of their west end, so a
/// ring of n points takes about n log n plus the pairs whose longitude
/// ranges overlap, not n².
pub fn ring_crossing(ring: &[LonLat]) -> Option<LonLat> {
    let mut pts: Vec<LonLat> = Vec::with_capacity(ring.len() + 1);
    for &p in ring {
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    if pts.len() > 1 && pts.first() != pts.last() {
        pts.push(pts[0]);
    }
    let n = pts.len().saturating_sub(1);
    if n < 4 {
        return None;
    }
    let seg = |i: usize| (pts[i], pts[i + 1]);
    let lo = |i: usize| pts[i].lon.min(pts[i + 1].lon);
    let hi = |i: usize| pts[i].lon.max(pts[i + 1].lon);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| lo(a).total_cmp(&lo(b)));
    let mut active: Vec<usize> = Vec::new();
    for &i in &order {
        active.retain(|&j| hi(j) >= lo(i));
        for &j in &active {
            let neighbours = i.abs_diff(j) == 1 || i.abs_diff(j) == n - 1;
            if !neighbours && let Some(x) = proper_crossing(seg(i), seg(j)) {
                return Some(x);
            }
        }
        active.push(i);
    }
    None
}

/// The point where segments `a` and `b` cross, when each passes strictly
/// through the other (not at an end point, not along a shared line).
fn proper_crossing(a: (LonLat, LonLat), b: (LonLat, LonLat)) -> Option<LonLat> {
    let orient = |p: LonLat, q: LonLat, r: LonLat| (q.lon - p.lon) * (r.lat - p.lat) - (q.lat - p.lat) * (r.lon - p.lon);
    let (d1, d2) = (orient(a.0, a.1, b.0), orient(a.0, a.1, b.1));
    let (d3, d4) = (orient(b.0, b.1, a.0), orient(b.0, b.1, a.1));
    if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
        let t = d3 / (d3 - d4);
        Some(LonLat::new(a.0.lon + t * (a.1.lon - a.0.lon), a.0.lat + t * (a.1.lat - a.0.lat)))
    } else {
        None
    }
}

/// A ring of WGS84 points as a `geo` line string (x = lon, y = lat).
pub fn ring_to_geo(ring: &[LonLat]) -> geo::LineString<f64> {
    geo::LineString::new(ring.iter().map(|p| geo::coord! { x: p.lon, y: p.lat }).collect())
}

/// A `geo` line string as a ring of WGS84 points.
pub fn ring_from_geo(ring: &geo::LineString<f64>) -> Vec<LonLat> {
    ring.coords().map(|c| LonLat::new(c.x, c.y)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bow_tie_crosses_itself_and_a_square_or_a_pinched_ring_does_not() {
        let p = |lon: f64, lat: f64| LonLat::new(lon, lat);
        let square = [p(0.0, 0.0), p(1.0, 0.0), p(1.0, 1.0), p(0.0, 1.0), p(0.0, 0.0)];
        assert_eq!(ring_crossing(&square), None);
        let bow_tie = [p(0.0, 0.0), p(1.0, 1.0), p(1.0, 0.0), p(0.0, 1.0), p(0.0, 0.0)];
        let x = ring_crossing(&bow_tie).unwrap();
        assert!((x.lon - 0.5).abs() < 1e-12 && (x.lat - 0.5).abs() < 1e-12, "{x:?}");
        // Two squares joined at one corner, with a repeated point: touching is not crossing.
        let pinched = [p(0.0, 0.0), p(1.0, 0.0), p(1.0, 1.0), p(1.0, 1.0), p(2.0, 1.0), p(2.0, 2.0), p(1.0, 2.0), p(1.0, 1.0), p(0.0, 1.0), p(0.0, 0.0)];
        assert_eq!(ring_crossing(&pinched), None);
        // Unclosed input is closed first.
        assert!(ring_crossing(&bow_tie[..4]).is_some());
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m(LonLat::new(0.0, 51.0), LonLat::new(0.0, 52.0));
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
    }

    #[test]
    fn local_projection_matches_haversine_within_half_a_percent() {
        let c = LonLat::new(-3.0, 51.57);
        let p = LocalProjection::new(c);
        let q = LonLat::new(-2.95, 51.60);
        let [x, y] = p.to_xy(q);
        let d = (x * x + y * y).sqrt();
        let h = haversine_m(c, q);
        assert!((d - h).abs() / h < 0.005, "{d} vs {h}");
        let back = p.to_lonlat([x, y]);
        assert!((back.lon - q.lon).abs() < 1e-9 && (back.lat - q.lat).abs() < 1e-9);
    }
}
