"""Everything that touches local files: the sources the user names, the user folder, atomic writes."""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import tempfile
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from ..config import Config, parse_config
from ..errors import ConfigError, OutputError
from ..ical.invitation import read_invitation, sniff
from ..ical.prefilter import Selector
from ..ical.read import read_calendar_data
from ..model import Problem, ReadResult
from ..timezones import zone_named

APP_NAME = "callfirst"


# --- sources: .ics files, invitation emails, stdin, Google -------------------------------------


def read_source(
    spec: str,
    selector: Selector,
    profile_zone: ZoneInfo,
    stdin: BinaryIO | None = None,
    google_calendar: str = "primary",
    progress=None,
    places: Places | None = None,
) -> ReadResult:
    """Read one source; a file's failures come back as Problems. Google's raise GoogleError."""
    from .gcal import is_google

    if is_google(spec):
        from .gcal import read_google

        return read_google(spec, selector.window, profile_zone, google_calendar, places or Places.from_environ())
    if spec == "-":
        data = stdin.read() if stdin is not None else b""
        return _read_stream(io.BytesIO(data), "<stdin>", selector, profile_zone)
    try:
        with open(spec, "rb") as handle:
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
    return ReadResult(errors=(Problem(source, message),))


def _read_stream(handle: BinaryIO, source: str, selector: Selector, zone: ZoneInfo, progress=None) -> ReadResult:
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
def _mapped(handle: BinaryIO):
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


def busy_from(spec: str, window, google_calendar: str = "primary", places: Places | None = None) -> tuple:
    """Busy times a source knows beyond its events: Google's freeBusy; nothing for files."""
    from .gcal import busy_google, is_google

    return busy_google(spec, window, google_calendar, places or Places.from_environ()) if is_google(spec) else ()


# --- the user folder -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """Where callfirst keeps the user's files and reaches Google: read from the environment once, passed down.

    `google_api_root` is an override for tests and proxies (CALLFIRST_GOOGLE_API_ROOT); it is never saved.
    """

    home: Path
    google_api_root: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Places:
        """$CALLFIRST_HOME if set, else the platform's user config directory."""
        environ = os.environ if environ is None else environ
        home = environ.get("CALLFIRST_HOME", "")
        if home:
            folder = Path(home).expanduser()
        else:
            from platformdirs import user_config_dir

            folder = Path(user_config_dir(APP_NAME, appauthor=False))
        return cls(home=folder, google_api_root=environ.get("CALLFIRST_GOOGLE_API_ROOT", "").strip())

    @property
    def config(self) -> Path:
        return self.home / "config.toml"

    @property
    def templates(self) -> Path:
        return self.home / "templates"

    @property
    def google_token(self) -> Path:
        return self.home / "google-token.json"

    @property
    def client_secret(self) -> Path:
        return self.home / "client_secret.json"

    @property
    def gmail_state(self) -> Path:
        """The Gmail drafts' record before the state store; read once, then moved aside."""
        return self.home / "gmail-drafts.json"

    @property
    def state(self) -> Path:
        """The SQLite store: call attempts, drafts made, Gmail draft ids."""
        return self.home / "state.sqlite3"


def load_config(path: Path) -> Config:
    """The user's config, or the defaults when there is no config.toml."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"cannot read ({exc.strerror or exc})", where=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text", where=str(path)) from None
    return parse_config(text, where=str(path))


def local_zone_name() -> str:
    """The machine's IANA zone name: $TZ, then /etc/localtime, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    return next((name for name in candidates if zone_named(name) is not None), "UTC")


def write_atomic(path: Path, data: bytes, *, force: bool = False, mode: int = 0o644) -> None:
    """Write via a temp file + fsync + rename; refuse to replace an existing file unless `force`."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputError("already exists; use --force to replace it", where=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"folder {directory} does not exist", where=str(path))
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not force and path.exists():
            raise OutputError("already exists; use --force to replace it", where=str(path))
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
