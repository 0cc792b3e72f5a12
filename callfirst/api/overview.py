"""What has been done about each interview, and which interviews in the sources wait for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..context import Context
from ..model import Assessment, Notice, Problem
from .finding import scan

if TYPE_CHECKING:
    from ..integrations.state import Logged


@dataclass(frozen=True)
class Acted:
    """An interview the log holds, with the notice the employer would get now."""

    logged: Logged
    notice: Notice


@dataclass(frozen=True)
class Status:
    acted: tuple[Acted, ...]
    waiting: tuple[Assessment, ...]  # upcoming interviews in the sources, not acted on yet
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()


def status(ctx: Context, sources: Sequence[str] = ()) -> Status:
    """The interviews acted on (calls, drafts), and those in `sources` not acted on yet."""
    from ..integrations.state import interview_key, open_store
    from ..notice import assess_notice
    from ..timezones import zone_named

    logged: list[Logged] = []
    damage: list[str] = []
    if ctx.places.state.exists():
        with open_store(ctx.places) as store:
            logged = store.everything()
            damage = [*store.warnings, *(entry.damaged for entry in logged if entry.damaged)]
    damaged = tuple(Problem(str(ctx.places.state), text) for text in damage)
    acted = tuple(
        Acted(
            entry,
            assess_notice(
                ctx.now, entry.facts.start, zone_named(entry.facts.timezone) or ctx.owner_zone, ctx.config.notice
            ),
        )
        for entry in logged
    )
    if not sources:
        return Status(acted, (), damaged)
    result = scan(ctx, sources)
    known = {entry.key for entry in logged}
    waiting = tuple(a for a in result.assessments if interview_key(a.event) not in known and a.event.start > ctx.now)
    return Status(acted, waiting, damaged + result.warnings, result.errors)
