"""Autocomplete for every option kind: at most 25 suggestions within Discord's limits, best first."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.clock import FixedClock
from bot.commands import Ctx
from bot.commands.options import (
    AT,
    DAY,
    LEAD,
    ROOM,
    SESSION,
    SPEAKER,
    TRACK,
    complete,
)
from bot.config import Config
from bot.core.text import has_cjk
from tests.commands.helpers import (
    ATTENDEE,
    FRI_10,
)

AUTOCOMPLETED_KINDS = (SESSION, TRACK, ROOM, SPEAKER, DAY, AT, LEAD)


def fits(choices: list[tuple[str, str]]) -> bool:
    return (
        len(choices) <= 25
        and all(isinstance(lbl, str) and 1 <= len(lbl) <= 100 for lbl, _ in choices)
        and all(isinstance(v, str) and 1 <= len(v) <= 100 for _, v in choices)
    )


@pytest.mark.parametrize("kind", AUTOCOMPLETED_KINDS)
@pytest.mark.parametrize("text", ["", "a", "pier", "明天", "day", "1", "x" * 300, "Ｋｕｂ"])
async def test_autocomplete_fits_discord_for_every_kind(sample_app, kind, text):
    """Every autocomplete answers with at most 25 choices, labels and values within 100 characters."""
    for lang in ("en", "zh"):
        assert fits(complete(Ctx(sample_app, ATTENDEE, FRI_10, lang), kind, text))


async def test_autocomplete_empty_session_shows_whats_on_next(sample_app):
    """With nothing typed, session autocomplete offers what starts from now, soonest first."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10), SESSION, "")
    assert len(choices) == 25  # 14 start at or after 10:00 on Friday, 11 on Saturday
    assert choices[0] == ("Fri 10:00 · The Next Ten Years of Open Source Foundations in Asia", "keynote-103")
    assert choices[1][1] == "keynote-104"


@pytest.mark.parametrize(
    "kind, text, first",
    [
        (SESSION, "kub", "cloudnative-501"),
        (SESSION, "告警", "cloudnative-502"),
        (SESSION, "lakehouse", "data-404"),
        (TRACK, "comm", "community"),
        (TRACK, "云", "cloudnative"),
        (TRACK, "comunity", "community"),
        (ROOM, "pier 3", "Pier 3"),
        (SPEAKER, "pri", "Priya Raman"),
        (SPEAKER, "raman", "Priya Raman"),
        (DAY, "sat", "2026-08-08"),
        (DAY, "day 1", "2026-08-07"),
        (AT, "tomorrow 9am", "tomorrow 9am"),
        (LEAD, "15", "15"),
    ],
)
async def test_autocomplete_best_first(sample_app, kind, text, first):
    """What the user most likely means comes first."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10), kind, text)
    assert choices and choices[0][1] == first


async def test_autocomplete_time_shows_what_it_means(sample_app):
    """Typing a time offers it with its meaning in conference time."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10), AT, "tomorrow 9am")
    assert choices[0][0] == "tomorrow 9am → Sat 8 Aug 09:00"
    lead = complete(Ctx(sample_app, ATTENDEE, FRI_10), LEAD, "1 hour")
    assert lead[0][0] == "1 hour → 60 min"


async def test_autocomplete_days_list_both_days(sample_app):
    """With nothing typed, the day option offers the conference's two days in order."""
    assert complete(Ctx(sample_app, ATTENDEE, FRI_10), DAY, "") == [
        ("Day 1 · Fri 7 Aug", "2026-08-07"),
        ("Day 2 · Sat 8 Aug", "2026-08-08"),
    ]


async def test_autocomplete_day_number_ranks_that_day_first(sample_app):
    """Typing "2" in the day option puts day 2 first."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10), DAY, "2")
    assert choices[0][1] == "2026-08-08"


async def test_autocomplete_chinese_labels(sample_app):
    """In Chinese, track choices are labelled with the Chinese name."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10, "zh"), TRACK, "开源")
    assert choices[0] == ("开源社区", "community")


@pytest.fixture
async def long_names_app(tmp_path):
    """A programme whose title, speaker, room and track name are each far longer than 100 characters."""
    sessions = tmp_path / "sessions"
    (sessions / "tracks").mkdir(parents=True)
    title = "Harbour " + "very " * 40 + "long title"
    speaker = "Speaker " + "Longname" * 15
    room = "Room " + "Wing" * 30
    (sessions / "long-1.md").write_text(
        f'---\ntitle: "{title}"\ndate: "2026-08-07T10:00:00"\ntrack: "marathon"\npresenters: "{speaker}"\n'
        f'room: "{room}"\n---\nAbstract.\n',
        encoding="utf-8",
    )
    (sessions / "tracks" / "marathon.md").write_text(f'---\ntitle: "Marathon {"Track " * 30}"\n---\n', encoding="utf-8")
    cfg = Config(sessions_dir=sessions, database=tmp_path / "db.sqlite")
    app = App(cfg, FixedClock(FRI_10))
    assert app.catalog.by_id["long-1"].title == title
    yield app
    await app.close()


@pytest.mark.parametrize("kind, text", [(SESSION, ""), (SESSION, "harbour"), (TRACK, ""), (TRACK, "mara")])
async def test_autocomplete_clips_long_labels(long_names_app, kind, text):
    """Over-long titles and track names are clipped to 100 characters in autocomplete."""
    choices = complete(Ctx(long_names_app, ATTENDEE, FRI_10), kind, text)
    assert choices and fits(choices)


@pytest.mark.parametrize("kind, text", [(SPEAKER, ""), (SPEAKER, "speaker"), (ROOM, ""), (ROOM, "room")])
async def test_autocomplete_long_speaker_and_room_values_fit(long_names_app, kind, text):
    """Over-long speaker and room names still give choices whose values fit Discord's 100 characters."""
    choices = complete(Ctx(long_names_app, ATTENDEE, FRI_10), kind, text)
    assert choices and fits(choices)


async def test_autocomplete_in_chinese_writes_weekdays_and_minutes_in_chinese(sample_app):
    """In Chinese, the upcoming sessions are labelled 周五 10:00 and a lead time in 分钟."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10, "zh")
    first = complete(ctx, SESSION, "")[0]
    assert first[1] == "keynote-103" and first[0].startswith("周五 10:00 · ")
    assert complete(ctx, LEAD, "1 hour")[0][0] == "1 hour → 60 分钟"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", [AT, LEAD])
async def test_time_examples_come_in_the_readers_language_first_and_all_work(sample_app, kind, lang):
    """With nothing typed, a time's suggestions are examples in the reader's language first, and each one works."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10, lang)
    choices = complete(ctx, kind, "")
    assert has_cjk(choices[0][1]) == (lang == "zh")
    for _, value in choices:
        assert complete(ctx, kind, value)[0][0].startswith(f"{value} → "), value  # it reads as a time
