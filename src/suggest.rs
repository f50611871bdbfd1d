//! Commands soothe suggests, written as the user can type them: the
//! program as it was started ([`program`]: `soothe` from the PATH, or the
//! path it was run by, as after `cargo run`), and every word quoted for a
//! POSIX shell where it needs to be ([`quoted`]).

/// soothe as the user started it: `soothe` when it was found on the PATH,
/// else the path it was run by (quoted), which runs it again.
pub fn program() -> String {
    match std::env::args_os().next() {
        Some(arg0) if std::path::Path::new(&arg0).components().count() > 1 => {
            quoted(&arg0.to_string_lossy())
        }
        _ => "soothe".to_string(),
    }
}

/// ` SCRIPT` for a suggested command: the script's path as a shell reads
/// it back (a path with a space is quoted), or nothing for the built-in
/// script.
pub fn script_arg(script: Option<&std::path::Path>) -> String {
    script
        .map(|p| format!(" {}", quoted(&p.display().to_string())))
        .unwrap_or_default()
}

/// ` --language TAG` for a suggested command in a language other than
/// English (whose takes are kept apart), or nothing.
pub fn language_arg(language: &str) -> String {
    if language == soothe_core::session::language::ENGLISH {
        String::new()
    } else {
        format!(" --language {language}")
    }
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
pub fn quoted(word: &str) -> String {
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
    use std::path::PathBuf;

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
}
