"""End to end: a /reload of a large programme is read off the event loop, so other attendees are answered
meanwhile, in time, from the programme as it was; the /reload itself shows "thinking…" and then its result."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

import bot.core.programme.loader as loader_module
from bot.config import Config
from bot.frontends.discord import client as discord_client
from tests.fakediscord.harness import running_bot

SESSIONS = 2_000
MANAGE_GUILD = 1 << 5
ORGANIZER = MANAGE_GUILD | (1 << 31)  # Manage Server: may /reload


def text_of(reply) -> str:
    """Everything a reader sees in a reply's embeds."""
    parts = []
    for embed in reply.embeds:
        parts += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
    return "\n".join(parts)


def write_session(folder: Path, i: int, title: str, stamp: int) -> None:
    day, slot = 7 + i // 800, i % 800
    hour, minute = 9 + slot // 80, 10 * ((slot // 10) % 6)
    (folder / f"s-{i:04d}.md").write_text(
        f'---\ntitle: "{title}"\ndate: "2026-08-{day:02d}T{hour:02d}:{minute:02d}:00"\ntrack: "harbour"\n'
        f'presenters: "Speaker {i}, Guest {i % 37}"\nroom: "Pier {i % 10}"\n---\n\nA talk about charts and tides, part {i}.\n',
        encoding="utf-8",
    )
    os.utime(folder / f"s-{i:04d}.md", ns=(stamp, stamp))


@pytest.fixture
def large_config(tmp_path) -> Config:
    """A configuration whose programme has 2,000 sessions."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    for i in range(SESSIONS):
        write_session(folder, i, f"Harbour session {i}", 1_700_000_000_000_000_000)
    cfg = Config()
    cfg.sessions_dir = folder
    cfg.database = tmp_path / "bot.db"
    return cfg


async def test_other_interactions_are_answered_while_a_reload_is_read(
    large_config, clock, monkeypatch, confbot_factory
):
    """While an organizer's /reload of a 2,000-session programme is being read, an attendee's /talk and an
    autocomplete are answered in time from the programme as it was; the /reload is deferred in time, then
    answered, and from then on the edits are found."""
    monkeypatch.setattr(discord_client, "DEFER_AFTER", 0.05)
    async with running_bot(confbot_factory(large_config, clock)) as (fake, _bot):
        folder = large_config.sessions_dir
        for i in (42, 1500):  # an organizer edits two sessions
            write_session(folder, i, f"Lighthouse keeping {i}", 1_800_000_000_000_000_000)
        # Hold the reload where it reads the edited files, until the other interactions have been answered.
        reading, finish = threading.Event(), threading.Event()
        read_stat = loader_module.read_stat

        def held(path: str):
            reading.set()
            finish.wait(10)  # a reload run on the event loop would hold every interaction here
            return read_stat(path)

        monkeypatch.setattr(loader_module, "read_stat", held)
        reload = await fake.slash("reload", user="bob", permissions=ORGANIZER)
        assert await asyncio.to_thread(reading.wait, 10)

        talk = await fake.wait_for_response(await fake.slash("talk", {"query": "Harbour session 42"}, user="alice"))
        assert talk.callback_type == 4 and "Harbour session 42" in text_of(talk)
        typed = await fake.autocomplete("star", {"session": "harbour session 150"}, focused="session", user="alice")
        choices = (await fake.wait_for_response(typed)).choices
        assert "s-1500" in [c["value"] for c in choices]
        thinking = await fake.wait_for_response(reload)
        assert thinking.callback_type == 5  # the organizer sees "thinking…" in time
        assert not finish.is_set() and len(reload.responses) == 1  # all of this while the reload was held

        finish.set()
        done = await fake.wait_for_response(reload)
        assert done.kind == "followup" and "Programme reloaded" in text_of(done)
        assert f"{SESSIONS} sessions" in text_of(done)
        found = await fake.wait_for_response(await fake.slash("talk", {"query": "Lighthouse keeping 1500"}))
        assert "Lighthouse keeping 1500" in text_of(found)
