// The parent's own voice on the phone: recording prompt by prompt, as
// `soothe record` does (the words on screen; a take ends when the parent
// falls silent; keep it or say it again), choosing the voice, and a voice
// to a file and back (the file `soothe voices --export` and `--import`
// use). The engine (engine.js) listens, cleans each take up and keeps it
// on this device; nothing is uploaded.

const $ = (id) => document.getElementById(id);

// Opens the microphone into the engine: its pieces go to a port the
// engine reads. `clean`: the browser's echo cancellation (for listening
// while the session plays), or the raw sound (for a take).
export async function microphone(context, clean) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: clean, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, "soothe-mic", { numberOfInputs: 1, numberOfOutputs: 1 });
  // Kept running by the graph, and heard by no one.
  const mute = context.createGain();
  mute.gain.value = 0;
  const channel = new MessageChannel();
  node.port.postMessage({ port: channel.port1 }, [channel.port1]);
  source.connect(node).connect(mute).connect(context.destination);
  return {
    port: channel.port2,
    stop() {
      source.disconnect();
      node.disconnect();
      mute.disconnect();
      for (const track of stream.getTracks()) track.stop();
    },
  };
}

// What a page without the microphone says.
export function refused(error) {
  return error && error.name === "NotAllowedError"
    ? "The microphone is not allowed for this page. Allow it in the browser's site settings, then try again."
    : `The microphone cannot be used here: ${error && error.message ? error.message : error}`;
}

export function voices({ engine, context, prompts, remembered, screens }) {
  let list = [];
  let at = 0;
  let mic = null;
  let taking = false;

  const chosen = () => $("voice").value;
  const name = () => $("voice-name").value.trim();

  function show(voices, select) {
    list = voices;
    const keep = select ?? (chosen() || remembered());
    const menu = $("voice");
    menu.replaceChildren(new Option("The guide", ""));
    for (const v of voices) menu.append(new Option(`${v.name} (${v.takes} of ${prompts().length})`, v.name));
    menu.value = voices.some((v) => v.name === keep) ? keep : "";
    $("export").hidden = !menu.value;
  }

  function note(text) {
    $("voice-note").textContent = text;
  }

  function state(text) {
    $("take-state").textContent = text;
  }

  function promptShown() {
    const all = prompts();
    const p = all[at];
    $("prompt-at").textContent = `Prompt ${at + 1} of ${all.length}`;
    $("prompt-words").textContent = p.about;
    $("take-play").hidden = true;
    $("take-keep").hidden = true;
    $("take-redo").hidden = true;
    $("take").hidden = false;
    $("take").textContent = "Record";
    state("Tap Record, then say the words.");
  }

  async function begin() {
    if (!/^[a-z0-9_][a-z0-9_-]*$/.test(name())) {
      state("Give this voice a name first: lowercase letters and digits, such as mum.");
      $("voice-name").focus();
      return;
    }
    try {
      const ctx = await context();
      await ctx.resume();
      mic = await microphone(ctx, false);
    } catch (error) {
      state(refused(error));
      return;
    }
    taking = true;
    $("take").textContent = "Stop";
    state("Listening… say the words.");
    engine.postMessage({ type: "take-begin", id: prompts()[at].name, rate: (await context()).sampleRate, port: mic.port }, [mic.port]);
  }

  function end() {
    taking = false;
    if (mic) mic.stop();
    mic = null;
    $("take").textContent = "Record";
  }

  // The engine's news of the take.
  function heard(m) {
    if (m.heard === "speaking") {
      state("Speaking… a pause ends the take.");
      return;
    }
    if (m.heard === "waiting") return;
    end();
    if (!m.wav) {
      state("Nothing was heard. Hold the phone a little closer and try again.");
      return;
    }
    const player = $("take-play");
    if (player.src) URL.revokeObjectURL(player.src);
    player.src = URL.createObjectURL(new Blob([m.wav], { type: "audio/wav" }));
    player.hidden = false;
    $("take").hidden = true;
    $("take-keep").hidden = false;
    $("take-redo").hidden = false;
    state(m.heard === "too-long" ? "That take reached a minute, the longest one may be. Keep it?" : "Listen back. Keep it?");
  }

  $("take").addEventListener("click", () => {
    if (taking) engine.postMessage({ type: "take-stop" });
    else begin();
  });
  $("take-redo").addEventListener("click", promptShown);
  $("take-keep").addEventListener("click", () => {
    engine.postMessage({ type: "take-keep", voice: name(), id: prompts()[at].name });
  });
  $("prompt-next").addEventListener("click", () => {
    at = Math.min(at + 1, prompts().length - 1);
    promptShown();
  });
  $("prompt-back").addEventListener("click", () => {
    at = Math.max(at - 1, 0);
    promptShown();
  });
  $("record-open").addEventListener("click", () => {
    $("voice-name").value = chosen();
    at = 0;
    promptShown();
    screens("recorder");
  });
  $("record-done").addEventListener("click", () => {
    if (taking) engine.postMessage({ type: "take-stop" });
    end();
    show(list, name() || chosen());
    screens("start");
  });
  $("voice").addEventListener("change", () => {
    $("export").hidden = !chosen();
    note("");
  });
  $("export").addEventListener("click", () => engine.postMessage({ type: "voice-file", voice: chosen() }));
  $("import").addEventListener("click", () => $("import-file").click());
  $("import-file").addEventListener("change", async () => {
    const file = $("import-file").files[0];
    if (!file) return;
    note(`Reading ${file.name}…`);
    const bytes = await file.arrayBuffer();
    engine.postMessage({ type: "voice-import", bytes }, [bytes]);
    $("import-file").value = "";
  });

  return {
    show,
    chosen,
    // The engine's messages about voices; true if it was one.
    message(m) {
      if (m.type === "voices") show(m.voices);
      else if (m.type === "take") heard(m);
      else if (m.type === "kept") {
        show(m.voices, name());
        state("Kept.");
        if (at < prompts().length - 1) {
          at += 1;
          promptShown();
          state("Kept. Now the next prompt.");
        }
      } else if (m.type === "imported") {
        if (m.language === $("language").value) show(m.voices, m.name);
        else show(m.voices);
        note(`Added the voice "${m.name}" (${m.takes} takes, in ${m.language}).`);
      } else if (m.type === "import-failed") {
        note(`That file is not a voice soothe can read: ${m.message}.`);
      } else if (m.type === "voice-file") {
        const link = document.createElement("a");
        link.href = URL.createObjectURL(new Blob([m.bytes], { type: "application/x-tar" }));
        link.download = `${m.name}.soothe-voice`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
        window.soothe.voiceFile = m.bytes;
        note(`Saved as ${m.name}.soothe-voice. On a computer: soothe voices --import ${m.name}.soothe-voice`);
      } else return false;
      return true;
    },
    // A problem while on the recording screen, said there.
    problem(message) {
      if ($("recorder").hidden) return false;
      end();
      state(message);
      return true;
    },
  };
}
