"""Where a draft goes. A target is one module exposing `TARGET` and one line in TARGET_MODULES; the `draft`
command maps its flags to a target name through one table and never branches per target."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from email.message import EmailMessage

    from ..context import Context
    from ..drafts.compose import Draft
    from ..model import Assessment
    from .state import DraftMade

# Each module is imported only when its target is used.
TARGET_MODULES: dict[str, str] = {
    "stdout": "callfirst.integrations.to_stdout",
    "file": "callfirst.integrations.to_file",
    "mailto": "callfirst.integrations.to_mailto",
    "gmail": "callfirst.integrations.gmail",
}


@dataclass(frozen=True)
class TargetOptions:
    """What the user said about the target: the file (and whether to replace it), opening it, the thread."""

    out: Path | None = None
    force: bool = False
    open_it: bool = False
    find_thread: bool = False
    new: bool = False


@dataclass(frozen=True)
class Outgoing:
    """A finished draft on its way to a target."""

    item: Assessment
    draft: Draft
    calendar: tuple[bytes, str] | None
    options: TargetOptions

    def message(self, now: datetime, draft: Draft | None = None) -> EmailMessage:
        """The RFC 5322 draft (with `X-Unsent: 1`), of `draft` when a target changed it (reply headers)."""
        from ..drafts.compose import as_message

        return as_message(draft or self.draft, now=now, calendar=self.calendar, event=self.item.event)


@dataclass(frozen=True)
class Delivered:
    """What a target did: a line for the user (the draft itself, for stdout), what `status` remembers,
    and a path or link the caller may open in the mail client."""

    text: str
    made: DraftMade | None = None
    open: str | None = None
    warnings: tuple[str, ...] = ()


class DraftTarget(Protocol):
    def deliver(self, outgoing: Outgoing, ctx: Context, /) -> Delivered: ...


def target_named(name: str) -> DraftTarget:
    found: DraftTarget = importlib.import_module(TARGET_MODULES[name]).TARGET
    return found
