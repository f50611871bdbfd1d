//! `soothe check`: is the script sound, how long is each variant, which
//! prompts does the chosen voice still lack, and in which languages can
//! it be played?

use std::io::Write;
use std::path::Path;

use super::{load_script, LanguagePick};
use soothe_core::clock::clock;
use soothe_core::encode::{meta::Meta, wav};
use soothe_core::error::{shown, InvalidInput};
use soothe_core::session::advice::way;
use soothe_core::session::script::Script;
use soothe_core::session::select::Selection;
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::sounds::Sounds;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet, GUIDE};

pub fn run(
    path: Option<&Path>,
    language: &LanguagePick,
    voice: &VoiceChoice,
) -> anyhow::Result<()> {
    let script = load_script(path, language)?;
    let mut out = crate::stdout::lock();
    let name = crate::suggest::script_name(path);
    writeln!(
        out,
        "{}: ok: \"{}\", {} steps, {} prompts",
        shown(&name),
        shown(&script.title),
        script.steps.len(),
        script.prompts.len()
    )?;
    let voices = VoiceSet::open(voice, &script, crate::places::voices().as_deref())?;
    print_variants(&mut out, &script, &voices)?;
    print_options(&mut out, &script)?;
    let breaches = advice_breaches(&script)?;
    if !script.cautions.is_empty() {
        writeln!(
            out,
            "advice: {} caution{} checked in {} to play it",
            script.cautions.len(),
            if script.cautions.len() == 1 { "" } else { "s" },
            ways_to_play(&script)
        )?;
    }
    print_voice(&mut out, &voices, script.prompts.len())?;
    print_languages(&mut out, script.language(), path.is_none())?;
    if !breaches.is_empty() {
        return Err(InvalidInput(not_kept(&breaches)).into());
    }
    if !voices.missing.is_empty() {
        return Err(InvalidInput(format!(
            "no recording in any voice of: {}; {}record them with `soothe record{}{} --voice NAME --missing`",
            some_of(&voices.missing),
            super::no_guide_yet(script.language()),
            crate::suggest::script_arg(path),
            crate::suggest::language_arg(script.language())
        ))
        .into());
    }
    Ok(())
}

/// Each variant's length and what it is for, with a warning where a WAV
/// of it would be too long.
fn print_variants(out: &mut impl Write, script: &Script, voices: &VoiceSet) -> anyhow::Result<()> {
    let width = script.variants.iter().map(|v| v.name.len()).max();
    let width = width.unwrap_or(0);
    writeln!(out, "variants:")?;
    for variant in &script.variants {
        let selection = Selection {
            variant: Some(variant.name.clone()),
            ..Selection::default()
        };
        let session = selection.apply(script)?;
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
    Ok(())
}

/// The options, and brief mode if the script has it.
fn print_options(out: &mut impl Write, script: &Script) -> anyhow::Result<()> {
    if !script.options.is_empty() {
        let width = script.options.iter().map(|o| o.name.len()).max();
        let width = width.unwrap_or(0);
        writeln!(out, "options:")?;
        for option in &script.options {
            writeln!(out, "  {:<width$}  {}", option.name, shown(&option.about))?;
        }
    }
    if let Some(brief) = &script.brief {
        writeln!(out, "brief (--brief): {}", shown(&brief.about))?;
    }
    Ok(())
}

/// Every breach of the script's advice in any way of playing it, each
/// line naming the way: `invigorating --with colic --brief: legs: ...`.
/// Exact for every variant, set of options and mode, without playing
/// each one (see [`soothe_core::session::advice::breaking_selections`]).
fn advice_breaches(script: &Script) -> anyhow::Result<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for selection in soothe_core::session::advice::breaking_selections(script)? {
        let session = selection.apply(script)?;
        for breach in soothe_core::session::advice::check(script, &session) {
            let line = format!("{}: {breach}", way(&selection, &session.variant));
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
    }
    Ok(lines)
}

/// How many ways there are to play `script`: each variant with each set
/// of options, in full and brief mode. Too many to count in a `u128`
/// only past a hundred options, said then as a power of two.
fn ways_to_play(script: &Script) -> String {
    let modes: u128 = if script.brief.is_some() { 2 } else { 1 };
    let per_set = script.variants.len() as u128 * modes;
    let count = u32::try_from(script.options.len())
        .ok()
        .and_then(|n| 1u128.checked_shl(n))
        .and_then(|sets| sets.checked_mul(per_set));
    match count {
        Some(1) => "1 way".into(),
        Some(count) => format!("{count} ways"),
        None => format!("{per_set} x 2^{} ways", script.options.len()),
    }
}

/// `check`'s error for breaches: how many, and the first ten.
fn not_kept(breaches: &[String]) -> String {
    let shown = breaches.len().min(10);
    format!(
        "the advice is not kept in {} place{}:\n  {}{}",
        breaches.len(),
        if breaches.len() == 1 { "" } else { "s" },
        breaches[..shown].join("\n  "),
        if breaches.len() > shown {
            "\n  ..."
        } else {
            ""
        }
    )
}

/// How many prompts the voice has recorded, and which it lacks.
fn print_voice(out: &mut impl Write, voices: &VoiceSet, prompts: usize) -> anyhow::Result<()> {
    let own = prompts - voices.fallbacks.len() - voices.missing.len();
    if voices.choice == VoiceChoice::Guide {
        writeln!(out, "voice {GUIDE}: {own} of {prompts} prompts recorded")?;
        return Ok(());
    }
    writeln!(
        out,
        "voice {}: {own} of {prompts} prompts recorded",
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
    Ok(())
}

/// The languages soothe speaks, the one in use marked, and those it has
/// no guide voice for yet.
fn print_languages(out: &mut impl Write, in_use: &str, builtin: bool) -> anyhow::Result<()> {
    use soothe_core::session::language;
    use soothe_core::sound::guide::Guide;
    writeln!(out, "languages (--language L):")?;
    let width = language::tags().map(str::len).max().unwrap_or(0);
    let guides = Guide::built_in_languages();
    for tag in language::tags() {
        let name = language::name(tag).unwrap_or_default();
        let mut notes = Vec::new();
        if tag == in_use {
            notes.push(if builtin {
                "this session's"
            } else {
                "this script's"
            });
        }
        if !guides.contains(&tag) {
            notes.push("no guide voice yet: record your own");
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        writeln!(out, "  {tag:<width$}  {name}{notes}")?;
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
