"""The email in the recipient's language: decided from what the invitation declares, else from its text,
else English with a warning; --language overrides. Golden files for each language and regional English ×
outcome × reason; the note check, the --ics comment and the call script's note in each language."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from pathlib import Path

import icalendar
import pytest

from callfirst import api
from callfirst.drafts.compose import DraftRequest
from callfirst.drafts.language import choose_language, detect
from callfirst.integrations.home import Places

from .helpers import run
from .test_drafts import check_golden

LANGUAGES = Path(__file__).parent / "data" / "languages"
NOW = "2026-12-01T09:00:00-06:00"  # the interviews are on Wednesday 9 December 2026, 15:00 their time
REASONS = ["conflict", "work", "emergency", "withdraw"]
CALLED = ["reached", "voicemail", "no-answer", "not-yet"]
SOURCES = {
    "pt_br": "pt_br.ics",  # declares en-US (Outlook's own language), written in Portuguese: São Paulo
    "pt_pt": "pt_pt.ics",  # declares pt-PT: Lisbon
    "es": "es.ics",  # declares nothing: Madrid
    "fr": "fr.eml",  # an email with Content-Language: fr-FR and <html lang="fr">: Paris
    "de": "de.ics",  # declares de-DE: Berlin
    "it": "it.ics",  # declares nothing: Rome
    "nl": "nl.ics",  # declares nothing: Amsterdam
    "en_gb": "en_gb.ics",  # London
    "en_in": "en_in.ics",  # Kolkata, declaring en-US
    "en_ca": "en_ca.ics",  # Toronto
}
# Words each email must have, so a golden file written in the wrong language cannot pass.
MARKERS = {
    "pt_br": ("Atenciosamente,", "quarta-feira, 9 de dezembro"),
    "pt_pt": ("Com os melhores cumprimentos,", "quarta-feira, 9 de dezembro"),
    "es": ("Un saludo cordial,", "miércoles, 9 de diciembre"),
    "fr": ("Bien cordialement,", "mercredi 9 décembre"),
    "de": ("Mit freundlichen Grüßen", "Mittwoch, 9. Dezember"),
    "it": ("Cordiali saluti,", "mercoledì 9 dicembre"),
    "nl": ("Met vriendelijke groet,", "woensdag 9 december"),
    "en_gb": ("Best regards,", "Wednesday, 9 December at 15:00 GMT"),
    "en_in": ("Best regards,", "Wednesday, 9 December at 3:00 pm IST"),
    "en_ca": ("Best regards,", "Wednesday, December 9, at 3:00 p.m. ET"),
}


def draft(env, name: str, *args: str):
    return run(env, "draft", LANGUAGES / SOURCES[name], "--now", NOW, *args)


@pytest.mark.parametrize("reason", REASONS)
@pytest.mark.parametrize("called", CALLED)
@pytest.mark.parametrize("language", list(SOURCES))
def test_golden_email_in_the_recipients_language(env, language, called, reason):
    extra = ("--propose", "2026-12-14T09:00", "--propose", "2026-12-11T10:00", "--suggest", "0")
    code, out, err = draft(env, language, "--called", called, "--reason", reason, *extra)
    assert code == 0, err
    check_golden(f"language-{language}-{reason}-{called}.txt", out)
    closing, day = MARKERS[language]
    assert closing in out and day in out
    assert "cannot write" not in err, err


@pytest.mark.parametrize(
    ("name", "language", "how"),
    [
        ("pt_br", "pt", "detected"),  # the text wins over Outlook's en-US
        ("pt_pt", "pt", "declared"),
        ("es", "es", "detected"),
        ("fr", "fr", "declared"),
        ("de", "de", "declared"),
        ("it", "it", "detected"),
        ("nl", "nl", "detected"),
        ("en_in", "en", "declared"),
    ],
)
def test_the_language_is_what_the_invitation_declares_else_what_it_is_written_in(env, name, language, how):
    ctx = api.load_context(Places(home=env.places.home), now=datetime.fromisoformat(NOW))
    result = api.draft(ctx, api.InterviewRef(str(LANGUAGES / SOURCES[name])), DraftRequest())
    assert (result.draft.language.language, result.draft.language.how) == (language, how)


def test_language_overrides_in_both_directions(env):
    code, out, _ = draft(env, "de", "--called", "voicemail", "--language", "en")
    assert code == 0 and "Dear Katrin," in out and "Wednesday, 9 December at 15:00 CET" in out
    code, out, _ = draft(env, "en_gb", "--called", "voicemail", "--language", "it")
    assert code == 0 and "Gentile Oliver," in out and "Cordiali saluti," in out


def test_a_language_callfirst_cannot_write_is_named_and_english_used(env):
    code, out, err = run(env, "draft", LANGUAGES / "pl.ics", "--now", NOW, "--called", "voicemail")
    assert code == 0
    assert "the invitation is in Polish, which callfirst cannot write yet: the email is in English" in err
    assert "Dear Anna," in out
    code, _, err = run(env, "plan", LANGUAGES / "pl.ics", "--now", NOW)
    assert code == 0 and "in Polish" in err


def test_an_unknown_language_option_is_a_usage_error(env):
    code, _, err = draft(env, "de", "--language", "pl")
    assert code == 2 and "--language" in err


def test_detection_needs_a_confident_guess_with_the_languages_own_words():
    assert detect("SCALER EDGE FINAL SCREENING") is None
    assert detect("Entrevista com a equipe de dados para a vaga de Analista") == "pt"
    assert (
        choose_language(None, ("en-US",), "Entrevista com a equipe de dados para a vaga de Analista").language == "pt"
    )
    assert choose_language(None, (), "Interview with the data team for the analyst role").language == "en"


@pytest.mark.parametrize(
    ("name", "note", "what"),
    [
        ("pt_br", "Estou com intoxicação alimentar.", "health details"),
        ("es", "Tengo un juicio esa mañana.", "legal or housing trouble"),
        ("fr", "J'ai un autre entretien chez Google l'après-midi.", "another interview or offer"),
        ("de", "Ich habe verschlafen.", "overslept"),
        ("it", "Mia madre è in ospedale.", "health details"),
        ("nl", "Ik heb een kater van het feest.", "hangover or partying"),
    ],
)
def test_the_oversharing_check_works_in_each_language(env, name, note, what):
    code, out, err = draft(env, name, "--called", "voicemail", "--note", note)
    assert code == 0
    assert what in err and note not in out


def test_a_plain_note_in_the_email_language_is_kept(env):
    note = "Ich freue mich sehr auf das Gespräch."
    code, out, err = draft(env, "de", "--called", "voicemail", "--note", note)
    assert code == 0 and note in out


def test_the_ics_comment_is_in_the_emails_language(env, tmp_path):
    out = tmp_path / "reply.eml"
    code, _, err = draft(env, "es", "--called", "reached", "--propose", "2026-12-14T09:00", "--ics", "--out", str(out))
    assert code == 0, err
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    counter = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    assert str(counter["COMMENT"]) == "Me gustaría proponer esta nueva fecha para nuestra entrevista."
    assert counter["COMMENT"].params["LANGUAGE"] == "es-ES"


def test_the_call_script_is_in_the_owners_language(home, env):
    config = home / "config.toml"
    config.write_text(config.read_text() + 'language = "fr"\n')
    code, out, _ = run(env, "call", LANGUAGES / "de.ics", "--now", NOW, "--no-qr", "--propose", "2026-12-14T09:00")
    assert code == 0
    script = out.split("Script:", 1)[1]
    assert "Bonjour Katrin, c’est Alex Morgan." in script
    said = " ".join(script.split())
    assert "Je vous appelle au sujet de mon entretien pour le poste de Data Analyst, le mercredi 9 décembre" in said
    assert "demain à 15:00 ; le vendredi 4 décembre à 15:00 ; ou le lundi 14 décembre à 16:00 ?" in said
    assert "Ils ont écrit en allemand ; l’e-mail est en allemand." in script
    assert "I'm calling" not in script


def test_the_owners_language_defaults_to_the_systems(env):
    from callfirst.cli.environment import system_language

    assert system_language({"LANG": "pt_BR.UTF-8"}) == "pt"
    assert system_language({"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}) == ""
    assert system_language({}) == ""
    code, out, _ = run(env.but(language="es"), "call", LANGUAGES / "it.ics", "--now", NOW, "--no-qr")
    assert code == 0 and "Le llamo por mi entrevista" in out


def test_a_bad_profile_language_is_one_clear_line(home, env):
    config = home / "config.toml"
    config.write_text(config.read_text() + 'language = "portuguese"\n')
    code, _, err = run(env, "plan", LANGUAGES / "de.ics", "--now", NOW)
    assert code == 1 and "language" in err and "two-letter" in err and "Traceback" not in err


def test_the_call_script_stays_in_english_and_names_their_language(env):
    code, out, _ = run(env, "call", LANGUAGES / "pt_br.ics", "--now", NOW, "--no-qr")
    assert code == 0
    assert "They wrote in Portuguese; the email is in Portuguese." in out
    assert "I'm calling about my interview" in out
    code, plan, _ = run(env, "plan", LANGUAGES / "pt_br.ics", "--now", NOW)
    assert "They wrote in Portuguese" in plan and "Atenciosamente," in plan


@pytest.mark.parametrize("language", [None, "nl"])
def test_the_library_and_the_command_write_the_same_email_in_any_language(env, tmp_path, language):
    source = LANGUAGES / "pt_br.ics"
    by_command, by_library = tmp_path / "command.eml", tmp_path / "library.eml"
    words = ["--language", language] if language else []
    code, _, err = run(env, "draft", source, "--now", NOW, "--called", "voicemail", *words, "--out", by_command)
    assert code == 0, err
    ctx = api.load_context(Places(home=env.places.home), now=datetime.fromisoformat(NOW))
    request = DraftRequest(called=api.Outcome.VOICEMAIL, language=language)
    api.draft(ctx, api.InterviewRef(str(source)), request, target="file", options=api.TargetOptions(out=by_library))

    def parsed(path: Path) -> bytes:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        del message["Message-ID"]
        return message.as_bytes()

    assert parsed(by_command) == parsed(by_library)
    body = email.message_from_bytes(by_library.read_bytes(), policy=email.policy.default).get_body().get_content()
    assert ("Met vriendelijke groet," if language else "Atenciosamente,") in body


# --- the catalogs -----------------------------------------------------------------------------------

CATALOGS = ("pt", "pt_PT", "es", "fr", "de", "it", "nl", "en_US")
FULL = ("pt", "es", "fr", "de", "it", "nl")  # every message; pt_PT and en_US hold only what differs


def used_messages() -> set[str]:
    """Every message the templates and compose.py ask the catalogs for."""
    import re

    from babel.messages.extract import extract_from_file

    root = Path(__file__).resolve().parent.parent / "callfirst" / "drafts"
    found = set()
    for template in sorted((root / "templates").glob("email_*.j2")):
        options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
        found |= {message for _, message, _, _ in extract_from_file("jinja2", template, options=options)}
    code = (root / "compose.py").read_text()
    found |= set(re.findall(r'(?:words|self)\(\s*"((?:[^"\\]|\\.)*)"', code))
    script = (root.parent / "calls.py").read_text()
    found |= set(re.findall(r'say\(\s*"((?:[^"\\]|\\.)*)"', script))
    from callfirst.calls import SAID_REASON
    from callfirst.drafts.compose import WHY_ANSWER

    return found | set(SAID_REASON.values()) | set(WHY_ANSWER.values())


def catalog(name: str):
    import io

    from babel.messages.pofile import read_po

    from callfirst.drafts.catalogs import catalog_text

    text = catalog_text(name)
    assert text is not None, name
    return read_po(io.BytesIO(text), locale=name)


@pytest.mark.parametrize("name", FULL)
def test_each_catalog_has_every_message(name):
    have = {message.id for message in catalog(name) if message.id and message.string}
    missing = used_messages() - have
    assert not missing, f"{name} lacks {sorted(missing)}"


@pytest.mark.parametrize("name", CATALOGS)
def test_a_translation_uses_only_the_values_its_message_gives(name):
    import re

    names = re.compile(r"%\((\w+)\)s")
    used = used_messages()
    for message in catalog(name):
        if not message.id:
            continue
        assert message.id in used, f"{name}: {message.id!r} is no longer used"
        given = set(names.findall(message.id)) | ({"date", "weekday"} if "%(weekday)s" in message.id else set())
        assert set(names.findall(message.string)) <= given, f"{name}: {message.string!r}"


def test_a_city_is_named_as_the_recipients_language_names_it():
    from zoneinfo import ZoneInfo

    from callfirst.drafts.voice import place

    london = ZoneInfo("Europe/London")
    assert place(london) == "London" and place(london, "pt_BR") == "Londres"
    assert place(ZoneInfo("America/New_York"), "pt_PT") == "Nova Iorque"
