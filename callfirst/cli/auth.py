"""Google sign-in: sign in, show it, revoke it."""

from __future__ import annotations

import click

from .output import warn

EXIT_OK = 0


@click.group()
def auth():
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
def auth_google(client_secret, no_browser, thread):
    """Let callfirst read your calendar and write Gmail drafts (never send)."""
    from ..integrations import google
    from ..integrations.files import load_config

    config = load_config()
    secret = google.client_secret_file(client_secret, config.google.client_secret)
    signed = google.sign_in(secret, thread=thread, open_browser=not no_browser)
    click.echo(
        f"Signed in{' as ' + signed.account if signed.account else ''}. Token saved to {signed.path} (mode 0600)."
    )
    for scope in signed.missing:
        warn(
            f"Google did not grant permission to {google.SCOPE_NAMES.get(scope, scope)}; "
            "run `callfirst auth google` again and tick every box"
        )
    return EXIT_OK


@auth.command("status")
def auth_status():
    """Which Google account callfirst uses, and what it may do."""
    from ..integrations import google

    signed = google.status()
    click.echo(f"account: {signed.account or '(unknown)'}")
    click.echo(f"token:   {signed.path}")
    for scope in signed.scopes:
        click.echo(f"allowed: {google.SCOPE_NAMES.get(scope, scope)}  ({scope})")
    return EXIT_OK


@auth.command("revoke")
def auth_revoke():
    """Delete the saved Google token, and ask Google to revoke it."""
    from ..integrations import google

    revoked, why_not = google.revoke()
    click.echo(f"Deleted {google.token_path()}.")
    if not revoked:
        warn(f"{why_not}; remove callfirst's access at https://myaccount.google.com/permissions")
    return EXIT_OK
