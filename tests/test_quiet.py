"""The sound libraries' chatter stays off stderr, and rehearse's own messages still reach it."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

# Asks libasound for a device that does not exist: it complains through its error handler.
OPEN_MISSING_PCM = """
import ctypes, ctypes.util, sys
{before}
alsa = ctypes.CDLL(ctypes.util.find_library("asound"))
handle = ctypes.c_void_p()
print(alsa.snd_pcm_open(ctypes.byref(handle), b"no-such-device", 0, 0) < 0, flush=True)
"""


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_alsa_complains_unless_silenced():
    loud = run_python(OPEN_MISSING_PCM.format(before=""))
    assert loud.stdout.strip() == "True" and "ALSA lib" in loud.stderr, loud
    quiet = run_python(OPEN_MISSING_PCM.format(before="from rehearse.audio.quiet import silence_alsa; silence_alsa()"))
    assert quiet.stdout.strip() == "True" and quiet.stderr == "", quiet


def test_quiet_stderr_hides_c_level_writes_only_inside():
    code = (
        "import os, sys\n"
        "from rehearse.audio.quiet import quiet_stderr\n"
        "with quiet_stderr():\n"
        "    os.write(2, b'chatter from C\\n')\n"
        "print('rehearse: error: still heard', file=sys.stderr)\n"
    )
    done = run_python(code)
    assert done.returncode == 0 and done.stderr == "rehearse: error: still heard\n", done
