"""The page's words for what the library says: its messages name the command line's options, the page names its
own controls; and every message a page shows is one sentence."""

from __future__ import annotations

import re

# The library's messages name the command line's options and config.toml; the page names its own controls
# and pages instead.
PAGE_WORDS = (
    ("--propose ", "the time "),
    ("--agreed ", "the new time "),
    ("give --to ADDRESS", "add the address under What callfirst read"),
    ("(--outcome reached)", "(I reached them)"),
    ("run `callfirst init` to set up your profile", "fill in Your details"),
    ("set [profile] email in config.toml", "fill in your email address under Your details"),
    ("name one with --event UID (see `callfirst scan --all`)", "open the invitation again from the start page"),
    ("choose one with --event", "choose one on the start page"),
)
PAGE_PATTERNS = (
    (re.compile(r" \(--language chooses one of [^)]*\)"), ""),  # the page has no language control
)


def plain_words(text: str) -> str:
    """A library message in the page's words."""
    for command_words, page_words in PAGE_WORDS:
        text = text.replace(command_words, page_words)
    for pattern, page_words in PAGE_PATTERNS:
        text = pattern.sub(page_words, text)
    return text


def sentence(text: str) -> str:
    """One sentence: a capital first, a full stop last."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# What the page says when your profile lacks a detail an email needs; a link to Your details follows.
MISSING_WORDS = {
    "name": "Your name is missing, so the email cannot be signed:",
    "email": "Your email address is missing, so the draft has no sender:",
}
