"""The one exception tree: every error the tool reports to a user is a CallfirstError."""

from __future__ import annotations

import enum
from collections.abc import Sized


class ExitStatus(enum.IntEnum):
    """The one exit policy of every command."""

    OK = 0
    ERROR = 1  # something the user gave could not be used; see the message
    USAGE = 2  # the command line itself is wrong
    INTERRUPTED = 130  # Ctrl-C


def located(where: str, line: int | None) -> str:
    """'file:line', or the file alone when the line is unknown."""
    return where if line is None else f"{where}:{line}"


def exit_status(errors: Sized) -> ExitStatus:
    """From a result's errors to the exit status: any error is an error, warnings are not."""
    return ExitStatus.ERROR if len(errors) else ExitStatus.OK


class CallfirstError(Exception):
    """Base of every error callfirst reports; its message is one line for the user."""

    exit_code = ExitStatus.ERROR

    def __init__(self, message: str, *, where: str | None = None, line: int | None = None):
        self.message = _one_line(message)
        self.where = where
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return self.message if self.where is None else f"{located(self.where, self.line)}: {self.message}"


class SourceError(CallfirstError):
    """A calendar source cannot be read: missing, unreadable, not a calendar."""


class ConfigError(CallfirstError):
    """config.toml is malformed or holds a bad value."""


class ProfileMissing(ConfigError):
    """A detail the job needs is not in your profile; `detail` names it (name, email)."""

    def __init__(self, message: str, *, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


class EventNotFound(CallfirstError):
    """No event, or more than one, matches what the user asked for."""


class OutputError(CallfirstError):
    """A file cannot be written, or would overwrite one the user has."""


class UnsafeValue(CallfirstError):
    """A value cannot be used safely in a mail header or template."""


class ProposalError(CallfirstError):
    """A time the user proposes or agreed on cannot be offered: no time of day, past, inside the interview,
    or a time the clocks skip."""


class TemplateProblem(CallfirstError):
    """A template (the bundled ones or the user's own) cannot be loaded or rendered."""


class StateError(CallfirstError):
    """The call log (state.sqlite3 in the user folder) cannot be opened, is busy, or is damaged."""


class GoogleError(CallfirstError):
    """Google Calendar or Gmail refused a request, or cannot be reached."""

    status: int | None = None  # the HTTP status, when Google answered


class GoogleAuthError(GoogleError):
    """No usable Google sign-in: none saved, expired, revoked, or missing a permission."""


class MicrosoftError(CallfirstError):
    """Microsoft Graph (Outlook calendar and mail) refused a request, or cannot be reached."""

    status: int | None = None  # the HTTP status, when Microsoft answered


class MicrosoftAuthError(MicrosoftError):
    """No usable Microsoft sign-in: none saved, expired, revoked, or missing a permission."""


class ImapError(CallfirstError):
    """The IMAP server refused a command, cannot be reached, or has no Drafts folder."""


class ImapAuthError(ImapError):
    """The IMAP server refused the login, or no password is available."""


class CaldavError(CallfirstError):
    """The CalDAV server refused a request, cannot be reached, or has no such calendar."""


class CaldavAuthError(CaldavError):
    """The CalDAV server refused the login, or no password is available."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def short_error(exc: BaseException, limit: int = 160) -> str:
    """An exception's text on one line, cut to `limit` characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


class FactError(CallfirstError):
    """A fact the user gave over the invitation's (company, role, their zone, number, address) cannot be used."""
