"""Text that came from an event, made safe to show: the one filter every such value passes on its way
to a terminal, a template or a mail header."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BREAKING = frozenset({"Cc", "Zl", "Zp"})  # controls (escape sequences start with one) and line separators
_INVISIBLE = "Cf"  # format characters: bidi overrides, zero-width characters


def printable(value: str, *, lines: bool = False) -> str:
    """`value` without control, format or separator characters: one line, with runs of white space made one
    space; with `lines`, newlines are kept (and the rest of each line as it is)."""
    if lines:
        return "\n".join(_without_controls(line) for line in (value or "").split("\n"))
    return " ".join(_without_controls(value or "").split())


def reads_as_an_address(text: str) -> bool:
    """Does `text` read as (part of) an address once its look-alike characters are read as what they look like:
    a fullwidth '＠' (U+FF20) or a small '﹫' is an '@' to the eye (NFKC), so a name holding one can pose as
    another address than the one mail goes to."""
    return any(mark in unicodedata.normalize("NFKC", text or "") for mark in "@<>")


# The characters that may need escaping: ASCII controls but newline, and anything past ASCII (written as
# what they are not, which compiles far faster than the range up to U+10FFFF).
_CANDIDATE = re.compile("[^\n\x20-\x7e]")


def escaped_invisible(text: str) -> str:
    """JSON text with every control, format and separator character but newline as a \\u escape: the same
    data once parsed, and nothing a terminal would act on."""
    return _CANDIDATE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    return _escaped(match.group())


@lru_cache(maxsize=4096)
def _escaped(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if _hidden(ch) else ch


def _hidden(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category == _INVISIBLE or category in _BREAKING


# Terminal escape sequences, whole: CSI (ESC [ … letter), OSC (ESC ] … BEL or ESC \\), and two-byte ones.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")


def _without_controls(text: str) -> str:
    text = _ESCAPES.sub("", text)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == _INVISIBLE:
            continue
        kept.append(" " if category in _BREAKING else ch)
    return "".join(kept)
