"""Session autocomplete: what is offered as the user types, in which order, with which labels."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.search import SearchIndex
from tests.core.search.programme import SESSIONS, TRACKS, mk


def test_complete_session_by_title_prefix(index):
    """Typing the start of a title offers that session first, with its id as the value."""
    assert index.complete_session("kafka str")[0] == ("Kafka Streams in Production", "kafka-1")


def test_complete_session_title_start_before_other_words(index):
    """A title that starts with the typed text comes before one containing the word later."""
    got = [v for _, v in index.complete_session("apache")]
    assert set(got) == {"pulsar-1", "doris-1"}
    values = [v for _, v in index.complete_session("data")]
    assert values[0] == "wa-1"  # "Data Pipelines..." starts with it; doris-1 has "Data" later


def test_complete_session_chinese_label_and_prefix(index):
    """In Chinese, labels use the Chinese title and Chinese text matches."""
    assert index.complete_session("时序", lang="zh") == [("时序数据库的分区与共识", "db-1")]


def test_complete_session_by_presenter(index):
    """A presenter's name also completes to their session."""
    assert [v for _, v in index.complete_session("wentao")] == ["kafka-1"]


def test_complete_session_typo(index):
    """A mistyped word still offers the session when nothing matches exactly."""
    assert [v for _, v in index.complete_session("kafak streams")] == ["kafka-1"]


def test_complete_session_empty_is_time_order(index):
    """With nothing typed, the first sessions by start time are offered, unscheduled last."""
    values = [v for _, v in index.complete_session("", limit=25)]
    assert values[:3] == ["ob-1", "kafka-1", "kafka-2"]
    assert values[-1] == "late-1"


def test_complete_session_limit_and_label_length():
    """Autocomplete offers at most 25 choices, each label at most 100 characters."""
    many = [
        mk(f"s-{i}", f"Stream processing deep dive number {i} " + "with a very long subtitle " * 5, minutes=i)
        for i in range(60)
    ]
    idx = SearchIndex(many)
    got = idx.complete_session("stream")
    assert len(got) == 25
    assert all(len(label) <= 100 for label, _ in got)
    assert got[0][0].endswith("…")
    assert [v for _, v in got] == [f"s-{i}" for i in range(25)]


def test_complete_session_duplicate_titles_distinguishable():
    """Two sessions with the same title get different labels."""
    idx = SearchIndex([mk("a-1", "Lightning Talks", minutes=0), mk("b-2", "Lightning Talks", minutes=60)])
    labels = [label for label, _ in idx.complete_session("light")]
    assert len(set(labels)) == 2


_SHARED = SearchIndex(SESSIONS, TRACKS)  # hypothesis calls the test many times; fixtures are not re-entered


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_any_input_is_safe(text):
    """Whatever is typed, search and autocomplete answer within their limits and never fail."""
    idx = _SHARED
    assert len(idx.search(text, limit=7)) <= 7
    assert all(len(label) <= 100 for label, _ in idx.complete_session(text))
    assert len(idx.complete_speaker(text, limit=3)) <= 3
    assert len(idx.complete_track(text, limit=2)) <= 2
    assert len(idx.complete_room(text, limit=2)) <= 2
    idx.closest("speaker", text)
    idx.speaker_sessions(text)
