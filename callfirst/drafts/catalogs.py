"""The wording of the emails in each language: gettext message catalogs (.po files in drafts/locale/),
compiled to the binary form gettext reads when a language is first used (Babel's read_po and write_mo), so
the sources are the only files kept and a catalog never goes stale against its .po.

The message ids are the British English wording; `en_US` holds the American spellings; each other language
has its own catalog, written as a native professional writes such an email, sentence by sentence.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.support import NullTranslations

DOMAIN = "callfirst"


def catalog_text(name: str) -> bytes | None:
    """The .po source of one catalog ('pt_BR', 'de'), or None when there is none."""
    resource = files("callfirst.drafts") / "locale" / name / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        return resource.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


@cache
def translations(names: tuple[str, ...]) -> NullTranslations:
    """The catalogs named, the first consulted first; the message id itself when none has a message."""
    from babel.support import NullTranslations

    found: NullTranslations | None = None
    for name in names:
        compiled = _compiled(name)
        if compiled is None:
            continue
        if found is None:
            found = compiled
        else:
            found.add_fallback(compiled)
    return found or NullTranslations()


def _compiled(name: str) -> NullTranslations | None:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    source = catalog_text(name)
    if source is None:
        return None
    catalog = read_po(io.BytesIO(source), locale=name, domain=DOMAIN)
    binary = io.BytesIO()
    write_mo(binary, catalog, use_fuzzy=False)
    binary.seek(0)
    return Translations(binary, domain=DOMAIN)
