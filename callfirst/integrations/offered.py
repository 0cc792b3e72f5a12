"""The times last offered for each interview (by `plan`, `call` or `draft`), so the times said on the phone
are the times the email offers unless the user asks for others (--propose, --suggest). Kept in the state
store beside the call log; a log that cannot be read or written only means the times are chosen afresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import StateError
from ..model import Window

if TYPE_CHECKING:
    from ..model import Event
    from .home import Places


def recall(places: Places, event: Event) -> tuple[Window, ...]:
    """The times last offered for the event's interview, () when none (no log file is made just to look)."""
    from .state import interview_key, open_store

    if not places.state.exists():
        return ()
    try:
        with open_store(places) as store:
            return tuple(Window(start, end) for start, end in store.offered(interview_key(event)))
    except StateError:
        return ()


def remember(places: Places, event: Event, slots: tuple[Window, ...]) -> None:
    """Keep `slots` as the times offered for the event's interview (a failure to write is not an error: the
    times are then chosen again next time)."""
    from .state import interview_key, open_store

    times = tuple((slot.start, slot.end) for slot in slots)
    try:
        with open_store(places) as store:
            key = interview_key(event)
            if store.offered(key) != times:
                store.set_offered(key, times)
    except StateError:
        return
