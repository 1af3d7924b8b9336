"""Speakers: each person once, autocomplete over their names, their sessions, the closest name to a typo."""

from __future__ import annotations

from bot.core.search import SearchIndex
from tests.core.search.programme import ids_of, mk


def test_complete_speaker_any_part_any_order(index):
    """Speaker autocomplete matches any part of the name, in any order."""
    assert index.complete_speaker("wen") == ["Wentao Liu"]
    assert index.complete_speaker("liu w") == ["Wentao Liu"]
    assert index.complete_speaker("zolt") == ["Zoltán Borók-Nagy"]


def test_complete_speaker_splits_comma_lists(index):
    """A presenter field listing several people offers each person separately."""
    assert index.complete_speaker("高") == ["高赟"]
    assert index.complete_speaker("张智") == ["张智鹏"]
    assert index.complete_speaker("段") == ["段少婷"]


def test_complete_speaker_surname_first_stays_one_person(index):
    """ "Wombacher, Andreas" is one person, not two."""
    assert index.complete_speaker("wombacher") == ["Wombacher, Andreas"]
    assert index.complete_speaker("andreas") == ["Wombacher, Andreas"]


def test_complete_speaker_limit():
    """Speaker autocomplete returns at most `limit` names."""
    idx = SearchIndex([mk(f"s{i}", "Talk", minutes=i, presenters=(f"Li Person{i}",)) for i in range(40)])
    assert len(idx.complete_speaker("li")) == 25
    assert len(idx.complete_speaker("li", limit=5)) == 5


def test_closest_room_and_speaker(index):
    """Rooms and speakers get suggestions too; nonsense gets none."""
    assert index.closest("room", "jingmin")[0] == "JingMing Hall"
    assert index.closest("speaker", "Wentao Lui")[0] == "Wentao Liu"
    assert index.closest("speaker", "xqzv") == []
    assert len(index.closest("speaker", "li", n=2)) <= 2


def test_speaker_sessions_exact_name(index):
    """A speaker's sessions are found whatever the case, spacing, accents or name order."""
    assert ids_of(index.speaker_sessions("wentao  LIU")) == ["kafka-1"]
    assert ids_of(index.speaker_sessions("Liu Wentao")) == ["kafka-1"]
    assert ids_of(index.speaker_sessions("Borok-Nagy Zoltan")) == ["pulsar-1"]
    assert ids_of(index.speaker_sessions("段少婷")) == ["cn-1"]
    assert ids_of(index.speaker_sessions("Andreas Wombacher")) == ["wa-1"]


def test_speaker_sessions_fuzzy_and_ambiguous():
    """A misspelt or partial name finds the one person it fits; a surname shared by several finds none."""
    idx = SearchIndex(
        [
            mk("a", "A", minutes=0, presenters=("Wentao Liu",)),
            mk("b", "B", minutes=30, presenters=("Jun Liu", "Wentao Liu")),
            mk("c", "C", minutes=60, presenters=("Hongyu Liu",)),
            mk("d", "D", minutes=90, presenters=("Liu Jun Hao",)),
        ]
    )
    assert ids_of(idx.speaker_sessions("Wentao Lui")) == ["a", "b"]
    assert ids_of(idx.speaker_sessions("wentao")) == ["a", "b"]
    assert ids_of(idx.speaker_sessions("Liu Jun")) == ["b"]  # exact name beats "Liu Jun Hao"
    assert idx.speaker_sessions("Liu") == []  # several people: speakers() lists them
    lone = SearchIndex([mk("a", "A", minutes=0, presenters=("Wentao Liu",))])
    assert lone.speaker_sessions("Nobody Here") == []


def test_a_family_name_lists_everyone_who_has_it():
    """ "liu" lists each Liu with their sessions; the count says how many; "jun" finds Jun Liu and Liu Jun Hao."""
    idx = SearchIndex(
        [
            mk("a", "A", minutes=0, presenters=("Wentao Liu",)),
            mk("b", "B", minutes=30, presenters=("Jun Liu", "Wentao Liu")),
            mk("c", "C", minutes=60, presenters=("Hongyu Liu",)),
            mk("d", "D", minutes=90, presenters=("Liu Jun Hao", "Ann Other")),
        ]
    )
    people, total = idx.speakers("liu")
    assert total == 4
    assert [(p.name, ids_of(p.sessions)) for p in people] == [
        ("Hongyu Liu", ["c"]),
        ("Jun Liu", ["b"]),
        ("Liu Jun Hao", ["d"]),
        ("Wentao Liu", ["a", "b"]),
    ]
    assert [p.name for p in idx.speakers("JUN")[0]] == ["Jun Liu", "Liu Jun Hao"]
    assert idx.speakers("liu", limit=2)[1] == 4 and len(idx.speakers("liu", limit=2)[0]) == 2


def test_a_person_written_differently_in_a_translation_is_one_person():
    """Willem Jiang in a session is 姜宁 in its translation: asked either way, one person with every session,
    named in each language as that language writes them."""
    idx = SearchIndex(
        [
            mk("both", "Both", minutes=0, presenters=("Willem Jiang",), presenters_zh=("姜宁",)),
            mk("zh-only", "Chinese only", minutes=30, presenters=("姜宁",), presenters_zh=("姜宁",)),
            mk("en-only", "English only", minutes=60, presenters=("Willem Jiang", "Ann Other")),
        ]
    )
    for name in ("Willem Jiang", "姜宁", "jiang willem"):
        people, total = idx.speakers(name)
        assert total == 1, name
        (person,) = people
        assert ids_of(person.sessions) == ["both", "zh-only", "en-only"], name
        assert (person.name_in("en"), person.name_in("zh")) == ("Willem Jiang", "姜宁")


def test_a_misspelt_name_finds_the_closest_and_nonsense_nobody(index):
    """A misspelt name finds the person meant; a long junk name finds nobody and suggests nobody."""
    (person,), _ = index.speakers("Wentao Lui")
    assert person.name == "Wentao Liu"
    assert index.speakers("x" * 6000) == ([], 0)
    assert index.closest("speaker", "qz " * 2000) == []
