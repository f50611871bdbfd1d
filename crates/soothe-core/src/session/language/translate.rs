//! A language's words put into the English script: the built-in session's
//! source with every word the parent hears or reads replaced, and its
//! `language:` said, so that `soothe script --language es` writes a script
//! that plays as it is, and errors point at its own lines.

use std::borrow::Cow;

use super::{Language, ENGLISH};
use crate::session::script::{FileError, Locations, Problem, Script, BUILTIN_SOURCE};

/// Every place the English script's strokes go from or to, with the path
/// of each mention: (path, place).
fn places(english: &Script) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for (i, step) in english.steps.iter().enumerate() {
        let sets = step
            .strokes
            .iter()
            .map(move |s| (format!(".steps[{i}].strokes"), s))
            .chain(step.moves.iter().enumerate().filter_map(move |(j, m)| {
                m.strokes
                    .as_ref()
                    .map(|s| (format!(".steps[{i}].moves[{j}].strokes"), s))
            }));
        for (at, strokes) in sets {
            let ends = [("from", &strokes.from), ("to", &strokes.to)];
            for (field, place) in ends {
                if let Some(place) = place {
                    out.push((format!("{at}.{field}"), place.as_str()));
                }
            }
            for (variant, change) in strokes.by_variant.iter() {
                let ends = [("from", &change.from), ("to", &change.to)];
                for (field, place) in ends {
                    if let Some(place) = place {
                        out.push((
                            format!("{at}.by_variant[{variant:?}].{field}"),
                            place.as_str(),
                        ));
                    }
                }
            }
        }
    }
    out
}

/// The words of `language` name exactly what the English script has.
pub(super) fn check(language: &Language, english: &Script) -> Result<(), Problem> {
    if language.tag.trim().is_empty() {
        return Err(Problem {
            path: ".tag".into(),
            message: "the tag must name the language, such as \"es\"".into(),
        });
    }
    Language::same_names(
        ".prompts",
        "prompt",
        &language.prompts,
        english.prompts.keys(),
    )?;
    Language::same_names(
        ".steps",
        "step",
        &language.steps,
        english.steps.iter().map(|s| s.id.as_str()),
    )?;
    Language::same_names(
        ".variants",
        "variant",
        &language.variants,
        english.variants.iter().map(|v| v.name.as_str()),
    )?;
    Language::same_names(
        ".options",
        "option",
        &language.options,
        english.options.iter().map(|o| o.name.as_str()),
    )?;
    let mut named: Vec<&str> = places(english).into_iter().map(|(_, p)| p).collect();
    named.dedup();
    let mut unique: Vec<&str> = Vec::new();
    for place in named {
        if !unique.contains(&place) {
            unique.push(place);
        }
    }
    Language::same_names(".places", "place", &language.places, unique.into_iter())?;
    let empty = language
        .prompts
        .iter()
        .map(|(id, text)| (format!(".prompts[{id:?}]"), text))
        .chain(
            language
                .places
                .iter()
                .map(|(p, t)| (format!(".places[{p:?}]"), t)),
        )
        .chain(
            language
                .steps
                .iter()
                .map(|(s, t)| (format!(".steps[{s:?}]"), t)),
        )
        .chain([(".title".to_string(), &language.title)])
        .find(|(_, text)| text.trim().is_empty());
    if let Some((path, _)) = empty {
        return Err(Problem {
            path,
            message: "these words are empty".into(),
        });
    }
    Ok(())
}

/// A RON string literal of `text`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The English script's source with `language`'s words in it.
fn put(language: &Language, english: &Script) -> String {
    let source: Vec<char> = BUILTIN_SOURCE.chars().collect();
    let locations = Locations::scan(BUILTIN_SOURCE);
    let mut edits: Vec<(String, String)> = vec![(
        ".title".into(),
        format!(
            "{},\n    language: {}",
            quoted(&language.title),
            quoted(&language.tag)
        ),
    )];
    let mut say = |path: String, text: Option<&String>| {
        if let Some(text) = text {
            edits.push((path, quoted(text)));
        }
    };
    for (i, variant) in english.variants.iter().enumerate() {
        say(
            format!(".variants[{i}].about"),
            language.variants.get(&variant.name),
        );
    }
    for (i, option) in english.options.iter().enumerate() {
        say(
            format!(".options[{i}].about"),
            language.options.get(&option.name),
        );
    }
    say(".brief.about".into(), Some(&language.brief));
    for (i, step) in english.steps.iter().enumerate() {
        say(format!(".steps[{i}].title"), language.steps.get(&step.id));
    }
    for (id, text) in language.prompts.iter() {
        say(format!(".prompts[{id:?}]"), Some(text));
    }
    for (path, place) in places(english) {
        say(path, language.places.get(place));
    }
    let mut spans: Vec<(std::ops::Range<usize>, String)> = edits
        .into_iter()
        .map(|(path, text)| {
            let span = locations
                .string_span(&path)
                .unwrap_or_else(|| panic!("the English script has words at {path}"));
            (span, text)
        })
        .collect();
    spans.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(BUILTIN_SOURCE.len() * 2);
    let mut at = 0;
    for (span, text) in spans {
        out.extend(&source[at..span.start]);
        out.push_str(&text);
        at = span.end;
    }
    out.extend(&source[at..]);
    out
}

/// The built-in session's script in the language `tag` (English for a
/// tag soothe has no translation for).
pub fn builtin_source(tag: &str) -> Cow<'static, str> {
    match super::translation(tag) {
        Some(language) => Cow::Owned(put(&language, &Script::builtin())),
        None => Cow::Borrowed(BUILTIN_SOURCE),
    }
}

impl Script {
    /// The built-in session in the language `tag` (English for a tag
    /// soothe has no translation for).
    pub fn builtin_in(tag: &str) -> Script {
        match super::translation(tag) {
            Some(language) => language
                .script()
                .expect("the built-in translations fit the script"),
            None => Script::builtin(),
        }
    }
}

impl Language {
    /// The built-in session in these words.
    pub fn script(&self) -> Result<Script, FileError> {
        Script::parse(&put(self, &Script::builtin()), &builtin_name(&self.tag))
    }
}

/// What errors call the built-in session in `tag`.
pub fn builtin_name(tag: &str) -> String {
    if tag == ENGLISH {
        crate::session::script::BUILTIN_NAME.into()
    } else {
        format!("{} ({tag})", crate::session::script::BUILTIN_NAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::language::{parse, tags, translation};

    #[test]
    fn every_language_keeps_the_english_structure_and_says_its_own_words() {
        let english = Script::builtin();
        for tag in tags().skip(1) {
            let language = translation(tag).unwrap();
            let script = Script::builtin_in(tag);
            assert_eq!(script.language(), tag);
            assert_eq!(script.title, language.title);
            assert_eq!(script.steps.len(), english.steps.len());
            for (ours, theirs) in script.steps.iter().zip(&english.steps) {
                assert_eq!(ours.id, theirs.id);
                assert_eq!(&ours.title, language.steps.get(&ours.id).unwrap());
                assert_eq!(ours.say, theirs.say);
                let counts = |s: &crate::session::script::Step| {
                    s.moves
                        .iter()
                        .filter_map(|m| m.strokes.as_ref())
                        .chain(s.strokes.iter())
                        .map(|s| (s.count, s.seconds.to_bits(), s.direction, s.pressure))
                        .collect::<Vec<_>>()
                };
                assert_eq!(counts(ours), counts(theirs), "{tag}: {}", ours.id);
            }
            for (id, text) in language.prompts.iter() {
                assert_eq!(script.prompts.get(id), Some(text), "{tag}: {id}");
            }
            assert_eq!(script.prompts.len(), english.prompts.len());
            assert_eq!(script.cautions.len(), english.cautions.len());
            let legs = script.step("legs").unwrap().strokes.as_ref().unwrap();
            assert_eq!(legs.from.as_ref(), language.places.get("thigh"), "{tag}");
        }
    }

    #[test]
    fn a_translation_missing_a_prompt_is_refused_where_its_prompts_are() {
        let source = crate::session::language::file("es").unwrap();
        let line = source
            .lines()
            .find(|l| l.trim_start().starts_with("\"arms-swap\""))
            .unwrap();
        let broken = source.replacen(&format!("{line}\n"), "", 1);
        let err = parse(&broken, "es.ron").unwrap_err();
        assert_eq!(
            err.message,
            "there is no prompt \"arms-swap\": every prompt of the English script needs its words here"
        );
        let extra = source.replacen(line, &format!("{line}\n        \"hello\": \"Hola.\","), 1);
        let err = parse(&extra, "es.ron").unwrap_err();
        assert!(
            err.message
                .starts_with("the English script has no prompt \"hello\" (prompts: welcome, "),
            "{}",
            err.message
        );
        let at = extra.lines().position(|l| l.contains("\"hello\"")).unwrap() + 1;
        assert_eq!((err.line, err.col), (at, 9));
    }

    #[test]
    fn a_quote_in_the_words_stays_inside_its_string() {
        assert_eq!(quoted("say \"hi\" \\ now"), "\"say \\\"hi\\\" \\\\ now\"");
    }
}
