"""The default command: `rehearse` with practice's options and no command name is a practice
session with those options."""

from __future__ import annotations

import pytest

from conftest import run_cli
from rehearse.cli import app as cli
from rehearse.cli.components import Components


@pytest.fixture
def sessions(monkeypatch) -> list[tuple[dict, list]]:
    """Practice sessions as built (their options) and run (their questions), without a microphone."""
    started: list[tuple[dict, list]] = []

    class Session:
        def __init__(self, options: dict):
            self.options = options

        def run(self, questions):
            started.append((self.options, list(questions)))

    monkeypatch.setattr(Components, "practice", lambda self, **options: Session(options))
    return started


@pytest.mark.parametrize("args", [
    ["--competency", "deadline", "--count", "2", "--seed", "5", "--no-voice", "--end-silence", "4"],
    ["-v", "--count", "2", "--competency", "deadline", "--seed", "5", "--end-silence", "4", "--no-voice"],
])
def test_practice_options_without_the_command_name(sessions, args):
    cli.main(args)
    cli.main(["practice", *[a for a in args if a != "-v"]])
    (options, questions), (explicit_options, explicit_questions) = sessions
    assert [q.id for q in questions] == [q.id for q in explicit_questions]
    assert len(questions) == 2 and all("deadline" in q.competencies for q in questions)
    assert options == explicit_options and options["end_silence"] == 4.0 and options["no_voice"]


def test_no_arguments_is_still_a_practice_session(sessions):
    cli.main([])
    assert len(sessions) == 1 and len(sessions[0][1]) == 1


@pytest.mark.parametrize("args, fragment", [
    (["--competency", "juggling", "--no-voice"], "unknown competency 'juggling'"),
    (["--traceback", "--count", "0"], "--count"),
    (["--no-such-option"], "No such option"),
])
def test_practice_option_errors_without_the_command_name(args, fragment):
    result = run_cli(*args)
    err = result.stderr.decode()
    assert result.returncode == 2 and err.startswith("rehearse: error: ") and fragment in err, err
    assert len(err.strip().splitlines()) == 1
