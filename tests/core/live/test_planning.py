"""What each channel hears when: one post per channel and start, `lead` before it, while its sessions are on."""

from __future__ import annotations

from datetime import timedelta

from bot.core.live import Places
from bot.core.live.planning import due_posts, next_due, plan, post_nonce
from tests.core.live.helpers import COMMUNITY, HALL, PIER, ROOMS, at, catalog, session

LEAD = timedelta(minutes=5)


def test_each_session_is_planned_lead_minutes_before_it_in_its_rooms_channel():
    """Two talks in two rooms at 10:00 make two posts due at 09:55, one per room's channel."""
    programme = catalog(session("a", at(10), "Lighthouse Hall"), session("b", at(10), "Pier 2"))
    posts = plan(programme, Places(ROOMS, {}).resolve(programme), LEAD, at(8))
    assert [(p.channel_id, p.due_at, [s.id for s in p.sessions]) for p in posts] == [
        (HALL, at(9, 55), ["a"]),
        (PIER, at(9, 55), ["b"]),
    ]


def test_sessions_starting_together_in_one_channel_share_a_post():
    """Two community talks at 10:00 in rooms without channels share one post in the track's channel."""
    programme = catalog(
        session("a", at(10), "Room A", track="community"),
        session("b", at(10), "Room B", track="community"),
        session("c", at(11), "Room A", track="community"),
    )
    posts = plan(programme, Places({}, {"community": COMMUNITY}).resolve(programme), LEAD, at(8))
    assert [[s.id for s in p.sessions] for p in posts] == [["a", "b"], ["c"]]
    assert {p.channel_id for p in posts} == {COMMUNITY}


def test_a_post_is_due_until_its_session_ends_and_no_longer():
    """At 10:20 the 10:00 post is still due (its talk is on); at 10:40, when it ended, it is not planned at all."""
    programme = catalog(session("a", at(10), "Lighthouse Hall"), session("b", at(11), "Lighthouse Hall"))
    places = Places(ROOMS, {}).resolve(programme)
    assert [p.sessions[0].id for p in due_posts(plan(programme, places, LEAD, at(10, 20)), at(10, 20))] == ["a"]
    later = plan(programme, places, LEAD, at(10, 40))
    assert [p.sessions[0].id for p in later] == ["b"] and due_posts(later, at(10, 40)) == []
    assert next_due(later, at(10, 40)) == at(10, 55)


def test_a_posts_nonce_depends_on_what_it_announces_not_on_order():
    """The same post computed again (after a crash) has the same nonce; another session set has another."""
    assert post_nonce(HALL, at(10), ["b", "a"]) == post_nonce(HALL, at(10), ["a", "b"])
    assert post_nonce(HALL, at(10), ["a"]) != post_nonce(HALL, at(10), ["a", "b"])
    assert post_nonce(HALL, at(10), ["a"]) != post_nonce(PIER, at(10), ["a"])
    assert len(post_nonce(HALL, at(10), ["a"])) <= 25
