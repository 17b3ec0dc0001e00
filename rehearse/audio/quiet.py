"""Keeping the sound libraries' chatter off the person's screen.

libasound prints "ALSA lib pcm.c:…(snd_pcm_recover) underrun occurred" and the like through its
error handler, at any moment a stream runs; PortAudio prints "Expression '…' failed in
'src/hostapi/alsa/pa_linux_alsa.c'" on stderr while it opens, starts, stops and closes a stream.
Neither means anything to the person, and both land in the middle of the report. The first is
silenced for the whole process by installing an empty ALSA error handler (the usual ctypes fix,
as PyAudio users do); the second by pointing file descriptor 2 at /dev/null for just those calls,
as sounddevice itself does around Pa_Initialize. rehearse's own errors are printed later, by the
command line, on the real stderr.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
from typing import Iterator

# void handler(const char *file, int line, const char *function, int err, const char *fmt, ...)
_ALSA_HANDLER_TYPE = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                      ctypes.c_int, ctypes.c_char_p)
_alsa_handler = None  # kept referenced: libasound calls it for as long as the process runs


def silence_alsa() -> None:
    """Install an ALSA error handler that prints nothing (once; a no-op without libasound)."""
    global _alsa_handler
    if _alsa_handler is not None:
        return
    name = ctypes.util.find_library("asound")
    if name is None:
        return
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return
    _alsa_handler = _ALSA_HANDLER_TYPE(lambda *args: None)
    library.snd_lib_error_set_handler(_alsa_handler)


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """File descriptor 2 goes to /dev/null inside: for the C libraries' prints, not for ours."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
