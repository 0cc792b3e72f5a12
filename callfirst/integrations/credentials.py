"""Passwords for IMAP and CalDAV: from an environment variable, else the system keyring; never from a file.

The keyring entry is service "callfirst", user "KIND:USERNAME@HOST" (e.g. "imap:alex@imap.mail.me.com").
keyring is imported only when a password is needed.
"""

from __future__ import annotations

import os

from ..errors import CallfirstError, short_error

SERVICE = "callfirst"


def keyring_key(kind: str, username: str, host: str) -> str:
    return f"{kind}:{username}@{host}"


def find_password(kind: str, username: str, host: str, variable: str, error: type[CallfirstError]) -> str:
    """The password in `variable` when it is set, else the one `callfirst auth KIND` kept in the keyring."""
    given = os.environ.get(variable)
    if given:
        return given
    key = keyring_key(kind, username, host)
    try:
        import keyring

        stored = keyring.get_password(SERVICE, key)
    except Exception as exc:  # noqa: BLE001 - each keyring backend raises its own types
        raise error(f"the system keyring cannot be read ({short_error(exc, 100)}); set {variable} instead") from None
    if not stored:
        raise error(f"no password for {username} at {host}: run `callfirst auth {kind}`, or set {variable}")
    return stored


def store_password(
    kind: str, username: str, host: str, password: str, variable: str, error: type[CallfirstError]
) -> str:
    """Keep the password in the system keyring; returns the keyring's name for the user."""
    key = keyring_key(kind, username, host)
    try:
        import keyring

        keyring.set_password(SERVICE, key, password)
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - each keyring backend raises its own types
        raise error(
            f"the password could not be kept in a system keyring ({short_error(exc, 100)}); on a computer "
            f"without one, set {variable} in the environment instead"
        ) from None
    return str(getattr(backend, "name", type(backend).__name__))


def forget_password(kind: str, username: str, host: str) -> bool:
    """Remove the keyring entry; False when there was none (or no keyring)."""
    try:
        import keyring

        keyring.delete_password(SERVICE, keyring_key(kind, username, host))
    except Exception:  # noqa: BLE001 - PasswordDeleteError when absent; other types when there is no keyring
        return False
    return True
