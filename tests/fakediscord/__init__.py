"""A Discord on loopback for the end-to-end tests: the real discord.py talks to it as to Discord."""

from tests.fakediscord.harness import pointing_discord_at, running_bot
from tests.fakediscord.server import FakeDiscord, FakeUser, Request

__all__ = ["FakeDiscord", "FakeUser", "Request", "pointing_discord_at", "running_bot"]
