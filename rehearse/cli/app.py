"""The command line: parse flags, build the components, call the library, map errors to exit codes."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from rehearse.cli import history, modes, upkeep
from rehearse.cli.components import build_practice, recording_options
from rehearse.errors import ExitCode, RehearseError

log = logging.getLogger("rehearse")

_TRACEBACK = "--traceback"


class _PracticeByDefault(click.Group):
    """`rehearse --count 3` is `rehearse practice --count 3`: after the group's own flags, an
    option where a command name would be starts the default command with it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own = {name for param in self.get_params(ctx) for name in param.opts + param.secondary_opts}
        first = next((i for i, a in enumerate(args) if a not in own), None)
        if first is not None and args[first].startswith("-"):
            args = [*args[:first], "practice", *args[first:]]
        return super().parse_args(ctx, args)


@click.group(cls=_PracticeByDefault, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what happens to stderr.")
@click.option(_TRACEBACK, "show_traceback", is_flag=True, help="Show the full error chain on failure.")
@click.version_option(package_name="rehearse")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, show_traceback: bool) -> None:
    """Rehearse behavioral interview answers out loud, with a coach that listens.

    With no command, starts a practice session; practice's options work without the command
    name too (rehearse --competency teamwork --count 3).
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="rehearse: %(message)s")
    if ctx.invoked_subcommand is None:
        ctx.invoke(practice)


@cli.command()
@click.option("--count", type=click.IntRange(1, 50), default=1, show_default=True, help="Questions to answer.")
@click.option("--competency", metavar="C", help="Only questions for this competency.")
@click.option("--question-id", metavar="ID", help="Answer this question.")
@click.option("--seed", type=int, help="Seed for choosing questions.")
@click.option("--bank", type=click.Path(path_type=Path), help="Your own question bank (TOML file or folder).")
@click.option("--no-voice", is_flag=True, help="Print questions instead of speaking them.")
@recording_options
def practice(count, competency, question_id, seed, bank, no_voice, end_silence, think_time,
             max_seconds, input_device, output_device, voice, model, json_out, live_transcript,
             no_live) -> None:
    """Answer behavioral questions out loud and get coached (the default command)."""
    from rehearse import questions as bank_mod

    chosen = bank_mod.select(bank_mod.load_bank(bank), competency=competency,
                             question_id=question_id, count=count, seed=seed)
    _mention_cut_off_takes()
    build_practice(no_voice=no_voice, end_silence=end_silence, think_time=think_time,
                   max_seconds=max_seconds, input_device=input_device, output_device=output_device,
                   voice=voice, model=model, json_out=json_out, live_transcript=live_transcript,
                   live=not no_live).run(chosen)


def _mention_cut_off_takes() -> None:
    from rehearse.history.recover import cut_off_takes

    takes = cut_off_takes()
    if takes:
        click.echo(f"{len(takes)} cut-off takes found; run 'rehearse recover'", err=True)


@cli.command()
@click.argument("audio_files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--text", "text_file", metavar="FILE|-", help="Analyze a typed transcript instead of audio.")
@click.option("--question", metavar="TEXT", help="The question the answer was given to.")
@click.option("--model", metavar="M", help="Whisper model folder or name (default: embedded base).")
@click.option("--json", "json_out", is_flag=True, help="Print the result as JSON on stdout (a line per file).")
@click.option("--save", is_flag=True, help="Keep the answer in your history (the audio is copied).")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for several files.")
def analyze(audio_files, text_file, question, model, json_out, save, jobs) -> None:
    """Analyze recorded answers (any common audio format) or a typed transcript."""
    from rehearse import assess_files as analyze_files

    if bool(audio_files) == bool(text_file):
        raise click.UsageError("give AUDIO_FILE(s) or --text FILE, not both and not neither")
    if text_file:
        _emit_analysis(analyze_files.analyze_text(text_file, question), json_out, save)
        return
    if len(audio_files) == 1:
        _emit_analysis(analyze_files.analyze_audio(audio_files[0], question, model), json_out, save)
        return
    failed = None
    for path, result in analyze_files.analyze_many(audio_files, question, model, jobs):
        if isinstance(result, RehearseError):
            click.echo(f"rehearse: error: {result}", err=True)
            failed = failed or result
        else:
            _emit_analysis(result, json_out, save)
    if failed:
        sys.exit(failed.exit_code)


def _emit_analysis(record, json_out: bool, save: bool) -> None:
    if save:
        from rehearse.history.database import save_outside_recording

        attempt_id, record = save_outside_recording(record)
        click.echo(f"Saved as attempt {attempt_id}", err=True)
    _emit(record, json_out)


@cli.command()
@click.option("--competency", metavar="C", help="Only questions for this competency.")
@click.option("--bank", type=click.Path(path_type=Path), help="Your own question bank (TOML file or folder).")
@click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")
def questions(competency, bank, json_out) -> None:
    """List the questions in the bank."""
    from rehearse import questions as bank_mod
    from rehearse.terminal import Terminal

    every = bank_mod.load_bank(bank)
    chosen = bank_mod.filter_questions(every, competency=competency)
    terminal = Terminal()
    if json_out:
        terminal.print_json([q.to_json() for q in chosen])
        return
    from rich.padding import Padding
    from rich.text import Text

    # The id on a line of its own, whole: it is what --question-id takes, and a table column cut it.
    for q in chosen:
        terminal.out.print(Text.assemble((q.id, "bold"), f"  {q.kind} · {', '.join(q.competencies)}"))
        terminal.out.print(Padding(Text(q.text), (0, 0, 1, 4)))


@cli.command()
@click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")
def devices(json_out) -> None:
    """List audio input and output devices."""
    from rehearse.audio.sound import list_devices
    from rehearse.terminal import Terminal

    found = list_devices()
    terminal = Terminal()
    if json_out:
        terminal.print_json([d.to_json() for d in found])
        return
    from rich.table import Table

    table = Table("index", "name", "in", "out", "default", box=None)
    for d in found:
        default = " ".join(k for k, v in (("input", d.default_input), ("output", d.default_output)) if v)
        table.add_row(str(d.index), d.name, str(d.inputs), str(d.outputs), default)
    terminal.out.print(table)


@cli.command()
@click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")
def voices(json_out) -> None:
    """List the interviewer's voices and their engines; --voice picks one."""
    from rehearse.terminal import Terminal
    from rehearse.audio.voices import listing

    found = listing()
    terminal = Terminal()
    if json_out:
        terminal.print_json(found)
        return
    from rich.table import Table

    table = Table("name", "engine", "language", "default", "available", "voice", box=None)
    for v in found:
        table.add_row(v["name"], v["engine"], v["language"], "default" if v["default"] else "",
                      "yes" if v["available"] else "no", v["description"])
    terminal.out.print(table)


def _emit(record, json_out: bool) -> None:
    from rehearse.report import print_report
    from rehearse.terminal import Terminal

    terminal = Terminal()
    if json_out:
        terminal.print_json(record.to_json())
    else:
        print_report(record, terminal.out)


def fail(message: str, code: int) -> None:
    click.echo(f"rehearse: error: {message}", err=True)
    sys.exit(code)


for family in (history, modes, upkeep):  # history, show, report …; interview, ask, pace, followup; recover, purge
    family.register(cli)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    show_traceback = _TRACEBACK in argv
    try:
        cli.main(args=argv, prog_name="rehearse", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        fail(exc.format_message(), ExitCode.USAGE)
    except click.exceptions.Abort:
        fail("interrupted", ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        fail("interrupted", ExitCode.INTERRUPTED)
    except RehearseError as exc:
        if show_traceback:
            raise
        fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        sys.exit(ExitCode.ERROR)
    except Exception as exc:
        if show_traceback:
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (run with --traceback for details)", ExitCode.ERROR)
