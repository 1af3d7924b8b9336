"""Loading a programme folder: junk files beside a good session give located problems and the good session loads
whole, on the first load and on a reload; a reload reads only the changed files, gives what a fresh load would,
and never changes a session the previous catalog still serves."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.model import ScheduledSession, Session
from bot.core.programme.hugo import MAX_FILE_BYTES, parse_file
from bot.core.programme.loader import CatalogLoader
from tests.core.programme.junk import GOOD, GOOD_START, GOOD_TITLE, PROPS, SHANGHAI, any_file, dates

# ------------------------------------------------------------------------------------------------ folder props


def _load(folder: Path):
    loader = CatalogLoader(folder, None, SHANGHAI)
    catalog = loader.load()
    again = loader.load(keep_last_good=True)  # a reload over the same junk must hold up too
    return catalog, again


def _assert_good_session_loaded(catalog, folder: Path) -> None:
    good = catalog.by_id.get("good")
    assert good is not None, [str(p) for p in catalog.problems]
    assert good.title == GOOD_TITLE
    assert good.start == GOOD_START
    assert good.track == "data" and good.room == "Pier 3"
    assert good.presenters == ("Ada Lovelace", "Grace Hopper")
    assert str(folder / "good.md") not in catalog.failed_files


def _assert_catalog_sane(catalog, folder: Path) -> None:
    names = {str(folder / n) for n in os.listdir(folder)}
    for p in catalog.problems:
        assert p.path in names, p
        assert p.line >= 1 and p.severity in ("warning", "error") and p.message
    assert len({s.id for s in catalog.sessions}) == len(catalog.sessions)
    starts = [s.start for s in catalog.scheduled]
    assert starts == sorted(starts)
    for s in catalog.scheduled:
        assert s.start.tzinfo is not None and (s.end is None or s.end >= s.start)
    assert set(catalog.failed_files) <= names


junk_names = st.sampled_from(["junk.md", "junk.zh.md", "good.zh.md", "other junk.md", "日程.md", "-.md", "x.zh.md"])


@PROPS
@given(files=st.lists(st.tuples(junk_names, any_file), min_size=1, max_size=4, unique_by=lambda t: t[0]))
def test_folder_of_junk_still_loads_the_good_session(files):
    """Broken files beside a good session never stop the programme loading, and the good session is all there."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-props-"))
    try:
        (folder / "good.md").write_bytes(GOOD)
        for name, raw in files:
            (folder / name).write_bytes(raw)
        for catalog in _load(folder):
            _assert_good_session_loaded(catalog, folder)
            _assert_catalog_sane(catalog, folder)
    finally:
        shutil.rmtree(folder)


@PROPS
@given(value=dates, quoted=st.booleans(), field=st.sampled_from(["date", "end"]))
def test_any_date_form_is_read_or_reported(value, quoted, field):
    """A date (or end) in any odd form either reads as a conference-time moment or is reported on its line."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-dates-"))
    try:
        (folder / "good.md").write_bytes(GOOD)
        written = json.dumps(value, ensure_ascii=False) if quoted else value
        lines = ['title: "Odd date"', 'date: "2026-08-07T11:00:00"', 'track: "data"', 'presenters: "X Y"']
        if field == "date":
            lines[1] = f"date: {written}"
        else:
            lines.append(f"end: {written}")
        (folder / "odd.md").write_text("---\n" + "\n".join(lines) + "\n---\nBody.\n", encoding="utf-8")
        for catalog in _load(folder):
            _assert_good_session_loaded(catalog, folder)
            _assert_catalog_sane(catalog, folder)
            odd = catalog.by_id.get("odd")
            about = [p for p in catalog.problems if p.path == str(folder / "odd.md")]
            if odd is None:  # YAML itself refused the value: the file is reported as broken
                assert str(folder / "odd.md") in catalog.failed_files and about
            elif field == "date" and odd.start is None and value.strip():
                assert any(p.field == "date" and p.line == 3 for p in about), [str(p) for p in about]
            if odd is not None and odd.start is not None:
                assert odd.start.utcoffset() is not None
    finally:
        shutil.rmtree(folder)


def test_huge_file_is_skipped_with_a_problem(tmp_path):
    """A file over 2 MB is skipped with an error on line 1; the good session beside it loads."""
    huge = GOOD + b"x" * (MAX_FILE_BYTES + 1)
    parsed = parse_file(str(tmp_path / "huge.md"), huge)
    assert not parsed.ok
    assert [(p.line, p.severity) for p in parsed.problems] == [(1, "error")]
    assert "bytes" in parsed.problems[0].message
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "huge.md").write_bytes(huge)
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)
    assert str(tmp_path / "huge.md") in catalog.failed_files


def test_folder_with_a_directory_and_a_dangling_link_still_loads(tmp_path):
    """A sub-folder named like a session and a broken symbolic link are skipped, not fatal."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing-target.md")
    (tmp_path / "notes.txt").write_bytes(b"\x00\xff")
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)
    assert [s.id for s in catalog.sessions] == ["good"]


@pytest.mark.parametrize(
    "value",
    ["2026-08-07T10:00:00+99:00", "9999-12-31T23:00:00-10:00", "0001-01-01T00:10:00+14:00", "9999-12-31T23:59:00"],
)
def test_extreme_dates_are_reported_not_raised(tmp_path, value):
    """A date with an impossible offset or at the very end of the calendar is reported; the good session loads."""
    (tmp_path / "good.md").write_bytes(GOOD)
    (tmp_path / "odd.md").write_text(
        f'---\ntitle: "Odd"\ndate: "{value}"\ntrack: "data"\npresenters: "X Y"\n---\n', encoding="utf-8"
    )
    catalog, _ = _load(tmp_path)
    _assert_good_session_loaded(catalog, tmp_path)


# ------------------------------------------------------------------------------------------ reloads


def _write(folder: Path, name: str, text: str, stamp: list[int]) -> str:
    """Write a file with a later mtime than any before (saves within one clock tick look alike otherwise)."""
    stamp[0] += 1_000_000_000
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp[0], stamp[0]))
    return str(path)


def _session(title: str, start: str, room: str = "Pier 1", extra: str = "") -> str:
    return f'---\ntitle: "{title}"\ndate: "{start}"\ntrack: "data"\npresenters: "Ann Lee"\nroom: "{room}"\n{extra}---\nAbstract.\n'


def _plain(catalog) -> dict:
    """A catalog as plain data: every field of every session, tracks, rooms, days, problems, failed files."""
    return {
        "sessions": [
            (type(s).__name__, s.id, s.title, s.start, s.end, s.room, s.room_zh, s.title_zh, s.presenters, s.track)
            for s in catalog.sessions
        ],
        "tracks": [(k, t.name, t.count) for k, t in catalog.tracks.items()],
        "rooms": catalog.rooms,
        "days": catalog.days,
        "problems": [str(p) for p in catalog.problems],
        "failed": catalog.failed_files,
    }


def test_a_moved_neighbour_changes_an_end_without_touching_the_served_session(tmp_path):
    """When the next talk in the room moves, the talk before it gets its new end in the new catalog, while
    the catalog still being served keeps the session exactly as it was (a reply mid-way sees no change)."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "a.md", _session("A", "2026-08-07T10:00:00"), stamp)
    b = _write(tmp_path, "b.md", _session("B", "2026-08-07T10:30:00"), stamp)
    loader = CatalogLoader(tmp_path, None, SHANGHAI)
    before = loader.load(keep_last_good=True)
    served = before.by_id["a"]
    assert served.end is not None and (served.end.hour, served.end.minute) == (10, 30)  # cut short by B
    _write(tmp_path, "b.md", _session("B", "2026-08-07T11:00:00"), stamp)
    after = loader.load(keep_last_good=True, changed=[b])
    a = after.by_id["a"]
    assert a.end is not None and (a.end.hour, a.end.minute) == (10, 40)  # the default 40 minutes now
    assert served.end is not None and (served.end.hour, served.end.minute) == (10, 30)
    assert before.by_id["a"] is served and a is not served


def test_a_reload_keeps_every_untouched_session_as_served(tmp_path):
    """A reload after one file changed leaves every other session as the same object, so what depends on
    them (the search index) is updated for that one session only."""
    stamp = [1_700_000_000_000_000_000]
    for i in range(6):
        _write(tmp_path, f"s{i}.md", _session(f"Talk {i}", f"2026-08-07T1{i}:00:00", room=f"Pier {i}"), stamp)
    loader = CatalogLoader(tmp_path, None, SHANGHAI)
    before = loader.load(keep_last_good=True)
    changed = _write(tmp_path, "s3.md", _session("Talk 3, renamed", "2026-08-07T13:00:00", room="Pier 3"), stamp)
    after = loader.load(keep_last_good=True, changed=[changed])
    assert [sid for sid in after.by_id if after.by_id[sid] is not before.by_id[sid]] == ["s3"]
    assert after.by_id["s3"].title == "Talk 3, renamed"


def test_scheduled_sessions_have_a_start_and_an_end(tmp_path):
    """Every session with a time is a ScheduledSession whose end is known; those without a time are listed apart."""
    stamp = [1_700_000_000_000_000_000]
    _write(tmp_path, "a.md", _session("A", "2026-08-07T10:00:00"), stamp)
    _write(tmp_path, "b.md", _session("B", "2026-08-07T10:00:00", room="Pier 2", extra='duration: "1h 30m"\n'), stamp)
    _write(tmp_path, "c.md", '---\ntitle: "C"\ntrack: "data"\npresenters: "X"\n---\n', stamp)
    catalog = CatalogLoader(tmp_path, None, SHANGHAI).load()
    assert all(isinstance(s, ScheduledSession) and s.end > s.start for s in catalog.scheduled)
    assert [s.id for s in catalog.scheduled] == ["a", "b"]
    b = catalog.scheduled[1]
    assert b.id == "b" and b.end == b.start + timedelta(minutes=90)
    assert [(type(s), s.id) for s in catalog.unscheduled] == [(Session, "c")]


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.sampled_from(["en", "zh"]),
        st.sampled_from(["write", "write", "write", "delete", "break"]),
        st.sampled_from(["09:00", "09:30", "10:00", "10:10", "11:00", ""]),
        st.sampled_from(["Pier 1", "Pier 2", ""]),
        st.sampled_from(["", "duration: 20\n", 'end: "2026-08-07T12:00:00"\n', 'track: "other"\n']),
    ),
    min_size=1,
    max_size=12,
)


@PROPS
@given(edits=EDITS)
def test_reloading_the_changed_files_gives_what_a_fresh_load_gives(edits):
    """After any edits (times, rooms, lengths, translations, deletions, broken files), reloading just the files
    that changed gives the same catalog as reading the whole folder afresh: sessions, ends, order, problems."""
    folder = Path(tempfile.mkdtemp(prefix="confbot-reload-"))
    try:
        stamp = [1_700_000_000_000_000_000]
        loader = CatalogLoader(folder, None, SHANGHAI)
        loader.load()
        for stem, lang, action, at, room, extra in edits:
            name = f"{stem}.md" if lang == "en" else f"{stem}.zh.md"
            if action == "delete":
                (folder / name).unlink(missing_ok=True)
                path = str(folder / name)
            elif action == "break":
                path = _write(folder, name, '---\ntitle: "never closed\n---\n', stamp)
            else:
                start = f"2026-08-07T{at}:00" if at else ""
                path = _write(folder, name, _session(f"{stem} {lang} {at}", start, room, extra), stamp)
            incremental = loader.load(changed=[path])
            assert _plain(incremental) == _plain(CatalogLoader(folder, None, SHANGHAI).load())
    finally:
        shutil.rmtree(folder)


def test_hugo_section_pages_and_hidden_files_are_not_tracks_or_sessions(tmp_path):
    """Hugo's _index.md section pages and hidden editor files, in the sessions or the tracks folder, are neither
    sessions nor tracks."""
    stamp = [1_700_000_000_000_000_000]
    sessions, tracks = tmp_path / "sessions", tmp_path / "tracks"
    sessions.mkdir()
    tracks.mkdir()
    _write(sessions, "a.md", _session("A", "2026-08-07T10:00:00"), stamp)
    _write(sessions, "_index.md", '---\ntitle: "Sessions"\n---\n', stamp)
    _write(sessions, ".a.md", _session("Swap file", "2026-08-07T11:00:00"), stamp)
    _write(tracks, "data.md", '---\ntitle: "Open Data"\n---\nAbout data.\n', stamp)
    _write(tracks, "_index.md", '---\ntitle: "Tracks"\n---\n', stamp)
    catalog = CatalogLoader(sessions, tracks, SHANGHAI).load()
    assert [s.id for s in catalog.sessions] == ["a"]
    assert list(catalog.tracks) == ["data"] and catalog.tracks["data"].name == "Open Data"
