"""Command line: `python -m bot [global options] VERB ...` — check, ask, console, when, run."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import Clock, FixedClock, RunningClock, SystemClock
from bot.config import Config, ConfigError, load_config, set_source
from bot.redact import protect_logs

log = logging.getLogger("bot")


def _global_options(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    """The options every verb takes, before or after the verb (`check --sessions DIR` works too)."""
    kw: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    p.add_argument(
        "--config",
        type=Path,
        help="TOML config file (default: ./config.toml if present, else the sample programme)",
        **kw,
    )
    p.add_argument(
        "--name",
        help="the conference's name (overrides conference.name; default: the Hugo site's title, else none)",
        **kw,
    )
    p.add_argument("--sessions", type=Path, help="folder of session files (overrides conference.sessions)", **kw)
    p.add_argument(
        "--source",
        help="the programme: a folder, or a file or http(s) URL of a schedule.json, schedule.xml, Sessionize "
        "/view/All JSON or .ics feed (overrides conference.source)",
        **kw,
    )
    p.add_argument("--tracks", type=Path, help="folder of track files (overrides conference.tracks)", **kw)
    p.add_argument("--timezone", help="conference time zone, e.g. Asia/Shanghai (overrides conference.timezone)", **kw)
    p.add_argument(
        "--now", help="set the clock, e.g. 2026-08-07T10:00 (conference time unless an offset is given)", **kw
    )
    p.add_argument(
        "--speed",
        type=float,
        help="with --now in console/run: how fast the clock runs (60 = a minute a second)",
        **({"default": argparse.SUPPRESS} if suppress else {"default": 1.0}),
    )
    p.add_argument("--db", type=Path, help="SQLite database file (overrides database.path)", **kw)
    p.add_argument("--lang", choices=("en", "zh"), help="reply language for the text front end", **kw)
    p.add_argument("-v", "--verbose", action="store_true", help="log more", **kw)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bot", description="confbot: the conference programme in Discord, or in your terminal."
    )
    _global_options(p)
    sub = p.add_subparsers(dest="verb", metavar="VERB")

    def verb(name: str, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help)
        _global_options(sp, suppress=True)
        return sp

    verb("check", "read the programme and list every problem, like a linter")
    ask = verb("ask", "run one command and print the reply, e.g. ask '/next track:community'")
    ask.add_argument("line", nargs="+", help="the command line, e.g. '/schedule day:\"day 2\"'")
    verb("console", "an interactive shell with the bot's commands")
    when = verb("when", "print what a typed time means")
    when.add_argument("text", nargs="+")
    when.add_argument("--kind", choices=("at", "day", "lead"), default="at")
    verb("run", "run the Discord bot (needs DISCORD_TOKEN); without a token, opens the console")
    return p


def configure(args: argparse.Namespace) -> Config:
    cfg = load_config(args.config)
    if args.sessions:
        cfg.sessions_dir = args.sessions
        cfg.programme_source = None  # --sessions names a folder, over any configured source
        if not args.tracks and cfg.tracks_dir is not None and args.config is None:
            cfg.tracks_dir = None
    elif args.source:
        set_source(cfg, args.source, Path.cwd(), "--source")
    if args.tracks:
        cfg.tracks_dir = args.tracks
    if args.timezone:
        try:
            cfg.timezone = ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"--timezone: unknown time zone {args.timezone!r}; use an IANA name such as Asia/Shanghai"
            ) from None
        cfg.timezone_given = True
    if args.db:
        cfg.database = args.db
    if args.lang:
        cfg.language = args.lang
    if args.name and args.name.strip():
        cfg.name = args.name
    return cfg


def parse_now(text: str, tz: ZoneInfo) -> datetime:
    try:
        dt = datetime.fromisoformat(text.strip().replace(" ", "T", 1) if "T" not in text else text.strip())
    except ValueError:
        raise ConfigError(f"--now: cannot read {text!r}; expected an ISO time such as 2026-08-07T10:00") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def make_clock(args: argparse.Namespace, cfg: Config, running: bool) -> Clock:
    if not args.now:
        return SystemClock()
    if cfg.programme_source is not None and not cfg.timezone_given and not cfg.document_read:  # the document's zone
        cfg.adopt_document(*_document_zone_and_name(cfg))
    start = parse_now(args.now, cfg.timezone)
    return RunningClock(start, args.speed) if running else FixedClock(start)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet = logging.INFO if args.verb == "run" else logging.WARNING  # the text front end prints replies, not logs
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else quiet, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    protect_logs()  # the token never reaches a log, wherever a handler writes
    if args.verb is None:
        build_parser().print_help()
        return 2
    try:
        cfg = configure(args)
        if args.verb == "when":
            return cmd_when(args, cfg)
        clock = make_clock(args, cfg, running=args.verb in ("console", "run"))
        if args.verb == "check":
            return cmd_check(cfg)
        if args.verb == "ask":
            import asyncio  # here, not at the top: `check` and `when` run no event loop

            return asyncio.run(cmd_ask(cfg, clock, " ".join(args.line)))
        if args.verb == "console":
            from bot.frontends.text.console import run_console
            from bot.service import serve

            with serving(cfg) as refused:
                return refused if refused is not None else serve(lambda: run_console(cfg, clock))
        if args.verb == "run":
            with serving(cfg) as refused:
                return refused if refused is not None else cmd_run(cfg, clock)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


@contextlib.contextmanager
def serving(cfg: Config) -> Iterator[int | None]:
    """Hold the database for a process that delivers (`run`, `console`): checked, and locked against a second
    process. Yields None, or the exit code after saying in one line why this process may not serve it."""
    import asyncio

    from bot.core.storage import DatabaseError, ServingLock, Storage

    async def check() -> None:
        storage = await Storage.open(cfg.database)
        try:
            await storage.check()
        finally:
            await storage.close()

    lock = ServingLock(cfg.database)
    try:
        asyncio.run(check())  # first: a missing folder is said as such, not as a lock that cannot be made
        lock.acquire()
    except DatabaseError as exc:
        lock.release()
        print(f"database error: {exc}", file=sys.stderr)
        yield 2
        return
    try:
        yield None
    finally:
        lock.release()


def programme_loader(cfg: Config, *, bodies: bool = True) -> Any:
    """What reads the configured programme once: the sessions folder's loader, or a document's (file or URL).
    Without `bodies`, a folder's abstracts are not turned into text (check shows only problems)."""
    if cfg.programme_source is None:
        from bot.core.programme import CatalogLoader
        from bot.core.programme.hugo import HugoFormat

        fmt = HugoFormat(bodies=bodies)
        return CatalogLoader(cfg.sessions_dir, cfg.resolved_tracks_dir(), cfg.timezone, cfg.lengths, fmt)
    from bot.core.programme.document import DocumentLoader
    from bot.core.programme.remote import origin_for

    origin = origin_for(cfg.programme_source)
    return DocumentLoader(origin, cfg.timezone, cfg.lengths, zone_given=cfg.timezone_given)


def _document_zone_and_name(cfg: Config) -> tuple[ZoneInfo, str | None]:
    loader = programme_loader(cfg)
    catalog = loader.load()
    return catalog.tz, loader.title


def cmd_check(cfg: Config) -> int:
    catalog = programme_loader(cfg, bodies=False).load()
    s = catalog.summary()
    where = cfg.programme_source or cfg.sessions_dir
    print(
        f"{where}: {s['sessions']} sessions ({s['scheduled']} scheduled, {s['unscheduled']} unscheduled), "
        f"{s['tracks']} tracks, {s['rooms']} rooms, {s['days']} days, {s['problems']} problems"
    )
    for problem in catalog.problems:
        print(problem)
    if cfg.discord.room_channels or cfg.discord.track_channels or cfg.live.streams:  # else nothing to check
        _check_live_names(cfg, catalog)
    return 1 if catalog.failed_files else 0


def _check_live_names(cfg: Config, catalog: Any) -> None:
    """Rooms and tracks the live configuration names that the programme lacks (issue 12), as warnings."""
    from bot.core.live.setup import name_problems
    from bot.i18n import tr

    d = cfg.discord
    where = cfg.source or "config"
    for p in name_problems(catalog, d.room_channels, d.track_channels, cfg.live.streams):
        print(f"{where}: warning: " + tr(f"live.setup.{p.kind}", cfg.language, name=p.name))


async def cmd_ask(cfg: Config, clock: Clock, line: str) -> int:
    """One command, one reply: it reads and writes the database and delivers nothing (no reminder catch-up, no
    room posts, no announcements), so a bot serving the same database still sends what it owes, once; a
    command that must send says it needs the running bot or the console."""
    from bot.app import App
    from bot.frontends.text.console import CONSOLE_CHANNEL, ask_text
    from bot.runtime import Channels

    app = App(cfg, clock)
    app.services.offer(Channels(reminders=CONSOLE_CHANNEL))  # as the console would: /remind delivery:channel works
    try:
        text, ok = await ask_text(app, line, lang=cfg.language)
    finally:
        await app.close()
    sys.stdout.write(text)
    return 0 if ok else 2


def cmd_when(args: argparse.Namespace, cfg: Config) -> int:
    from bot.commands.options import programme_day_start
    from bot.core import timeparse

    loader = programme_loader(cfg)
    catalog = loader.load()
    if cfg.programme_source is not None:
        cfg.adopt_document(catalog.tz, getattr(loader, "title", None))
    clock = make_clock(args, cfg, running=False)
    days, lang = catalog.days, cfg.language
    text = " ".join(args.text)
    try:
        if args.kind == "at":
            day_start = programme_day_start(catalog, cfg.timezone)
            when = timeparse.parse_at(text, clock.now(), cfg.timezone, days, day_start=day_start, lang=lang)
            print(when.astimezone(cfg.timezone).strftime("%Y-%m-%dT%H:%M"))
        elif args.kind == "day":
            print(timeparse.parse_day(text, clock.now(), cfg.timezone, days, lang=lang).isoformat())
        else:
            print(int(timeparse.parse_lead(text, lang=lang).total_seconds() // 60))
    except timeparse.TimeParseError as exc:
        print(str(exc))
        return 2
    return 0


def cmd_run(cfg: Config, clock: Clock) -> int:
    token = cfg.discord.token
    if not token:
        if sys.stdin is None or not sys.stdin.isatty():  # a service manager, not a person: say so, and stop
            print(
                f"No Discord token: set the {cfg.discord.token_env} environment variable to the bot's token.",
                file=sys.stderr,
            )
            return 2
        print(
            f"No Discord token: set {cfg.discord.token_env} to run in Discord. Opening the text console on the same configuration instead."
        )
        from bot.frontends.text.console import run_console
        from bot.service import serve

        return serve(lambda: run_console(cfg, clock))
    try:
        from bot.frontends.discord.client import run_discord
    except ImportError as exc:  # pragma: no cover - the Discord front end ships with the package
        print(f"The Discord front end could not be loaded: {exc}", file=sys.stderr)
        return 2
    return run_discord(cfg, clock, token)
