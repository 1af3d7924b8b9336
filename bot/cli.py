"""Command line: `python -m bot [global options] VERB ...` — check, ask, console, when, run."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import Clock, FixedClock, RunningClock, SystemClock
from bot.config import Config, ConfigError, load_config
from bot.redact import protect_logs
from bot.service import serve

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
        if not args.tracks and cfg.tracks_dir is not None and args.config is None:
            cfg.tracks_dir = None
    if args.tracks:
        cfg.tracks_dir = args.tracks
    if args.timezone:
        try:
            cfg.timezone = ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"--timezone: unknown time zone {args.timezone!r}; use an IANA name such as Asia/Shanghai"
            ) from None
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
            return asyncio.run(cmd_ask(cfg, clock, " ".join(args.line)))
        if args.verb == "console":
            from bot.frontends.text.console import run_console

            return serve(lambda: run_console(cfg, clock))
        if args.verb == "run":
            return cmd_run(cfg, clock)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


def cmd_check(cfg: Config) -> int:
    from bot.core.programme import CatalogLoader
    from bot.core.programme.hugo import HugoFormat

    without_bodies = HugoFormat(bodies=False)  # problems are all check shows: abstracts need not become text
    loader = CatalogLoader(cfg.sessions_dir, cfg.resolved_tracks_dir(), cfg.timezone, cfg.lengths, without_bodies)
    catalog = loader.load()
    s = catalog.summary()
    print(
        f"{cfg.sessions_dir}: {s['sessions']} sessions ({s['scheduled']} scheduled, {s['unscheduled']} unscheduled), "
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
    from bot.app import App
    from bot.commands import REGISTRY, UserError
    from bot.frontends.text.console import CONSOLE_CHANNEL, ask_text
    from bot.frontends.text.parse import parse_line
    from bot.frontends.text.sender import ConsoleSender
    from bot.runtime import Channels, Runtime

    app = App(cfg, clock)
    runtime = None
    try:
        try:
            needs_runtime = REGISTRY[parse_line(line).name].needs_storage
        except (UserError, KeyError):
            needs_runtime = False
        if needs_runtime:  # stars replan reminders, announcements post: run the services for this one command
            channels = Channels(reminders=CONSOLE_CHANNEL)
            runtime = Runtime(app, ConsoleSender(cfg.timezone), channels, watch=False, use_scheduler=False)
            await runtime.start()
        text, ok = await ask_text(app, line, lang=cfg.language)
    finally:
        if runtime is not None:
            await runtime.stop()
        await app.close()
    sys.stdout.write(text)
    return 0 if ok else 2


def cmd_when(args: argparse.Namespace, cfg: Config) -> int:
    from bot.commands.options import programme_day_start
    from bot.core import timeparse
    from bot.core.programme import CatalogLoader

    clock = make_clock(args, cfg, running=False)
    catalog = CatalogLoader(cfg.sessions_dir, cfg.resolved_tracks_dir(), cfg.timezone, cfg.lengths).load()
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

        return serve(lambda: run_console(cfg, clock))
    try:
        from bot.frontends.discord.client import run_discord
    except ImportError as exc:  # pragma: no cover - the Discord front end ships with the package
        print(f"The Discord front end could not be loaded: {exc}", file=sys.stderr)
        return 2
    return run_discord(cfg, clock, token)
