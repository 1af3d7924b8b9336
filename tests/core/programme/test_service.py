"""The programme being served: a reload is read off the event loop, commands keep the previous programme until
it is ready, and then the catalog and its search index change together."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.programme import Programme

TZ = ZoneInfo("Asia/Shanghai")
STAMP = [1_700_000_000_000_000_000]


def write(folder: Path, name: str, title: str, start: str = "2026-08-07T10:00:00", room: str = "Pier 1") -> str:
    STAMP[0] += 1_000_000_000
    path = folder / name
    path.write_text(
        f'---\ntitle: "{title}"\ndate: "{start}"\ntrack: "data"\npresenters: "Ann Lee"\nroom: "{room}"\n---\nText.\n',
        encoding="utf-8",
    )
    os.utime(path, ns=(STAMP[0], STAMP[0]))
    return str(path)


def programme(folder: Path) -> Programme:
    for i in range(5):
        write(folder, f"s{i}.md", f"Harbour talk {i}", f"2026-08-07T1{i}:00:00", f"Pier {i}")
    p = Programme(folder, None, TZ)
    p.load()
    return p


async def test_commands_keep_the_old_programme_while_a_reload_is_read(tmp_path, monkeypatch):
    """While a reload is being read (in a worker thread), the event loop runs and commands see the programme
    as it was, catalog and index alike; then both change at once."""
    p = programme(tmp_path)
    old_catalog, old_index = p.catalog, p.index
    entered, gate = threading.Event(), threading.Event()
    load = p.loader.load

    def held_load(*args, **kwargs):
        entered.set()
        assert gate.wait(10), "the reload was never let through: was it run on the event loop?"
        return load(*args, **kwargs)

    monkeypatch.setattr(p.loader, "load", held_load)  # hold the reload mid-way, in its thread
    path = write(tmp_path, "s2.md", "Lighthouse keeping", "2026-08-07T12:00:00", "Pier 2")
    reload = asyncio.create_task(p.reload([path]))
    assert await asyncio.to_thread(entered.wait, 10)
    assert p.catalog is old_catalog and p.index is old_index  # the loop runs, and serves the old pair
    assert [h.session.id for h in p.index.search("lighthouse")] == []
    gate.set()
    result = await reload
    assert p.catalog is result.new and p.catalog.by_id["s2"].title == "Lighthouse keeping"
    assert [h.session.id for h in p.index.search("lighthouse")] == ["s2"]
    assert [h.session.id for h in p.index.search("harbour talk 2")][:1] != ["s2"]
    assert old_catalog.by_id["s2"].title == "Harbour talk 2"  # the previous programme is left whole
    assert [h.session.id for h in old_index.search("lighthouse")] == []


async def test_reload_reports_broken_files_and_keeps_their_last_good_version(tmp_path):
    """A file broken by an edit is named in the reload's result; its session stays as last read, and searchable."""
    p = programme(tmp_path)
    broken = tmp_path / "s1.md"
    broken.write_text('---\ntitle: "never closed\n---\n', encoding="utf-8")
    result = await p.reload([str(broken)])
    assert result.broken == [str(broken)] and result.changes == []
    assert p.catalog.by_id["s1"].title == "Harbour talk 1"
    assert [h.session.id for h in p.index.search("harbour talk 1")][:1] == ["s1"]


async def test_reloads_one_after_another_end_with_the_last_edit(tmp_path):
    """Two reloads started together run one after the other; the programme ends as the files are."""
    p = programme(tmp_path)
    first = write(tmp_path, "s3.md", "Tidal charts", "2026-08-07T13:00:00", "Pier 3")
    one = asyncio.create_task(p.reload([first]))
    second = write(tmp_path, "s4.md", "Sea shanties", "2026-08-07T14:00:00", "Pier 4")
    two = asyncio.create_task(p.reload([second]))
    await asyncio.gather(one, two)
    assert [p.catalog.by_id[s].title for s in ("s3", "s4")] == ["Tidal charts", "Sea shanties"]
    assert [h.session.id for h in p.index.search("shanties")] == ["s4"]
    assert [h.session.id for h in p.index.search("tidal")] == ["s3"]


async def test_a_removed_file_leaves_search_too(tmp_path):
    """A session whose file is deleted is gone from the catalog, search, autocomplete and the speaker's list."""
    p = programme(tmp_path)
    gone = tmp_path / "s0.md"
    gone.unlink()
    await p.reload([str(gone)])
    assert "s0" not in p.catalog.by_id
    assert [h.session.id for h in p.index.search("harbour talk 0")][:1] != ["s0"]
    assert "s0" not in [v for _, v in p.index.complete_session("harbour", limit=25)]
    assert [s.id for s in p.index.speaker_sessions("Ann Lee")] == ["s1", "s2", "s3", "s4"]
