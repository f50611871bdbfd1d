//! The session's progress as plain lines, when standard output is not a
//! terminal (a log, a pipe).

use std::io::Write;

use soothe_core::clock::clock;
use soothe_core::session::timeline::{EventKind, Timeline};

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
            soothe_core::error::shown(&step.title)
        )
    }
}
