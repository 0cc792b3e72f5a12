"""What the command line takes from the world, in one object: streams, terminal facts, the clock, places.

`Environment.from_os()` reads them once in `main`; tests build their own instead of patching `sys` and
`os.environ` (as httpie's `Environment` does).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, BinaryIO, TextIO

from ..integrations.home import Places


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _launch(target: str) -> int:
    """Open a file or a link with the platform's opener (click.launch); nothing is sent."""
    import click

    return click.launch(target)


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def _binary_stdin() -> BinaryIO:
    """Standard input's bytes; a replacement stream without a buffer (an embedding's) is taken as it is."""
    stdin: Any = sys.stdin  # typeshed has a text stream here, but it can be None or anything put there
    binary: BinaryIO = getattr(stdin, "buffer", stdin)
    return binary


def _lenient(stream: TextIO) -> TextIO:
    """`stream`, set to write a character its encoding lacks (a Chinese title on an ASCII terminal) as an
    escape rather than fail: UTF-8 streams as they are."""
    if not writes_all_of_unicode(stream) and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="backslashreplace")
    return stream


def writes_all_of_unicode(stream: object) -> bool:
    """Can `stream` write any character (a text stream of no stated encoding, such as StringIO, can)?"""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))


def system_language(environ: Mapping[str, str]) -> str:
    """The language of the system's locale (LC_ALL, LC_MESSAGES, LANG, as gettext reads them): 'pt' for
    pt_BR.UTF-8; '' for C, POSIX or nothing."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(".")[0].split("_")[0].split("@")[0].lower()
            return code if len(code) == 2 and code.isalpha() else ""
    return ""


@dataclass(frozen=True)
class Environment:
    stdin: BinaryIO
    stdout: TextIO
    stderr: TextIO
    places: Places
    stdin_isatty: bool = False
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    no_color: bool = False
    term: str = ""
    columns: int | None = None
    language: str = ""  # the system's language ('pt' from LANG=pt_BR.UTF-8), for what [profile] leaves out
    debug: bool = False
    clock: Callable[[], datetime] = field(default=_utc_now)
    opener: Callable[[str], int] = field(default=_launch)

    @classmethod
    def from_os(cls, environ: Mapping[str, str] | None = None) -> Environment:
        environ = os.environ if environ is None else environ
        columns = environ.get("COLUMNS", "")
        return cls(
            stdin=_binary_stdin(),
            stdout=_lenient(sys.stdout),
            stderr=_lenient(sys.stderr),
            places=Places.from_environ(environ),
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            no_color=bool(environ.get("NO_COLOR")),
            term=environ.get("TERM", ""),
            columns=int(columns) if columns.isdigit() else None,
            language=system_language(environ),
            debug=bool(environ.get("CALLFIRST_DEBUG")),
        )

    def but(self, **changes: object) -> Environment:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def color(self) -> bool | None:
        """For click.echo: False turns colour off; None lets click decide from the stream."""
        return False if self.no_color else None

    @property
    def wants_progress(self) -> bool:
        """A progress bar only for a person watching stderr on a capable terminal."""
        return self.stderr_isatty and self.term != "dumb"
