"""The command line: the `rehearse` group, its own options, and the error line every failure ends
in. The commands live one module per family (practice, history, modes, devices, upkeep) and take
what they run on from the group's components (`components`)."""

from __future__ import annotations

import logging
import sys

import click

from rehearse.cli import devices, history, modes, practice, upkeep
from rehearse.cli.components import Components
from rehearse.errors import ExitCode, RehearseError

log = logging.getLogger("rehearse")

_TRACEBACK = "--traceback"


class _Rehearse(click.Group):
    """The group, with `practice` as its default command and each failure turned into one line."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`rehearse --count 3` is `rehearse practice --count 3`: after the group's own flags, an
        option where a command name would be starts the default command with it."""
        own = {name for param in self.get_params(ctx) for name in param.opts + param.secondary_opts}
        first = next((i for i, a in enumerate(args) if a not in own), None)
        if first is not None and args[first].startswith("-"):
            args = [*args[:first], "practice", *args[first:]]
        return super().parse_args(ctx, args)

    def main(self, args=None, prog_name=None, **extra) -> None:
        """Run a command line; a failure is `rehearse: error: …` on stderr and its exit code.
        Tests pass their own components as `obj` (click.testing.CliRunner does)."""
        args = sys.argv[1:] if args is None else list(args)
        extra.pop("standalone_mode", None)
        show_traceback = _TRACEBACK in args
        try:
            super().main(args=args, prog_name="rehearse", standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            fail(exc.format_message(), ExitCode.USAGE)
        except (click.exceptions.Abort, KeyboardInterrupt):
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


@click.group(cls=_Rehearse, invoke_without_command=True,
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
    ctx.ensure_object(Components)  # nothing is loaded until a command asks for it
    if ctx.invoked_subcommand is None:
        ctx.invoke(practice.practice)


def fail(message: str, code: int) -> None:
    click.echo(f"rehearse: error: {message}", err=True)
    sys.exit(code)


# practice, analyze, questions; history, show, report …; interview, ask, pace, followup;
# devices, voices; recover, purge
for family in (practice, history, modes, devices, upkeep):
    family.register(cli)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv)
