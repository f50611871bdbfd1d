//! What a rendered file says about itself: its tags and its chapters.

use crate::session::timeline::Timeline;

/// Every file soothe writes names soothe as its artist (and the album's
/// artist, where the format has one).
pub const ARTIST: &str = "soothe";

/// A step of the session, as a chapter of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub title: String,
    /// The first sample of the step, from the start of the file.
    pub start: u64,
    /// The sample after the step's last.
    pub end: u64,
}

/// Tags and chapters of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The session and its variant, or (for one step of `--split`) the step.
    pub title: String,
    /// What the render is, as its title says (the script, the variant,
    /// the options, brief mode, the voice): each render its own album.
    pub album: String,
    /// For one step of `--split`: its number and the number of steps.
    pub track: Option<(usize, usize)>,
    pub sample_rate: u32,
    pub total_samples: u64,
    /// A chapter per step (none for one step of `--split`).
    pub chapters: Vec<Chapter>,
}

impl Meta {
    /// The whole session as one file with a chapter per step. `title`
    /// names the session and its variant.
    pub fn session(title: String, album: String, timeline: &Timeline) -> Meta {
        Meta {
            title,
            album,
            track: None,
            sample_rate: timeline.sample_rate,
            total_samples: timeline.total_samples,
            chapters: timeline
                .steps
                .iter()
                .map(|step| Chapter {
                    title: step.title.clone(),
                    start: step.start_sample,
                    end: step.end_sample,
                })
                .collect(),
        }
    }

    /// A sample position in whole milliseconds, rounded to the nearest.
    pub fn millis(&self, sample: u64) -> u64 {
        let rate = u64::from(self.sample_rate.max(1));
        (sample * 1000 + rate / 2) / rate
    }
}
