"""Application commands: `tree.sync()` overwrites a scope's commands, echoed back with ids; tests look them up."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakediscord.errors import error
from tests.fakediscord.limits import command_problems
from tests.fakediscord.records import Request

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord


class Commands:
    """The synced commands by scope (`fake.synced_commands`, None for global); ids stay stable across syncs."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self._ids: dict[tuple[int | None, int, str], int] = {}

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        return [
            ("GET", "/applications/{application_id}/commands", self.get_commands),
            ("PUT", "/applications/{application_id}/commands", self.put_commands),
            ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self.get_commands),
            ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self.put_commands),
        ]

    def command(self, name: str, *, guild: bool | None = None, type: int = 1) -> dict[str, Any] | None:
        guild_id = self.fake.guild.id
        scopes: list[int | None] = [guild_id, None] if guild is None else ([guild_id] if guild else [None])
        for scope in scopes:
            for cmd in self.fake.synced_commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == type:
                    return cmd
        return None

    def _scope(self, application_id: str, guild_id: str | None) -> int | None:
        if application_id != str(self.fake.guild.application_id):
            raise error(403, 50001, "Missing Access")
        if guild_id is None:
            return None
        self.fake.known_guild(guild_id)
        return int(guild_id)

    def get_commands(self, rec: Request, application_id: str, guild_id: str | None = None) -> tuple[int, Any]:
        return 200, self.fake.synced_commands.get(self._scope(application_id, guild_id), [])

    def put_commands(self, rec: Request, application_id: str, guild_id: str | None = None) -> tuple[int, Any]:
        fake = self.fake
        scope = self._scope(application_id, guild_id)
        commands = rec.json if isinstance(rec.json, list) else []
        fake.reject_invalid(command_problems(commands, fake.max_global_commands), rec)
        echoed = []
        for cmd in commands:
            ctype = cmd.get("type", 1)
            key = (scope, ctype, cmd["name"])
            if key not in self._ids:
                self._ids[key] = fake.ids.next()
            out = {
                "default_member_permissions": None,
                "type": ctype,
                "nsfw": False,
                "options": [],
                **cmd,
                "id": str(self._ids[key]),
                "application_id": str(fake.guild.application_id),
                "version": str(fake.ids.next()),
            }
            if scope is not None:
                out["guild_id"] = str(scope)
            echoed.append(out)
        fake.synced_commands[scope] = echoed
        return 200, echoed
