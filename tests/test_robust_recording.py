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
from rehearse.audio.sound import SAMPLE_RATE, WavWriter, load_audio, write_wav
from rehearse.errors import StorageError
from rehearse.history import database as history
from rehearse.history import recover

ANSWER = ("Last spring our biggest customer was about to leave. I rewrote the export job and "
          "added monitoring. As a result the reports arrived on time and the customer stayed.")

# Records from the default (virtual) microphone into a session folder, printing the seconds
# recorded after every block, until it is killed.
DRIVER = """
import sys
from pathlib import Path
from rehearse.audio.recorder import MicrophoneSource, RecordOptions, record
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


LONG_ANSWER = (
    "Last spring our biggest customer was about to leave because the weekly reports kept arriving "
    "late. I was responsible for the reporting pipeline, so I read every failed run from the "
    "previous quarter and found that the export job timed out whenever the database was busy. "
    "I rewrote the export job to work in small batches, added monitoring and alerts, and walked "
    "the support team through the new dashboard. As a result the reports arrived on time every "
    "week and the customer renewed their contract for two more years."
)


class Practice:
    """`rehearse practice` as a user starts it, its stderr collected line by line."""

    def __init__(self, env: dict | None = None):
        import threading

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "rehearse", "practice", "--no-voice", "--question-id",
             "deadline-about-to-miss", "--json", "--end-silence", "3"],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env={**os.environ, **(env or {})},
        )
        self.err: list[str] = []
        self._reader = threading.Thread(target=lambda: self.err.extend(self.proc.stderr), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 60
        while not any("Recording" in line for line in self.err):
            assert self.proc.poll() is None, "".join(self.err)
            assert time.monotonic() < deadline, "".join(self.err)
            time.sleep(0.05)

    def finish(self, timeout: float = 120) -> str:
        """Waits for the session to end; returns its stdout (stderr is all in `err` then)."""
        try:
            out = self.proc.stdout.read()
            self.proc.wait(timeout=timeout)
            self._reader.join(timeout=10)
            return out
        finally:
            self.proc.kill()


@pytest.fixture
def own_sound_server(tmp_path):
    """A PulseAudio server of its own whose only device is a microphone, so it can be taken away."""
    if not os.environ.get("REHEARSE_VIRTUAL_AUDIO"):
        pytest.skip("virtual audio devices are started by ./scripts/test")
    runtime = tmp_path / "pulse-runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "PULSE_RUNTIME_PATH": str(runtime / "pulse")}
    env.pop("PULSE_SERVER", None)
    subprocess.run(["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n", "--disallow-exit",
                    "--load=module-native-protocol-unix", "--load=module-null-sink sink_name=mic"],
                   env=env, check=True, capture_output=True)
    try:
        for _ in range(50):
            if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        subprocess.run(["pactl", "set-default-source", "mic.monitor"], env=env, check=True)
        yield env
    finally:
        subprocess.run(["pulseaudio", "--kill"], env=env, capture_output=True)


KEPT = "the recording stops with a warning and is kept, transcribed and saved"


@pytest.mark.parametrize("how", [
    pytest.param("unplugged", marks=pytest.mark.robustness(
        "the microphone is unplugged 6 s into a spoken answer (its source removed)", KEPT)),
    pytest.param("sound server gone", marks=pytest.mark.robustness(
        "the sound server dies 6 s into a spoken answer", KEPT)),
])
def test_microphone_lost_mid_answer(own_sound_server, synth, data_home, how):
    env = own_sound_server
    answer = synth(LONG_ANSWER)
    session = Practice(env)
    player = subprocess.Popen(["paplay", "--device=mic", str(answer)], env=env)
    try:
        time.sleep(6.0)
        if how == "unplugged":  # the microphone's source goes away; nothing else can take over
            subprocess.run(["pactl", "unload-module", "module-null-sink"], env=env, check=True)
        else:
            subprocess.run(["pulseaudio", "--kill"], env=env, check=True)
        out = session.finish()
    finally:
        player.wait(timeout=60)
    proc, err = session.proc, session.err
    assert proc.returncode == 0, "".join(err)
    assert any("recording stopped: the input device stopped delivering audio" in line for line in err)
    assert not any("Traceback" in line for line in err), "".join(err)
    record = json.loads(out)
    assert record["stopped_by"] == "device"
    wav = Path(record["audio_path"])
    assert wav.parent.parent == data_home
    info = soundfile.info(wav)  # a valid WAV, header and all
    assert 3.0 <= info.frames / SAMPLE_RATE <= 9.0, info.frames / SAMPLE_RATE
    assert record["duration_s"] == pytest.approx(info.frames / SAMPLE_RATE, abs=0.05)
    assert "customer" in record["transcript"]["text"].lower(), record["transcript"]["text"]
    assert wav.with_suffix(".json").is_file()
    with history.Store.open(import_files=False) as store:
        assert [a.audio_path for a in store.recent()] == [wav]


@pytest.mark.robustness("the disk fills up during a practice answer (a 260 KB tmpfs data folder)",
                        "one-line storage error, exit 6; the answer so far is a valid WAV")
def test_full_disk_during_a_practice_answer(virtual_audio, synth, tmp_path):
    disk = tmp_path / "small-disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=260k", "tmpfs", str(disk)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        answer = synth(LONG_ANSWER)
        session = Practice({"REHEARSE_HOME": str(disk / "data")})
        player = subprocess.Popen(["paplay", "--device=mic", str(answer)])
        try:
            out = session.finish()
        finally:
            player.terminate()
            player.wait(timeout=60)
        proc, err = session.proc, session.err
        errors = [line for line in err if line.startswith("rehearse: error:")]
        assert proc.returncode == 6, "".join(err)
        assert len(errors) == 1 and "the disk is full" in errors[0], "".join(err)
        assert not any("Traceback" in line for line in err), "".join(err)
        assert out == ""
        wavs = list((disk / "data").glob("*/*.wav"))
        assert len(wavs) == 1
        info = soundfile.info(wavs[0])
        assert info.frames / SAMPLE_RATE >= 4.0
        heard = load_audio(wavs[0])
        assert np.abs(heard).max() > 0.05  # the answer, not silence
    finally:
        subprocess.run(["umount", str(disk)], check=True)
