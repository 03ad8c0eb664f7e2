//! Sine, cosine and exponential from plain arithmetic.
//!
//! The platform's maths library may differ in the last bit between systems;
//! these use only IEEE-exact operations (+, -, *, /, round), so the demo
//! region comes out byte-identical everywhere.

use std::f64::consts::{FRAC_PI_2, LN_2, PI};

/// Sine of `x` radians (range reduction, then a Taylor series to x^23).
pub fn sin(x: f64) -> f64 {
    let k = (x / (2.0 * PI)).round();
    let mut r = x - k * (2.0 * PI);
    if r > FRAC_PI_2 {
        r = PI - r;
    } else if r < -FRAC_PI_2 {
        r = -PI - r;
    }
    let r2 = r * r;
    let mut term = r;
    let mut sum = r;
    for i in 1..=11 {
        let n = (2 * i) as f64;
        term *= -r2 / (n * (n + 1.0));
        sum += term;
    }
    sum
}

/// Cosine of `x` radians.
pub fn cos(x: f64) -> f64 {
    sin(x + FRAC_PI_2)
}

/// e^x (range reduction by ln 2, then a Taylor series).
pub fn exp(x: f64) -> f64 {
    if x < -700.0 {
        return 0.0;
    }
    let k = (x / LN_2).round();
    let r = x - k * LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..=20 {
        term *= r / i as f64;
        sum += term;
    }
    sum * 2f64.powi(k as i32)
}

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_the_platform_library() {
        for i in -200..200 {
            let x = i as f64 * 0.173;
            assert!((super::sin(x) - x.sin()).abs() < 1e-13, "sin {x}");
            assert!((super::cos(x) - x.cos()).abs() < 1e-13, "cos {x}");
            let e = x / 4.0;
            assert!((super::exp(e) - e.exp()).abs() <= 1e-13 * e.exp(), "exp {e}");
        }
    }
}
