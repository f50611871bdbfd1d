//! The command that goes on from a step: said when a session is stopped
//! before its end, so that the parent can pick it up later where they
//! left off, the same way (script, variant, options, voice and levels).

use super::{Levels, SessionArgs};
use crate::suggest::{quoted, script_arg};
use soothe_core::sound::voice::VoiceChoice;

/// `soothe play ... --from STEP`, with `args` and `levels` as given,
/// each word quoted for a POSIX shell where it needs to be.
pub fn go_on_command(args: &SessionArgs, levels: Levels, step: &str) -> String {
    let mut words: Vec<String> = vec!["soothe".into(), "play".into()];
    words.extend(
        script_arg(args.script.as_deref())
            .strip_prefix(' ')
            .map(str::to_string),
    );
    let selection = &args.selection;
    let option = |words: &mut Vec<String>, name: &str, value: &str| {
        words.push(name.into());
        words.push(quoted(value));
    };
    if let Some(variant) = &selection.variant {
        option(&mut words, "--variant", variant);
    }
    for with in &selection.with {
        option(&mut words, "--with", with);
    }
    for without in &args.without {
        option(&mut words, "--without", without);
    }
    for skip in &selection.skip {
        option(&mut words, "--skip", skip);
    }
    if selection.brief {
        words.push("--brief".into());
    }
    if let Some(language) = args.language.asked {
        option(&mut words, "--language", language);
    }
    if args.voice != VoiceChoice::Guide {
        option(&mut words, "--voice", &args.voice.label());
    }
    if levels.voice_db != 0.0 {
        option(&mut words, "--voice-gain", &levels.voice_db.to_string());
    }
    if levels.chime_db != 0.0 {
        option(&mut words, "--chime-gain", &levels.chime_db.to_string());
    }
    option(&mut words, "--from", step);
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use soothe_core::session::select::Selection;
    use std::path::PathBuf;

    fn args(script: Option<&str>, selection: Selection, voice: &str) -> SessionArgs {
        SessionArgs {
            script: script.map(PathBuf::from),
            language: crate::app::LanguagePick::ENGLISH,
            selection,
            voice: VoiceChoice::parse(voice),
            from: Some("legs".into()),
            without: Vec::new(),
        }
    }

    #[test]
    fn the_built_in_session_needs_only_the_step() {
        let args = args(None, Selection::default(), "guide");
        assert_eq!(
            go_on_command(&args, Levels::UNITY, "tummy"),
            "soothe play --from tummy"
        );
    }

    #[test]
    fn every_choice_is_kept_and_odd_words_are_quoted() {
        let selection = Selection {
            variant: Some("invigorating".into()),
            with: vec!["colic".into(), "no-oil".into()],
            skip: vec!["head".into()],
            brief: true,
        };
        let args = args(Some("my session's.ron"), selection, "mum");
        assert_eq!(
            go_on_command(&args, Levels::from_db(-30.0, -12.5), "tummy"),
            "soothe play 'my session'\\''s.ron' --variant invigorating --with colic --with no-oil \
             --skip head --brief --voice mum --voice-gain -30 --chime-gain -12.5 --from tummy"
        );
        let folder = SessionArgs {
            voice: VoiceChoice::parse("./voices/dad $1/"),
            ..args
        };
        assert!(go_on_command(&folder, Levels::UNITY, "arms")
            .contains(" --voice './voices/dad $1/' --from arms"));
        // An option the settings turn on, left out for this session, stays
        // left out when the session goes on.
        let without = SessionArgs {
            without: vec!["colic".into()],
            voice: VoiceChoice::Guide,
            selection: Selection::default(),
            script: None,
            ..folder
        };
        assert_eq!(
            go_on_command(&without, Levels::UNITY, "legs"),
            "soothe play --without colic --from legs"
        );
    }
}
