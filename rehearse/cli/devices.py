"""What rehearse hears and speaks with: the `devices` and `voices` commands. Each lists what the
library finds; `register` adds them to the CLI."""

from __future__ import annotations

import click

from rehearse.cli.components import Components, pass_components

_JSON = click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")


@click.command("devices")
@_JSON
@pass_components
def list_devices(components: Components, json_out) -> None:
    """List audio input and output devices."""
    from rehearse.audio import sound

    found = sound.list_devices()
    terminal = components.terminal()
    if json_out:
        terminal.print_json([d.to_json() for d in found])
        return
    from rich.table import Table

    table = Table("index", "name", "in", "out", "default", box=None)
    for d in found:
        default = " ".join(k for k, v in (("input", d.default_input), ("output", d.default_output)) if v)
        table.add_row(str(d.index), d.name, str(d.inputs), str(d.outputs), default)
    terminal.out.print(table)


@click.command("voices")
@_JSON
@pass_components
def list_voices(components: Components, json_out) -> None:
    """List the interviewer's voices and their engines; --voice picks one."""
    from rehearse.audio.voices import listing

    found = listing()
    terminal = components.terminal()
    if json_out:
        terminal.print_json(found)
        return
    from rich.table import Table

    table = Table("name", "engine", "language", "default", "available", "voice", box=None)
    for v in found:
        table.add_row(v["name"], v["engine"], v["language"], "default" if v["default"] else "",
                      "yes" if v["available"] else "no", v["description"])
    terminal.out.print(table)


def register(group: click.Group) -> None:
    for command in (list_devices, list_voices):
        group.add_command(command)
