"""The draft on standard output: as a person reads it, or the whole message when it carries a calendar part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .targets import Delivered

if TYPE_CHECKING:
    from ..context import Context
    from .targets import Outgoing


class Stdout:
    def deliver(self, outgoing: Outgoing, ctx: Context) -> Delivered:
        from ..drafts.compose import readable

        if outgoing.calendar is not None:
            return Delivered(outgoing.message(ctx.now).as_string())
        return Delivered(readable(outgoing.draft))


TARGET = Stdout()
