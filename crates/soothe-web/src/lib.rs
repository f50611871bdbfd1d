//! soothe in the browser: a thin wasm-bindgen shell over soothe-core. The
//! engine decides every sample and every step; the page (web/) only
//! moves blocks to an AudioWorklet and shows what [`Player::status`] says.
//!
//! Numbers cross to JavaScript as f64 (sample positions stay far below
//! 2^53), and records as JSON text.

mod session;
mod voice;

use std::time::Duration;

use soothe_core::listen::Sensitivity;
use soothe_core::mix::remote::Effect;
use soothe_core::session::script::Script;
use soothe_core::session::select::Selection;
use wasm_bindgen::prelude::*;

pub use session::{action_named, Choices, Made, Named, Shown, WebSession};
pub use voice::{guide_from_tar, Heard, Take, Voice};

/// The built-in script's variants, options and brief mode in `language`,
/// as JSON ([`Choices`]).
#[wasm_bindgen]
pub fn choices(language: &str) -> String {
    json(&Choices::of(&Script::builtin_in(language)))
}

/// The languages the session speaks, as JSON: `[{"name": tag, "about":
/// its own name}]`.
#[wasm_bindgen]
pub fn languages() -> String {
    let list: Vec<Named> = soothe_core::session::language::tags()
        .map(|tag| Named {
            name: tag.to_string(),
            about: soothe_core::session::language::name(tag).unwrap_or_default(),
        })
        .collect();
    json(&list)
}

/// The prompts a parent records in `language`, in the order they are
/// spoken: JSON `[{"name": id, "about": words}]`.
#[wasm_bindgen]
pub fn prompts(language: &str) -> String {
    let script = Script::builtin_in(language);
    let list: Vec<Named> = (script.prompts_in_order().into_iter())
        .map(|id| Named {
            name: id.to_string(),
            about: script.prompts.get(id).cloned().unwrap_or_default(),
        })
        .collect();
    json(&list)
}

/// A parent's voice, kept on the phone: takes by prompt id.
#[wasm_bindgen(js_name = Voice)]
pub struct WebVoice {
    voice: Voice,
}

#[wasm_bindgen(js_class = Voice)]
impl WebVoice {
    /// An empty voice (lowercase letters, digits, - and _) in `language`.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, language: &str) -> Result<WebVoice, JsError> {
        Voice::new(name, language)
            .map(|voice| WebVoice { voice })
            .map_err(|e| JsError::new(&e))
    }

    /// The voice in a file from `soothe voices --export` (or this app).
    #[wasm_bindgen(js_name = fromFile)]
    pub fn from_file(bytes: &[u8]) -> Result<WebVoice, JsError> {
        Voice::from_file(bytes)
            .map(|voice| WebVoice { voice })
            .map_err(|e| JsError::new(&e))
    }

    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.voice.name.clone()
    }

    /// The language its takes speak.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> String {
        self.voice.language.clone()
    }

    /// The prompt ids it has takes of, as JSON.
    pub fn ids(&self) -> String {
        let mut ids: Vec<&String> = self.voice.takes.keys().collect();
        ids.sort();
        json(&ids)
    }

    /// The take of prompt `id` (a WAV file), or an empty array.
    pub fn take(&self, id: &str) -> Vec<u8> {
        self.voice
            .takes
            .get(id)
            .map_or(Vec::new(), |wav| wav.to_vec())
    }

    /// Keeps `wav` as the take of prompt `id`.
    pub fn add(&mut self, id: &str, wav: Vec<u8>) {
        self.voice.takes.insert(id.to_string(), wav.into());
    }

    /// The file `soothe voices --import` reads.
    #[wasm_bindgen(js_name = toFile)]
    pub fn to_file(&self) -> Vec<u8> {
        self.voice.to_file()
    }
}

/// One take from the microphone, as `soothe record` makes it.
#[wasm_bindgen(js_name = Take)]
pub struct WebTake {
    take: Take,
}

#[wasm_bindgen(js_class = Take)]
impl WebTake {
    /// A take from a microphone at `rate` Hz.
    #[wasm_bindgen(constructor)]
    pub fn new(rate: u32) -> WebTake {
        WebTake {
            take: Take::new(rate),
        }
    }

    /// Hears the microphone's latest samples: "waiting", "speaking",
    /// "done" (speech, then silence), "too-long" or "nothing".
    pub fn push(&mut self, samples: &[f32]) -> String {
        self.take.push(samples).word().to_string()
    }

    /// Stopped by hand: "done" or "nothing".
    pub fn stop(&mut self) -> String {
        self.take.stop().word().to_string()
    }

    /// The take, cleaned up, as the WAV a voice keeps, holding the
    /// prompt's `words`.
    pub fn finish(&self, words: &str) -> Result<Vec<u8>, JsError> {
        let rate = Script::builtin().sample_rate;
        self.take.finish(words, rate).map_err(|e| JsError::new(&e))
    }
}

/// A session being played in the page.
#[wasm_bindgen]
pub struct Player {
    session: WebSession,
    made: Made,
}

#[wasm_bindgen]
impl Player {
    /// The built-in session in `language`, in `variant` (empty: the
    /// script's first) with `options`, in brief mode or not, in `voice`
    /// (or the guide's), listening for crying or not, as readily as
    /// `sensitivity` says (low, normal or high; empty: normal). `guide`:
    /// the language's guide voice as the page fetched it (a tar file,
    /// guides/<language>.tar; English's too, none is built in).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        variant: &str,
        options: Vec<String>,
        brief: bool,
        voice: Option<WebVoice>,
        listening: bool,
        language: &str,
        guide: Vec<u8>,
        sensitivity: &str,
    ) -> Result<Player, JsError> {
        let selection = Selection {
            variant: (!variant.is_empty()).then(|| variant.to_string()),
            with: options,
            skip: Vec::new(),
            brief,
        };
        let voice = voice.map(|v| v.voice);
        let guide = guide_from_tar(language, &guide).map_err(|e| JsError::new(&e))?;
        let listening = match (listening, sensitivity) {
            (false, _) => None,
            (true, "") => Some(Sensitivity::default()),
            (true, word) => Some(Sensitivity::parse(word).map_err(|e| JsError::new(&e))?),
        };
        let session = WebSession::new(&selection, language, &guide, voice.as_ref(), listening)
            .map_err(|e| JsError::new(&e))?;
        Ok(Player {
            session,
            made: Made {
                len: 0,
                end: 0,
                advanced: 0,
                jumped: 0,
            },
        })
    }

    /// Samples the page fades over what a jump or a stop cuts short.
    #[wasm_bindgen(getter)]
    pub fn fade(&self) -> usize {
        self.session.fade_samples()
    }

    /// Fills `out` with the next block of the session (at most
    /// `soothe_core::mix::BLOCK` samples); returns how many samples it
    /// made, 0 at the end. [`Player::end`], [`Player::advanced`] and
    /// [`Player::jumped`] tell about that block.
    pub fn fill(&mut self, out: &mut [f32]) -> usize {
        self.made = self.session.fill(out);
        self.made.len
    }

    #[wasm_bindgen(getter)]
    pub fn end(&self) -> f64 {
        self.made.end as f64
    }

    #[wasm_bindgen(getter)]
    pub fn advanced(&self) -> usize {
        self.made.advanced
    }

    #[wasm_bindgen(getter)]
    pub fn jumped(&self) -> f64 {
        self.made.jumped as f64
    }

    /// The AudioWorklet is playing `position` of the blocks made after
    /// jump `jumped`; `finished` once it has played the last one.
    pub fn heard(&mut self, position: f64, jumped: f64, finished: bool) {
        self.session
            .heard(position.max(0.0) as u64, jumped.max(0.0) as u64, finished);
    }

    /// A press: "toggle", "pause", "resume", "next", "back", "done" or
    /// "stop", at `now_ms` (any steady clock, such as
    /// `performance.now()`). Returns what it did: "paused", "resumed",
    /// "jumped", "ending", "closing" (already at the close) or "".
    pub fn press(&mut self, action: &str, now_ms: f64) -> Result<String, JsError> {
        let action = action_named(action)
            .ok_or_else(|| JsError::new(&format!("no such action: {action}")))?;
        let now = Duration::from_secs_f64(now_ms.max(0.0) / 1000.0);
        Ok(match self.session.press(action, now) {
            Effect::Paused => "paused",
            Effect::Resumed => "resumed",
            Effect::Jumped { .. } => "jumped",
            Effect::Ending | Effect::Quit => "ending",
            Effect::AlreadyClosing => "closing",
            _ => "",
        }
        .to_string())
    }

    /// The serial number of the last jump asked for.
    #[wasm_bindgen(getter)]
    pub fn jump_asked(&self) -> f64 {
        self.session.jump_asked() as f64
    }

    #[wasm_bindgen(getter)]
    pub fn paused(&self) -> bool {
        self.session.control().is_paused()
    }

    /// The session was ended (after the last step, or "stop").
    #[wasm_bindgen(getter)]
    pub fn stopped(&self) -> bool {
        self.session.control().is_stopped()
    }

    /// Hears the microphone's latest samples, at `rate` Hz: crying holds
    /// the session. Returns "quiet", "fussing" or "crying" ("" when the
    /// session does not listen).
    pub fn hear(&mut self, samples: &[f32], rate: u32) -> String {
        (self.session.hear(samples, rate))
            .map_or("", |hearing| hearing.word())
            .to_string()
    }

    /// What the screen shows now, as JSON ([`Shown`]).
    pub fn status(&self) -> String {
        json(&self.session.shown())
    }
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
