"""Bad and unusual input, as a user gives it: every case ends in one clear line and a documented
exit code, or, for audio that is merely unusual, in a normal report. Nothing is lost on the way.

The plain error paths (missing file, folder, text named .wav, bad flags…) are in test_cli_errors.py;
these are the rest. Every case is a row of the README's robustness table.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

from audio_formats import decode, write
from conftest import AUDIO, ROOT, run_cli
from test_cli_errors import assert_one_line_error

SPOKEN = AUDIO / "jfk.flac"  # 11 s: "And so my fellow Americans, ask not what your country can do for you…"
SENTENCE = "I led the team and we shipped the release early. "  # 49 characters, 10 words


def case(id_: str, tried: str, expected: str, *values):
    return pytest.param(*values, id=id_, marks=pytest.mark.robustness(tried, expected))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Every file the cases below use, made once from real speech (see audio_formats.py)."""
    d = tmp_path_factory.mktemp("inputs")
    mono16k, mono8k, mono96k = (decode(SPOKEN, rate, 1) for rate in (16000, 8000, 96000))
    stereo = decode(SPOKEN, 44100, 2)
    write(d / "speech.wav", mono16k, 16000)
    write(d / "rate-8k.wav", mono8k, 8000)
    write(d / "rate-96k.wav", mono96k, 96000)
    write(d / "stereo.wav", stereo, 44100)
    write(d / "pcm24.wav", mono16k, 16000, "PCM_24")
    write(d / "float.wav", mono16k, 16000, "FLOAT")
    write(d / "clipped.wav", np.clip(mono16k * 30, -1, 1), 16000)
    write(d / "silent.wav", np.zeros((10 * 16000, 1), np.float32), 16000)
    for ext in ("mp3", "ogg", "m4a"):
        write(d / f"speech.{ext}", stereo, 44100)
    # Two hours and two minutes of digital silence: small on disk (FLAC), too long to analyze.
    import soundfile as sf

    with sf.SoundFile(d / "too-long.flac", "w", 8000, 1, subtype="PCM_16") as f:
        for _ in range(122):
            f.write(np.zeros(60 * 8000, np.float32))
    speech = (d / "speech.wav").read_bytes()
    (d / "cut-short.wav").write_bytes(speech[: len(speech) // 3])  # header promises more than is there
    (d / "header-only.wav").write_bytes(speech[:44])
    (d / "garbled-header.wav").write_bytes(bytes(range(7, 51)) + speech[44:])
    with open(d / "huge.wav", "wb") as f:  # sparse: 5 GB on paper, nothing on disk
        f.write(speech[:44])
        f.truncate(5 << 30)
    (d / "long.txt").write_text(SENTENCE * 4000)  # 196,000 characters
    (d / "too-long.txt").write_text(SENTENCE * 4200)  # 205,800
    (d / "a-file").write_text("not a folder\n")
    model = d / "garbage-model"
    model.mkdir()
    (model / "model.bin").write_bytes(os.urandom(64_000))
    (model / "config.json").write_text("{}")
    banks = {
        "malformed.toml": '[[question]\nid = "x"\n',
        "empty.toml": "",
        "duplicate.toml": ('[[question]]\nid = "same"\ntext = "Tell me about a time you led."\n'
                           'kind = "behavioral"\ncompetencies = ["leadership"]\ntarget_s = [60, 120]\n') * 2,
        "wrong-types.toml": ('[[question]]\nid = "x"\ntext = 42\nkind = "behavioral"\n'
                             'competencies = "leadership"\ntarget_s = [60, 120]\n'),
    }
    for name, text in banks.items():
        (d / name).write_text(text)
    return d


def digest(folder: Path) -> dict[str, tuple]:
    """Size, modification time and, for files under 100 MB, content of every file in `folder`."""
    def one(p: Path) -> tuple:
        st = p.stat()
        small = st.st_size < 100 << 20
        return st.st_size, st.st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest() if small else None

    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): one(p) for p in sorted(folder.rglob("*")) if p.is_file()}


# --- input that cannot be used: one line, a documented code, nothing written -----------------

ERRORS = [
    case("header-only-wav", "a WAV that is only its 44-byte header", "exit 3, no audio samples",
         ["analyze", "{d}/header-only.wav"], 3, "contains no audio samples"),
    case("garbled-header-wav", "a WAV whose header is garbage", "exit 3, not readable",
         ["analyze", "{d}/garbled-header.wav"], 3, "not a readable audio file"),
    case("huge-file", "a 5 GB (sparse) WAV", "exit 3, too large, limit named",
         ["analyze", "{d}/huge.wav"], 3, "too large (5.0 GB; at most 2 GB"),
    case("two-hour-audio", "122 minutes of audio", "exit 3, too long, limit named",
         ["analyze", "{d}/too-long.flac"], 3, "too long (122 minutes; at most 120 minutes)"),
    case("audio-as-text", "a WAV given as --text", "exit 3, not UTF-8",
         ["analyze", "--text", "{d}/speech.wav"], 3, "is not UTF-8 text"),
    case("text-too-long", "a 205,800-character transcript", "exit 3, too long, limit named",
         ["analyze", "--text", "{d}/too-long.txt"], 3, "too long", "at most 200,000"),
    case("empty-stdin", "--text - with nothing on standard input", "exit 3, no text",
         ["analyze", "--text", "-"], 3, "standard input contains no text"),
    case("bank-malformed", "a question bank that is not valid TOML", "exit 2, names file, line",
         ["questions", "--bank", "{d}/malformed.toml"], 2, "malformed.toml", "not valid TOML", "line 1"),
    case("bank-empty", "an empty question bank", "exit 2, no questions",
         ["practice", "--no-voice", "--bank", "{d}/empty.toml"], 2, "empty.toml", "no questions"),
    case("bank-duplicate-id", "a bank with the same id twice", "exit 2, names the id",
         ["questions", "--bank", "{d}/duplicate.toml"], 2, "duplicate id 'same'"),
    case("bank-wrong-types", "a bank with a number for text", "exit 2, names the field",
         ["questions", "--bank", "{d}/wrong-types.toml"], 2, "wrong-types.toml", "text"),
    case("practice-unknown-competency", "practice --competency juggling", "exit 2, lists valid ones",
         ["practice", "--no-voice", "--competency", "juggling"], 2, "unknown competency 'juggling'", "teamwork"),
    case("model-garbage", "--model: a folder with a garbage model.bin", "exit 5, cannot load",
         ["analyze", "{d}/speech.wav", "--model", "{d}/garbage-model"], 5, "cannot load the speech model"),
    case("model-missing-folder", "--model: a folder that does not exist", "exit 5, names it",
         ["analyze", "{d}/speech.wav", "--model", "{d}/no-such-model/"], 5, "no-such-model does not exist"),
    case("data-folder-under-file", "REHEARSE_HOME below a regular file: history", "exit 6, names the folder",
         ["history"], 6, "cannot use the data folder", "Not a directory"),
    case("data-folder-under-file-save", "REHEARSE_HOME below a regular file: analyze --save", "exit 6",
         ["analyze", "--text", "{d}/long.txt", "--save"], 6, "cannot use the data folder"),
]


@pytest.mark.parametrize("args, code, fragments", [
    pytest.param(p.values[0], p.values[1], p.values[2:], id=p.id, marks=p.marks) for p in ERRORS])
def test_bad_input_is_one_line(inputs, data_home, request, args, code, fragments):
    under_a_file = request.node.callspec.id.startswith("data-folder")
    home = inputs / "a-file" / "data" if under_a_file else data_home
    before = digest(inputs)
    result = run_cli(*[a.format(d=inputs) for a in args], env={"REHEARSE_HOME": str(home)}, input=b"")
    assert_one_line_error(result, code, *fragments)
    assert digest(inputs) == before  # the input itself is never touched
    assert not data_home.exists() or not any(data_home.rglob("*.wav"))


@pytest.mark.robustness("rehearse.db is a folder", "exit 6, names the database")
def test_database_that_is_a_folder(data_home):
    (data_home / "rehearse.db").mkdir(parents=True)
    result = run_cli("history")
    assert_one_line_error(result, 6, "cannot use the history database")


# --- unusual audio that is still an answer: a normal report --------------------------------------

JFK_WORDS = ("country", "fellow")

VALID = [
    case("rate-8k", "8 kHz mono WAV", "exit 0, transcribed", "rate-8k.wav", None),
    case("rate-96k", "96 kHz mono WAV", "exit 0, transcribed", "rate-96k.wav", None),
    case("stereo-44k", "44.1 kHz stereo WAV", "exit 0, transcribed", "stereo.wav", None),
    case("pcm-24-bit", "24-bit PCM WAV", "exit 0, transcribed", "pcm24.wav", None),
    case("float-wav", "32-bit float WAV", "exit 0, transcribed", "float.wav", None),
    case("mp3", "MP3 made by PyAV (LAME)", "exit 0, transcribed", "speech.mp3", None),
    case("ogg", "Ogg Vorbis made by libsndfile", "exit 0, transcribed", "speech.ogg", None),
    case("m4a", "AAC in M4A made by PyAV", "exit 0, transcribed", "speech.m4a", None),
    case("clipped", "speech amplified 30x, heavily clipped", "exit 0, report says clipping", "clipped.wav",
         "clipping"),
]


@pytest.mark.model  # transcribes audio with the real model
@pytest.mark.parametrize("name, problem", VALID)
def test_unusual_audio_is_analyzed(inputs, name, problem):
    result = run_cli("analyze", str(inputs / name), "--json")
    assert result.returncode == 0, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    record = json.loads(result.stdout)
    text = record["transcript"]["text"].lower()
    assert all(w in text for w in JFK_WORDS), text
    assert 10.5 <= record["duration_s"] <= 11.5
    codes = {p["code"] for p in record["quality"]["problems"]}
    if problem:
        assert problem in codes and record["quality"]["ok"] is False
    else:
        assert "clipping" not in codes and "no_speech" not in codes


@pytest.mark.model  # transcribes audio with the real model
@pytest.mark.robustness("10 s of digital silence", "exit 0; report says no speech was heard, no tips")
def test_silence_says_why_it_cannot_be_scored(inputs):
    result = run_cli("analyze", str(inputs / "silent.wav"))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "Almost no speech was heard" in out and "(nothing was recognized)" in out
    record = json.loads(run_cli("analyze", str(inputs / "silent.wav"), "--json").stdout)
    assert record["quality"]["ok"] is False and record["tips"] == []
    assert record["metrics"]["words"] == 0


@pytest.mark.model  # transcribes audio with the real model
@pytest.mark.robustness("a WAV cut off at a third (header promises more)", "exit 0, the part that is there")
def test_cut_short_wav_keeps_what_is_there(inputs):
    result = run_cli("analyze", str(inputs / "cut-short.wav"), "--json")
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(result.stdout)
    assert 3.0 <= record["duration_s"] <= 4.0
    assert "americans" in record["transcript"]["text"].lower()


@pytest.mark.robustness("a 196,000-character transcript: within the limit", "exit 0, every word counted")
def test_long_text_within_the_limit(inputs):
    # About 14 s on idle cores, several times that beside other work: the limit is on size, not time.
    result = run_cli("analyze", "--text", str(inputs / "long.txt"), "--json", timeout=600)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["metrics"]["words"] == 40_000


@pytest.mark.robustness("a transcript of odd characters: emoji, RTL, control, combining, NUL",
                        "exit 0, text kept exactly, saved and shown back")
def test_odd_characters_in_a_transcript(tmp_path, data_home):
    text = "Um, I led 🚀 the team — שלום, e\u0301te\u0301 \x00 \x07 tab\there; we cut costs by 40%."
    source = tmp_path / "odd.txt"
    source.write_text(text, encoding="utf-8")
    saved = run_cli("analyze", "--text", str(source), "--save", "--json")
    assert saved.returncode == 0, saved.stderr.decode()
    shown = run_cli("show", "1", "--json")
    assert shown.returncode == 0, shown.stderr.decode()
    assert json.loads(shown.stdout)["transcript"]["text"] == " ".join(text.split())


def test_every_bad_input_is_in_the_table():
    """The README's robustness table lists every case of this file, so it cannot silently go stale."""
    from robustness_table import table_text

    table = table_text()
    here = Path(__file__).name
    ids = [f"{here}::test_bad_input_is_one_line[{p.id}]" for p in ERRORS]
    ids += [f"{here}::test_unusual_audio_is_analyzed[{p.id}]" for p in VALID]
    ids += [f"{here}::{name}" for name, fn in globals().items()
            if name.startswith("test_") and any(m.name == "robustness" for m in getattr(fn, "pytestmark", []))]
    assert len(ids) >= 25
    missing = [i for i in ids if f"`{i}`" not in table]
    assert not missing, f"run scripts/robustness-table: {missing}"
