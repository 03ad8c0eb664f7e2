//! A new site's travel-time columns: one single-source search per street
//! mode and the bus over its window, computed anywhere (a [`ColumnJob`]
//! owns or shares everything it needs, so the app runs it on a worker
//! thread), then appended to the [`TravelTimes`] they were made for.

use crate::model::Site;
use crate::progress::{Cancelled, Progress};
use crate::region::Region;
use crate::travel::{Mode, TravelRequest, TravelTimes};

/// What a new site's travel-time columns need, detached from the region and
/// the travel times (networks and timetable are shared).
pub struct ColumnJob {
    zones: Vec<crate::LonLat>,
    street_modes: Vec<Mode>,
    networks: Vec<std::sync::Arc<crate::network::Network>>,
    /// The timetable, when the travel times have a bus matrix.
    timetable: Option<std::sync::Arc<crate::transit::Timetable>>,
    request: TravelRequest,
    site: Site,
    /// The cache the travel times keep their street columns in.
    cache: Option<crate::travel::ColumnCache>,
}

/// The columns computed for a new site, in the matrices' order.
pub struct SiteColumns {
    /// The site.
    pub site: Site,
    /// One column per street mode of the travel times, in `tt.street` order.
    street: Vec<Option<crate::network::StreetMatrix>>,
    /// The bus column, when the travel times have a timetable.
    bus: Option<crate::transit::BusMatrix>,
}

impl ColumnJob {
    /// The job for `site` on travel times `tt` computed on `region`.
    pub fn new(region: &Region, tt: &TravelTimes, site: Site) -> ColumnJob {
        ColumnJob {
            zones: region.zones.iter().map(|z| z.point).collect(),
            street_modes: tt.street.iter().map(|(m, _)| *m).collect(),
            networks: region.networks.clone(),
            timetable: tt.bus.as_ref().and(tt.timetable.clone()),
            request: tt.request.clone(),
            site,
            cache: tt.cache.clone(),
        }
    }

    /// The site the columns are for.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Computes the columns: one search per street mode and the bus over its
    /// window (`progress` ticks as the searches go; Cancel stops them).
    pub fn compute(self, progress: &Progress) -> Result<SiteColumns, Cancelled> {
        use crate::network::StreetMode;
        let net = |sm: StreetMode| self.networks.iter().find(|n| n.mode == sm);
        let at = [self.site.point];
        let max_snap_m = self.request.max_snap_m;
        let street = self
            .street_modes
            .iter()
            .map(|m| {
                let net = m.street().and_then(|(sm, period)| net(sm).map(|n| (n, period)));
                net.map(|(n, period)| {
                    crate::travel::street_matrix_cached(n, period, &self.zones, &at, max_snap_m, progress, self.cache.as_ref()).map(|(m, _)| m)
                })
                .transpose()
            })
            .collect::<Result<_, _>>()?;
        let bus = match (&self.timetable, net(StreetMode::Walk)) {
            (Some(tt), Some(walk)) => {
                Some(crate::transit::bus_matrix(tt, walk, &self.zones, &at, &self.request.bus_window, &self.request.bus_options(), progress)?)
            }
            _ => None,
        };
        Ok(SiteColumns { site: self.site, street, bus })
    }
}

impl TravelTimes {
    /// Appends a new site's columns, computed by [`ColumnJob::compute`] on
    /// these travel times, as the last destination of every matrix. Returns
    /// the site they are for.
    pub fn append(&mut self, cols: SiteColumns) -> Site {
        for ((_, m), col) in self.street.iter_mut().zip(cols.street) {
            let n_zones = m.origins;
            let (t, l, snap) = match col {
                Some(c) => (c.time_s, c.length_m, c.destination_snaps[0]),
                None => (vec![f32::INFINITY; n_zones], vec![0.0; n_zones], Err(crate::network::SnapFailure::EmptyNetwork)),
            };
            append_column(&mut m.time_s, m.origins, m.destinations, &t);
            append_column(&mut m.length_m, m.origins, m.destinations, &l);
            m.destination_snaps.push(snap);
            m.destinations += 1;
        }
        if let (Some(b), Some(c)) = (self.bus.as_mut(), &cols.bus) {
            for (v, cv) in [
                (&mut b.p10_s, &c.p10_s),
                (&mut b.median_s, &c.median_s),
                (&mut b.p90_s, &c.p90_s),
                (&mut b.no_journey_share, &c.no_journey_share),
                (&mut b.walk_only_s, &c.walk_only_s),
            ] {
                append_column(v, b.origins, b.destinations, cv);
            }
            b.destination_stops.extend(c.destination_stops.iter().copied());
            b.destination_snaps.push(c.destination_snaps[0]);
            b.destinations += 1;
        }
        cols.site
    }
}

/// Appends one column to an origin-major `rows` x `cols` matrix.
fn append_column(v: &mut Vec<f32>, rows: usize, cols: usize, col: &[f32]) {
    let mut out = Vec::with_capacity(rows * (cols + 1));
    for r in 0..rows {
        out.extend_from_slice(&v[r * cols..(r + 1) * cols]);
        out.push(col.get(r).copied().unwrap_or(f32::INFINITY));
    }
    *v = out;
}
