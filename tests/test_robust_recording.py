"""Nothing lost: a recording killed at any moment, a full disk, cut-off takes recovered later."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from conftest import ROOT, run_cli
from rehearse import history, recover
from rehearse.audio import SAMPLE_RATE, WavWriter, load_audio, write_wav
from rehearse.errors import StorageError

ANSWER = ("Last spring our biggest customer was about to leave. I rewrote the export job and "
          "added monitoring. As a result the reports arrived on time and the customer stayed.")

# Records from the default (virtual) microphone into a session folder, printing the seconds
# recorded after every block, until it is killed.
DRIVER = """
import sys
from pathlib import Path
from rehearse.record import MicrophoneSource, RecordOptions, record
path = Path(sys.argv[1])
path.parent.mkdir(parents=True, exist_ok=True)
record(MicrophoneSource(None), path, RecordOptions(end_silence_s=30, think_time_s=600, max_seconds=600),
       on_status=lambda s: print(f"{s.elapsed_s:.2f}", flush=True))
"""


@pytest.mark.robustness("kill -9 of a recording 4 s into a spoken answer",
                        "the WAV opens and holds all but the last second; recover analyzes it")
def test_kill_9_mid_answer_loses_at_most_a_second(virtual_audio, synth, data_home):
    wav = data_home / "2024-01-02_03-04-05" / "deadline-about-to-miss-1.wav"
    answer = synth(ANSWER)
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(wav)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    player = None
    try:
        assert proc.stdout.readline(), "the recorder printed nothing"
        player = subprocess.Popen(["paplay", "--device=mic", str(answer)])
        elapsed = 0.0
        while elapsed < 4.3:  # in the middle of the answer, between two header updates
            elapsed = float(proc.stdout.readline())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
        if player:
            player.wait(timeout=60)
    info = soundfile.info(wav)  # valid as it is, without any repair
    assert info.samplerate == SAMPLE_RATE
    assert info.frames / SAMPLE_RATE >= elapsed - 1.0, (info.frames / SAMPLE_RATE, elapsed)
    assert load_audio(wav).std() > 0.01  # real speech, not silence
    assert oct(wav.stat().st_mode & 0o777) == "0o600"

    # The next practice start mentions it; recover lists it, then analyzes it into the history.
    listed = run_cli("recover")
    assert listed.returncode == 0 and listed.stdout.decode().split() == [str(wav)], listed.stderr.decode()
    result = run_cli("recover", "--analyze", "--json")
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(result.stdout)
    assert record["question"]["id"] == "deadline-about-to-miss"
    assert "customer" in record["transcript"]["text"].lower()
    assert wav.with_suffix(".json").is_file()
    with history.Store.open() as store:
        assert store.get(record["id"]).audio_path == wav
    assert recover.cut_off_takes() == []


def _speech_wav(path: Path, seconds: float = 3.0) -> np.ndarray:
    rng = np.random.default_rng(0)
    audio = (0.3 * np.sin(2 * np.pi * 220 * np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE)
             + 0.01 * rng.standard_normal(int(seconds * SAMPLE_RATE))).astype(np.float32)
    write_wav(path, audio)
    return audio


@pytest.mark.parametrize("riff, data", [(0, 0), (36, 0), (0xFFFFFFFF, 0xFFFFFFFF), (1000, 960)],
                         ids=["zero", "empty-data", "max", "one-block-behind"])
@pytest.mark.robustness("a cut-off WAV whose header sizes are wrong or zero",
                        "header repaired from the file size; every sample kept")
def test_header_repair(data_home, riff, data):
    wav = data_home / "2024-01-02_03-04-05" / "q-1.wav"
    wav.parent.mkdir(parents=True)
    audio = _speech_wav(wav)
    raw = bytearray(wav.read_bytes())
    data_at = raw.index(b"data")
    raw[4:8], raw[data_at + 4:data_at + 8] = struct.pack("<I", riff), struct.pack("<I", data)
    wav.write_bytes(bytes(raw))
    assert recover.cut_off_takes() == [wav]
    assert recover.repair_header(wav) is True
    assert recover.repair_header(wav) is False  # nothing left to repair
    repaired, rate = soundfile.read(wav, dtype="float32")
    assert rate == SAMPLE_RATE and len(repaired) == len(audio)
    assert np.allclose(repaired, audio, atol=1 / 16000)


@pytest.mark.robustness("practice starts with a cut-off take in the data folder",
                        "one line: N cut-off takes found; run 'rehearse recover'")
def test_practice_start_mentions_cut_off_takes(data_home):
    for n in (1, 2):
        wav = data_home / "2024-01-02_03-04-05" / f"q-{n}.wav"
        wav.parent.mkdir(parents=True, exist_ok=True)
        _speech_wav(wav, 1.0)
    # An unknown input device stops the session right after the start-up check: no audio needed.
    result = run_cli("practice", "--no-voice", "--input-device", "no-such-microphone",
                     env={"PULSE_SERVER": "unix:/nonexistent"})
    lines = result.stderr.decode().splitlines()
    assert lines[0] == "2 cut-off takes found; run 'rehearse recover'", lines
    assert result.returncode == 4 and lines[1].startswith("rehearse: error: ")


@pytest.mark.robustness("the disk fills up 6 s into a recording (a 200 KB tmpfs)",
                        "one-line storage error; the recording so far is a valid WAV")
def test_full_disk_keeps_what_was_recorded(tmp_path):
    disk = tmp_path / "small-disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(disk)],
                             capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        writer = WavWriter(disk / "a.wav")
        block = (0.3 * np.sin(np.arange(1600) / 5)).astype(np.float32)
        with pytest.raises(StorageError) as caught:
            for _ in range(10 * 60):  # a minute: far more than 200 KB
                writer.write(block)
        writer.close()
        message = str(caught.value)
        assert "\n" not in message and "the disk is full" in message, message
        info = soundfile.info(disk / "a.wav")
        assert info.frames >= writer.frames - SAMPLE_RATE  # at most the last second lost
        assert info.frames / SAMPLE_RATE >= 5.0
    finally:
        subprocess.run(["umount", str(disk)], check=True)
