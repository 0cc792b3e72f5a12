"""`callfirst web`: the same flow as a page in your browser, served on this computer only."""

from __future__ import annotations

from datetime import date, datetime

import click

from ..errors import ExitStatus
from .environment import Environment
from .options import MOMENT, as_datetime, job_context, pass_env
from .output import echo


@click.command()
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="The port to listen on (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open the browser.")
@click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601).")
@pass_env
def web(
    env: Environment, sources: tuple[str, ...], port: int, no_browser: bool, now: date | datetime | None
) -> ExitStatus:
    """A page in your browser for the whole flow: open an invitation, call, write the email.

    It listens on 127.0.0.1 only, and only the browser that opens the address printed can use it.
    SOURCE is as for `scan` (a .ics or .eml file, or google); Ctrl-C stops it.
    """
    if "-" in sources:
        raise click.UsageError("the page cannot read standard input; name a file, or open it in the page")
    from ..web.server import Served
    from ..web.site import Site

    fixed = as_datetime(now, job_context(env).owner_zone) if now is not None else None
    try:
        served = Served(Site(env, tuple(sources), fixed), port)
    except OSError as exc:
        raise click.UsageError(f"cannot listen on port {port}: {exc.strerror or exc}") from None
    try:
        address = served.sign_in_address()
        echo(env, f"callfirst is open at {address}  (this computer only; Ctrl-C stops it)")
        if not no_browser:
            env.opener(address)
        served.serve()
    finally:
        served.close()
    return ExitStatus.OK
