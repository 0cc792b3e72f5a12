from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Event as IcalEvent

from callfirst.config import DetectionSettings
from callfirst.detection import build_detector, fold
from callfirst.model import Attendee, Event, Person

from .detection_cases import INTERVIEWS, NOT_INTERVIEWS

START = datetime(2026, 12, 2, 15, tzinfo=UTC)


def make_event(summary, description="", organizer="", location="", language=""):
    return Event(
        language=language,
        uid="x",
        summary=summary,
        description=description,
        location=location,
        start=START,
        end=START + timedelta(hours=1),
        timezone="UTC",
        organizer=Person(email=organizer) if organizer else None,
    )


def verdict(summary, description="", organizer="", settings=DetectionSettings()):
    return build_detector(settings).assess(make_event(summary, description, organizer))


def test_labelled_set_is_large_and_covers_both_kinds():
    assert len(INTERVIEWS) + len(NOT_INTERVIEWS) >= 80
    assert len(INTERVIEWS) >= 40 and len(NOT_INTERVIEWS) >= 40


@pytest.mark.parametrize(
    "category, summary, description, organizer", INTERVIEWS, ids=[f"{c}:{s[:30]}" for c, s, *_ in INTERVIEWS]
)
def test_interviews_are_found(category, summary, description, organizer):
    result = verdict(summary, description, organizer)
    assert result.is_interview, (category, result.signals)
    assert result.signals, "a verdict explains itself"


@pytest.mark.parametrize(
    "category, summary, description, organizer", NOT_INTERVIEWS, ids=[f"{c}:{s[:30]}" for c, s, *_ in NOT_INTERVIEWS]
)
def test_non_interviews_are_not(category, summary, description, organizer):
    result = verdict(summary, description, organizer)
    assert not result.is_interview, (category, result.signals)


def test_precision_and_recall_reported(report):
    detector = build_detector()
    tp = sum(detector.assess(make_event(s, d, o)).is_interview for _, s, d, o in INTERVIEWS)
    fp = sum(detector.assess(make_event(s, d, o)).is_interview for _, s, d, o in NOT_INTERVIEWS)
    fn = len(INTERVIEWS) - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn)
    report(f"labelled titles: {len(INTERVIEWS)} interviews, {len(NOT_INTERVIEWS)} others")
    report(f"precision {precision:.3f}  recall {recall:.3f}  (tp={tp} fp={fp} fn={fn})")
    assert precision >= 0.95 and recall >= 0.95


def test_exclusion_names_the_reason():
    result = verdict("Mock interview with Sam")
    assert any(s.startswith("not yours: mock or practice interview") for s in result.signals)


def test_config_adds_words_and_exclusions():
    extra = DetectionSettings(extra_words=("Kennenlernen",), exclude_words=("Acme internal",))
    assert not verdict("Kennenlernen Acme").is_interview
    assert verdict("Kennenlernen Acme", settings=extra).is_interview
    assert verdict("Interview - Acme internal mobility").is_interview
    assert not verdict("Interview - Acme internal mobility", settings=extra).is_interview


def test_the_events_own_language_makes_its_word_for_an_interview_count():
    """Exchange writes SUMMARY;LANGUAGE=fr-FR: 'Entretien' in a French title is the French word for an interview
    (also for any talk, so alone it is too weak); the hint is matched without case or accents, and read in the
    title only."""
    detector = build_detector()
    assert detector.assess(make_event("Entretien Karima", language="fr")).is_interview
    assert detector.assess(make_event("ENTRETIEN Karima", language="fr")).is_interview
    assert not detector.assess(make_event("Entretien Karima")).is_interview
    assert not detector.assess(make_event("Entretien Karima", language="de")).is_interview
    assert not detector.assess(make_event("Point hebdo", "entretien du serveur", language="fr")).is_interview
    assert not detector.assess(make_event("Entretien annuel", language="fr")).is_interview
    assert detector.assess(make_event("Phong van Minh", language="vi")).is_interview  # 'phỏng vấn' unaccented


def test_hindi_and_a_test_of_skills_for_a_job_from_the_second_source_of_words():
    """Frappe HR's translations: Hindi 'साक्षात्कार' (interview) with a job, or in an event that says it is Hindi;
    a test of skills ('Beceri Değerlendirmesi', 'Évaluation des compétences') only beside a job or a recruiting
    word, never a course's."""
    detector = build_detector()
    assert detector.assess(make_event("साक्षात्कार - Software Engineer")).is_interview
    assert detector.assess(make_event("साक्षात्कार: रोहित", language="hi")).is_interview
    assert detector.assess(make_event("Beceri Değerlendirmesi - Java Developer")).is_interview
    assert detector.assess(make_event("Evaluation des competences", "Votre candidature au poste")).is_interview
    assert not detector.assess(make_event("Beceri Değerlendirmesi")).is_interview
    assert not detector.assess(make_event("Évaluation des compétences - formation Excel")).is_interview


def test_fold_removes_accents_and_case():
    assert fold("Vorstellungsgespräch ÉTÉ") == "vorstellungsgesprach ete"


def _raw_ical(summary: str, description: str) -> str:
    event = IcalEvent()
    event.add("uid", "x")
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("dtstart", START)
    return event.to_ical().decode()


ALL_TITLES = [s for _, s, _, _ in INTERVIEWS + NOT_INTERVIEWS]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    summary=st.one_of(st.sampled_from(ALL_TITLES), st.text(max_size=120)),
    description=st.one_of(st.just(""), st.sampled_from([d for _, _, d, _ in INTERVIEWS if d]), st.text(max_size=200)),
)
def test_prefilter_never_drops_what_detection_would_keep(summary, description):
    detector = build_detector()
    event = make_event(summary, description)
    if detector.assess(event).score >= 2:
        raw = _raw_ical(summary, description)
        assert detector.could_be_interview(raw), raw


def _sent(summary, organizer, attendees, description=""):
    """An hour-long event `organizer` (a Person) sends to `attendees` (Attendees)."""
    return Event(
        uid="x",
        summary=summary,
        description=description,
        start=START,
        end=START + timedelta(hours=1),
        timezone="UTC",
        organizer=organizer,
        attendees=tuple(attendees),
    )


def invited(summary, organizer, attendees, description="", owner=()):
    event = _sent(summary, Person(*organizer), (Attendee(*a) for a in attendees), description)
    return build_detector().assess(event, owner)


def test_a_job_title_with_your_name_from_an_employer_is_an_interview():
    result = invited(
        "Mid Fullstack Developer | Youssef",
        ("marta.kowalczyk@blazity.com", "Marta Kowalczyk"),
        [("marta.kowalczyk@blazity.com",), ("youssefbenali1907@gmail.com",)],
        owner=("youssefbenali1907@gmail.com",),
    )
    assert result.is_interview, result.signals
    assert any(s.startswith("an employer invites you") for s in result.signals)


@pytest.mark.parametrize("summary", ["Omkar Full stack", "Omkar - Front end", "Back End | Omkar"])
def test_a_job_written_in_two_words_with_your_name_from_an_employer_is_an_interview(summary):
    assert invited(
        summary,
        ("neha@mypcot.example", "Neha Sharma"),
        [("omkarjadhav456@gmail.com", "Omkar Jadhav"), ("rohit.p@mypcot.example", "Rohit Patil")],
        owner=("omkarjadhav456@gmail.com",),
    ).is_interview


@pytest.mark.parametrize(
    "summary", ["Full Stack Tutoring Meeting with Derek", "Frontend mentoring session", "Python lesson | Omkar"]
)
def test_a_lesson_or_mentoring_on_a_job_s_skills_is_not_an_interview(summary):
    result = verdict(summary, "Booked through https://calendly.com/derek", "no-reply@calendly.com")
    assert not result.is_interview, result.signals


def test_a_job_title_with_the_invitees_name_counts_when_your_address_is_not_the_one_invited():
    """A copy forwarded from another address of yours: the one outside person invited may be you."""
    assert invited(
        "Mid Fullstack Developer | Youssef",
        ("marta.kowalczyk@blazity.com", "Marta Kowalczyk"),
        [("marta.kowalczyk@blazity.com",), ("youssefbenali1907@gmail.com",)],
        owner=("youssef@work.example",),
    ).is_interview


def test_a_coding_session_an_employer_holds_for_you_alone_is_an_interview():
    assert invited(
        "Flutter coding session with Tweeq",
        ("n.rahman@tweeq.sa", "Nadia Rahman"),
        [("n.rahman@tweeq.sa",), ("bilal.haider@geekybugs.com", "Muhammad Bilal")],
        owner=("bilal.haider@geekybugs.com",),
    ).is_interview


@pytest.mark.parametrize(
    "summary, organizer, attendees, owner",
    [
        # who is invited alone is no hint without a job or a hiring step in the title
        ("Lunch | Youssef", ("marta@blazity.com",), [("youssef1907@gmail.com",)], ("youssef1907@gmail.com",)),
        ("Ирина and Oksana", ("o.melnyk@goit.ua",), [("irina@gmail.com",)], ("irina@gmail.com",)),
        # a free-mail organizer is no employer
        ("Web Dev Internship - 1", ("codingidol4u@gmail.com",), [("student@gmail.com",)], ("student@gmail.com",)),
        # someone else is the one invited: you are the employer's colleague
        (
            "Mid Fullstack Developer | Youssef",
            ("marta@blazity.com",),
            [("youssef@gmail.com",), ("jan@blazity.com",)],
            ("jan@blazity.com",),
        ),
        # an assessment review with a named attendee is a course's, not a hiring step
        (
            "Second assessment review(Dustin Lowery)",
            ("kyle.bennett@promineo.tech",),
            [("dustin.lowery@gmail.com",)],
            ("dustin.lowery@gmail.com",),
        ),
    ],
)
def test_who_is_invited_alone_never_makes_an_interview(summary, organizer, attendees, owner):
    result = invited(summary, organizer, attendees, owner=owner)
    assert not result.is_interview, result.signals


@pytest.mark.parametrize(
    "summary, organizer, description",
    [
        (
            "SurveySparrow Invitation : SurveySparrow - SI S4 - Backend Test",
            ("support@evalgator.com", "SurveySparrow"),
            "You are invited to attend the assessment on Evalgator.",
        ),
        ("UST-Technical Assessment", ("noreply@wecreateproblems.com", "ust"), "Please use this link to give the test"),
    ],
)
def test_an_employers_test_through_an_assessment_platform_is_a_step_of_the_application(summary, organizer, description):
    result = invited(summary, organizer, [("v.rao@gmail.com",)], description, ("v.rao@gmail.com",))
    assert result.is_interview, result.signals


@pytest.mark.parametrize(
    "summary, organizer, description",
    [
        ("Coding Ninjas Scholarship Test - Technical", ("noreply@codingninjas.com", "Coding Ninjas"), ""),
        ("Acme Bootcamp - Backend Test", ("support@evalgator.com", "Acme"), "Module 3 of the course"),
        ("Technical Test", ("support@evalgator.com", "Acme"), "You are invited to attend the assessment"),
        ("Stevens Technical Exam", ("exams@stevens.edu", "Stevens"), ""),
    ],
)
def test_a_school_or_scholarship_test_or_one_whose_sender_is_unnamed_is_not(summary, organizer, description):
    result = invited(summary, organizer, [("v.rao@gmail.com",)], description, ("v.rao@gmail.com",))
    assert not result.is_interview, result.signals


def test_an_invitation_without_a_stem_is_never_an_interview_so_the_prefilter_may_drop_it():
    result = invited(
        "Java | Youssef", ("marta@blazity.com",), [("youssef1907@gmail.com",)], owner=("youssef1907@gmail.com",)
    )
    assert not result.is_interview and not build_detector().could_be_interview("SUMMARY:Java | Youssef")


OWNER = "alex.morgan@example.com"


def _owned(description="", attendees=(), sent_by=None, summary="Interview: Maria Garcia - Data Analyst"):
    return _sent(summary, Person(OWNER, "Alex Morgan", sent_by), (Attendee(a) for a in attendees), description)


def test_an_interview_the_owner_organizes_for_others_is_one_they_conduct():
    detector = build_detector()
    conducted = detector.assess(_owned(attendees=("maria.garcia@gmail.com",)), ("Alex Morgan", OWNER), (OWNER,))
    assert not conducted.is_interview
    assert conducted.signals[-1] == "not yours: you interview a candidate (you organize it and invite 1 other)"
    # the profile's address, whatever its case; a source's own mark of the owner counts as well
    upper = _owned(attendees=("maria.garcia@gmail.com", "Alex.Morgan@Example.com"))
    assert not detector.assess(upper, (), ("ALEX.MORGAN@example.com ",)).is_interview


def test_the_owner_organizing_keeps_what_speaks_to_them_as_the_candidate():
    detector = build_detector()
    guests = ("recruiter@fabrikam.example",)
    # an invitation copied into one's own calendar: it speaks to the owner as the candidate
    copied = _owned("Thank you for your application. Your interview with Fabrikam is scheduled.", guests)
    assert detector.assess(copied, ("Alex Morgan", OWNER), (OWNER,)).is_interview
    # a note of one's own interview invites no one
    assert detector.assess(_owned(summary="Interview with Fabrikam"), (), (OWNER,)).is_interview
    # sent for the owner by someone else
    relayed = _owned(attendees=guests, sent_by="coordinator@fabrikam.example")
    assert detector.assess(relayed, (), (OWNER,)).is_interview
    # without the owner's address, nothing says who organizes it
    assert detector.assess(_owned(attendees=guests), (), ()).is_interview
    # someone else's event the owner is invited to is judged as before
    other = _owned(attendees=(OWNER,))
    assert detector.assess(other, (), ("someone@else.example",)).is_interview
    # only what would be an interview gets the reason: the owner's lunch says nothing of candidates
    lunch = detector.assess(_owned(summary="Lunch", attendees=guests), (), (OWNER,))
    assert lunch.signals == ()


def _read_one(ics: str, everything: bool = False) -> Event:
    """The one event of an iCalendar text, read as a scan reads a file (the interview prefilter too, unless
    `everything`)."""
    from zoneinfo import ZoneInfo

    from callfirst.ical.prefilter import Selector
    from callfirst.ical.read import read_calendar_data
    from callfirst.model import Window

    detector = build_detector()
    selector = Selector(
        window=Window(START - timedelta(days=30), START + timedelta(days=30)),
        could_be_interview=detector.could_be_interview,
        stems=detector.stems,
        keep_all_in_window=everything,
    )
    (event,) = read_calendar_data(ics.encode(), "call.ics", selector, ZoneInfo("UTC")).events
    return event


RECRUITER_CALL = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Careers//EN
BEGIN:VEVENT
UID:call-1@example.org
DTSTAMP:20261101T000000Z
DTSTART:20261202T150000Z
DTEND:20261202T153000Z
ORGANIZER:mailto:j.doe@acme.example
ATTENDEE;CN=Sam Lee:mailto:sam.lee@gmail.com
SUMMARY:Call with Jane Doe
URL:{url}
DESCRIPTION:Hi Sam\\, I look forward to chatting with you. I'll call you then.
END:VEVENT
END:VCALENDAR
"""


def test_a_call_on_an_employers_careers_site_with_a_recruiters_link_is_an_interview():
    url = "https://www.acmecareers.example/profile/call/?consideration_id=12&recruiter_nonce=ab"
    event = _read_one(RECRUITER_CALL.format(url=url))
    assert event.url == url
    result = build_detector().assess(event, ("sam.lee@gmail.com",))
    assert result.is_interview, result.signals


@pytest.mark.parametrize(
    "url", ["https://www.acme.example/events/call/42", "https://shop.acme.example/profile/?recruiter=no"]
)
def test_a_call_whose_link_is_no_careers_page_or_names_no_recruiter_is_not(url):
    event = _read_one(RECRUITER_CALL.format(url=url), everything=True)
    assert not build_detector().assess(event, ("sam.lee@gmail.com",)).is_interview


def test_a_walk_in_for_a_job_from_a_job_board_is_an_interview_a_walk_in_clinic_is_not():
    detector = build_detector()
    drive = make_event("Walk-in for Sales Associate in Pune", organizer="noreply@naukri.com")
    assert detector.assess(drive).is_interview, detector.assess(drive).signals
    assert detector.could_be_interview("SUMMARY:Walk-in for Sales Associate in Pune\nORGANIZER:noreply@naukri.com")
    assert not detector.assess(make_event("Walk-in vaccination clinic", organizer="clinic@health.example")).is_interview
    assert not detector.assess(make_event("Walk-in hours", organizer="noreply@naukri.com")).is_interview


def test_an_intern_position_named_in_another_language_by_an_employer_inviting_you_alone_is_an_interview():
    result = invited(
        "[ACME] Thực tập sinh NodeJS, ReactJS",
        ("hr@acme.vn",),
        [("minh.tran@gmail.com",), ("hr@acme.vn",)],
        owner=("minh.tran@gmail.com",),
    )
    assert result.is_interview, result.signals
    assert not build_detector().assess(make_event("Thực tập sinh NodeJS, ReactJS")).is_interview


def test_an_interview_word_naming_the_one_invited_by_a_person_is_an_interview():
    attendees = [("karim.b@gmail.com", "Karim B"), ("l.haddad@gmail.com",)]
    result = invited("[Noodra] Entretien Lina Haddad", ("karim.b@gmail.com",), attendees, owner=("l.haddad@gmail.com",))
    assert result.is_interview, result.signals
    # no interview word, several people invited, or someone else named: no
    assert not invited("[Noodra] Dîner Lina Haddad", ("karim.b@gmail.com",), attendees).is_interview
    crowd = [*attendees, ("sara.k@gmail.com",)]
    assert not invited("Entretien Lina Haddad", ("karim.b@gmail.com",), crowd).is_interview
    assert not invited("Entretien Paul Martin", ("karim.b@gmail.com",), attendees).is_interview


def test_a_first_level_discussion_counts_only_when_an_employer_invites_you_alone():
    alone = invited(
        "L1 Discussion-Globex project",
        ("meera@staffing.example",),
        [("arjun.kp@gmail.com",)],
        "Hi Arjun, please accept.",
    )
    assert alone.is_interview, alone.signals
    team = [("arjun.kp@gmail.com",), ("ops@globex.example",), ("li@initech.example",)]
    assert not invited("L1 Discussion-Globex project", ("meera@staffing.example",), team).is_interview
    assert not build_detector().assess(make_event("L2 discussion on ticket 4411")).is_interview


@pytest.mark.parametrize(
    "description",
    [
        "Event Name: EndGame-9: INTERVIEW\n\nস্লট বুক করার সময় অবশ্যই নিজের নাম, স্টুডেন্ট ইমেইল এড্রেস প্রদান করবেন।",
        "Event Name: Final Interview\n\nJoin with your student email. Booking two slots gives zero marks.",
    ],
)
def test_a_courses_graded_interview_is_not_yours_in_english_or_in_loanwords(description):
    event = Event(
        uid="x",
        summary="Tanvir Ahmed and Sumon Das",
        description=description + "\nPowered by Calendly.com",
        start=START,
        end=START + timedelta(minutes=15),
        timezone="UTC",
        organizer=Person("sumon@course.example"),
        attendees=(Attendee("tanvir@gmail.com"),),
    )
    result = build_detector().assess(event, ("tanvir@gmail.com",))
    assert not result.is_interview and any("graded course work" in s for s in result.signals), result.signals
