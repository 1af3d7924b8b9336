"""Hugo also allows TOML (+++) and JSON front matter: such sessions load like YAML ones, and broken ones are reported."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.programme.hugo import parse_file
from bot.core.programme.loader import load_catalog

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_toml_front_matter_is_a_session(tmp_path):
    """A +++ TOML session gives its title, time, room and a list of presenters."""
    (tmp_path / "t1.md").write_text(
        '+++\ntitle = "TOML talk"\ndate = "2026-08-07T11:00:00"\ntrack = "ai"\n'
        'presenters = ["A One", "B Two"]\nroom = "Pier 2"\n+++\nAbstract here.\n',
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path)
    s = catalog.by_id["t1"]
    assert (s.title, s.room, s.presenters) == ("TOML talk", "Pier 2", ("A One", "B Two"))
    assert s.start == datetime(2026, 8, 7, 11, 0, tzinfo=SHANGHAI)
    assert s.abstract == "Abstract here."
    assert catalog.problems == [] and catalog.failed_files == []


def test_json_front_matter_is_a_session(tmp_path):
    """A JSON front matter session loads too."""
    (tmp_path / "t2.md").write_text(
        '{\n "title": "JSON talk",\n "date": "2026-08-07 12:00:00",\n "track": "ai",\n'
        ' "presenters": "C Three"\n}\nBody.\n',
        encoding="utf-8",
    )
    s = load_catalog(tmp_path).by_id["t2"]
    assert (s.title, s.presenters, s.start.hour) == ("JSON talk", ("C Three",), 12)


def test_broken_toml_is_reported_with_its_kind_and_never_raises():
    """An unclosed TOML string is an error naming TOML; the file is skipped, not fatal."""
    parsed = parse_file("/p/t3.md", b'+++\ntitle = "broken\n+++\n')
    assert not parsed.ok
    assert [(p.severity, "TOML front matter" in p.message) for p in parsed.problems] == [("error", True)]
    parsed = parse_file("/p/t4.md", b"{ not json\n}\n")
    assert not parsed.ok and "JSON front matter" in parsed.problems[0].message
