"""Command line: the click group and the entry point, where errors become exit codes."""

from __future__ import annotations

import os
import sys

import click

from ..errors import CallfirstError
from . import auth as auth_commands
from . import commands
from .output import color_allowed

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="callfirst")
def cli():
    """Cancel or reschedule a job interview the professional way.

    \b
    1. callfirst scan SOURCE   find interviews and how much notice you give
    2. callfirst plan SOURCE   the phone call first, then the email to follow
    3. callfirst draft SOURCE  the email as a draft (never sent)

    callfirst slots SOURCE     free alternative times to offer

    SOURCE is an .ics file, an invitation .eml, - for stdin, or google[:CALENDAR_ID]
    (after `callfirst auth google`).
    """


for _command in (commands.scan, commands.plan, commands.draft, commands.slots, auth_commands.auth, commands.paths):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> int:
    """Entry point: no traceback ever reaches the user."""
    try:
        code = cli.main(args=argv, prog_name="callfirst", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        code = EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_ERROR
    except CallfirstError as exc:
        click.echo(click.style("callfirst: error: ", fg="red") + str(exc), err=True, color=color_allowed())
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        code = 130
    except BrokenPipeError:
        code = EXIT_ERROR
    except Exception as exc:
        if os.environ.get("CALLFIRST_DEBUG"):
            raise
        click.echo(
            f"callfirst: internal error: {type(exc).__name__}: {exc} (set CALLFIRST_DEBUG=1 for details)", err=True
        )
        code = EXIT_ERROR
    return code if isinstance(code, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
