"""Command line: the click group and the entry point, where every outcome becomes one exit status."""

from __future__ import annotations

import sys

import click

from ..errors import CallfirstError, ExitStatus
from ..untrusted import printable
from . import auth as auth_commands
from . import calls as call_commands
from . import commands, setup
from . import web as web_command
from .environment import Environment
from .output import echo, error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="callfirst")
def cli() -> None:
    """Cancel or reschedule a job interview the professional way.

    \b
    0. callfirst init          your profile: name, email, phone, time zone
    1. callfirst scan SOURCE   find interviews and how much notice you give
    2. callfirst plan SOURCE   the phone call first, then the email to follow
    3. callfirst call SOURCE   the number, the script; then what happened
    4. callfirst draft SOURCE  the email that fits the call, as a draft (never sent)

    \b
    callfirst status           what you have done about each interview
    callfirst slots SOURCE     free alternative times to offer
    callfirst web              all of it as a page in your browser

    SOURCE is an .ics file, an invitation .eml, - for stdin, or a calendar you signed in
    to with `callfirst auth`: google[:CALENDAR_ID], microsoft[:NAME] or caldav[:NAME].
    """


for _command in (
    setup.init,
    commands.scan,
    commands.plan,
    call_commands.call,
    commands.draft,
    call_commands.status,
    commands.slots,
    auth_commands.auth,
    commands.paths,
    web_command.web,
):
    cli.add_command(_command)


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Entry point: run one command in `env` (the process's own by default); no traceback reaches the user."""
    env = env or Environment.from_os()
    try:
        code = cli.main(args=argv, prog_name="callfirst", standalone_mode=False, obj=env)
    except click.exceptions.NoArgsIsHelpError as exc:
        echo(env, exc.ctx.get_help() if exc.ctx else str(exc))
        return ExitStatus.USAGE
    except click.ClickException as exc:
        exc.show(file=env.stderr)
        return ExitStatus.USAGE if exc.exit_code == ExitStatus.USAGE else ExitStatus.ERROR
    except (click.exceptions.Abort, KeyboardInterrupt):
        echo(env, "Interrupted.", err=True)
        return ExitStatus.INTERRUPTED
    except CallfirstError as exc:
        error(env, str(exc))
        return ExitStatus(exc.exit_code)
    except BrokenPipeError:
        return ExitStatus.ERROR
    except Exception as exc:
        if env.debug:
            raise
        echo(
            env,
            f"callfirst: internal error: {printable(f'{type(exc).__name__}: {exc}')} (set CALLFIRST_DEBUG=1 for details)",
            err=True,
        )
        return ExitStatus.ERROR
    return int(code) if isinstance(code, int) else ExitStatus.OK


if __name__ == "__main__":
    sys.exit(main())
