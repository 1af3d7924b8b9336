"""Tracks and rooms by any of their names: autocomplete, "did you mean", and recognising what was typed."""

from __future__ import annotations

from tests.core.search.programme import TRACKS


def test_complete_track(index):
    """Tracks complete by key or name in either language; the label follows the reader's language."""
    assert index.complete_track("stre") == [("Streaming", "streaming")]
    assert index.complete_track("流", lang="zh") == [("流处理", "streaming")]
    assert index.complete_track("warehouse") == [("Data Lake & Data Warehouse", "datalake")]
    assert len(index.complete_track("")) == len(TRACKS)


def test_complete_room(index):
    """Rooms complete from their English or Chinese names."""
    assert index.complete_room("jing") == ["JingMing Hall"]
    assert index.complete_room("静") == ["静明厅"]
    assert set(index.complete_room("")) == {"JingMing Hall", "静明厅", "YuanMing Hall", "圆明厅"}


def test_closest_track_suggestions(index):
    """An unknown track gets "did you mean" suggestions, closest first, in the language typed."""
    assert index.closest("track", "stremaing")[0] == "Streaming"
    assert index.closest("track", "数据湖")[0] == "数据湖/数据仓库"


def test_closest_ignores_short_names_inside_the_typo(index):
    """A short name that happens to sit inside the typo ("AI" in "stremaing") is not suggested."""
    assert "AI / machine learning" not in index.closest("track", "stremaing")


def test_resolve_track(index):
    """A track is recognised by key or name in either language, any case; unknown gives None."""
    assert index.resolve_track("streaming") == "streaming"
    assert index.resolve_track("STREAMING") == "streaming"
    assert index.resolve_track("流处理") == "streaming"
    assert index.resolve_track("data lake & data warehouse") == "datalake"
    assert index.resolve_track("data lake") == "datalake"  # the key with a space
    assert index.resolve_track("quantum") is None
    assert index.resolve_track("") is None


def test_resolve_room(index):
    """A room is recognised by its English or Chinese name and given as sessions spell it."""
    assert index.resolve_room("jingming hall") == "JingMing Hall"
    assert index.resolve_room("静明厅") == "JingMing Hall"
    assert index.resolve_room("Hall 9") is None


def test_tracks_and_rooms_by_a_part_of_their_name(index):
    """A part of one track's or room's name names it; a part of several names them all; nothing, nothing."""
    assert index.tracks_containing("warehouse") == ["datalake"]
    assert index.tracks_containing("机器") == ["ai"]
    assert index.tracks_containing("data") == ["datalake"]
    assert sorted(index.tracks_containing("a")) == ["ai", "datalake", "general", "streaming"]
    assert index.tracks_containing("zzz") == []
    assert index.rooms_containing("yuan") == ["YuanMing Hall"]
    assert sorted(index.rooms_containing("明")) == ["JingMing Hall", "YuanMing Hall"]
    assert index.rooms_containing("hall") == ["JingMing Hall", "YuanMing Hall"]
