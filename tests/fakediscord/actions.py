"""Acting as a guild member: slash commands, autocomplete, button clicks and select choices, modal submissions.

Each action builds the INTERACTION_CREATE payload discord.py expects (options typed from the
synced command, users, roles, channels and attachments resolved), dispatches it, and returns the
`Interaction`, whose answers the test then awaits with `fake.wait_for_response`.  A test that
asks for something Discord's client would not send (an unknown option, a missing required one, a
value outside an option's choices, a disabled button) gets a ValueError at once.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from tests.fakediscord.commands import Commands
from tests.fakediscord.gateway import Gateway
from tests.fakediscord.guild import Guild
from tests.fakediscord.limits import ATTACHMENT_SIZE_LIMIT, SELECT_TYPES, find_component, walk_components
from tests.fakediscord.messages import MessageRef, MessageStore
from tests.fakediscord.models import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    ChannelLike,
    FakeChannel,
    FakeClock,
    FakeRole,
    FakeUser,
    RoleLike,
    Snowflakes,
    UserLike,
)
from tests.fakediscord.records import Interaction, Upload
from tests.fakediscord.responses import Responses

Options = dict[str, Any] | list[dict[str, Any]] | None


class Acting:
    """The user side of the fake (mixed into FakeDiscord)."""

    guild: Guild
    gateway: Gateway
    store: MessageStore
    app_commands: Commands
    responses: Responses
    clock: FakeClock
    ids: Snowflakes
    interactions: dict[int, Interaction]

    async def slash(
        self,
        name: str,
        options: Options = None,
        *,
        user: UserLike = "alice",
        roles: Iterable[RoleLike] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        guild: bool = True,
        channel: ChannelLike = "general",
        at: datetime | None = None,
    ) -> Interaction:
        """Invoke `/name` as `user` ("group sub" for subcommands).

        `options` maps option names to values (users, roles, channels by name, id or object;
        attachments as `(filename, bytes)`); types come from the synced command.  A list is
        sent as the raw `options` array.  `guild=False` invokes it in the bot's DMs.
        """
        data = self._command_data(name, options, focused=None)
        return await self._interact(
            APPLICATION_COMMAND,
            data,
            user=user,
            roles=roles,
            permissions=permissions,
            locale=locale,
            guild=guild,
            channel=channel,
            at=at,
        )

    async def autocomplete(
        self,
        name: str,
        options: Options = None,
        *,
        focused: str,
        user: UserLike = "alice",
        roles: Iterable[RoleLike] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        guild: bool = True,
        channel: ChannelLike = "general",
    ) -> Interaction:
        """Ask for choices while `user` types into option `focused` (its partial text is in `options`)."""
        data = self._command_data(name, options, focused=focused)
        return await self._interact(
            AUTOCOMPLETE,
            data,
            user=user,
            roles=roles,
            permissions=permissions,
            locale=locale,
            guild=guild,
            channel=channel,
        )

    async def click(
        self,
        message: MessageRef,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
        user: UserLike = "alice",
        roles: Iterable[RoleLike] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
    ) -> Interaction:
        """Press the button (or choose `values` in the select) `custom_id` on a message the bot sent."""
        msg = self.store.find(message)
        component = find_component(msg.get("components") or [], custom_id)
        if component is None:
            ids = [c.get("custom_id") for c in walk_components(msg.get("components") or []) if c.get("custom_id")]
            raise ValueError(f"message {msg['id']} has no component {custom_id!r}; it has {ids}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled: no user can use it")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] in SELECT_TYPES:
            data["values"] = list(values or [])
        elif values is not None:
            raise ValueError(f"component {custom_id!r} is a button, it takes no values")
        channel = self.guild.channels[int(msg["channel_id"])]
        return await self._interact(
            MESSAGE_COMPONENT,
            data,
            user=user,
            roles=roles,
            permissions=permissions,
            locale=locale,
            guild=not channel.is_dm,
            channel=channel,
            message=msg,
        )

    async def submit_modal(
        self, interaction: Interaction, values: dict[str, str], *, user: UserLike | None = None
    ) -> Interaction:
        """Submit the modal the bot opened in answer to `interaction`, text inputs filled by custom_id."""
        modal = interaction.modal
        if modal is None:
            raise ValueError("the bot did not answer this interaction with a modal")
        unknown = set(values) - {c.get("custom_id") for c in walk_components(modal.get("components", []))}
        if unknown:
            raise ValueError(f"the modal has no inputs {sorted(unknown)}")

        def filled(component: dict[str, Any]) -> dict[str, Any]:
            custom_id = component["custom_id"]
            if component.get("type") in SELECT_TYPES:
                return {"type": component["type"], "custom_id": custom_id, "values": list(values.get(custom_id, []))}
            value = str(values.get(custom_id, ""))
            # Discord's client refuses to submit these, so a test asking for them has a bug.
            if component.get("required", True) and not value:
                raise ValueError(f"modal input {custom_id!r} is required")
            low, high = component.get("min_length", 0), component.get("max_length", 4000)
            if value and not low <= len(value) <= high:
                raise ValueError(f"modal input {custom_id!r} takes {low} to {high} characters, not {len(value)}")
            return {"type": component["type"], "custom_id": custom_id, "value": value}

        rows = []
        for row in modal.get("components", []):
            if row.get("type") == 18 and isinstance(row.get("component"), dict):  # a label around one input
                rows.append({"type": 18, "component": filled(row["component"])})
            elif row.get("type") == 1:
                inputs = [filled(c) for c in row.get("components", []) if "custom_id" in c]
                rows.append({"type": 1, "components": inputs})
        channel = self.guild.channels[interaction.channel_id]
        data = {"custom_id": modal["custom_id"], "components": rows}
        return await self._interact(
            MODAL_SUBMIT, data, user=user or interaction.user_id, guild=not channel.is_dm, channel=channel
        )

    # ---------------------------------------------------------------- building the payload

    def _command_data(self, name: str, options: Options, focused: str | None) -> dict[str, Any]:
        top, *path = name.split()
        cmd = self.app_commands.command(top)
        data: dict[str, Any] = {"id": str(cmd["id"]) if cmd else str(self.ids.next()), "name": top, "type": 1}
        if cmd is not None and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        resolved: dict[str, dict[str, Any]] = {}
        schema: list[dict[str, Any]] | None = cmd.get("options", []) if cmd is not None else None
        root: list[dict[str, Any]] = []
        level = root
        for sub in path:
            spec = _find_option(schema, sub) if schema is not None else None
            if schema is not None and (spec is None or spec.get("type") not in (1, 2)):
                raise ValueError(f"/{top} has no subcommand {sub!r}")
            sub_options: list[dict[str, Any]] = []
            level.append(
                {"name": sub, "type": spec["type"] if spec else (2 if sub != path[-1] else 1), "options": sub_options}
            )
            level = sub_options
            schema = spec.get("options", []) if spec is not None else None
        if schema is not None and not path and any(o.get("type") in (1, 2) for o in schema):
            raise ValueError(f"/{top} has subcommands: name one, e.g. slash('{top} <sub>', ...)")
        if isinstance(options, list):
            level.extend(options)
        else:
            given = dict(options or {})
            if focused is not None:
                given.setdefault(focused, "")
            for opt_name, value in given.items():
                spec = _find_option(schema, opt_name) if schema is not None else None
                if schema is not None and spec is None:
                    raise ValueError(f"/{name} has no option {opt_name!r}; it has {[o['name'] for o in schema]}")
                opt_type = spec["type"] if spec is not None else _infer_option_type(value)
                level.append(self._option(opt_name, opt_type, value, spec, resolved, focused=opt_name == focused))
            if schema is not None and focused is None:
                missing = [o["name"] for o in schema if o.get("required") and o["name"] not in given]
                if missing:
                    raise ValueError(f"/{name} needs required options {missing}")
        if root:
            data["options"] = root
        if resolved:
            data["resolved"] = resolved
        return data

    def _option(
        self,
        name: str,
        opt_type: int,
        value: Any,
        spec: dict[str, Any] | None,
        resolved: dict[str, dict[str, Any]],
        *,
        focused: bool,
    ) -> dict[str, Any]:
        option: dict[str, Any] = {"name": name, "type": opt_type}
        if focused:
            option["value"] = value if isinstance(value, str) else str(value)
            option["focused"] = True
            return option
        guild = self.guild
        if opt_type == 3:
            option["value"] = str(value)
        elif opt_type == 4:
            option["value"] = int(value)
        elif opt_type == 5:
            option["value"] = bool(value)
        elif opt_type == 10:
            option["value"] = float(value)
        elif opt_type == 6 or (opt_type == 9 and not isinstance(value, FakeRole) and not guild.is_role(value)):
            user = guild.user(value)
            option["value"] = str(user.id)
            resolved.setdefault("users", {})[str(user.id)] = user.to_dict()
            if user.id in guild.members:
                member = guild.member_dict(user.id, with_user=False)
                member["permissions"] = str(guild.permissions_of(user))
                resolved.setdefault("members", {})[str(user.id)] = member
        elif opt_type in (8, 9):
            role = guild.role(value)
            option["value"] = str(role.id)
            resolved.setdefault("roles", {})[str(role.id)] = role.to_dict()
        elif opt_type == 7:
            channel = guild.channel(value)
            option["value"] = str(channel.id)
            resolved.setdefault("channels", {})[str(channel.id)] = {
                **channel.to_dict(),
                "permissions": str(guild.permissions_of(guild.bot_user)),
            }
        elif opt_type == 11:
            filename, content = value if isinstance(value, tuple) else ("file.bin", value)
            aid, attachment = self.store.add_attachment(
                Upload("", filename, "application/octet-stream", bytes(content))
            )
            option["value"] = str(aid)
            resolved.setdefault("attachments", {})[str(aid)] = attachment
        else:
            option["value"] = value
        if spec is not None and spec.get("choices"):
            allowed = [c["value"] for c in spec["choices"]]
            if option["value"] not in allowed:
                raise ValueError(f"option {name!r} only offers choices {allowed}, not {option['value']!r}")
        return option

    async def _interact(
        self,
        itype: int,
        data: dict[str, Any],
        *,
        user: UserLike,
        roles: Iterable[RoleLike] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        guild: bool = True,
        channel: ChannelLike = "general",
        message: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> Interaction:
        g = self.guild
        who = g.user(user)
        iid = self.ids.next(at)
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(32)
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(g.application_id),
            "type": itype,
            "data": data,
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "app_permissions": str(g.permissions_of(g.bot_user)),
        }
        place: FakeChannel
        if guild:
            place = g.channel(channel)
            if place.is_dm:
                raise ValueError("guild=True needs a guild channel")
            role_ids = [g.role(r).id for r in roles] if roles is not None else None
            member = g.member_dict(who.id, role_ids)
            perms = permissions if permissions is not None else g.permissions_of(who, role_ids)
            member["permissions"] = str(perms)
            payload.update(
                guild_id=str(g.id),
                guild={"id": str(g.id), "locale": g.preferred_locale, "features": []},
                guild_locale=g.preferred_locale,
                channel_id=str(place.id),
                channel={**place.to_dict(), "permissions": str(perms)},
                member=member,
                authorizing_integration_owners={"0": str(g.id)},
                context=0,
            )
        else:
            place = g.dm_channel(who)
            payload.update(
                channel_id=str(place.id),
                channel=place.to_dict(),
                user=who.to_dict(),
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if message is not None:
            payload["message"] = json.loads(json.dumps(message))
        interaction = Interaction(iid, token, itype, payload, place.id, who.id, self.clock.now())
        self.interactions[iid] = interaction
        self.responses.by_token[token] = interaction
        interaction.sent_at = time.perf_counter()
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        interaction.seq = self.gateway.seq
        return interaction


def _find_option(schema: list[dict[str, Any]] | None, name: str) -> dict[str, Any] | None:
    return next((o for o in schema or [] if o.get("name") == name), None)


def _infer_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    if isinstance(value, FakeUser):
        return 6
    if isinstance(value, FakeChannel):
        return 7
    if isinstance(value, FakeRole):
        return 8
    if isinstance(value, tuple):
        return 11
    return 3
