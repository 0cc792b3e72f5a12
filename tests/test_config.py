from __future__ import annotations

import pytest

from callfirst.config import parse_config
from callfirst.errors import ConfigError
from callfirst.integrations.home import load_config

from .helpers import run


def test_example_config_parses_cleanly():
    from pathlib import Path

    config = parse_config((Path(__file__).parents[1] / "config" / "callfirst.example.toml").read_text())
    assert config.warnings == ()
    assert config.profile.timezone


def test_bad_value_names_key_and_line():
    with pytest.raises(ConfigError) as caught:
        parse_config('[profile]\nname = "A"\n\n[notice]\nworkday_start = "nine"\n', where="c.toml")
    assert str(caught.value).startswith("c.toml:5: notice.workday_start")


def test_malformed_toml_names_the_line():
    with pytest.raises(ConfigError) as caught:
        parse_config('[profile]\nname = "A\n', where="c.toml")
    assert "line 2" in str(caught.value)


def test_unknown_keys_warn():
    config = parse_config('[profile]\nnmae = "A"\n[extra]\nx = 1\n', where="c.toml")
    assert [str(w) for w in config.warnings] == [
        "c.toml:2: unknown key 'profile.nmae' is ignored",
        "c.toml:3: unknown section [extra] is ignored",
    ]


def test_unknown_zone_is_refused():
    with pytest.raises(ConfigError, match=r"profile\.timezone: unknown time zone 'Mars/Base'"):
        parse_config('[profile]\ntimezone = "Mars/Base"\n')


def test_cli_reports_config_error_in_one_line(home, data, env):
    (home / "config.toml").write_text('[notice]\nurgent_hours = "soon"\n')
    code, out, err = run(env, "scan", data / "unknown_tzid.ics")
    assert code == 1
    assert err.strip().endswith(
        "config.toml:2: notice.urgent_hours: must be a number of hours from 0 to 8784, not 'soon'"
    )
    assert err.count("\n") == 1


def test_missing_config_means_defaults(tmp_path):
    assert load_config(tmp_path / "config.toml").profile.email == ""


@pytest.mark.parametrize(
    "section, text, key",
    [
        ("notice", 'workday_start = "17:00"\nworkday_end = "09:00"', "notice.workday_end"),  # on line 5
        ("notice", 'workday_start = "18:00"', "notice.workday_start"),
        ("notice", 'workday_end = "09:00"', "notice.workday_end"),
        ("slots", "lead_business_hours = 1e308", "slots.lead_business_hours"),
        ("slots", "lead_business_hours = nan", "slots.lead_business_hours"),
        ("slots", "lead_business_hours = inf", "slots.lead_business_hours"),
        ("notice", "urgent_hours = nan", "notice.urgent_hours"),
        ("notice", "late_business_hours = -inf", "notice.late_business_hours"),
        ("notice", "short_hours = 1e12", "notice.short_hours"),
    ],
)
def test_out_of_range_values_name_the_key_and_line(section, text, key):
    with pytest.raises(ConfigError) as caught:
        parse_config(f'[profile]\nname = "A"\n[{section}]\n{text}\n', where="c.toml")
    line = 4 + text.count("\n")  # the key at fault is the last one written
    assert str(caught.value).startswith(f"c.toml:{line}: {key}:")


def test_an_inverted_workday_is_one_line_from_the_cli(home, data, env):
    (home / "config.toml").write_text('[notice]\nworkday_start = "17:00"\nworkday_end = "09:00"\n')
    code, out, err = run(env, "scan", data / "unknown_tzid.ics")
    assert code == 1 and out == ""
    assert "config.toml:3: notice.workday_end: the workday must end after it starts" in err
    assert err.count("\n") == 1
