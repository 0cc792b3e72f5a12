"""Check the owner's own sentence for oversharing and unprofessional tone."""

from __future__ import annotations

import re
from dataclasses import dataclass

VAGUE = "I have a scheduling conflict that I cannot move."

_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "health details",
        r"\b(sick|ill|illness|doctor|hospital|flu|covid|fever|migraine|surgery|pregnan\w*|therapy|therapist"
        r"|dentist|injur\w*|diarrh\w*|vomit\w*|medication|diagnos\w*|mental health|food poisoning|poison\w*"
        r"|stomach|nause\w*|infection)\b",
        "Health is private; 'an unexpected matter' or 'a scheduling conflict' is enough.",
    ),
    (
        "family details",
        r"\b(mom|mum|dad|mother|father|kids?|child(ren)?|son|daughter|wife|husband|partner|divorce"
        r"|babysitter|nanny|grandm\w*|grandp\w*|funeral|wedding)\b",
        "Family matters are private; 'a personal commitment I cannot move' is enough.",
    ),
    (
        "legal or housing trouble",
        r"\b(court|hearing|lawyer|attorney|solicitor|lawsuit|sued|trial|police|arrest\w*|evict\w*|landlord"
        r"|custody|bail|immigration|deport\w*)\b",
        "Legal and housing matters are private; 'a personal matter I cannot move' is enough.",
    ),
    (
        "hangover or partying",
        r"\b(hangover|hung ?over|drunk|party|partying|wasted|beers?)\b",
        "Never mention this; say you have a scheduling conflict.",
    ),
    (
        "overslept",
        r"\b(overslept|oversleep|slept in|woke up late|alarm)\b",
        "Say you have a scheduling conflict, and offer alternative times.",
    ),
    (
        "forgot",
        r"\b(forgot|forget|forgotten|slipped my mind|double[- ]?booked)\b",
        "Say you have a scheduling conflict; an employer reads 'forgot' as disinterest.",
    ),
    (
        "another interview or offer",
        r"\b(another|other|different|competing|second|better)\s+(interview|offer|company|job|position)s?\b"
        r"|\b(received|accepted|got) an? (offer|job)\b"
        r"|\b(final|first|second|third|next|technical|onsite|on-site)\s+(round|interview|stage)\b"
        r"|\b(interview|round|onsite|on-site|assessment)\s+(with|at)\s+(?-i:[A-Z])\w*",
        "Do not mention other interviews or offers when rescheduling; 'a scheduling conflict' is enough.",
    ),
)
# The same topics in each language an email can be written in: (what, pattern), for a note written in it
# (words such as Spanish 'son', 'they are', would trip the English rules).
_WORDS_BY_LANGUAGE: dict[str, tuple[tuple[str, str], ...]] = {
    "pt": (
        (
            "health details",
            r"\b(doente|doença|médic[oa]|hospital|gripe|febre|cirurgia|grávida|gravidez|terapia|dentista"
            r"|intoxicação alimentar|diarreia|vômito|vómito|enxaqueca|consulta médica)\b",
        ),
        (
            "family details",
            r"\b(mãe|pai|filh[oa]s?|esposa|marido|namorad[oa]|divórcio|babá|avó|avô|funeral|velório"
            r"|casamento)\b",
        ),
        (
            "legal or housing trouble",
            r"\b(tribunal|audiência|advogad[oa]|processo judicial|polícia|despejo|senhorio"
            r"|proprietário)\b",
        ),
        ("hangover or partying", r"\b(ressaca|bêbad[oa]|festa|balada)\b"),
        ("overslept", r"\b(perdi a hora|dormi demais|despertador|acordei tarde)\b"),
        ("forgot", r"\b(esqueci|esquecido|esquecimento)\b"),
        (
            "another interview or offer",
            r"\b(outra entrevista|outra proposta|outra oferta|outra empresa|proposta de emprego"
            r"|rodada final|etapa final)\b",
        ),
    ),
    "es": (
        (
            "health details",
            r"\b(enferm[oa]|enfermedad|médic[oa]|hospital|gripe|fiebre|cirugía|operación|embarazada"
            r"|terapia|dentista|intoxicación alimentaria|diarrea|vómitos?|migraña)\b",
        ),
        (
            "family details",
            r"\b(madre|padre|mamá|papá|hij[oa]s?|esposa|marido|novi[oa]|divorcio|niñera|abuel[oa]"
            r"|funeral|entierro|boda)\b",
        ),
        ("legal or housing trouble", r"\b(juicio|juzgado|tribunal|abogad[oa]|policía|desahucio|desalojo|casero)\b"),
        ("hangover or partying", r"\b(resaca|borrach[oa]|fiesta)\b"),
        ("overslept", r"\b(me quedé dormid[oa]|despertador|me dormí)\b"),
        ("forgot", r"\b(olvidé|se me olvidó|olvido)\b"),
        (
            "another interview or offer",
            r"\b(otra entrevista|otra oferta|otra empresa|oferta de trabajo|ronda final"
            r"|fase final)\b",
        ),
    ),
    "fr": (
        (
            "health details",
            r"\b(malade|maladie|médecin|hôpital|grippe|fièvre|chirurgie|opération|enceinte|thérapie"
            r"|dentiste|intoxication alimentaire|diarrhée|vomi\w*|migraine)\b",
        ),
        (
            "family details",
            r"\b(mère|père|maman|papa|enfants?|fils|fille|épouse|mari|divorce|nounou|grand-\w+"
            r"|enterrement|obsèques|mariage)\b",
        ),
        ("legal or housing trouble", r"\b(tribunal|audience|avocat|police|expulsion|propriétaire)\b"),
        ("hangover or partying", r"\b(gueule de bois|ivre|soirée arrosée|fête)\b"),
        ("overslept", r"\b(panne de réveil|réveil|pas entendu mon réveil|dormi trop)\b"),
        ("forgot", r"\b(oublié|oubli)\b"),
        (
            "another interview or offer",
            r"\b(autre entretien|autre offre|autre entreprise|offre d’emploi|offre d'emploi"
            r"|dernier tour|entretien final)\b",
        ),
    ),
    "de": (
        (
            "health details",
            r"\b(krank\w*|arzt|ärztin|krankenhaus|grippe|fieber|operation|schwanger\w*|therapie"
            r"|zahnarzt|lebensmittelvergiftung|durchfall|erbrechen|migräne)\b",
        ),
        (
            "family details",
            r"\b(mutter|vater|mama|papa|kinder?|sohn|tochter|ehefrau|ehemann|freundin|freund|scheidung"
            r"|babysitter|oma|opa|beerdigung|hochzeit)\b",
        ),
        ("legal or housing trouble", r"\b(gericht\w*|anwalt|anwältin|polizei|räumung|zwangsräumung|vermieter\w*)\b"),
        ("hangover or partying", r"\b(kater|betrunken|party|feier)\b"),
        ("overslept", r"\b(verschlafen|wecker)\b"),
        ("forgot", r"\b(vergessen)\b"),
        (
            "another interview or offer",
            r"\b(anderes vorstellungsgespräch|anderen vorstellungsgespräch|anderes angebot"
            r"|jobangebot|stellenangebot|finale runde|letzte runde)\b",
        ),
    ),
    "it": (
        (
            "health details",
            r"\b(malat[oa]|malattia|medico|ospedale|influenza|febbre|intervento|incinta|terapia"
            r"|dentista|intossicazione alimentare|diarrea|vomito|emicrania)\b",
        ),
        (
            "family details",
            r"\b(madre|padre|mamma|papà|figli[oa]?|moglie|marito|fidanzat[oa]|divorzio|babysitter"
            r"|nonn[oa]|funerale|matrimonio)\b",
        ),
        ("legal or housing trouble", r"\b(tribunale|udienza|avvocat[oa]|polizia|sfratto|padrone di casa)\b"),
        ("hangover or partying", r"\b(postumi|sbornia|ubriac[oa]|festa)\b"),
        ("overslept", r"\b(non ho sentito la sveglia|sveglia|dormito troppo)\b"),
        ("forgot", r"\b(dimenticato|dimenticanza)\b"),
        (
            "another interview or offer",
            r"\b(altro colloquio|altra offerta|altra azienda|offerta di lavoro|ultimo round"
            r"|colloquio finale)\b",
        ),
    ),
    "nl": (
        (
            "health details",
            r"\b(ziek\w*|dokter|arts|ziekenhuis|griep|koorts|operatie|zwanger\w*|therapie|tandarts"
            r"|voedselvergiftiging|diarree|overgeven|migraine)\b",
        ),
        (
            "family details",
            r"\b(moeder|vader|mama|papa|kind(eren)?|zoon|dochter|vrouw|man|vriendin|scheiding|oppas"
            r"|oma|opa|begrafenis|bruiloft)\b",
        ),
        (
            "legal or housing trouble",
            r"\b(rechtbank|rechtszaak|advocaat|politie|huisuitzetting|uitzetting|huisbaas|verhuurder)\b",
        ),
        ("hangover or partying", r"\b(kater|dronken|feest)\b"),
        ("overslept", r"\b(verslapen|wekker)\b"),
        ("forgot", r"\b(vergeten)\b"),
        (
            "another interview or offer",
            r"\b(ander sollicitatiegesprek|ander aanbod|ander bedrijf|baanaanbod"
            r"|laatste ronde|eindgesprek)\b",
        ),
    ),
}
_SUGGESTION = {what: suggestion for what, _, suggestion in _RULES}
_SHOUTING = re.compile(r"\b[A-Z]{4,}\b")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")
_ALLOWED_CAPS = {"ASAP", "HTML", "JSON", "NASA", "SQL", "CEST", "PST", "EST", "UTC", "GMT"}


@dataclass(frozen=True)
class NoteIssue:
    what: str
    found: str
    suggestion: str


# When withdrawing, "I have accepted another offer" is the courteous, normal reason.
_FINE_WHEN_WITHDRAWING = {"another interview or offer"}


def check_note(note: str, *, withdrawing: bool = False, language: str = "en") -> tuple[NoteIssue, ...]:
    """What in the owner's sentence overshares or reads badly, by the rules of `language` (the email's; the
    English ones for English or a language without rules of its own): each topic once."""
    issues: list[NoteIssue] = []
    english = [(what, pattern) for what, pattern, _ in _RULES]
    rules = list(_WORDS_BY_LANGUAGE.get(language, ())) or english
    for what, pattern in rules:
        if (withdrawing and what in _FINE_WHEN_WITHDRAWING) or any(issue.what == what for issue in issues):
            continue
        match = re.search(pattern, note, re.IGNORECASE)
        if match:
            issues.append(NoteIssue(what, match.group(0), _SUGGESTION[what]))
    shouted = [w for w in _SHOUTING.findall(note) if w not in _ALLOWED_CAPS]
    if shouted:
        issues.append(NoteIssue("shouting capitals", shouted[0], "Write in normal sentence case."))
    emoji = _EMOJI.search(note)
    if emoji:
        issues.append(NoteIssue("emoji", emoji.group(0), "Leave emoji out of a message to an employer."))
    if note.count("!") >= 2:
        issues.append(NoteIssue("exclamation marks", "!" * note.count("!"), "One calm sentence reads better."))
    return tuple(issues)
