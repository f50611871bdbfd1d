//! A session as the web app plays it, in plain Rust (tested natively):
//! the built-in script with the parent's choices, through the very path of
//! `soothe render` (`Selection::apply` -> `Timeline::build` ->
//! `SessionSource`), in the guide voice the page loaded for its language.
//!
//! The source runs behind a ring ([`SessionSource::behind_a_ring`]), as
//! on the command line: the page's AudioWorklet is the far end, which
//! holds its queue for a pause, drops what a jump made old, and tells
//! back the position being heard ([`WebSession::heard`]), which is the
//! session's clock.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use soothe_core::clock::clock;
use soothe_core::listen::{Hearing, Sensitivity};
use soothe_core::mix::listening::SessionListener;
use soothe_core::mix::remote::{Action, Effect, Remote};
use soothe_core::mix::{Control, Levels, SessionSource, BLOCK, FADE_SECONDS};
use soothe_core::session::script::Script;
use soothe_core::session::select::Selection;
use soothe_core::session::timeline::Timeline;
use soothe_core::sound::guide::Guide;
use soothe_core::sound::sounds::Sounds;
use soothe_core::sound::voice::{VoiceChoice, VoiceSet};
use soothe_core::status::Status;

use crate::voice::Voice;

/// What the start screen offers: the built-in script's choices.
#[derive(Debug, Serialize)]
pub struct Choices {
    pub title: String,
    pub sample_rate: u32,
    pub variants: Vec<Named>,
    pub options: Vec<Named>,
    /// What brief mode does (`None`: the script has none).
    pub brief: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Named {
    pub name: String,
    pub about: String,
}

impl Choices {
    pub fn of(script: &Script) -> Choices {
        Choices {
            title: script.title.clone(),
            sample_rate: script.sample_rate,
            variants: (script.variants.iter())
                .map(|v| Named {
                    name: v.name.clone(),
                    about: v.about.clone(),
                })
                .collect(),
            options: (script.options.iter())
                .map(|o| Named {
                    name: o.name.clone(),
                    about: o.about.clone(),
                })
                .collect(),
            brief: script.brief.as_ref().map(|b| b.about.clone()),
        }
    }
}

/// What the session screen shows at one moment.
#[derive(Debug, Serialize, PartialEq)]
pub struct Shown {
    /// The step playing (or a jump is on its way to), from 0.
    pub step: usize,
    pub steps: usize,
    pub title: String,
    /// "3 of 6" while a stroke set is under way.
    pub count: Option<String>,
    /// The words being said, or last said in this step.
    pub words: Option<String>,
    /// The next step's title (`None` during the last).
    pub next: Option<String>,
    /// The session's position and length, in samples.
    pub position: u64,
    pub total: u64,
    /// Time left in the session, as the command line writes times.
    pub left: String,
    pub paused: bool,
    /// Held for crying: the crying prompt was said, and the session waits
    /// for the parent.
    pub held: bool,
    /// What listening hears ("quiet", "fussing", "crying"), while it
    /// listens.
    pub hearing: Option<&'static str>,
    /// The voice speaking: "guide" or the parent's voice's name.
    pub voice: String,
    /// The far end has played the last sample.
    pub finished: bool,
}

/// One block the source made, with where it leaves the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Made {
    /// Samples written: fewer than a block only at the end, 0 after it.
    pub len: usize,
    /// The session position after the block...
    pub end: u64,
    /// ...how many of its samples moved the clock on...
    pub advanced: usize,
    /// ...and the serial number of the last jump made before it.
    pub jumped: u64,
}

pub struct WebSession {
    script: Script,
    timeline: Arc<Timeline>,
    control: Arc<Control>,
    source: SessionSource,
    remote: Remote,
    voice: String,
    /// Listening for crying, and how readily.
    listening: Option<Sensitivity>,
    listener: Option<SessionListener>,
    hearing: Option<Hearing>,
}

impl WebSession {
    /// The built-in session in `language` for these choices, in `voice`
    /// (the guide fills what it lacks) or the guide's, listening for
    /// crying as readily as `listening` says, or not; `guide`: the
    /// language's guide voice, loaded by the page (English's too). An
    /// error is the message the command line would give for them.
    pub fn new(
        selection: &Selection,
        language: &str,
        guide: &Guide,
        voice: Option<&Voice>,
        listening: Option<Sensitivity>,
    ) -> Result<WebSession, String> {
        let script = Script::builtin_in(language);
        let session = selection.apply(&script).map_err(|e| e.to_string())?;
        soothe_core::session::advice::keep(&script, selection).map_err(|e| e.to_string())?;
        let voice = match voice {
            Some(voice) => {
                VoiceSet::in_memory_with_guide(&voice.name, &script, &voice.takes, guide)
            }
            None => VoiceSet::open_with_guide(&VoiceChoice::Guide, &script, None, guide),
        }
        .map_err(|e| e.to_string())?;
        let name = voice.name.clone();
        // What is said when the baby cries, as `play --listen` says it.
        let crying = (script.listen.as_ref())
            .map(|l| l.prompt.clone())
            .filter(|id| listening.is_some() && voice.get(id).is_some());
        let mut sounds = Sounds::new(voice, session.chime, session.sample_rate);
        let timeline = Timeline::build(&session, &sounds).map_err(|e| e.to_string())?;
        sounds.expect(&timeline);
        let timeline = Arc::new(timeline);
        let control = Control::new(Levels::UNITY);
        let mut source = SessionSource::new(timeline.clone(), Arc::new(sounds), control.clone());
        if let Some(id) = &crying {
            source = source.with_interjection(id);
        }
        let remote = Remote::new(control.clone(), timeline.clone(), Levels::UNITY);
        Ok(WebSession {
            script,
            timeline,
            control,
            source: source.behind_a_ring(),
            remote,
            voice: name,
            listening,
            listener: None,
            hearing: None,
        })
    }

    /// Hears the microphone's latest samples (at `rate` Hz), its echo of
    /// the session taken out by the browser, through the listener of
    /// `play --listen`: crying holds the session. Nothing is kept but the
    /// verdict.
    pub fn hear(&mut self, mic: &[f32], rate: u32) -> Option<Hearing> {
        let sensitivity = self.listening?;
        let listener =
            (self.listener).get_or_insert_with(|| SessionListener::alone(rate, sensitivity));
        let hearing = listener.hear(mic, &self.control);
        self.hearing = Some(hearing);
        Some(hearing)
    }

    /// Samples the far end fades over what a jump or a stop cuts short.
    pub fn fade_samples(&self) -> usize {
        soothe_core::clock::samples(FADE_SECONDS, self.timeline.sample_rate) as usize
    }

    /// Fills the next block (up to [`BLOCK`] samples of `out`).
    pub fn fill(&mut self, out: &mut [f32]) -> Made {
        let n = out.len().min(BLOCK);
        let len = self.source.fill(&mut out[..n]);
        Made {
            len,
            end: self.source.position(),
            advanced: self.source.advanced(),
            jumped: self.source.jumped(),
        }
    }

    /// The far end is playing `position`, of the blocks made after jump
    /// `jumped`; `finished`: it has played the last sample.
    pub fn heard(&mut self, position: u64, jumped: u64, finished: bool) {
        self.control.set_jumped(jumped);
        self.control.set_position(position);
        if finished {
            self.control.set_finished();
        }
    }

    /// Does what a press asks, as a key does on the command line; `now`
    /// is the time since any fixed moment (a double press of "back").
    pub fn press(&mut self, action: Action, now: Duration) -> Effect {
        self.remote.apply(action, now)
    }

    /// The serial number of the last jump asked for: the far end drops
    /// the blocks made before it.
    pub fn jump_asked(&self) -> u64 {
        self.control.jump_asked().map_or(0, |(serial, _)| serial)
    }

    pub fn control(&self) -> &Control {
        &self.control
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// What the screen shows now: the command line's live view, in data.
    pub fn shown(&self) -> Shown {
        let timeline = &self.timeline;
        let step = self.remote.current_step().min(timeline.steps.len() - 1);
        let span = &timeline.steps[step];
        let position = match self.control.pending_jump() {
            Some(_) => span.start_sample,
            None => self.control.position(),
        };
        let status = Status::at(timeline, position);
        Shown {
            step,
            steps: timeline.steps.len(),
            title: span.title.clone(),
            count: status.stroke.map(|(n, of)| format!("{n} of {of}")),
            words: (status.prompt.as_deref())
                .and_then(|id| self.script.prompts.get(id))
                .cloned(),
            next: timeline.steps.get(step + 1).map(|s| s.title.clone()),
            position,
            total: timeline.total_samples,
            left: clock(
                timeline.total_samples.saturating_sub(status.elapsed),
                timeline.sample_rate,
            ),
            paused: self.control.is_paused(),
            held: self.control.is_held(),
            hearing: self.hearing.map(Hearing::word),
            voice: self.voice.clone(),
            finished: self.control.is_finished(),
        }
    }
}

/// The action a button or key of the web app names.
pub fn action_named(name: &str) -> Option<Action> {
    Some(match name {
        "toggle" => Action::TogglePause,
        "pause" => Action::Pause,
        "resume" => Action::Resume,
        "next" => Action::Next,
        "back" => Action::Back,
        "done" => Action::BabysDone,
        "stop" => Action::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// English's guide folder, which the command line builds in and
    /// tools/build-web packs as guides/en.tar.
    const ENGLISH_GUIDE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../soothe-core/audio/guide");

    /// The names tools/build-web packs of a guide folder, in its order.
    fn packed_names() -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(ENGLISH_GUIDE)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".ogg") || n == "manifest.tsv")
            .collect();
        names.sort();
        names
    }

    /// English's guide as the page loads it: guides/en.tar, packed here
    /// in memory as tools/build-web packs it, through the app's own
    /// reader.
    fn english() -> &'static Guide {
        static GUIDE: OnceLock<Guide> = OnceLock::new();
        GUIDE.get_or_init(|| {
            let mut tar = tar::Builder::new(Vec::new());
            for name in packed_names() {
                tar.append_path_with_name(format!("{ENGLISH_GUIDE}/{name}"), &name)
                    .unwrap();
            }
            crate::voice::guide_from_tar("en", &tar.into_inner().unwrap()).unwrap()
        })
    }

    /// English's guide read straight from its folder, the files the
    /// command line builds in.
    fn english_from_its_folder() -> Guide {
        let mut manifest = String::new();
        let mut takes = Vec::new();
        for name in packed_names() {
            let bytes = std::fs::read(format!("{ENGLISH_GUIDE}/{name}")).unwrap();
            match name.strip_suffix(".ogg") {
                Some(id) => takes.push((id.to_string(), bytes)),
                None => manifest = String::from_utf8(bytes).unwrap(),
            }
        }
        Guide::from_files("en", &manifest, takes)
    }

    fn relaxing() -> WebSession {
        WebSession::new(&Selection::default(), "en", english(), None, None).unwrap()
    }

    /// The samples `soothe render` writes for `selection`: the engine's
    /// own path, the source keeping its own clock, in the guide voice of
    /// English's folder.
    fn rendered(selection: &Selection, samples: usize) -> Vec<f32> {
        let script = Script::builtin();
        let session = selection.apply(&script).unwrap();
        let guide = english_from_its_folder();
        let voice = VoiceSet::open_with_guide(&VoiceChoice::Guide, &script, None, &guide).unwrap();
        let mut sounds = Sounds::new(voice, session.chime, session.sample_rate);
        let timeline = Timeline::build(&session, &sounds).unwrap();
        sounds.expect(&timeline);
        let control = Control::new(Levels::UNITY);
        let source = SessionSource::new(Arc::new(timeline), Arc::new(sounds), control);
        source.take(samples).collect()
    }

    /// Blocks of `web` until `samples` are made.
    fn made(web: &mut WebSession, samples: usize) -> Vec<f32> {
        let mut out = Vec::new();
        let mut block = [0.0; BLOCK];
        while out.len() < samples {
            let made = web.fill(&mut block);
            assert!(made.len > 0, "the session ended early");
            out.extend_from_slice(&block[..made.len]);
        }
        out.truncate(samples);
        out
    }

    #[test]
    fn the_web_session_makes_the_samples_soothe_render_writes() {
        let selection = Selection {
            variant: Some("invigorating".into()),
            with: vec!["colic".into(), "newborn".into()],
            skip: Vec::new(),
            brief: true,
        };
        let mut web = WebSession::new(&selection, "en", english(), None, None).unwrap();
        let n = 12 * 48_000;
        let from_web = made(&mut web, n);
        assert!(
            from_web.iter().any(|s| s.abs() > 0.05),
            "the welcome is heard"
        );
        assert!(from_web == rendered(&selection, n));
    }

    #[test]
    fn next_goes_on_from_the_next_steps_first_sample_once_the_far_end_plays_it() {
        let mut web = relaxing();
        made(&mut web, 48_000);
        web.heard(24_000, 0, false);
        assert_eq!(web.shown().step, 0);
        assert_eq!(
            web.press(Action::Next, Duration::ZERO),
            Effect::Jumped {
                to: 1,
                why: soothe_core::mix::remote::Jump::Next
            }
        );
        // Until it is heard, the screen shows the step it is going to.
        assert_eq!(web.jump_asked(), 1);
        assert_eq!(web.shown().step, 1);
        let mut block = [0.0; BLOCK];
        let made = web.fill(&mut block);
        let second = web.timeline().steps[1].start_sample;
        assert_eq!((made.jumped, made.end - made.advanced as u64), (1, second));
        web.heard(second + 100, 1, false);
        let shown = web.shown();
        assert_eq!((shown.step, shown.title.as_str()), (1, "Toes and feet"));
        assert_eq!(shown.next.as_deref(), Some("Legs"));
    }

    #[test]
    fn the_screen_shows_the_stroke_count_and_the_words_at_a_chime() {
        let mut web = relaxing();
        let timeline = web.timeline().clone();
        let chime = (timeline.events.iter())
            .find_map(|e| match e.kind {
                soothe_core::session::timeline::EventKind::Chime { stroke: 3, of } => {
                    Some((e.start_sample, of))
                }
                _ => None,
            })
            .unwrap();
        web.heard(chime.0 + 10, 0, false);
        let shown = web.shown();
        assert_eq!(shown.count, Some(format!("3 of {}", chime.1)));
        assert!(shown.words.is_some_and(|w| !w.is_empty()));
        assert_eq!(
            shown.left,
            clock(timeline.total_samples - chime.0 - 10, 48_000)
        );
    }

    #[test]
    fn babys_done_goes_to_the_close_and_the_end_is_told_by_the_far_end() {
        let mut web = relaxing();
        let close = web.timeline().closing.unwrap();
        assert_eq!(
            web.press(Action::BabysDone, Duration::ZERO),
            Effect::Jumped {
                to: close,
                why: soothe_core::mix::remote::Jump::Closing
            }
        );
        web.heard(web.timeline().total_samples, 1, true);
        assert!(web.shown().finished);
    }

    /// A take of `seconds` of a low tone at 16 kHz, spoken for `words`.
    fn take(seconds: f64, words: &str) -> std::sync::Arc<[u8]> {
        let n = (seconds * 16_000.0) as usize;
        let audio = soothe_core::sound::audio::Mono {
            rate: 16_000,
            samples: (0..n).map(|k| 0.3 * (k as f32 * 0.05).sin()).collect(),
        };
        soothe_core::encode::wav::take_bytes(&audio, words)
            .unwrap()
            .into()
    }

    #[test]
    fn a_parents_voice_on_the_phone_plays_as_the_same_takes_from_a_voice_folder() {
        let script = Script::builtin();
        let welcome = script.prompts_in_order()[0].to_string();
        let words = script.prompts.get(&welcome).unwrap().clone();
        let wav = take(2.5, &words);
        let mut voice = Voice::new("mum", "en").unwrap();
        voice.takes.insert(welcome.clone(), wav.clone());
        let mut web =
            WebSession::new(&Selection::default(), "en", english(), Some(&voice), None).unwrap();
        assert_eq!(web.shown().voice, "mum");
        let n = 8 * 48_000;
        let from_web = made(&mut web, n);
        // The command line, from a voice folder holding the same take.
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join(format!("{welcome}.wav")), &wav).unwrap();
        let choice = VoiceChoice::Folder(folder.path().to_path_buf());
        let set =
            VoiceSet::open_with_guide(&choice, &script, None, &english_from_its_folder()).unwrap();
        let session = Selection::default().apply(&script).unwrap();
        let mut sounds = Sounds::new(set, session.chime, session.sample_rate);
        let timeline = Timeline::build(&session, &sounds).unwrap();
        sounds.expect(&timeline);
        let source = SessionSource::new(
            Arc::new(timeline),
            Arc::new(sounds),
            Control::new(Levels::UNITY),
        );
        let from_folder: Vec<f32> = source.take(n).collect();
        assert!(from_web == from_folder);
        assert!(from_web != rendered(&Selection::default(), n));
    }

    /// A WAV of the repository's tests, as mono samples and their rate.
    fn fixture(name: &str) -> (Vec<f32>, u32) {
        let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
        let mono = soothe_core::sound::wav::read_wav(file).unwrap();
        (mono.samples, mono.rate)
    }

    /// Plays `web` from its start for `seconds`, the far end hearing each
    /// block as it is made, and the microphone hearing `mic` (at `rate`)
    /// over the same time; returns the screen after it.
    fn listen_through(web: &mut WebSession, mic: &[f32], rate: u32, seconds: f64) -> Shown {
        let mut block = [0.0; BLOCK];
        let mut heard_mic = 0usize;
        let mut played = 0usize;
        while (played as f64) < seconds * 48_000.0 {
            let made = web.fill(&mut block);
            played += made.len;
            web.heard(made.end, made.jumped, false);
            let due = (played as f64 * f64::from(rate) / 48_000.0) as usize;
            let piece = &mic[heard_mic.min(mic.len())..due.min(mic.len())];
            if !piece.is_empty() {
                web.hear(piece, rate);
            }
            heard_mic = due;
        }
        web.shown()
    }

    #[test]
    fn a_real_cry_on_the_phones_microphone_holds_the_session_and_space_goes_on() {
        let mut web = WebSession::new(
            &Selection::default(),
            "en",
            english(),
            None,
            Some(Sensitivity::Normal),
        )
        .unwrap();
        let (cry, rate) =
            fixture("cries/7B924575-21FC-462A-969E-BABB46D1CBF5-1430055243-1.0-f-72-hu.wav");
        // The baby cries from 4 s into the welcome.
        let mut mic = vec![0.0; 4 * rate as usize];
        mic.extend_from_slice(&cry);
        let shown = listen_through(
            &mut web,
            &mic,
            rate,
            4.0 + cry.len() as f64 / f64::from(rate),
        );
        assert!(shown.held, "not held: {:?}", shown.hearing);
        // It never goes on by itself; space does.
        assert_eq!(
            web.press(Action::TogglePause, Duration::ZERO),
            Effect::Resumed
        );
        assert!(!web.shown().held);
    }

    #[test]
    fn a_session_that_does_not_listen_hears_nothing() {
        let mut web = relaxing();
        assert_eq!(web.hear(&[0.5; 480], 48_000), None);
        assert_eq!(web.shown().hearing, None);
    }

    #[test]
    fn an_english_session_without_its_guide_loaded_says_what_it_lacks() {
        let err = WebSession::new(&Selection::default(), "en", &Guide::empty("en"), None, None)
            .err()
            .unwrap();
        assert!(
            err.starts_with("no recording of prompts welcome, "),
            "{err}"
        );
    }

    #[test]
    fn a_spanish_session_needs_the_spanish_guide_never_the_english_one() {
        let err = WebSession::new(&Selection::default(), "es", english(), None, None)
            .err()
            .unwrap();
        assert!(
            err.starts_with("no recording of prompts welcome, "),
            "{err}"
        );
        let choices = Choices::of(&Script::builtin_in("es"));
        assert!(choices.variants[0]
            .about
            .starts_with("Para la hora de dormir"));
    }

    #[test]
    fn an_unknown_option_is_refused_with_the_scripts_own() {
        let selection = Selection {
            with: vec!["twins".into()],
            ..Selection::default()
        };
        let err = WebSession::new(&selection, "en", english(), None, None)
            .err()
            .unwrap();
        assert!(
            err.starts_with("unknown option \"twins\"; valid options: colic,"),
            "{err}"
        );
    }

    #[test]
    fn the_start_screen_offers_the_scripts_variants_options_and_brief_mode() {
        let choices = Choices::of(&Script::builtin());
        let names = |list: &[Named]| list.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&choices.variants), ["relaxing", "invigorating"]);
        assert_eq!(
            names(&choices.options),
            [
                "colic",
                "traumatic-birth",
                "after-feed",
                "no-oil",
                "newborn"
            ]
        );
        assert!(choices.brief.is_some());
        assert_eq!(choices.sample_rate, 48_000);
    }

    #[test]
    fn every_web_action_name_is_a_press() {
        for name in ["toggle", "pause", "resume", "next", "back", "done", "stop"] {
            assert!(action_named(name).is_some(), "{name}");
        }
        assert_eq!(action_named("quit"), None);
    }
}
