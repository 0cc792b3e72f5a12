"""The page's words for what the library says: its messages name the command line's options, the page names its
own controls; and every message a page shows is one sentence."""

from __future__ import annotations

# The library's messages name the command line's options; the page names its own controls instead.
PAGE_WORDS = (
    ("--propose ", "the time "),
    ("--agreed ", "the new time "),
    ("give --to ADDRESS", "add the address under What callfirst read"),
    ("(--outcome reached)", "(I reached them)"),
)


def plain_words(text: str) -> str:
    """A library message in the page's words."""
    for command_words, page_words in PAGE_WORDS:
        text = text.replace(command_words, page_words)
    return text


def sentence(text: str) -> str:
    """One sentence: a capital first, a full stop last."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
