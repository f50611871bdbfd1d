//! Where a session is: the step, the stroke and the time, for display.

use std::io::Write;

use crate::timeline::{EventKind, Timeline};

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

/// Prints a session's progress as plain lines, one per step start and one
/// per stroke, for logs and pipes. Never skips an event, however far the
/// position moved since the last call.
pub struct PlainLines<W: Write> {
    out: W,
    /// Events before this index have been reported.
    next_event: usize,
    step: Option<usize>,
}

impl<W: Write> PlainLines<W> {
    pub fn new(out: W) -> Self {
        PlainLines {
            out,
            next_event: 0,
            step: None,
        }
    }

    pub fn update(&mut self, timeline: &Timeline, position: u64) -> std::io::Result<()> {
        let rate = timeline.sample_rate;
        // After a jump back, report again from there.
        let upto = timeline
            .events
            .partition_point(|e| e.start_sample < position.max(1));
        if upto < self.next_event {
            self.next_event = upto;
            self.step = None;
        }
        while self.next_event < upto {
            let event = &timeline.events[self.next_event];
            self.next_event += 1;
            if self.step != Some(event.step_index) {
                self.print_step(timeline, event.step_index)?;
            }
            if let EventKind::Chime { stroke, of } = event.kind {
                writeln!(
                    self.out,
                    "[{}]   stroke {stroke} of {of}",
                    clock(event.start_sample, rate)
                )?;
            }
        }
        self.out.flush()
    }

    /// The session jumped to the start of step `index`: what lies between
    /// was not played, so report again from there.
    pub fn jumped(&mut self, timeline: &Timeline, index: usize) {
        if let Some(step) = timeline.steps.get(index) {
            self.next_event = timeline
                .events
                .partition_point(|e| e.start_sample < step.start_sample);
            self.step = None;
        }
    }

    fn print_step(&mut self, timeline: &Timeline, index: usize) -> std::io::Result<()> {
        self.step = Some(index);
        let step = &timeline.steps[index];
        writeln!(
            self.out,
            "[{}] {}",
            clock(step.start_sample, timeline.sample_rate),
            step.title
        )
    }
}
