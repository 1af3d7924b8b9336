"""The gateway half: HELLO, heartbeats, IDENTIFY and READY, GUILD_CREATE, dispatches, RESUME with replay.

Frames are sent as text (the client then needs no zlib).  Every dispatch is kept in the session,
so a bot that RESUMEs after a dropped socket gets what it missed, in order; closing with 4000
makes discord.py RESUME, forgetting the session makes it IDENTIFY again.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.fakediscord.models import INTENT_GUILDS

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord


@dataclass(eq=False)
class Session:
    id: str
    intents: int
    seq: int = 0
    frames: list[dict[str, Any]] = field(default_factory=list)  # dispatches, for replay on RESUME
    conn: Connection | None = None


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    session: Session | None = None
    ready: bool = False  # identified or resumed: dispatches go straight out


class Gateway:
    """The bot's websocket sessions; what the bot sends is recorded in `fake.gateway_frames`."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.session: Session | None = None
        self.connections: set[Connection] = set()
        self._background: set[asyncio.Task[Any]] = set()

    @property
    def connected(self) -> bool:
        return self.session is not None and self.session.conn is not None and self.session.conn.ready

    @property
    def seq(self) -> int:
        return self.session.seq if self.session is not None else 0

    async def serve(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = Connection(ws)
        self.connections.add(conn)
        try:
            hello = {"heartbeat_interval": self.fake.heartbeat_interval_ms}
            await self._send(conn, {"op": 10, "d": hello, "s": None, "t": None})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    frame = json.loads(msg.data)
                    await self._on_frame(conn, frame)
                    self.fake.gateway_frames.append(frame)
                    self.fake.gateway_waiters.notify(frame)
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            self.connections.discard(conn)
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
        return ws

    async def close(self) -> None:
        for conn in list(self.connections):
            await conn.ws.close(code=1001, message=b"fake Discord shutting down")

    async def _send(self, conn: Connection, frame: dict[str, Any]) -> None:
        if not conn.ws.closed:
            await conn.ws.send_str(json.dumps(frame))

    async def _on_frame(self, conn: Connection, frame: dict[str, Any]) -> None:
        op, raw = frame.get("op"), frame.get("d")
        d: dict[str, Any] = raw if isinstance(raw, dict) else {}  # a heartbeat's d is a number
        if op == 1:  # heartbeat
            await self._send(conn, {"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(conn, d)
        elif op == 6:
            await self._resume(conn, d)
        elif op == 8:  # request guild members
            guild = self.fake.guild
            await self.dispatch(
                "GUILD_MEMBERS_CHUNK",
                {
                    "guild_id": str(guild.id),
                    "members": [guild.member_dict(uid) for uid in guild.members],
                    "chunk_index": 0,
                    "chunk_count": 1,
                    "not_found": [],
                    "presences": [],
                    **({"nonce": d["nonce"]} if d.get("nonce") else {}),
                },
            )

    async def _identify(self, conn: Connection, d: dict[str, Any]) -> None:
        fake = self.fake
        if fake.token is not None and d.get("token") != fake.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        fake.identifies += 1
        session = Session(secrets.token_hex(16), int(d.get("intents") or 0))
        old = self.session
        if old is not None and old.conn is not None and old.conn is not conn:
            await old.conn.ws.close(code=4000)
        self.session = session
        conn.session, session.conn = session, conn
        session.seq += 1
        guild = fake.guild
        ready = {
            "v": 10,
            "user": {**guild.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(guild.id), "unavailable": True}],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": fake.gateway_url,
            "application": {"id": str(guild.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-discord"],
        }
        await self._send(conn, {"op": 0, "t": "READY", "s": session.seq, "d": ready})
        conn.ready = True
        if session.intents & INTENT_GUILDS:
            await self.dispatch("GUILD_CREATE", guild.guild_create(session.intents))

    async def _resume(self, conn: Connection, d: dict[str, Any]) -> None:
        session = self.session
        if session is None or d.get("session_id") != session.id or (d.get("seq") or 0) > session.seq:
            await self._send(conn, {"op": 9, "d": False, "s": None, "t": None})
            return
        self.fake.resumes += 1
        if session.conn is not None and session.conn is not conn:
            await session.conn.ws.close(code=4000)
        conn.session, session.conn = session, conn
        after = d.get("seq") or 0
        index = 0
        # Replay what the bot missed; dispatches made meanwhile are appended and sent by this loop too.
        while index < len(session.frames):
            frame = session.frames[index]
            index += 1
            if frame["s"] > after:
                await self._send(conn, frame)
        session.seq += 1
        conn.ready = True  # no await since the loop's last check: nothing can slip between
        await self._send(conn, {"op": 0, "t": "RESUMED", "s": session.seq, "d": {"_trace": ["fake-discord"]}})

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway dispatch (op 0) to the bot; while it is disconnected, keep it for the RESUME replay."""
        session = self.session
        if session is None:
            raise RuntimeError("the bot has not identified on the fake gateway yet")
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.frames.append(frame)
        conn = session.conn
        if conn is not None and conn.ready:
            await self._send(conn, frame)

    def dispatch_soon(self, event: str, data: dict[str, Any]) -> None:
        """Dispatch from synchronous code (a REST handler, a set-up call), if the bot has identified."""
        if self.session is None:
            return
        task = asyncio.get_running_loop().create_task(self.dispatch(event, data))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drop_connection(self, code: int = 4000, *, invalidate: bool = False) -> None:
        """Close the bot's socket (4000: the bot RESUMEs); `invalidate` forgets the session (op 9, re-IDENTIFY)."""
        session = self.session
        if session is None or session.conn is None:
            raise RuntimeError("the bot is not connected to the fake gateway")
        conn = session.conn
        session.conn = None
        conn.ready = False
        if invalidate:
            self.session = None
        await conn.ws.close(code=code, message=b"dropped by the test")
