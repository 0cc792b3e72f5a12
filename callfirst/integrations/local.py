"""Files and standard input as a source: .ics calendars (mapped, not read into memory) and invitation emails."""

from __future__ import annotations

import io
import mmap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from ..context import Context
    from ..ical.prefilter import Selector
    from ..model import ReadResult, Window

STDIN = "<stdin>"


class LocalFiles:
    """A path, or `-` for standard input."""

    def read(self, spec: str, selector: Selector, ctx: Context) -> ReadResult:
        return read_file(spec, selector, ctx.owner_zone, ctx.stdin, ctx.progress)

    def busy(self, _spec: str, _window: Window, _ctx: Context, /) -> tuple[Window, ...]:
        return ()  # a file's busy times are its events

    def label(self, spec: str) -> str:
        return STDIN if spec == "-" else spec


SOURCE = LocalFiles()


def read_file(
    spec: str,
    selector: Selector,
    profile_zone: ZoneInfo,
    stdin: BinaryIO | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ReadResult:
    """Read one file (or `-`); its failures come back as Problems."""
    if spec == "-":
        data = stdin.read() if stdin is not None else b""
        return _read_stream(io.BytesIO(data), STDIN, selector, profile_zone)
    try:
        with open(spec, "rb") as handle:
            if not handle.seekable():  # a FIFO or a shell's <(...): read as the stream it is
                return _read_stream(io.BytesIO(handle.read()), spec, selector, profile_zone)
            return _read_stream(handle, spec, selector, profile_zone, progress)
    except FileNotFoundError:
        return _error(spec, "no such file")
    except IsADirectoryError:
        return _error(spec, "is a directory, not a calendar file")
    except PermissionError:
        return _error(spec, "permission denied")
    except OSError as exc:
        return _error(spec, f"cannot read ({exc.strerror or exc})")


def _error(source: str, message: str) -> ReadResult:
    from ..model import Problem, ReadResult

    return ReadResult(errors=(Problem(source, message),))


def _read_stream(
    handle: BinaryIO,
    source: str,
    selector: Selector,
    zone: ZoneInfo,
    progress: Callable[[str, int, int], None] | None = None,
) -> ReadResult:
    # the readers load for a scan, not for --help
    from ..ical.invitation import read_invitation, sniff
    from ..ical.read import read_calendar_data

    head = handle.read(8192)
    handle.seek(0)
    kind = sniff(head)
    if kind == "ics":
        with _mapped(handle) as data:
            report = (lambda done, total: progress(source, done, total)) if progress else None
            return read_calendar_data(data, source, selector, zone, progress=report)
    if kind == "ics-utf16":
        encoding = (
            "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-16-le" if head[:1] == b"B" else "utf-16-be")
        )
        text = handle.read().decode(encoding, errors="replace")
        return read_calendar_data(text.encode("utf-8"), source, selector, zone)
    if kind == "eml":
        return read_invitation(handle.read(), source, selector, zone)
    if not head.strip():
        return _error(source, "is empty")
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return _error(source, "is an HTML page, not an iCalendar file or invitation email")
    return _error(source, "is not an iCalendar file or an invitation email")


@contextmanager
def _mapped(handle: BinaryIO) -> Iterator[bytes | mmap.mmap]:
    """The file's bytes without reading them all into memory: an mmap when the handle is a plain file."""
    try:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        yield handle.read()
        return
    try:
        yield mapped
    finally:
        mapped.close()
