"""The commands that show stored attempts, and the question commands, as a person sees them: each
run in a real terminal (tmux) at 80×24 and 120×40, the whole scrollback read back and compared with
the same command's --json. The data folder holds typed answers to bank questions, so these need
neither the model nor audio devices."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli
from screen import SIZES, Screen, flat, in_order, occurrences, panel, size_id, stray_lines
from test_review import OTHERS, RETOLD

# (question id, typed answer): one story told twice, two others, and a short one that earns tips.
ANSWERS = [
    ("deadline-about-to-miss", RETOLD[0]),
    ("customer-very-unhappy", RETOLD[1]),
    ("conflict-coworker-disagree", OTHERS[0]),
    ("learning-new-skill-quickly", OTHERS[1]),
    ("deadline-about-to-miss", "Um, we had a deadline and, like, we kind of made it, basically."),
]
LEGEND = "Situation Task Action Result filler [long pause]"
CANDIDATE_QUESTIONS = (
    "What are the biggest challenges the team faces this year? How do you measure success in this "
    "role in the first 90 days? How much vacation do I get?"
)


@pytest.fixture
def attempts(data_home):
    """The answers as a practice session keeps them: ids 1..5, oldest first."""
    from rehearse import assess as coach
    from rehearse.attempt import Record
    from rehearse.history import database as history
    from rehearse.history import folder as store
    from rehearse.questions import find, load_bank
    from rehearse.transcription.whisper import transcript_from_text

    bank, session = load_bank(), store.new_session_dir()
    for n, (qid, text) in enumerate(ANSWERS):
        record = coach.assess(transcript_from_text(text), find(bank, qid)).to_json()
        record["created_at"] = f"2026-03-0{n + 1}T10:00:00+00:00"
        stem = store.attempt_stem(session, qid)
        store.save_json(stem.with_suffix(".json"), record)
        history.record_attempt(Record.from_json(record), session, json_path=stem.with_suffix(".json"))
    return data_home


def json_of(*args: str):
    done = run_cli(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def run_screen(tmp_path, name: str, size, *args: str) -> str:
    screen = Screen(tmp_path, name, size, *args)
    try:
        status, text = screen.wait_exit(timeout=120)
    finally:
        screen.close()
    assert status == 0, text
    assert not stray_lines(text), text
    return text


def bank_question(qid: str) -> str:
    from rehearse.questions import find, load_bank

    return find(load_bank(), qid).text


def check_question_once(text: str, question: str) -> None:
    """The question in full exactly once, and its opening words nowhere else."""
    assert occurrences(text, question) == 1, text
    assert occurrences(text, " ".join(question.split()[:6])) == 1, text


def check_attempt_screen(text: str, record: dict, quotes: bool = True) -> None:
    """Every tip (and its quote, in a fresh report), the whole transcript in order, the question once."""
    tips = panel(text, "Tips") if record["tips"] else ""
    for tip in record["tips"]:
        assert flat(tip["text"]) in tips, (tip["text"], text)
        if quotes and tip.get("quote"):
            assert flat(f"“{tip['quote']}”") in tips, (tip["quote"], text)
    transcript = panel(text, "Transcript").removesuffix(f" {LEGEND}")  # `show` explains its marks
    transcript = re.sub(r"\[\d+\.\d s\] ", "", transcript)  # and marks long pauses
    assert transcript == flat(record["transcript"]["text"]), text
    check_question_once(text, record["question"]["text"])
    if quotes:  # a fresh report: each of its measures whole on one line
        metrics = record["metrics"]
        measures = [f"Words {metrics['words']}", f"Fillers {len(record['fillers'])}"]
        if metrics.get("wpm") is not None:
            measures.append(f"Pace {metrics['wpm']:.0f} words/min")
        for measure in measures:
            assert any(measure in line for line in text.splitlines()), (measure, text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_show(attempts, tmp_path, size):
    text = run_screen(tmp_path, "show", size, "show", "5")
    record = json_of("show", "5")
    assert record["tips"], "the attempt should earn tips"
    check_attempt_screen(text, record, quotes=False)  # `show` lists the tips without quotes
    assert "Attempt 5" in text and f"Words {record['metrics']['words']}" in flat(text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_compare(attempts, tmp_path, size):
    text = run_screen(tmp_path, "compare", size, "compare", "1", "5")
    comparison = json_of("compare", "1", "5")
    check_question_once(text, comparison["a"]["question_text"])
    for row in comparison["measures"]:
        assert row["label"] in text, (row, text)
    counts = comparison["counts"]
    assert f"Words: {counts['added']} added, {counts['dropped']} dropped" in flat(text), text
    diff = []
    for run in comparison["diff"]:
        diff += {"same": run.get("after"), "added": run.get("after"), "dropped": run.get("before")}.get(
            run["op"], f"{run.get('before')}→{run.get('after')}").split()
    assert in_order(text, diff), (diff, text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_progress(attempts, tmp_path, size):
    from rehearse.review.progress import SERIES

    text = run_screen(tmp_path, "progress", size, "progress")
    result = json_of("progress")
    assert f"{len(result['attempts'])} attempts" in text, text
    for key, label, digits, _ in SERIES:
        trend = result["trends"][key]
        row = next((flat(line) for line in text.splitlines() if flat(line).startswith(label)), None)
        assert row is not None, (label, text)
        cells = row[len(label):].split()
        shown = ["–" if v is None else f"{v:.{digits}f}" for v in (trend["first"], trend["last"])]
        if trend["change"] is not None:
            shown.append(f"{trend['change']:+.{digits}f}")
        assert cells[-len(shown):] == shown, (key, trend, row)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_stories(attempts, tmp_path, size):
    text = run_screen(tmp_path, "stories", size, "stories")
    result = json_of("stories")
    for row in result["competencies"]:
        if row["attempts"]:
            assert in_order(text, [row["competency"], str(len(row["attempts"]))]), (row, text)
    never = [r["competency"] for r in result["competencies"] if not r["attempts"]]
    if never:
        assert f"Not practised yet: {', '.join(never)}" in flat(text), text
    for story in result["reused"]:
        assert f"is told for {', '.join(story['competencies'])}" in flat(text), text
    assert f"Distinct stories: {result['distinct_stories']}" in text
    if result["advice"]:
        assert flat(result["advice"]) in flat(text), text


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_history(attempts, tmp_path, size):
    text = run_screen(tmp_path, "history", size, "history")
    listed = json_of("history")
    assert len(listed) == len(ANSWERS)
    words = {w for a in listed for w in (a["question_text"] or "").split()}
    for attempt in listed:
        assert in_order(text, [str(attempt["id"]), *attempt["question_text"].split()[:5]]), (attempt, text)
    # A question too long for its cell is cut after a whole word.
    cut = [token for token in flat(text).split() if token.endswith("…")]
    assert cut and all(token[:-1] in words for token in cut), (cut, text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_ask(tmp_path, size):
    typed = tmp_path / "questions.txt"
    typed.write_text(CANDIDATE_QUESTIONS)
    text = run_screen(tmp_path, "ask", size, "ask", "--text", str(typed))
    result = json_of("ask", "--text", str(typed))
    assert result["candidate_questions"]
    for q in result["candidate_questions"]:
        assert flat(f"{q['verdict']} “{q['text']}” {q['reason']}") in flat(text), (q, text)
    for suggestion in result.get("suggestions") or []:
        assert f"• {flat(suggestion)}" in flat(text), (suggestion, text)
    check_hanging(text)


def check_hanging(text: str) -> None:
    """Under "Your questions for them", only a verdict or a heading starts at the left edge: a
    wrapped line is indented under its question or suggestion."""
    section = text.split("Your questions for them", 1)[1].splitlines()[1:]
    starts = ("thoughtful", "weak", "ok", "Questions you could ask:", "You asked no questions")
    for line in section:
        if not line.strip():
            break
        assert line.startswith((" ", *starts)), (line, text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_questions(tmp_path, size):
    text = run_screen(tmp_path, "questions", size, "questions", "--competency", "conflict")
    listed = json_of("questions", "--competency", "conflict")
    assert listed
    for q in listed:
        assert in_order(text, [q["id"], *q["text"].split()]), (q, text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_analyze_text(tmp_path, size):
    typed = tmp_path / "answer.txt"
    typed.write_text(ANSWERS[-1][1])
    question = bank_question(ANSWERS[-1][0])
    text = run_screen(tmp_path, "analyze-text", size, "analyze", "--text", str(typed), "--question", question)
    record = json_of("analyze", "--text", str(typed), "--question", question)
    assert record["tips"], "the answer should earn tips"
    check_attempt_screen(text, record)
