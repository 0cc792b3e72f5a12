"""The draft as a mailto: link, for the mail client to open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import OutputError
from .targets import Delivered

if TYPE_CHECKING:
    from ..context import Context
    from .targets import Outgoing


class Mailto:
    def deliver(self, outgoing: Outgoing, ctx: Context) -> Delivered:
        from ..drafts.message import mailto_link
        from .state import DraftMade

        draft = outgoing.draft
        if draft.to is None:
            raise OutputError("the event names no organizer for a mailto: link; give --to ADDRESS")
        link = mailto_link(draft.to, draft.subject, draft.body)
        return Delivered(link, made=DraftMade(ctx.now, "mailto", link), open=link if outgoing.options.open_it else None)


TARGET = Mailto()
