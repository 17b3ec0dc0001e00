"""The commands that look back: history, show, play, retry, compare, progress, stories, delete,
export and report. Each parses its flags and calls the library; `register` adds them to the CLI."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from rehearse.cli.components import Components, pass_components, recording_options
from rehearse.errors import InputFileError, UsageError

_JSON = click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")


def _attempts(components: Components, attempt_id: int | None, session: str | None) -> tuple[list, bool]:
    """The attempts an ID|--session command is about, and whether it is a single one."""
    if (attempt_id is None) == (session is None):
        raise click.UsageError("give an attempt ID or --session S, not both and not neither")
    with components.history() as history:
        if attempt_id is not None:
            return [history.get(attempt_id)], True
        return history.attempts_in_session(session), False


@click.command("history")
@click.option("-n", "count", type=click.IntRange(1), default=20, show_default=True, help="How many attempts.")
@click.option("--competency", metavar="C", help="Only attempts at questions for this competency.")
@_JSON
@pass_components
def list_attempts(components: Components, count, competency, json_out) -> None:
    """List recent attempts, newest first."""
    from rehearse.review.views import history_table

    with components.history() as history:
        attempts = history.recent(count, competency)
    terminal = components.terminal()
    if json_out:
        terminal.print_json([a.summary_json() for a in attempts])
    elif not attempts:
        terminal.err.print("No attempts yet; run 'rehearse practice'.")
    else:
        terminal.out.print(history_table(attempts), soft_wrap=False)


@click.command("show")
@click.argument("attempt_id", type=int)
@_JSON
@pass_components
def show_attempt(components: Components, attempt_id, json_out) -> None:
    """One attempt: the transcript with fillers, STAR parts and long pauses marked, metrics, tips."""
    from rehearse.review import views

    with components.history() as history:
        attempt = history.get(attempt_id)
    terminal = components.terminal()
    if json_out:
        from rehearse.review.export import attempt_json

        terminal.print_json(attempt_json(attempt))
    else:
        terminal.out.print(views.show(attempt), soft_wrap=False)


@click.command("play")
@click.argument("attempt_id", type=int)
@click.option("--from", "from_s", type=click.FloatRange(0), default=0.0, metavar="SECONDS",
              help="Start this many seconds in.")
@click.option("--output-device", metavar="D", help="Speaker: index or part of its name.")
@pass_components
def play_attempt(components: Components, attempt_id, from_s, output_device) -> None:
    """Play an attempt's recording."""
    from rehearse.report import clock

    with components.history() as history:
        attempt = history.get(attempt_id)
    if attempt.audio_path is None or not attempt.audio_path.exists():
        raise InputFileError(f"attempt {attempt_id} has no recording"
                             + (f" ({attempt.audio_path} is missing)" if attempt.audio_path else ""))
    import soundfile

    from rehearse.audio.sound import find_device, play

    audio, rate = soundfile.read(str(attempt.audio_path), dtype="float32")
    if from_s * rate >= len(audio):
        raise UsageError(f"--from {from_s:g} is past the end of the recording ({clock(len(audio) / rate)})")
    device = find_device(output_device, "output")
    components.terminal().err.print(f"Playing attempt {attempt_id} from {clock(from_s)} of {clock(len(audio) / rate)}")
    play(audio[int(from_s * rate):], rate, device)


@click.command("retry")
@click.argument("attempt_id", type=int)
@click.option("--no-voice", is_flag=True, help="Print the question instead of speaking it.")
@recording_options
@pass_components
def retry(components: Components, attempt_id, no_voice, no_live=False, **record_options) -> None:
    """Answer an attempt's question again, then compare the two answers."""
    from rehearse.history.database import record_attempt
    from rehearse.review.compare import compare, render_comparison

    with components.history() as history:
        before = history.get(attempt_id)
    question = _question_of(before)
    practice = components.practice(no_voice=no_voice, live=not no_live, **record_options)
    record = practice.run([question])[0]
    # The session indexed the take already; a failure there said so, and this says it again.
    new_id = record.id if record.id is not None else record_attempt(record, practice.session_dir)
    with components.history() as history:
        after = history.get(new_id)
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


@click.command("compare")
@click.argument("first", type=int)
@click.argument("second", type=int)
@_JSON
@pass_components
def compare_attempts(components: Components, first, second, json_out) -> None:
    """Two attempts side by side, and what changed in the words."""
    from rehearse.review.compare import compare, render_comparison

    with components.history() as history:
        a, b = history.get(first), history.get(second)
    comparison = compare(a, b)
    terminal = components.terminal()
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


@click.command("progress")
@click.option("--competency", metavar="C", help="Only attempts at questions for this competency.")
@click.option("--since", metavar="DATE", help="Only attempts from this date (YYYY-MM-DD) on.")
@_JSON
@pass_components
def show_progress(components: Components, competency, since, json_out) -> None:
    """How filler rate, pace, length and STAR completeness change over time."""
    from rehearse.review.progress import progress, render_progress

    with components.history() as history:
        attempts = history.recent(None, competency, _since(since))
    result = progress(list(reversed(attempts)))
    terminal = components.terminal()
    if json_out:
        terminal.print_json(result)
    elif not attempts:
        terminal.err.print("No attempts to show yet.")
    else:
        terminal.out.print(render_progress(result), soft_wrap=False)


@click.command("stories")
@_JSON
@pass_components
def show_stories(components: Components, json_out) -> None:
    """Which competencies have a strong answer, and which stories are told for several."""
    from rehearse.review.stories import render_stories, stories

    with components.history() as history:
        attempts = history.recent()
    result = stories(attempts, _bank_competencies())
    terminal = components.terminal()
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


@click.command("delete")
@click.argument("attempt_id", type=int)
@pass_components
def delete_attempt(components: Components, attempt_id) -> None:
    """Delete an attempt: its recording, its JSON and its place in the history."""
    with components.history() as history:
        gone = history.delete(attempt_id)
    components.terminal().err.print(f"Deleted attempt {attempt_id} ({gone.question_text or 'no question'})")


@click.command("export")
@click.argument("attempt_id", type=int, required=False)
@click.option("--session", metavar="S", help="Every attempt of a session (its folder name).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@pass_components
def export_attempts(components: Components, attempt_id, session, fmt, output) -> None:
    """Export an attempt or a session as Markdown, JSON or a self-contained HTML page."""
    from rehearse.history.folder import write_private  # exports hold the recordings: private, like the data folder
    from rehearse.review import export

    attempts, single = _attempts(components, attempt_id, session)
    if fmt == "html":
        from rehearse.review.html_page import render_page

        text = render_page(attempts, single)
    elif fmt == "json":
        text = export.to_json(attempts, single)
    else:
        text = export.to_markdown(attempts, None if single else f"Session {session}")
    if output is None:
        sys.stdout.write(text)
    else:
        write_private(output, text)
        click.echo(str(output))


@click.command("report")
@click.argument("attempt_id", type=int, required=False)
@click.option("--session", metavar="S", help="A whole session (its folder name).")
@click.option("--output", type=click.Path(path_type=Path), help="Where to write the page.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in your web browser.")
@pass_components
def write_report(components: Components, attempt_id, session, output, open_page) -> None:
    """Write a self-contained HTML page: transcript, timeline, pace chart and the recording."""
    from rehearse.history import folder
    from rehearse.review.html_page import render_page

    attempts, single = _attempts(components, attempt_id, session)
    if output is None:
        reports = folder.ensure_private_dir(components.data_folder() / "reports")
        output = reports / (f"attempt-{attempt_id}.html" if single else f"session-{session}.html")
    folder.write_private(output, render_page(attempts, single))  # pages hold the recordings: private
    click.echo(str(output))
    if open_page:
        import webbrowser

        webbrowser.open(Path(output).resolve().as_uri())


def register(group: click.Group) -> None:
    for command in (list_attempts, show_attempt, play_attempt, retry, compare_attempts, show_progress,
                    show_stories, delete_attempt, export_attempts, write_report):
        group.add_command(command)
