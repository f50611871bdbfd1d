//! Where a session is: the step, the stroke and the time, for display.

use crate::session::timeline::{EventKind, Timeline};

/// What is happening at one sample of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub step_index: usize,
    /// `(n, of)` while a stroke set is under way.
    pub stroke: Option<(u32, u32)>,
    /// The prompt being spoken, or the last one spoken in this step.
    pub prompt: Option<String>,
    pub elapsed: u64,
    pub total: u64,
}

impl Status {
    pub fn at(timeline: &Timeline, position: u64) -> Status {
        let step_index = timeline.step_at(position).unwrap_or(0);
        let step_start = timeline.steps.get(step_index).map_or(0, |s| s.start_sample);
        let mut stroke = None;
        let mut prompt = None;
        let upto = timeline
            .events
            .partition_point(|e| e.start_sample <= position);
        for event in timeline.events[..upto].iter().rev() {
            if event.start_sample < step_start {
                break;
            }
            match &event.kind {
                EventKind::Chime { stroke: n, of } if prompt.is_none() => {
                    stroke.get_or_insert((*n, *of));
                }
                EventKind::Prompt { prompt: id, .. } => {
                    prompt = Some(id.clone());
                    break;
                }
                _ => {}
            }
        }
        Status {
            step_index,
            stroke,
            prompt,
            elapsed: position.min(timeline.total_samples),
            total: timeline.total_samples,
        }
    }
}

/// How a session ended: the one word for it, on the screen, in the log,
/// and in the web app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Played to its end.
    Finished,
    /// "Baby's done" was asked for in this step (its id), and the close
    /// played.
    BabysDone(String),
    /// Stopped in this step (its id): q, Ctrl-C, a signal, a failure.
    Stopped(String),
}

impl std::fmt::Display for Ending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ending::Finished => write!(f, "finished"),
            Ending::BabysDone(step) => write!(f, "baby's done at {step}"),
            Ending::Stopped(step) => write!(f, "stopped at {step}"),
        }
    }
}
