//! `soothe check`: is the script sound, how long is each variant, and
//! which prompts does the chosen voice still lack?

use std::io::Write;
use std::path::Path;

use super::load_script;
use crate::clock::clock;
use crate::error::{shown, InvalidInput};
use crate::output::{wav, Meta};
use crate::script::BUILTIN_NAME;
use crate::select::Selection;
use crate::sounds::Sounds;
use crate::timeline::Timeline;
use crate::voice::{VoiceChoice, VoiceSet, GUIDE};

pub fn run(path: Option<&Path>, voice: &VoiceChoice) -> anyhow::Result<()> {
    let script = load_script(path)?;
    let mut out = crate::stdout::lock();
    let name = path.map_or(BUILTIN_NAME.to_string(), |p| p.display().to_string());
    let prompt_count = script.prompts.len();
    writeln!(
        out,
        "{}: ok: \"{}\", {} steps, {prompt_count} prompts",
        shown(&name),
        shown(&script.title),
        script.steps.len()
    )?;
    let voices = VoiceSet::open(voice, &script)?;

    let width = script
        .variants
        .iter()
        .map(|v| v.name.len())
        .max()
        .unwrap_or(0);
    writeln!(out, "variants:")?;
    for variant in &script.variants {
        let selection = Selection {
            variant: Some(variant.name.clone()),
            ..Selection::default()
        };
        let session = selection.apply(&script)?;
        let sounds = Sounds::new(voices.clone(), session.chime, session.sample_rate);
        let timeline = Timeline::build(&session, &sounds).ok();
        let length = match &timeline {
            Some(timeline) => clock(timeline.total_samples, timeline.sample_rate),
            None => "--:--".into(),
        };
        writeln!(
            out,
            "  {:<width$}  {length}  {}",
            variant.name,
            shown(&variant.about)
        )?;
        if let Some(timeline) = &timeline {
            let meta = Meta::session(session.title.clone(), script.title.clone(), timeline);
            if let Err(too_long) = wav::fits(&meta) {
                writeln!(out, "  {:<width$}  warning: {too_long}", "")?;
            }
        }
    }
    if !script.options.is_empty() {
        let width = script
            .options
            .iter()
            .map(|o| o.name.len())
            .max()
            .unwrap_or(0);
        writeln!(out, "options:")?;
        for option in &script.options {
            writeln!(out, "  {:<width$}  {}", option.name, shown(&option.about))?;
        }
    }

    if let Some(brief) = &script.brief {
        writeln!(out, "brief (--brief): {}", shown(&brief.about))?;
    }

    let selections = crate::advice::every_selection(&script);
    let mut breaches: Vec<String> = Vec::new();
    for selection in &selections {
        let session = selection.apply(&script)?;
        for breach in crate::advice::check(&script, &session) {
            let line = format!(
                "{}{}{}: {breach}",
                session.variant,
                session
                    .options
                    .iter()
                    .map(|o| format!(" --with {o}"))
                    .collect::<String>(),
                if session.brief { " --brief" } else { "" }
            );
            breaches.push(line);
        }
    }
    if !script.cautions.is_empty() {
        writeln!(
            out,
            "advice: {} caution{} checked in {} way{} to play it",
            script.cautions.len(),
            if script.cautions.len() == 1 { "" } else { "s" },
            selections.len(),
            if selections.len() == 1 { "" } else { "s" }
        )?;
    }

    let own = prompt_count - voices.fallbacks.len() - voices.missing.len();
    if voices.choice == VoiceChoice::Guide {
        writeln!(
            out,
            "voice {GUIDE}: {own} of {prompt_count} prompts recorded"
        )?;
    } else {
        writeln!(
            out,
            "voice {}: {own} of {prompt_count} prompts recorded",
            shown(&voices.name)
        )?;
        if !voices.stale.is_empty() {
            writeln!(
                out,
                "  recorded for other words (record them again with --missing): {}",
                voices.stale.join(", ")
            )?;
        }
        if !voices.fallbacks.is_empty() {
            writeln!(
                out,
                "  not yet recorded (the guide voice speaks them): {}",
                voices.fallbacks.join(", ")
            )?;
        }
    }
    if !breaches.is_empty() {
        let shown = breaches.len().min(10);
        return Err(InvalidInput(format!(
            "the advice is not kept in {} place{}:\n  {}{}",
            breaches.len(),
            if breaches.len() == 1 { "" } else { "s" },
            breaches[..shown].join("\n  "),
            if breaches.len() > shown {
                "\n  ..."
            } else {
                ""
            }
        ))
        .into());
    }
    if !voices.missing.is_empty() {
        return Err(InvalidInput(format!(
            "no recording in any voice of: {}; record them with `soothe record{} --voice NAME --missing`",
            some_of(&voices.missing),
            path.map(|p| format!(" {}", p.display())).unwrap_or_default()
        ))
        .into());
    }
    Ok(())
}

/// The first names of a long list, and how many more there are.
fn some_of(names: &[String]) -> String {
    const SHOWN: usize = 30;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!(
            "{} and {} more",
            names[..SHOWN].join(", "),
            names.len() - SHOWN
        )
    }
}
