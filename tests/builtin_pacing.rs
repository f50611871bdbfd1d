//! The built-in session's pacing, from the plan with the guide voice's
//! real lengths: the guide talks for at most a quarter of a full session
//! and a tenth of a brief one, the full session lasts at most 15 minutes,
//! a newborn's 5 to 10, and each lasts what its welcome promises.
//!
//! A newborn's session is short but says the same safety words, so the
//! guide's share is allowed more there: 30%, and 15% in brief mode.
//!
//! These use the bundled guide recordings: after a change to the prompts'
//! words, regenerate them (`tools/make-guide-voice`) first.

use soothe_core::session::advice;
use soothe_core::session::script::Script;
use soothe_core::session::select::Part;
use soothe_core::session::timeline::{EventKind, Timeline};
use soothe_core::sound::sounds::Sounds;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet};

struct Measured {
    label: String,
    minutes: f64,
    /// The guide's share of the session, 0 to 1.
    voice_share: f64,
    /// The minutes the first words promise, if they name a length.
    promised: Option<f64>,
    newborn: bool,
    brief: bool,
    /// An option leaves steps out, so the session is shorter than promised.
    shortened: bool,
}

/// "about twelve minutes" -> 12.
fn promised_minutes(text: &str) -> Option<f64> {
    const NUMBERS: [&str; 16] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen",
    ];
    let words: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_string)
        .collect();
    words.windows(2).find_map(|w| {
        (w[1] == "minutes")
            .then(|| NUMBERS.iter().position(|n| *n == w[0]))
            .flatten()
            .map(|n| n as f64)
    })
}

fn measure_all() -> Vec<Measured> {
    let script = Script::builtin();
    let voice = VoiceSet::open(&VoiceChoice::Guide, &script, None).unwrap();
    assert!(
        voice.missing.is_empty(),
        "the guide voice lacks {:?}: regenerate it with tools/make-guide-voice",
        voice.missing
    );
    advice::every_selection(&script)
        .map(|selection| {
            let session = selection.apply(&script).unwrap();
            let sounds = Sounds::new(voice.clone(), session.chime, session.sample_rate);
            let timeline = Timeline::build(&session, &sounds).unwrap();
            let spoken: u64 = timeline
                .events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Prompt { .. }))
                .map(|e| e.len())
                .sum();
            let first_words = session.steps[0].parts.iter().find_map(|p| match p {
                Part::Say(id) => script.prompts.get(id),
                _ => None,
            });
            Measured {
                label: format!(
                    "{}{}{}",
                    session.variant,
                    session
                        .options
                        .iter()
                        .map(|o| format!(" +{o}"))
                        .collect::<String>(),
                    if selection.brief { " --brief" } else { "" }
                ),
                minutes: timeline.total_samples as f64 / f64::from(timeline.sample_rate) / 60.0,
                voice_share: spoken as f64 / timeline.total_samples as f64,
                promised: first_words.and_then(|t| promised_minutes(t)),
                newborn: session.options.iter().any(|o| o == "newborn"),
                shortened: session.options.iter().any(|o| {
                    script
                        .option(o)
                        .is_some_and(|o| o.name != "newborn" && !o.leave_out.is_empty())
                }),
                brief: selection.brief,
            }
        })
        .collect()
}

fn report(all: &[Measured]) -> String {
    all.iter()
        .map(|m| {
            format!(
                "{:<60} {:5.2} min  voice {:4.1}%  promised {:?}",
                m.label,
                m.minutes,
                m.voice_share * 100.0,
                m.promised
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_guide_talks_at_most_a_quarter_of_a_full_session_and_a_tenth_of_a_brief_one() {
    let all = measure_all();
    let table = report(&all);
    // `cargo test --test builtin_pacing -- --nocapture` shows every length and share.
    println!("{table}");
    for m in &all {
        let most = match (m.brief, m.newborn) {
            (false, false) => 0.25,
            (true, false) => 0.10,
            (false, true) => 0.30,
            (true, true) => 0.15,
        };
        assert!(
            m.voice_share <= most,
            "{}: the guide talks {:.1}%\n{table}",
            m.label,
            m.voice_share * 100.0
        );
    }
}

#[test]
fn a_full_session_lasts_at_most_15_minutes_and_a_newborn_one_5_to_10() {
    let all = measure_all();
    let table = report(&all);
    for m in &all {
        let range = if m.newborn { 5.0..=10.0 } else { 5.0..=15.0 };
        assert!(
            range.contains(&m.minutes),
            "{}: {:.2} minutes\n{table}",
            m.label,
            m.minutes
        );
    }
    let relaxing = all.iter().find(|m| m.label == "relaxing").unwrap();
    assert!(relaxing.minutes >= 10.0, "{table}");
}

#[test]
fn each_session_lasts_what_its_welcome_promises() {
    let all = measure_all();
    let table = report(&all);
    for m in all.iter().filter(|m| !m.brief) {
        let promised = m
            .promised
            .unwrap_or_else(|| panic!("{}: the welcome promises no length\n{table}", m.label));
        let close = if m.shortened {
            m.minutes <= promised + 1.5
        } else {
            (m.minutes - promised).abs() <= 1.5
        };
        assert!(
            close,
            "{}: promises about {promised} minutes, lasts {:.2}\n{table}",
            m.label, m.minutes
        );
    }
}
