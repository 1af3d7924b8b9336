"""Embeds show programme text as written: Markdown in titles is not formatted, mentions neither ping nor turn
into a role's name, in every part of every embed."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.commands.reply import Entry, Reply, Section, error_reply
from bot.frontends.discord.render import inert, plain, render_embed
from tests.fakediscord.harness import running_bot

SHANGHAI = ZoneInfo("Asia/Shanghai")
TITLE = "**Bold** ||spoiler|| [click](https://evil.example) _x_ ~~gone~~ <@&123456>"
PRESENTER = "<@&123456>, @everyone, <@99>"
# What Discord reads as a mention, a channel, a command, an emoji or a timestamp, and @everyone / @here.
SPECIAL = re.compile(r"<(@|#|/|a?:|t:)|@(everyone|here)")


def shown(text: str) -> str:
    """What a reader sees: escapes and zero-width spaces are not drawn."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


def embed_text(embed: Any) -> str:
    return "\n".join(
        [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
    )


@pytest.mark.parametrize("text", [TITLE, PRESENTER, "@here <#1234> </star:1> <:e:1> <a:e:1> <t:0:R>", "plain words"])
def test_special_text_is_shown_as_written_and_never_read_as_a_mention(text):
    """Mentions, channels, emoji and timestamps in programme text show as typed and are never parsed as such."""
    for made in (inert(text), plain(text)):
        assert shown(made) == text
        assert SPECIAL.search(made) is None


def test_titles_headings_lines_and_footers_are_shown_as_written():
    """A title with Markdown and a presenter written as a role mention or @everyone show as written everywhere."""
    start = datetime(2026, 8, 7, 10, 40, tzinfo=SHANGHAI)
    page = Reply(
        title=TITLE,
        text=f"About {PRESENTER}",
        sections=[Section(TITLE, [Entry(title=TITLE, start=start, lines=[PRESENTER], body=f"By {PRESENTER}")])],
        footer=f"Ask {PRESENTER}",
    )
    embed = render_embed(page, "en", "Asia/Shanghai").to_dict()
    assert shown(embed["title"]) == TITLE
    assert "\\*\\*Bold\\*\\*" in embed["title"] and "\\|\\|spoiler" in embed["title"]
    description = embed["description"]
    assert f"**{TITLE}**" not in description and TITLE in shown(description)
    assert f"<t:{int(start.timestamp())}:f>" in description  # the bot's own timestamps stay timestamps
    text = embed_text(embed)
    assert PRESENTER in shown(text)
    assert SPECIAL.search(text.replace(f"<t:{int(start.timestamp())}:", "")) is None


def test_error_replies_show_what_was_typed_as_written():
    """An error quoting what someone typed (a mention, @everyone) shows it as typed."""
    embed = render_embed(error_reply(f"No track “{PRESENTER}”.", f"Not {PRESENTER}"), "en").to_dict()
    assert SPECIAL.search(embed_text(embed)) is None and PRESENTER in shown(embed_text(embed))


# The programme reader splits presenters at "&" and drops tags like "<@&1>" from abstracts: no role mention there.
ODD_PRESENTERS = "@everyone, <@99>"


@pytest.fixture
def odd_programme(tmp_path) -> Path:
    """One session with Markdown and a role mention in its title, @everyone among its presenters."""
    folder: Path = tmp_path / "sessions"
    folder.mkdir()
    (folder / "odd.md").write_text(
        f"""---
title: '{TITLE}'
date: "2026-08-07T10:40:00"
track: "community"
presenters: "{ODD_PRESENTERS}"
room: "Pier 2"
---

Ask @here at the desk.
""",
        encoding="utf-8",
    )
    return folder


async def test_a_session_with_markdown_and_mentions_is_shown_as_written(
    sample_config, clock, confbot_factory, odd_programme
):
    """/talk on a session with Markdown and a role mention in its title and @everyone in its presenters shows them as written."""
    sample_config.sessions_dir, sample_config.tracks_dir = odd_programme, None
    async with running_bot(confbot_factory(sample_config, clock)) as (fake, _bot):
        reply = await fake.wait_for_response(await fake.slash("talk", {"query": "odd"}))
        [embed] = reply.embeds
        assert shown(embed["title"]) == TITLE and "\\*\\*Bold" in embed["title"]
        text = embed_text(embed)
        assert ODD_PRESENTERS in shown(text) and "Ask @here at the desk." in shown(text)
        assert SPECIAL.search(re.sub(r"<t:\d+:[fR]>", "", text)) is None
        assert reply.payload["allowed_mentions"] == {"parse": []}
