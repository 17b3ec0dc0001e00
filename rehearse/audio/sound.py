"""Audio in and out: constants, reading any audio file, the crash-safe WAV writer, playback and devices.

sounddevice and PyAV are imported inside the functions that need them, so the pure parts of the
program start fast and work without PortAudio.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Iterable

import numpy as np

from rehearse.errors import DeviceError, InputFileError, StorageError

SAMPLE_RATE = 16000  # Hz; what Whisper and Silero VAD expect
BLOCK_S = 0.1  # seconds of audio in one recorder block: the unit of the live display and VAD
HEADER_EVERY_S = 1.0  # the WAV header is rewritten this often, so a crash loses at most this much
# Limits on an audio file to analyze, far beyond any interview answer: two hours decode to 460 MB
# of samples; a file over 2 GB is refused before it is opened (probing a huge file can take minutes).
MAX_AUDIO_S = 2 * 3600
MAX_AUDIO_BYTES = 2 << 30
# Seconds of sound queued ahead on the output: on two busy cores the writer can be held off for
# a few hundred milliseconds, and a shorter queue then runs dry and breaks a word in two.
PLAYBACK_LATENCY_S = 0.5
WRITE_S = 0.1  # speech is handed to the output stream this much at a time
# PortAudio's ALSA stream into PulseAudio drops what is still queued when it stops: measured, the
# last 0.4 s of a sound went unheard behind 0.2 s of silence. A queue of silence, and a little
# more, goes last.
FLUSH_MARGIN_S = 0.2

# libsndfile command ids (sndfile.h); soundfile does not export these two.
_SFC_UPDATE_HEADER_NOW = 0x1060


def to_pcm16(block: np.ndarray) -> np.ndarray:
    """Samples as 16-bit integers: what the WAV holds, at half the memory of float32."""
    return (np.clip(block, -1.0, 1.0) * 32767).astype(np.int16)


def from_pcm16(pcm: np.ndarray) -> np.ndarray:
    return pcm.astype(np.float32) / 32767


def load_audio(path: Path) -> np.ndarray:
    """Any common audio file (wav, flac, mp3, ogg, m4a; any rate, any channels) as 16 kHz mono float32."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path} is a folder, not an audio file")
    size = path.stat().st_size
    if size == 0:
        raise InputFileError(f"{path} is empty (0 bytes)")
    if size > MAX_AUDIO_BYTES:
        raise InputFileError(f"{path} is too large ({size / 2**30:.1f} GB; at most "
                             f"{MAX_AUDIO_BYTES / 2**30:.0f} GB and {MAX_AUDIO_S // 3600} hours)")
    from faster_whisper.audio import decode_audio  # PyAV underneath

    try:
        _check_duration(path)
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except InputFileError:
        raise
    except Exception as exc:  # PyAV raises a family of its own errors for unreadable input
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputFileError(f"{path} is not a readable audio file ({detail})") from exc
    if audio.size == 0:
        raise InputFileError(f"{path} contains no audio samples")
    return audio.astype(np.float32, copy=False)


def _check_duration(path: Path) -> None:
    """Refuse audio longer than MAX_AUDIO_S before decoding it, from the length its container states."""
    import av

    with av.open(str(path)) as container:
        duration_s = (container.duration or 0) / 1_000_000  # av.time_base: microseconds
    if duration_s > MAX_AUDIO_S:
        raise InputFileError(f"{path} is too long ({duration_s / 60:.0f} minutes; "
                             f"at most {MAX_AUDIO_S // 60} minutes)")


class WavWriter:
    """A 16-bit mono WAV written block by block; its header is kept current on disk.

    Every HEADER_EVERY_S the sizes in the header are rewritten and the data flushed, so the file
    is valid and playable at any moment, even if the process is killed.
    """

    def __init__(self, path: Path, sample_rate: int = SAMPLE_RATE):
        import soundfile

        self.path = Path(path)
        self.sample_rate = sample_rate
        self.frames = 0
        self._since_header = 0
        try:
            self._file = soundfile.SoundFile(
                str(self.path), "w", samplerate=sample_rate, channels=1, subtype="PCM_16"
            )
        except Exception as exc:
            raise StorageError(f"cannot write the recording {self.path}: {exc}") from exc
        os.chmod(self.path, 0o600)  # a recording of someone's voice is theirs alone

    def write(self, block: np.ndarray) -> None:
        try:
            self._file.write(block)
        except Exception as exc:  # libsndfile says only "System error." for a full disk
            reason = "the disk is full" if _disk_full(self.path) else str(exc)
            raise StorageError(f"cannot write the recording {self.path}: {reason}; "
                               "what was recorded so far is kept") from exc
        self.frames += len(block)
        self._since_header += len(block)
        if self._since_header >= HEADER_EVERY_S * self.sample_rate:
            self.sync()

    def sync(self) -> None:
        import soundfile

        self._file.flush()
        soundfile._snd.sf_command(self._file._file, _SFC_UPDATE_HEADER_NOW, soundfile._ffi.NULL, 0)
        self._since_header = 0

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


def _disk_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


def read_wav(path: Path) -> np.ndarray:
    """A WAV this program wrote, as float32 samples."""
    import soundfile

    audio, _ = soundfile.read(str(path), dtype="float32")
    return audio


def write_wav(path: Path, audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    writer = WavWriter(path, sample_rate)
    try:
        writer.write(audio)
    finally:
        writer.close()


@dataclasses.dataclass(frozen=True)
class Device:
    index: int
    name: str
    inputs: int  # input channels
    outputs: int  # output channels
    default_input: bool
    default_output: bool

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def _sounddevice():
    from rehearse.audio.quiet import silence_alsa

    silence_alsa()  # before PortAudio loads libasound's plugins
    try:
        import sounddevice
    except OSError as exc:  # raised when the PortAudio library itself is missing
        raise DeviceError(
            "PortAudio is not installed (sudo apt-get install libportaudio2); "
            "./scripts/rehearse installs it"
        ) from exc
    return sounddevice


def list_devices() -> list[Device]:
    sd = _sounddevice()
    try:
        raw = sd.query_devices()
        default_in, default_out = sd.default.device
    except Exception as exc:
        raise DeviceError(f"cannot list audio devices: {exc}") from exc
    return [
        Device(d["index"], d["name"], d["max_input_channels"], d["max_output_channels"],
               d["index"] == default_in, d["index"] == default_out)
        for d in raw
    ]


def find_device(spec: str | int | None, kind: str) -> int | None:
    """The index of the input or output device named by `spec` (an index or part of a name)."""
    devices = list_devices()
    channels = (lambda d: d.inputs) if kind == "input" else (lambda d: d.outputs)
    usable = [d for d in devices if channels(d) > 0]
    if not usable:
        hint = "a microphone is connected and not muted" if kind == "input" else "speakers or headphones are connected"
        raise DeviceError(f"no audio {kind} device found; check that {hint} (see 'rehearse devices')")
    if spec is None or spec == "":
        default = next((d for d in usable if (d.default_input if kind == "input" else d.default_output)), None)
        return (default or usable[0]).index
    return _match_device(str(spec), usable, kind)


def _match_device(spec: str, usable: list[Device], kind: str) -> int:
    if spec.isdigit():
        for d in usable:
            if d.index == int(spec):
                return d.index
        raise DeviceError(f"no {kind} device with index {spec}; see 'rehearse devices'")
    matches = [d for d in usable if spec.lower() in d.name.lower()]
    exact = [d for d in matches if d.name.lower() == spec.lower()]
    if exact or len(matches) == 1:
        return (exact or matches)[0].index
    if not matches:
        raise DeviceError(f"no {kind} device named '{spec}'; see 'rehearse devices'")
    names = ", ".join(f"{d.index}: {d.name}" for d in matches)
    raise DeviceError(f"'{spec}' matches several {kind} devices ({names}); give its index")


def play(audio: np.ndarray, sample_rate: int, device: int | None) -> None:
    """Play samples on an output device and wait until they have been heard."""
    play_pieces([audio], sample_rate, device)


def play_pieces(pieces: Iterable[np.ndarray], sample_rate: int, device: int | None) -> None:
    """Play pieces of one sound as they arrive (speech made sentence by sentence), and wait
    until they have been heard."""
    sd = _sounddevice()
    try:
        out = sd.OutputStream(samplerate=sample_rate, channels=1, dtype="float32", device=device,
                              latency=PLAYBACK_LATENCY_S)
        out.start()
    except Exception as exc:
        raise DeviceError(f"cannot play audio on output device {device}: {exc}") from exc
    try:
        for piece in pieces:
            piece = np.ascontiguousarray(piece, dtype=np.float32).reshape(-1, 1)
            # A write blocks until its samples are nearly played, and Ctrl-C is only seen once it
            # returns: short writes keep an interrupted question from being said to its end.
            step = max(1, int(WRITE_S * sample_rate))
            for start in range(0, len(piece), step):
                out.write(piece[start:start + step])
        flush = np.zeros((int((out.latency + FLUSH_MARGIN_S) * sample_rate), 1), dtype=np.float32)
        out.write(flush)
        out.stop()
    except KeyboardInterrupt:
        out.abort()
        raise
    except sd.PortAudioError as exc:
        raise DeviceError(f"cannot play audio on output device {device}: {exc}") from exc
    finally:
        out.close()
