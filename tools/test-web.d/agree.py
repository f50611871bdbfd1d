"""Does the web app hear what `soothe listen --file` hears?

A measurement, not a test (`tools/test-web --agree FILE...`; BENCHMARKS.md,
"The web app's ear beside the command line's"): each recording is played by
Chromium's fake microphone, 5 s after a silent start and with 4 s of silence
after it, to the page listening while the relaxing session plays (its sound
going to the private sound server, the microphone through the browser's echo
canceller), and heard by `soothe listen --file` from the same WAV. A line
each: the file, what the command line heard, what the page heard (crying:
the session held; fussing: shown, not held), and when; between them, the
page's own lines as the listening tests print them.
"""

import os
import re

# run.py, which runs this (`tools/test-web --agree`): its browser, sound
# server and helpers.
import __main__ as run

# Both ears first listen to the room for 3 s, and the page's begins about a
# second after the microphone: the recording comes after that, in a quiet room.
LEAD = 5.0
TAIL = 4.0


def command_line(mic):
    """`soothe listen --file`'s verdict on `mic`: (word, seconds or None)."""
    out = run.listened(mic).strip()
    said = re.fullmatch(r".*: (crying|fussing) from ([0-9.]+) s", out)
    if said:
        return said.group(1), float(said.group(2))
    if out.endswith(": quiet"):
        return "quiet", None
    raise run.Failure(f"soothe listen --file {mic} said {out!r}")


def page(ctx, mic, seconds):
    """What the page heard from `mic` over `seconds` of its session:
    (word, seconds since it began listening, or None)."""
    _, s, changes = run.listening_session(ctx, mic, seconds)

    def first(word):
        return next((t for t, heard in changes if heard == word), None)
    if s["held"]:
        # Held on the poll that first saw crying, or as the last change.
        crying = first("crying")
        return "crying", crying if crying is not None else changes[-1][0]
    fussing = first("fussing")
    return ("fussing", fussing) if fussing is not None else ("quiet", None)


def seconds_of(path):
    samples, rate = run.wm.read_wav(path)
    return len(samples) / rate


def main(root, pulse, server, files):
    both = {}
    print("file\tsoothe listen --file\tthe web app", flush=True)
    for k, path in enumerate(files):
        mic = run.microphone_file(root, f"agree-{k}.wav", [path], lead=LEAD, tail=TAIL)
        cli = command_line(mic)
        ctx = run.Context(root, pulse, server)
        try:
            web = page(ctx, mic, seconds_of(mic) + 1.0)
        finally:
            ctx.close()
        both[(cli[0], web[0])] = both.get((cli[0], web[0]), 0) + 1

        def said(v):
            return v[0] if v[1] is None else f"{v[0]} from {v[1]:.1f} s"
        print(f"{os.path.basename(path)}\t{said(cli)}\t{said(web)}", flush=True)
    agree = sum(n for (a, b), n in both.items() if a == b)
    print(f"{agree} of {len(files)} heard alike; " + ", ".join(
        f"{a} -> {b}: {n}" for (a, b), n in sorted(both.items()) if a != b))
