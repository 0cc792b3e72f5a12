"""Which language the email is written in: the one asked for (--language), else the invitation's own.

The invitation's language is what it declares (LANGUAGE= parameters, Content-Language, an HTML lang
attribute) unless that is English and its text is plainly in another language: Exchange and Outlook write
the sender's interface language, en-US, on invitations written in Portuguese or Spanish. Text is read by
langdetect (imported only here, when needed; loading its profiles costs some 0.3 s), and a guess counts only
when it is confident and the text has that language's own common words. Pure: no files, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .voice import LANGUAGE_NAMES, LANGUAGES

# Common short words that confirm a guess: a guess without them (a title in capitals, a list of names)
# is not trusted.
COMMON_WORDS = {
    "en": {"the", "and", "to", "of", "for", "you", "your", "with", "is", "please", "we", "will"},
    "pt": {"de", "da", "do", "que", "para", "com", "uma", "os", "as", "não", "em", "você", "seu", "sua"},
    "es": {"de", "la", "el", "que", "para", "con", "una", "los", "las", "por", "en", "su", "usted"},
    "fr": {"de", "la", "le", "les", "des", "et", "pour", "avec", "une", "vous", "votre", "est", "nous"},
    "de": {"der", "die", "das", "und", "für", "mit", "sie", "ihr", "ihre", "wir", "ist", "zu", "ein", "eine"},
    "it": {"di", "il", "la", "che", "per", "con", "una", "gli", "le", "del", "della", "è", "lei", "suo"},
    "nl": {"de", "het", "een", "en", "van", "voor", "met", "u", "uw", "wij", "is", "op", "te"},
}
CONFIDENT = 0.9
# What the detector answers for languages callfirst names in its warning.
OTHER_NAMES = {
    "pl": "Polish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "bg": "Bulgarian",
    "he": "Hebrew",
    "zh-cn": "Chinese",
    "zh-tw": "Chinese",
    "zh": "Chinese",
    "vi": "Vietnamese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
    "tr": "Turkish",
    "ro": "Romanian",
    "cs": "Czech",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "fi": "Finnish",
    "el": "Greek",
    "hu": "Hungarian",
    "id": "Indonesian",
    "th": "Thai",
    "hi": "Hindi",
    "ca": "Catalan",
}
_URL = re.compile(r"\S+://\S+|\S+@\S+|www\.\S+")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageChoice:
    """The email's language, the invitation's (when known, possibly one callfirst does not write), how it
    was decided, and the warning to give when the invitation's language could not be written."""

    language: str = "en"
    theirs: str | None = None
    how: str = "default"  # "asked", "declared", "detected", "default"
    warning: str = ""

    @property
    def theirs_name(self) -> str:
        return language_name(self.theirs) if self.theirs else ""


ENGLISH = LanguageChoice()


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code) or OTHER_NAMES.get(code) or code


def base_language(tag: str) -> str:
    """'pt-BR' → 'pt', 'zh-CN' → 'zh-cn' (as the detector names it), '' for an empty tag."""
    tag = tag.strip().replace("_", "-").lower()
    return tag if tag.startswith("zh") else tag.split("-")[0]


def choose_language(asked: str | None, declared: Sequence[str], text: str) -> LanguageChoice:
    """The language to write in; a warning when the invitation's language is one callfirst does not write."""
    if asked:
        return LanguageChoice(base_language(asked), None, "asked")
    languages = [base_language(tag) for tag in declared if base_language(tag)]
    other = next((lang for lang in languages if lang != "en"), None)
    if other:
        return _writing(other, "declared")
    guessed = detect(text)
    if guessed and guessed != "en":
        return _writing(guessed, "detected")
    if languages or guessed:
        return LanguageChoice("en", "en", "declared" if languages else "detected")
    return LanguageChoice()


def _writing(language: str, how: str) -> LanguageChoice:
    if language in LANGUAGES:
        return LanguageChoice(language, language, how)
    name = language_name(language)
    warning = (
        f"the invitation is in {name}, which callfirst cannot write yet: the email is in English "
        f"(--language chooses one of {', '.join(LANGUAGES)})"
    )
    return LanguageChoice("en", language, how, warning)


def detect(text: str) -> str | None:
    """The language the text is plainly written in, or None when it is too short or unclear."""
    cleaned = _URL.sub(" ", text)
    words = [w.lower() for w in _WORD.findall(cleaned)]
    if len(words) < 3:
        return None
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0  # the same answer every time for the same text
    try:
        best = detect_langs(cleaned[:5000])[0]
    except LangDetectException:
        return None
    if best.prob < CONFIDENT:
        return None
    code = str(best.lang)
    common = COMMON_WORDS.get(code)
    if common is not None and not common.intersection(words):
        return None
    return code
