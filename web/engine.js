// The engine's thread: soothe-core (through soothe-web's wasm) makes the
// session's blocks here, a little ahead of the AudioWorklet that plays
// them, as the command line's feeder thread does. Decoding a prompt takes
// a while; here it never holds up the page. Every press goes to the
// engine's Remote, the command line's; the page only shows the status.
// The microphone's pieces come here too: to the session's listener, or to
// a take being recorded. The parent's voices are kept here (store.js).

import init, { choices, languages, prompts, Player, Take, Voice } from "./soothe_web.js";
import * as store from "./store.js";

// Blocks (of 512 samples) kept ahead of the worklet: 256 ms at 48 kHz;
// after a jump, the new step's first blocks are made at once.
const LEAD = 24;
const FRESH = 8;

const ready = init();
let player = null;
let ring = null;
let sent = 0;
let consumed = 0;
let fresh = 0;
let made = false;
let stopSent = false;
let shown = "";
let starting = null;
// The language chosen on the start screen.
let language = "en";

onmessage = async (event) => {
  const m = event.data;
  try {
    await ready;
    if (m.type === "choices") {
      language = m.language;
      promptWords = null;
      postMessage({
        type: "choices",
        language,
        languages: JSON.parse(languages()),
        choices: JSON.parse(choices(language)),
        prompts: JSON.parse(prompts(language)),
      });
      guide(language).catch(() => {});
      postMessage({ type: "voices", voices: await store.voices(language) });
    } else if (m.type === "start") {
      starting = start(m);
      await starting;
    } else if (m.type === "press" && player) {
      press(m.action, m.now);
    } else if (m.type === "listen") {
      await starting;
      let loudest = 0;
      let pieces = 0;
      m.port.onmessage = (e) => {
        try {
          // The loudest sample heard, now and then (the tests check that
          // the microphone works).
          for (const x of e.data.samples) loudest = Math.max(loudest, Math.abs(x));
          if (pieces++ % 10 === 0) postMessage({ type: "mic", loudest });
          player.hear(e.data.samples, e.data.rate);
          show();
        } catch (error) {
          failed(error);
        }
      };
    } else if (m.type in recording) {
      await recording[m.type](m);
    }
  } catch (error) {
    failed(error);
  }
};

function failed(error) {
  postMessage({ type: "error", message: String(error && error.message ? error.message : error) });
}

// A parent's voice, from what this device keeps.
async function voiceNamed(name) {
  if (!name) return undefined;
  const voice = new Voice(name, language);
  for (const [id, wav] of await store.takesOf(name, language)) voice.add(id, wav);
  return voice;
}

// Each language's guide voice (guides/<tag>.tar, English's too), fetched
// once, when the language is chosen, so that Start need not wait for it
// (on a first visit the page asks the offline copy to keep it: app.js). One
// that could not be fetched is asked for again at Start, which says why.
const guides = new Map();

function guide(tag) {
  let loading = guides.get(tag);
  if (!loading) {
    loading = fetchGuide(tag);
    guides.set(tag, loading);
    loading.catch(() => guides.delete(tag));
  }
  return loading;
}

// A language as a parent knows it: its name in itself (Español), else its tag.
function named(tag) {
  const found = JSON.parse(languages()).find((l) => l.name === tag);
  return (found && found.about) || tag;
}

async function fetchGuide(tag) {
  let response;
  try {
    response = await fetch(`guides/${tag}.tar`);
  } catch (_) {
    throw new Error(`The guide voice in ${named(tag)} could not be loaded: there is no network, and this device has not kept it yet`);
  }
  if (!response.ok) throw new Error(`The guide voice in ${named(tag)} could not be loaded (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

async function start(m) {
  const [voice, spoken] = await Promise.all([voiceNamed(m.voice), guide(language)]);
  const asked = performance.now();
  player = new Player(m.variant, m.options, m.brief, voice, Boolean(m.listening), language, spoken, m.sensitivity || "");
  const built = performance.now() - asked;
  ring = m.port;
  ring.onmessage = (e) => heard(e.data);
  ring.postMessage({ type: "begin", fade: player.fade });
  const before = performance.now();
  topUp();
  postMessage({ type: "started", built, firstBlocks: performance.now() - before });
  show();
}

function heard(m) {
  player.heard(m.position, m.jumped, m.finished);
  consumed = m.consumed;
  topUp();
  show();
}

function press(action, now) {
  const effect = player.press(action, now);
  if (effect === "jumped") {
    fresh = FRESH;
    made = false;
  }
  ring.postMessage({ type: "control", paused: player.paused, cut: player.jump_asked });
  topUp();
  show();
  postMessage({ type: "effect", effect });
}

function topUp() {
  if (player.stopped) {
    if (!stopSent) ring.postMessage({ type: "stop" });
    stopSent = true;
    return;
  }
  while (!made && (sent - consumed < LEAD || fresh > 0)) {
    const samples = new Float32Array(512);
    const len = player.fill(samples);
    const block = { type: "block", samples, len, end: player.end, advanced: player.advanced, jumped: player.jumped };
    ring.postMessage(block, [samples.buffer]);
    sent += 1;
    fresh = Math.max(0, fresh - 1);
    made = len === 0;
  }
}

// The page hears of a change at once (a step, a stroke, the words, a
// pause), and of the clock going on ten times a second.
let posted = 0;

function show() {
  const status = JSON.parse(player.status());
  const { position, left, ...rest } = status;
  const what = JSON.stringify(rest);
  const now = performance.now();
  if (what !== shown || now - posted >= 100) {
    shown = what;
    posted = now;
    postMessage({ type: "status", status });
  }
}

// Recording the parent's voice, a take at a time, as `soothe record` does;
// and a voice to a file and back.
let take = null;
let takeWav = null;
let currentPrompt = "";
let promptWords = null;

const recording = {
  async "take-begin"(m) {
    currentPrompt = m.id;
    promptWords ??= new Map(JSON.parse(prompts(language)).map((p) => [p.name, p.about]));
    take = new Take(m.rate);
    takeWav = null;
    let was = "";
    m.port.onmessage = (e) => {
      if (!take) return;
      try {
        const heard = take.push(e.data.samples);
        if (heard !== was) {
          was = heard;
          told(heard);
        }
      } catch (error) {
        failed(error);
      }
    };
  },
  async "take-stop"() {
    if (take) told(take.stop());
  },
  async "take-keep"(m) {
    if (!takeWav) return;
    await store.keep(m.voice, language, [[m.id, takeWav]]);
    takeWav = null;
    postMessage({ type: "kept", id: m.id, voices: await store.voices(language) });
  },
  async "voice-file"(m) {
    const voice = await voiceNamed(m.voice);
    const bytes = voice.toFile();
    postMessage({ type: "voice-file", name: m.voice, bytes }, [bytes.buffer]);
  },
  async "voice-import"(m) {
    let voice;
    try {
      voice = Voice.fromFile(new Uint8Array(m.bytes));
    } catch (error) {
      postMessage({ type: "import-failed", message: String(error && error.message ? error.message : error) });
      return;
    }
    // Never over a voice this device has: a free name instead.
    const spoken = voice.language;
    const have = new Set((await store.voices(spoken)).map((v) => v.name));
    let name = voice.name;
    for (let n = 2; have.has(name); n++) name = `${voice.name}-${n}`;
    const ids = JSON.parse(voice.ids());
    await store.keep(name, spoken, ids.map((id) => [id, voice.take(id)]));
    postMessage({ type: "imported", name, language: spoken, takes: ids.length, voices: await store.voices(language) });
  },
};

// A take's news for the page; once it ends, the take takeWav ready to keep
// (cleaned up by the engine, with the prompt's words inside).
function told(heard) {
  if (heard === "done" || heard === "too-long") {
    const words = promptWords.get(currentPrompt) || "";
    try {
      takeWav = take.finish(words);
    } catch (error) {
      takeWav = null;
      heard = "nothing";
    }
    take = null;
  } else if (heard === "nothing") {
    take = null;
  }
  const wav = takeWav ? takeWav.slice() : null;
  postMessage({ type: "take", heard, wav }, wav ? [wav.buffer] : []);
}
