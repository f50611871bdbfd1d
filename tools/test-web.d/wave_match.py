"""Comparing what the browser played (recorded from the sink's monitor)
with what `soothe render` writes, window by window after alignment."""

import subprocess

import numpy as np

WINDOW_SECONDS = 0.1
# A 100 ms window of the render is voiced above this RMS...
VOICED = 0.01
# ...and heard when the recording differs from it by at most this much
# (RMS of the difference, relative, plus 16-bit rounding of the render).
TOLERANCE = 0.1
FLOOR = 0.002
# The recording is silent below this (a pause, a gap).
SILENT = 1e-4


def read_f32(path):
    return np.fromfile(path, dtype="<f4").astype(np.float64)


def render(soothe, env, samples, *args):
    """The first `samples` of `soothe render ARGS -o -` (WAV, 16-bit mono)."""
    child = subprocess.Popen([soothe, "render", *args, "-o", "-", "--format", "wav"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    head = child.stdout.read(12)
    assert head[:4] == b"RIFF" and head[8:12] == b"WAVE", head
    while True:
        chunk = child.stdout.read(8)
        name, size = chunk[:4], int.from_bytes(chunk[4:8], "little")
        if name == b"data":
            break
        child.stdout.read(size + (size & 1))
    data = child.stdout.read(2 * samples)
    child.kill()
    child.wait()
    return np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0


def rms(x):
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def first_voiced(x, start=0):
    """The start of the first voiced 100 ms window of `x` from `start` on."""
    w = int(48000 * WINDOW_SECONDS)
    for at in range(start, len(x) - w, w // 4):
        if rms(x[at:at + w]) > VOICED:
            return at
    raise AssertionError("nothing voiced")


def offset_of(heard, render, at, length, lo=0, hi=None):
    """Where render[at:at+length] is in heard[lo:hi], as heard index - render index."""
    hi = len(heard) if hi is None else hi
    part = heard[lo:hi]
    template = render[at:at + length]
    n = 1
    while n < len(part) + len(template):
        n *= 2
    corr = np.fft.irfft(np.fft.rfft(part, n) * np.conj(np.fft.rfft(template, n)), n)
    corr = corr[:len(part) - len(template) + 1]
    return lo + int(np.argmax(corr)) - at


def matches(heard, want, at):
    """Whether heard[at:] starts with `want` (within the tolerance)."""
    got = heard[at:at + len(want)] if at >= 0 else np.zeros(0)
    return len(got) == len(want) and rms(got - want) <= TOLERANCE * rms(want) + FLOOR


def follow(heard, render, rate, offset, start, end):
    """Follows the render through the recording from `start` to `end`,
    heard at `offset` at first. The browser may let silence in (its audio
    thread late on a busy machine, or a pause): every voiced 100 ms window
    of the render must still be heard, in order, each piece of it (10 ms)
    at the offset before or after such a gap, and a gap must be silence in
    the recording, never a piece of the session lost or played twice.
    Returns the windows (render second, heard?), the gaps (render sample,
    length) and the offset at the end."""
    w = int(rate * WINDOW_SECONDS)
    piece = w // 10
    checked, gaps = [], []
    heard_to = max(0, start + offset)
    for at in range(start, end - w + 1, w):
        want = render[at:at + w]
        if at + offset + w > len(heard):
            break
        if rms(want) <= VOICED:
            continue
        if matches(heard, want, at + offset):
            checked.append((at / rate, True))
            heard_to = at + w + offset
            continue
        # Where the rest of the window, and half a second after it, is
        # heard: up to 4 s later.
        later = offset_of(heard, render, at + w // 2, rate // 2, lo=at + offset,
                          hi=min(len(heard), at + offset + 4 * rate + rate))
        ok = later > offset
        if ok:
            # The pieces before the gap at the offset before it, to the
            # sample; the rest of the window at the offset after it; and
            # between them only silence: nothing lost, nothing twice.
            k = 0
            while k < 10 and matches(heard, want[k * piece:(k + 1) * piece], at + k * piece + offset):
                k += 1
            split = at + k * piece
            while split < at + w and abs(heard[split + offset] - render[split]) <= FLOOR:
                split += 1
            rest = split == at + w or matches(heard, render[split:at + w], split + later)
            # The gap may have come anywhere since the last window heard
            # (in a quiet stretch): there must be a run of silence at least
            # as long as the shift between the two.
            ok = rest and longest_silence(heard[heard_to:split + later]) >= later - offset
            if ok:
                gaps.append((split, later - offset))
                offset = later
                heard_to = at + w + offset
        checked.append((at / rate, ok))
    return checked, gaps, offset


def longest_silence(x):
    """The longest run of silent samples in `x`."""
    quiet = np.concatenate(([0], (np.abs(x) < SILENT).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(quiet))
    return int(np.max(edges[1::2] - edges[::2], initial=0))


def compare_with_pause(heard, render, rate, end):
    """The recording of a session paused once (for at least 0.8 s), against
    its render up to sample `end`: the pause is the longest gap."""
    first = first_voiced(render)
    offset = offset_of(heard, render, first, rate)
    end = min(end, len(render), len(heard) - offset)
    checked, gaps, last = follow(heard, render, rate, offset, 0, end)
    missing = [round(t, 1) for t, ok in checked if not ok]
    pause = max(gaps, key=lambda g: g[1], default=(None, 0))
    glitches = [g for g in gaps if g is not pause]
    return {
        "paused_at": pause[0],
        "pause": pause[1] / rate,
        "missing": missing,
        "glitches": glitches,
        "summary": f"{len(checked)} voiced windows over {end / rate:.1f} s of the render, "
                   f"{len(missing)} missing; paused for {pause[1] / rate:.2f} s at sample "
                   f"{pause[0]}; {len(glitches)} other gaps of silence "
                   f"({sum(g[1] for g in glitches)} samples) (offsets {offset} to {last})",
    }


def find_render(heard, render, rate):
    """The render found in the recording, from its first voiced window on."""
    first = first_voiced(render)
    offset = offset_of(heard, render, first, rate)
    end = min(len(render), len(heard) - offset)
    checked, gaps, _ = follow(heard, render, rate, offset, first, end)
    missing = [round(t, 1) for t, ok in checked if not ok]
    return {
        "missing": missing,
        "summary": f"{len(checked)} voiced windows over {end / rate:.1f} s, {len(missing)} "
                   f"missing, {len(gaps)} gaps of silence ({sum(g[1] for g in gaps)} samples)",
    }


def read_wav(path):
    """A 16-bit WAV's first channel as floats, and its rate."""
    import wave
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2, path
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        samples = data[:: w.getnchannels()].astype(np.float32) / 32768.0
        return samples, w.getframerate()


def write_wav(path, samples, rate):
    """Mono 16-bit WAV."""
    import wave
    pcm = np.clip(np.round(np.asarray(samples) * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
