"""Every error a user can cause gives one line, a documented exit code and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AUDIO, run_cli


def assert_one_line_error(result, code: int, *fragments: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == code, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("rehearse: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], err
    assert result.stdout == b""


BAD_BANK = """
[[question]]
text = "Tell me about a time."
kind = "behavioral"
competencies = ["teamwork"]
target_s = [60, 120]
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "notaudio.wav").write_text("this is plain text, not audio\n" * 20)
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait, I led the team".encode("latin-1"))
    (tmp_path / "blank.txt").write_text("   \n")
    (tmp_path / "bad.toml").write_text(BAD_BANK)
    (tmp_path / "folder").mkdir()
    return tmp_path


@pytest.mark.parametrize("args, code, fragments", [
    (["analyze", "{d}/missing.wav"], 3, ["missing.wav: no such file"]),
    (["analyze", "{d}/folder"], 3, ["is a folder"]),
    (["analyze", "{d}/empty.wav"], 3, ["is empty"]),
    (["analyze", "{d}/notaudio.wav"], 3, ["not a readable audio file"]),
    (["analyze"], 2, ["AUDIO_FILE(s) or --text"]),
    (["analyze", "{d}/empty.wav", "--text", "{d}/blank.txt"], 2, ["not both"]),
    (["analyze", "--text", "{d}/latin1.txt"], 3, ["not UTF-8"]),
    (["analyze", "--text", "{d}/blank.txt"], 3, ["contains no text"]),
    (["analyze", "--text", "{d}/missing.txt"], 3, ["no such file"]),
    (["questions", "--bank", "{d}/bad.toml"], 2, ["bad.toml", "has no id"]),
    (["questions", "--bank", "{d}/missing.toml"], 2, ["missing.toml"]),
    (["questions", "--competency", "juggling"], 2, ["unknown competency 'juggling'", "teamwork"]),
    (["practice", "--question-id", "no-such-question", "--no-voice"], 2, ["unknown question id"]),
    (["practice", "--bank", "{d}/bad.toml", "--no-voice"], 2, ["has no id"]),
    (["practice", "--count", "0"], 2, ["--count"]),
    (["practice", "--end-silence", "abc"], 2, ["--end-silence"]),
    (["no-such-command"], 2, ["No such command"]),
    (["analyze", str(AUDIO / "jfk.flac"), "--model", "{d}/folder"], 5, ["no model.bin"]),
    (["analyze", str(AUDIO / "jfk.flac"), "--model", "huge-v9"], 5, ["unknown model 'huge-v9'"]),
])
def test_error_paths(files, args, code, fragments):
    result = run_cli(*[a.format(d=files) for a in args])
    assert_one_line_error(result, code, *fragments)


def test_unknown_input_device(virtual_audio):
    result = run_cli("practice", "--no-voice", "--input-device", "no-such-microphone")
    assert_one_line_error(result, 4, "no input device named 'no-such-microphone'")


def test_unknown_device_index(virtual_audio):
    result = run_cli("practice", "--output-device", "999", "--max-seconds", "5")
    assert_one_line_error(result, 4, "no output device with index 999")


def test_no_audio_devices_at_all(tmp_path):
    # PortAudio with no sound server reachable and no sound card: nothing to record from.
    cards = Path("/proc/asound/cards")
    if cards.exists() and "no soundcards" not in cards.read_text():
        pytest.skip("this machine has a sound card")
    env = {"XDG_RUNTIME_DIR": str(tmp_path), "PULSE_SERVER": f"unix:{tmp_path}/none"}
    result = run_cli("practice", "--no-voice", env=env)
    assert_one_line_error(result, 4, "no audio input device")


def test_help_is_fast_and_light():
    import subprocess
    import sys

    probe = ("import sys; from rehearse.cli.app import main; sys.argv=['rehearse','--help'];\n"
             "try:\n    main()\nexcept SystemExit: pass\n"
             "heavy = [m for m in ('faster_whisper','ctranslate2','sounddevice','pyttsx3','numpy') if m in sys.modules]\n"
             "print(heavy, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stderr.strip() == "[]", out.stderr
    assert "practice" in out.stdout
