#!/usr/bin/env python3
"""launch.py CMD...: runs CMD with LAUNCH set to the launch time
(time.monotonic()), waits for it, and passes its exit status on."""
import os, subprocess, sys, time
env = dict(os.environ, LAUNCH=f"{time.monotonic():.6f}")
sys.exit(subprocess.call(sys.argv[1:], env=env))
