//! A tiny deterministic pseudo-random number generator (splitmix64).
//!
//! Every random choice in the demo generator draws from a stream seeded from
//! one constant and the name of its purpose, so changing one part of the
//! generator leaves the other parts' draws alone, and the output is the same
//! on every run and every platform.

use super::detmath;

/// The constant every stream is derived from.
pub const SEED: u64 = 0x2026_0101_A11C_E5ED;

/// splitmix64 (Steele, Lea and Flood 2014): one 64-bit state, one addition
/// and a mixing function per draw.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// The stream for one named purpose (FNV-1a of the name mixed into [`SEED`]).
    pub fn stream(purpose: &str) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in purpose.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Self { state: SEED ^ h }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform draw in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A uniform index in 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// True with probability p.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Shuffles a slice in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// An index drawn with probability proportional to its weight, or `None`
    /// when no weight is positive.
    pub fn weighted(&mut self, weights: &[f64]) -> Option<usize> {
        let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
        if total <= 0.0 {
            return None;
        }
        let mut u = self.unit() * total;
        let mut last = None;
        for (i, w) in weights.iter().enumerate() {
            if *w > 0.0 {
                last = Some(i);
                if u < *w {
                    return Some(i);
                }
                u -= *w;
            }
        }
        last
    }

    /// A Poisson draw with mean `lambda`: by inversion below 30, by a normal
    /// approximation (sum of twelve uniforms) above.
    pub fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda < 30.0 {
            let mut p = detmath::exp(-lambda);
            let mut cdf = p;
            let u = self.unit();
            let mut k = 0u64;
            while u > cdf && k < 1000 {
                k += 1;
                p *= lambda / k as f64;
                cdf += p;
            }
            k
        } else {
            let z: f64 = (0..12).map(|_| self.unit()).sum::<f64>() - 6.0;
            (lambda + lambda.sqrt() * z).round().max(0.0) as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference values of splitmix64 seeded with 0 (from the C original).
        let mut r = SplitMix64 { state: 0 };
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn poisson_mean_is_about_lambda() {
        let mut r = SplitMix64::stream("test");
        for lambda in [0.3, 4.0, 80.0] {
            let n = 20_000;
            let mean = (0..n).map(|_| r.poisson(lambda) as f64).sum::<f64>() / n as f64;
            assert!((mean - lambda).abs() < 0.05 * lambda + 0.02, "{lambda}: {mean}");
        }
    }
}
