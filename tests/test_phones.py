from __future__ import annotations

from datetime import UTC, datetime

from callfirst.model import Event
from callfirst.phones import find_phones, region_for

T = datetime(2026, 12, 2, 15, tzinfo=UTC)


def phones(description="", location="", region="US", context=""):
    event = Event(
        uid="x",
        summary="Interview",
        start=T,
        end=T,
        timezone="UTC",
        description=description,
        location=location,
        context_text=context,
    )
    return [p.e164 for p in find_phones(event, region)]


def test_national_numbers_use_the_profile_region():
    assert phones("Call Priya at (646) 555-0198") == ["+16465550198"]
    assert phones("Ruf an: 089 1234 5678", region="DE") == ["+498912345678"]
    assert phones("Call Priya at (646) 555-0198", region=None) == []


def test_international_numbers_need_no_region():
    assert phones(location="Tel. +49 89 1234 5678", region=None) == ["+498912345678"]


def test_conference_bridges_are_skipped():
    google = "Join with Google Meet\\nJoin by phone (US) +1 402-555-0111 PIN: 123456789#"
    zoom = (
        "One tap mobile\n+16465588656,,84512345678# US (New York)\n\nDial by your location\n"
        "        +1 646 558 8656 US (New York)\n        +1 669 900 9128 US (San Jose)\nMeeting ID: 845 1234 5678\n\n"
        "Recruiter: +1 415 555 0132"
    )
    assert phones(google.replace("\\n", "\n")) == []
    assert phones(zoom) == ["+14155550132"]


def test_signature_in_the_invitation_email_counts():
    assert phones(context="Best,\nPriya\nDirect: (646) 555-0198") == ["+16465550198"]


def test_region_from_profile():
    assert region_for("de", "") == "DE"
    assert region_for("", "+44 20 7946 0958") == "GB"
    assert region_for("", "") is None


def test_digits_in_a_link_an_address_or_an_identifier_are_never_a_phone():
    assert phones(location="https://us05web.zoom.us/j/9593164570") == []
    assert phones("Organizer: scheduler+3317476@mg.talview.com") == []
    assert phones("Event 9b2c1f3e-5491-4995-b1b4-28c466ad9910 booked") == []
    assert phones("Verification Code 5590062741") == []
    assert phones("Link: https://zoom.us/j/9593164570\nRecruiter: +1 415 555 0132") == ["+14155550132"]


def test_a_booking_pages_answers_are_the_candidates_own_number():
    calendly = (
        "Event Name: Interview\n\nMobile Number: +91 81139 40275\n\nPhone number: +27 79 700 4418\n\n"
        "Need to make changes to this event?\nCancel: https://calendly.com/cancellations/x\nPowered by Calendly.com"
    )
    assert phones(calendly, region="IN") == []
    # the same line in a recruiter's own email is the recruiter's number
    assert phones("Regards,\nPriya\nMobile Number: +91 81139 40275", region="IN") == ["+918113940275"]


def test_a_number_in_the_location_is_yours_when_they_say_they_will_call_you():
    spanish = "me contactaré contigo a tu número de teléfono en el horario asignado"
    assert phones(spanish, location="+57 311 2519372", region="CO") == []
    assert phones("Powered by Calendly.com", location="+1 510-501-7248") == []


def test_national_numbers_are_read_in_the_country_the_invitation_points_to():
    # a Vietnamese mobile is not an Australian number, whatever the profile says
    assert phones("Contact: Vy (Phone: 0353908415)", region="VN") == ["+84353908415"]
    assert phones("liên hệ số 0986 394 812 (Mrs. Lan)", region="VN") == ["+84986394812"]


def test_a_phone_call_titled_with_an_invitees_name_holds_the_invitees_number():
    """The interviewer's copy of a call to the candidate ('Intern - Daniel Cho - Phone screen', 'Phone: ...'):
    when the owner is not among the attendees (a forwarded copy, another address), the invitee the title names
    may be the owner, and the number is theirs, not one to dial."""
    from callfirst.model import Attendee, Person

    event = Event(
        uid="x",
        summary="Intern (Digital Solutions) - Daniel Cho - Phone screen",
        start=T,
        end=T,
        timezone="UTC",
        description="Phone:469-343-5820",
        location="Phonecall",
        organizer=Person("tomasz@example.com"),
        attendees=(Attendee("dcho@example.org", "Daniel Cho"),),
    )
    assert [p.e164 for p in find_phones(event, "US")] == ["+14693435820"]
    assert find_phones(event, "US", invitee_names=["Daniel Cho"]) == ()
    other_title = Event(**{**event.__dict__, "summary": "Intern (Digital Solutions) - Phone screen"})
    assert [p.e164 for p in find_phones(other_title, "US", invitee_names=["Daniel Cho"])] == ["+14693435820"]


def test_the_invitees_count_only_when_the_owner_is_not_among_them():
    from callfirst.config import Profile
    from callfirst.model import Attendee, Overrides, Person
    from callfirst.triage import facts_for

    event = Event(
        uid="x",
        summary="Intern - Daniel Cho - Phone screen",
        start=T,
        end=T,
        timezone="America/Chicago",
        description="Phone: 469-343-5820",
        location="Phonecall",
        organizer=Person("tomasz@example.com"),
        attendees=(Attendee("dcho@example.org", "Daniel Cho"), Attendee("sam@example.org", "Sam Lee")),
    )
    forwarded = facts_for(
        event, Profile(name="Sam Candidate", email="sam.c@example.net", region="US"), Overrides(), None
    )
    assert forwarded.phones == ()
    # the owner is Sam, an attendee: Daniel, named in the title, is someone else, and the number may be his
    sams = facts_for(event, Profile(name="Sam Lee", email="sam@example.org", region="US"), Overrides(), None)
    assert [p.e164 for p in sams.phones] == ["+14693435820"]


def test_the_candidates_details_block_is_theirs_and_a_fax_is_never_dialled():
    text = (
        "Hi Dylan,\n\nYour technical round has been scheduled.\n\nFull name: Dylan Morris\nPhone no. 856 412-7730\n"
        "Current Location: Cherry Hill, NJ\n\nKind Regards\nRosa\nFax : +1 (215) 501-5529\nDirect : +1215-804-6218\n"
        "Office : +1 (215) 874-3883 | Fax: +1 (215) 501-5530\n"
    )
    event = Event(uid="x", summary="Technical Round", start=T, end=T, timezone="UTC", description=text)
    found = find_phones(event, "US", owner_names=["dylan.morris@gmail.com"])
    assert [p.e164 for p in found] == ["+12158046218", "+12158743883"]


def test_a_number_in_a_title_that_names_the_candidate_is_the_candidates():
    """'Interview Invite - Arjun Prakash || 9745218603 || Technical Round 02', sent to arjunkp2011@gmail.com: the
    title's number sits beside the candidate's name (spelled by the address), so it is not one to dial."""
    from callfirst.config import Profile
    from callfirst.model import Attendee, Overrides, Person
    from callfirst.triage import facts_for

    event = Event(
        uid="x",
        summary="Interview Invite - Arjun Prakash || 9745218603 || Technical Round 02",
        start=T,
        end=T,
        timezone="Asia/Kolkata",
        description="Please join on time.\nHR desk: +91 80 4567 8900",
        organizer=Person("karthik@zinemind.example", "Karthik Raman"),
        attendees=(Attendee("arjunkp2011@gmail.com"), Attendee("vivek@zinemind.example", "Vivek Menon")),
    )
    owner = Profile(name="", email="arjunkp2011@gmail.com", region="IN")
    assert [p.e164 for p in facts_for(event, owner, Overrides(), None).phones] == ["+918045678900"]
    untitled = Event(**{**event.__dict__, "summary": "Interview Invite || 9745218603 || Technical Round 02"})
    assert "+919745218603" in [p.e164 for p in facts_for(untitled, owner, Overrides(), None).phones]


def test_a_block_of_the_candidates_details_is_theirs_whatever_your_profile_calls_you():
    """'Full name: Dylan Morris / Phone no. …' repeats the candidate's details, even when the profile's name is
    written otherwise (or is another address's owner): only the recruiter's lines are numbers to dial."""
    text = (
        "Hi,\n\nYour technical round has been scheduled.\n\nFull name: Dylan Morris\nPhone no. 856 412-7730\n"
        "Current Location: Cherry Hill, NJ\n\nKind Regards\nRosa\nDirect : +1215-804-6218\n"
    )
    event = Event(uid="x", summary="Technical Round", start=T, end=T, timezone="UTC", description=text)
    assert [p.e164 for p in find_phones(event, "US", owner_names=["Alex Morgan"])] == ["+12158046218"]
