"""Build callfirst/data/given_names.tsv: people's given names, and family names, from many countries.

Source: the per-locale person-name lists of Faker (PyPI `Faker`, MIT licence; faker/providers/person/<locale>),
taken from each country's civil registers and name statistics by Faker's contributors: the given names of
every locale (male, female, unisex and the romanized forms where the locale has them: ja_JP, zh_CN, zh_TW),
and the family names.

Each name is written case-folded and without accents, as callfirst.facts reads a name ('Patrícia' →
'patricia'); only single words of letters are kept. A row says whether the name is given (g), a family name
(f) or both (gf). Family names are kept only for the locales that write the family name first (FAMILY_FIRST:
Vietnamese, Chinese, Korean, Japanese, Hungarian), where a name's first word may not be the one to greet;
that keeps the file small.

Faker is needed only to build the file, never at run time:

    .venv/bin/pip install Faker
    .venv/bin/python tools/build_given_names.py > callfirst/data/given_names.tsv
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from collections.abc import Iterable


def folded(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def _names(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    return []


def _is_given(attribute: str) -> bool:
    return attribute.startswith(("first_names", "first_romanized_names"))


def _is_family(attribute: str) -> bool:
    return (
        attribute.startswith("last_names")
        or attribute.startswith("last_romanized_names")
        or attribute.endswith("_last_names")
    )


FAMILY_FIRST = ("vi", "zh", "ko", "ja", "hu")


def collect() -> dict[str, set[str]]:
    import faker.providers.person as person

    kinds: dict[str, set[str]] = {}
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attribute, value in vars(provider).items():
            if "kana" in attribute or "pairs" in attribute:
                continue  # kana repeats the romanized names in another script; pairs repeat the names
            family_first = module.name.split("_")[0] in FAMILY_FIRST
            kind = "g" if _is_given(attribute) else "f" if family_first and _is_family(attribute) else None
            if kind is None:
                continue
            for name in _names(value):
                word = folded(name.strip())
                if word and all(ch.isalpha() for ch in word):
                    kinds.setdefault(word, set()).add(kind)
    return kinds


def main() -> None:
    print("# Given and family names of people, case-folded and without accents, made by tools/build_given_names.py")
    print("# from the per-locale person-name lists of Faker (faker/providers/person, MIT licence).")
    print("# Columns: name, kinds (g: given, f: family name where it comes first, gf: both).")
    for word, kinds in sorted(collect().items()):
        print(f"{word}\t{''.join(sorted(kinds, reverse=True))}")


if __name__ == "__main__":
    main()
