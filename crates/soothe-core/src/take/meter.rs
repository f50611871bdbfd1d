//! What the parent sees while a take is recorded: a level meter on one
//! line (on a terminal, redrawn in place), and the hint that nothing is
//! coming in when the microphone has heard no speech for a while.

use super::recording::TakeProgress;

/// No speech for this long while listening: say so.
pub const SILENCE_HINT_SECONDS: u64 = 5;
/// The hint, once per take.
pub const SILENCE_HINT: &str = "I can't hear you: check the microphone (soothe devices)";
/// The meter's range, in dBFS: quieter shows an empty bar.
const FLOOR_DB: f64 = -60.0;
/// Cells in the bar.
const CELLS: usize = 24;
/// Peaks above this are about to clip.
const HOT_DB: f64 = -1.0;

/// `● ▮▮▮▮▮▮▮▯▯▯▯▯…  -23 dB`: the peak level of the latest sound.
pub fn line(peak_db: f64) -> String {
    let db = peak_db.clamp(FLOOR_DB, 0.0);
    let filled = (((db - FLOOR_DB) / -FLOOR_DB) * CELLS as f64).round() as usize;
    let bar: String = "▮".repeat(filled) + &"▯".repeat(CELLS - filled);
    let level = if peak_db <= FLOOR_DB {
        "quiet".to_string()
    } else {
        format!("{} dB", db.round() as i64)
    };
    let hot = if peak_db >= HOT_DB { "  too loud" } else { "" };
    format!("  ● {bar} {level:>6}{hot}")
}

/// Watches one take for the silence hint: true once, when
/// [`SILENCE_HINT_SECONDS`] of sound have been heard and none of it was
/// speech. Counts samples, not the clock.
#[derive(Debug, Clone)]
pub struct SilenceWatch {
    after: u64,
    told: bool,
}

impl SilenceWatch {
    pub fn new(rate: u32) -> SilenceWatch {
        SilenceWatch {
            after: u64::from(rate) * SILENCE_HINT_SECONDS,
            told: false,
        }
    }

    /// Whether to give the hint now.
    pub fn hint(&mut self, heard: &TakeProgress) -> bool {
        if self.told || heard.speech || heard.samples < self.after {
            return false;
        }
        self.told = true;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_fills_with_the_level_and_warns_before_clipping() {
        assert_eq!(line(-90.0), "  ● ▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯▯  quiet");
        assert_eq!(line(-30.0), "  ● ▮▮▮▮▮▮▮▮▮▮▮▮▯▯▯▯▯▯▯▯▯▯▯▯ -30 dB");
        assert_eq!(line(-0.5), "  ● ▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮▮  -1 dB  too loud");
    }

    #[test]
    fn the_hint_comes_once_after_five_seconds_without_speech() {
        let rate = 48_000;
        let heard = |samples: u64, speech: bool| TakeProgress {
            peak_db: -70.0,
            samples,
            speech,
        };
        let mut watch = SilenceWatch::new(rate);
        assert!(!watch.hint(&heard(5 * 48_000 - 1, false)));
        assert!(watch.hint(&heard(5 * 48_000, false)));
        assert!(!watch.hint(&heard(6 * 48_000, false)), "only once");
        let mut spoken = SilenceWatch::new(rate);
        assert!(!spoken.hint(&heard(9 * 48_000, true)), "speech was heard");
    }
}
