//! `soothe complete-values KIND [SCRIPT]` (hidden): the values the shell
//! completions offer after `--variant`, `--with`, `--without`, `--skip`,
//! `--from` and `--voice`, one a line. Asked at every Tab, so it is quick
//! (a script and a folder listing) and quiet: whatever goes wrong, it
//! offers nothing.

use std::path::Path;

use soothe_core::sound::voice::GUIDE;

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The script's variants.
    Variants,
    /// The script's options.
    Options,
    /// The script's step ids.
    Steps,
    /// The guide and the recorded voices.
    Voices,
}

/// The values of `kind` for the script at `script` (`None`: the built-in
/// one), one a line; nothing when the script cannot be read. A value a
/// shell could not take as one word (a space or a control character in
/// it) is left out.
pub fn values(kind: Kind, script: Option<&Path>) -> Vec<u8> {
    let values: Vec<String> = match kind {
        Kind::Voices => voices(),
        // Names are the same in every language: the English script's.
        _ => match super::load_script(script, &super::LanguagePick::ENGLISH) {
            Ok(script) => match kind {
                Kind::Variants => script.variants.into_iter().map(|v| v.name).collect(),
                Kind::Options => script.options.into_iter().map(|o| o.name).collect(),
                _ => script.steps.into_iter().map(|s| s.id).collect(),
            },
            Err(_) => Vec::new(),
        },
    };
    let mut out = Vec::new();
    for value in values {
        if !value.is_empty() && !value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            out.extend_from_slice(value.as_bytes());
            out.push(b'\n');
        }
    }
    out
}

/// The guide, then each recorded voice's name (a folder in the voices
/// folder), sorted.
fn voices() -> Vec<String> {
    let mut names: Vec<String> = crate::places::voices()
        .and_then(|root| std::fs::read_dir(root).ok())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.') && name != GUIDE)
        .collect();
    names.sort();
    std::iter::once(GUIDE.to_string()).chain(names).collect()
}
