"""Creating a mailbox draft without ever making two: a create is sent once per try; after a failure the draft
is looked for (by the Message-ID recorded before the create) before any other try; and a create that got no
answer at all is not tried again in this run, since it may still be under way. Gmail and Outlook share it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import CallfirstError

ATTEMPTS = 3
# After a create that got no answer, look for the draft now and after these pauses (seconds).
UNANSWERED_LOOKS = (0.0, 1.0, 2.0, 4.0)

Made = TypeVar("Made")


def create_once(
    create: Callable[[], Made],
    look_for: Callable[[tuple[float, ...]], Made | None],
    *,
    unavailable: type[CallfirstError],
    mailbox: str,
    pause: Callable[[Any, int], float],
) -> Made:
    """`create()` once per try; `unavailable` is the provider's error worth trying again (with its HTTP
    `status` None when nothing answered); `look_for(pauses)` finds the draft already made, looking after each
    pause; `pause(error, attempt)` is how long to wait before the next try."""
    for attempt in range(ATTEMPTS):
        try:
            return create()
        except unavailable as exc:
            answered = getattr(exc, "status", None) is not None
            found = look_for((0.0,) if answered else UNANSWERED_LOOKS)
            if found is not None:
                return found
            if not answered:
                raise unavailable(
                    f"{mailbox} did not answer while creating the draft, so it may still appear. Run the same "
                    "command again: callfirst looks for this draft first and never makes a second one"
                ) from None
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(pause(exc, attempt))
    raise AssertionError("unreachable")
