//! `soothe plan`: the timeline, readable or as JSON.

use std::io::Write;

use serde::Serialize;

use super::{Prepared, SessionArgs};
use soothe_core::clock::clock;
use soothe_core::encode::{meta::Meta, wav};
use soothe_core::error::shown;
use soothe_core::session::timeline::{Event, EventKind, StepSpan, Timeline};

#[derive(Serialize)]
struct PlanJson<'a> {
    title: &'a str,
    /// The words' language, a BCP 47 tag: "en", "es".
    language: &'a str,
    variant: &'a str,
    options: &'a [String],
    brief: bool,
    voice: &'a str,
    sample_rate: u32,
    total_samples: u64,
    steps: &'a [StepSpan],
    events: &'a [Event],
}

pub fn run(args: &SessionArgs, json: bool) -> anyhow::Result<()> {
    let prepared = Prepared::new(args)?;
    let timeline = &prepared.timeline;
    let meta = Meta::session(
        prepared.session.title.clone(),
        prepared.script.title.clone(),
        timeline,
    );
    if let Err(too_long) = wav::fits(&meta) {
        eprintln!("soothe: warning: {}", shown(&too_long.to_string()));
    }
    let mut out = crate::stdout::lock();
    if json {
        let plan = PlanJson {
            title: &prepared.session.title,
            language: prepared.session.language,
            variant: &prepared.session.variant,
            options: &prepared.session.options,
            brief: prepared.session.brief,
            voice: &prepared.sounds.voice.name,
            sample_rate: timeline.sample_rate,
            total_samples: timeline.total_samples,
            steps: &timeline.steps,
            events: &timeline.events,
        };
        writeln!(out, "{}", inert_json(&plan)?)?;
    } else {
        writeln!(
            out,
            "{}, voice: {}",
            prepared.headline(),
            shown(&prepared.sounds.voice.name)
        )?;
        write!(out, "{}", text(&prepared, timeline))?;
    }
    Ok(out.flush()?)
}

/// `value` as pretty JSON in which every character a terminal would obey
/// ([`soothe_core::error::is_obeyed`]) is a `\uXXXX` escape: the same JSON to
/// a program reading it, nothing hidden from a parent reading it.
fn inert_json(value: &impl Serialize) -> serde_json::Result<String> {
    let mut bytes = Vec::new();
    let formatter = InertStrings(serde_json::ser::PrettyFormatter::new());
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut bytes, formatter,
    ))?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// serde_json's pretty formatter, writing what a terminal would obey in
/// strings as escapes (serde_json itself escapes only C0 controls).
struct InertStrings(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for InertStrings {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        for c in fragment.chars() {
            if soothe_core::error::is_obeyed(c) {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(out, "\\u{unit:04x}")?;
                }
            } else {
                write!(out, "{c}")?;
            }
        }
        Ok(())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.begin_array(out)
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.end_array(out)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(out)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.begin_object(out)
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.end_object(out)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(out)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(out)
    }
}

/// One line per step, prompt and stroke set: `mm:ss  step  what`.
fn text(prepared: &Prepared, timeline: &Timeline) -> String {
    let rate = timeline.sample_rate;
    let width = timeline.steps.iter().map(|s| s.id.len()).max().unwrap_or(0);
    let seconds = |samples: u64| samples as f64 / f64::from(rate);
    let mut out = String::new();
    let mut line = |at: u64, step: &str, what: String| {
        out.push_str(&format!("{}  {step:<width$}  {what}\n", clock(at, rate)));
    };
    let mut events = timeline.events.iter().peekable();
    for step in &timeline.steps {
        line(
            step.start_sample,
            &step.id,
            format!("== {} ==", shown(&step.title)),
        );
        while let Some(event) = events.next_if(|e| e.step == step.id) {
            match &event.kind {
                EventKind::Prompt { prompt, voice } => {
                    let words = prepared
                        .script
                        .prompts
                        .get(prompt)
                        .map_or("", String::as_str);
                    line(
                        event.start_sample,
                        &step.id,
                        format!(
                            "voice  {prompt} ({}, {:.1} s): \"{}\"",
                            shown(voice),
                            seconds(event.len()),
                            shown(&abbreviate(words, 60))
                        ),
                    );
                }
                EventKind::Chime { of, .. } => {
                    let mut last = event;
                    while let Some(next) = events.next_if(
                        |e| matches!(e.kind, EventKind::Chime { stroke, .. } if stroke > 1),
                    ) {
                        last = next;
                    }
                    let every = if *of > 1 {
                        (last.start_sample - event.start_sample) / u64::from(of - 1)
                    } else {
                        last.len()
                    };
                    line(
                        event.start_sample,
                        &step.id,
                        format!(
                            "chimes {of} stroke{}, one every {:.1} s (the last rings twice)",
                            if *of == 1 { "" } else { "s" },
                            seconds(every)
                        ),
                    );
                }
                EventKind::Pause => line(
                    event.start_sample,
                    &step.id,
                    format!("quiet  {:.0} s", seconds(event.len())),
                ),
            }
        }
    }
    line(timeline.total_samples, "", "end".into());
    out
}

fn abbreviate(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_string()
    } else {
        let cut: String = text.chars().take(most - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
