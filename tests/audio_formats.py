"""Test recordings in the formats a user may bring, made without an ffmpeg program: PyAV (installed
with faster-whisper) resamples and encodes MP3, AAC and Opus; soundfile (libsndfile) writes WAV,
FLAC and Ogg Vorbis, which PyAV's own Vorbis encoder does not do well."""

from __future__ import annotations

from pathlib import Path

import numpy as np

# Encoders by file suffix, for the formats soundfile cannot write: (container, codec).
_PYAV_CODECS = {".mp3": ("mp3", "libmp3lame"), ".m4a": ("ipod", "aac"), ".opus": ("ogg", "libopus")}


def decode(path: Path, rate: int, channels: int) -> np.ndarray:
    """The recording at `rate` Hz, as float32 of shape (samples, channels)."""
    import av

    layout = "mono" if channels == 1 else "stereo"
    resampler = av.AudioResampler(format="flt", layout=layout, rate=rate)
    parts = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            parts.extend(resampler.resample(frame))
    parts.extend(resampler.resample(None))
    # Packed float frames are (1, samples * channels), interleaved.
    return np.concatenate([p.to_ndarray().reshape(-1, channels) for p in parts])


def write(path: Path, audio: np.ndarray, rate: int, subtype: str | None = None) -> Path:
    """Write (samples, channels) float audio; the format follows the suffix."""
    import soundfile as sf

    if path.suffix in _PYAV_CODECS:
        _encode(path, audio, rate)
    elif path.suffix == ".ogg":
        sf.write(path, audio, rate, format="OGG", subtype="VORBIS")
    else:
        sf.write(path, audio, rate, subtype=subtype)
    return path


def _encode(path: Path, audio: np.ndarray, rate: int) -> None:
    import av

    container_format, codec = _PYAV_CODECS[path.suffix]
    layout = "mono" if audio.shape[1] == 1 else "stereo"
    with av.open(str(path), "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        # The encoders take their own sample format and frame size: let a resampler fit both.
        resampler = av.AudioResampler(format=stream.codec_context.format, layout=layout, rate=rate,
                                      frame_size=stream.codec_context.frame_size or None)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(audio.reshape(1, -1), np.float32),
                                           format="flt", layout=layout)
        frame.sample_rate = rate
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            out.mux(stream.encode(chunk))
        out.mux(stream.encode(None))
