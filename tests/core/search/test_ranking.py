"""Full-text search, as attendees use /talk: what ranks first, typos, Chinese, names in any order."""

from __future__ import annotations

import pytest

from bot.core.search import SearchIndex
from tests.core.search.programme import ids, ids_of, mk


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


def test_sessions_holding_every_word_are_the_matches(index):
    """While some session holds both words (even in its abstract), one holding only one of them is no match."""
    found = index.find("kafka streaming")
    order = ids(found.hits)
    assert order[0] == "kafka-1"  # both, title and track
    assert "kafka-2" in order  # both in its abstract
    assert "kafka-4" not in order  # "Kafka" alone in its title
    assert found.every and found.total == len(order)


def test_when_no_session_holds_every_word_those_holding_most_come_first(index):
    """A query no session holds whole lists the sessions holding most of its words, first, and says so."""
    found = index.find("kafka pulsar")
    assert not found.every
    assert {"kafka-1", "pulsar-1"} <= set(ids(found.hits))


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
