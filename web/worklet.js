// The far end of the engine's ring, on the audio thread: it plays the
// blocks the engine made (engine.js), in order, and is the session's
// clock, as the command line's device writer is. A pause holds the queue
// where it is (nothing lost, nothing repeated); a jump drops the blocks
// made before it, fading out over the engine's fade what it cuts short;
// a stop fades out and ends. It tells the engine the position being
// heard, the jump it belongs to, and how many blocks it has used.

const REPORT_FRAMES = 512;

class SessionFarEnd extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];
    this.current = null;
    this.at = 0;
    this.paused = false;
    this.cut = 0;
    this.fade = 576;
    this.tail = null;
    this.tailAt = 0;
    this.stopping = false;
    this.finished = false;
    this.consumed = 0;
    this.position = 0;
    this.jumped = 0;
    this.sinceReport = 0;
    this.sounded = false;
    // Samples played as silence because the engine's next block was not
    // there yet (the tests report it).
    this.starved = 0;
    this.started = false;
    this.ring = null;
    this.port.onmessage = (event) => {
      this.ring = event.data.port;
      this.ring.onmessage = (message) => this.take(message.data);
    };
  }

  take(m) {
    if (m.type === "begin") {
      this.fade = m.fade;
    } else if (m.type === "block") {
      if (m.jumped < this.cut || this.stopping) this.consumed += 1;
      else this.queue.push(m);
    } else if (m.type === "control") {
      this.paused = m.paused;
      if (m.cut > this.cut) {
        this.cut = m.cut;
        this.cutShort((block) => block.jumped < this.cut);
      }
      this.report();
    } else if (m.type === "stop") {
      this.stopping = true;
      this.cutShort(() => true);
      this.report();
    }
  }

  // Drops the current block and the queued ones `old` says are old,
  // keeping their next samples, faded out, as the tail to play first.
  cutShort(old) {
    const tail = new Float32Array(this.paused ? 0 : this.fade);
    let filled = 0;
    if (this.tail) {
      filled = Math.min(tail.length, this.tail.length - this.tailAt);
      tail.set(this.tail.subarray(this.tailAt, this.tailAt + filled));
    }
    const blocks = this.current ? [this.current] : [];
    let at = this.current ? this.at : 0;
    while (this.queue.length && old(this.queue[0])) blocks.push(this.queue.shift());
    for (const block of blocks) {
      const n = Math.min(tail.length - filled, block.len - at);
      if (n > 0) tail.set(block.samples.subarray(at, at + n), filled);
      filled += Math.max(n, 0);
      at = 0;
    }
    for (let k = 0; k < filled; k++) tail[k] *= (filled - k) / filled;
    this.tail = tail.subarray(0, filled);
    this.tailAt = 0;
    this.consumed += blocks.length;
    this.current = null;
    this.at = 0;
    if (this.stopping) {
      this.consumed += this.queue.length;
      this.queue = [];
    }
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const first = out[0];
    const n = first.length;
    let i = 0;
    if (!this.paused) {
      if (this.tail) {
        const k = Math.min(n, this.tail.length - this.tailAt);
        first.set(this.tail.subarray(this.tailAt, this.tailAt + k));
        this.tailAt += k;
        i = k;
        if (this.tailAt >= this.tail.length) this.tail = null;
      }
      while (i < n && !this.stopping) {
        if (!this.current) {
          const block = this.queue.shift();
          if (!block) {
            if (this.started) this.starved += n - i;
            break;
          }
          if (!this.started) this.port.postMessage({ type: "began", frame: currentFrame });
          this.started = true;
          if (block.len === 0) {
            this.consumed += 1;
            this.position = block.end;
            this.stopping = true;
            break;
          }
          this.current = block;
          this.at = 0;
        }
        const block = this.current;
        const k = Math.min(n - i, block.len - this.at);
        first.set(block.samples.subarray(this.at, this.at + k), i);
        i += k;
        this.at += k;
        this.jumped = block.jumped;
        this.position = block.end - block.advanced + Math.min(this.at, block.advanced);
        if (this.at >= block.len) {
          this.current = null;
          this.consumed += 1;
        }
      }
    }
    first.fill(0, i);
    for (let c = 1; c < out.length; c++) out[c].set(first);
    if (!this.sounded && first.some((s) => Math.abs(s) > 1e-4)) {
      this.sounded = true;
      this.port.postMessage({ type: "sounded", frame: currentFrame });
    }
    if (this.stopping && !this.tail && !this.finished) {
      this.finished = true;
      this.report();
    }
    this.sinceReport += n;
    if (this.sinceReport >= REPORT_FRAMES) this.report();
    return true;
  }

  report() {
    this.sinceReport = 0;
    if (!this.ring) return;
    this.port.postMessage({ type: "starved", samples: this.starved });
    this.ring.postMessage({
      position: this.position,
      jumped: this.jumped,
      consumed: this.consumed,
      finished: this.finished,
    });
  }
}

registerProcessor("soothe-far-end", SessionFarEnd);

// The microphone, for listening and for recording a take: its samples go
// to the engine in pieces of about 40 ms, through the port the page gives.
// Nothing is kept here.
const MIC_PIECE = 2048;

class Microphone extends AudioWorkletProcessor {
  constructor() {
    super();
    this.to = null;
    this.piece = new Float32Array(MIC_PIECE);
    this.filled = 0;
    this.port.onmessage = (event) => {
      this.to = event.data.port;
    };
  }

  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input || !this.to) return true;
    let at = 0;
    while (at < input.length) {
      const n = Math.min(input.length - at, MIC_PIECE - this.filled);
      this.piece.set(input.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === MIC_PIECE) {
        this.to.postMessage({ samples: this.piece, rate: sampleRate }, [this.piece.buffer]);
        this.piece = new Float32Array(MIC_PIECE);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor("soothe-mic", Microphone);
