"""The presentation pacing drill: targets, sections, alignment of speech to the script, and a talk
end to end on the virtual audio devices that skips a section."""

from __future__ import annotations

import json
import time

import pytest

from modes_cli import play, start, wait_for_recording
from rehearse.errors import UsageError
from rehearse.presentation import script as pace_drill
from rehearse.presentation.script import Section, align, parse_target, section_report, split_sections


@pytest.mark.parametrize("text, seconds", [
    ("5m", 300), ("90s", 90), ("2m30s", 150), ("1h", 3600), (" 3M ", 180), ("1.5m", 90),
])
def test_parse_target(text, seconds):
    assert parse_target(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "five minutes", "5q", "m", "0m", "2s30m", "-1m"])
def test_parse_target_rejects(text):
    with pytest.raises(UsageError, match="target"):
        parse_target(text)


MARKDOWN = """Good morning everyone.

# The problem
Reports were late every week.

## What we built
A new export job, with monitoring.

# Results
"""


def test_markdown_sections():
    sections = split_sections(MARKDOWN, markdown=True)
    assert [s.title for s in sections] == ["Opening", "The problem", "What we built"]  # "Results" is empty
    assert sections[1].words == ("reports", "were", "late", "every", "week")


def test_paragraph_sections():
    text = "First part of the talk.\nStill the first part.\n\n   \nSecond part here, a longer one today.\n"
    sections = split_sections(text, markdown=False)
    assert [s.words[:2] for s in sections] == [("first", "part"), ("second", "part")]
    assert sections[1].title == "Second part here, a longer…"


@pytest.mark.parametrize("spoken, script, expected", [
    ("a b c d", "a b c d", [0, 1, 2, 3]),
    ("a b x y c d", "a b c d", [0, 1, None, None, 2, 3]),
    ("a b e f", "a b c d e f", [0, 1, 4, 5]),  # c d skipped
    ("the z the", "the a b the", [None, None, None]),  # single words matching by chance do not count
    ("", "a b", []),
])
def test_align(spoken, script, expected):
    assert align(spoken.split(), script.split()) == expected


def _words(text: str, step: float = 0.5):
    return [(w, i * step, i * step + 0.4) for i, w in enumerate(text.split())]


def test_section_report_finds_a_skipped_section_and_added_words():
    sections = [Section("one", ("alpha", "beta", "gamma", "delta")),
                Section("two", ("red", "green", "blue", "black")),
                Section("three", ("north", "south", "east", "west"))]
    said = "alpha beta gamma delta " + "we also had some words nobody wrote down here " + "north south east west"
    rows, added = section_report(_words(said), sections, target_s=60)
    assert [r["skipped"] for r in rows] == [False, True, False]
    assert [r["planned_s"] for r in rows] == [20.0, 20.0, 20.0]
    assert rows[1]["spoken_s"] == 0.0
    assert rows[0]["spoken_s"] == pytest.approx(6.5)  # its 4 words and the 9 added after them
    assert rows[2]["spoken_s"] == pytest.approx(1.9)
    assert added == [{"text": "we also had some words nobody wrote down here", "start": 2.0, "after": "one"}]


@pytest.mark.parametrize("spoken_s, target_s, expected", [
    (300, 300, True), (325, 300, True), (340, 300, False), (250, 300, False), (52, 60, True), (45, 60, False),
])
def test_on_time(spoken_s, target_s, expected):
    assert pace_drill.on_time(spoken_s, target_s) is expected


def test_bad_target_is_a_usage_error(tmp_path):
    from conftest import run_cli

    done = run_cli("pace", "--target", "soon")
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == [
        "rehearse: error: target 'soon' is not a duration; write it like 5m, 90s or 2m30s"]


SCRIPT = """# Welcome
Thank you all for coming to this short talk about our reporting system.

# The history
Ten years ago the company printed every report on paper and mailed it to customers.

# The results
Today every customer gets a live dashboard, and support calls went down by half.
"""


def test_pace_drill_reports_a_skipped_section(virtual_audio, synth, tmp_path):
    script = tmp_path / "talk.md"
    script.write_text(SCRIPT, encoding="utf-8")
    # A pause between the two parts gives the live display time to recognize the first one, long
    # enough for a decode on a busy machine (the pause itself is timed by the sound server).
    said = _join(tmp_path / "talk.wav",
                 synth("Thank you all for coming to this short talk about our reporting system."),
                 synth("Today every customer gets a live dashboard, and support calls went down by half.",
                       lead_s=3.0))
    # The pause plus espeak's own trailing quiet comes near 3.3 s: end on a longer silence.
    proc, err = start("pace", str(script), "--target", "30s", "--json", "--end-silence", "5",
                      "--max-seconds", "45")
    wait_for_recording(err, proc)
    play(said)
    out, _ = proc.communicate(timeout=240)
    time.sleep(0.2)  # the last lines of stderr
    assert proc.returncode == 0, "".join(err)
    report = json.loads(out)
    sections = {s["title"]: s for s in report["sections"]}
    assert list(sections) == ["Welcome", "The history", "The results"]
    assert sections["The history"]["skipped"], report["transcript"]["text"]
    assert not sections["Welcome"]["skipped"] and not sections["The results"]["skipped"], report["transcript"]["text"]
    assert sections["The results"]["spoken_s"] > 2 and sections["Welcome"]["spoken_s"] > 2
    assert sum(s["planned_s"] for s in report["sections"]) == pytest.approx(30, abs=0.2)
    assert report["on_time"] is False and report["spoken_s"] < 15  # two of three parts: short
    assert {"metrics", "fillers", "pauses", "transcript"} <= set(report)
    assert any("Section: Welcome" in line for line in err), "".join(err)

    # The drill is kept in the history beside the answers, and shown there as a drill.
    from conftest import run_cli

    listed = json.loads(run_cli("history", "--json").stdout)
    assert [a["id"] for a in listed] == [report["id"]]
    assert listed[0]["question_text"] == "Pacing drill: talk.md, 0:30 target"
    assert listed[0]["audio_path"] == report["audio_path"]
    shown = run_cli("show", str(report["id"]))
    assert shown.returncode == 0, shown.stderr.decode()
    assert "short" in shown.stdout.decode() and "The history" in shown.stdout.decode()
    page = tmp_path / "drill.html"
    made = run_cli("report", str(report["id"]), "--output", str(page))
    assert made.returncode == 0, made.stderr.decode()
    assert "Pacing drill: talk.md" in page.read_text(encoding="utf-8")
    again = run_cli("retry", str(report["id"]), "--no-voice")
    assert again.returncode == 2
    assert again.stderr.decode().strip() == (f"rehearse: error: attempt {report['id']} is a pacing drill; "
                                             "run 'rehearse pace' again to repeat it")


def _join(path, *parts):
    import numpy as np

    from rehearse.audio.sound import load_audio, write_wav

    write_wav(path, np.concatenate([load_audio(p) for p in parts]))
    return path
