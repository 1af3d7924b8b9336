"""Which channel hears of which session: its room's, else its track's; configured names the programme lacks."""

from __future__ import annotations

from bot.core.live import Places
from bot.core.live.setup import name_problems
from tests.core.live.helpers import COMMUNITY, HALL, PIER, at, catalog, session

PROGRAMME = catalog(
    session("k1", at(9), "Lighthouse Hall", room_zh="灯塔厅"),
    session("p1", at(10), "Pier 2", track="community"),
    session("s1", at(10), "Sail Loft", track="community"),
    session("x1", at(11), None, track="data"),
)


def test_a_session_goes_to_its_rooms_channel_else_its_tracks():
    """A room with a channel takes its sessions; a community talk in a room without one goes to the track's."""
    places = Places({"lighthouse hall": HALL, "Pier 2": PIER}, {"Community": COMMUNITY}).resolve(PROGRAMME)

    def channel(sid: str) -> int | None:
        place = places.of(PROGRAMME.by_id[sid])
        return None if place is None else place.channel_id

    assert [channel(sid) for sid in ("k1", "p1", "s1", "x1")] == [HALL, PIER, COMMUNITY, None]
    assert places.channel_ids == sorted([HALL, PIER, COMMUNITY])


def test_a_room_configured_by_its_chinese_name_is_the_same_room():
    """ "灯塔厅" in the configuration is the Lighthouse Hall of the programme, shown in both languages."""
    places = Places({"灯塔厅": HALL}, {}).resolve(PROGRAMME)
    place = places.rooms["Lighthouse Hall"]
    assert (place.name_in("en"), place.name_in("zh")) == ("Lighthouse Hall", "灯塔厅")


def test_names_the_programme_lacks_are_reported():
    """A misspelt room, an unknown track and a stream for a room that does not exist are each reported."""
    problems = name_problems(
        PROGRAMME, {"Lighthous Hall": HALL, "Pier 2": PIER}, {"keynote": COMMUNITY}, {"Ballroom": "https://x"}
    )
    assert [(p.kind, p.name, p.channel_id) for p in problems] == [
        ("unknown_room", "Lighthous Hall", HALL),
        ("unknown_track", "keynote", COMMUNITY),
        ("unknown_stream", "Ballroom", None),
    ]
    assert name_problems(PROGRAMME, {"Pier 2": PIER}, {"community": COMMUNITY}, {"pier 2": "https://x"}) == []
