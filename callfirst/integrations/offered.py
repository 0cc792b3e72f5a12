"""The times last offered for each interview (by `plan`, `call` or `draft`), so the times said on the phone
are the times the email offers unless the user asks for others (--propose, --suggest). One small JSON file
in the user folder, replaced atomically; a file that cannot be read is treated as empty."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from ..model import Window

if TYPE_CHECKING:
    from ..model import Event
    from .home import Places

FILE = "offered-times.json"
KEEP = 200  # interviews remembered; the oldest are forgotten first


def recall(places: Places, event: Event) -> tuple[Window, ...]:
    """The times last offered for the event's interview, () when none (or the file cannot be read)."""
    entry = _read(places).get(_key(event))
    if not isinstance(entry, list):
        return ()
    try:
        return tuple(Window(datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in entry)
    except (TypeError, ValueError):
        return ()


def remember(places: Places, event: Event, slots: tuple[Window, ...]) -> None:
    """Keep `slots` as the times offered for the event's interview (a failure to write is not an error: the
    times are then chosen again next time)."""
    from ..errors import OutputError
    from .atomic import write_atomic

    table = _read(places)
    key = _key(event)
    entry = [[slot.start.isoformat(), slot.end.isoformat()] for slot in slots]
    if table.get(key) == entry:
        return
    table.pop(key, None)
    table[key] = entry
    kept = dict(list(table.items())[-KEEP:])
    try:
        places.home.mkdir(parents=True, exist_ok=True)
        write_atomic(places.home / FILE, json.dumps(kept, indent=1).encode(), force=True, mode=0o600)
    except (OSError, OutputError):  # a read-only folder, or a link or folder in the file's place
        return


def _read(places: Places) -> dict[str, object]:
    try:
        table = json.loads((places.home / FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    return table if isinstance(table, dict) else {}


def _key(event: Event) -> str:
    from .state import interview_key

    key = interview_key(event)
    return "\x1f".join((key.uid, key.organizer, key.source, key.occurrence))
