"""Add the words of a second recruiting application's translations to callfirst/data/interview_words.tsv.

Source: the gettext catalogues of Frappe HR (GitHub frappe/hrms, hrms/locale/*.po; GPL-3, translated by the
ERPNext/Frappe community on Crowdin), the recruiting module ERPNext shipped until version 14 and has since
kept in this separate app (ERPNext's own translation files no longer hold the recruiting strings). Its
catalogues name the steps of a hiring process in languages the first source (Odoo, see
build_interview_words.py) lacks, Hindi among them. This script reads them with Babel and adds, per language:

- the word for a job interview, from the translation of "Interview" (else "Interviews"): "interview-strong"
  when the translation of "Interviewer" contains it (as in build_interview_words.py), "interview-weak" when
  only the names of a round or a type of interview do ('साक्षात्कार प्रकार का नाम'), else nothing;
- the translation of "Skill Assessment" as "assessment": a test of skills, a step of an application only with
  a job or a recruiting word beside it (a course's or a school's assessment is not);
- the translations of "Job Applicant" and "Job Application" as "recruiting";
- the translation of "Intern" (an employment type) as "job": a job named in a title ('Thực tập sinh NodeJS'
  from a company to you), a sign of a hiring step only beside another one. A translation that merely echoes
  the English word ('interno', 'interne', Dutch 'intern') is left out: in those languages it also means
  "internal", and the English word is in the detector's own list.

The rows are merged into the file as it stands (a set union: running it twice changes nothing). Run
build_interview_words.py first when rebuilding from scratch.

Usage: python tools/build_hiring_step_words.py PO_DIR callfirst/data/interview_words.tsv
where PO_DIR holds the catalogues, e.g. `git show <commit>:hrms/locale/hi.po > PO_DIR/hi.po`.
The "job" rows were read from the catalogues at frappe/hrms commit 80f17c99aee3 (2024-10-24).
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from build_interview_words import UNSPACED, shared_run, shortest, translations, whole_words

INTERVIEW = ("Interview", "Interviews")
INTERVIEWER = ("Interviewer", "Interviewers")
ROUND_OR_TYPE = ("Interview Round", "Interview Type", "Interview Type Name")
ASSESSMENT = ("Skill Assessment",)
APPLICANT = ("Job Applicant", "Job Application")
JOB = ("Intern",)
# Crowdin writes untranslated strings of some catalogues as placeholders ('crwdns107754:0crwdne107754:0').
PLACEHOLDER = "crwdns"
HEADER = (
    "# Words for a job interview and for recruiting, per language, made by tools/build_interview_words.py",
    "# from the translations of Odoo's hr_recruitment module (addons/hr_recruitment/i18n/*.po, LGPL-3), and by",
    "# tools/build_hiring_step_words.py from those of Frappe HR (frappe/hrms, hrms/locale/*.po, GPL-3).",
    "# Columns: language, kind (interview-strong | interview-weak | recruiting | assessment | job), word (case-folded).",
)


def _translation(messages: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((t for key in keys if (t := messages.get(key, "").casefold().strip()) and t != key.casefold()), "")


def _shared_word(word: str, other: str, unspaced: bool) -> str:
    """The part of `word` that `other` also holds, whole words only where the script spaces its words."""
    common = shared_run(word, other).strip()
    if not unspaced:
        common = whole_words(common, word)
    return common if len(common) >= shortest(common) else ""


def interview_word(messages: dict[str, str], language: str) -> tuple[str, str] | None:
    word = _translation(messages, INTERVIEW)
    if len(word) < shortest(word) or word.startswith(PLACEHOLDER):
        return None
    unspaced = language.split("_")[0] in UNSPACED
    interviewer = _translation(messages, INTERVIEWER)
    if interviewer and (common := _shared_word(word, interviewer, unspaced)):
        return common, "strong"
    for key in ROUND_OR_TYPE:
        named = _translation(messages, (key,))
        if named and (common := _shared_word(word, named, unspaced)):
            return common, "weak"
    return None


def rows_of(messages: dict[str, str], language: str) -> set[tuple[str, str, str]]:
    code = language.split("_")[0].split("-")[0]
    rows: set[tuple[str, str, str]] = set()
    found = interview_word(messages, language)
    if found:
        rows.add((code, f"interview-{found[1]}", found[0]))
    for kind, keys in (("assessment", ASSESSMENT), ("recruiting", APPLICANT), ("job", JOB)):
        for key in keys:
            word = _translation(messages, (key,))
            if kind == "job" and key.casefold() in word:
                continue  # an echo of the English word
            if len(word) >= shortest(word) and not word.startswith(PLACEHOLDER):
                rows.add((code, kind, word))
    return {(a, b, unicodedata.normalize("NFC", c)) for a, b, c in rows}


def main(po_dir: str, tsv: str) -> None:
    path = Path(tsv)
    rows = {
        tuple(line.split("\t"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and line.count("\t") == 2
    }
    for po in sorted(Path(po_dir).glob("*.po")):
        rows |= rows_of(translations(po), po.stem)
    body = "\n".join("\t".join(row) for row in sorted(rows))
    path.write_text("\n".join(HEADER) + "\n" + body + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
