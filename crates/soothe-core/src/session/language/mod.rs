//! The built-in session in other languages. English is the script itself
//! (`scripts/baby-massage.ron`); every other language is a file of words,
//! `scripts/lang/<tag>.ron`, that replaces the script's words and nothing
//! else: its title, step titles, the `about`s of its variants, options
//! and brief mode, the places strokes go from and to, and every prompt.
//! Structure (steps, strokes, counts, cautions, swaps) stays the English
//! script's, so that no two languages can differ in what they ask of a
//! parent's hands. Each file also declares what its words must mean
//! ([`Meaning`]), which the built-in session's tests hold it to.
//!
//! The format is described in `docs/languages.md`.

mod meaning;
mod translate;

use serde::Deserialize;

pub use meaning::{Directions, Matching, Meaning, Says};
pub use translate::builtin_source;

use crate::session::script::{self, OrderedMap, Problem};

/// The script's own language.
pub const ENGLISH: &str = "en";

/// Every translation of the built-in session: (BCP 47 tag, the file).
static TRANSLATIONS: &[(&str, &str)] = &[
    (
        "es",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/lang/es.ron"
        )),
    ),
    (
        "fr",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/lang/fr.ron"
        )),
    ),
    (
        "it",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/lang/it.ron"
        )),
    ),
    (
        "pt-BR",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/lang/pt-BR.ron"
        )),
    ),
    (
        "de",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/lang/de.ron"
        )),
    ),
    (
        "ja",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/lang/ja.ron"
        )),
    ),
    (
        "zh",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/lang/zh.ron"
        )),
    ),
];

/// A language's words for the built-in session, as its file says them.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename = "Language", deny_unknown_fields)]
pub struct Language {
    /// The BCP 47 tag, as the file's name has it: `es`, `pt-BR`.
    pub tag: String,
    /// The language's name in itself: `Español`.
    pub name: String,
    pub title: String,
    /// Variant name -> its `about`.
    pub variants: OrderedMap<String>,
    /// Option name -> its `about`.
    pub options: OrderedMap<String>,
    /// Brief mode's `about`.
    pub brief: String,
    /// Step id -> its title.
    pub steps: OrderedMap<String>,
    /// A place the English script's strokes go from or to -> its name in
    /// this language, as the prompts say it (`"thigh": "muslo"`).
    pub places: OrderedMap<String>,
    /// Prompt id -> the words spoken: every prompt of the English script.
    pub prompts: OrderedMap<String>,
    /// What the words must mean.
    pub meaning: Meaning,
}

/// A language soothe does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language \"{}\"; soothe speaks {}", crate::error::shown(.wanted), listing())]
pub struct UnknownLanguage {
    pub wanted: String,
}

/// Every language soothe speaks, English first.
pub fn tags() -> impl Iterator<Item = &'static str> {
    std::iter::once(ENGLISH).chain(TRANSLATIONS.iter().map(|(tag, _)| *tag))
}

/// The language's name in itself: `English`, `Español`.
pub fn name(tag: &str) -> Option<String> {
    if tag == ENGLISH {
        return Some("English".into());
    }
    translation(tag).map(|language| language.name)
}

/// `en (English), es (Español), ...`: every language, for messages.
pub fn listing() -> String {
    tags()
        .map(|tag| format!("{tag} ({})", name(tag).unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The language `wanted` names, as BCP 47 matches tags: case ignored
/// (`PT-br` is `pt-BR`), a region or script soothe lacks dropped (`es-MX`
/// is `es`, `zh-Hans-CN` is `zh`), and a language soothe has in one
/// region only named without it (`pt` is `pt-BR`). `_` is taken for `-`.
pub fn find(wanted: &str) -> Result<&'static str, UnknownLanguage> {
    let unknown = || UnknownLanguage {
        wanted: wanted.to_string(),
    };
    let asked = wanted.trim().replace('_', "-").to_ascii_lowercase();
    let mut candidate = asked.as_str();
    loop {
        if candidate.is_empty() {
            return Err(unknown());
        }
        if let Some(tag) = tags().find(|tag| tag.eq_ignore_ascii_case(candidate)) {
            return Ok(tag);
        }
        if !candidate.contains('-') {
            break;
        }
        candidate = candidate.rsplit_once('-').map_or("", |(head, _)| head);
    }
    // A bare language soothe has in one region only.
    let regional: Vec<&str> = tags()
        .filter(|tag| {
            tag.split_once('-')
                .is_some_and(|(language, _)| language.eq_ignore_ascii_case(candidate))
        })
        .collect();
    match regional.as_slice() {
        [one] => Ok(one),
        _ => Err(unknown()),
    }
}

/// The language a locale names (`es_ES.UTF-8`, `pt_BR`, `zh_CN.GB2312`,
/// `de_DE@euro`), if soothe speaks it. `C`, `POSIX` and an empty value name
/// none.
pub fn from_locale(locale: &str) -> Option<&'static str> {
    let locale = locale.split(['.', '@']).next().unwrap_or_default();
    if locale.is_empty() || locale == "C" || locale == "POSIX" {
        return None;
    }
    find(locale).ok()
}

/// The language of the first locale variable that is set and not empty,
/// in the order POSIX reads them for messages: `LC_ALL`, `LC_MESSAGES`,
/// `LANG` (`var` gives each one's value). `None` when that locale names a
/// language soothe lacks, or when none is set.
pub fn from_environment(var: impl Fn(&str) -> Option<String>) -> Option<&'static str> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(|name| var(name).filter(|value| !value.is_empty()))
        .map(|value| from_locale(&value))
        .next()
        .flatten()
}

/// A letter of a script written without spaces between words (kana and
/// Han characters): a word there may end after any of them.
pub fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // hiragana and katakana
        | '\u{3400}'..='\u{4DBF}' // Han, extension A
        | '\u{4E00}'..='\u{9FFF}' // Han
        | '\u{F900}'..='\u{FAFF}' // Han compatibility
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
        | '\u{20000}'..='\u{3FFFF}' // Han, further extensions
    )
}

/// The built-in file of `tag`'s words (`None` for English and for a
/// language soothe lacks).
pub fn file(tag: &str) -> Option<&'static str> {
    TRANSLATIONS
        .iter()
        .find(|(known, _)| *known == tag)
        .map(|(_, source)| *source)
}

/// The built-in words of `tag` (`None` for English and for a language
/// soothe lacks).
pub fn translation(tag: &str) -> Option<Language> {
    let source = file(tag)?;
    let name = format!("scripts/lang/{tag}.ron");
    Some(parse(source, &name).expect("the built-in translations are valid"))
}

/// Reads a language file, `name` being what errors call it: its words
/// must be those of the English script, one for one (every prompt, step,
/// variant, option and place, and no other).
pub fn parse(source: &str, name: &str) -> Result<Language, script::Located> {
    let english = script::Script::builtin();
    script::parse_ron(source, name, |language: &Language| {
        translate::check(language, &english)
    })
}

impl Language {
    /// The names `ours` lacks of `theirs`, or has that `theirs` lacks, as
    /// a problem at `at`.
    fn same_names<'a>(
        at: &str,
        what: &str,
        ours: &OrderedMap<String>,
        theirs: impl Iterator<Item = &'a str>,
    ) -> Result<(), Problem> {
        let theirs: Vec<&str> = theirs.collect();
        if let Some(missing) = theirs.iter().find(|name| !ours.contains_key(name)) {
            return Err(Problem {
                path: at.to_string(),
                message: format!("there is no {what} \"{missing}\": every {what} of the English script needs its words here"),
            });
        }
        if let Some(extra) = ours.keys().find(|name| !theirs.contains(name)) {
            return Err(Problem {
                path: format!("{at}{{{extra:?}}}"),
                message: format!(
                    "the English script has no {what} \"{extra}\" ({what}s: {})",
                    theirs.join(", ")
                ),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_found_whatever_its_case_region_or_separator() {
        for (wanted, tag) in [
            ("es", "es"),
            ("ES", "es"),
            ("es-MX", "es"),
            ("pt-br", "pt-BR"),
            ("PT_BR", "pt-BR"),
            ("pt", "pt-BR"),
            ("zh-Hans-CN", "zh"),
            ("en-GB", "en"),
            ("ja", "ja"),
        ] {
            assert_eq!(find(wanted), Ok(tag), "{wanted}");
        }
    }

    #[test]
    fn an_unknown_language_is_refused_with_every_language_listed() {
        let err = find("nl").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown language \"nl\"; soothe speaks en (English), es (Español), fr (Français), it (Italiano), pt-BR (Português (Brasil)), de (Deutsch), ja (日本語), zh (中文)"
        );
        assert!(find("").is_err());
        assert!(find("-").is_err());
        assert!(find("pt-PT-x").is_ok());
    }

    #[test]
    fn a_locale_names_its_language_when_soothe_speaks_it() {
        for (locale, tag) in [
            ("es_ES.UTF-8", Some("es")),
            ("pt_BR", Some("pt-BR")),
            ("zh_CN.GB2312", Some("zh")),
            ("de_DE@euro", Some("de")),
            ("ja_JP.eucJP", Some("ja")),
            ("en_US.UTF-8", Some("en")),
            ("nl_NL.UTF-8", None),
            ("C.UTF-8", None),
            ("POSIX", None),
            ("", None),
        ] {
            assert_eq!(from_locale(locale), tag, "{locale}");
        }
    }

    #[test]
    fn lc_all_then_lc_messages_then_lang_name_the_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            from_environment(env(&[("LANG", "fr_FR.UTF-8")])),
            Some("fr")
        );
        assert_eq!(
            from_environment(env(&[("LANG", "fr_FR.UTF-8"), ("LC_MESSAGES", "it_IT")])),
            Some("it")
        );
        assert_eq!(
            from_environment(env(&[("LC_ALL", "ja_JP.UTF-8"), ("LC_MESSAGES", "it_IT")])),
            Some("ja")
        );
        // An empty variable is not set; a locale soothe lacks is English's.
        assert_eq!(
            from_environment(env(&[("LC_ALL", ""), ("LANG", "de_AT.UTF-8")])),
            Some("de")
        );
        assert_eq!(from_environment(env(&[("LANG", "nl_NL.UTF-8")])), None);
        assert_eq!(from_environment(env(&[])), None);
    }

    #[test]
    fn every_translation_reads_and_names_its_own_file() {
        for tag in tags().skip(1) {
            let language = translation(tag).unwrap();
            assert_eq!(language.tag, tag);
        }
        assert!(translation(ENGLISH).is_none());
    }
}
