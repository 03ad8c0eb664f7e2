//! Services and tiers: the catalogue shipped in `assets/services.toml`.

use std::path::Path;

use crate::error::{InputError, Location};
use crate::input::toml_text::toml_error;

/// The shipped catalogue.
pub const DEFAULT_CATALOGUE_TOML: &str = include_str!("../../assets/services.toml");

/// A service tier: 1 at every locality's HLC, 2 once per locality pair, 3 at a few sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Tier(u8);

impl Tier {
    /// Tier 1.
    pub const ONE: Tier = Tier(1);
    /// Tier 2.
    pub const TWO: Tier = Tier(2);
    /// Tier 3.
    pub const THREE: Tier = Tier(3);
    /// All tiers.
    pub const ALL: [Tier; 3] = [Tier::ONE, Tier::TWO, Tier::THREE];
    /// 1, 2 or 3.
    pub fn number(self) -> u8 {
        self.0
    }
    /// What the tier means, in a few words.
    pub fn meaning(self) -> &'static str {
        match self.0 {
            1 => "at every locality's Healthy Living Centre",
            2 => "once in each pair of neighbouring localities",
            _ => "at a few specialist sites",
        }
    }
}

impl TryFrom<u8> for Tier {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        if (1..=3).contains(&v) { Ok(Tier(v)) } else { Err(format!("tier must be 1, 2 or 3, not {v}")) }
    }
}

impl From<Tier> for u8 {
    fn from(t: Tier) -> u8 {
        t.0
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tier {}", self.0)
    }
}

/// One community service.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Identifier used in scenario and contact files (e.g. `phlebotomy`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Default tier.
    pub tier: Tier,
    /// Where the tier comes from, if worth saying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Contacts a year per 1,000 residents of each census age band (keys are
    /// age-band column names such as `age_65_plus`): the need estimated when
    /// no contacts file is given ([`crate::analysis::demand`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub contacts_per_1000: std::collections::BTreeMap<String, f64>,
}

/// The service catalogue.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Format version.
    pub schema_version: u32,
    /// The services.
    #[serde(rename = "service")]
    pub services: Vec<Service>,
}

impl Default for Catalogue {
    fn default() -> Self {
        // The shipped file is checked by a test; a failure here is a build defect.
        Catalogue::from_toml(DEFAULT_CATALOGUE_TOML, Path::new("assets/services.toml")).unwrap_or_else(|e| panic!("built-in catalogue: {e}"))
    }
}

impl Catalogue {
    /// Parses catalogue TOML; `path` names the file in errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self, InputError> {
        let c: Catalogue = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        let mut seen = std::collections::HashSet::new();
        for s in &c.services {
            if !seen.insert(s.id.as_str()) {
                return Err(InputError::at(path, Location::File, Some("service.id"), format!("service '{}' is listed twice", s.id)));
            }
            for (band, rate) in &s.contacts_per_1000 {
                if !(rate.is_finite() && *rate >= 0.0) {
                    return Err(InputError::at(
                        path,
                        Location::File,
                        Some(&format!("service.{}.contacts_per_1000.{band}", s.id)),
                        format!("service '{}': {rate} is not a rate for band '{band}': give contacts a year per 1,000 residents, 0 or more", s.id),
                    ));
                }
            }
        }
        Ok(c)
    }
    /// Reads a catalogue file.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
        Self::from_toml(&text, path)
    }
    /// Services that give contacts per 1,000 residents by age band.
    pub fn services_with_rates(&self) -> usize {
        self.services.iter().filter(|s| !s.contacts_per_1000.is_empty()).count()
    }
    /// A service by id.
    pub fn get(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_has_the_source_services_and_tiers() {
        let c = Catalogue::default();
        assert_eq!(c.services.len(), 23);
        assert_eq!(c.get("phlebotomy").map(|s| s.tier), Some(Tier::ONE));
        assert_eq!(c.get("pulmonary-rehab").map(|s| s.tier), Some(Tier::TWO));
        assert_eq!(c.get("diabetes-education").map(|s| s.tier), Some(Tier::TWO));
        assert_eq!(c.get("continence").map(|s| s.tier), Some(Tier::THREE));
        assert_eq!(c.get("palliative-care").map(|s| s.tier), Some(Tier::THREE));
        let per_tier: Vec<usize> = Tier::ALL.iter().map(|t| c.services.iter().filter(|s| s.tier == *t).count()).collect();
        assert_eq!(per_tier, vec![9, 7, 7]);
    }

    #[test]
    fn shipped_rates_rise_with_age() {
        let c = Catalogue::default();
        assert_eq!(c.services_with_rates(), 23);
        let p = &c.get("phlebotomy").map(|s| s.contacts_per_1000.clone()).unwrap_or_default();
        assert_eq!((p.get("age_0_15"), p.get("age_65_plus")), (Some(&30.0), Some(&900.0)));
        // Every service but epilepsy and speech and language therapy is used more by the over-65s than by children.
        let older_heavier = c.services.iter().filter(|s| s.contacts_per_1000.get("age_65_plus") > s.contacts_per_1000.get("age_0_15")).count();
        assert_eq!(older_heavier, 21);
    }

    #[test]
    fn a_negative_or_nan_rate_is_refused_naming_the_service_and_band() {
        let text = |v: &str| {
            format!("schema_version = 1\n[[service]]\nid = \"podiatry\"\nname = \"P\"\ntier = 2\ncontacts_per_1000 = {{ age_0_15 = 2, age_65_plus = {v} }}\n")
        };
        for v in ["-5", "nan"] {
            let e = Catalogue::from_toml(&text(v), Path::new("c.toml")).unwrap_err().to_string();
            assert!(
                e.contains("service.podiatry.contacts_per_1000.age_65_plus") && e.contains("service 'podiatry'") && e.contains("band 'age_65_plus'"),
                "{e}"
            );
        }
        let ok = Catalogue::from_toml(&text("250.5"), Path::new("c.toml")).unwrap();
        assert_eq!(ok.services[0].contacts_per_1000.get("age_65_plus"), Some(&250.5));
    }

    #[test]
    fn a_bad_tier_is_an_error_naming_the_line() {
        let e = Catalogue::from_toml("schema_version = 1\n[[service]]\nid = \"x\"\nname = \"X\"\ntier = 4\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("line 5") && e.to_string().contains("tier must be 1, 2 or 3"), "{e}");
    }
}
