"""User templates run in jinja2's sandbox, only from the templates folder; every fault is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import run

NOW = "2026-12-01T08:30:00-06:00"
TEMPLATE = "email_reschedule.txt.j2"


def draft(env, data: Path):
    invite = data / "google_invitation_multipart_with_attachment.eml"
    return run(env, "draft", invite, "--now", NOW, "--called", "reached")


def user_template(home: Path, text: str | bytes, name: str = TEMPLATE) -> Path:
    folder = home / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def assert_one_line_error(code: int, out: str, err: str) -> None:
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("callfirst: error: ")
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize(
    "escape",
    [
        "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
        "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ greeting_name.__class__.__base__.__subclasses__() }}",
        "{% set x = proposals.append('more') %}{{ proposals }}",
    ],
)
def test_a_template_cannot_reach_python_or_change_values(home, data, env, tmp_path, monkeypatch, escape):
    monkeypatch.chdir(tmp_path)
    user_template(home, f"Hello {{{{ greeting_name }}}}.\n{escape}\n")
    code, out, err = draft(env, data)
    assert_one_line_error(code, out, err)
    assert "template problem: access to attribute" in err and "is unsafe" in err
    assert not (tmp_path / "PWNED").exists()


def test_the_sandbox_still_renders_ordinary_templates(home, data, env):
    user_template(home, "Hi {{ greeting_name | upper }}, {{ proposals | length }} times, {{ range(3) | list }}.\n")
    code, out, err = draft(env, data)
    assert code == 0, err
    assert out.endswith("Hi PRIYA, 3 times, [0, 1, 2].\n")


def test_a_symlink_out_of_the_templates_folder_is_refused(home, data, env, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the user's private notes")
    folder = home / "templates"
    folder.mkdir()
    (folder / TEMPLATE).symlink_to(secret)
    code, out, err = draft(env, data)
    assert_one_line_error(code, out, err)
    assert f"{folder / TEMPLATE}: links out of the templates folder" in err
    assert "private notes" not in out + err


def test_a_symlink_within_the_templates_folder_is_followed(home, data, env):
    real = user_template(home, "Hi {{ greeting_name }}, shared body.\n", name="shared.j2")
    (real.parent / TEMPLATE).symlink_to(real)
    code, out, err = draft(env, data)
    assert code == 0, err
    assert out.endswith("Hi Priya, shared body.\n")


def test_an_include_of_a_file_outside_is_not_found(home, data, env, tmp_path):
    (tmp_path / "outside.j2").write_text("outside")
    user_template(home, "{% include '../outside.j2' %}\n")
    code, out, err = draft(env, data)
    assert_one_line_error(code, out, err)
    assert "template problem" in err and "outside" not in out


def test_a_template_that_is_not_utf8_is_named(home, data, env):
    path = user_template(home, "Gr\xfc\xdfe {{ greeting_name }}\n".encode("latin-1"))
    code, out, err = draft(env, data)
    assert_one_line_error(code, out, err)
    assert f"{path}: is not UTF-8 text" in err


def test_a_template_that_extends_itself_is_one_line(home, data, env):
    user_template(home, "{% extends 'email_reschedule.txt.j2' %}\n")
    code, out, err = draft(env, data)
    assert_one_line_error(code, out, err)
    assert "extends or includes itself" in err
