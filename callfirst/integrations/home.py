"""The user folder: where callfirst keeps config.toml, tokens, the call log and the user's templates."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..timezones import zone_named

if TYPE_CHECKING:
    from ..config import Config

APP_NAME = "callfirst"


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


@dataclass(frozen=True)
class SignIn:
    """A provider's saved sign-in: the account, the permissions granted and those asked for but not granted,
    and the token file in the user folder."""

    account: str
    scopes: tuple[str, ...]
    missing: tuple[str, ...]
    path: Path


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


# --- config.toml, written ---------------------------------------------------------------------------


def read_config_text(path: Path) -> str:
    """config.toml's text, to keep its other tables when the profile is replaced; '' when there is none."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read to keep its other sections ({exc})", where=str(path)) from None


def write_config(path: Path, text: str, *, replace: bool) -> None:
    """Write config.toml atomically (readable by you alone); an existing one is replaced only with `replace`."""
    from .atomic import write_atomic

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), force=replace, mode=0o600)
