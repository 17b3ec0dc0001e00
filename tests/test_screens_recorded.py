"""The recording commands as a person sees them: practice, retry, interview, ask and pace, each run in a
real terminal (tmux) at 80×24 and 120×40 on the virtual audio devices with the real model. A
synthesized answer is played into the virtual microphone once the recording listens; the screen is
watched while it records, and the whole scrollback is read back and compared with the attempt's
JSON: every tip and its quote, the whole transcript, the question once, the recording line
redrawn in place, and nothing from the sound libraries."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from conftest import run_cli
from modes_cli import _listening, play
from screen import SIZES, Screen, flat, occurrences, panel, size_id, stray_lines
from test_screens_review import attempts, check_attempt_screen, check_hanging, json_of  # noqa: F401  (a fixture)

QUESTION_ID = "deadline-about-to-miss"
# Short of the question's 60 s target, so it always earns a tip about its length.
ANSWER = (
    "Last spring our biggest customer threatened to leave because the weekly reports were late. "
    "I was responsible for the reporting pipeline. I rewrote the export job and added monitoring. "
    "As a result, reports arrived on time every week and the customer renewed their contract."
)
SCRIPT = "# Opening\n\nGood morning everyone, thank you for coming.\n\n# Plan\n\nToday I will walk you " \
         "through our plan for the next quarter and what it means for the team.\n"
REC = re.compile(r"● (REC )?(\d+:\d\d)")  # the recording line: practice's and the pacing drill's
FOLLOW_UP = "And what was the result?"
WAIT_S, RUN_S = 180, 400  # generous: both cores may be busy with other work


@pytest.fixture(scope="module")
def answer(synth):
    return synth(ANSWER)


def answer_on_screen(screen: Screen, wav) -> list[list[str]]:
    """Once the recording listens, play `wav` into the microphone; the recording lines of every
    screen seen until the recording ends."""
    screen.wait_for(lambda s: REC.search(s) is not None and _listening(), WAIT_S, "recording line")
    player = threading.Thread(target=play, args=(wav,))
    player.start()
    seen = []
    while True:
        shown = [line for line in screen.capture().splitlines() if REC.search(line)]
        if not shown and not player.is_alive():
            break
        if shown:
            seen.append(shown)
        if screen.exit_status() is not None:
            break
        time.sleep(0.3)
    player.join()
    return seen


def check_recording_line(seen: list[list[str]]) -> None:
    """One line, redrawn in place: its clock advances and it hears the speech."""
    assert seen, "no recording line was seen"
    assert all(len(lines) == 1 for lines in seen), seen
    clocks = [REC.search(lines[0]).group(2) for lines in seen]
    assert len(set(clocks)) >= 3 and clocks == sorted(clocks, key=lambda c: tuple(map(int, c.split(":")))), clocks
    assert any("speaking" in lines[0] or "wpm" in lines[0] for lines in seen), seen


def check_clean(text: str) -> None:
    assert not stray_lines(text), text
    assert not REC.search(text), f"the recording line was left on the screen:\n{text}"


def run_recorded(tmp_path, name, size, answer, *args: str, end_silence: str = "2",
                 follow_up: tuple[str, Path] | None = None) -> str:
    """The command's whole screen once it exits cleanly, `answer` played when it records; with
    `follow_up` (prompt, reply), `reply` is played once the prompt is shown and a new recording
    listens. Every recording line is checked."""
    screen = Screen(tmp_path, name, size, *args, "--end-silence", end_silence)
    try:
        seen = [answer_on_screen(screen, answer)]
        if follow_up is not None:
            prompt, reply = follow_up
            screen.wait_for(lambda s: prompt in flat(s), WAIT_S, "the follow-up question")
            seen.append(answer_on_screen(screen, reply))
        status, text = screen.wait_exit(RUN_S)
    finally:
        screen.close()
    assert status == 0, text
    check_clean(text)
    for lines in seen:
        check_recording_line(lines)
    return text


def latest_attempt() -> dict:
    return json_of("show", str(json_of("history")[0]["id"]))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_practice_screen(virtual_audio, answer, tmp_path, size):
    """With the spoken question: the voice's playback is where ALSA's underrun notes came from."""
    text = run_recorded(tmp_path, "practice", size, answer, "practice", "--question-id", QUESTION_ID)
    record = latest_attempt()
    assert record["tips"], "a short answer always earns a tip"
    check_attempt_screen(text, record)
    # A path longer than the screen is folded where it reaches the edge.
    assert f"Saved{record['audio_path']}" in "".join(text.split()), text


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_retry_screen(virtual_audio, attempts, answer, tmp_path, size):
    text = run_recorded(tmp_path, "retry", size, answer, "retry", "1", "--no-voice")
    record = latest_attempt()
    assert record["tips"], "a short answer always earns a tip"
    check_attempt_screen(text, record)
    comparison = json_of("compare", "1", str(record["id"]))
    for row in comparison["measures"]:
        assert row["label"] in text, (row, text)
    counts = comparison["counts"]
    assert f"Words: {counts['added']} added, {counts['dropped']} dropped" in flat(text), text


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_interview_screen(virtual_audio, answer, tmp_path, size, data_home):
    from rehearse.report import clock

    text = run_recorded(tmp_path, "interview", size, answer, "interview", "--question-id", QUESTION_ID,
                           "--no-follow-ups", "--no-voice")
    record = latest_attempt()
    answering, summary = text.split("Interview summary")
    assert record["tips"], "a short answer always earns a tip"
    check_attempt_screen(answering, record)
    rows = [flat(line) for line in summary.splitlines() if flat(line).startswith("1 ")]
    assert len(rows) == 1, summary
    # the length the answer's report showed, not the recording's
    assert f"{clock(record['length']['duration_s'])} {record['metrics']['wpm']:.0f}" in rows[0], rows
    page = data_home / "reports" / f"session-{record['session']}.html"
    assert page.is_file() and f"Sessionreport:{page}" in "".join(summary.split()), summary


def test_interview_follow_up_screen(virtual_audio, synth, tmp_path, data_home):
    """An answer with no result: the follow-up shown once, its reply recorded on a fresh recording
    line, and the report of answer and reply together. One size: the layout is the one above."""
    from rehearse.report import clock
    from test_modes_interview import NO_RESULT, REPLY

    answer, reply = synth(NO_RESULT, engine="piper"), synth(REPLY, engine="piper")
    text = run_recorded(tmp_path, "interview-follow-up", (80, 24), answer, "interview", "--question-id",
                        QUESTION_ID, end_silence="1.5", follow_up=(FOLLOW_UP, reply))
    record = latest_attempt()
    assert record["follow_up"]["asked"] and record["follow_up"]["question"] == FOLLOW_UP, record["follow_up"]
    answering, summary = text.split("Interview summary")
    assert occurrences(answering, FOLLOW_UP) == 1, answering
    # The question, the follow-up, then the one report of the whole answer.
    assert flat(answering).index(FOLLOW_UP) < flat(answering).index("Transcript"), answering
    check_attempt_screen(answering, record)
    length = clock(record["length"]["duration_s"])
    assert f"Length {length}" in flat(answering) and f" {length} " in flat(summary), text
    assert "renew" in panel(answering, "Transcript").lower(), answering


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_ask_screen(virtual_audio, synth, tmp_path, size):
    """The closing question answered aloud: the report, then each question judged."""
    said = synth("What are the biggest challenges the team faces this year? "
                 "How do you measure success in this role?")
    text = run_recorded(tmp_path, "ask-spoken", size, said, "ask", "--no-voice")
    record = latest_attempt()
    check_attempt_screen(text, record)
    assert record["candidate_questions"], record["transcript"]
    judged = text.split("Your questions for them")[1]
    for q in record["candidate_questions"]:
        assert flat(f"{q['verdict']} “{q['text']}” {q['reason']}") in flat(judged), (q, judged)
    for suggestion in record.get("suggestions") or []:
        assert f"• {flat(suggestion)}" in flat(judged), (suggestion, judged)
    check_hanging(text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_pace_screen(virtual_audio, synth, tmp_path, size):
    from rehearse.report import clock

    script = tmp_path / "talk.md"
    script.write_text(SCRIPT)
    talk = synth(re.sub(r"#.*\n", "", SCRIPT))
    text = run_recorded(tmp_path, "pace", size, talk, "pace", str(script), "--target", "30s")
    report = latest_attempt()
    verdict = "on time ✓" if report["on_time"] else "short ✗"
    assert f"Spoke {clock(report['spoken_s'])} of {clock(report['target_s'])} target: {verdict}" in text, text
    assert f"Pace {report['metrics']['wpm']:.0f} words/min" in text, text
    for row in report["sections"]:
        assert f"{row['title']} {clock(row['planned_s'])} {clock(row['spoken_s'])}" in flat(text), (row, text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_error_screen(virtual_audio, tmp_path, size):
    """A bad device is one line from rehearse, with nothing from PortAudio or ALSA around it."""
    args = ("practice", "--no-voice", "--input-device", "no-such-microphone")
    screen = Screen(tmp_path, "error", size, *args)
    try:
        status, text = screen.wait_exit(WAIT_S)
    finally:
        screen.close()
    piped = run_cli(*args)
    assert status == piped.returncode == 4
    line = piped.stderr.decode()
    assert line.startswith("rehearse: error: ") and line.count("\n") == 1, line
    # The screen holds that line and nothing else (the terminal wraps it where it reaches the edge).
    assert "".join(text.split()) == "".join(line.split()), text
