"""Google sign-in: sign in, show it, revoke it."""

from __future__ import annotations

import click

from ..errors import ExitStatus
from .environment import Environment
from .options import job_context, pass_env
from .output import echo, warn


@click.group()
def auth() -> None:
    """Sign in to Google, show the sign-in, or remove it."""


@auth.command("google")
@click.option(
    "--client-secret",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The Desktop OAuth client JSON (default: [google] client_secret, or client_secret.json "
    "in your callfirst folder).",
)
@click.option("--no-browser", is_flag=True, help="Print the address to open instead of opening a browser.")
@click.option("--thread", is_flag=True, help="Also allow finding the invitation's Gmail thread (gmail.modify).")
@pass_env
def auth_google(env: Environment, client_secret: str | None, no_browser: bool, thread: bool) -> ExitStatus:
    """Let callfirst read your calendar and write Gmail drafts (never send)."""
    from ..integrations import google

    config = job_context(env).config
    secret = google.client_secret_file(client_secret, config.google.client_secret, env.places)
    signed = google.sign_in(secret, env.places, thread=thread, open_browser=not no_browser)
    account = f" as {signed.account}" if signed.account else ""
    echo(env, f"Signed in{account}. Token saved to {signed.path} (mode 0600).")
    for scope in signed.missing:
        warn(
            env,
            f"Google did not grant permission to {google.SCOPE_NAMES.get(scope, scope)}; "
            "run `callfirst auth google` again and tick every box",
        )
    return ExitStatus.OK


@auth.command("status")
@pass_env
def auth_status(env: Environment) -> ExitStatus:
    """Which Google account callfirst uses, and what it may do."""
    from ..integrations import google

    signed = google.status(env.places)
    echo(env, f"account: {signed.account or '(unknown)'}")
    echo(env, f"token:   {signed.path}")
    for scope in signed.scopes:
        echo(env, f"allowed: {google.SCOPE_NAMES.get(scope, scope)}  ({scope})")
    return ExitStatus.OK


@auth.command("revoke")
@pass_env
def auth_revoke(env: Environment) -> ExitStatus:
    """Delete the saved Google token, and ask Google to revoke it."""
    from ..integrations import google

    revoked, why_not = google.revoke(env.places)
    echo(env, f"Deleted {env.places.google_token}.")
    if not revoked:
        warn(env, f"{why_not}; remove callfirst's access at https://myaccount.google.com/permissions")
    return ExitStatus.OK
