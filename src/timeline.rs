//! The timeline: a session, its voice and its chimes laid out as events at
//! exact sample positions. Pure: the same input always gives the same
//! timeline, and nothing here touches a file or a device.

use serde::Serialize;

use crate::select::{Part, Session};

/// Quiet before the first sound, in seconds.
pub const LEAD_IN: f64 = 0.5;
/// Quiet between two prompts spoken one after the other.
pub const BETWEEN_PROMPTS: f64 = 0.7;
/// Quiet between the words and the first chime: time to place your hands.
pub const SETTLE: f64 = 1.5;
/// Quiet between the end of one step and the start of the next.
pub const BETWEEN_STEPS: f64 = 1.5;

/// Seconds to whole samples at `rate`.
pub fn samples(seconds: f64, rate: u32) -> u64 {
    (seconds * f64::from(rate)).round().max(0.0) as u64
}

/// What the timeline needs to know about the sounds: their lengths.
pub trait SoundLengths {
    /// A prompt's length in samples at the session rate, and the voice it
    /// comes from; `None` when no voice has a recording of it.
    fn prompt(&self, id: &str) -> Option<(u64, String)>;
    /// The length of a stroke chime (`last` for the last of a set).
    fn chime(&self, last: bool) -> u64;
}

/// Prompts that no voice has a recording of.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no recording of prompt{} {}", if .0.len() == 1 { "" } else { "s" }, .0.join(", "))]
pub struct MissingPrompts(pub Vec<String>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum EventKind {
    /// A voice prompt, and the voice it is spoken in.
    Prompt { prompt: String, voice: String },
    /// The chime that starts stroke `stroke` (1-based) of `of`.
    Chime { stroke: u32, of: u32 },
    /// A quiet wait the script asked for.
    Pause,
}

/// One sound (or planned silence) on the timeline: `[start_sample, end_sample)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    #[serde(flatten)]
    pub kind: EventKind,
    /// Index into [`Timeline::steps`].
    #[serde(skip)]
    pub step_index: usize,
    pub step: String,
    pub start_sample: u64,
    pub end_sample: u64,
}

impl Event {
    pub fn len(&self) -> u64 {
        self.end_sample - self.start_sample
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A step's place on the timeline. Steps tile the timeline: each ends
/// where the next starts, and the last ends at `total_samples`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepSpan {
    pub id: String,
    pub title: String,
    pub start_sample: u64,
    pub end_sample: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub sample_rate: u32,
    pub total_samples: u64,
    pub steps: Vec<StepSpan>,
    /// Sorted by start; no two sounds overlap.
    pub events: Vec<Event>,
    /// The index of the step "baby's done" jumps to.
    #[serde(skip)]
    pub closing: Option<usize>,
}

impl Timeline {
    /// Lays out `session` with the sound lengths of `sounds`.
    pub fn build(session: &Session, sounds: &dyn SoundLengths) -> Result<Timeline, MissingPrompts> {
        let rate = session.sample_rate;
        let mut missing: Vec<String> = Vec::new();
        let mut events = Vec::new();
        let mut steps = Vec::new();
        let mut cursor = samples(LEAD_IN, rate);

        for (step_index, step) in session.steps.iter().enumerate() {
            let step_start = if step_index == 0 { 0 } else { cursor };
            let mut previous: Option<&Part> = None;
            for part in &step.parts {
                match part {
                    Part::Say(id) => {
                        if matches!(previous, Some(Part::Say(_))) {
                            cursor += samples(BETWEEN_PROMPTS, rate);
                        }
                        let Some((len, voice)) = sounds.prompt(id) else {
                            if !missing.contains(id) {
                                missing.push(id.clone());
                            }
                            continue;
                        };
                        events.push(Event {
                            kind: EventKind::Prompt {
                                prompt: id.clone(),
                                voice,
                            },
                            step_index,
                            step: step.id.clone(),
                            start_sample: cursor,
                            end_sample: cursor + len,
                        });
                        cursor += len;
                    }
                    Part::Strokes(strokes) => {
                        if matches!(previous, Some(Part::Say(_))) {
                            cursor += samples(SETTLE, rate);
                        }
                        let stroke_len = samples(strokes.seconds, rate).max(1);
                        for stroke in 1..=strokes.count {
                            let chime_len = sounds.chime(stroke == strokes.count).min(stroke_len);
                            events.push(Event {
                                kind: EventKind::Chime {
                                    stroke,
                                    of: strokes.count,
                                },
                                step_index,
                                step: step.id.clone(),
                                start_sample: cursor,
                                end_sample: cursor + chime_len,
                            });
                            cursor += stroke_len;
                        }
                    }
                    Part::Wait(seconds) => {
                        let len = samples(*seconds, rate);
                        events.push(Event {
                            kind: EventKind::Pause,
                            step_index,
                            step: step.id.clone(),
                            start_sample: cursor,
                            end_sample: cursor + len,
                        });
                        cursor += len;
                    }
                }
                previous = Some(part);
            }
            cursor += samples(BETWEEN_STEPS, rate);
            steps.push(StepSpan {
                id: step.id.clone(),
                title: step.title.clone(),
                start_sample: step_start,
                end_sample: cursor,
            });
        }

        if !missing.is_empty() {
            return Err(MissingPrompts(missing));
        }
        let closing = session
            .closing
            .as_ref()
            .and_then(|id| steps.iter().position(|s| &s.id == id));
        Ok(Timeline {
            sample_rate: rate,
            total_samples: cursor,
            steps,
            events,
            closing,
        })
    }

    /// The step playing at `sample`.
    pub fn step_at(&self, sample: u64) -> Option<usize> {
        if self.steps.is_empty() {
            return None;
        }
        let index = self.steps.partition_point(|s| s.end_sample <= sample);
        Some(index.min(self.steps.len() - 1))
    }

    /// The last event that started at or before `sample`.
    pub fn event_at(&self, sample: u64) -> Option<&Event> {
        let index = self.events.partition_point(|e| e.start_sample <= sample);
        index.checked_sub(1).map(|i| &self.events[i])
    }

    /// Seconds from samples, for display.
    pub fn seconds(&self, samples: u64) -> f64 {
        samples as f64 / f64::from(self.sample_rate)
    }
}
