"""Build callfirst/data/interview_words.tsv from the translations of a recruiting application.

Source: the gettext catalogues of Odoo's `hr_recruitment` module (addons/hr_recruitment/i18n/*.po, LGPL-3,
translated by Odoo's community on Transifex/Weblate). The catalogues name the stages of a hiring process in
each language: "First Interview", "Second Interview", "Interviewer", "Recruitment", "Recruitment Process",
"Initial Qualification". This script reads them with Babel and writes, per language:

- the word for a job interview: the longest run the translations of "First Interview" and "Second Interview"
  share, cut to whole words where the script spaces its words ('Phỏng vấn lần đầu' / 'Phỏng vấn lần hai' /
  'Người phỏng vấn' → 'phỏng vấn'). It is "strong" when the translation of "Interviewer" contains it too (a
  word that also names the one who interviews means an interview, not any meeting), else "weak" (Danish
  'samtale', Dutch 'gesprek': a conversation of any kind).
- the words for recruitment and a recruitment process, as translated, as "recruiting".

Usage: python tools/build_interview_words.py PO_DIR > callfirst/data/interview_words.tsv
where PO_DIR holds the .po files (e.g. `git show <commit>:addons/hr_recruitment/i18n/vi.po > PO_DIR/vi.po`);
then tools/build_hiring_step_words.py adds the words of a second source (Frappe HR).
"""

from __future__ import annotations

import sys
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

from babel.messages.pofile import read_po

INTERVIEW_PAIR = ("First Interview", "Second Interview")
INTERVIEWER = ("Interviewer", "Interviewers")
RECRUITING = ("Recruitment", "Recruitment Process")
# Scripts written without spaces between words: a shared run is a word as it stands.
UNSPACED = ("zh", "ja", "th", "lo", "km", "my")


def translations(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if isinstance(m.id, str) and isinstance(m.string, str)}


def shared_run(a: str, b: str) -> str:
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[match.a : match.a + match.size]


def shortest(word: str) -> int:
    """Two ideographs or Hangul syllables make a word; an alphabet needs four letters."""
    return 2 if any(ord(ch) >= 0x2E80 for ch in word) else 4


def whole_words(run: str, within: str) -> str:
    """The words of `run` that stand whole in `within` (a run may start or end inside a word)."""
    words = within.split()
    return " ".join(w for w in run.split() if w in words)


def interview_word(messages: dict[str, str], language: str) -> tuple[str, str] | None:
    first, second = (messages.get(key, "").casefold().strip() for key in INTERVIEW_PAIR)
    if not first or not second:
        return None
    unspaced = language.split("_")[0] in UNSPACED
    run = shared_run(first, second).strip()
    if not unspaced:
        run = whole_words(run, first)
    if len(run) < shortest(run):
        return None
    for key in INTERVIEWER:
        interviewer = messages.get(key, "").casefold().strip()
        if interviewer and interviewer != "interviewer":
            common = shared_run(run, interviewer).strip()
            if len(common) >= shortest(common):
                return common, "strong"
    return run, "weak"


def main(po_dir: str) -> None:
    print("# Words for a job interview and for recruiting, per language, made by tools/build_interview_words.py")
    print("# from the translations of Odoo's hr_recruitment module (addons/hr_recruitment/i18n/*.po, LGPL-3).")
    print("# Columns: language, kind (interview-strong | interview-weak | recruiting), word (case-folded).")
    rows: set[tuple[str, str, str]] = set()
    for path in sorted(Path(po_dir).glob("*.po")):
        language = path.stem
        messages = translations(path)
        found = interview_word(messages, language)
        if found:
            rows.add((language.split("_")[0], f"interview-{found[1]}", unicodedata.normalize("NFC", found[0])))
        for key in RECRUITING:
            word = messages.get(key, "").casefold().strip()
            if word and word != key.casefold():
                rows.add((language.split("_")[0], "recruiting", unicodedata.normalize("NFC", word)))
    for row in sorted(rows):
        print("\t".join(row))


if __name__ == "__main__":
    main(sys.argv[1])
