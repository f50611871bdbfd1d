//! The command that goes on from a step: said when a session is stopped
//! before its end, so that the parent can pick it up later where they
//! left off, the same way (script, variant, options, voice and levels).

use super::{Levels, SessionArgs};
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
    for skip in &selection.skip {
        option(&mut words, "--skip", skip);
    }
    if selection.brief {
        words.push("--brief".into());
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

/// ` SCRIPT` for a suggested command: the script's path as a shell reads
/// it back (a path with a space is quoted), or nothing for the built-in
/// script.
pub fn script_arg(script: Option<&std::path::Path>) -> String {
    script
        .map(|p| format!(" {}", quoted(&p.display().to_string())))
        .unwrap_or_default()
}

/// What messages call the script: its path, or "the built-in session" (a
/// path such as scripts/baby-massage.ron is one the user does not have).
pub fn script_name(script: Option<&std::path::Path>) -> String {
    script.map_or_else(
        || "the built-in session".to_string(),
        |p| p.display().to_string(),
    )
}

/// `word` as a POSIX shell reads it back: as it is when it holds only
/// characters no shell treats specially, else in single quotes.
pub(super) fn quoted(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_path_with_a_space_is_quoted_in_every_suggested_command() {
        let spaced = PathBuf::from("my session.ron");
        assert_eq!(script_arg(Some(&spaced)), " 'my session.ron'");
        assert_eq!(
            script_arg(Some(&PathBuf::from("a/plain.ron"))),
            " a/plain.ron"
        );
        assert_eq!(script_arg(None), "");
    }
    use soothe_core::session::select::Selection;
    use std::path::PathBuf;

    fn args(script: Option<&str>, selection: Selection, voice: &str) -> SessionArgs {
        SessionArgs {
            script: script.map(PathBuf::from),
            selection,
            voice: VoiceChoice::parse(voice),
            from: Some("legs".into()),
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
    }
}
