//! The clock a parent reads: samples as minutes and seconds.

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
