"""`callfirst web`: the same flow as a page in your browser, served on this computer only."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import click

from ..errors import ExitStatus
from .environment import Environment
from .options import MOMENT, as_datetime, job_context, pass_env
from .output import echo

if TYPE_CHECKING:
    from ..web.server import Served


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

    It listens on 127.0.0.1 only, and only the browser that opens the address printed can use it; each
    address lets one browser in. Press Enter for a new address (another browser, or after the cookie is
    gone). SOURCE is as for `scan` (a .ics or .eml file, or google); Ctrl-C stops it.
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
        echo(env, f"callfirst is open at {address}  (this computer only; Enter: a new address; Ctrl-C stops it)")
        if not no_browser:
            env.opener(address)
        _new_address_on_enter(env, served)
        served.serve()
    finally:
        served.close()
    return ExitStatus.OK


def _new_address_on_enter(env: Environment, served: Served) -> None:
    """Each line read from standard input prints a new one-time address, until input ends. The descriptor is
    read unbuffered, so the waiting thread holds no lock the interpreter needs when it exits."""
    import os
    import threading

    try:
        descriptor = env.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return  # input that is no stream of the process (embedded use): nothing to wait for

    def answer() -> None:
        while chunk := os.read(descriptor, 1024):
            for _line in range(chunk.count(b"\n")):
                echo(env, f"A new address, for one browser: {served.sign_in_address()}")

    threading.Thread(target=answer, name="callfirst-web-addresses", daemon=True).start()
