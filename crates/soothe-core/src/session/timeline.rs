//! The timeline: a session, its voice and its chimes laid out as events at
//! exact sample positions. Pure: the same input always gives the same
//! timeline, and nothing here touches a file or a device.

use serde::Serialize;

use crate::session::script::Strokes;
use crate::session::select::{Part, PlannedStep, Session};

/// Quiet before the first sound, in seconds.
pub const LEAD_IN: f64 = 0.5;
/// Quiet between two prompts spoken one after the other.
pub const BETWEEN_PROMPTS: f64 = 0.7;
/// Quiet between the words and the first chime: time to place your hands.
pub const SETTLE: f64 = 1.5;
/// Quiet between the end of one step and the start of the next.
pub const BETWEEN_STEPS: f64 = 1.5;

pub use crate::clock::samples;

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
        let mut layout = Placer::new(session.sample_rate, sounds);
        for (step_index, step) in session.steps.iter().enumerate() {
            layout.step(step_index, step);
        }
        layout.finish(session.closing.as_deref())
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

    /// The session from the start of step `index` to its end (`--from`):
    /// the same events at the same distance from that step's first
    /// sample, which becomes sample 0. Steps tile the timeline, so nothing
    /// of an earlier step reaches into it.
    pub fn from_step(&self, index: usize) -> Timeline {
        let Some(first) = self.steps.get(index) else {
            return self.clone();
        };
        let offset = first.start_sample;
        Timeline {
            sample_rate: self.sample_rate,
            total_samples: self.total_samples - offset,
            steps: self.steps[index..]
                .iter()
                .map(|s| StepSpan {
                    start_sample: s.start_sample - offset,
                    end_sample: s.end_sample - offset,
                    ..s.clone()
                })
                .collect(),
            events: self
                .events
                .iter()
                .filter(|e| e.step_index >= index)
                .map(|e| Event {
                    step_index: e.step_index - index,
                    start_sample: e.start_sample - offset,
                    end_sample: e.end_sample - offset,
                    ..e.clone()
                })
                .collect(),
            closing: self.closing.and_then(|c| c.checked_sub(index)),
        }
    }
}

/// The quiet before `next`, in seconds, after the part `previous`: a
/// breath between two prompts, time to place your hands between the
/// words and the first chime, none otherwise.
fn quiet_before(previous: Option<&Part>, next: &Part) -> f64 {
    match (previous, next) {
        (Some(Part::Say(_)), Part::Say(_)) => BETWEEN_PROMPTS,
        (Some(Part::Say(_)), Part::Strokes(_)) => SETTLE,
        _ => 0.0,
    }
}

/// A timeline being laid out, step by step, part by part: `cursor` is
/// where the next sound starts.
struct Placer<'a> {
    rate: u32,
    sounds: &'a dyn SoundLengths,
    cursor: u64,
    events: Vec<Event>,
    steps: Vec<StepSpan>,
    /// Prompts no voice has, each once, in the order met.
    missing: Vec<String>,
}

impl<'a> Placer<'a> {
    fn new(rate: u32, sounds: &'a dyn SoundLengths) -> Placer<'a> {
        Placer {
            rate,
            sounds,
            cursor: samples(LEAD_IN, rate),
            events: Vec::new(),
            steps: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// Lays out step `index`, its parts and the quiet after it. The first
    /// step starts at sample 0, its lead-in included.
    fn step(&mut self, index: usize, step: &PlannedStep) {
        let start = if index == 0 { 0 } else { self.cursor };
        let mut previous: Option<&Part> = None;
        for part in &step.parts {
            self.cursor += samples(quiet_before(previous, part), self.rate);
            if self.part(index, &step.id, part) {
                previous = Some(part);
            }
        }
        self.cursor += samples(BETWEEN_STEPS, self.rate);
        self.steps.push(StepSpan {
            id: step.id.clone(),
            title: step.title.clone(),
            start_sample: start,
            end_sample: self.cursor,
        });
    }

    /// Lays out one part at the cursor; `false` for a prompt no voice
    /// has, which takes no time and is noted as missing.
    fn part(&mut self, step_index: usize, step: &str, part: &Part) -> bool {
        match part {
            Part::Say(id) => self.prompt(step_index, step, id),
            Part::Strokes(strokes) => {
                self.strokes(step_index, step, strokes);
                true
            }
            Part::Wait(seconds) => {
                self.pause(step_index, step, *seconds);
                true
            }
        }
    }

    /// A prompt in the voice that has it; `false` when none has.
    fn prompt(&mut self, step_index: usize, step: &str, id: &str) -> bool {
        let Some((len, voice)) = self.sounds.prompt(id) else {
            if !self.missing.iter().any(|m| m == id) {
                self.missing.push(id.to_string());
            }
            return false;
        };
        let prompt = id.to_string();
        self.event(step_index, step, EventKind::Prompt { prompt, voice }, len);
        self.cursor += len;
        true
    }

    /// A chime at the start of every stroke, cut to the stroke if longer.
    fn strokes(&mut self, step_index: usize, step: &str, strokes: &Strokes) {
        let stroke_len = samples(strokes.seconds, self.rate).max(1);
        let of = strokes.count;
        for stroke in 1..=of {
            let chime_len = self.sounds.chime(stroke == of).min(stroke_len);
            self.event(step_index, step, EventKind::Chime { stroke, of }, chime_len);
            self.cursor += stroke_len;
        }
    }

    /// A quiet wait the script asked for.
    fn pause(&mut self, step_index: usize, step: &str, seconds: f64) {
        let len = samples(seconds, self.rate);
        self.event(step_index, step, EventKind::Pause, len);
        self.cursor += len;
    }

    /// An event of `len` samples at the cursor (which stays where it is).
    fn event(&mut self, step_index: usize, step: &str, kind: EventKind, len: u64) {
        self.events.push(Event {
            kind,
            step_index,
            step: step.to_string(),
            start_sample: self.cursor,
            end_sample: self.cursor + len,
        });
    }

    /// The timeline, or every prompt no voice has; `closing` is the id of
    /// the step "baby's done" jumps to.
    fn finish(self, closing: Option<&str>) -> Result<Timeline, MissingPrompts> {
        if !self.missing.is_empty() {
            return Err(MissingPrompts(self.missing));
        }
        let closing = closing.and_then(|id| self.steps.iter().position(|s| s.id == id));
        Ok(Timeline {
            sample_rate: self.rate,
            total_samples: self.cursor,
            steps: self.steps,
            events: self.events,
            closing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::script::Script;
    use crate::session::select::Selection;

    /// Sounds of known lengths: every prompt 1 s long except "long" (3 s);
    /// chimes 0.5 s, the last one 0.8 s.
    struct Fixed;

    impl SoundLengths for Fixed {
        fn prompt(&self, id: &str) -> Option<(u64, String)> {
            match id {
                "unrecorded" => None,
                "long" => Some((3_000, "guide".into())),
                _ => Some((1_000, "guide".into())),
            }
        }

        fn chime(&self, last: bool) -> u64 {
            if last {
                800
            } else {
                500
            }
        }
    }

    const SCRIPT: &str = r#"Session(
        title: "Test",
        sample_rate: 8000,
        closing: "close",
        variants: [
            Variant(name: "calm"),
            Variant(name: "brisk", tempo: 0.5, chime: Bright, swap: { "down": "up" }, leave_out: ["back"]),
        ],
        options: [
            Option(name: "more", about: "More tummy strokes.", strokes: { "tummy": 4 }),
            Option(name: "no-head", about: "No head.", leave_out: ["head"]),
        ],
        prompts: { "hello": "Hello.", "down": "Down.", "up": "Up.", "other": "Other side.",
                   "long": "A long one.", "bye": "Bye.", "unrecorded": "Nobody said this." },
        steps: [
            Step(id: "hello", title: "Hello", say: ["hello", "long"], wait: 2.0),
            Step(id: "legs", title: "Legs", say: ["down"], strokes: Strokes(count: 3, seconds: 2.0), other_side: "other"),
            Step(id: "head", title: "Head", moves: [Move(say: ["hello"], strokes: Strokes(count: 2, seconds: 1.0), wait: 1.0)]),
            Step(id: "back", title: "Back", strokes: Strokes(count: 2, seconds: 0.3)),
            Step(id: "tummy", title: "Tummy", say: ["hello"], strokes: Strokes(count: 2, seconds: 1.0)),
            Step(id: "close", title: "Close", say: ["bye"]),
        ],
    )"#;

    /// The test script at 1000 samples a second, so that positions read
    /// as milliseconds.
    fn script(source: &str) -> Script {
        let mut script = Script::parse(source, "test.ron").unwrap();
        script.sample_rate = 1000;
        script
    }

    fn build(selection: Selection) -> Timeline {
        let script = script(SCRIPT);
        let session = selection.apply(&script).unwrap();
        Timeline::build(&session, &Fixed).unwrap()
    }

    fn kinds(timeline: &Timeline, step: &str) -> Vec<String> {
        timeline
            .events
            .iter()
            .filter(|e| e.step == step)
            .map(|e| match &e.kind {
                EventKind::Prompt { prompt, .. } => prompt.clone(),
                EventKind::Chime { stroke, of } => format!("{stroke}/{of}"),
                EventKind::Pause => "pause".into(),
            })
            .collect()
    }

    #[test]
    fn from_a_step_the_timeline_starts_on_its_first_sample() {
        let full = build(Selection::default());
        let head = full.steps.iter().position(|s| s.id == "head").unwrap();
        let offset = full.steps[head].start_sample;
        let from = full.from_step(head);
        assert_eq!(
            from.steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["head", "back", "tummy", "close"]
        );
        assert_eq!(from.steps[0].start_sample, 0);
        assert_eq!(from.total_samples, full.total_samples - offset);
        // Every event of those steps, shifted, and nothing else.
        let later: Vec<(String, u64, u64)> = full
            .events
            .iter()
            .filter(|e| e.start_sample >= offset)
            .map(|e| {
                (
                    e.step.clone(),
                    e.start_sample - offset,
                    e.end_sample - offset,
                )
            })
            .collect();
        let got: Vec<(String, u64, u64)> = from
            .events
            .iter()
            .map(|e| (e.step.clone(), e.start_sample, e.end_sample))
            .collect();
        assert_eq!(got, later);
        assert!(from
            .events
            .iter()
            .all(|e| from.steps[e.step_index].id == e.step));
        // "Baby's done" still goes to the close.
        assert_eq!(from.steps[from.closing.unwrap()].id, "close");
        assert_eq!(full.from_step(0), full);
    }

    #[test]
    fn events_sit_at_exact_sample_positions() {
        let t = build(Selection::default());
        let at = |step: &str| -> Vec<(u64, u64)> {
            t.events
                .iter()
                .filter(|e| e.step == step)
                .map(|e| (e.start_sample, e.end_sample))
                .collect()
        };
        // Lead-in 500, "hello" 1000, a 700 gap, "long" 3000, a 2 s wait.
        assert_eq!(
            at("hello"),
            vec![(500, 1_500), (2_200, 5_200), (5_200, 7_200)]
        );
        // 1500 between steps; then "down", a 1500 settle, strokes every 2000.
        assert_eq!(t.steps[1].start_sample, 8_700);
        assert_eq!(
            at("legs"),
            vec![
                (8_700, 9_700),
                (11_200, 11_700),
                (13_200, 13_700),
                (15_200, 16_000),
                (17_200, 18_200),
                (19_700, 20_200),
                (21_700, 22_200),
                (23_700, 24_500),
            ]
        );
    }

    #[test]
    fn a_step_on_both_sides_says_the_other_side_prompt_between_them() {
        let t = build(Selection::default());
        assert_eq!(
            kinds(&t, "legs"),
            ["down", "1/3", "2/3", "3/3", "other", "1/3", "2/3", "3/3"]
        );
        assert_eq!(kinds(&t, "head"), ["hello", "1/2", "2/2", "pause"]);
    }

    #[test]
    fn steps_tile_the_whole_timeline_in_script_order() {
        let t = build(Selection::default());
        let ids: Vec<&str> = t.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["hello", "legs", "head", "back", "tummy", "close"]);
        assert_eq!(t.steps[0].start_sample, 0);
        for pair in t.steps.windows(2) {
            assert_eq!(pair[0].end_sample, pair[1].start_sample);
        }
        assert_eq!(t.steps.last().unwrap().end_sample, t.total_samples);
        assert_eq!(t.closing, Some(5));
    }

    #[test]
    fn no_two_sounds_overlap_and_chimes_never_meet_a_prompt() {
        for variant in ["calm", "brisk"] {
            let t = build(Selection {
                variant: Some(variant.into()),
                with: vec!["more".into()],
                ..Selection::default()
            });
            for pair in t.events.windows(2) {
                assert!(
                    pair[0].end_sample <= pair[1].start_sample,
                    "{variant}: {:?} overlaps {:?}",
                    pair[0],
                    pair[1]
                );
            }
            assert!(t.events.iter().all(|e| e.end_sample <= t.total_samples));
        }
    }

    #[test]
    fn a_chime_longer_than_its_stroke_is_cut_to_the_stroke() {
        // "back" strokes last 0.3 s: 300 samples, shorter than any chime.
        let t = build(Selection::default());
        let back: Vec<u64> = t
            .events
            .iter()
            .filter(|e| e.step == "back")
            .map(Event::len)
            .collect();
        assert_eq!(back, vec![300, 300]);
    }

    #[test]
    fn a_variant_swaps_prompts_changes_tempo_and_leaves_steps_out() {
        let t = build(Selection {
            variant: Some("brisk".into()),
            ..Selection::default()
        });
        assert!(t.steps.iter().all(|s| s.id != "back"));
        assert_eq!(kinds(&t, "legs")[0], "up");
        let chimes: Vec<u64> = t
            .events
            .iter()
            .filter(|e| e.step == "legs" && matches!(e.kind, EventKind::Chime { .. }))
            .map(|e| e.start_sample)
            .collect();
        // Tempo 0.5: strokes of 2 s become 1 s.
        assert_eq!(chimes[1] - chimes[0], 1_000);
    }

    #[test]
    fn options_change_stroke_counts_and_leave_steps_out() {
        let t = build(Selection {
            with: vec!["more".into(), "no-head".into()],
            ..Selection::default()
        });
        assert_eq!(kinds(&t, "tummy"), ["hello", "1/4", "2/4", "3/4", "4/4"]);
        assert!(t.steps.iter().all(|s| s.id != "head"));
    }

    #[test]
    fn skipped_steps_are_left_out_and_the_rest_move_up() {
        let all = build(Selection::default());
        let t = build(Selection {
            skip: vec!["hello".into(), "legs".into()],
            ..Selection::default()
        });
        assert_eq!(t.steps[0].id, "head");
        assert_eq!(t.steps[0].start_sample, 0);
        assert_eq!(t.events[0].start_sample, 500);
        assert!(t.total_samples < all.total_samples);
        assert_eq!(t.closing, Some(3));
    }

    #[test]
    fn prompts_without_a_recording_are_all_named() {
        let script = script(&SCRIPT.replace(r#"say: ["bye"]"#, r#"say: ["unrecorded", "bye"]"#));
        let session = Selection::default().apply(&script).unwrap();
        let err = Timeline::build(&session, &Fixed).unwrap_err();
        assert_eq!(err.to_string(), "no recording of prompt unrecorded");
    }

    #[test]
    fn status_follows_the_step_and_the_stroke() {
        let t = build(Selection::default());
        let status = crate::status::Status::at(&t, 15_300);
        assert_eq!(t.steps[status.step_index].id, "legs");
        assert_eq!(status.stroke, Some((3, 3)));
        assert_eq!(status.prompt.as_deref(), Some("down"));
        let status = crate::status::Status::at(&t, 9_000);
        assert_eq!(status.stroke, None);
    }
}
