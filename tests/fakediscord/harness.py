"""Runs a real discord.py client against the fake Discord for a test, and fails the test on what it hides.

    async with running_bot(lambda fake: make_my_bot(fake)) as (fake, bot):
        interaction = await fake.slash("ping")
        reply = await fake.wait_for_response(interaction)

The test fails (at exit, or at once inside `fake.wait_for*`) when the bot task dies, when
discord.py logged an error (an exception in a command, a view or an event), or when the fake
recorded a broken Discord limit.  A test that breaks a limit on purpose asserts on
`fake.take_violations()`, or sets `fake.check_violations = False` / passes `check_violations=False`.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

import discord
import pytest
import pytest_asyncio
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fakediscord.server import FakeDiscord

__all__ = ["FakeDiscord", "fake_discord", "pointing_discord_at", "running_bot"]

ClientT = TypeVar("ClientT", bound=discord.Client)
BotFactory = Callable[[FakeDiscord], ClientT | Awaitable[ClientT]]


@contextlib.contextmanager
def pointing_discord_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's process-wide REST base and gateway URL at the fake; restore them afterwards."""
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


class _ErrorCapture(logging.Handler):
    """Keeps the errors discord.py logs (it swallows exceptions raised in commands, views and events)."""

    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__(level=logging.ERROR)
        self.fake = fake

    def emit(self, record: logging.LogRecord) -> None:
        self.fake.bot_errors.append(record)


def _describe_errors(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s: %(message)s")
    return "\n".join(formatter.format(r) for r in records)


def _has_commands(client: discord.Client) -> bool:
    tree = getattr(client._connection, "_command_tree", None)
    if tree is None:
        return False
    return bool(tree._global_commands or tree._guild_commands or tree._context_menus)


async def _until(awaitable: Awaitable[Any], task: asyncio.Task[Any], timeout: float, what: str) -> None:
    """Await `awaitable`, but fail at once with the bot's own exception if the bot task ends first."""
    waiter = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({waiter, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not waiter.done():
            waiter.cancel()
    if waiter in done:
        waiter.result()
        return
    if task in done:
        _raise_bot_exception(task, f"the bot stopped before {what}")
        raise RuntimeError(f"the bot's start() returned before {what}")
    raise TimeoutError(f"the bot was not {what} within {timeout}s")


def _raise_bot_exception(task: asyncio.Task[Any], note: str) -> None:
    if task.done() and not task.cancelled() and task.exception() is not None:
        exc = task.exception()
        assert exc is not None
        exc.add_note(f"[discord harness] {note}: the bot's client.start() task died with this exception")
        raise exc


async def _shutdown(client: discord.Client, task: asyncio.Task[Any]) -> None:
    with contextlib.suppress(Exception):
        await client.close()
    if not task.done():
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=5)
        except (TimeoutError, Exception):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


def _problems(fake: FakeDiscord, errors_from: int, check_violations: bool, check_errors: bool) -> list[str]:
    problems = []
    if check_violations and fake.check_violations:
        violations = fake.unreported_violations()
        if violations:
            problems.append(
                "the bot broke Discord limits the fake enforces:\n" + "\n".join(f"  - {v}" for v in violations)
            )
    fake.mark_violations_reported()
    errors = fake.bot_errors[errors_from:]
    if check_errors and errors:
        problems.append("discord.py logged errors while the bot ran:\n" + _describe_errors(errors))
    return problems


@contextlib.asynccontextmanager
async def running_bot(
    make_bot: BotFactory[ClientT],
    *,
    fake: FakeDiscord | None = None,
    ready_timeout: float = 5.0,
    wait_for_sync: bool | None = None,
    check_violations: bool = True,
    check_errors: bool = True,
    token: str = "fake-token",
) -> AsyncIterator[tuple[FakeDiscord, ClientT]]:
    """Start the fake (unless given a started one), the bot from `make_bot(fake)`, and yield both once ready.

    `make_bot` builds the client (sync or async), e.g. with `guild_ready_timeout=0.05` and
    `chunk_guilds_at_startup=False`; its `api_base`/`gateway_url` can come from `fake`.
    Ready means `wait_until_ready()` returned and, when the command tree has commands (or
    `wait_for_sync=True`), that a command sync reached the fake.  On exit the bot is closed,
    then the fake (if this call started it), and the test fails on a dead bot task, errors
    logged by discord.py (`check_errors`) or recorded violations (`check_violations`).
    """
    fake = fake if fake is not None else FakeDiscord()
    owns_fake = not fake.started
    if owns_fake:
        await fake.start()
    capture = _ErrorCapture(fake)
    errors_from = len(fake.bot_errors)
    logging.getLogger("discord").addHandler(capture)
    client: ClientT | None = None
    task: asyncio.Task[Any] | None = None
    try:
        with pointing_discord_at(fake):
            made = make_bot(fake)
            client = await made if inspect.isawaitable(made) else made
            assert isinstance(client, discord.Client), f"make_bot returned {client!r}, not a discord.Client"
            task = asyncio.create_task(client.start(token), name="discord-bot")
            fake.watch(task)
            try:
                await _until(client.wait_until_ready(), task, ready_timeout, "ready")
                if wait_for_sync if wait_for_sync is not None else _has_commands(client):
                    await _until(fake.wait_for_sync(timeout=ready_timeout), task, ready_timeout, "synced its commands")
            except BaseException as exc:
                await _shutdown(client, task)
                for problem in _problems(fake, errors_from, check_violations, check_errors):
                    exc.add_note(f"[discord harness] {problem}")
                raise
            try:
                yield fake, client
            except BaseException as exc:
                await _shutdown(client, task)
                if task.done() and not task.cancelled() and task.exception() is not None:
                    exc.add_note(f"[discord harness] the bot task had died with: {task.exception()!r}")
                for problem in _problems(fake, errors_from, check_violations, check_errors):
                    exc.add_note(f"[discord harness] {problem}")
                raise
            await _shutdown(client, task)
            _raise_bot_exception(task, "during the test")
            problems = _problems(fake, errors_from, check_violations, check_errors)
            if problems:
                pytest.fail("\n\n".join(problems), pytrace=False)
    finally:
        if client is not None and task is not None and not task.done():
            await _shutdown(client, task)
        logging.getLogger("discord").removeHandler(capture)
        if fake._bot_task is task:
            fake._bot_task = None
        if owns_fake:
            await fake.close()


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started fake Discord with discord.py pointed at it; violations left at teardown fail the test."""
    fake = FakeDiscord()
    await fake.start()
    try:
        with pointing_discord_at(fake):
            yield fake
    finally:
        await fake.close()
    if fake.check_violations and fake.unreported_violations():
        pytest.fail(
            "the bot broke Discord limits the fake enforces:\n"
            + "\n".join(f"  - {v}" for v in fake.unreported_violations()),
            pytrace=False,
        )
