//! The settings file under the flags: what the command line leaves
//! unsaid, the settings file says; a flag always wins. The result is the
//! typed options of [`crate::app`], which never see the file.

use std::path::PathBuf;

use super::{LevelOpts, SessionOpts};
use crate::app::{LanguagePick, Levels, SessionArgs};
use crate::settings::{self, Loaded};
use soothe_core::listen::{ListenOptions, Sensitivity};
use soothe_core::session::select::{SelectError, Selection};
use soothe_core::sound::voice::VoiceChoice;

/// The settings in force under the flags (none: soothe's own defaults).
pub(super) struct Defaults(Option<Loaded>);

impl Defaults {
    /// No settings: for the commands that do not use them.
    pub fn none() -> Defaults {
        Defaults(None)
    }

    /// The settings file, when there is one; an unusable one is an error.
    pub fn load() -> Result<Defaults, soothe_core::session::script::FileError> {
        settings::load().map(Defaults)
    }

    /// The SCRIPT given, else the settings' script, else none (the
    /// built-in session).
    pub fn script(&self, given: Option<PathBuf>) -> Option<PathBuf> {
        given.or_else(|| self.0.as_ref().and_then(Loaded::script))
    }

    /// The `--language` given (checked), and the language preferred
    /// otherwise: the settings', else the system's locale's when soothe
    /// speaks it, else English.
    pub fn language(&self, given: Option<String>) -> anyhow::Result<LanguagePick> {
        let asked = match given {
            Some(tag) => Some(
                soothe_core::session::language::find(&tag)
                    .map_err(|unknown| soothe_core::error::InvalidInput(unknown.to_string()))?,
            ),
            None => None,
        };
        let preferred = self
            .0
            .as_ref()
            .and_then(Loaded::language)
            .or_else(|| {
                soothe_core::session::language::from_environment(|name| std::env::var(name).ok())
            })
            .unwrap_or(soothe_core::session::language::ENGLISH);
        Ok(LanguagePick { asked, preferred })
    }

    /// The `--voice` given, else the settings' voice, else the guide.
    pub fn voice(&self, given: Option<String>) -> VoiceChoice {
        match given {
            Some(voice) => VoiceChoice::parse(&voice),
            None => self
                .0
                .as_ref()
                .and_then(Loaded::voice)
                .unwrap_or(VoiceChoice::Guide),
        }
    }

    /// The levels given, else the settings', else 0 dB.
    pub fn levels(&self, given: &LevelOpts) -> Levels {
        let file = self.0.as_ref().map(|l| &l.settings);
        let voice = given.voice_gain.or_else(|| file.and_then(|s| s.voice_gain));
        let chime = given.chime_gain.or_else(|| file.and_then(|s| s.chime_gain));
        Levels::from_db(voice.unwrap_or(0.0), chime.unwrap_or(0.0))
    }

    /// How `play` listens, if it does: asked for (`--listen`, or an
    /// `--input` or `--sensitivity`, which imply it) or the settings'
    /// `listening`.
    pub fn listen(
        &self,
        asked: bool,
        input: Option<String>,
        sensitivity: Option<Sensitivity>,
    ) -> Option<ListenOptions> {
        (asked || input.is_some() || sensitivity.is_some() || self.listening()).then(|| {
            ListenOptions {
                input,
                sensitivity: self.sensitivity(sensitivity),
            }
        })
    }

    /// Whether to listen for crying while playing (the settings'
    /// `listening`; off by default).
    fn listening(&self) -> bool {
        self.0
            .as_ref()
            .and_then(|l| l.settings.listening)
            .unwrap_or(false)
    }

    /// How readily listening takes a sound for crying: the flag, else the
    /// settings' `sensitivity`, else normal.
    pub fn sensitivity(&self, given: Option<Sensitivity>) -> Sensitivity {
        given
            .or_else(|| self.0.as_ref().and_then(Loaded::sensitivity))
            .unwrap_or_default()
    }

    /// Which script, which way, in which voice: the flags, then the
    /// settings. A variant or option the settings name that the script in
    /// use lacks is an error at its place in the settings file.
    pub fn session(&self, given: SessionOpts) -> anyhow::Result<SessionArgs> {
        let script = self.script(given.script);
        let voice = self.voice(given.voice);
        let language = self.language(given.language)?;
        let mut selection = Selection {
            variant: given.variant,
            with: given.with,
            skip: given.skip,
            brief: given.brief,
        };
        if let Some(loaded) = &self.0 {
            let file = &loaded.settings;
            let variant = selection.variant.is_none() && file.variant.is_some();
            let options =
                selection.with.is_empty() && file.options.as_ref().is_some_and(|o| !o.is_empty());
            if variant || options {
                let loaded_script = crate::app::load_script(script.as_deref(), &language)?;
                let name = match &script {
                    Some(path) => path.display().to_string(),
                    None => "the built-in session".to_string(),
                };
                loaded.check_names(&loaded_script, &name, variant, options)?;
            }
            if variant {
                selection.variant = file.variant.clone();
            }
            if options {
                selection.with = file.options.clone().unwrap_or_default();
            }
        }
        if !given.without.is_empty() {
            let loaded_script = crate::app::load_script(script.as_deref(), &language)?;
            if let Some(name) = given
                .without
                .iter()
                .find(|n| loaded_script.option(n).is_none())
            {
                return Err(SelectError::Option {
                    name: name.clone(),
                    valid: loaded_script
                        .options
                        .iter()
                        .map(|o| o.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
                .into());
            }
            selection.with.retain(|o| !given.without.contains(o));
        }
        Ok(SessionArgs {
            script,
            language,
            selection,
            voice,
            from: given.from,
            without: given.without,
        })
    }
}
