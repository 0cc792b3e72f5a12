"""The two values every job takes: what the run knows (`Context`) and which interview it is about
(`InterviewRef`). Plain data: `api.load_context` fills a Context from the user folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, BinaryIO
from zoneinfo import ZoneInfo

from .config import Config
from .model import Overrides

if TYPE_CHECKING:
    from .integrations.home import Places

# progress(source, bytes_done, bytes_total), called now and then while a large file is read
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Context:
    """What every job needs: the checked config, the user folder, the moment, the owner's zone (found once),
    standard input when a source is `-`, and where to report progress."""

    config: Config
    places: Places
    now: datetime
    owner_zone: ZoneInfo
    stdin: BinaryIO | None = None
    progress: Progress | None = None

    def at(self, now: datetime) -> Context:
        """The same context at another moment."""
        return replace(self, now=now)

    def with_config(self, config: Config) -> Context:
        return replace(self, config=config)


@dataclass(frozen=True)
class InterviewRef:
    """One interview: the source that holds it, the event (a UID, or `UID@DATE` for one occurrence; None when
    the source holds one interview), the occurrence's day, and the facts the user gave over the invitation's."""

    source: str
    event: str | None = None
    occurrence: date | None = None
    overrides: Overrides = field(default_factory=Overrides)

    @property
    def named(self) -> str | None:
        """The event as `--event` names it, the occurrence's day included."""
        if self.event and self.occurrence is not None:
            return f"{self.event}@{self.occurrence.isoformat()}"
        return self.event

    def command_words(self) -> str:
        """How a command names this interview, for advice such as `callfirst call …`."""
        return f"{self.source} --event {self.named}" if self.named else self.source
