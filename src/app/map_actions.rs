//! Work started by a click on the map: a new candidate site (its travel
//! times on a worker thread) and isochrones from the clicked point (on a
//! worker thread too, cancelled by the next click).

use super::*;

impl AccessplanApp {
    /// Starts adding a candidate site at `at`: its travel times are computed
    /// on a worker thread, and the site joins the scenario when they arrive.
    pub fn add_site_at(&mut self, at: accessplan::LonLat, ctx: &egui::Context) {
        if let Some(s) = self.session.as_ref() {
            let job = s.study.column_job(s.new_site(at));
            let label = job.site().name.clone();
            let n_sites = s.study.sites().len();
            self.site_job = Some((Job::spawn(label, Some(ctx.clone()), move |progress| job.compute(progress)), n_sites));
        }
    }

    /// Starts drawing isochrone bands from a point (metres in the map
    /// projection) on a worker thread; a click elsewhere cancels the last one.
    pub(super) fn isochrone_at(&mut self, q: [f64; 2], ctx: &egui::Context) {
        use accessplan::network::StreetMode;
        use accessplan::travel::isochrone::{bus_isochrone, isochrone};
        let (Some(s), Some(geo)) = (&self.session, &self.geometry) else { return };
        let at = geo.proj.to_lonlat(q);
        const MINUTES: [f64; 5] = [5.0, 10.0, 15.0, 20.0, 30.0];
        let request = s.study.tt.request.clone();
        let net_of = |sm: StreetMode| s.study.region.networks.iter().find(|n| n.mode == sm).cloned();
        let job = match (self.mode.street(), s.study.tt.timetable.clone(), net_of(StreetMode::Walk)) {
            (Some((sm, period)), _, _) => {
                let Some(net) = net_of(sm) else { return };
                Job::spawn("isochrone".into(), Some(ctx.clone()), move |progress| isochrone(&net, period, at, &MINUTES, request.max_snap_m, 60.0, progress))
            }
            (None, Some(tt), Some(walk)) => Job::spawn("isochrone".into(), Some(ctx.clone()), move |progress| {
                let router = accessplan::transit::BusRouter::new(&tt, &walk, request.bus_options());
                bus_isochrone(&router, at, request.bus_window.middle_s(), &MINUTES, 60.0, progress)
            }),
            _ => return,
        };
        if let Some((old, _)) = self.iso_job.replace((job, self.mode)) {
            old.cancel();
        }
    }

    /// Shows a finished isochrone (or says why there is none).
    pub(super) fn show_isochrone(&mut self, result: Result<accessplan::travel::isochrone::Isochrone, accessplan::travel::isochrone::NoIsochrone>, mode: Mode) {
        let Some(geo) = &self.geometry else { return };
        match result {
            Ok(iso) => {
                let title = format!("Isochrone: {}", mode.title().to_lowercase());
                self.isochrone = super::map_iso::overlay(&iso, &geo.proj, title);
                let minutes: Vec<String> = iso.bands.iter().map(|b| format!("{}", b.to_min)).collect();
                self.messages.push((
                    false,
                    format!(
                        "Isochrone by {}: {} minutes from the clicked point (green nearest; bus: leaving mid-window, waits included).",
                        mode.title().to_lowercase(),
                        minutes.join(", ")
                    ),
                ));
            }
            Err(accessplan::travel::isochrone::NoIsochrone::Cancelled) => {}
            Err(e) => {
                self.isochrone = None;
                self.messages.push((true, format!("No isochrone here: {e}")));
            }
        }
    }
}
