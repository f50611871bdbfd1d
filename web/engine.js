// The engine's thread: soothe-core (through soothe-web's wasm) makes the
// session's blocks here, a little ahead of the AudioWorklet that plays
// them, as the command line's feeder thread does. Decoding a prompt takes
// a while; here it never holds up the page. Every press goes to the
// engine's Remote, the command line's; the page only shows the status.

import init, { choices, Player } from "./soothe_web.js";

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

onmessage = async (event) => {
  const m = event.data;
  try {
    await ready;
    if (m.type === "choices") {
      postMessage({ type: "choices", choices: JSON.parse(choices()) });
    } else if (m.type === "start") {
      start(m);
    } else if (m.type === "press" && player) {
      press(m.action, m.now);
    }
  } catch (error) {
    postMessage({ type: "error", message: String(error && error.message ? error.message : error) });
  }
};

function start(m) {
  const asked = performance.now();
  player = new Player(m.variant, m.options, m.brief);
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
