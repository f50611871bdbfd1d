// The page: the start screen, the session screen, and the presses. It
// decides nothing about the session: the engine (engine.js, a worker
// running soothe-core) makes every sample and says what to show; the
// AudioWorklet (worklet.js) plays what it made.

import { microphone, refused, voices } from "./voices.js";

const $ = (id) => document.getElementById(id);
const SAVED = "soothe.choices";

// Keys, as on the command line (a Bluetooth pedal or page-turner sends
// space, the arrows or Page Up/Down).
const KEYS = {
  " ": "toggle",
  p: "toggle",
  n: "next",
  ArrowRight: "next",
  PageDown: "next",
  b: "back",
  ArrowLeft: "back",
  PageUp: "back",
  d: "done",
};

const engine = new Worker("engine.js", { type: "module" });
let rate = 48000;
let context = null;
let worklet = null;
let playing = false;
let status = null;
let wakeLock = null;
// What the tests and BENCHMARKS.md measure (see tools/test-web).
// started: the Start press; running: the audio context is; began: the
// session's first sample leaves the worklet; sounded: its first audible one.
const measured = { started: null, running: null, began: null, sounded: null, starved: 0, longTasks: [] };
// shown: the status the screen was last drawn from (a frame behind status
// at most).
let drawn = null;
window.soothe = { measured, status: () => status, shown: () => drawn, context: () => context };

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js").catch(() => {});
  // A new offline copy (the first, or a new build's) keeps the shown
  // language's guide voice too: the page asks for it through the copy. The
  // engine's worker cannot: started before the copy answered the page, its
  // fetches never pass through it, and on a first visit the worker may ask
  // for the guide before or after this (test-web's offline tests saw both).
  navigator.serviceWorker.addEventListener("controllerchange", () => keepGuide());
}

// Fetches the shown language's guide voice through the offline copy, which
// keeps it (sw.js), unless the copy has it already.
async function keepGuide() {
  const tag = $("language").value || (await firstLanguage());
  const path = `guides/${tag}.tar`;
  if (!self.caches || (await caches.match(path))) return;
  await fetch(path).catch(() => {});
}
if (typeof PerformanceObserver !== "undefined") {
  try {
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) {
        measured.longTasks.push({ at: task.startTime, ms: task.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (_) {
    // No long-task timing in this browser.
  }
}

let promptList = [];
let mic = null;
const voice = voices({
  engine,
  context: async () => {
    await audio;
    return context;
  },
  prompts: () => promptList,
  remembered: () => wanted,
  screens: (name) => {
    $("start").hidden = name !== "start";
    $("recorder").hidden = name !== "recorder";
  },
});

engine.onmessage = (event) => {
  const m = event.data;
  if (voice.message(m)) return;
  if (m.type === "choices") {
    promptList = m.prompts;
    showLanguages(m.languages, m.language);
    showChoices(m.choices);
  }
  else if (m.type === "status") show(m.status);
  else if (m.type === "started") Object.assign(measured, { built: m.built, firstBlocks: m.firstBlocks, engineStarted: performance.now() });
  else if (m.type === "mic") measured.micLoudest = m.loudest;
  else if (m.type === "error") problem(m.message);
};
engine.onerror = (event) => problem(`The app could not start: ${event.message || "its engine failed to load"}`);
// The languages this build has a guide voice for (tools/build-web lists
// them, English first); each one's is fetched when it is played.
const spoken = fetch("guides.json")
  .then((r) => (r.ok ? r.json() : []))
  .catch(() => []);

// The language to start in: the one chosen before, else the browser's
// when soothe speaks it, else English.
async function firstLanguage() {
  const have = await spoken;
  const was = saved().language;
  if (have.includes(was)) return was;
  for (const wanted of navigator.languages || [navigator.language]) {
    const tag = have.find((t) => t.toLowerCase() === wanted.toLowerCase())
      || have.find((t) => t.split("-")[0] === wanted.split("-")[0].toLowerCase());
    if (tag) return tag;
  }
  return "en";
}

firstLanguage().then((language) => engine.postMessage({ type: "choices", language }));

async function showLanguages(all, language) {
  const have = await spoken;
  const menu = $("language");
  menu.replaceChildren(...all.filter((l) => have.includes(l.name)).map((l) => new Option(l.about, l.name)));
  menu.value = language;
  $("language-choice").hidden = menu.options.length < 2;
  document.documentElement.lang = language;
}

function problem(message) {
  if (voice.problem(message)) return;
  $("problem").textContent = message;
  $("problem").hidden = false;
  $("loading").hidden = true;
  $("start").hidden = false;
  $("session").hidden = true;
}

function saved() {
  try {
    return JSON.parse(localStorage.getItem(SAVED)) || {};
  } catch (_) {
    return {};
  }
}

function showChoices(choices) {
  rate = choices.sample_rate;
  const was = saved();
  const variants = $("variants");
  const options = $("options");
  // Drawn again in another language: what is ticked stays ticked.
  const ticked = $("choices").hidden ? null : chosen();
  if (ticked) Object.assign(was, ticked);
  for (const set of [variants, options]) set.replaceChildren(set.querySelector("legend"));
  choices.variants.forEach((v, i) => {
    variants.append(choice("radio", "variant", v.name, v.about, was.variant ? was.variant === v.name : i === 0));
  });
  for (const o of choices.options) {
    options.append(choice("checkbox", "option", o.name, o.about, (was.options || []).includes(o.name)));
  }
  $("brief-mode").hidden = !choices.brief;
  $("brief").checked = Boolean(was.brief);
  $("listening").checked = Boolean(was.listening);
  $("sensitivity").value = was.sensitivity || "normal";
  wanted = was.voice || "";
  $("loading").hidden = true;
  $("choices").hidden = false;
  $("go").focus();
  if (!audio) prepare();
}

function choice(type, name, value, about, checked) {
  const label = document.createElement("label");
  label.className = "choice";
  const input = document.createElement("input");
  Object.assign(input, { type, name, value, checked });
  const words = document.createElement("span");
  words.textContent = value.replace(/-/g, " ");
  label.title = about;
  label.append(input, words);
  return label;
}

// The voice remembered, chosen once the engine has said which voices
// this device keeps.
let wanted = "";

function chosen() {
  const form = $("choices");
  return {
    variant: form.querySelector("input[name=variant]:checked")?.value || "",
    options: [...form.querySelectorAll("input[name=option]:checked")].map((i) => i.value),
    brief: $("brief").checked,
    voice: voice.chosen(),
    listening: $("listening").checked,
    sensitivity: $("sensitivity").value,
    language: $("language").value || "en",
  };
}

// The audio context and the worklet are made as soon as the page knows
// the session's rate, so that Start only has to resume them. (Made
// without a tap, the context waits, suspended, for one: Safari's rule.)
let audio = null;

function prepare() {
  audio = (async () => {
    context = new AudioContext({ sampleRate: rate, latencyHint: "playback" });
    await context.audioWorklet.addModule("worklet.js");
    worklet = new AudioWorkletNode(context, "soothe-far-end", {
      numberOfInputs: 0,
      outputChannelCount: [1],
    });
    worklet.port.onmessage = (e) => {
      if (e.data.type === "began") Object.assign(measured, { began: performance.now(), beganFrame: e.data.frame });
      if (e.data.type === "sounded") measured.sounded = performance.now();
      if (e.data.type === "starved") measured.starved = e.data.samples;
    };
    worklet.connect(context.destination);
  })();
  audio.catch((error) => problem(`The sound cannot play here: ${error.message || error}`));
}

// The first tap on the start screen (choosing an option) already starts
// the audio stream, which can take the browser a while, so that Start is
// heard sooner.
document.addEventListener(
  "pointerdown",
  () => {
    if (context && context.state === "suspended") context.resume();
  },
  { once: true },
);

async function start() {
  if (playing || $("choices").hidden || !audio) return;
  playing = true;
  measured.started = performance.now();
  const choices = chosen();
  localStorage.setItem(SAVED, JSON.stringify(choices));
  // Resumed inside the tap: Safari starts audio only from one.
  const resumed = context ? context.resume() : null;
  $("start").hidden = true;
  $("session").hidden = false;
  try {
    await audio;
    const ring = new MessageChannel();
    worklet.port.postMessage({ port: ring.port1 }, [ring.port1]);
    engine.postMessage({ type: "start", ...choices, port: ring.port2 }, [ring.port2]);
    await (resumed || context.resume());
    measured.running = performance.now();
  } catch (error) {
    problem(`The sound could not start: ${error.message || error}`);
    return;
  }
  mediaKeys();
  keepAwake(true);
  if (choices.listening) listen();
}

// Listening for crying: the microphone, with the browser's echo
// cancellation, into the engine's listener (the one `play --listen`
// uses). Without it the session plays on, and says so.
async function listen() {
  try {
    mic = await microphone(context, true);
    engine.postMessage({ type: "listen", port: mic.port }, [mic.port]);
    text("heard", "Listening for crying.");
  } catch (error) {
    text("heard", `Not listening for crying. ${refused(error)}`);
  }
}

function press(action) {
  if (!status || status.finished) return;
  engine.postMessage({ type: "press", action, now: performance.now() });
}

// The latest status is drawn once per frame, touching only what changed.
let drawing = false;

function show(s) {
  status = s;
  if (!drawing) {
    drawing = true;
    requestAnimationFrame(draw);
  }
}

function text(id, value) {
  const element = $(id);
  if (element.textContent !== value) element.textContent = value;
}

function draw() {
  drawing = false;
  const s = status;
  drawn = s;
  text("step", `Step ${s.step + 1} of ${s.steps}`);
  text("title", s.title);
  text("count", s.count || "");
  text("words", s.words || "");
  $("bar").style.transform = `scaleX(${(s.position / Math.max(1, s.total)).toFixed(4)})`;
  text("left", `${s.left} left`);
  text("state", s.held ? "Waiting for you" : s.paused ? "Paused" : "");
  if (s.held) {
    text("heard", "Your baby is crying. Comfort them; tap to go on, or Baby's done to finish.");
  } else if (s.hearing) {
    text("heard", s.hearing === "fussing" ? "Listening: a little fussing." : "Listening for crying.");
  }
  $("heard").classList.toggle("crying", s.held);
  $("session").classList.toggle("held", s.held);
  text("next", s.next ? `Next: ${s.next}` : "The last step");
  $("session").classList.toggle("paused", s.paused);
  if ("mediaSession" in navigator) {
    navigator.mediaSession.playbackState = s.paused ? "paused" : "playing";
    if (navigator.mediaSession.metadata?.title !== s.title && window.MediaMetadata) {
      navigator.mediaSession.metadata = new MediaMetadata({ title: s.title, artist: "soothe" });
    }
  }
  const awake = !s.paused && !s.finished;
  if (awake !== Boolean(wakeLock)) keepAwake(awake);
  if (s.finished) finish();
}

function finish() {
  if (mic) mic.stop();
  mic = null;
  $("session").hidden = true;
  $("end").hidden = false;
  if (context) context.close();
  context = null;
}

function mediaKeys() {
  if (!("mediaSession" in navigator)) return;
  const on = (name, action) => {
    try {
      navigator.mediaSession.setActionHandler(name, () => press(action));
    } catch (_) {
      // This browser has no such button.
    }
  };
  on("play", "resume");
  on("pause", "pause");
  on("nexttrack", "next");
  on("previoustrack", "back");
  on("stop", "done");
}

// The screen stays on while the session plays: a locked phone stops Web
// Audio.
async function keepAwake(on) {
  if (!("wakeLock" in navigator)) return;
  try {
    if (on && !wakeLock) {
      wakeLock = "asking";
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => {
        wakeLock = null;
      });
    } else if (!on && wakeLock && wakeLock !== "asking") {
      const lock = wakeLock;
      wakeLock = null;
      await lock.release();
    }
  } catch (_) {
    wakeLock = null;
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && status && !status.paused && !status.finished) {
    keepAwake(true);
  }
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.altKey || event.metaKey) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (!$("start").hidden) {
    if (key === " " || key === "Enter") {
      event.preventDefault();
      start();
    }
    return;
  }
  if (!$("session").hidden && KEYS[key]) {
    event.preventDefault();
    press(KEYS[key]);
  }
});

$("language").addEventListener("change", () => {
  engine.postMessage({ type: "choices", language: $("language").value });
});

$("choices").addEventListener("submit", (event) => {
  event.preventDefault();
  start();
});
$("session").addEventListener("click", (event) => {
  if (!event.target.closest("button")) press("toggle");
});
$("back").addEventListener("click", () => press("back"));
$("forward").addEventListener("click", () => press("next"));
$("done").addEventListener("click", () => press("done"));
$("again").addEventListener("click", () => location.reload());
