"""Notices as Discord messages: timestamps each reader sees in their own zone, mentions that fit 2,000 characters."""

from __future__ import annotations

from bot.core.changes import diff, snapshot_of
from bot.core.model import Problem, ScheduledSession
from bot.core.notices import AnnouncementNotice, BrokenFilesNotice, ChangeNotice, ReminderNotice
from bot.frontends.discord.notices import DISCORD_LIMIT, allowed_mentions, escape, mentions_per_post, render
from tests.core.reminders.helpers import TZ, at, catalog, session


def scheduled(sid: str = "a", **kw) -> ScheduledSession:
    s = session(sid, at(10), **kw)
    return ScheduledSession(**{f: getattr(s, f) for f in s.__dataclass_fields__})


def test_reminder_names_the_session_its_start_as_timestamps_and_in_conference_time():
    """A reminder has the title, the start as Discord timestamps, the conference time with its zone, the room and /unstar."""
    text = render(ReminderNotice(scheduled(), TZ), "en")
    unix = int(at(10).timestamp())
    assert text.startswith(f"⏰ Reminder: “Talk a” starts <t:{unix}:t> (<t:{unix}:R>)")
    assert "Fri 7 Aug 10:00 (Asia/Shanghai)" in text and "Pier 1" in text and "/unstar a" in text


def test_reminder_in_chinese():
    """A Chinese reader gets the Chinese title and the conference time written the Chinese way."""
    text = render(ReminderNotice(scheduled(title="Edge AI", title_zh="边缘人工智能"), TZ), "zh")
    unix = int(at(10).timestamp())
    assert text.startswith(f"⏰ 提醒：《边缘人工智能》将于 <t:{unix}:t>（<t:{unix}:R>）开始")
    assert "会议时间：8月7日 周五 10:00（Asia/Shanghai）" in text and "/unstar a" in text


def test_a_late_reminder_says_sorry():
    """A reminder sent after its time starts with an apology."""
    assert render(ReminderNotice(scheduled(), TZ, late=True), "en").startswith(
        "⏰ Sorry, this reminder is late: “Talk a”"
    )


def test_reminder_text_stays_under_discords_limit():
    """Even a session with an absurdly long title and room fits in one Discord message."""
    s = scheduled("long", title="T" * 5000, room="R" * 3000)
    for lang in ("en", "zh"):
        assert len(render(ReminderNotice(s, TZ, late=True), lang)) < DISCORD_LIMIT


def test_channel_posts_fit_in_one_message_whatever_the_user_ids():
    """Split as the sender says, every post mentioning the widest user ids stays within 2,000 characters."""
    widest = [18446744073709551615 - u for u in range(500)]
    for s in (scheduled(), scheduled("long", title="T" * 5000, room="R" * 3000)):
        for lang in ("en", "zh"):
            notice = ReminderNotice(s, TZ, late=True)
            per_post = mentions_per_post(notice, lang)
            assert per_post > 1
            for i in range(0, len(widest), per_post):
                chunk = widest[i : i + per_post]
                text = render(notice, lang, chunk)
                assert len(text) <= DISCORD_LIMIT
                assert all(f"<@{u}>" in text for u in chunk)


def test_a_channel_post_pings_only_the_users_it_reminds():
    """The mentions in a reminder post ping exactly those users, never everyone or a role."""
    mentions = allowed_mentions(ReminderNotice(scheduled(), TZ), [7, 8])
    assert mentions.everyone is False and mentions.roles is False
    assert isinstance(mentions.users, list) and [u.id for u in mentions.users] == [7, 8]


def test_an_announcement_pings_only_when_the_organizer_asked():
    """An organizer's announcement is posted as written; its @everyone pings only with ping:true."""
    quiet, loud = AnnouncementNotice("@everyone lunch"), AnnouncementNotice("@everyone lunch", ping=True)
    assert render(quiet, "en") == "@everyone lunch"
    assert allowed_mentions(quiet).everyone is False and allowed_mentions(loud).everyone is True


def change(new):
    base = catalog(session("a", at(10)), session("b", at(11), room="Pier 2"))
    (c,) = diff(snapshot_of(base), catalog(*([new] if new else []), session("b", at(11), room="Pier 2")))
    return ChangeNotice(c)


def test_a_change_notice_gives_the_new_time_as_a_timestamp_and_how_to_stop():
    """A moved session's notice ends with its new start as a Discord timestamp, then how to unstar it."""
    unix = int(at(14).timestamp())
    en = render(change(session("a", at(14), room="Pier 2")), "en")
    assert en == (
        f"📣 Schedule change: “Talk a” moved from Fri 10:00 (Pier 1) to Fri 14:00 (Pier 2) — <t:{unix}:F>\n"
        "You starred this session; /unstar a to stop hearing about it."
    )
    zh = render(change(session("a", at(14))), "zh")
    assert zh.startswith(f"📣 日程变更：《Talk a》从 周五 10:00 改到 周五 14:00（Pier 1）（<t:{unix}:F>）\n")


def test_a_cancellation_has_no_new_time():
    """A cancelled session's notice says so, with no timestamp."""
    text = render(change(None), "en")
    assert text.startswith("📣 Schedule change: “Talk a” (Fri 10:00, Pier 1) is cancelled\n") and "<t:" not in text


def test_a_report_of_many_broken_files_is_cut_to_fit_and_says_where_the_rest_are():
    """Organizers told of hundreds of broken files get one message that ends by pointing at `python -m bot check`."""
    problems = tuple(Problem(f"/conf/sessions/talk-{i:03d}.md", 2, None, "error", "bad YAML") for i in range(200))
    text = render(BrokenFilesNotice(problems), "en")
    assert text.startswith("⚠ Programme files that could not be read")
    assert "• /conf/sessions/talk-000.md:2: error: bad YAML" in text
    assert len(text) <= 1900 and text.endswith("… (python -m bot check lists them all)")
    short = render(BrokenFilesNotice(problems[:2]), "en")
    assert short.endswith("talk-001.md:2: error: bad YAML")


def test_the_conference_zone_is_named_even_without_an_iana_key():
    """A reminder in a fixed-offset zone still names the zone it gives the conference time in."""
    from datetime import timedelta, timezone

    text = render(ReminderNotice(scheduled(), timezone(timedelta(hours=8), "CST")), "en")
    assert "Fri 7 Aug 10:00 (CST)" in text


MARKDOWN_TITLE = "**Free** pizza ||after|| the [keynote](https://evil.example) with <@&123456> @everyone"


def test_a_reminder_shows_programme_text_as_written_not_as_markdown_or_mentions():
    """A title with bold, a spoiler, a masked link and a role mention reads in the reminder exactly as written."""
    s = scheduled(title=MARKDOWN_TITLE, room="<#42> Hall_A")
    text = render(ReminderNotice(s, TZ), "en")
    assert "\\*\\*Free\\*\\*" in text and "\\|\\|after\\|\\|" in text
    assert "\\[keynote](https://evil.example)" in text  # a link, not a masked link
    assert "<\u200b@&123456>" in text and "<\u200b#42> Hall\\_A" in text  # shown as typed, neither a role nor a channel
    assert "@\u200beveryone" in text
    assert "<t:" in text  # the bot's own timestamps stay timestamps


def test_a_change_notice_shows_programme_text_as_written():
    """A renamed session's old and new titles, and its rooms, keep their stars, pipes and angle brackets as typed."""
    notice = change(session("a", at(14), room="<@&123456>", title="**New** ||name||"))
    text = render(notice, "en")
    assert "“\\*\\*New\\*\\* \\|\\|name\\|\\|”" in text and "<\u200b@&123456>" in text
    assert "<t:" in text and "**New**" not in text


def test_escaping_leaves_plain_titles_alone():
    """Ordinary titles, Chinese included, are not touched by the escaping."""
    assert escape("Small Models on Small Machines: 边缘人工智能 (2026)") == (
        "Small Models on Small Machines: 边缘人工智能 (2026)"
    )
