//! Time in samples: seconds to samples, and the clock a parent reads.

/// Seconds to whole samples at `rate` (rounded; a negative or NaN length
/// is 0).
pub fn samples(seconds: f64, rate: u32) -> u64 {
    (seconds * f64::from(rate)).round().max(0.0) as u64
}

/// `m:ss` (or `h:mm:ss`) for a number of samples.
pub fn clock(samples: u64, rate: u32) -> String {
    let seconds = samples / u64::from(rate.max(1));
    if seconds >= 3600 {
        format!(
            "{}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        )
    } else {
        format!("{:02}:{:02}", seconds / 60, seconds % 60)
    }
}
