"""Search and autocomplete over the programme, as attendees use them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.model import Session, Track
from bot.core.search import SearchIndex
from tests.paths import CORPORA, HAVE_SHARED

TZ = timezone(timedelta(hours=8))
DAY1 = datetime(2026, 8, 7, 9, 0, tzinfo=TZ)
CORPUS = CORPORA / "coc-asia-2024" / "sessions"


def mk(sid: str, title: str, *, minutes: int | None = 0, track: str = "general", **kw) -> Session:
    start = None if minutes is None else DAY1 + timedelta(minutes=minutes)
    return Session(id=sid, path=f"sessions/{sid}.md", title=title, start=start, end=None, track=track, **kw)


TRACKS = {
    "streaming": Track(key="streaming", name="Streaming", name_zh="流处理"),
    "datalake": Track(key="datalake", name="Data Lake & Data Warehouse", name_zh="数据湖/数据仓库"),
    "ai": Track(key="ai", name="AI / machine learning", name_zh="人工智能 / 机器学习"),
    "general": Track(key="general", name="General", name_zh="通用"),
}

SESSIONS = [
    mk(
        "ob-1",
        "My Open Source Experience in OceanBase Community",
        minutes=0,
        track="general",
        presenters=("Ziyi Li",),
        abstract="How I became a contributor.",
        title_zh="我在 OceanBase 社区的开源经历",
    ),
    mk(
        "kafka-1",
        "Kafka Streams in Production",
        minutes=30,
        track="streaming",
        presenters=("Wentao Liu",),
        room="JingMing Hall",
        room_zh="静明厅",
        abstract="Lessons from running stream processing at scale.",
    ),
    mk(
        "kafka-2",
        "Migrating a Message Queue",
        minutes=60,
        track="general",
        presenters=("Anna Berg",),
        abstract="We moved our event bus to Kafka and learned about streaming semantics.",
    ),
    mk("kafka-3", "Kafkaesque Bureaucracy in Open Source", minutes=90, track="general", presenters=("Tom Tan",)),
    mk(
        "obs-1",
        "Observability for Large Models",
        minutes=120,
        track="ai",
        presenters=("Li Yanhong",),
        abstract="Tracing and metrics with OpenTelemetry.",
    ),
    mk(
        "obs-2",
        "Cost Control for Clusters",
        minutes=150,
        track="ai",
        presenters=("Mark Obs",),
        abstract="Observability data is expensive; here is how to keep it cheap.",
    ),
    mk(
        "pulsar-1",
        "Apache Pulsar Geo-Replication",
        minutes=180,
        track="streaming",
        presenters=("Zoltán Borók-Nagy", "Péter Rózsa"),
    ),
    mk(
        "doris-1",
        "Apache Doris for Semi-Structured Data",
        minutes=210,
        track="datalake",
        presenters=("高赟,张智鹏",),
        presenters_zh=("高赟,张智鹏",),
        title_zh="Apache Doris 半结构化数据分析",
    ),
    mk(
        "db-1",
        "Time Series at Scale",
        minutes=240,
        track="datalake",
        presenters=("Xinyu Tan",),
        title_zh="时序数据库的分区与共识",
        abstract_zh="介绍一个分布式时序数据库的架构。",
        room="YuanMing Hall",
        room_zh="圆明厅",
    ),
    mk(
        "cn-1",
        "Community Building in China",
        minutes=270,
        track="general",
        presenters=("Shaoting Duan",),
        presenters_zh=("段少婷",),
        title_zh="中国开源社区建设",
    ),
    mk(
        "wa-1",
        "Data Pipelines with Hop",
        minutes=300,
        track="datalake",
        presenters=("Wombacher, Andreas",),
        abstract="Date handling and data quality.",
    ),
    mk("kafka-4", "Kafka Internals", minutes=330, track="general", presenters=("Ron Bell",)),
    mk("late-1", "The Art of Lightning Talks", minutes=None, track="general", presenters=("Ann Other",)),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(SESSIONS, TRACKS)


def ids(hits) -> list[str]:
    return [h.session.id for h in hits]


# --------------------------------------------------------------------------- search


def test_title_word_finds_session(index):
    """Typing a word of a title finds that session first, matched on the title."""
    hits = index.search("OceanBase")
    assert ids(hits)[0] == "ob-1"
    assert hits[0].matched == "title"


def test_title_match_beats_abstract_match(index):
    """A session with the word in its title ranks above one that only mentions it in the abstract."""
    hits = index.search("observability")
    assert ids(hits)[:2] == ["obs-1", "obs-2"]
    assert [h.matched for h in hits[:2]] == ["title", "abstract"]
    assert hits[0].score > hits[1].score


def test_whole_word_beats_partial_word(index):
    """ "kafka" ranks a title with the word Kafka above a title with Kafkaesque."""
    order = ids(index.search("kafka"))
    assert order.index("kafka-1") < order.index("kafka-3")


def test_all_query_words_beat_some(index):
    """A session matching both words (even in its abstract) beats one matching only one, even in its title."""
    order = ids(index.search("kafka streaming"))
    assert order[0] == "kafka-1"  # both, title and track
    assert order.index("kafka-2") < order.index("kafka-4")  # both in abstract vs "Kafka" alone in title


def test_scores_descend(index):
    """Results come best first: scores never increase down the list."""
    scores = [h.score for h in index.search("apache data streaming")]
    assert scores == sorted(scores, reverse=True) and len(scores) > 2


@pytest.mark.parametrize(
    ("typo", "expected"),
    [("kafak", "kafka-1"), ("obsevability", "obs-1"), ("Pulsr", "pulsar-1"), ("Dorsi", "doris-1")],
)
def test_typo_still_finds_session(index, typo, expected):
    """A small typo in a word of 4+ letters still finds the session first."""
    assert ids(index.search(typo))[:1] == [expected]


def test_typo_does_not_flood_results(index):
    """A typo matches only sessions with the word it resembles, not every look-alike."""
    assert set(ids(index.search("Pulsr"))) == {"pulsar-1"}


def test_short_words_get_no_typo_matching(index):
    """Three-letter words are not typo-corrected, so a stray word does not match at random."""
    assert index.search("kfk") == []


def test_real_word_is_not_treated_as_typo(index):
    """A word that exists ("date") is not also matched as a typo of another word ("data")."""
    assert ids(index.search("date")) == ["wa-1"]


def test_chinese_word_found_by_bigrams(index):
    """A Chinese query (no spaces) finds the session whose Chinese title contains it."""
    hits = index.search("数据库")
    assert ids(hits)[0] == "db-1"
    assert hits[0].matched == "title"


def test_single_chinese_character(index):
    """A one-character Chinese query finds titles containing that character."""
    assert "db-1" in ids(index.search("库"))


def test_chinese_presenter_name(index):
    """A Chinese presenter name finds their session."""
    hits = index.search("段少婷")
    assert ids(hits) == ["cn-1"]
    assert hits[0].matched == "presenter"


def test_mixed_english_chinese_query(index):
    """A query mixing English and Chinese matches both parts."""
    assert ids(index.search("Apache 半结构化"))[0] == "doris-1"


def test_presenter_name_in_any_order(index):
    """ "Liu Wentao" finds Wentao Liu's session, and so does one part of the name."""
    assert ids(index.search("Liu Wentao"))[0] == "kafka-1"
    assert index.search("Liu Wentao")[0].matched == "presenter"
    assert ids(index.search("wentao")) == ["kafka-1"]


def test_diacritics_are_folded(index):
    """ "zoltan borok" finds Zoltán Borók-Nagy; accents are optional."""
    assert ids(index.search("zoltan borok"))[0] == "pulsar-1"
    assert ids(index.search("ZOLTÁN"))[0] == "pulsar-1"
    assert index.search("zoltan")[0].score == index.search("Zoltán")[0].score  # not treated as a typo


def test_exact_phrase_beats_scattered_words():
    """Of two titles with both words, the one with them side by side, as typed, comes first."""
    idx = SearchIndex([mk("x", "Doris Meets Apache Kafka", minutes=0), mk("y", "Apache Doris Basics", minutes=30)])
    assert ids(idx.search("apache doris")) == ["y", "x"]


def test_track_and_room_names_are_searched(index):
    """Track names (English or Chinese) and room names find sessions too."""
    assert set(ids(index.search("流处理"))) == {"kafka-1", "pulsar-1"}
    hits = index.search("JingMing")
    assert ids(hits) == ["kafka-1"] and hits[0].matched == "room"


def test_session_id_returns_that_session(index):
    """Typing a session id (any case) returns exactly that session."""
    hits = index.search("  KAFKA-2 ")
    assert ids(hits) == ["kafka-2"] and hits[0].matched == "id"


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_empty_query_returns_nothing(index, query):
    """An empty or blank query returns no results."""
    assert index.search(query) == []


def test_limit_is_respected(index):
    """search() never returns more results than asked for."""
    assert len(index.search("apache data kafka", limit=2)) == 2


def test_stopwords_do_not_decide_ranking(index):
    """Words like "the" and "of" do not pull in sessions that lack the real words."""
    assert ids(index.search("the observability of"))[:1] == ["obs-1"]
    assert "late-1" not in ids(index.search("the observability of"))  # "The Art of ..." has only the small words


def test_index_keeps_its_own_copy():
    """Changing the list the index was built from does not change search results."""
    sessions = list(SESSIONS)
    idx = SearchIndex(sessions, TRACKS)
    sessions.clear()
    assert ids(idx.search("OceanBase")) == ["ob-1"]


# --------------------------------------------------------------------------- autocomplete


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


# --------------------------------------------------------------------------- lookups


def test_closest_track_suggestions(index):
    """An unknown track gets "did you mean" suggestions, closest first, in the language typed."""
    assert index.closest("track", "stremaing")[0] == "Streaming"
    assert index.closest("track", "数据湖")[0] == "数据湖/数据仓库"


def test_closest_ignores_short_names_inside_the_typo(index):
    """A short name that happens to sit inside the typo ("AI" in "stremaing") is not suggested."""
    assert "AI / machine learning" not in index.closest("track", "stremaing")


def test_closest_room_and_speaker(index):
    """Rooms and speakers get suggestions too; nonsense gets none."""
    assert index.closest("room", "jingmin")[0] == "JingMing Hall"
    assert index.closest("speaker", "Wentao Lui")[0] == "Wentao Liu"
    assert index.closest("speaker", "xqzv") == []
    assert len(index.closest("speaker", "li", n=2)) <= 2


def test_closest_rejects_unknown_kind(index):
    """Asking for suggestions of an unknown kind is a programming error."""
    with pytest.raises(ValueError):
        index.closest("colour", "red")


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
    assert idx.speaker_sessions("Liu") == []
    lone = SearchIndex([mk("a", "A", minutes=0, presenters=("Wentao Liu",))])
    assert lone.speaker_sessions("Nobody Here") == []


def ids_of(sessions) -> list[str]:
    return [s.id for s in sessions]


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


# --------------------------------------------------------------------------- a real programme


def _read_programme(folder: Path) -> list[Session]:
    """Just enough of a front-matter reader: title, date, track, presenters, room, body."""
    by_id: dict[str, Session] = {}
    for path in sorted(folder.glob("*.md")):
        zh = path.name.endswith(".zh.md")
        sid = path.name[: -len(".zh.md")] if zh else path.stem
        match = re.match(r"---\n(.*?)\n---\n?(.*)", path.read_text(encoding="utf-8"), re.S)
        if not match:
            continue
        meta, body = yaml.safe_load(match.group(1)) or {}, match.group(2)
        body = re.sub(r"<[^>]+>", " ", body.split("### ")[0]).strip()
        people = tuple(p.strip() for p in str(meta.get("presenters") or "").split(",") if p.strip())
        s = by_id.get(sid) or Session(
            id=sid, path=str(path), title="", start=None, end=None, track=str(meta.get("track") or "")
        )
        if s.start is None and meta.get("date"):
            s.start = datetime.fromisoformat(str(meta["date"]).strip().replace(" ", "T")).replace(tzinfo=TZ)
        if zh:
            s.title_zh, s.presenters_zh, s.room_zh, s.abstract_zh = (
                str(meta.get("title") or ""),
                people,
                meta.get("room"),
                body,
            )
        else:
            s.title, s.presenters, s.room, s.abstract = str(meta.get("title") or ""), people, meta.get("room"), body
        by_id[sid] = s
    return list(by_id.values())


@pytest.fixture(scope="module")
def real_index() -> SearchIndex:
    if not HAVE_SHARED:
        pytest.skip("shared/ is missing")
    return SearchIndex(_read_programme(CORPUS))


def test_real_programme_title_word(real_index):
    """In the 2024 programme, "partitioning" (only in the IoTDB talk's title) finds that talk first."""
    hits = real_index.search("partitioning")
    assert ids(hits)[0] == "iot-1067" and hits[0].matched == "title"


def test_real_programme_chinese_name(real_index):
    """In the 2024 programme, the Chinese name 尹祥琨 finds the Seata talk."""
    assert ids(real_index.search("尹祥琨"))[0] == "cloudnative-1009"
    assert ids_of(real_index.speaker_sessions("尹祥琨")) == ["cloudnative-1009"]


def test_real_programme_typo(real_index):
    """In the 2024 programme, typos "partitoning" and "Saeta" still find their talks first."""
    assert ids(real_index.search("partitoning"))[0] == "iot-1067"
    assert set(ids(real_index.search("Saeta"))) == {"api-1093", "cloudnative-1009"}  # the two Seata talks
