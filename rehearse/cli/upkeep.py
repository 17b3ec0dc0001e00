"""Looking after the data folder: `recover` takes that were cut off, `purge` old attempts.
Each parses its flags and calls the library; `register` adds them to the CLI."""

from __future__ import annotations

import click

from rehearse.cli.components import Components, pass_components

_JSON = click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")


@click.command("recover")
@click.option("--analyze", "analyze_them", is_flag=True, help="Analyze them and add them to the history.")
@click.option("--model", metavar="M", help="Whisper model folder or name (default: embedded base).")
@_JSON
@pass_components
def recover_takes(components: Components, analyze_them, model, json_out) -> None:
    """Find takes that were cut off (a recording with no report), repair and analyze them."""
    from rehearse.history import recover

    terminal = components.terminal()
    takes = recover.cut_off_takes(components.data_folder())
    if not analyze_them:
        for wav in takes:
            recover.repair_header(wav)
        if json_out:
            terminal.print_json([str(wav) for wav in takes])
        else:
            for wav in takes:
                click.echo(str(wav))
            click.echo(f"{len(takes)} cut-off takes found" + ("; analyze them with 'rehearse recover --analyze'"
                       if takes else ""), err=True)
        return
    transcriber = components.transcriber(model)
    for wav in takes:
        record = recover.recover(wav, transcriber, recover.question_of)
        if json_out:
            terminal.print_json(record.to_json())
        else:
            click.echo(f"{wav}: saved as attempt {record.id}")


@click.command("purge")
@click.option("--older-than", "days", type=click.FloatRange(0), required=True, metavar="DAYS",
              help="Remove attempts recorded more than DAYS days ago.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_components
def purge(components: Components, days, yes) -> None:
    """Remove old attempts: their recordings, reports and rows in the history."""
    with components.history() as history:
        old = history.older_than(days)
        if not old:
            click.echo(f"No attempts older than {days:g} days.", err=True)
            return
        if not yes and not click.confirm(f"Remove {len(old)} attempts older than {days:g} days"
                                         " with their recordings?", err=True):
            click.echo("Nothing removed.", err=True)
            return
        for attempt in old:
            history.delete(attempt.id)
    click.echo(f"Removed {len(old)} attempts.", err=True)


def register(group: click.Group) -> None:
    for command in (recover_takes, purge):
        group.add_command(command)
