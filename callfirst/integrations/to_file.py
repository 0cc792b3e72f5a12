"""The draft as an .eml file, written atomically; mail clients open it as a draft (`X-Unsent: 1`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import OutputError
from .targets import Delivered

if TYPE_CHECKING:
    from ..context import Context
    from .targets import Outgoing


class EmlFile:
    def deliver(self, outgoing: Outgoing, ctx: Context) -> Delivered:
        from .atomic import write_atomic
        from .state import DraftMade

        out = outgoing.options.out
        if out is None:
            raise OutputError("an .eml draft needs a file name (--out FILE.eml)")
        write_atomic(out, bytes(outgoing.message(ctx.now)), force=outgoing.options.force)
        where = str(out.resolve())
        return Delivered(
            f"Draft written to {out} (open it in your mail client; nothing was sent).",
            made=DraftMade(ctx.now, "file", where),
            open=where if outgoing.options.open_it else None,
        )


TARGET = EmlFile()
