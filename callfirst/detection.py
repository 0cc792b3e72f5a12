"""Is this event the owner's own job interview? Scored signals that explain themselves."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import filterfalse

from .config import DetectionSettings
from .model import Attendee, Event, Verdict

THRESHOLD = 2

# (label, weight, pattern) — patterns run on folded text: lower case, accents removed.
_POSITIVE: tuple[tuple[str, int, str], ...] = (
    # The word itself, in English and the languages the tool knows.
    ("interview", 3, r"\binterviews?\b|\bjob ?interview"),
    ("interview (de)", 3, r"vorstellungsgesprach|bewerbungsgesprach|bewerbergesprach|kennenlerngesprach"),
    ("interview (es/pt)", 3, r"\bentrevistas?\b"),
    (
        "interview (fr)",
        3,
        r"\bentrevue\b|\bentretien d.?(embauche|recrutement)|\bentretien (de )?(recrutement|candidature|motivation)",
    ),
    ("entretien (fr)", 1, r"\bentretiens?\b"),
    ("interview (it)", 3, r"\bcolloquio (di lavoro|conoscitivo|tecnico|di selezione|hr|telefonico|finale)"),
    ("colloquio (it)", 2, r"\bcolloqui[oi]?\b"),
    ("interview (nl)", 3, r"sollicitatiegesprek|selectiegesprek|kennismakingsgesprek|\bsollicitatie\b"),
    ("interview (zh)", 3, r"面试|(?<![a-z])(hr|[一二三四]|终|复|初)面(?![积包条对])"),
    ("interview (ja)", 3, r"面接"),
    ("interview (he)", 3, r"ראיון|ראיונות"),
    ("interview (ko)", 3, r"면접"),
    ("interview (ru)", 3, r"собеседовани[еяю]|\bинтервью\b"),
    ("interview (pl)", 3, r"\brozmow[aey] (kwalifikacyjn|rekrutacyjn|o prace)\w*"),
    ("interview (tr)", 3, r"\bmulakat\w*|\bis gorusmesi\b"),
    # Stages of a hiring process.
    (
        "screen",
        3,
        r"\b(phone|recruiter|recruiting|technical|tech|initial|hr|intro|video|first|culture)[ -]?screen(ing)?\b"
        r"|\bscreening (call|interview|gesprach)|\btelefoninterview|\btelefonisches? (erst)?gesprach",
    ),
    ("hiring manager", 2, r"\bhiring manager\b"),
    # A first conversation is a hiring step only with something else that says so (a job in the title).
    ("first conversation", 1, r"\b(first|initial|intro(ductory)?)[ -](chat|call)\b"),
    (
        "a job in the title",
        1,
        r"\b(developer|engineer|designer|analyst|intern|internship|trainee|programmer|architect"
        r"|front[- ]?end|back[- ]?end|full[- ]?stack|devops|angular|react|java|python|golang|php|android|ios)\b",
    ),
    # A meeting held on an employer's careers site (an applicant-tracking system's pages), its host named for
    # careers or jobs ('careers.acme.com', 'www.acmecareers.com') and its page for a meeting or a call.
    (
        "careers site",
        2,
        r"https?://[\w.-]*?(careers|jobs)\.[\w.-]+/([\w-]+/){0,3}(video_meetings|schedule|interviews?|call)\b",
    ),
    # A walk-in interview drive ('Walk-in for Business Associate'), a hiring step only beside a job or a
    # recruiting word (a clinic's walk-in hours have neither).
    ("walk-in", 1, r"\bwalk-?ins? (for|drive)\b"),
    # A level of a consultant's or an employee's hiring ('L1 Discussion-<client> project'): an interview only
    # when an employer sends it to you alone (a support team's levels are L1 and L2 too).
    ("hiring level", 1, r"\b(l[1-3] discussion|l[1-3]-discussion|r[1-3] discussion|r[1-3]-discussion)\b"),
    (
        "assessment for a role",
        3,
        r"\b(technical|coding|online|written|aptitude|skills?) (exam|assessment|test)\b[^\n]{0,12}\bfor\b[^\n]{0,40}"
        r"\b(developer|engineer|analyst|designer|intern|trainee|programmer|architect|specialist|manager)s?\b",
    ),
    (
        "recruiter",
        2,
        r"\brecruit(er|ing|ment)\b|\btalent (acquisition|partner)\b|\bpersonalgesprach\b|\breclutamento\b|\breclutamiento\b",
    ),
    (
        "final round",
        2,
        r"\b(final|first|second|third|1st|2nd|3rd|next|hr|technical|tech|managerial|coding|client"
        r"|behaviou?ral|l[1-4]) round\b|\bround [1-5]\b|\bsuperday\b|\bl[1-4] interview\b"
        r"|\b(iq|hr|tech|aptitude)round\b|\b(primeira|segunda|terceira|ultima|primera|tercera) etapa\b",
    ),
    ("onsite", 1, r"\b(virtual )?on-?site\b|\binterview loop\b"),
    ("panel", 1, r"\bpanel\b"),
    (
        "case/coding/behavioral",
        1,
        r"\b(case study|case interview|coding (challenge|exercise|session|test)|pair programming"
        r"|live coding|system design|behaviou?ral|take-?home|technical assessment"
        r"|assessment cent(er|re)|culture fit|meet the team)\b",
    ),
    (
        "application process",
        2,
        r"\b(your application|hiring process|recruiting process|interview process|the position of"
        r"|for the (position|role) of|ihre bewerbung|die (position|stelle) als|su candidatura"
        r"|para (el puesto|la vacante|a vaga) de|pour le poste de|votre candidature"
        r"|per la posizione di|la sua candidatura|voor de (functie|vacature)|uw sollicitatie"
        r"|sua candidatura|intro(duction)? to the (role|position|team)|(position|role) you('re| are) being considered for"
        r"|ung tuyen vi tri|job at)\b",
    ),
    (
        "interview confirmation",
        3,
        r"\byour interview (for|with|at|is scheduled|has been scheduled)\b|\byou got the interview\b"
        r"|\byou are scheduled for an interview\b|\binvite you (to|for) an? (interview|conversation)"
        r"|\binterview for the (position|role)\b|\bthank you for (applying|your application)",
    ),
    (
        "applicant-tracking system",
        1,
        r"greenhouse\.io|lever\.co|myworkday(jobs)?\.com|workday\.com|goodtime\.io"
        r"|modernloop|ashbyhq\.com|smartrecruiters|icims\.com|jobvite|workable\.com"
        r"|teamtailor|personio|recruitee|calendly\.com|gem\.com|paradox\.ai|workablemail\.com|talview\.com"
        r"|turbohire\.co|naukri\.com",
    ),
)

# Events that mention interviews but are not the owner's own job interview.
_EXCLUSIONS: tuple[tuple[str, str], ...] = (
    (
        "preparation",
        r"\b(interview )?prep\b|\bprepar(e|ing|ation)\b|\bvorbereitung\b|\bpreparacion\b|\bpreparazione\b"
        r"|\bvoorbereiding\b|\bpreparacao\b|\bpractice\b|\brehears",
    ),
    (
        "mock or practice interview",
        r"\bmock\b|\bdry run\b|\bprobe(interview|gesprach)\b|\bsimulacro\b"
        r"|\bsimulation\b|\bsimulazione\b|\boefen",
    ),
    (
        "you interview a candidate",
        r"\binterviewing (a |the )?(candidate|applicant)|\bcandidate:|\(candidate\)"
        r"|\binterviewers? training\b|\binterview kit\b|\bscorecard\b|\bhiring committee\b"
        r"|\binterview training\b|\bshadow(ing)?\b|\binterview (a|the) candidate"
        r"|\bcandidate interview\b|\bbewerberin?:|\bcandidato:|\bkandidaat:|\bresume source\b"
        r"|简历来源|候选人[:：]|应聘者[:：]|面试官[:：]",
    ),
    ("debrief or feedback", r"\bdebrief|\bfeedback\b|\bcalibration\b|\bwrap-?up\b|\bnachbesprechung\b"),
    (
        "press, podcast or broadcast",
        r"\bpodcast|\b(press|media|tv|television|radio|newspaper|magazine|fernseh|presse|prensa)[ -]?interview"
        r"|\binterview (for|with|on) (the )?(press|podcast|radio|tv|newspaper|magazine|blog)\b"
        r"|\bjournalist|\breporter\b|\bpress (call|junket)\b",
    ),
    (
        "user research",
        r"\b(user|customer|research|discovery|stakeholder|ux) interviews?\b|\buser research\b"
        r"|\busability\b|\bresearch (study|session)\b|\bparticipant\b",
    ),
    ("exit interview", r"\b(exit|stay) interview|\baustrittsgesprach|\bentrevista de salida|\bentretien de sortie"),
    (
        "book, film or show",
        r"interview with the vampire|cracking the coding interview|\bbook club\b|\bfilm\b"
        r"|\bmovie\b|\bcinema\b|\bscreening of\b|\bpremiere\b|\bkino\b|\bpelicula\b|\bepisode\b",
    ),
    (
        "not a hiring screen",
        r"\bscreen (door|repair|time|share|sharing|protector)\b|\bsunscreen\b"
        r"|\b(health|cancer|medical|vision|hearing|blood|covid) screening\b|\bmammogram",
    ),
    ("routine maintenance", r"\bentretien (de la |du |des )?(voiture|chaudiere|jardin|annuel|vehicule|maison)"),
    (
        "information session",
        r"\binvite you to (the|a|an|our) (presentation|info(rmation)? session|webinar|open day)"
        r"|\binfo(rmation)? session\b|\bwebinar\b|\b(career|job) fair\b|\bopen day\b",
    ),
    (
        "teaching or mentoring",
        r"\btutor(ing|ials?)?\b|\blessons?\b|\bmentor(ing|ship)\b|\bcoaching (session|call)\b|\boffice hours\b",
    ),
    (
        "school or university admission",
        r"\badmissions? (interview|call|test|screening)|\binterview for admission|\bentrance (interview|exam)",
    ),
    (
        "graded course work",
        r"\bstudents?'? e-?mail|\b(zero|no) marks\b|\bmarks (will|may|can) be (given|awarded|deducted|reduced|cut)\b"
        r"|\bgraded (mock|assignment|exercise|interview)",
    ),
)
# A course's graded exercise in languages that write these words as English loanwords in their own script
# (Bengali 'স্টুডেন্ট ইমেইল', a student's e-mail address), folded as the text is when the detector is built.
_COURSE_LOANWORDS = ("স্টুডেন্ট ইমেইল",)

# Literal pieces, one of which every positive pattern above contains (tests hold this to account).
_STEMS = (
    "interview",
    "gesprach",
    "gesprek",
    "entrevista",
    "entrevue",
    "entretien",
    "colloqui",
    "sollicitatie",
    "screen",
    "hiring manager",
    "recruit",
    "talent",
    "reclutam",
    "round",
    "superday",
    "onsite",
    "on-site",
    "panel",
    "case study",
    "case interview",
    "coding",
    "pair programming",
    "system design",
    "behavio",
    "take-home",
    "takehome",
    "technical assessment",
    "assessment cent",
    "culture fit",
    "meet the team",
    "application",
    "process",
    "position",
    "role of",
    "post of",
    "job of",
    "bewerbung",
    "stelle als",
    "candidatur",
    "puesto",
    "vacante",
    "vaga",
    "poste",
    "posizione",
    "functie",
    "vacature",
    "invite you",
    "thank you for",
    "greenhouse",
    "lever.co",
    "workday",
    "goodtime",
    "modernloop",
    "ashbyhq",
    "smartrecruiters",
    "icims",
    "jobvite",
    "workable",
    "teamtailor",
    "personio",
    "calendly",
    "gem.com",
    "paradox.ai",
    "workablemail",
    "talview",
    "turbohire",
    "naukri",
    "walk-in",
    "walkin",
    "l1 discussion",
    "l2 discussion",
    "l3 discussion",
    "l1-discussion",
    "l2-discussion",
    "l3-discussion",
    "r1 discussion",
    "r2 discussion",
    "r3 discussion",
    "r1-discussion",
    "r2-discussion",
    "r3-discussion",
    "candidate",
    "intro",
    "first call",
    "first-call",
    "first chat",
    "first-chat",
    "initial call",
    "initial-call",
    "initial chat",
    "initial-chat",
    "careers.",
    "jobs.",
    # the exam or test for a role: the words before it, never 'exam' or 'test' alone (in 'example', 'latest')
    "technical exam",
    "technical test",
    "coding exam",
    "coding test",
    "online exam",
    "online test",
    "written exam",
    "written test",
    "aptitude",
    "skill exam",
    "skill test",
    "skills exam",
    "skills test",
    "assessment",
    "etapa",
    "ung tuyen",
    "job at",
    "being considered for",
    "ראיון",
    "面试",
    "面",
    "面接",
    "면접",
    "собеседован",
    "интервью",
    "rozmow",
    "mulakat",
    "gorusmesi",
    # a job in the title, which with who is invited may make an interview ('Mid Fullstack Developer | <you>')
    "developer",
    "engineer",
    "fullstack",
    "full-stack",
    "full stack",
    "frontend",
    "front-end",
    "front end",
    "backend",
    "back-end",
    "back end",
    "designer",
    "programmer",
    "trainee",
    "internship",
)

_FIELDS = ("summary", "description", "location", "organizer", "url")
# Fields whose signals count one point at most: a place or a link is a hint, not a statement.
_HINT_FIELDS = ("location", "url")
# Signals read in the title only.
_TITLE_ONLY = {"a job in the title", "a job in the title (multilingual)", "walk-in", "hiring level"}
# Signals that count once however many fields show them.
_COUNTED_ONCE = {"applicant-tracking system"}
# Exclusions that are safe to apply to a long description, not just the title.
_DESCRIPTION_EXCLUSIONS = {
    "information session",
    "mock or practice interview",
    "user research",
    "exit interview",
    "you interview a candidate",
    "graded course work",
}


def fold(text: str) -> str:
    """Lower case without accents, so 'Vorstellungsgespräch' matches 'vorstellungsgesprach'; underscores
    become spaces, so 'Valuefy_L1 interview_Name' has its words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("_", " "))
    stripped = "".join(filterfalse(unicodedata.combining, decomposed)).replace("ı", "i")
    return unicodedata.normalize("NFC", stripped)  # Hangul syllables come back whole


@dataclass(frozen=True)
class Detector:
    positive: tuple[tuple[str, int, re.Pattern[str]], ...]
    exclusions: tuple[tuple[str, re.Pattern[str]], ...]
    stems: tuple[str, ...]
    # language subtag → the interview words of that language ('fr' → 'entretien'), for events that say theirs
    by_language: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def assess(self, event: Event, owner: tuple[str, ...] = (), addresses: tuple[str, ...] = ()) -> Verdict:
        """The verdict; `owner` holds the owner's name and address, so 'Candidate: <you>' counts for you;
        `addresses` the owner's email addresses, so an interview the owner organizes for others is theirs."""
        texts = _event_texts(event)
        signals: list[str] = []
        score = 0
        named = _candidate_named(texts.get("description", ""), owner)
        if named:
            signals.append(f"you are the candidate: description says '{named}'")
            score += 3
        counted: set[str] = set()
        held: list[tuple[str, int]] = []  # signals that count only beside a job or a recruiting word
        levels: list[tuple[str, int]] = []  # signals that count only when an employer invites you alone
        for field_name, text in texts.items():
            seen: list[str] = []  # what this field's signals matched
            for label, weight, pattern in self.positive:
                if label in _TITLE_ONLY and field_name != "summary":
                    continue
                match = pattern.search(text)
                if match:
                    said = match.group(0).strip()
                    if label in _VOCABULARY_LABELS and any(said in other or other in said for other in seen if other):
                        continue  # a word another signal already read counts once ('entretien')
                    seen.append(said)
                    if label in _WITH_A_JOB_ONLY:
                        held.append((f"{label}: {field_name} says '{said}'", weight))
                        continue
                    if label in _WITH_YOU_ALONE_ONLY:
                        levels.append((f"{label}: {field_name} says '{said}'", weight))
                        continue
                    signals.append(f"{label}: {field_name} says '{said}'")
                    if label in _COUNTED_ONCE and label in counted:
                        continue  # a scheduling service named twice is still one weak hint
                    counted.add(label)
                    score += weight if field_name not in _HINT_FIELDS else min(weight, 1)
        if held and counted & _A_JOB_OR_RECRUITING:
            signals.append(held[0][0])
            score += held[0][1]
        hint = self._in_its_own_language(event.language, texts.get("summary", ""))
        if hint:
            signals.append(f"interview word of the event's language ({event.language}): summary says '{hint}'")
            score += 1
        # Who is invited counts only beside a job or a hiring step in the title, and only where a stem is (the
        # prefilter keeps only texts with one: assess() must not say yes without one).
        titled = any(": summary says" in s for s in signals + [level for level, _ in levels])
        interview_word = any(s.startswith(_CONVERSATION_WORDS) and ": summary says" in s for s in signals)
        for label, weight, said in _invitation_signals(event, texts, owner, interview_word) if titled else ():
            if self._holds_a_stem(texts):
                signals.append(f"{label}: {said}")
                score += weight
                if label == "an employer invites you" and said.startswith(_ALONE) and levels:
                    signals.append(levels[0][0])
                    score += levels[0][1]
        vetoes = []
        # "You got the interview!" outweighs what the rest of a long description says about candidates.
        addressed_to_you = any(
            s.startswith(("interview confirmation:", "application process:", "you are the candidate:")) for s in signals
        )
        for field_name, text in texts.items():
            for label, pattern in self.exclusions:
                if field_name == "description" and (
                    label not in _DESCRIPTION_EXCLUSIONS or (addressed_to_you and label == "you interview a candidate")
                ):
                    continue
                if field_name in ("location", "organizer", "url"):
                    continue
                match = pattern.search(text)
                if match:
                    vetoes.append(f"not yours: {label} ({field_name} says '{match.group(0).strip()}')")
        academic = _admission_interview(texts)
        if academic:
            vetoes.append(f"not yours: school or university admission ({academic})")
        organized = _you_organize(event, addresses) if score >= THRESHOLD and not addressed_to_you else None
        if organized:
            vetoes.append(f"not yours: you interview a candidate ({organized})")
        is_interview = score >= THRESHOLD and not vetoes
        return Verdict(is_interview=is_interview, signals=tuple(signals + vetoes), score=score)

    def _in_its_own_language(self, language: str, summary: str) -> str | None:
        """The word for an interview in the language the event says it is written in (its LANGUAGE parameter),
        found in its title: 'Entretien Karima' with LANGUAGE=fr-FR. The hint makes even a word that also
        means any conversation count once more; the title alone is read, never a long description."""
        if not language or not summary:
            return None
        pattern = next((p for code, p in self.by_language if code == language), None)
        match = pattern.search(summary) if pattern is not None else None
        return match.group(0) if match else None

    def _holds_a_stem(self, texts: dict[str, str]) -> bool:
        ascii_stems, other_stems = _stem_searches(self.stems)
        text = "\n".join(texts.values())
        return ascii_stems.search(text) is not None or (
            other_stems is not None and other_stems.search(text) is not None
        )

    def title_rules_out(self, summary: str) -> bool:
        """Does the title alone make assess() say no, whatever the rest of the event holds? (An exclusion
        found in the title is a veto in every case.)"""
        text = fold(_strip_invitation_prefix(summary)) if summary else ""
        return bool(text) and any(pattern.search(text) for _, pattern in self.exclusions)

    def could_be_interview(self, raw_text: str) -> bool:
        """Cheap test on raw iCalendar text: False only when assess() cannot say yes.

        Every positive pattern contains one of `stems`, so a text without any stem cannot score.
        A non-ASCII stem (a word of your own, like 面接) is looked for in the text folded as assess() folds it.
        """
        ascii_stems, other_stems = _stem_searches(self.stems)
        if raw_text.isascii():
            return ascii_stems.search(raw_text.lower()) is not None
        # accents off; other non-ASCII dropped (only ever adds matches)
        stripped = unicodedata.normalize("NFKD", raw_text).encode("ascii", "ignore").decode("ascii")
        if ascii_stems.search(stripped.lower()) is not None:
            return True
        return other_stems is not None and other_stems.search(fold(raw_text)) is not None


@lru_cache(maxsize=16)
def _stem_searches(stems: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """One search for the ASCII stems (never matching when there are none), one for the others (or None)."""
    ascii_stems = {s for s in stems if s.isascii() and s}
    others = {s for s in stems if not s.isascii()}
    return re.compile(any_of(ascii_stems) or "(?!)"), re.compile(any_of(others)) if others else None


_Tree = dict[str, "_Tree"]  # the words' characters, one level a character
_ENDS = ""  # a word ends at this node


def any_of(words: set[str]) -> str:
    """A pattern that finds where any of `words` begins, written as a tree of their shared beginnings: a
    search compares a few characters at each position, not every word. A word that begins a longer one is
    enough there, so the longer one is left out (only where a word is matters, not which)."""
    tree: _Tree = {}
    for word in sorted(words, key=len):
        node = tree
        for character in word:
            if _ENDS in node:
                break  # a shorter word already ends here
            node = node.setdefault(character, {})
        else:
            node[_ENDS] = {}

    def pattern(node: _Tree) -> str:
        if _ENDS in node:
            return ""
        branches = [re.escape(character) + pattern(child) for character, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(tree)


def _event_texts(event: Event) -> dict[str, str]:
    organizer = ""
    if event.organizer:
        organizer = f"{event.organizer.name or ''} {event.organizer.email}"
    values = {
        "summary": _strip_invitation_prefix(event.summary),
        "description": event.description,
        "location": event.location,
        "organizer": organizer,
        "url": event.url,
    }
    return {name: fold(values[name]) for name in _FIELDS if values[name]}


def _you_organize(event: Event, addresses: tuple[str, ...]) -> str | None:
    """Why the owner conducts this interview, or None: the owner organizes it (no one else sends it for them)
    and invites others. An invitation the owner copied into their own calendar speaks to them as the
    candidate ('your interview with', 'thank you for applying'): the caller keeps those. A note of one's own
    interview invites no one."""
    organizer = event.organizer
    if organizer is None:
        return None
    own = {a.strip().lower() for a in addresses} | {a.email.strip().lower() for a in event.attendees if a.is_self}
    own.discard("")
    if organizer.email.strip().lower() not in own:
        return None
    if organizer.sent_by and organizer.sent_by.strip().lower() not in own:
        return None  # someone else sent it
    guests = sum(1 for a in event.attendees if a.email.strip() and a.email.strip().lower() not in own and not a.is_self)
    if not guests:
        return None
    return f"you organize it and invite {guests} other{'s' if guests > 1 else ''}"


_INVITATION_PREFIX = re.compile(
    r"^\s*((updated |new )?invitation|einladung|aktualisierte einladung|invitacion|invitation mise a jour"
    r"|invito|uitnodiging|convite)\s*:\s*",
    re.IGNORECASE,
)


# A school's own interview: the organizer is a school or the title names one, and nothing speaks of a job.
_ACADEMIC_ORGANIZER = re.compile(r"@[\w.-]*(\.edu\b|\.ac\.[a-z]{2}\b|universit|\bschool\b|college)")
_ACADEMIC_TITLE = re.compile(r"\b(school of|business school|university|universite|universidad|college|admissions?)\b")
_JOB_WORDS = re.compile(
    r"\b(job|jobs|position|role|vacancy|vacancies|career|careers|intern|internship|hiring|employment|employer"
    r"|salary|engineer|developer|analyst|manager|designer|lecturer|professor|assistant|officer|trainee)\b"
)
# a run of non-space is looked at from its start only, so a long one is read once
_URL = re.compile(r"https?://\S++|(?<!\S)[^\s@]*+@\S*+")


def _admission_interview(texts: dict[str, str]) -> str | None:
    """Why this reads as a school's admission interview rather than a job's, or None."""
    organizer, summary = texts.get("organizer", ""), texts.get("summary", "")
    school = _ACADEMIC_ORGANIZER.search(organizer) or _ACADEMIC_TITLE.search(summary)
    if school is None:
        return None
    words = _URL.sub(" ", " ".join((summary, texts.get("description", ""), texts.get("location", ""))))
    if _JOB_WORDS.search(words):
        return None
    return f"'{school.group(0).strip('@')}' and no word of a job"


def _invitation_signals(
    event: Event, texts: dict[str, str], owner: tuple[str, ...], interview_word: bool = False
) -> list[tuple[str, int, str]]:
    """Signals in who sends the invitation to whom: (label, weight, what was seen). `interview_word`: the title
    holds a word for an interview that may also mean any conversation ('Entretien', 'Colloquio')."""
    found = []
    invited = _employer_invites_you(event, texts.get("summary", ""), owner)
    if invited:
        found.append(("an employer invites you", 1, invited))
    elif interview_word:
        named = _person_names_you(event, texts.get("summary", ""), owner)
        if named:
            found.append(("the title names the one invited", 1, named))
    test = _employer_test(event, texts)
    if test:
        found.append(("an employer's test", 2, test))
    return found


def _employer_domain(event: Event) -> str | None:
    """The organizer's domain when it is an organisation's (no free mail, no service, no school)."""
    from .facts import is_free_mail, why_not_a_recipient

    if event.organizer is None or "@" not in event.organizer.email:
        return None
    address = event.organizer.email.strip().lower()
    domain = address.rpartition("@")[2]
    if why_not_a_recipient(address) or is_free_mail(domain) or _ACADEMIC_ORGANIZER.search(address):
        return None
    return domain


def _employer_invites_you(event: Event, title: str, owner: tuple[str, ...]) -> str | None:
    """An organisation sends the invitation to you alone among outside people, or to you by name in its title
    ('Mid Fullstack Developer | Youssef' from a company to youssef…@gmail.com). Alone it proves nothing (one
    signal point): with a job or a hiring step in the title it makes an interview."""
    domain = _employer_domain(event)
    if domain is None:
        return None
    organizer = event.organizer.email.strip().lower() if event.organizer else ""
    outside = [
        a
        for a in event.attendees
        if a.email.strip().lower() != organizer and not a.email.lower().endswith(f"@{domain}")
    ]
    addresses = {o.strip().lower() for o in owner if "@" in o}
    yours = [a for a in outside if a.is_self or a.email.strip().lower() in addresses]
    everyone = {a.email.strip().lower() for a in event.attendees} | {organizer}
    if (addresses & everyone) or any(a.is_self for a in event.attendees):
        candidates = yours
    else:  # whose calendar this is is not known (no address of yours is invited: a forwarded copy, another
        # address of yours): the one outside person, or the one the title names
        candidates = outside
    if len(outside) == 1 and candidates == outside:
        return f"the only person outside {domain} invited is you ({outside[0].email})"
    named = [a for a in candidates if _title_names(title, a)]
    if len(named) == 1:
        return f"the title names {named[0].email}, invited from {domain}"
    return None


def _person_names_you(event: Event, title: str, owner: tuple[str, ...]) -> str | None:
    """A person writing from a free-mail address names in the title the one person invited beside them
    ('[Noodra] Entretien Lina Haddad' from karim…@gmail.com to l.linahaddad@gmail.com): with a word for an
    interview in the title, the one named is the one interviewed."""
    from .facts import is_free_mail

    if event.organizer is None or "@" not in event.organizer.email:
        return None
    organizer = event.organizer.email.strip().lower()
    if not is_free_mail(organizer.rpartition("@")[2]):
        return None
    others = [a for a in event.attendees if a.email.strip().lower() != organizer]
    addresses = {o.strip().lower() for o in owner if "@" in o}
    if len(others) != 1 or (addresses and others[0].email.strip().lower() not in addresses):
        return None
    return f"the title names {others[0].email}, the one invited" if _title_names(title, others[0]) else None


def _title_names(title: str, attendee: Attendee) -> bool:
    """Does the folded title hold a word (4 letters or more) of the attendee's name or address?"""
    local = re.sub(r"[\W\d_]+", "", fold(attendee.email.partition("@")[0]))
    name = fold(attendee.name or "") if attendee.name and "@" not in attendee.name else ""
    words = set(re.findall(r"[^\W\d_]{4,}", title))
    return any(w in local or w in name.split() for w in words)


_TEST_WORD = re.compile(r"\b(tests?|exams?|assessments?)\b")
_HIRING_TEST = re.compile(
    r"\b(technical|coding|aptitude|skills?|programming|hiring|recruitment|developer|engineer|analyst|designer"
    r"|intern|trainee|programmer|front-?end|back-?end|full-?stack|devops)\b"
)
_PROGRAMME_WORDS = re.compile(
    r"\b(scholarships?|bootcamps?|courses?|class|classes|students?|semester|certifications?|olympiad|contest"
    r"|hackathon|admissions?|school|university|college)\b"
)


def _employer_test(event: Event, texts: dict[str, str]) -> str | None:
    """A hiring test an organisation sends, often through an assessment platform that writes the client's
    name as the sender ('SurveySparrow - Backend Test' from 'SurveySparrow <support@evalgator.com>'): a test
    word and a hiring word in the title, the sender named in the title, and no word of a school, a course or
    a scholarship."""
    title = texts.get("summary", "")
    if event.organizer is None or not _TEST_WORD.search(title) or not _HIRING_TEST.search(title):
        return None
    if _PROGRAMME_WORDS.search(f"{title}\n{texts.get('description', '')}"):
        return None
    if _ACADEMIC_ORGANIZER.search(event.organizer.email.lower()):
        return None
    sender = fold(event.organizer.name or "") if event.organizer.name and "@" not in event.organizer.name else ""
    domain = _employer_domain(event)
    names = [sender] + ([re.split(r"[.-]", domain)[0]] if domain else [])
    for name in names:
        if len(name) >= 2 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title):
            return f"the title names its sender '{name}'"
    return None


def _strip_invitation_prefix(summary: str) -> str:
    """Google's invitation subjects put 'Invitation: ' before the title."""
    return _INVITATION_PREFIX.sub("", summary)


def _word_pattern(words: tuple[str, ...]) -> str:
    return "|".join(rf"\b{re.escape(fold(w))}\b" for w in words)


# The words for a job interview and for recruiting in other languages (callfirst/data/interview_words.tsv,
# made from a recruiting application's translations by tools/build_interview_words.py): kind → (label, weight).
# A "weak" word also means any conversation ('gesprek', 'samtale'): it needs another signal.
_VOCABULARY_KINDS = {
    "interview-strong": ("interview (multilingual)", 3),
    "interview-weak": ("interview or conversation (multilingual)", 1),
    "recruiting": ("recruiting (multilingual)", 1),
    "assessment": ("skills assessment (multilingual)", 1),
    "job": ("a job in the title (multilingual)", 1),
}
# A test of skills is a step of an application only beside a job or a recruiting word ('Beceri Değerlendirmesi -
# Java Developer'); a course's or a school's assessment has neither.
_WITH_A_JOB_ONLY = frozenset(("skills assessment (multilingual)", "walk-in"))
_A_JOB_OR_RECRUITING = frozenset(
    (
        "a job in the title",
        "a job in the title (multilingual)",
        "recruiter",
        "recruiting (multilingual)",
        "application process",
        "interview confirmation",
        "applicant-tracking system",
    )
)


_VOCABULARY_LABELS = frozenset(label for label, _ in _VOCABULARY_KINDS.values())
# Signals that count only when an employer sends the invitation to you alone (see _employer_invites_you).
_WITH_YOU_ALONE_ONLY = frozenset(("hiring level",))
_ALONE = "the only person outside"
# Words for an interview that may also mean any conversation: with the name of the one invited, an interview.
_CONVERSATION_WORDS = ("entretien (fr):", "colloquio (it):", "interview or conversation (multilingual):")


@lru_cache(maxsize=1)
def _vocabulary_rows() -> tuple[tuple[str, str, str], ...]:
    """(language, kind, folded word) for each row of callfirst/data/interview_words.tsv; read once."""
    from importlib.resources import files

    text = files("callfirst").joinpath("data", "interview_words.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) == 3 and (word := fold(fields[2]).strip()):
            rows.append((fields[0], fields[1], word))
    return tuple(rows)


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[str, int, str, tuple[str, ...]], ...]:
    """(label, weight, pattern, folded words) per kind of word in the multilingual list; read once."""
    words: dict[str, set[str]] = {kind: set() for kind in _VOCABULARY_KINDS}
    for _, kind, word in _vocabulary_rows():
        if kind in words:
            words[kind].add(word)
    result = []
    for kind, (label, weight) in _VOCABULARY_KINDS.items():
        folded = tuple(sorted(w for w in words[kind] if w))
        if folded:
            # anywhere in a word: compounds ('työhaastattelu', 'állásinterjú'), prefixes ('לראיון', 'للمقابلة'),
            # inflections, and scripts that do not space their words ('นัดสัมภาษณ์งาน')
            pattern = "|".join(re.escape(w) for w in folded)
            result.append((label, weight, pattern, folded))
    return tuple(result)


@lru_cache(maxsize=1)
def interview_words_by_language() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(language, folded words) of the multilingual list's words for an interview, strong and weak."""
    words: dict[str, set[str]] = {}
    for language, kind, word in _vocabulary_rows():
        if kind in _LANGUAGE_HINT_KINDS:
            words.setdefault(language, set()).add(word)
    return tuple((language, tuple(sorted(found))) for language, found in sorted(words.items()))


# The kinds of word a language hint confirms: the words for an interview itself.
_LANGUAGE_HINT_KINDS = frozenset(("interview-strong", "interview-weak"))


@lru_cache(maxsize=16)
def build_detector(settings: DetectionSettings = DetectionSettings()) -> Detector:
    positive = [(label, weight, re.compile(p)) for label, weight, p in _POSITIVE]
    positive += [(label, weight, re.compile(p)) for label, weight, p, _ in vocabulary()]
    loanwords = "|".join(re.escape(fold(w)) for w in _COURSE_LOANWORDS)
    exclusions = [
        (label, re.compile(f"{p}|{loanwords}" if label == "graded course work" else p)) for label, p in _EXCLUSIONS
    ]
    if settings.extra_words:
        positive.append(("your word", 3, re.compile(_word_pattern(settings.extra_words))))
    if settings.exclude_words:
        exclusions.append(("your exclusion", re.compile(_word_pattern(settings.exclude_words))))
    stems = (
        _STEMS + tuple(w for *_, words in vocabulary() for w in words) + tuple(fold(w) for w in settings.extra_words)
    )
    by_language = tuple(
        (language, re.compile("|".join(re.escape(w) for w in words)))
        for language, words in interview_words_by_language()
    )
    return Detector(positive=tuple(positive), exclusions=tuple(exclusions), stems=stems, by_language=by_language)


_CANDIDATE_LINE = re.compile(
    r"(?:^|\n)[^\S\n]*+(?:candidate|kandidat|candidat[oe]?|bewerber(?:in)?)\s*+:\s*([^\n]{2,80})"
)


def _candidate_named(description: str, owner: tuple[str, ...]) -> str | None:
    """'Candidate: <the owner>' in a description: the owner is the one interviewed."""
    wanted = {re.sub(r"[\W_]+", "", fold(o.partition("@")[0])) for o in owner if o and len(o) >= 3}
    wanted.discard("")
    for match in _CANDIDATE_LINE.finditer(description):
        letters = re.sub(r"[\W_]+", "", match.group(1))
        if any(w and (w in letters or letters in w) and len(letters) >= 3 for w in wanted):
            return match.group(0).strip()
    return None
