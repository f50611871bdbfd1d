//! Remembered settings: `$XDG_CONFIG_HOME/soothe/settings.ron` (by default
//! `~/.config/soothe/settings.ron`), RON like the scripts, holds the
//! defaults a parent would otherwise type every evening: the voice, the
//! variant, the options, the levels, listening, the script and the
//! language.
//!
//! The command line reads it (see `cli`) and turns it, with the flags,
//! which override it, into the typed options of [`crate::app`]: nothing
//! past that edge knows the file. A file that cannot be used is an error at
//! `PATH:LINE:COL`, through the script loader's machinery, never ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use soothe_core::listen::Sensitivity;
use soothe_core::mix::Levels;
use soothe_core::session::script::{self, FileError, Problem, ReadProblem, Script};
use soothe_core::sound::voice::VoiceChoice;

/// The file's name in soothe's config folder.
pub const FILE_NAME: &str = "settings.ron";

/// What the settings file may say. Every field may be left out.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Settings", deny_unknown_fields)]
pub struct Settings {
    /// guide, the name of a recorded voice, or a folder (`--voice`).
    #[serde(default)]
    pub voice: Option<String>,
    /// A variant of the script (`--variant`).
    #[serde(default)]
    pub variant: Option<String>,
    /// Options of the script to turn on (`--with`).
    #[serde(default)]
    pub options: Option<Vec<String>>,
    /// The voice's level in dB (`--voice-gain`).
    #[serde(default)]
    pub voice_gain: Option<f64>,
    /// The chimes' level in dB (`--chime-gain`).
    #[serde(default)]
    pub chime_gain: Option<f64>,
    /// Listen for crying while playing (`play --listen`).
    #[serde(default)]
    pub listening: Option<bool>,
    /// How readily listening takes a sound for crying: low, normal or
    /// high (`--sensitivity`).
    #[serde(default)]
    pub sensitivity: Option<String>,
    /// A script of the parent's own instead of the built-in session: from
    /// the file's folder when relative, from home with `~/`.
    #[serde(default)]
    pub script: Option<String>,
    /// The built-in session's language (`--language`), instead of the
    /// system's.
    #[serde(default)]
    pub language: Option<String>,
}

/// The settings file, read and checked.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub settings: Settings,
    /// The text, to point at a name that the script in use lacks.
    source: String,
}

/// Why the settings file at `path` was not read. (No file at all is no
/// error: [`load_from`] finds no settings.)
fn refused(path: String, problem: ReadProblem) -> FileError {
    match problem {
        ReadProblem::Missing(error) | ReadProblem::Io(error) => FileError::Read {
            path,
            what: "the settings",
            error,
        },
        ReadProblem::NotAFile(kind) => FileError::NotAFile {
            path,
            reason: format!("this is {kind}, not a settings file; move it away, or write the settings there (soothe settings --example)"),
        },
        ReadProblem::TooBig => FileError::NotAFile {
            path,
            reason: "this is far larger than any settings file; is it the right file?".into(),
        },
    }
}

/// Where the settings file is (whether or not there is one); `None` when
/// there is no home folder to find it in.
pub fn path() -> Option<PathBuf> {
    crate::places::config().map(|dir| dir.join(FILE_NAME))
}

/// The settings file, if there is one.
pub fn load() -> Result<Option<Loaded>, FileError> {
    match path() {
        Some(path) => load_from(&path),
        None => Ok(None),
    }
}

/// The settings at `path`: `None` when there is no file.
pub fn load_from(path: &Path) -> Result<Option<Loaded>, FileError> {
    let name = path.display().to_string();
    let bytes = match script::read_small_file(path) {
        Ok(bytes) => bytes,
        Err(ReadProblem::Missing(_)) => match soothe_core::error::dangling_link(path) {
            // A link to nowhere is not "no settings": it was meant to be.
            Some(target) => {
                return Err(FileError::NotAFile {
                    path: name,
                    reason: format!("this is a link to {target}, which is not there; restore that file, or remove the link"),
                })
            }
            None => return Ok(None),
        },
        Err(problem) => return Err(refused(name, problem)),
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    let settings: Settings =
        script::parse_ron_bytes(&bytes, &name, "settings", |s| check(s, folder))
            .map_err(FileError::At)?;
    // Valid UTF-8 once parsed; kept to locate later problems.
    let text = String::from_utf8_lossy(&bytes);
    let source = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    Ok(Some(Loaded {
        path: path.to_path_buf(),
        settings,
        source,
    }))
}

/// What can be checked without a script: the levels, the voice, the
/// script's path.
fn check(settings: &Settings, folder: &Path) -> Result<(), Problem> {
    let problem = |path: &str, message: String| {
        Err(Problem {
            path: path.into(),
            message,
        })
    };
    for (field, db) in [
        ("voice_gain", settings.voice_gain),
        ("chime_gain", settings.chime_gain),
    ] {
        if let Some(db) = db {
            if !Levels::RANGE_DB.contains(&db) {
                return problem(
                    &format!(".{field}"),
                    format!(
                        "{field}: {} dB is out of range ({} to {} dB)",
                        soothe_core::error::number(db),
                        Levels::RANGE_DB.start(),
                        Levels::RANGE_DB.end()
                    ),
                );
            }
        }
    }
    if let Some(voice) = &settings.voice {
        let choice = voice_choice(voice, folder);
        match choice.folder(crate::places::voices().as_deref()) {
            Err(_) => {
                return problem(
                    ".voice",
                    "voice needs a name, such as \"mum\" (or \"guide\" for the built-in voice)"
                        .into(),
                )
            }
            Ok(Some(dir)) if !dir.is_dir() => {
                let hint = match &choice {
                    VoiceChoice::Named(name) => format!(
                        "; record one with `soothe record --voice {name}`, or see `soothe voices`"
                    ),
                    _ => String::new(),
                };
                return problem(
                    ".voice",
                    format!(
                        "there is no voice \"{voice}\" ({} is not a folder){hint}",
                        dir.display()
                    ),
                );
            }
            Ok(_) => {}
        }
    }
    if let Some(text) = &settings.script {
        let path = crate::places::user_path(text, folder);
        if let Some(why) = not_a_script(&path) {
            return problem(".script", why);
        }
    }
    if let Some(tag) = &settings.language {
        if let Err(unknown) = soothe_core::session::language::find(tag) {
            return problem(".language", unknown.to_string());
        }
    }
    if let Some(Err(message)) = settings.sensitivity.as_deref().map(Sensitivity::parse) {
        return problem(".sensitivity", message);
    }
    Ok(())
}

/// Why `path` cannot be the settings' script, if it cannot: nothing
/// there, a link to nothing, or not a regular file (a device such as
/// `/dev/zero`, a pipe, a folder).
fn not_a_script(path: &Path) -> Option<String> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(metadata) => soothe_core::error::not_a_file(&metadata).map(|kind| {
            format!("{shown} is {kind}, not a regular file; give the path of a script (a .ron file)")
        }),
        Err(_) => Some(match soothe_core::error::dangling_link(path) {
            Some(target) => format!(
                "{shown} is a link to {target}, which is not there; restore that file, or remove the link"
            ),
            None => format!(
                "there is no script file at {shown}; `soothe script > my-session.ron` writes one to start from"
            ),
        }),
    }
}

/// `voice` as written in the file: a folder path from the file's folder.
fn voice_choice(voice: &str, folder: &Path) -> VoiceChoice {
    match VoiceChoice::parse(voice) {
        VoiceChoice::Folder(_) => VoiceChoice::Folder(crate::places::user_path(voice, folder)),
        choice => choice,
    }
}

impl Loaded {
    /// The folder the file is in, which relative paths start from.
    fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The script the file names, as a path.
    pub fn script(&self) -> Option<PathBuf> {
        let text = self.settings.script.as_deref()?;
        Some(crate::places::user_path(text, self.folder()))
    }

    /// The listening sensitivity the file names (checked when it was read).
    pub fn sensitivity(&self) -> Option<Sensitivity> {
        Sensitivity::parse(self.settings.sensitivity.as_deref()?).ok()
    }

    /// The language the file names (checked when it was read).
    pub fn language(&self) -> Option<&'static str> {
        let tag = self.settings.language.as_deref()?;
        soothe_core::session::language::find(tag).ok()
    }

    /// The voice the file names.
    pub fn voice(&self) -> Option<VoiceChoice> {
        let voice = self.settings.voice.as_deref()?;
        Some(voice_choice(voice, self.folder()))
    }

    /// Checks the variant and the options the file names against the
    /// script they are used with (`script_name` says which, in messages).
    /// Only what is used is checked: `variant` and `options` say whether
    /// the file's are (a flag overrides them).
    pub fn check_names(
        &self,
        script: &Script,
        script_name: &str,
        variant: bool,
        options: bool,
    ) -> Result<(), FileError> {
        let name = self.path.display().to_string();
        script::parse_ron::<Settings>(&self.source, &name, |settings| {
            let known = |names: Vec<&str>| names.join(", ");
            if let Some(wanted) = settings.variant.as_deref().filter(|_| variant) {
                if script.variant(wanted).is_none() {
                    return Err(Problem {
                        path: ".variant".into(),
                        message: format!(
                            "unknown variant \"{wanted}\" for {script_name}; valid variants: {}",
                            known(script.variants.iter().map(|v| v.name.as_str()).collect())
                        ),
                    });
                }
            }
            let wanted = settings.options.iter().flatten().filter(|_| options);
            for (index, wanted) in wanted.enumerate() {
                if script.option(wanted).is_none() {
                    let valid: Vec<&str> = script.options.iter().map(|o| o.name.as_str()).collect();
                    return Err(Problem {
                        path: format!(".options[{index}]"),
                        message: format!(
                            "unknown option \"{wanted}\" for {script_name}; valid options: {}",
                            if valid.is_empty() {
                                "(none)".to_string()
                            } else {
                                known(valid)
                            }
                        ),
                    });
                }
            }
            Ok(())
        })
        .map(|_| ())
        .map_err(FileError::At)
    }
}

/// A settings file to start from, every line explained: what
/// `soothe settings --example` prints.
pub const EXAMPLE: &str = r#"// soothe's settings: what `soothe play`, `render` and `plan` use when the
// command line does not say. A flag always wins (--voice, --variant,
// --with, --voice-gain, --chime-gain, --language, or a SCRIPT). Any line may be left
// out. `soothe settings` shows where this file goes and what is in force.
Settings(
    // guide (the built-in voice), the name of a voice you recorded
    // (`soothe voices` lists them), or a folder of recordings (a path with
    // a '/', from this file's folder, or from your home with ~/).
    voice: "guide",
    // relaxing (bedtime) or invigorating, or a variant of your script.
    variant: "relaxing",
    // Options to turn on, as --with: "colic" gives twelve pairs of tummy
    // strokes instead of six, for wind and colic.
    options: [],
    // Levels in dB, as --voice-gain and --chime-gain (-60 to 12).
    voice_gain: 0.0,
    chime_gain: 0.0,
    // Listen for crying while playing (as play --listen).
    listening: false,
    // How readily listening takes a sound for crying, as --sensitivity:
    // low for a busy room (a TV, children, pets), normal, or high for a
    // quiet one.
    sensitivity: "normal",
    // The built-in session's language, as --language: en, es, fr, it,
    // pt-BR, de, ja or zh. Left out, your system's (LANG) when soothe
    // speaks it, else English.
    // language: "es",
    // Your own script instead of the built-in session: a path from this
    // file's folder, or from your home with ~/ (`soothe script > FILE`
    // writes the built-in one to start from).
    // script: "~/my-session.ron",
)
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn the_example_reads_as_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = load_from(&write(dir.path(), EXAMPLE)).unwrap().unwrap();
        assert_eq!(
            loaded.settings,
            Settings {
                voice: Some("guide".into()),
                variant: Some("relaxing".into()),
                options: Some(vec![]),
                voice_gain: Some(0.0),
                chime_gain: Some(0.0),
                listening: Some(false),
                sensitivity: Some("normal".into()),
                script: None,
                language: None,
            }
        );
        loaded
            .check_names(&Script::builtin(), "the built-in session", true, true)
            .unwrap();
    }

    #[test]
    fn no_file_is_no_settings() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load_from(&dir.path().join(FILE_NAME))
                .unwrap()
                .map(|l| l.settings),
            None
        );
    }

    #[test]
    fn relative_paths_start_from_the_files_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("dad")).unwrap();
        std::fs::write(dir.path().join("mine.ron"), "").unwrap();
        let path = write(dir.path(), "(voice: \"./dad\", script: \"mine.ron\")");
        let loaded = load_from(&path).unwrap().unwrap();
        assert_eq!(loaded.script(), Some(dir.path().join("mine.ron")));
        assert_eq!(
            loaded.voice(),
            Some(VoiceChoice::Folder(dir.path().join("./dad")))
        );
    }

    #[test]
    fn a_name_the_script_lacks_is_located_only_when_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "Settings(\n  variant: \"fast\",\n  options: [\"colic\", \"wind\"],\n)\n",
        );
        let loaded = load_from(&path).unwrap().unwrap();
        let script = Script::builtin();
        let err = loaded
            .check_names(&script, "the built-in session", true, true)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}:2:12: unknown variant \"fast\" for the built-in session; valid variants: relaxing, invigorating",
                path.display()
            )
        );
        let err = loaded
            .check_names(&script, "the built-in session", false, true)
            .unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "{}:3:22: unknown option \"wind\" for the built-in session; valid options: ",
                path.display()
            )),
            "{err}"
        );
        loaded
            .check_names(&script, "the built-in session", false, false)
            .unwrap();
    }

    #[test]
    fn a_language_soothe_lacks_in_the_settings_is_refused_at_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "Settings(\n  language: \"nl\",\n)\n");
        let err = load_from(&path).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}:2:13: unknown language \"nl\"; soothe speaks {}",
                path.display(),
                soothe_core::session::language::listing()
            )
        );
        let path = write(dir.path(), "Settings(language: \"PT-br\")");
        let loaded = load_from(&path).unwrap().unwrap();
        assert_eq!(loaded.language(), Some("pt-BR"));
    }

    #[test]
    fn settings_the_disk_will_not_give_up_keep_their_io_error_and_their_words() {
        let denied = std::io::Error::from_raw_os_error(13);
        let err = refused("settings.ron".into(), ReadProblem::Io(denied));
        match &err {
            FileError::Read { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
            }
            other => panic!("not Read: {other:?}"),
        }
        assert!(err.is_io());
        assert_eq!(
            format!("{:#}", anyhow::Error::from(err)),
            "settings.ron: cannot read the settings: Permission denied"
        );
    }
}
