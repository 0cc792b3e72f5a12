"""IMAP drafts against a real Dovecot on 127.0.0.1 (TLS with the test's own CA), and servers that misbehave."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callfirst.config import ImapSettings
from callfirst.errors import ImapAuthError, ImapError
from callfirst.integrations import imap
from callfirst.integrations.home import Places
from callfirst.integrations.state import InterviewFacts, InterviewKey, open_store

from .dovecot_server import dovecot_binary, start_dovecot
from .raw_servers import ImapProxy, closed_port, listening

USERS = {"alex": ["Drafts", "Sent"], "gmx": ["Entwürfe"], "plain": ["Draft"], "bare": []}
CHICAGO = ZoneInfo("America/Chicago")
KEY = InterviewKey("uid-1@example.com", "priya@northwind.example", "/tmp/invite.ics")
FACTS = InterviewFacts(
    "Interview: Alex Morgan",
    "Priya Raman",
    datetime(2026, 12, 2, 9, tzinfo=CHICAGO),
    datetime(2026, 12, 2, 10, tzinfo=CHICAGO),
    "America/New_York",
)


@pytest.fixture(scope="module")
def dovecot(tmp_path_factory):
    if dovecot_binary() is None:
        pytest.skip("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    server = start_dovecot(tmp_path_factory.mktemp("imap"), USERS)
    yield server
    server.stop()


@pytest.fixture
def mailboxes(dovecot):
    """Every user's folders emptied before the test."""
    for user, folders in USERS.items():
        client = dovecot.connect(user)
        try:
            for folder in folders:
                client.select_folder(folder)
                uids = client.search("ALL")
                if uids:
                    client.delete_messages(uids)
                    client.expunge()
        finally:
            client.logout()
    return dovecot


def settings(server, user="alex", **changes) -> ImapSettings:
    values = dict(
        host="127.0.0.1", port=server.tls_port, username=user, security="tls", cafile=str(server.certificates.ca)
    )
    values.update(changes)
    return ImapSettings(**values)


def message(body: str = "Hello Priya,\n\nI need to move our interview.\n", **headers) -> email.message.EmailMessage:
    from callfirst.drafts.message import build_message
    from callfirst.model import Person

    built = build_message(
        sender=Person("alex.morgan@example.com", "Alex Morgan"),
        to=Person("priya@northwind.example", "Priya Raman"),
        subject="Rescheduling our interview",
        body=body,
        date=datetime(2026, 12, 1, 8, 30, tzinfo=CHICAGO),
        **headers,
    )
    return built


def save(server, tmp_path: Path, user="alex", body="First version\n", new=False, **changes):
    box = imap.mailbox_from(settings(server, user, **changes))
    with open_store(Places(home=tmp_path / "home")) as store:
        return imap.save_draft(box, server.users[user], store, message(body), KEY, FACTS, new=new)


def parsed(raw: bytes) -> email.message.EmailMessage:
    """The message as stored, read with the line ends Python's parser expects."""
    return email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)


def test_a_draft_is_appended_to_the_folder_marked_drafts_then_replaced_not_duplicated(mailboxes, tmp_path):
    first = save(mailboxes, tmp_path, body="First version\n")
    assert first.folder == "Drafts" and not first.updated and first.uid
    [raw] = mailboxes.drafts_in("alex", "Drafts")
    assert parsed(raw).get_body().get_content() == "First version\n"
    assert parsed(raw)["X-Unsent"] is None, "a draft in a mailbox is not an .eml to open"
    assert mailboxes.flags_in("alex", "Drafts") == [(b"\\Draft", b"\\Seen")]

    second = save(mailboxes, tmp_path, body="Second version\n")
    assert second.updated and second.message_id == first.message_id and second.uid != first.uid
    [raw] = mailboxes.drafts_in("alex", "Drafts")
    assert parsed(raw).get_body().get_content() == "Second version\n"
    assert parsed(raw)["Message-ID"] == first.message_id
    assert mailboxes.drafts_in("alex", "Sent") == [], "no other folder is touched"


def test_new_makes_a_second_draft_and_other_messages_are_never_touched(mailboxes, tmp_path):
    client = mailboxes.connect("alex")
    try:
        client.append("Drafts", bytes(message("The user's own draft\n")), flags=(b"\\Draft", b"\\Deleted"))
    finally:
        client.logout()
    save(mailboxes, tmp_path)
    save(mailboxes, tmp_path, new=True)
    save(mailboxes, tmp_path, body="Third\n")
    bodies = sorted(parsed(raw).get_body().get_content() for raw in mailboxes.drafts_in("alex", "Drafts"))
    assert bodies == ["First version\n", "The user's own draft\n", "Third\n"], "a draft marked deleted stays"


def test_a_drafts_folder_with_a_non_ascii_name_is_found_by_its_special_use(mailboxes, tmp_path):
    saved = save(mailboxes, tmp_path, user="gmx")
    assert saved.folder == "Entwürfe"
    assert len(mailboxes.drafts_in("gmx", "Entwürfe")) == 1
    save(mailboxes, tmp_path, user="gmx", body="Again\n")
    [raw] = mailboxes.drafts_in("gmx", "Entwürfe")
    assert parsed(raw).get_body().get_content() == "Again\n"


def test_without_special_use_a_usual_name_is_used(mailboxes, tmp_path):
    assert save(mailboxes, tmp_path, user="plain").folder == "Draft"


def test_no_drafts_folder_is_one_line(mailboxes, tmp_path):
    with pytest.raises(ImapError) as caught:
        save(mailboxes, tmp_path, user="bare")
    assert "bare@127.0.0.1 has no Drafts folder" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_starttls_on_the_plain_port(mailboxes, tmp_path):
    saved = save(mailboxes, tmp_path, port=mailboxes.plain_port, security="starttls")
    assert saved.folder == "Drafts" and len(mailboxes.drafts_in("alex", "Drafts")) == 1


def test_threading_headers_are_kept(mailboxes, tmp_path):
    box = imap.mailbox_from(settings(mailboxes))
    threaded = message(in_reply_to="<invite@northwind.example>", references="<a@x> <invite@northwind.example>")
    with open_store(Places(home=tmp_path / "home")) as store:
        imap.save_draft(box, "pw-alex", store, threaded, KEY, FACTS)
    [raw] = mailboxes.drafts_in("alex", "Drafts")
    assert parsed(raw)["In-Reply-To"] == "<invite@northwind.example>"
    assert parsed(raw)["References"] == "<a@x> <invite@northwind.example>"
    assert b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b""), "CRLF line ends"


def test_a_wrong_password_is_one_line(mailboxes, tmp_path):
    box = imap.mailbox_from(settings(mailboxes))
    with open_store(Places(home=tmp_path / "home")) as store, pytest.raises(ImapAuthError) as caught:
        imap.save_draft(box, "wrong", store, message(), KEY, FACTS)
    text = str(caught.value)
    assert "refused the login for alex" in text and "app password" in text and "\n" not in text


def test_a_certificate_from_another_authority_is_refused(mailboxes, tmp_path):
    with pytest.raises(ImapError) as caught:
        save(mailboxes, tmp_path, cafile=str(mailboxes.certificates.other_ca))
    assert "could not be verified" in str(caught.value)
    assert mailboxes.drafts_in("alex", "Drafts") == [], "nothing was sent to an unverified server"


def test_the_system_certificates_do_not_trust_the_test_server(mailboxes, tmp_path):
    with pytest.raises(ImapError, match="could not be verified"):
        save(mailboxes, tmp_path, cafile="")


def test_a_server_that_is_down():
    box = imap.mailbox_from(ImapSettings(host="127.0.0.1", port=closed_port(), username="alex"))
    with pytest.raises(ImapError) as caught:
        imap.check_login(box, "pw")
    assert "cannot reach the IMAP server 127.0.0.1:" in str(caught.value)


def test_a_server_that_never_answers_times_out(monkeypatch):
    monkeypatch.setattr(imap, "TIMEOUT", 0.5)
    with listening(None) as port:
        box = imap.mailbox_from(ImapSettings(host="127.0.0.1", port=port, username="alex", security="none"))
        with pytest.raises(ImapError) as caught:
            imap.check_login(box, "pw")
    assert "did not answer in time" in str(caught.value)


@pytest.mark.parametrize(
    "security, garbage",
    [("none", b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"), ("tls", b"\x16\x03\x01garbage\x00\xff" * 4)],
)
def test_a_server_that_sends_garbage_is_one_line(security, garbage):
    with listening(garbage) as port:
        box = imap.mailbox_from(ImapSettings(host="127.0.0.1", port=port, username="alex", security=security))
        with pytest.raises(ImapError) as caught:
            imap.check_login(box, "pw")
    text = str(caught.value)
    assert f"127.0.0.1:{port}" in text and "\n" not in text and "\r" not in text


@pytest.mark.usefixtures("sleeps")
def test_a_lost_append_answer_does_not_duplicate_the_draft(mailboxes, tmp_path):
    proxy = ImapProxy(mailboxes.plain_port)
    try:
        proxy.lose_append_answers = 1
        first = save(mailboxes, tmp_path, port=proxy.port, security="none")
        assert proxy.lose_append_answers == 0, "the answer was lost"
        assert proxy.appends_seen == 1, "the APPEND was not sent again"
        assert len(mailboxes.drafts_in("alex", "Drafts")) == 1 and first.uid
        proxy.lose_append_answers = 1
        second = save(mailboxes, tmp_path, port=proxy.port, security="none", body="Second\n")
        assert second.updated and proxy.appends_seen == 2
        [raw] = mailboxes.drafts_in("alex", "Drafts")
        assert parsed(raw).get_body().get_content() == "Second\n"
    finally:
        proxy.close()


def test_check_login_names_the_drafts_folder(mailboxes):
    box = imap.mailbox_from(settings(mailboxes, user="gmx"))
    assert imap.check_login(box, "pw-gmx") == "Entwürfe"


def test_no_mailbox_configured_says_what_to_set():
    with pytest.raises(ImapError, match=r"set host and username under \[imap\]"):
        imap.mailbox_from(ImapSettings())


def test_an_append_that_never_arrived_is_an_error_and_the_next_run_makes_one_draft(mailboxes, tmp_path, sleeps):
    proxy = ImapProxy(mailboxes.plain_port)
    try:
        proxy.lose_appends = 1
        with pytest.raises(ImapError) as caught:
            save(mailboxes, tmp_path, port=proxy.port, security="none")
        assert "Run the same command again" in str(caught.value) and "\n" not in str(caught.value)
        assert sleeps == [1, 2, 4], "it looked for the draft a while before giving up"
        assert proxy.appends_seen == 1 and mailboxes.drafts_in("alex", "Drafts") == []
        saved = save(mailboxes, tmp_path, port=proxy.port, security="none")
        assert not saved.updated and len(mailboxes.drafts_in("alex", "Drafts")) == 1
    finally:
        proxy.close()


# --- the command line ------------------------------------------------------------------------------

NOW = "2026-12-01T08:30:00-06:00"


@pytest.fixture
def keyring_memory():
    import keyring

    from .memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


def imap_env(home, server, **changes):
    from .helpers import make_env

    values = dict(port=server.tls_port, security="tls", cafile=str(server.certificates.ca), username="alex")
    values.update(changes)
    with open(home / "config.toml", "a") as config:
        config.write(
            f'\n[imap]\nhost = "127.0.0.1"\nport = {values["port"]}\nusername = "{values["username"]}"\n'
            f'security = "{values["security"]}"\ncafile = "{values["cafile"]}"\n'
        )
    return make_env(home)


def test_auth_imap_logs_in_and_keeps_the_password_in_the_keyring(mailboxes, home, keyring_memory):
    from .helpers import run

    env = imap_env(home, mailboxes)
    code, out, err = run(env, "auth", "imap", stdin="pw-alex\n")
    assert code == 0, err
    assert "Logged in to 127.0.0.1 as alex; drafts go to Drafts." in out
    assert keyring_memory.entries == {("callfirst", "imap:alex@127.0.0.1"): "pw-alex"}
    assert "pw-alex" not in out + err and "pw-alex" not in (home / "config.toml").read_text()
    code, out, _ = run(env, "auth", "status", "imap")
    assert code == 0 and "password: in the system keyring" in out and "pw-alex" not in out
    code, out, _ = run(env, "auth", "revoke", "imap")
    assert code == 0 and "Removed the IMAP password for alex at 127.0.0.1" in out and not keyring_memory.entries


def test_auth_imap_with_a_wrong_password_keeps_nothing(mailboxes, home, keyring_memory):
    from .helpers import run

    code, _, err = run(imap_env(home, mailboxes), "auth", "imap", stdin="wrong\n")
    assert code == 1 and "refused the login for alex" in err and "Traceback" not in err
    assert keyring_memory.entries == {}


def test_auth_imap_without_a_keyring_says_to_use_the_variable(mailboxes, home, keyring_memory):
    from .helpers import run

    keyring_memory.refuse = True
    code, _, err = run(imap_env(home, mailboxes), "auth", "imap", stdin="pw-alex\n")
    [message] = [line for line in err.splitlines() if line.startswith("callfirst:")]
    assert code == 1 and "set CALLFIRST_IMAP_PASSWORD in the environment instead" in message


def test_draft_imap_replies_in_the_invitations_thread_and_replaces_its_draft(mailboxes, home, data, keyring_memory):
    from .helpers import run

    keyring_memory.entries[("callfirst", "imap:alex@127.0.0.1")] = "pw-alex"
    env = imap_env(home, mailboxes)
    invite = data / "google_invitation_multipart_with_attachment.eml"
    args = ("draft", invite, "--now", NOW, "--called", "reached", "--imap")
    code, out, err = run(env, *args, "--propose", "2026-12-07T14:00")
    assert code == 0, err
    assert "IMAP draft created in Drafts of alex@127.0.0.1 (nothing was sent)" in out
    [raw] = mailboxes.drafts_in("alex", "Drafts")
    message = parsed(raw)
    assert message["In-Reply-To"] == "<0000000000001a2b3c4d5e6f@google.com>"
    assert message["References"] == "<0000000000001a2b3c4d5e6f@google.com>"
    assert message["Subject"].startswith("Re: Invitation: Interview: Alex Morgan for Senior Data Analyst")
    assert message["To"].addresses[0].addr_spec == "priya.raman@northwind-analytics.com"
    assert "December 7" in message.get_body().get_content()
    code, out, err = run(env, *args, "--propose", "2026-12-08T10:00")
    assert code == 0 and "IMAP draft updated" in out, err
    [raw] = mailboxes.drafts_in("alex", "Drafts")
    assert "December 8" in parsed(raw).get_body().get_content()
    code, out, _ = run(env, "status", invite, "--now", NOW)
    assert code == 0 and "imap://alex@127.0.0.1/Drafts" in out


def test_draft_imap_with_the_password_in_the_environment(mailboxes, home, data, monkeypatch, keyring_memory):
    from .helpers import run

    monkeypatch.setenv("CALLFIRST_IMAP_PASSWORD", "pw-gmx")
    env = imap_env(home, mailboxes, username="gmx", port=mailboxes.plain_port, security="starttls")
    code, out, err = run(
        env,
        "draft",
        data / "google_invitation_multipart_with_attachment.eml",
        "--now",
        NOW,
        "--called",
        "reached",
        "--imap",
    )
    assert code == 0, err
    assert "in Entwürfe of gmx@127.0.0.1" in out and len(mailboxes.drafts_in("gmx", "Entwürfe")) == 1
    assert keyring_memory.entries == {}, "the variable's password is never stored"


@pytest.mark.usefixtures("keyring_memory")
def test_draft_imap_without_a_password_says_what_to_run(mailboxes, home, data, monkeypatch):
    from .helpers import run

    monkeypatch.delenv("CALLFIRST_IMAP_PASSWORD", raising=False)
    code, _, err = run(
        imap_env(home, mailboxes),
        "draft",
        data / "google_invitation_multipart_with_attachment.eml",
        "--now",
        NOW,
        "--called",
        "reached",
        "--imap",
    )
    assert code == 1 and "run `callfirst auth imap`, or set CALLFIRST_IMAP_PASSWORD" in err
    assert mailboxes.drafts_in("alex", "Drafts") == []


def test_plain_imap_to_another_computer_is_a_config_error_naming_key_and_line(home, data):
    from .helpers import make_env, run

    with open(home / "config.toml", "a") as config:
        config.write('\n[imap]\nhost = "imap.example.com"\nusername = "alex"\nsecurity = "none"\n')
    code, _, err = run(
        make_env(home), "draft", data / "google_invitation_multipart_with_attachment.eml", "--now", NOW, "--imap"
    )
    line = (home / "config.toml").read_text().splitlines().index('security = "none"') + 1
    assert code == 1 and f"config.toml:{line}: imap.security" in err and "localhost" in err


def test_a_draft_sent_or_deleted_in_the_mail_program_is_made_again_with_a_new_message_id(mailboxes, tmp_path):
    first = save(mailboxes, tmp_path)
    client = mailboxes.connect("alex")
    try:
        client.select_folder("Drafts")
        client.delete_messages(client.search("ALL"))
        client.expunge()
    finally:
        client.logout()
    second = save(mailboxes, tmp_path, body="Again\n")
    assert not second.updated and second.message_id != first.message_id, "a sent mail's Message-ID is not reused"
    [raw] = mailboxes.drafts_in("alex", "Drafts")
    assert parsed(raw)["Message-ID"] == second.message_id


def test_a_call_log_of_the_first_schema_gains_the_mailbox_drafts_and_keeps_what_it_had(tmp_path):
    import sqlite3

    from callfirst.integrations.state import MIGRATIONS, SCHEMA_VERSION

    home = tmp_path / "home"
    home.mkdir()
    with sqlite3.connect(home / "state.sqlite3") as db:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute(
            "INSERT INTO interviews (uid, organizer, source, occurrence, start, end_, touched) "
            "VALUES ('u', 'o@x.example', 's', '', '2026-12-02T15:00:00+00:00', '2026-12-02T16:00:00+00:00', 'now')"
        )
        db.execute("INSERT INTO attempts (interview, at, outcome) VALUES (1, '2026-12-01T15:00:00+00:00', 'voicemail')")
        db.execute("PRAGMA user_version = 1")
    with open_store(Places(home=home)) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION > 1
        assert store.mailbox_draft(1, imap.KIND) is None
        assert store.db.execute("SELECT outcome FROM attempts").fetchall() == [("voicemail",)]
