"""The commands of one answer: practice (the default), analyze and questions. Each parses its
flags and calls the library on the components the group built; `register` adds them to the CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rehearse.cli.components import Components, pass_components, recording_options
from rehearse.errors import RehearseError


@click.command("practice")
@click.option("--count", type=click.IntRange(1, 50), default=1, show_default=True, help="Questions to answer.")
@click.option("--competency", metavar="C", help="Only questions for this competency.")
@click.option("--question-id", metavar="ID", help="Answer this question.")
@click.option("--seed", type=int, help="Seed for choosing questions.")
@click.option("--bank", type=click.Path(path_type=Path), help="Your own question bank (TOML file or folder).")
@click.option("--no-voice", is_flag=True, help="Print questions instead of speaking them.")
@recording_options
@pass_components
def practice(components: Components, count, competency, question_id, seed, bank, no_voice, no_live,
             **record_options) -> None:
    """Answer behavioral questions out loud and get coached (the default command)."""
    from rehearse.questions import load_bank, select

    chosen = select(load_bank(bank), competency=competency, question_id=question_id, count=count, seed=seed)
    _mention_cut_off_takes(components)
    components.practice(no_voice=no_voice, live=not no_live, **record_options).run(chosen)


def _mention_cut_off_takes(components: Components) -> None:
    from rehearse.history.recover import cut_off_takes

    takes = cut_off_takes(components.data_folder())
    if takes:
        click.echo(f"{len(takes)} cut-off takes found; run 'rehearse recover'", err=True)


@click.command("analyze")
@click.argument("audio_files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--text", "text_file", metavar="FILE|-", help="Analyze a typed transcript instead of audio.")
@click.option("--question", metavar="TEXT", help="The question the answer was given to.")
@click.option("--model", metavar="M", help="Whisper model folder or name (default: embedded base).")
@click.option("--json", "json_out", is_flag=True, help="Print the result as JSON on stdout (a line per file).")
@click.option("--save", is_flag=True, help="Keep the answer in your history (the audio is copied).")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for several files.")
@pass_components
def analyze_recordings(components: Components, audio_files, text_file, question, model, json_out, save,
                       jobs) -> None:
    """Analyze recorded answers (any common audio format) or a typed transcript."""
    from rehearse.assess_files import analyze_audio, analyze_many, analyze_text

    if bool(audio_files) == bool(text_file):
        raise click.UsageError("give AUDIO_FILE(s) or --text FILE, not both and not neither")
    if text_file:
        _show(components, analyze_text(text_file, question), json_out, save)
        return
    if len(audio_files) == 1:
        record = analyze_audio(audio_files[0], question, components.transcriber(model))
        _show(components, record, json_out, save)
        return
    failed = None
    for path, result in analyze_many(audio_files, question, model, jobs):
        if isinstance(result, RehearseError):
            click.echo(f"rehearse: error: {result}", err=True)
            failed = failed or result
        else:
            _show(components, result, json_out, save)
    if failed:
        sys.exit(failed.exit_code)


def _show(components: Components, record, json_out: bool, save: bool) -> None:
    """One analyzed answer: kept in the history with --save, then its report or its JSON."""
    if save:
        from rehearse.history.database import save_outside_recording

        attempt_id, record = save_outside_recording(record)
        click.echo(f"Saved as attempt {attempt_id}", err=True)
    if json_out:
        components.terminal().print_json(record.to_json())
    else:
        from rehearse.report import print_report

        print_report(record, components.terminal().out)


@click.command("questions")
@click.option("--competency", metavar="C", help="Only questions for this competency.")
@click.option("--bank", type=click.Path(path_type=Path), help="Your own question bank (TOML file or folder).")
@click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")
@pass_components
def list_questions(components: Components, competency, bank, json_out) -> None:
    """List the questions in the bank."""
    from rehearse.questions import filter_questions, load_bank

    chosen = filter_questions(load_bank(bank), competency=competency)
    terminal = components.terminal()
    if json_out:
        terminal.print_json([q.to_json() for q in chosen])
        return
    from rich.padding import Padding
    from rich.text import Text

    # The id on a line of its own, whole: it is what --question-id takes, and a table column cut it.
    for q in chosen:
        terminal.out.print(Text.assemble((q.id, "bold"), f"  {q.kind} · {', '.join(q.competencies)}"))
        terminal.out.print(Padding(Text(q.text), (0, 0, 1, 4)))


def register(group: click.Group) -> None:
    for command in (practice, analyze_recordings, list_questions):
        group.add_command(command)
