"""The start-up cache beside the database: a restart reads only the files that changed, and a cache that is
stale, damaged, from other code or for another programme never changes what the bot serves."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import bot.core.programme.loader as loader_module
from bot.core.programme import Programme
from bot.core.programme import cache as cache_module

TZ = ZoneInfo("Asia/Shanghai")
STAMP = [1_700_000_000_000_000_000]


def write(folder: Path, name: str, title: str, start: str, room: str = "Pier 1", people: str = "Ann Lee") -> Path:
    STAMP[0] += 1_000_000_000
    path = folder / name
    path.write_text(
        f'---\ntitle: "{title}"\ndate: "{start}"\ntrack: "data"\npresenters: "{people}"\nroom: "{room}"\n---\nText.\n',
        encoding="utf-8",
    )
    os.utime(path, ns=(STAMP[0], STAMP[0]))
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    for i in range(8):
        write(
            sessions, f"s{i}.md", f"Harbour talk {i}", f"2026-08-07T{9 + i // 2}:{30 * (i % 2):02d}:00", f"Pier {i % 3}"
        )
        write(sessions, f"s{i}.zh.md", f"港口讲座 {i}", f"2026-08-07T{9 + i // 2}:{30 * (i % 2):02d}:00")
    return sessions


def start(folder: Path, cache: Path | None, tz: ZoneInfo = TZ) -> Programme:
    p = Programme(folder, None, tz, cache_path=cache)
    p.load()
    return p


def served(p: Programme) -> list[object]:
    """What attendees can get from a programme: every session in full, problems, and search answers."""
    c = p.catalog
    out: list[object] = [[repr(s) for s in c.sessions], [str(x) for x in c.problems], c.rooms, c.days, c.failed_files]
    for q in ("harbour", "talk 3", "港口", "ann lee", "pier"):
        out.append([(h.session.id, h.score, h.matched) for h in p.index.search(q)])
        out.append(p.index.complete_session(q[:3]))
    out.append(p.index.complete_speaker(""))
    return out


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The session files read from disk from now on."""
    seen: list[str] = []
    read_stat = loader_module.read_stat

    def counting(path: str):
        seen.append(Path(path).name)
        return read_stat(path)

    monkeypatch.setattr(loader_module, "read_stat", counting)
    return seen


def test_a_restart_with_nothing_changed_reads_no_session_file(folder, tmp_path, reads):
    """With the cache from the last run and no file changed, a restart reads no session file and serves
    exactly what a start without a cache serves."""
    cache = tmp_path / "bot.db.programme-cache"
    assert start(folder, cache).save_cache()
    reads.clear()
    warm = start(folder, cache)
    assert reads == []
    assert served(warm) == served(start(folder, None))


def test_a_restart_reads_only_the_files_changed_since(folder, tmp_path, reads):
    """Files edited, added or deleted while the bot was down are read (those alone) and served as edited."""
    cache = tmp_path / "bot.db.programme-cache"
    assert start(folder, cache).save_cache()
    write(folder, "s3.md", "Lighthouse keeping", "2026-08-07T10:30:00", "Pier 2")  # same slot, new title
    write(folder, "s9.md", "Sea shanties", "2026-08-07T09:00:00", "Pier 1", "Ann Lee, Bo Chen")
    (folder / "s5.zh.md").unlink()
    reads.clear()
    warm = start(folder, cache)
    assert sorted(reads) == ["s3.md", "s9.md"]
    assert warm.catalog.by_id["s3"].title == "Lighthouse keeping" and warm.catalog.by_id["s5"].title_zh is None
    assert [h.session.id for h in warm.index.search("shanties")] == ["s9"]
    assert served(warm) == served(start(folder, None))


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw[:-100] + bytes(b ^ 0xFF for b in raw[-100:]),  # bytes flipped at the end
        lambda raw: raw[:600] + b"\x00" * 64 + raw[664:],  # bytes zeroed just after the header
        lambda raw: b"garbage" * 100,
        lambda raw: b"",
    ],
)
def test_a_damaged_cache_is_ignored_and_rewritten(folder, tmp_path, damage):
    """A cache cut short, with flipped or zeroed bytes, or not a cache at all, is ignored: the programme is read
    from the files, served as without a cache, and the cache is written anew."""
    cache = tmp_path / "bot.db.programme-cache"
    assert start(folder, cache).save_cache()
    cache.write_bytes(damage(cache.read_bytes()))
    p = start(folder, cache)
    assert served(p) == served(start(folder, None))
    p.close()
    assert cache_module.read(cache, cache_module.inputs(p.loader)) is not None  # whole again


def test_a_cache_from_other_code_is_ignored(folder, tmp_path, monkeypatch, reads):
    """After an upgrade of the bot (its programme or search code changed), the old cache is not trusted."""
    cache = tmp_path / "bot.db.programme-cache"
    assert start(folder, cache).save_cache()
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version")
    reads.clear()
    p = start(folder, cache)
    assert len(reads) == 16
    assert served(p) == served(start(folder, None))


def test_a_cache_for_another_zone_or_track_files_is_ignored(folder, tmp_path, reads):
    """A cache made for another time zone, or before the track files changed, is not used."""
    cache = tmp_path / "bot.db.programme-cache"
    assert start(folder, cache).save_cache()
    reads.clear()
    berlin = start(folder, cache, ZoneInfo("Europe/Berlin"))
    assert len(reads) == 16 and berlin.catalog.scheduled[0].start.tzinfo == ZoneInfo("Europe/Berlin")
    berlin.close()
    assert start(folder, cache).save_cache()
    (folder / "tracks").mkdir()
    (folder / "tracks" / "data.md").write_text('---\ntitle: "Open Data"\n---\nAbout data.\n', encoding="utf-8")
    reads.clear()
    p = Programme(folder, folder / "tracks", TZ, cache_path=cache)
    p.load()
    assert len(reads) == 16 and p.catalog.tracks["data"].name == "Open Data"


async def test_a_last_good_version_does_not_outlive_a_restart(folder, tmp_path):
    """A file broken while the bot ran keeps its last good version until a restart; after a restart from the
    cache, as after one without, the broken file is no session (and is reported)."""
    cache = tmp_path / "bot.db.programme-cache"
    p = start(folder, cache)
    broken = folder / "s2.md"
    broken.write_text('---\ntitle: "never closed\n---\n', encoding="utf-8")
    (folder / "s2.zh.md").unlink()
    result = await p.reload([str(broken), str(folder / "s2.zh.md")])
    assert result.broken == [str(broken)] and "s2" in p.catalog.by_id
    assert p.save_cache()
    warm = start(folder, cache)
    assert "s2" not in warm.catalog.by_id and str(broken) in warm.catalog.failed_files
    assert served(warm) == served(start(folder, None))


async def test_the_cache_follows_reloads(folder, tmp_path, reads):
    """After a reload, the saved cache holds the reloaded programme: a restart reads nothing again."""
    cache = tmp_path / "bot.db.programme-cache"
    p = Programme(folder, None, TZ, cache_path=cache, save_delay=0.0)
    p.load()
    path = write(folder, "s1.md", "Tidal charts", "2026-08-07T09:30:00", "Pier 1")
    await p.reload([str(path)])
    p.close()
    reads.clear()
    warm = start(folder, cache)
    assert reads == [] and warm.catalog.by_id["s1"].title == "Tidal charts"


def test_a_large_array_is_written_whole_and_counted_in_the_checksum(tmp_path):
    """The search index's large arrays (written from their own memory) come back from the cache as they were,
    and every byte of them counts in the checksum that tells a damaged cache."""
    import zlib
    from array import array

    big = array("i", range(-100_000, 200_000))
    path = tmp_path / "part"
    with open(path, "wb") as f:
        out = cache_module._Summing(f)
        cache_module._Pickler(out, {}).dump((big, big, "after"))
    raw = path.read_bytes()
    assert (out.size, out.crc) == (len(raw), zlib.crc32(raw))
    with open(path, "rb") as f:
        got = cache_module._load(cache_module._Checking(f, len(raw)))
    assert got[0] == big and got[1] is got[0] and got[2] == "after"
