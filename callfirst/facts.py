"""Role, company and names derived from an event's own text."""

from __future__ import annotations

import re

from .model import Event

_GENERIC_DOMAINS = {
    "gmail",
    "googlemail",
    "google",
    "outlook",
    "hotmail",
    "live",
    "yahoo",
    "icloud",
    "me",
    "proton",
    "protonmail",
    "gmx",
    "web",
    "aol",
    "greenhouse",
    "lever",
    "hire",
    "myworkday",
    "workday",
    "goodtime",
    "modernloop",
    "calendly",
    "ashbyhq",
    "smartrecruiters",
    "icims",
    "jobvite",
    "workable",
    "teamtailor",
    "personio",
    "recruitee",
    "gem",
    "paradox",
    "example",
    "resource",
    "group",
    "calendar",
}
_SUFFIXES = {
    "co",
    "com",
    "org",
    "net",
    "io",
    "ai",
    "de",
    "uk",
    "fr",
    "es",
    "it",
    "nl",
    "pt",
    "br",
    "inc",
    "gmbh",
    "example",
}

_KEYWORD = r"(?i:interview|screen|screening|call|chat|onsite|on-site|round|entrevista|entretien|colloquio|vorstellungsgespräch|gespräch|sollicitatiegesprek)"
_JOB_NOUNS = re.compile(
    r"\b(engineer|developer|analyst|manager|designer|scientist|consultant|specialist|director|lead|architect"
    r"|intern|internship|werkstudent|associate|coordinator|accountant|administrator|officer|assistant|representative"
    r"|chef de projet|comptable|analista|ingeniero|desarrollador|entwickler|berater|sviluppatore|engenheiro"
    r"|programmer|technician|nurse|teacher|researcher|product owner|recruiter|sales|marketing|data)\b",
    re.IGNORECASE,
)
_ROLE_PATTERNS = (
    r"(?i:position|role|post|job|vaga|puesto|poste|posizione|stelle|functie) (?i:of|de|di|als|van)\s+(?:an?\s+)?"
    r"(?P<role>[^.,;:\n()]{3,60}?)(?=\s+(?:at|with|in|bei|en|chez)\b|[.,;:\n()]|$)",
    r"\bfor (?:the |an? )?(?P<role>[A-Z][^.,;:\n()@]{2,60}?)\s+(?:role|position)\b",
    r"\bfor (?:the |an? )?(?P<role>[A-Z][^.,;:\n()@]{2,60}?)(?=\s+(?:at|with|@|-|–|—)\s|[.,;:\n()@]|$)",
    _KEYWORD
    + r"[^-–—:|\n]{0,20}\s*[-–—:|]\s*(?P<role>[A-Z][^.,;:\n()@]{2,60}?)(?=\s+(?:at|with|@|-|–|—)\s|[.,;:\n()@]|$)",
)
_COMPANY_PATTERNS = (
    _KEYWORD + r"\s+(?i:with|at|bei|chez|con|com|met)\s+(?P<company>[A-Z][\w&.' -]{1,50}?)"
    r"(?=\s+(?:for|about|re|recruiter|team|@|-|–|—|\()|[.,;:\n()]|$)",
    r"^(?P<company>[A-Z][\w&.' ]{1,40}?)\s*(?:<>|[:\-–—|/])\s*[^\n]*?" + _KEYWORD,
    r"\b(?:at|bei|chez)\s+(?P<company>[A-Z][\w&.' -]{1,50}?)(?=\s+(?:for|about|@|-|–|—|\()|[.,;:\n()]|$)",
    r"\b(?i:interest in|applying to|apply to|joining)\s+(?P<company>[A-Z][\w&.' -]{1,50}?)(?=[.,;:\n()!]|\s+(?:and|for)\b|$)",
    _KEYWORD + r"[^-–—:|\n]{0,20}\s*[-–—:|]\s*(?P<company>[A-Z][\w&.' ]{1,40}?)\s*(?:\(|$)",
)


def role_of(event: Event) -> str | None:
    for text in (event.summary, event.description):
        for pattern in _ROLE_PATTERNS:
            match = re.search(pattern, text or "")
            if match:
                role = _tidy(match.group("role"))
                if role and not re.search(r"\b(interview|position|role|call|meeting|chat)\b", role, re.I):
                    if pattern is _ROLE_PATTERNS[-1] and not _JOB_NOUNS.search(role):
                        continue  # "Interview - Contoso": a company, not a role
                    return role
    return None


def company_of(event: Event) -> str | None:
    for text in (event.summary, event.description):
        for pattern in _COMPANY_PATTERNS:
            match = re.search(pattern, text or "", re.MULTILINE)
            if match:
                company = _tidy(match.group("company"))
                if pattern is _COMPANY_PATTERNS[-1] and _JOB_NOUNS.search(company):
                    continue  # "Interview - Data Analyst": a role, not a company
                if company and company.lower() not in ("the", "our", "your", "us", "you", "me"):
                    return company
    return _company_from_domain(event.organizer.email if event.organizer else "")


def _company_from_domain(address: str) -> str | None:
    if "@" not in address:
        return None
    domain = address.rpartition("@")[2].lower()
    labels = [label for label in domain.split(".") if label and label not in _SUFFIXES]
    if not labels or labels[-1] in _GENERIC_DOMAINS:
        return None
    return " ".join(word.capitalize() for word in re.split(r"[-_]", labels[-1]) if word)


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" -–—'")


def first_name(full_name: str | None) -> str | None:
    if not full_name or "@" in full_name:
        return None
    name = full_name.strip().strip('"')
    if "," in name:  # "Müller, Katrin"
        last, _, first = name.partition(",")
        return first.strip().split()[0] if first.strip() else last.strip()
    return name.split()[0] if name.split() else None
