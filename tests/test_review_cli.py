"""Every history command end to end, as a user runs it, on attempts made from real speech with the
real model: synthesized answers (one with a long pause) and a real recording."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from conftest import AUDIO, ROOT, run_cli
from test_review import OTHERS, RETOLD

# (question id, what is said; "|" is a three-second silence)
ANSWERS = [
    ("deadline-about-to-miss", RETOLD[0].replace(" I was responsible", " | I was responsible")),
    ("customer-very-unhappy", RETOLD[1]),
    ("conflict-coworker-disagree", OTHERS[0]),
]


@pytest.fixture(scope="module")
def answers(synth, transcriber, tmp_path_factory):
    """Records made once per module by the real pipeline: (wav path, record)."""
    from rehearse.audio.sound import load_audio, write_wav
    from rehearse.assess import assess
    from rehearse.questions import find, load_bank

    bank, folder, out = load_bank(), tmp_path_factory.mktemp("answers"), []
    clips = [(qid, [load_audio(synth(part.strip())) for part in text.split("|")]) for qid, text in ANSWERS]
    clips.append(("leadership-unpopular-decision", [load_audio(AUDIO / "jfk.flac")]))
    for n, (qid, parts) in enumerate(clips):
        gap = np.zeros(3 * 16000, np.float32)
        audio = np.concatenate([x for p in parts for x in (p, gap)][:-1])
        wav = folder / f"{qid}.wav"
        write_wav(wav, audio)
        record = assess(transcriber.transcribe(audio), find(bank, qid), audio=audio, audio_path=wav).to_json()
        record["created_at"] = f"2026-03-0{n + 1}T10:00:00+00:00"
        out.append((wav, record))
    return out


@pytest.fixture
def stored(answers, data_home):
    """The answers saved as a practice session saves them, and indexed: ids 1..4 oldest first."""
    from rehearse.attempt import Record
    from rehearse.history import database as history
    from rehearse.history import folder as store

    session = store.new_session_dir()
    for wav, record in answers:
        stem = store.attempt_stem(session, record["question"]["id"])
        shutil.copy(wav, stem.with_suffix(".wav"))
        saved = {**record, "audio_path": str(stem.with_suffix(".wav"))}
        store.save_json(stem.with_suffix(".json"), saved)
        history.record_attempt(Record.from_json(saved), session)
    return session


def ok(*args: str) -> str:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def as_json(*args: str):
    return json.loads(ok(*args, "--json"))


def one_line_error(args, code: int, text: str) -> None:
    result = run_cli(*args)
    err = result.stderr.decode().strip()
    assert result.returncode == code, err
    assert err.splitlines() == [f"rehearse: error: {text}"] or (len(err.splitlines()) == 1 and text in err), err


def test_history(stored):
    listed = as_json("history")
    assert [a["id"] for a in listed] == [4, 3, 2, 1]
    assert listed[3]["question_id"] == "deadline-about-to-miss" and listed[3]["wpm"] > 80
    assert [a["id"] for a in as_json("history", "-n", "2")] == [4, 3]
    assert [a["id"] for a in as_json("history", "--competency", "customer")] == [2]
    text = ok("history")
    assert "Tell me about a time" in text and "STAR" in text


def test_history_stays_light(stored):
    probe = ("import sys\nfrom rehearse.cli.app import main\ntry:\n    main(['history'])\nexcept SystemExit:\n"
             "    pass\nheavy = {'faster_whisper', 'ctranslate2', 'sounddevice', 'plotly', 'av', 'soundfile', 'scipy'}\n"
             "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_show(stored):
    text = ok("show", "1")
    assert "reporting pipeline" in text and "Tips" in text
    assert "[3." in text or "[2." in text, text  # the long pause, with its length
    shown = as_json("show", "1")
    assert shown["id"] == 1 and shown["transcript"]["text"] and shown["question"]["id"] == "deadline-about-to-miss"
    one_line_error(["show", "99"], 2, "no attempt with id 99; see 'rehearse history'")


def test_delete(stored):
    wav = next(stored.glob("customer-very-unhappy-*.wav"))
    ok("delete", "2")
    assert not wav.exists() and not wav.with_suffix(".json").exists()
    assert [a["id"] for a in as_json("history")] == [4, 3, 1]
    one_line_error(["delete", "2"], 2, "no attempt with id 2; see 'rehearse history'")


def test_export(stored, tmp_path):
    single = json.loads(ok("export", "1", "--format", "json"))
    assert single["id"] == 1 and single["audio_path"].endswith(".wav")
    session = json.loads(ok("export", "--session", stored.name, "--format", "json"))
    assert [a["id"] for a in session] == [1, 2, 3, 4]
    md = ok("export", "1", "--format", "md")
    assert md.startswith("# Describe a situation") and "## STAR" in md and "## Transcript" in md
    out = tmp_path / "s.md"
    assert ok("export", "--session", stored.name, "--output", str(out)).strip() == str(out)
    assert out.read_text().count("## Transcript") == 4
    one_line_error(["export", "1", "--session", stored.name], 2, "not both")
    one_line_error(["export", "--session", "nope"], 2, "no session named 'nope'")


def test_compare(stored):
    c = as_json("compare", "1", "2")
    assert (c["a"]["id"], c["b"]["id"]) == (1, 2)
    assert {m["measure"] for m in c["measures"]} >= {"wpm", "fillers_per_min", "duration_s", "star_parts"}
    assert {d["op"] for d in c["diff"]} >= {"same", "added", "dropped"} and 0 < c["similarity"] < 1
    said = " ".join(d["after"] for d in c["diff"] if d["op"] in ("same", "added", "reworded"))
    assert "client" in said.lower()
    text = ok("compare", "1", "2")
    assert "words/min" in text and "reworded" in text


def test_progress(stored):
    p = as_json("progress")
    assert [a["id"] for a in p["attempts"]] == [1, 2, 3, 4]
    assert set(p["trends"]) == {"fillers_per_min", "wpm", "duration_s", "star_parts"}
    assert [a["id"] for a in as_json("progress", "--competency", "conflict")["attempts"]] == [2, 3]
    assert [a["id"] for a in as_json("progress", "--since", "2026-03-03")["attempts"]] == [3, 4]
    text = ok("progress")
    assert any(bar in text for bar in "▁▂▃▄▅▆▇█")
    one_line_error(["progress", "--since", "March"], 2, "--since 'March' is not a date like 2026-01-31")


def test_stories(stored):
    s = as_json("stories")
    assert [r["attempts"] for r in s["reused"]] == [[1, 2]], s["stories"]
    assert set(s["reused"][0]["competencies"]) >= {"deadline", "customer"}
    assert s["distinct_stories"] == 3 and s["advice"] is None
    rows = {r["competency"]: r for r in s["competencies"]}
    assert rows["conflict"]["attempts"] == [2, 3] and rows["ethics"]["attempts"] == []
    assert "ethics" in s["without_strong"]
    text = ok("stories")
    assert "One story" in text and "Not practised yet" in text


def test_play_errors(stored):
    one_line_error(["play", "1", "--from", "999"], 2, "--from 999 is past the end of the recording")
    one_line_error(["play", "42"], 2, "no attempt with id 42; see 'rehearse history'")


def test_play(stored, virtual_audio, tmp_path):
    heard = tmp_path / "heard.wav"
    capture = subprocess.Popen(["parecord", "--device=spk.monitor", "--file-format=wav", str(heard)])
    try:
        time.sleep(0.3)
        ok("play", "4", "--from", "1.5")  # the default speaker is the virtual "spk"
        time.sleep(0.3)
    finally:
        capture.terminate()
        capture.wait()
    import soundfile

    audio, _ = soundfile.read(heard)
    assert np.abs(audio).max() > 0.05  # the recording was audible on the speaker


def test_retry(stored, virtual_audio, synth):
    proc = subprocess.Popen([sys.executable, "-m", "rehearse", "retry", "3", "--no-voice", "--json",
                             "--end-silence", "2"], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    deadline = time.monotonic() + 60
    while not any("Recording" in line for line in lines):
        assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)
        time.sleep(0.05)
    time.sleep(0.5)
    subprocess.run(["paplay", "--device=mic", str(synth(OTHERS[0].replace("30 percent", "40 percent")))],
                   check=True)
    out, _ = proc.communicate(timeout=240)
    assert proc.returncode == 0, "".join(lines)
    record, comparison = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert record["question"]["id"] == "conflict-coworker-disagree"
    assert comparison["a"]["id"] == 3 and comparison["b"]["id"] == 5
    assert comparison["similarity"] > 0.6
    assert [a["id"] for a in as_json("history", "-n", "1")] == [5]


def test_analyze_save(data_home):
    result = run_cli("analyze", str(AUDIO / "jfk.flac"), "--save", "--json", "--question", "Ask me")
    assert result.returncode == 0, result.stderr.decode()
    assert "Saved as attempt 1" in result.stderr.decode()
    record = json.loads(result.stdout)
    wav = data_home / record["audio_path"]
    assert wav.parent.parent == data_home and wav.suffix == ".wav" and wav.with_suffix(".json").is_file()
    assert record["source_path"] == str((AUDIO / "jfk.flac").resolve())
    assert as_json("show", "1")["transcript"]["text"] == record["transcript"]["text"]
    typed = run_cli("analyze", "--text", "-", "--save", input=b"I fixed the build. It took a day.")
    assert typed.returncode == 0 and "Saved as attempt 2" in typed.stderr.decode()
    assert [a["id"] for a in as_json("history")] == [2, 1]
    assert run_cli("play", "2").returncode == 3  # a typed answer has no recording


def test_retry_errors(stored):
    one_line_error(["retry", "99", "--no-voice"], 2, "no attempt with id 99; see 'rehearse history'")
    result = run_cli("retry", "1", "--no-voice", "--input-device", "no-such-microphone")
    assert result.returncode == 4, result.stderr.decode()  # the flags reach the practice session
