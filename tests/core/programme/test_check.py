"""`python -m bot check` on programmes that fight back: every fault is a located line, never a traceback, and the
things a linter should say (ids awkward to type, times daylight saving makes odd, translations naming other
people) are said. Run in-process through bot.cli.main, as a user runs it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main

GOOD = (
    '---\ntitle: "Tide Tables"\ndate: "2026-08-07T09:30:00"\ntrack: "data"\npresenters: "Ada Lovelace"\n'
    'stype: "English Session"\nroom: "Pier 3"\n---\nTide tables as open data.\n'
)


def check(capsys, folder: Path, *options: str) -> tuple[int, list[str]]:
    """Exit code and printed lines of `check` on `folder`."""
    code = main(["--db", str(folder.parent / "db.sqlite"), "--sessions", str(folder), *options, "check"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out.splitlines()


@pytest.fixture
def folder(tmp_path) -> Path:
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    (sessions / "good.md").write_text(GOOD, encoding="utf-8")
    return sessions


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("duration: 99999999999\n", "warning: duration 99999999999 is not minutes"),
        ("duration: .inf\ntags: [a]\n", "warning: duration inf is not minutes"),
        ("end: 9999-12-31 23:59:00\ntags: [a]\n", "warning: '9999-12-31T23:59:00' has the year 9999"),
        ('end: "2026-09-07T11:00:00"\n', "warning: end is more than a week after the start"),
        ("tags: [a]\n", "error: '0001-01-01T00:00:00+00:00' has the year 1"),  # with the date below
    ],
)
def test_check_reports_lengths_and_dates_no_calendar_holds(capsys, folder, extra, expected):
    """Huge lengths and dates at the ends of the calendar are problem lines on their field in `check`, never a
    traceback; Hugo's zero date (year 1) is an error, as a quoted one is."""
    date = "date: 0001-01-01T00:00:00Z\n" if extra == "tags: [a]\n" else 'date: "2026-08-07T11:00:00"\n'
    text = f'---\ntitle: "Odd"\n{date}track: "data"\npresenters: "X Y"\n{extra}---\n'
    (folder / "odd.md").write_text(text, encoding="utf-8")
    code, lines = check(capsys, folder)
    assert code == 0
    about = [line for line in lines if line.startswith(f"{folder / 'odd.md'}:")]
    assert len(about) == 1 and expected in about[0], lines


def test_check_on_a_folder_that_cannot_be_listed_is_an_error(capsys, folder, monkeypatch):
    """A sessions folder that can be entered but not listed is an error line naming it, and exit 1 (not "0
    sessions, 0 problems"). Tests run as root, who may list any folder: os.scandir is made to fail as it does
    for anyone else on a folder of mode --x."""
    real = os.scandir

    def scandir(path=".", *a, **kw):
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(folder))
        return real(path, *a, **kw)

    monkeypatch.setattr(os, "scandir", scandir)
    code, lines = check(capsys, folder)
    assert code == 1
    assert "0 sessions" in lines[0] and "1 problems" in lines[0]
    assert lines[1].startswith(f"{folder}:1: error: cannot list the sessions folder (Permission denied)")


def test_check_on_a_folder_with_a_loop_of_links_lists_it(capsys, folder):
    """A loop of links in the sessions folder is a warning line, and the rest of the programme is checked."""
    (folder / "x.md").symlink_to(folder / "y.md")
    (folder / "y.md").symlink_to(folder / "x.md")
    code, lines = check(capsys, folder)
    assert code == 0 and lines[0].startswith(f"{folder}: 1 sessions")
    assert sorted(line.split(":")[0] for line in lines[1:]) == [str(folder / "x.md"), str(folder / "y.md")]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("tide tables.md", "has spaces"),
        ("t" * 80 + ".md", "80 characters"),
        ("潮汐.md", "characters other than"),
        ("tide+tables.md", "characters other than"),
    ],
)
def test_check_warns_about_session_ids_awkward_to_type(capsys, folder, name, why):
    """A session id (from its file name) with spaces, over 64 characters, or of characters other than letters,
    digits, ".", "_" and "-" is a warning saying why and how to rename."""
    (folder / name).write_text(GOOD, encoding="utf-8")
    code, lines = check(capsys, folder)
    warned = [line for line in lines if "awkward to type" in line]
    assert code == 0 and len(warned) == 1
    assert warned[0].startswith(f"{folder / name}:1: warning:") and why in warned[0]


def test_check_says_nothing_of_ids_easy_to_type(capsys, folder):
    """Ids like the real programmes' ("ai-1026", "keynote_2.v2") draw no warning."""
    (folder / "ai-1026.md").write_text(GOOD, encoding="utf-8")
    (folder / "keynote_2.v2.md").write_text(GOOD.replace("Pier 3", "Pier 4"), encoding="utf-8")
    code, lines = check(capsys, folder)
    assert (code, lines[1:]) == (0, [])


def test_check_on_daylight_saving_nights(capsys, folder):
    """In New York, 02:30 on 10 March 2024 does not exist (an error) and 01:30 on 3 November 2024 happens twice
    (a warning naming the first, UTC-04:00, as the one taken); each is on its file's date line."""
    (folder / "good.md").unlink()
    for name, when in (("spring.md", "2024-03-10T02:30:00"), ("fall.md", "2024-11-03 01:30:00")):
        (folder / name).write_text(GOOD.replace("2026-08-07T09:30:00", when), encoding="utf-8")
    _, lines = check(capsys, folder, "--timezone", "America/New_York")
    problems = sorted(lines[1:])
    assert len(problems) == 2
    assert problems[0].startswith(f"{folder / 'fall.md'}:3: warning: 2024-11-03 01:30 happens twice")
    assert "taken as the first, UTC-04:00" in problems[0]
    assert problems[1].startswith(f"{folder / 'spring.md'}:3: error: 2024-03-10 02:30 does not exist")


def test_check_warns_when_a_translation_names_other_presenters(capsys, folder):
    """A session naming two presenters whose translation names one is a warning that names both files."""
    (folder / "good.md").write_text(GOOD.replace("Ada Lovelace", "Ada Lovelace, Grace Hopper"), encoding="utf-8")
    (folder / "good.zh.md").write_text(GOOD.replace("Tide Tables", "潮汐表"), encoding="utf-8")
    code, lines = check(capsys, folder)
    (warning,) = lines[1:]
    assert code == 0
    assert warning.startswith(f"{folder / 'good.zh.md'}:5: warning: good.md names 2 presenters")
    assert "good.zh.md names 1" in warning and "[presenters]" in warning


def test_check_reports_entries_it_skips(capsys, folder):
    """A link to nothing, a pipe, a folder named like a session and a `.MD` file are each a warning line."""
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    os.mkfifo(folder / "pipe.md")
    (folder / "folder.md").mkdir()
    (folder / "LOUD.MD").write_text(GOOD, encoding="utf-8")
    code, lines = check(capsys, folder)
    named = sorted(Path(line.split(":")[0]).name for line in lines[1:])
    assert (code, named) == (0, ["LOUD.MD", "dangling.md", "folder.md", "pipe.md"])
