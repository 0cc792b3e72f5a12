"""Everything that touches local files: the sources the user names, the user folder, atomic writes."""

from __future__ import annotations

import contextlib
import errno
import io
import mmap
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, BinaryIO, NoReturn
from zoneinfo import ZoneInfo

from ..errors import ConfigError, OutputError
from ..timezones import zone_named

if TYPE_CHECKING:
    from ..config import Config
    from ..ical.prefilter import Selector
    from ..model import ReadResult, Window

APP_NAME = "callfirst"

# progress(source, bytes_done, bytes_total), called now and then while a large file is read
Progress = Callable[[str, int, int], None]


# --- sources: .ics files, invitation emails, stdin, Google -------------------------------------


def read_source(
    spec: str,
    selector: Selector,
    profile_zone: ZoneInfo,
    stdin: BinaryIO | None = None,
    google_calendar: str = "primary",
    progress: Progress | None = None,
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
    handle: BinaryIO, source: str, selector: Selector, zone: ZoneInfo, progress: Progress | None = None
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
        try:
            return read_invitation(handle.read(), source, selector, zone)
        except RecursionError:  # the standard library's MIME parser recurses once per nested part
            return _error(source, "nests MIME parts too deeply to be an invitation")
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


def busy_from(
    spec: str, window: Window, google_calendar: str = "primary", places: Places | None = None
) -> tuple[Window, ...]:
    """Busy times a source knows beyond its events: Google's freeBusy; nothing for files."""
    from .gcal import busy_google, is_google

    return busy_google(spec, window, google_calendar, places or Places.from_environ()) if is_google(spec) else ()


# --- the user folder -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """Where callfirst keeps the user's files and reaches Google and Microsoft: read from the environment once,
    passed down.

    `google_api_root` (CALLFIRST_GOOGLE_API_ROOT), `microsoft_api_root` (CALLFIRST_MICROSOFT_API_ROOT) and
    `microsoft_login_root` (CALLFIRST_MICROSOFT_LOGIN_ROOT) are overrides for tests and proxies; never saved.
    """

    home: Path
    google_api_root: str = ""
    microsoft_api_root: str = ""
    microsoft_login_root: str = ""

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
        return cls(
            home=folder,
            google_api_root=environ.get("CALLFIRST_GOOGLE_API_ROOT", "").strip(),
            microsoft_api_root=environ.get("CALLFIRST_MICROSOFT_API_ROOT", "").strip(),
            microsoft_login_root=environ.get("CALLFIRST_MICROSOFT_LOGIN_ROOT", "").strip(),
        )

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
    def microsoft_token(self) -> Path:
        """MSAL's token cache for the Microsoft sign-in."""
        return self.home / "microsoft-token.json"

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
    from ..config import Config, parse_config

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


NAME_ROOM = 100  # of the target's name in the temporary file's, so that both fit the file system's limit
_NO_HARD_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK)


def write_atomic(path: Path, data: bytes, *, force: bool = False, mode: int = 0o644) -> None:
    """Write `data` so that `path` holds the old file or the whole new one, never a part of either.

    A new path is created by hard-linking the fsynced temporary file to it, which fails if the path
    appeared meanwhile: of two writers, one succeeds and the other is refused. An existing regular file
    is replaced (renamed over) only with `force`; a symbolic link, FIFO, device, socket or folder never.
    The temporary file is removed on any error, and on SIGTERM while writing.
    Every failure is an OutputError naming the path.
    """
    path = Path(path)
    if path.name in ("", ".", ".."):
        raise OutputError("is not a file name", where=str(path) or "''")
    directory = path.parent
    try:
        _check_target(path, force)
        with _sigterm_removes_temp_files(), _temp_file(directory, path.name, data, mode) as temp:
            _commit(temp, path, force)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})", where=str(path)) from None
    _fsync_dir(directory)


def _check_target(path: Path, force: bool) -> None:
    """Refuse anything but a new path, or (with `force`) a regular file."""
    import stat

    if not path.parent.is_dir():
        raise OutputError(f"folder {path.parent} does not exist", where=str(path))
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise OutputError("is a symbolic link; callfirst writes only a new file or a regular one", where=str(path))
    if stat.S_ISDIR(mode):
        raise OutputError("is a folder", where=str(path))
    if not stat.S_ISREG(mode):
        raise OutputError("is not a regular file (a FIFO, device or socket); refused", where=str(path))
    if not force:
        raise OutputError("already exists; use --force to replace it", where=str(path))


@contextmanager
def _temp_file(directory: Path, name: str, data: bytes, mode: int) -> Iterator[str]:
    """A temporary file beside the target holding `data`, flushed to disk; removed when the block ends."""
    fd, temp = tempfile.mkstemp(prefix=f".{name[:NAME_ROOM]}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        yield temp
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _commit(temp: str, path: Path, force: bool) -> None:
    """Put the temporary file in place: replacing only with `force`, else creating exclusively."""
    if force:
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)
    except FileExistsError:
        raise OutputError("already exists; use --force to replace it", where=str(path)) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        _claim_then_rename(temp, path)


def _claim_then_rename(temp: str, path: Path) -> None:
    """Where hard links are not supported: claim the name exclusively, then rename the data over the claim."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    except FileExistsError:
        raise OutputError("already exists; use --force to replace it", where=str(path)) from None
    os.replace(temp, path)


class _Terminated(BaseException):
    """SIGTERM arrived while a file was being written."""


@contextmanager
def _sigterm_removes_temp_files() -> Iterator[None]:
    """While the block runs, SIGTERM unwinds it (so temporary files are removed), then takes its usual course."""
    import signal
    import threading

    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or previous is signal.SIG_IGN:
        yield
        return

    def unwind(signum: int, frame: FrameType | None) -> NoReturn:
        raise _Terminated

    signal.signal(signal.SIGTERM, unwind)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
        raise OutputError("stopped by SIGTERM; nothing was written") from None
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


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


# --- the user's own templates ---------------------------------------------------------------------


def read_user_templates(folder: Path) -> dict[str, str]:
    """The templates in the user's folder (`*.j2`), by name, read before any rendering. A file that links
    out of the folder or is not a regular file is refused, and one that is not UTF-8 is named."""
    from ..errors import TemplateProblem

    if not folder.is_dir():
        return {}
    found: dict[str, str] = {}
    inside = folder.resolve()
    for path in sorted(folder.iterdir()):
        if not path.name.endswith(".j2"):
            continue
        resolved = path.resolve()
        if not resolved.is_relative_to(inside):
            raise TemplateProblem("links out of the templates folder; refused", where=str(path))
        if not resolved.is_file():
            raise TemplateProblem("is not a regular file; refused", where=str(path))
        try:
            found[path.name] = resolved.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise TemplateProblem("is not UTF-8 text", where=str(path)) from None
        except OSError as exc:
            raise TemplateProblem(f"cannot be read ({exc.strerror or exc})", where=str(path)) from None
    return found
