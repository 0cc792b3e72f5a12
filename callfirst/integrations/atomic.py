"""Atomic writes: a file holds its old bytes or the whole new ones, never a part of either."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import NoReturn

from ..errors import OutputError

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

    def unwind(_signum: int, _frame: FrameType | None) -> NoReturn:
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
