"""Signing in to Google and Microsoft, and the IMAP and CalDAV passwords: sign in, show it, forget it."""

from __future__ import annotations

import click

from ..errors import ExitStatus
from .environment import Environment
from .options import job_context, pass_env
from .output import echo, warn

PROVIDERS = ("google", "microsoft", "imap", "caldav")
provider_argument = click.argument("provider", type=click.Choice(PROVIDERS), default="google", required=False)


@click.group()
def auth() -> None:
    """Sign in to Google or Microsoft, keep your IMAP or CalDAV password, show or remove a sign-in."""


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


@auth.command("microsoft")
@pass_env
def auth_microsoft(env: Environment) -> ExitStatus:
    """Let callfirst read your Outlook calendar and save Outlook drafts (never send)."""
    from ..integrations import microsoft

    config = job_context(env).config
    signed = microsoft.sign_in(config.microsoft, env.places, lambda text: echo(env, text))
    account = f" as {signed.account}" if signed.account else ""
    echo(env, f"Signed in{account}. Token saved to {signed.path} (mode 0600).")
    for scope in signed.missing:
        warn(
            env,
            f"Microsoft did not grant permission to {microsoft.SCOPE_NAMES.get(scope, scope)} ({scope}); "
            "run `callfirst auth microsoft` again and accept every permission",
        )
    return ExitStatus.OK


@auth.command("imap")
@pass_env
def auth_imap(env: Environment) -> ExitStatus:
    """Log in to your IMAP mailbox ([imap] in config.toml) and keep the password in the system keyring."""
    from ..errors import ImapAuthError
    from ..integrations import imap
    from ..integrations.credentials import store_password

    box = imap.mailbox_from(job_context(env).config.imap)
    password = _ask_password(f"IMAP password for {box.label}")
    folder = imap.check_login(box, password)
    keyring = store_password(imap.KIND, box.username, box.host, password, imap.PASSWORD_VARIABLE, ImapAuthError)
    echo(env, f"Logged in to {box.host} as {box.username}; drafts go to {folder}.")
    echo(env, f"Password kept in the system keyring ({keyring}), not in any file.")
    return ExitStatus.OK


@auth.command("caldav")
@pass_env
def auth_caldav(env: Environment) -> ExitStatus:
    """Log in to your CalDAV account ([caldav] in config.toml) and keep the password in the system keyring."""
    from ..errors import CaldavAuthError
    from ..integrations import caldav
    from ..integrations.credentials import store_password

    account = caldav.account_from(job_context(env).config.caldav)
    password = _ask_password(f"CalDAV password for {account.username} at {account.host}")
    names = caldav.check_login(account, password)
    keyring = store_password(
        caldav.KIND, account.username, account.host, password, caldav.PASSWORD_VARIABLE, CaldavAuthError
    )
    echo(env, f"Logged in to {account.host} as {account.username}; calendars: {', '.join(sorted(names)) or 'none'}.")
    echo(env, f"Password kept in the system keyring ({keyring}), not in any file.")
    return ExitStatus.OK


def _ask_password(prompt: str) -> str:
    password: str = click.prompt(prompt, hide_input=True, err=True)
    if not password:
        raise click.UsageError("no password given")
    return password


@auth.command("status")
@provider_argument
@pass_env
def auth_status(env: Environment, provider: str) -> ExitStatus:
    """Which account callfirst uses (Google unless you name another), and what it may do."""
    if provider == "google":
        from ..integrations import google

        signed = google.status(env.places)
        echo(env, f"account: {signed.account or '(unknown)'}")
        echo(env, f"token:   {signed.path}")
        for scope in signed.scopes:
            echo(env, f"allowed: {google.SCOPE_NAMES.get(scope, scope)}  ({scope})")
        return ExitStatus.OK
    if provider == "microsoft":
        from ..integrations import microsoft

        ms = microsoft.status(env.places)
        echo(env, f"account: {ms.account or '(unknown)'}")
        echo(env, f"token:   {ms.path}")
        for scope in ms.scopes:
            if scope in microsoft.SCOPE_NAMES:
                echo(env, f"allowed: {microsoft.SCOPE_NAMES[scope]}  ({scope})")
        return ExitStatus.OK
    _password_status(env, provider)
    return ExitStatus.OK


def _password_status(env: Environment, provider: str) -> None:
    """The IMAP or CalDAV account, and where its password comes from (never the password)."""
    import os

    from ..errors import CallfirstError
    from ..integrations import caldav, imap
    from ..integrations.credentials import find_password

    config = job_context(env).config
    if provider == "imap":
        box = imap.mailbox_from(config.imap)
        kind, user, host, variable = imap.KIND, box.username, box.host, imap.PASSWORD_VARIABLE
        echo(env, f"mailbox:  {box.label} (port {box.port}, {box.security})")
    else:
        account = caldav.account_from(config.caldav)
        kind, user, host, variable = caldav.KIND, account.username, account.host, caldav.PASSWORD_VARIABLE
        echo(env, f"account:  {user} at {account.url}")
    if os.environ.get(variable):
        echo(env, f"password: from {variable}")
        return
    try:
        find_password(kind, user, host, variable, CallfirstError)
    except CallfirstError as exc:
        raise type(exc)(exc.message) from None
    echo(env, "password: in the system keyring")


@auth.command("revoke")
@provider_argument
@pass_env
def auth_revoke(env: Environment, provider: str) -> ExitStatus:
    """Forget a sign-in (Google unless you name another): delete the saved token, or the kept password."""
    if provider == "google":
        from ..integrations import google

        revoked, why_not = google.revoke(env.places)
        echo(env, f"Deleted {env.places.google_token}.")
        if not revoked:
            warn(env, f"{why_not}; remove callfirst's access at https://myaccount.google.com/permissions")
        return ExitStatus.OK
    if provider == "microsoft":
        from ..integrations import microsoft

        if microsoft.revoke(env.places):
            echo(env, f"Deleted {env.places.microsoft_token}.")
        else:
            echo(env, "No Microsoft sign-in was saved.")
        warn(
            env,
            "Microsoft cannot be asked to revoke it from here; remove callfirst's access at "
            "https://myaccount.microsoft.com/ (work or school) or https://account.live.com/consent/Manage "
            "(personal account)",
        )
        return ExitStatus.OK
    _forget_password(env, provider)
    return ExitStatus.OK


def _forget_password(env: Environment, provider: str) -> None:
    from ..integrations import caldav, imap
    from ..integrations.credentials import forget_password

    config = job_context(env).config
    if provider == "imap":
        box = imap.mailbox_from(config.imap)
        kind, user, host, variable = imap.KIND, box.username, box.host, imap.PASSWORD_VARIABLE
    else:
        account = caldav.account_from(config.caldav)
        kind, user, host, variable = caldav.KIND, account.username, account.host, caldav.PASSWORD_VARIABLE
    if forget_password(kind, user, host):
        echo(
            env,
            f"Removed the {provider.upper() if provider == 'imap' else 'CalDAV'} password for {user} at {host} from the system keyring.",
        )
    else:
        echo(env, f"No password for {user} at {host} was in the system keyring.")
    import os

    if os.environ.get(variable):
        warn(env, f"{variable} is still set in your environment")
