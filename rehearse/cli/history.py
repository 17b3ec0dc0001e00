"""The commands that look back: history, show, play, retry, compare, progress, stories, delete,
export and report. Each parses its flags and calls the library; `register` adds them to the CLI."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from rehearse.cli.components import recording_options
from rehearse.errors import InputFileError, UsageError

_JSON = click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")


def _terminal():
    from rehearse.terminal import Terminal

    return Terminal()


def _open():
    from rehearse.history.database import Store

    return Store.open()


def _attempts(attempt_id: int | None, session: str | None) -> tuple[list, bool]:
    """The attempts an ID|--session command is about, and whether it is a single one."""
    if (attempt_id is None) == (session is None):
        raise click.UsageError("give an attempt ID or --session S, not both and not neither")
    with _open() as history:
        if attempt_id is not None:
            return [history.get(attempt_id)], True
        return history.attempts_in_session(session), False


@click.command()
@click.option("-n", "count", type=click.IntRange(1), default=20, show_default=True, help="How many attempts.")
@click.option("--competency", metavar="C", help="Only attempts at questions for this competency.")
@_JSON
def history(count, competency, json_out) -> None:
    """List recent attempts, newest first."""
    from rehearse.review.views import history_table

    with _open() as store:
        attempts = store.recent(count, competency)
    terminal = _terminal()
    if json_out:
        terminal.print_json([a.summary_json() for a in attempts])
    elif not attempts:
        terminal.err.print("No attempts yet; run 'rehearse practice'.")
    else:
        terminal.out.print(history_table(attempts), soft_wrap=False)


@click.command()
@click.argument("attempt_id", type=int)
@_JSON
def show(attempt_id, json_out) -> None:
    """One attempt: the transcript with fillers, STAR parts and long pauses marked, metrics, tips."""
    from rehearse.review import views as review

    with _open() as store:
        attempt = store.get(attempt_id)
    terminal = _terminal()
    if json_out:
        from rehearse.review.export import attempt_json

        terminal.print_json(attempt_json(attempt))
    else:
        terminal.out.print(review.show(attempt), soft_wrap=False)


@click.command()
@click.argument("attempt_id", type=int)
@click.option("--from", "from_s", type=click.FloatRange(0), default=0.0, metavar="SECONDS",
              help="Start this many seconds in.")
@click.option("--output-device", metavar="D", help="Speaker: index or part of its name.")
def play(attempt_id, from_s, output_device) -> None:
    """Play an attempt's recording."""
    from rehearse.report import clock

    with _open() as store:
        attempt = store.get(attempt_id)
    if attempt.audio_path is None or not attempt.audio_path.exists():
        raise InputFileError(f"attempt {attempt_id} has no recording"
                             + (f" ({attempt.audio_path} is missing)" if attempt.audio_path else ""))
    import soundfile

    from rehearse.audio.sound import find_device, play as play_audio

    audio, rate = soundfile.read(str(attempt.audio_path), dtype="float32")
    if from_s * rate >= len(audio):
        raise UsageError(f"--from {from_s:g} is past the end of the recording ({clock(len(audio) / rate)})")
    device = find_device(output_device, "output")
    _terminal().err.print(f"Playing attempt {attempt_id} from {clock(from_s)} of {clock(len(audio) / rate)}")
    play_audio(audio[int(from_s * rate):], rate, device)


def _retry(attempt_id, no_voice, no_live=False, **record_options) -> None:
    """Answer an attempt's question again, then compare the two answers."""
    from rehearse.history import database as history_mod
    from rehearse.cli.components import build_practice
    from rehearse.review.compare import compare, render_comparison

    with _open() as store:
        before = store.get(attempt_id)
    question = _question_of(before)
    practice = build_practice(no_voice=no_voice, live=not no_live, **record_options)
    record = practice.run([question])[0]
    new_id = history_mod.record_attempt(record, practice.session_dir)
    with _open() as store:
        after = store.get(new_id)
    comparison = compare(before, after)
    if record_options.get("json_out"):
        practice.terminal.print_json(comparison)
    else:
        # The question heads the new answer's screen already.
        practice.terminal.out.print(render_comparison(comparison, question=False), soft_wrap=False)


def _question_of(attempt):
    """The bank's question when it still has it, else one made from what was stored."""
    from rehearse import questions

    if attempt.record.is_drill:
        raise UsageError(f"attempt {attempt.id} is a pacing drill; run 'rehearse pace' again to repeat it")
    try:
        return questions.find(questions.load_bank(), attempt.question_id)
    except UsageError:
        if not attempt.question_text:
            raise UsageError(f"attempt {attempt.id} has no question to ask again") from None
        return questions.Question(
            id=attempt.question_id or "again", text=attempt.question_text,
            competencies=attempt.competencies, kind="behavioral", target_s=(60.0, 120.0),
            source=Path("history"))


@click.command()
@click.argument("first", type=int)
@click.argument("second", type=int)
@_JSON
def compare(first, second, json_out) -> None:
    """Two attempts side by side, and what changed in the words."""
    from rehearse.review.compare import compare as compare_attempts, render_comparison

    with _open() as store:
        a, b = store.get(first), store.get(second)
    comparison = compare_attempts(a, b)
    terminal = _terminal()
    if json_out:
        terminal.print_json(comparison)
    else:
        terminal.out.print(render_comparison(comparison), soft_wrap=False)


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--since '{value}' is not a date like 2026-01-31") from None


@click.command()
@click.option("--competency", metavar="C", help="Only attempts at questions for this competency.")
@click.option("--since", metavar="DATE", help="Only attempts from this date (YYYY-MM-DD) on.")
@_JSON
def progress(competency, since, json_out) -> None:
    """How filler rate, pace, length and STAR completeness change over time."""
    from rehearse.review.progress import progress as trends, render_progress

    with _open() as store:
        attempts = store.recent(None, competency, _since(since))
    result = trends(list(reversed(attempts)))
    terminal = _terminal()
    if json_out:
        terminal.print_json(result)
    elif not attempts:
        terminal.err.print("No attempts to show yet.")
    else:
        terminal.out.print(render_progress(result), soft_wrap=False)


@click.command()
@_JSON
def stories(json_out) -> None:
    """Which competencies have a strong answer, and which stories are told for several."""
    from rehearse.review.stories import render_stories, stories as find_stories

    with _open() as store:
        attempts = store.recent()
    result = find_stories(attempts, _bank_competencies())
    terminal = _terminal()
    if json_out:
        terminal.print_json(result)
    else:
        terminal.out.print(render_stories(result), soft_wrap=False)


def _bank_competencies() -> list[str]:
    from rehearse.errors import BankError
    from rehearse.questions import load_bank

    try:
        return sorted({c for q in load_bank() for c in q.competencies})
    except BankError:
        return []


@click.command()
@click.argument("attempt_id", type=int)
def delete(attempt_id) -> None:
    """Delete an attempt: its recording, its JSON and its place in the history."""
    with _open() as store:
        gone = store.delete(attempt_id)
    _terminal().err.print(f"Deleted attempt {attempt_id} ({gone.question_text or 'no question'})")


@click.command()
@click.argument("attempt_id", type=int, required=False)
@click.option("--session", metavar="S", help="Every attempt of a session (its folder name).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
def export(attempt_id, session, fmt, output) -> None:
    """Export an attempt or a session as Markdown, JSON or a self-contained HTML page."""
    from rehearse.history.folder import write_private  # exports hold the recordings: private, like the data folder
    from rehearse.review import export as review_export

    attempts, single = _attempts(attempt_id, session)
    if fmt == "html":
        from rehearse.review.html_page import render_page

        text = render_page(attempts, single)
    elif fmt == "json":
        text = review_export.to_json(attempts, single)
    else:
        text = review_export.to_markdown(attempts, None if single else f"Session {session}")
    if output is None:
        sys.stdout.write(text)
    else:
        write_private(output, text)
        click.echo(str(output))


@click.command()
@click.argument("attempt_id", type=int, required=False)
@click.option("--session", metavar="S", help="A whole session (its folder name).")
@click.option("--output", type=click.Path(path_type=Path), help="Where to write the page.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in your web browser.")
def report(attempt_id, session, output, open_page) -> None:
    """Write a self-contained HTML page: transcript, timeline, pace chart and the recording."""
    from rehearse.history import folder as store
    from rehearse.review.html_page import render_page

    attempts, single = _attempts(attempt_id, session)
    if output is None:
        folder = store.ensure_private_dir(store.data_dir() / "reports")
        output = folder / (f"attempt-{attempt_id}.html" if single else f"session-{session}.html")
    store.write_private(output, render_page(attempts, single))  # pages hold the recordings: private
    click.echo(str(output))
    if open_page:
        import webbrowser

        webbrowser.open(Path(output).resolve().as_uri())



def register(group: click.Group) -> None:
    retry = click.argument("attempt_id", type=int)(
        click.option("--no-voice", is_flag=True, help="Print the question instead of speaking it.")(
            recording_options(_retry)))
    for command in (history, show, play, compare, progress, stories, delete, export, report):
        group.add_command(command)
    group.command("retry")(retry)
