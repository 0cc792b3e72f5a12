"""The user's directory: config.toml, the Google token, templates; atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..config import Config, parse_config
from ..errors import ConfigError, OutputError

APP_NAME = "callfirst"


def user_dir() -> Path:
    """$CALLFIRST_HOME if set, else the platform's user config directory."""
    home = os.environ.get("CALLFIRST_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return user_dir() / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """The user's config, or the defaults when there is no config.toml."""
    path = path or config_path()
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
    from zoneinfo import ZoneInfo

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
            return name
        except Exception:  # noqa: BLE001 - not a usable zone name, try the next
            continue
    return "UTC"


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
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
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
