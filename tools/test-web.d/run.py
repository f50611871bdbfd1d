"""The web app's tests, in headless Chromium (see tools/test-web).

Each test gets a fresh browser profile; they share one PulseAudio server
whose null sink's monitor is recorded while the page plays, and one static
server for target/web. Sound is compared with `soothe render` of the same
session, window by window after alignment.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import wave_match as wm
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

RATE = 48000
TARGET = sys.argv[1]
WEB = os.path.join(TARGET, "web")
OUT = os.path.join(TARGET, "web-test")
SOOTHE = os.path.join(TARGET, "debug", "soothe")
THROTTLE = float(os.environ.get("SOOTHE_WEB_THROTTLE", "1"))


class Failure(Exception):
    pass


def check(ok, message):
    if not ok:
        raise Failure(message)


def wait_for(what, predicate, timeout=20.0, step=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out waiting for {what}")
        time.sleep(step)


class Pulse:
    """A private PulseAudio server with a 48 kHz null sink `s`."""

    def __init__(self, root):
        self.dir = os.path.join(root, "pulse")
        os.makedirs(self.dir)
        script = os.path.join(self.dir, "default.pa")
        with open(script, "w") as f:
            f.write(
                f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.dir}/native\n"
                f"load-module module-null-sink sink_name=s rate={RATE} channels=2 format=float32le\n"
                "set-default-sink s\n"
            )
        # The server's own rate is 48 kHz too, so that Chromium's stream
        # reaches the sink unresampled.
        daemon = os.path.join(self.dir, "daemon.conf")
        with open(daemon, "w") as f:
            f.write(f"default-sample-rate = {RATE}\nalternate-sample-rate = {RATE}\n"
                    "default-sample-format = float32le\n")
        self.env = {
            "PULSE_SERVER": f"unix:{self.dir}/native",
            "PULSE_CLIENTCONFIG": "/dev/null",
            "XDG_RUNTIME_DIR": self.dir,
        }
        log = open(os.path.join(self.dir, "pulse.log"), "w")
        self.child = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
             "--use-pid-file=no", "--disable-shm=yes", "-F", script],
            env={**os.environ, "HOME": self.dir, "XDG_CONFIG_HOME": self.dir + "/config",
                 "PULSE_CONFIG": daemon, **self.env},
            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        wait_for("PulseAudio", lambda: subprocess.run(
            ["pactl", "info"], env={**os.environ, **self.env},
            capture_output=True).returncode == 0, timeout=15)

    def record(self, path):
        return subprocess.Popen(
            ["parec", "-d", "s.monitor", f"--rate={RATE}", "--channels=1",
             "--format=float32le", "--raw", "--latency-msec=20", path],
            env={**os.environ, **self.env}, stdout=subprocess.DEVNULL)

    def stop(self):
        self.child.terminate()
        self.child.wait()


class Server:
    """`python3 -m http.server` on target/web, on localhost (a secure context)."""

    def __init__(self):
        self.port = None
        self.child = None

    def start(self):
        import socket
        if self.port is None:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.port = s.getsockname()[1]
        self.child = subprocess.Popen(
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "-d", WEB, str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for("the static server", self.up, timeout=10)

    def up(self):
        import urllib.request
        try:
            urllib.request.urlopen(self.url, timeout=1).read()
            return True
        except OSError:
            return False

    @property
    def url(self):
        return f"http://localhost:{self.port}/"

    def stop(self):
        self.child.terminate()
        self.child.wait()


def browser(root, pulse, width=390, height=844, mic=None, loop=False, deny=False):
    profile = tempfile.mkdtemp(dir=root, prefix="profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", f"--user-data-dir={profile}",
                f"--window-size={width},{height}", "--disable-gpu",
                "--no-first-run", "--disable-background-timer-throttling"]:
        options.add_argument(arg)
    if mic:
        # Chromium's fake microphone plays `mic` (a WAV) once, then silence
        # (or again and again, `loop`); the page is let use it without asking.
        once = "" if loop else "%noloop"
        for arg in ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                    f"--use-file-for-fake-audio-capture={mic}{once}"]:
            options.add_argument(arg)
    if deny:
        # A parent who said no to the microphone.
        options.add_argument("--use-fake-device-for-media-stream")
        options.add_argument("--deny-permission-prompts")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Chromium's stream to the sound server gets 100 ms of buffer, as a
    # phone's output has: on this busy two-core machine a shorter one runs
    # dry now and then, and the server then drops what came late (the
    # worklet, which counts it, is never short of the engine's samples).
    service = webdriver.ChromeService(
        executable_path="/usr/bin/chromedriver",
        env={**os.environ, **pulse.env, "PULSE_LATENCY_MSEC": "100"})
    driver = webdriver.Chrome(service=service, options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    if THROTTLE != 1:
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    return driver


def ready(driver, url):
    driver.get(url)
    wait_for("the start screen", lambda: driver.execute_script(
        "return !document.getElementById('choices').hidden"))


def key(driver, k):
    ActionChains(driver).send_keys(k).perform()


def status(driver):
    return driver.execute_script("return window.soothe.status()")


def playing_from(driver, minimum):
    """Waits until the page has played past `minimum` and returns its status."""
    return wait_for(f"the session to reach sample {minimum}", lambda: (
        (s := status(driver)) and s["position"] > minimum and s))


def plan(*args):
    out = subprocess.run([SOOTHE, "plan", "--json", *args], check=True,
                         capture_output=True, env=soothe_env()).stdout
    return json.loads(out)


def soothe_env():
    # No settings file of the user's: the levels are the defaults.
    home = tempfile.mkdtemp(prefix="soothe-home-")
    return {**os.environ, "HOME": home, "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home,
            "XDG_STATE_HOME": home}


def rendered(seconds, *args):
    return wm.render(SOOTHE, soothe_env(), seconds * RATE, *args)


def latency(driver):
    return driver.execute_script(
        "const c = window.soothe.context(); return c ? c.baseLatency + (c.outputLatency || 0) : 0")


# The tests.

def test_space_starts_the_session_pauses_and_goes_on_from_the_same_sample(ctx):
    driver = ctx.browser()
    ready(driver, ctx.server.url)
    if os.environ.get("SOOTHE_WEB_TAP_FIRST"):
        # A parent taps a choice first: the audio stream starts then.
        driver.find_element(By.CSS_SELECTOR, "input[value=relaxing]").click()
        time.sleep(2)
    recording = os.path.join(ctx.root, "session.f32")
    parec = ctx.pulse.record(recording)
    time.sleep(0.5)
    key(driver, " ")
    playing_from(driver, 6 * RATE)
    before = status(driver)["position"]
    key(driver, " ")
    wait_for("the pause", lambda: status(driver)["paused"])
    # (The worklet may play on for a few ms until the press reaches it.)
    time.sleep(0.3)
    paused = status(driver)
    time.sleep(1.2)
    check(status(driver)["position"] == paused["position"],
          "the clock moved on while paused")
    key(driver, " ")
    playing_from(driver, paused["position"] + 4 * RATE)
    played = status(driver)["position"]
    parec.terminate()
    parec.wait()
    shot(driver, "session")
    heard = wm.read_f32(recording)
    render = rendered(16)
    keep(recording, "session.f32")
    result = wm.compare_with_pause(heard, render, RATE, played)
    print(f"    {result['summary']}")
    check(not result["missing"], f"voiced 100 ms windows of the render missing from the recording "
          f"(render seconds): {result['missing'][:10]}")
    check(result["pause"] >= 1.0, f"the longest silence let in was {result['pause']:.2f} s, "
          "not the pause")
    after_key = (result["paused_at"] - before) / RATE + latency(driver)
    ctx.measure("pause heard after the key (s)", after_key)
    check(after_key <= 0.25, f"the pause was heard {after_key:.3f} s after the key")
    measured = driver.execute_script("return window.soothe.measured")
    ctx.measure("samples the worklet waited for the engine", measured["starved"])
    # Gaps of silence the browser's output let in on this busy machine are
    # told above; the app itself must never keep the worklet waiting.
    check(measured["starved"] == 0, f"the worklet waited {measured['starved']} samples "
          "for the engine's blocks")
    out = 1000 * latency(driver)
    ctx.measure("audio running after Start (ms)", measured["running"] - measured["started"])
    ctx.measure("output latency (ms)", out)
    ctx.measure("the session's first sample heard after Start (ms)",
                measured["began"] - measured["started"] + out)
    ctx.measure("the first word heard after Start (ms, the script begins with 0.5 s of quiet)",
                measured["sounded"] - measured["started"] + out)
    ctx.long_tasks(measured)


def test_the_dom_shows_n_of_m_on_the_chimes_as_the_plan_has_them(ctx):
    driver = ctx.browser()
    ready(driver, ctx.server.url)
    key(driver, " ")
    playing_from(driver, RATE // 2)
    key(driver, "n")
    the_plan = plan()
    chimes = [e for e in the_plan["events"] if e["kind"] == "chime" and e["step"] == "feet"]
    seen = set()
    deadline = time.monotonic() + 40
    while len(seen) < 3 and time.monotonic() < deadline:
        # The status the screen was drawn from: the latest one is drawn
        # at the next frame.
        s, shown = driver.execute_script(
            "return [window.soothe.shown(), document.getElementById('count').textContent]")
        last = [c for c in chimes if s and c["start_sample"] <= s["position"]]
        if last and s["step"] == 1:
            want = f"{last[-1]['stroke']} of {last[-1]['of']}"
            check(shown == want, f"at sample {s['position']} the page shows {shown!r}, "
                  f"the plan {want!r}")
            seen.add(shown)
        time.sleep(0.05)
    check(len(seen) >= 3, f"saw only {sorted(seen)} of the feet's chimes")
    print(f"    counts seen: {sorted(seen)}")
    shot(driver, "count")


def test_next_back_and_babys_done_follow_the_plan(ctx):
    driver = ctx.browser()
    ready(driver, ctx.server.url)
    steps = plan()["steps"]
    key(driver, " ")
    playing_from(driver, RATE // 2)

    def at_step(index, within=1.0):
        start = steps[index]["start_sample"]
        s = wait_for(f"step {index}", lambda: (
            (s := status(driver))["step"] == index and s["position"] >= start and s))
        check(s["position"] < start + within * RATE,
              f"step {index} ({steps[index]['id']}) heard from {s['position']}, not its start {start}")
        check(s["title"] == steps[index]["title"], f"shows {s['title']!r}")
        return s

    key(driver, "n")
    at_step(1)
    key(driver, "n")
    at_step(2)
    time.sleep(0.3)
    # Back restarts the step; again within 1.5 s, the step before.
    key(driver, "b")
    at_step(2)
    key(driver, Keys.PAGE_UP)
    at_step(1)
    driver.find_element(By.ID, "forward").click()
    at_step(2)
    recording = os.path.join(ctx.root, "close.f32")
    parec = ctx.pulse.record(recording)
    time.sleep(0.3)
    driver.find_element(By.ID, "done").click()
    close = len(steps) - 1
    at_step(close)
    wait_for("the end screen", lambda: driver.execute_script(
        "return !document.getElementById('end').hidden"), timeout=40)
    parec.terminate()
    parec.wait()
    check(driver.find_element(By.ID, "ending").text == "Finished", "no 'Finished'")
    heard = wm.read_f32(recording)
    render = rendered(16, "--from", steps[close]["id"])
    found = wm.find_render(heard, render, RATE)
    print(f"    the close: {found['summary']}")
    check(not found["missing"], f"voiced windows of the close missing: {found['missing'][:10]}")


def kept(driver, path):
    """Whether the offline copy (the service worker's cache) holds `path`."""
    return driver.execute_async_script(
        "caches.match(arguments[0]).then((r) => arguments[1](Boolean(r)))", path)


def offline_copy(ctx):
    """A browser on the page, once the offline copy answers it and keeps
    the guide voice of the language shown (English)."""
    driver = ctx.browser()
    ready(driver, ctx.server.url)
    wait_for("the service worker", lambda: driver.execute_script(
        "return navigator.serviceWorker.controller !== null"), timeout=30)
    wait_for("English's guide voice kept offline", lambda: kept(driver, "guides/en.tar"),
             timeout=30)
    return driver


def test_offline_the_page_reloads_and_plays_in_the_english_guide_kept_on_the_first_visit(ctx):
    # English, the language shown, has its guide voice kept without a
    # session having played.
    driver = offline_copy(ctx)
    ctx.server.stop()
    try:
        driver.refresh()
        ready(driver, ctx.server.url)
        recording = os.path.join(ctx.root, "offline.f32")
        parec = ctx.pulse.record(recording)
        time.sleep(0.5)
        key(driver, " ")
        playing_from(driver, 8 * RATE)
        parec.terminate()
        parec.wait()
    finally:
        ctx.server.start()
    found = wm.find_render(wm.read_f32(recording), rendered(10), RATE)
    print(f"    {found['summary']}")
    check(not found["missing"], f"voiced windows of the English render missing offline: "
          f"{found['missing'][:10]}")


def test_offline_spanish_never_chosen_says_it_has_no_guide_voice_yet(ctx):
    driver = offline_copy(ctx)
    check(not kept(driver, "guides/es.tar"), "Spanish's guide voice was fetched unasked")
    ctx.server.stop()
    try:
        driver.refresh()
        ready(driver, ctx.server.url)
        Select(driver.find_element(By.ID, "language")).select_by_value("es")
        wait_for("the choices in Spanish", lambda: driver.execute_script(
            "return document.documentElement.lang") == "es")
        key(driver, " ")
        said = wait_for("the page to say what it lacks", lambda: driver.execute_script(
            "const p = document.getElementById('problem'); return !p.hidden && p.textContent"))
    finally:
        ctx.server.start()
    check(said == "The guide voice in Español could not be loaded: there is no network, "
          "and this device has not kept it yet", f"the page says {said!r}")
    check(driver.find_element(By.ID, "start").is_displayed(),
          "the start screen is not shown again")


def test_the_start_screen_remembers_the_choices(ctx):
    driver = ctx.browser()
    ready(driver, ctx.server.url)
    shot(driver, "start")
    driver.find_element(By.CSS_SELECTOR, "input[value=invigorating]").click()
    driver.find_element(By.CSS_SELECTOR, "input[value=colic]").click()
    driver.find_element(By.ID, "brief").click()
    driver.execute_script("document.getElementById('sensitivity').value = 'low'")
    key(driver, " ")
    playing_from(driver, RATE // 4)
    driver.refresh()
    ready(driver, ctx.server.url)
    chosen = driver.execute_script(
        "return [...document.querySelectorAll('input:checked')].map(i => i.name + '=' + i.value)")
    check(chosen == ["variant=invigorating", "option=colic", "=on"],
          f"remembered {chosen}")
    sensitivity = driver.execute_script("return document.getElementById('sensitivity').value")
    check(sensitivity == "low", f"remembered sensitivity {sensitivity!r}")
    total = plan("--variant", "invigorating", "--with", "colic", "--brief")["total_samples"]
    key(driver, " ")
    s = playing_from(driver, 0)
    check(s["total"] == total, f"the page plays {s['total']} samples, the plan has {total}")


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "data")
CRY = os.path.join(REPO, "tests", "fixtures", "cries",
                   "7B924575-21FC-462A-969E-BABB46D1CBF5-1430055243-1.0-f-72-hu.wav")


def real(name):
    """A development-set recording of ../shared/data (see its README)."""
    path = os.path.join(SHARED, name)
    check(os.path.exists(path), f"{path} is missing: the tests need ../shared beside the checkout")
    return path


def microphone_file(root, name, parts, lead=0.5, tail=4.0):
    """A WAV for the fake microphone: `lead` s of silence, the WAVs `parts`
    one after another, then `tail` s of silence, at 48 kHz."""
    import numpy as np
    pieces = [np.zeros(int(lead * RATE), dtype=np.float32)]
    for k, part in enumerate(parts):
        samples, rate = wm.read_wav(part)
        if rate != RATE:
            # As the browser would hear it: brought to 48 kHz.
            again = os.path.join(root, f"{name}-{k}.wav")
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", part, "-ar", str(RATE),
                            "-ac", "1", again], check=True)
            samples, rate = wm.read_wav(again)
        pieces.append(samples)
    pieces.append(np.zeros(int(tail * RATE), dtype=np.float32))
    path = os.path.join(root, name)
    wm.write_wav(path, np.concatenate(pieces), RATE)
    return path


def test_a_prompt_recorded_on_the_phone_is_spoken_in_its_session_and_exports_to_the_cli(ctx):
    # A woman talking (silero-vad's test recording), as the parent's take.
    speech = microphone_file(ctx.root, "take.wav", [real("negatives/speech-silero-1.wav")],
                             lead=1.0)
    driver = ctx.browser(mic=speech)
    ready(driver, ctx.server.url)
    driver.find_element(By.ID, "record-open").click()
    driver.find_element(By.ID, "voice-name").send_keys("mum")
    words = driver.find_element(By.ID, "prompt-words").text
    welcome = plan()["events"][0]
    check(driver.find_element(By.ID, "prompt-at").text.startswith("Prompt 1 of "),
          "the recorder does not start at the first prompt")
    driver.find_element(By.ID, "take").click()
    wait_for("the take to end on silence", lambda: driver.execute_script(
        "return !document.getElementById('take-keep').hidden"), timeout=40)
    shot(driver, "take")
    driver.find_element(By.ID, "take-keep").click()
    wait_for("the take kept", lambda: "Prompt 2 of" in driver.find_element(By.ID, "prompt-at").text)
    driver.find_element(By.ID, "record-done").click()
    chosen = driver.execute_script("return document.getElementById('voice').value")
    check(chosen == "mum", f"the voice chosen after recording is {chosen!r}")
    # The voice as one file, for the command line.
    driver.find_element(By.ID, "export").click()
    data = wait_for("the voice file", lambda: driver.execute_script(
        "const b = window.soothe.voiceFile; return b ? Array.from(new Uint8Array(b)) : null"))
    home = tempfile.mkdtemp(dir=ctx.root, prefix="home-")
    env = {**soothe_env(), "HOME": home, "XDG_DATA_HOME": home}
    voice_file = os.path.join(ctx.root, "mum.soothe-voice")
    with open(voice_file, "wb") as f:
        f.write(bytes(data))
    subprocess.run([SOOTHE, "voices", "--import", voice_file], check=True, env=env,
                   capture_output=True)
    take = os.path.join(home, "soothe", "voices", "mum", f"{welcome['prompt']}.wav")
    check(os.path.exists(take), f"the command line has no take {take}")
    listed = subprocess.run([SOOTHE, "prompts", "--tsv"], check=True, env=env,
                            capture_output=True, text=True).stdout
    check(f"{welcome['prompt']}\t{words}" in listed, "the take was shown other words")
    # The session in that voice sounds as `soothe render --voice mum` does.
    recording = os.path.join(ctx.root, "mum.f32")
    parec = ctx.pulse.record(recording)
    time.sleep(0.5)
    key(driver, " ")
    s = playing_from(driver, 6 * RATE)
    check(s["voice"] == "mum", f"the session speaks in {s['voice']!r}")
    parec.terminate()
    parec.wait()
    render = wm.render(SOOTHE, env, 8 * RATE, "--voice", "mum")
    found = wm.find_render(wm.read_f32(recording), render, RATE)
    print(f"    {found['summary']}")
    check(not found["missing"], f"voiced windows of the take missing: {found['missing'][:10]}")


def listening_session(ctx, mic, seconds, loop=False):
    """Plays the relaxing session listening, the fake microphone playing
    `mic` (again and again: `loop`), for up to `seconds` or until it holds;
    returns the driver, the status, and what was heard from when (seconds
    since the page began listening, each time it changed)."""
    driver = ctx.browser(mic=mic, loop=loop)
    ready(driver, ctx.server.url)
    driver.find_element(By.ID, "listening").click()
    key(driver, " ")
    wait_for("listening", lambda: (s := status(driver)) and s.get("hearing"), timeout=20)
    began = time.monotonic()
    deadline = began + seconds
    # What was heard, and when it changed (seconds since the page began
    # listening: where in `mic` to listen, if it fails).
    heard, changes = set(), []
    while time.monotonic() < deadline:
        s = status(driver)
        heard.add(s["hearing"])
        if not changes or changes[-1][1] != s["hearing"]:
            changes.append((time.monotonic() - began, s["hearing"]))
        if s["held"]:
            break
        time.sleep(0.1)
    loudest = driver.execute_script("return window.soothe.measured.micLoudest")
    print(f"    heard: {sorted(h for h in heard if h)}; the loudest sample of the microphone: {loudest}")
    print("    " + ", ".join(f"{h} from {t:.1f} s" for t, h in changes))
    return driver, s, changes


def listened(mic):
    """What `soothe listen --file` says of `mic` (its one line)."""
    return subprocess.run([SOOTHE, "listen", "--file", mic], capture_output=True,
                          text=True, env=soothe_env()).stdout


def test_a_real_cry_on_the_phones_microphone_holds_the_session(ctx):
    # A baby crying on and off: the cry, then 3 s of quiet, again and again.
    mic = microphone_file(ctx.root, "cry.wav", [CRY], lead=0.0, tail=3.0)
    driver, s, _ = listening_session(ctx, mic, 30, loop=True)
    check(s["held"], f"a baby crying did not hold the session (hearing {s['hearing']})")
    shot(driver, "held")
    said = driver.find_element(By.ID, "heard").text
    check(said.startswith("Your baby is crying."), f"the page says {said!r}")
    # It waits: the clock stands still until the parent goes on.
    time.sleep(2.0)
    at = status(driver)["position"]
    time.sleep(1.0)
    check(status(driver)["held"] and status(driver)["position"] == at,
          "the session went on by itself")
    key(driver, " ")
    wait_for("the session to go on", lambda: not status(driver)["held"]
             and status(driver)["position"] > at)


def test_an_adult_talking_near_the_phone_never_holds_the_session(ctx):
    # A woman talking (silero-vad's recordings 1, 4 and 5), which soothe
    # hears as quiet with room to spare: it stays so with the session's
    # voice or a noise floor faintly under it. Not recording 2: it opens
    # with a faint murmur that, after another recording, the model takes
    # for crying at about the normal level's probability, so its verdict
    # turned on the browser's echo canceller (it held the session once on
    # CI's machine). That false alarm is soothe's, counted in its figures
    # (BENCHMARKS.md); what this test checks is the browser's path.
    talk = [real(f"negatives/speech-silero-{n}.wav") for n in (1, 4, 5)]
    mic = microphone_file(ctx.root, "talk.wav", talk)
    heard = listened(mic)
    check(heard == f"{mic}: quiet\n", f"soothe listen --file says {heard!r}")
    driver, s, _ = listening_session(ctx, mic, 28)
    check(not s["held"], "an adult talking held the session")
    check(s["position"] > 20 * RATE, f"the session reached only sample {s['position']}")


def test_without_the_microphone_the_session_says_so_and_plays_on(ctx):
    driver = ctx.browser(deny=True)
    ready(driver, ctx.server.url)
    driver.find_element(By.ID, "listening").click()
    key(driver, " ")
    said = wait_for("the page to say it is not listening", lambda: (
        (t := driver.find_element(By.ID, "heard").text).startswith("Not listening") and t))
    check(said == "Not listening for crying. The microphone is not allowed for this page. "
          "Allow it in the browser's site settings, then try again.", f"the page says {said!r}")
    playing_from(driver, 2 * RATE)


def test_spanish_is_chosen_plays_in_its_guide_voice_and_shows_its_words(ctx):
    languages = json.load(open(os.path.join(WEB, "guides.json")))
    check("es" in languages, f"the build has no Spanish guide voice ({languages})")
    driver = ctx.browser()
    ready(driver, ctx.server.url)
    Select(driver.find_element(By.ID, "language")).select_by_value("es")
    wait_for("the choices in Spanish", lambda: "dormir" in driver.find_element(
        By.ID, "variants").get_attribute("title") + driver.find_element(By.ID, "variants").text
        or any("dormir" in (e.get_attribute("title") or "")
               for e in driver.find_elements(By.CSS_SELECTOR, "#variants label")))
    recording = os.path.join(ctx.root, "es.f32")
    parec = ctx.pulse.record(recording)
    time.sleep(0.5)
    key(driver, " ")
    s = playing_from(driver, 8 * RATE)
    parec.terminate()
    parec.wait()
    the_plan = plan("--language", "es")
    check(s["title"] == the_plan["steps"][0]["title"], f"the page shows {s['title']!r}")
    render = rendered(10, "--language", "es")
    found = wm.find_render(wm.read_f32(recording), render, RATE)
    print(f"    {found['summary']}")
    check(not found["missing"], f"voiced windows of the Spanish render missing: {found['missing'][:10]}")
    driver.refresh()
    ready(driver, ctx.server.url)
    chosen = driver.execute_script("return document.getElementById('language').value")
    check(chosen == "es", f"the language remembered is {chosen!r}")


def keep(path, name):
    """Keeps a recording under target/web-test/, to listen to or look at."""
    os.makedirs(OUT, exist_ok=True)
    shutil.copy(path, os.path.join(OUT, name))
    print(f"    (recording kept as {os.path.join(OUT, name)})")


def shot(driver, name):
    os.makedirs(OUT, exist_ok=True)
    driver.save_screenshot(os.path.join(OUT, f"{name}.png"))


class Context:
    def __init__(self, root, pulse, server):
        self.root, self.pulse, self.server = root, pulse, server
        self.drivers = []
        self.figures = {}

    def browser(self, mic=None, loop=False, deny=False):
        driver = browser(self.root, self.pulse, mic=mic, loop=loop, deny=deny)
        self.drivers.append(driver)
        return driver

    def measure(self, name, value):
        self.figures[name] = value
        print(f"    {name}: {value:.3f}")

    def long_tasks(self, measured):
        during = [t for t in measured["longTasks"] if t["at"] >= measured["started"]]
        longest = max((t["ms"] for t in during), default=0)
        self.measure("main thread: longest task over 50 ms during the session (ms)", longest)
        check(not during, "the main thread blocked (ms after Start: ms): " + ", ".join(
            f"{t['at'] - measured['started']:.0f}: {t['ms']:.0f}" for t in during))

    def close(self):
        for driver in self.drivers:
            driver.quit()
        self.drivers = []


def main():
    wanted = sys.argv[2:]
    if wanted[:1] == ["--agree"]:
        return agreement(wanted[1:])
    tests = [(name, f) for name, f in globals().items()
             if name.startswith("test_") and (not wanted or any(w in name for w in wanted))]
    root = tempfile.mkdtemp(prefix="soothe-web-test-")
    pulse = Pulse(root)
    server = Server()
    server.start()
    failed = []
    try:
        for name, test in tests:
            print(f"test-web: {name}", flush=True)
            ctx = Context(root, pulse, server)
            try:
                test(ctx)
                print("    ok")
            except Exception as e:  # noqa: BLE001
                failed.append(name)
                print(f"    FAILED: {e}")
                if not isinstance(e, Failure):
                    traceback.print_exc()
                for driver in ctx.drivers:
                    for entry in driver.get_log("browser"):
                        print(f"    browser: {entry['message']}")
            finally:
                ctx.close()
    finally:
        server.stop()
        pulse.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(f"test-web: {len(tests) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.exit(1)


def agreement(files):
    """`tools/test-web --agree FILE...`: agree.py's measurement."""
    import agree
    root = tempfile.mkdtemp(prefix="soothe-web-agree-")
    pulse = Pulse(root)
    server = Server()
    server.start()
    try:
        agree.main(root, pulse, server, files)
    finally:
        server.stop()
        pulse.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
