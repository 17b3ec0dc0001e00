"""Takes that were cut off: a recording in a session folder with no report beside it.

A power cut or a killed process leaves the WAV (its header is rewritten every second, see
audio.WavWriter) but no JSON. If the process died between header updates, the sizes in the header
are behind the data, or zero; `repair_header` sets them from the file size, so every sample that
reached the disk is kept. `recover` then analyzes the take like any other and adds it to the history.
"""

from __future__ import annotations

import dataclasses
import logging
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from rehearse.errors import InputFileError
from rehearse.history import folder

if TYPE_CHECKING:
    from rehearse.attempt import Record

log = logging.getLogger("rehearse")

_RIFF_HEADER = 12  # "RIFF", size, "WAVE"
_CHUNK_HEADER = 8  # id, size
_SAMPLE_BYTES = 2  # our recordings are 16-bit mono


def cut_off_takes(root: Path | None = None) -> list[Path]:
    """WAVs in the session folders of the data folder that have no JSON report beside them."""
    root = folder.data_dir() if root is None else Path(root)
    if not root.is_dir():
        return []
    return [wav for wav in sorted(root.glob("*/*.wav")) if not wav.with_suffix(".json").exists()]


def repair_header(path: Path) -> bool:
    """Make the RIFF and data sizes in a WAV header match the file; True when they were wrong."""
    size = path.stat().st_size
    with open(path, "r+b") as f:
        head = f.read(_RIFF_HEADER)
        if len(head) < _RIFF_HEADER or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise InputFileError(f"{path} is not a WAV recording")
        data_at = _find_data_chunk(f, path)
        data_size = (size - data_at - _CHUNK_HEADER) // _SAMPLE_BYTES * _SAMPLE_BYTES
        riff_size = size - 8
        f.seek(4)
        stated_riff = struct.unpack("<I", f.read(4))[0]
        f.seek(data_at + 4)
        stated_data = struct.unpack("<I", f.read(4))[0]
        if (stated_riff, stated_data) == (riff_size, data_size):
            return False
        f.seek(4)
        f.write(struct.pack("<I", riff_size))
        f.seek(data_at + 4)
        f.write(struct.pack("<I", data_size))
    log.info("repaired the header of %s: %d bytes of audio", path, data_size)
    return True


def _find_data_chunk(f, path: Path) -> int:
    """The offset of the 'data' chunk header; chunks before it (fmt, PEAK…) are skipped."""
    at = _RIFF_HEADER
    while True:
        f.seek(at)
        chunk = f.read(_CHUNK_HEADER)
        if len(chunk) < _CHUNK_HEADER:
            raise InputFileError(f"{path} has no audio data")
        chunk_id, chunk_size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if chunk_id == b"data":
            return at
        at += _CHUNK_HEADER + chunk_size + (chunk_size & 1)


def recover(wav: Path, transcriber, question_for) -> Record:
    """Repair, analyze and save one cut-off take; returns its record (with its history id)."""
    from rehearse.assess import assess
    from rehearse.history.database import record_attempt
    from rehearse.audio.sound import load_audio

    repair_header(wav)
    audio = load_audio(wav)
    transcript = transcriber.transcribe(audio)
    record = assess(transcript, question_for(wav), audio=audio, audio_path=wav)
    record = dataclasses.replace(record, stopped_by="cut off")
    folder.save_json(wav.with_suffix(".json"), record.to_json())
    return dataclasses.replace(record, id=record_attempt(record, wav.parent))


def question_of(wav: Path):
    """The question a take answered, from its file name `<question-id>-<n>.wav`; None if unknown."""
    from rehearse import questions
    from rehearse.errors import UsageError

    question_id = wav.stem.rsplit("-", 1)[0]
    try:
        return questions.find(questions.load_bank(), question_id)
    except UsageError:
        return None
