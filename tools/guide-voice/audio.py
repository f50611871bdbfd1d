"""Cleaning up, loudness and encoding of one take, for every language of the guide.

The steps make-guide-voice's docstring lists as 3 to 5: a 60 Hz high-pass and short
fades (sox), one linear gain to TARGET_LUFS (EBU R128, ffmpeg's ebur128), a lookahead
limiter for the rare peaks over PEAK_CEILING, and Ogg Vorbis mono at RATE, measured
again on the encoded file.
"""

import os
import re
import shutil
import subprocess
import sys

RATE = 24000            # hibari's own rate, kept in the files
VORBIS_QUALITY = 5      # libvorbis -q (about 60 kb/s for this voice)
FADE_IN = 0.010
FADE_OUT = 0.030
TARGET_LUFS = -18.0
PEAK_CEILING = -1.0     # dBTP
LIMIT_MARGIN = 0.5      # limiter threshold (sample peak) this far below PEAK_CEILING


def die(msg, code=1):
    print("make-guide-voice: " + msg, file=sys.stderr)
    sys.exit(code)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        die(f"{' '.join(cmd)} failed:\n{p.stderr}")
    return p


def loudness(path):
    """(integrated LUFS, true peak dBTP) via ffmpeg's EBU R128 meter."""
    p = run(["ffmpeg", "-hide_banner", "-nostats", "-i", path,
             "-af", "ebur128=peak=true", "-f", "null", "-"])
    summary = p.stderr[p.stderr.rfind("Summary:"):]
    i = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    tp = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not i or not tp:
        die(f"can't read ebur128 summary for {path}")
    return float(i.group(1)), float(tp.group(1))


def ogg_info(path):
    """(rate, channels, frames) of a mono/stereo Ogg Vorbis file: the identification
    header, and the granule position of the last page."""
    with open(path, "rb") as f:
        b = f.read()
    ident = b.find(b"\x01vorbis")
    last = b.rfind(b"OggS")
    if not b.startswith(b"OggS") or ident < 0 or last < 0 or len(b) < last + 14 or len(b) < ident + 16:
        die(f"{path}: not an Ogg Vorbis file")
    channels = b[ident + 11]
    rate = int.from_bytes(b[ident + 12:ident + 16], "little")
    frames = int.from_bytes(b[last + 6:last + 14], "little")
    return rate, channels, frames


def check_audio(path):
    """The file's length in seconds, once it is known to be what soothe embeds."""
    rate, channels, frames = ogg_info(path)
    if (rate, channels) != (RATE, 1) or frames == 0:
        die(f"{path}: {rate} Hz, {channels} channel(s), {frames} frames; want {RATE} Hz mono")
    return frames / rate


def process(pid, raw, tmp, out_dir, skip_unfit=False):
    """raw: hibari's joined sentences (f32 WAV, 24 kHz) -> OUTDIR/<id>.ogg. A take that cannot
    reach TARGET_LUFS under PEAK_CEILING ends the run, or with skip_unfit is left out (None)."""
    flt = os.path.join(tmp, f"{pid}.hp.wav")
    run(["sox", "-R", "-D", raw, "-e", "floating-point", "-b", "32", flt,
         "highpass", "60", "fade", "h", str(FADE_IN), "-0", str(FADE_OUT)])
    # one linear gain to TARGET_LUFS; a lookahead limiter (ffmpeg alimiter) catches
    # the few peaks that would pass PEAK_CEILING (a no-op for most prompts)
    lufs, _ = loudness(flt)
    gain = TARGET_LUFS - lufs
    limit_db = PEAK_CEILING - LIMIT_MARGIN
    final = os.path.join(tmp, f"{pid}.ogg")
    for _ in range(8):
        run(["ffmpeg", "-hide_banner", "-nostdin", "-y", "-i", flt,
             "-af", f"volume={gain:.4f}dB,alimiter=limit={10 ** (limit_db / 20):.6f}"
                    ":attack=5:release=80:level=0:latency=1",
             "-c:a", "libvorbis", "-q:a", str(VORBIS_QUALITY),
             "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", final])
        lufs2, tp2 = loudness(final)
        # ebur128 prints tenths: -17.9 is within 0.1 of -18.0, though not in floats
        if abs(lufs2 - TARGET_LUFS) > 0.1 + 1e-9:
            gain += TARGET_LUFS - lufs2
        elif tp2 > PEAK_CEILING:
            limit_db -= 0.5
        else:
            break
    else:
        unfit = f"{pid}: can't reach {TARGET_LUFS} LUFS with true peak <= {PEAK_CEILING} dBTP"
        if skip_unfit:
            print(f"  left out {unfit}", flush=True)
            return None
        die(unfit)
    dur = check_audio(final)
    shutil.move(final, os.path.join(out_dir, f"{pid}.ogg"))
    return dur, lufs2, tp2
