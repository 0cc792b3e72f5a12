"""What a call came to: one enum for the call log, `call --outcome` and `--called`. Kept alone, with no
imports of the package, so that the command line's options can name its values without loading the core."""

from __future__ import annotations

import enum


class Outcome(str, enum.Enum):
    """What a call came to; NOT_YET: no call made (yet)."""

    REACHED = "reached"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no-answer"
    WRONG_NUMBER = "wrong-number"
    NOT_YET = "not-yet"

    @classmethod
    def recordable(cls) -> tuple[Outcome, ...]:
        """What `call` records: the outcomes of a call made."""
        return (cls.REACHED, cls.VOICEMAIL, cls.NO_ANSWER, cls.WRONG_NUMBER)

    @classmethod
    def for_email(cls) -> tuple[Outcome, ...]:
        """What `--called` takes: each calls for its own email (a wrong number, like no call, for the first)."""
        return (cls.REACHED, cls.VOICEMAIL, cls.NO_ANSWER, cls.NOT_YET)
