"""What one run of the web page knows: the user folder and clock, the sources named on the command line and
the accounts signed in to, the invitations opened in the page, and the facts the user corrected."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EventNotFound, OutputError

if TYPE_CHECKING:
    from ..cli.environment import Environment
    from ..context import Context, InterviewRef
    from ..integrations.home import Places
    from ..model import Overrides

KEPT_FOLDER = "invitations"  # in the user folder: an invitation opened in the page keeps its path, so its call log
GOOGLE = "google"


@dataclass(frozen=True)
class Source:
    """A source the page can read: `id` names it in addresses, `spec` is what the library is given."""

    id: str
    spec: str
    label: str


@dataclass
class Site:
    env: Environment
    sources: tuple[str, ...] = ()
    fixed_now: datetime | None = None  # --now: pretend it is this moment
    port: int = 0
    _corrections: dict[tuple[str, str], Overrides] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def places(self) -> Places:
        return self.env.places

    def context(self) -> Context:
        """What a page's job needs, as the command line makes it: config.toml (read for each page, so a change
        to it shows at once), the user folder, now (--now, else the clock) and your zone."""
        from ..api import load_context

        return load_context(self.places, now=self.fixed_now or self.env.clock())

    def ref(self, source_id: str, event: str) -> InterviewRef:
        """The interview a page is about, with the facts the user corrected on the page."""
        from ..context import InterviewRef
        from ..model import Overrides

        return InterviewRef(
            self.source(source_id).spec, event or None, overrides=self.corrections(source_id, event) or Overrides()
        )

    # --- sources ---------------------------------------------------------------------------------

    @property
    def kept(self) -> Path:
        return self.places.home / KEPT_FOLDER

    def all_sources(self) -> list[Source]:
        """The command line's sources, Google when signed in, then the invitations opened here, newest first."""
        found = [Source(f"a{n}", spec, spec) for n, spec in enumerate(self.sources)]
        if self.places.google_token.exists() and not any(s.spec.startswith(GOOGLE) for s in found):
            found.append(Source(GOOGLE, GOOGLE, "Google Calendar"))
        if self.kept.is_dir():
            files = sorted(
                (p for p in self.kept.iterdir() if p.is_file() and not p.name.startswith(".")),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            found += [Source(f"k-{p.stem}", str(p), "an invitation you opened here") for p in files]
        return found

    def source(self, source_id: str) -> Source:
        for found in self.all_sources():
            if found.id == source_id:
                return found
        raise EventNotFound("that invitation is no longer here; open it again from the start page")

    def keep(self, data: bytes, kind: str) -> Source:
        """Keep an invitation opened in the page in the user folder, named by its content (the same invitation
        opened twice is one file, so its call log stays one)."""
        from ..integrations.atomic import write_atomic

        name = hashlib.sha256(data).hexdigest()[:32]
        path = self.kept / f"{name}.{'eml' if kind == 'eml' else 'ics'}"
        with self._lock:
            self.kept.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                write_atomic(path, data, mode=0o600)
            else:
                path.touch()  # the newest first on the start page
        return Source(f"k-{path.stem}", str(path), "an invitation you opened here")

    def forget(self, source_id: str) -> None:
        """Delete an invitation opened here (what the call log holds stays)."""
        source = self.source(source_id)
        if not source.id.startswith("k-"):
            raise OutputError("only an invitation opened in this page can be removed from it")
        Path(source.spec).unlink(missing_ok=True)

    def shown_where(self, where: str | None) -> str:
        """How the page names a place an error names: an invitation opened here by those words, not its path."""
        if where is None:
            return ""
        return "the invitation you opened" if where.startswith(str(self.kept)) else where

    # --- the facts the user corrected, for the life of the server --------------------------------------

    def corrections(self, source_id: str, event: str) -> Overrides | None:
        with self._lock:
            return self._corrections.get((source_id, event))

    def correct(self, source_id: str, event: str, overrides: Overrides | None) -> None:
        with self._lock:
            if overrides is None:
                self._corrections.pop((source_id, event), None)
            else:
                self._corrections[(source_id, event)] = overrides
