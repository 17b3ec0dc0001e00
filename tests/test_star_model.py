"""The STAR detector's pieces: restarts left out, the shipped weights, confidence and the way a
person sees it (the JSON report, tips that ask), and that light commands never load the parse."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli
from rehearse.analyze import analyze
from rehearse.analyze.sentences import norm
from rehearse.analyze.star_model import Verdict, weights
from rehearse.analyze.star_parse import kept_words
from rehearse.attempt import STAR_PARTS
from rehearse.transcription.whisper import transcript_from_text

STORY = ("Last spring our warehouse was shipping orders late. I was asked to find out why. "
         "I walked the floor for a week and timed each step. I moved packing next to the dock. "
         "Late orders fell from 12% to 3%.")


@pytest.mark.parametrize("text, kept", [
    ("I went - I went to the bank", "I went to the bank"),
    ("my my till was shut", "my till was shut"),
    ("it was very very slow", "it was very very slow"),  # emphasis, not a restart
    ("we we hit ninety seconds", "we hit ninety seconds"),
    ("so I told them", "so I told them"),
])
def test_restarts_are_not_read(text: str, kept: str) -> None:
    transcript = transcript_from_text(text)
    words = [transcript.words[i].word for i in kept_words(transcript, frozenset())]
    assert " ".join(norm(w) for w in words) == kept.lower()


def test_shipped_weights_cover_every_part() -> None:
    model = weights()
    assert set(model["states"]) >= set(STAR_PARTS) | {"other"}
    assert len(model["transitions"]) == len(model["states"])
    assert set(model["verdict"]) == set(STAR_PARTS)
    assert 50 < sum(len(w) for w in model["state_features"].values()) < 5000  # small, not a table
    # the verdict leans on the clause model and the cue rules alike
    assert all(v["coef"][0] > 0 and v["coef"][2] > 0 for v in model["verdict"].values())


@pytest.mark.parametrize("present, probability, confidence", [
    (True, 0.9, 0.9), (False, 0.1, 0.9), (False, 0.4, 0.6),
])
def test_confidence_is_of_the_verdict_given(present, probability, confidence) -> None:
    assert Verdict(present, probability, False).confidence == confidence


def test_a_full_story_is_found_with_confidence() -> None:
    star = analyze(transcript_from_text(STORY), target_s=(5, 120)).star
    for name, part in star.parts.items():
        assert part.present, name
        assert 0.5 <= part.confidence <= 1.0


def test_json_report_carries_confidence_and_tip_kind(tmp_path) -> None:
    text = tmp_path / "answer.txt"
    text.write_text("Last year our release slipped by a month at my previous company. I had to "
                    "get it back on track. We split the work into weekly goals and we met each "
                    "owner every Monday. We also moved testing earlier.")
    done = run_cli("analyze", "--text", str(text), "--json")
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads(done.stdout)
    for name in STAR_PARTS:
        part = report["star"][name]
        assert {"present", "evidence", "confidence", "sure"} <= set(part)
        assert 0.0 <= part["confidence"] <= 1.0 and isinstance(part["sure"], bool)
    assert report["star"]["result"]["present"] is False
    kinds = {t["kind"] for t in report["tips"]}
    assert kinds <= {"missing", "ask", "advice"}
    result_tip = next(t for t in report["tips"] if "turned out" in t["text"])
    sure = report["star"]["result"]["sure"]
    assert result_tip["kind"] == ("missing" if sure else "ask")
    assert result_tip["text"].startswith("The answer stops" if sure else "Did you say")


@pytest.mark.parametrize("command", [["--help"], ["history"]])
def test_light_commands_do_not_load_the_parse(command: list[str]) -> None:
    probe = ("import sys\nfrom rehearse.cli.app import main\ntry:\n"
             f"    main({command!r})\nexcept SystemExit:\n    pass\n"
             "heavy = {'spacy', 'thinc', 'sklearn', 'sklearn_crfsuite', 'pycrfsuite'}\n"
             "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_the_report_shows_the_tip_that_asks(tmp_path) -> None:
    text = tmp_path / "answer.txt"
    text.write_text("Last year our release slipped by a month at my previous company. I had to "
                    "get it back on track. We split the work into weekly goals and we met each "
                    "owner every Monday. We also moved testing earlier.")
    done = run_cli("analyze", "--text", str(text), env={"COLUMNS": "100"})
    assert done.returncode == 0, done.stderr.decode()
    shown = " ".join(line.strip("│ ") for line in done.stdout.decode().splitlines())
    assert "Did you say how it turned out?" in shown
    assert 'You tell the action as "we"' in shown
    assert "moved testing earlier." in shown  # the transcript is wrapped, not cut at the edge


@pytest.mark.parametrize("sentence, features", [
    ("We restored service in under an hour.", {"verb=outcome", "time_bound", "aspect="}),
    ("I was asked to cut the wait.", {"verb=duty", "aspect=passive"}),
    ("Our release had slipped by a month.", {"verb=mishap", "aspect=perfect"}),
    ("The build was failing every night.", {"aspect=progressive"}),
    ("We didn't ship on Friday.", {"negated"}),
])
def test_clause_features_from_the_parse(sentence: str, features: set[str]) -> None:
    from rehearse.analyze.star_model import own_features
    from rehearse.analyze.star_parse import parse_clauses

    clause, = parse_clauses(transcript_from_text(sentence))
    assert features <= {name for name, value in own_features(clause).items() if value}
