"""Configuration: one TOML file validated into typed sections; the Discord token only from the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.redact import REDACT

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SESSIONS = REPO_ROOT / "sessions"  # the sample programme the bot serves when told of no other
SAMPLE_NAME = "Harbour Open Source Summit 2026 (sample)"
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # what an environment variable's name may be


class ConfigError(Exception):
    """A wrong or missing option; the message names the option and the file."""


@dataclass(slots=True)
class Lengths:
    """How long sessions last when the programme does not say."""

    default: timedelta = timedelta(minutes=40)
    per_track: dict[str, timedelta] = field(default_factory=dict)

    def for_track(self, track: str) -> timedelta:
        return self.per_track.get(track, self.default)


@dataclass(slots=True)
class DiscordConfig:
    guild_id: int | None = None
    announcements_channel_id: int | None = None
    reminders_channel_id: int | None = None
    organizers_channel_id: int | None = None  # where the bot reports programme files it could not read
    organizer_role: str | None = "Organizer"
    api_base: str | None = None  # e.g. "http://127.0.0.1:8080/api/v10" for a REST proxy
    gateway_url: str | None = None  # e.g. "ws://127.0.0.1:8080/"
    token_env: str = "DISCORD_TOKEN"
    # live posts (issue 12): each room's and track's channel, and the public channel told of programme changes
    room_channels: dict[str, int] = field(default_factory=dict)  # room name as the programme writes it -> channel
    track_channels: dict[str, int] = field(default_factory=dict)  # track key -> channel, for rooms without one
    changes_channel_id: int | None = None

    @property
    def token(self) -> str | None:
        value = os.environ.get(self.token_env, "").strip()
        return value or None


@dataclass(slots=True)
class ReminderConfig:
    lead: timedelta = timedelta(minutes=10)
    delivery: str = "dm"  # "dm" | "channel"


@dataclass(slots=True)
class LiveConfig:
    """Posts in each room's (or track's) channel just before its sessions start."""

    lead: timedelta = timedelta(minutes=5)
    threads: bool = False  # open a discussion thread under each post, archived after the session
    streams: dict[str, str] = field(default_factory=dict)  # room name -> livestream URL


@dataclass(slots=True)
class Config:
    """The whole configuration. The conference's name, first found: `--name`, the file's `conference.name`,
    the Hugo site above the sessions folder (bot.core.programme.site), the sample's own name when serving the
    sample, else a neutral "the conference" in the reader's language (see `conference_name`)."""

    configured_name: str | None = None  # --name, else [conference] name; None: from the programme
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    sessions_dir: Path = field(default_factory=lambda: SAMPLE_SESSIONS)
    # [conference] source / --source naming one file or URL (schedule.json, schedule.xml, Sessionize, .ics)
    # instead of a folder; None: the sessions folder. Whether a zone was configured (else a document names it).
    programme_source: str | None = None
    timezone_given: bool = False
    poll_interval: timedelta = field(default_factory=lambda: timedelta(minutes=5))  # how often a URL is fetched
    programme_name: str | None = None  # the conference's name as a programme document gives it, once read
    document_read: bool = False  # adopt_document() was called: timezone and programme_name are the document's
    tracks_dir: Path | None = None  # None: <sessions>/tracks or <sessions>/../tracks when present
    lengths: Lengths = field(default_factory=Lengths)
    database: Path = field(default_factory=lambda: Path("confbot.db"))
    language: str = "en"  # default reply language: "en" | "zh"
    reminders: ReminderConfig = field(default_factory=ReminderConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    live: LiveConfig = field(default_factory=LiveConfig)
    source: Path | None = None  # the file this came from, for messages
    _site_names: dict[Path, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def known_name(self) -> str | None:
        """The conference's own name, configured or from its programme; None when nothing says one."""
        if self.configured_name:
            return self.configured_name
        if self.programme_source is not None:  # one document: the name it gives, read with the programme
            return self.programme_name
        folder = self.sessions_dir
        if folder not in self._site_names:
            from bot.core.programme.site import site_name  # on first use: the programme package is heavy to import

            self._site_names[folder] = site_name(folder)
        found = self._site_names[folder]
        if found:
            return found
        if _same_folder(folder, SAMPLE_SESSIONS):
            return SAMPLE_NAME
        return None

    def conference_name(self, lang: str = "en") -> str:
        """The conference's name for a reader: its own name, else "the conference" in their language."""
        from bot.i18n import tr  # here: `check` never names the conference, and starts without the catalogue

        return self.known_name() or tr("conference.neutral", lang)

    @property
    def name(self) -> str:
        """The conference's name in English words where it has none of its own (the calendar file's name)."""
        return self.conference_name("en")

    @name.setter
    def name(self, value: str | None) -> None:
        self.configured_name = (value or "").strip() or None

    def adopt_document(self, tz: ZoneInfo, title: str | None) -> None:
        """What a programme document says of the conference, once read: its zone (unless one was configured)
        and its name (shown unless one was configured)."""
        if not self.timezone_given:
            self.timezone = tz
        self.programme_name = title
        self.document_read = True

    def resolved_tracks_dir(self) -> Path | None:
        if self.tracks_dir is not None:
            return self.tracks_dir
        for candidate in (self.sessions_dir / "tracks", self.sessions_dir.parent / "tracks"):
            if candidate.is_dir():
                return candidate
        return None


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def _zone(value: Any, where: str) -> ZoneInfo:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f'{where}: expected an IANA time zone name such as "Asia/Shanghai"')
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f'{where}: unknown time zone {value!r}; use an IANA name such as "Asia/Shanghai" or "Europe/Berlin"'
        ) from None


def _minutes(value: Any, where: str, *, lo: int = 1, hi: int = 24 * 60) -> timedelta:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConfigError(f"{where}: expected a whole number of minutes from {lo} to {hi}, got {value!r}")
    return timedelta(minutes=value)


def _snowflake(value: Any, where: str) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if value in (None, 0, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: expected a Discord ID (a number; right-click → Copy ID), got {value!r}")
    return value


def _text(value: Any, where: str, *, optional: bool = True) -> str | None:
    if value is None or (optional and value == ""):
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected text in quotes, got {value!r}")
    return value


def _required_text(value: Any, where: str) -> str:
    text = _text(value, where, optional=False)
    if text is None:
        raise ConfigError(f"{where}: expected text in quotes, got nothing")
    return text


_KNOWN = {
    "conference": {"name", "timezone", "sessions", "tracks", "language", "source", "poll_minutes"},
    "lengths": {"default_minutes", "tracks"},
    "database": {"path"},
    "reminders": {"lead_minutes", "delivery"},
    "discord": {
        "guild_id",
        "announcements_channel_id",
        "reminders_channel_id",
        "organizers_channel_id",
        "organizer_role",
        "api_base",
        "gateway_url",
        "token_env",
        "room_channels",
        "track_channels",
        "changes_channel_id",
    },
    "live": {"lead_minutes", "threads", "streams"},
}


def parse_config(data: dict[str, Any], source: Path | None = None) -> Config:
    """Validate a parsed TOML document into a Config; relative paths are relative to the file."""
    src = str(source) if source else "<config>"
    base = source.resolve().parent if source else Path.cwd()
    for section, value in data.items():
        if section not in _KNOWN:
            raise ConfigError(
                f"{src}: unknown section [{section}]; known sections: {', '.join('[' + s + ']' for s in _KNOWN)}"
            )
        if not isinstance(value, dict):
            raise ConfigError(f"{src}: [{section}] must be a table")
        for key in value:
            if key not in _KNOWN[section]:
                raise ConfigError(
                    f"{src}: unknown option {section}.{key}; [{section}] takes {', '.join(sorted(_KNOWN[section]))}"
                )

    cfg = Config(source=source)
    conf = data.get("conference", {})
    if "name" in conf:
        cfg.configured_name = (_text(conf["name"], f"{src}: conference.name", optional=False) or "").strip() or None
    if "timezone" in conf:
        cfg.timezone = _zone(conf["timezone"], f"{src}: conference.timezone")
        cfg.timezone_given = True
    if "sessions" in conf:
        cfg.sessions_dir = base / _required_text(conf["sessions"], f"{src}: conference.sessions")
    _parse_source(conf, cfg, src, base)
    if conf.get("tracks"):
        cfg.tracks_dir = base / _required_text(conf["tracks"], f"{src}: conference.tracks")
    if "language" in conf:
        if conf["language"] not in ("en", "zh"):
            raise ConfigError(f'{src}: conference.language: expected "en" or "zh", got {conf["language"]!r}')
        cfg.language = conf["language"]

    lengths = data.get("lengths", {})
    if "default_minutes" in lengths:
        cfg.lengths.default = _minutes(lengths["default_minutes"], f"{src}: lengths.default_minutes", hi=600)
    per_track = lengths.get("tracks", {})
    if not isinstance(per_track, dict):
        raise ConfigError(f"{src}: lengths.tracks must be a table of track = minutes")
    for track, minutes in per_track.items():
        cfg.lengths.per_track[track.strip().lower()] = _minutes(minutes, f"{src}: lengths.tracks.{track}", hi=600)

    db = data.get("database", {})
    if "path" in db:
        path = _text(db["path"], f"{src}: database.path", optional=False)
        if not path or not path.strip():
            raise ConfigError(f'{src}: database.path: expected a file name such as "confbot.db", got an empty value')
        cfg.database = Path(path) if path == ":memory:" else base / path

    rem = data.get("reminders", {})
    if "lead_minutes" in rem:
        cfg.reminders.lead = _minutes(rem["lead_minutes"], f"{src}: reminders.lead_minutes", hi=24 * 60)
    if "delivery" in rem:
        if rem["delivery"] not in ("dm", "channel"):
            raise ConfigError(f'{src}: reminders.delivery: expected "dm" or "channel", got {rem["delivery"]!r}')
        cfg.reminders.delivery = rem["delivery"]

    dc = data.get("discord", {})
    d = cfg.discord
    d.guild_id = _snowflake(dc.get("guild_id"), f"{src}: discord.guild_id")
    d.announcements_channel_id = _snowflake(
        dc.get("announcements_channel_id"), f"{src}: discord.announcements_channel_id"
    )
    d.reminders_channel_id = _snowflake(dc.get("reminders_channel_id"), f"{src}: discord.reminders_channel_id")
    d.organizers_channel_id = _snowflake(dc.get("organizers_channel_id"), f"{src}: discord.organizers_channel_id")
    if "organizer_role" in dc:
        d.organizer_role = _text(dc["organizer_role"], f"{src}: discord.organizer_role")
    for key in ("api_base", "gateway_url"):
        if key in dc:
            value = _text(dc[key], f"{src}: discord.{key}")
            if value and not value.startswith(("http://", "https://", "ws://", "wss://")):
                raise ConfigError(
                    f'{src}: discord.{key}: expected a URL such as "http://127.0.0.1:8080/api/v10", got {value!r}'
                )
            setattr(d, key, value)
    if "token_env" in dc:
        name = _text(dc["token_env"], f"{src}: discord.token_env", optional=False)
        if not name or not name.strip():
            raise ConfigError(
                f'{src}: discord.token_env: expected the name of an environment variable such as "DISCORD_TOKEN", got an empty value'
            )
        if not ENV_NAME.fullmatch(name.strip()):
            # Never echoed: what is written here instead of a variable's name is most likely the token itself.
            raise ConfigError(
                f'{src}: discord.token_env: expected the name of an environment variable such as "DISCORD_TOKEN" '
                "(letters, digits and _); what is written there is not shown, as it may be the token itself: "
                "put the token in that variable, never in the file"
            )
        d.token_env = name.strip()
    _parse_live(data, cfg, src)
    return cfg


def set_source(cfg: Config, value: str, base: Path, where: str) -> None:
    """`[conference] source` or `--source`: an http(s) URL or a file is one programme document; a folder (or a
    path without a file's extension that does not exist yet) is the sessions folder."""
    text = value.strip()
    if not text:
        raise ConfigError(
            f'{where}: expected a folder, a file or an http(s) URL such as "https://example.org/schedule.json"'
        )
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        cfg.programme_source = text
        return
    if "://" in text:
        raise ConfigError(f"{where}: {text!r}: only http:// and https:// URLs can be fetched")
    path = base / text
    if path.is_dir() or (not path.exists() and not path.suffix):
        cfg.sessions_dir, cfg.programme_source = path, None
    else:
        cfg.programme_source = str(path)


def _parse_source(conf: dict[str, Any], cfg: Config, src: str, base: Path) -> None:
    """[conference] source and poll_minutes (issue 11)."""
    if "source" in conf:
        if "sessions" in conf:
            raise ConfigError(
                f"{src}: conference.source and conference.sessions both name the programme: keep one (source takes a folder too)"
            )
        set_source(cfg, _required_text(conf["source"], f"{src}: conference.source"), base, f"{src}: conference.source")
    if "poll_minutes" in conf:
        cfg.poll_interval = _minutes(conf["poll_minutes"], f"{src}: conference.poll_minutes", hi=24 * 60)


def _hide_secrets(data: dict[str, Any]) -> None:
    """Before anything is checked (and maybe echoed): the token the file points to is hidden in all output."""
    discord = data.get("discord")
    if not isinstance(discord, dict):
        return
    token, name = discord.get("token"), discord.get("token_env")
    if isinstance(token, str):  # refused below, without being shown
        REDACT.add(token)
    if isinstance(name, str):
        if ENV_NAME.fullmatch(name.strip()):
            REDACT.add_env(name.strip())
        else:  # not a variable's name: most likely the token, written where its variable's name goes
            REDACT.add(name)


def _channel_table(value: Any, where: str, *, track_keys: bool = False) -> dict[str, int]:
    """A `[table]` of name = channel id; track keys are normalised as the programme's are (lower case, no spaces)."""
    if not isinstance(value, dict):
        raise ConfigError(f'{where} must be a table of "name" = channel id')
    out: dict[str, int] = {}
    for name, channel in value.items():
        if not name.strip():
            raise ConfigError(f"{where}: a name is empty")
        channel_id = _snowflake(channel, f"{where}.{name}")
        if channel_id is None:
            continue  # 0 = not set, as for the other channels
        out[name.strip().lower().replace(" ", "") if track_keys else name.strip()] = channel_id
    return out


def _parse_live(data: dict[str, Any], cfg: Config, src: str) -> None:
    """[discord.room_channels], [discord.track_channels], discord.changes_channel_id and [live]."""
    dc = data.get("discord", {})
    d = cfg.discord
    if "room_channels" in dc:
        d.room_channels = _channel_table(dc["room_channels"], f"{src}: discord.room_channels")
    if "track_channels" in dc:
        d.track_channels = _channel_table(dc["track_channels"], f"{src}: discord.track_channels", track_keys=True)
    d.changes_channel_id = _snowflake(dc.get("changes_channel_id"), f"{src}: discord.changes_channel_id")
    live = data.get("live", {})
    if "lead_minutes" in live:
        cfg.live.lead = _minutes(live["lead_minutes"], f"{src}: live.lead_minutes", lo=0, hi=24 * 60)
    if "threads" in live:
        if not isinstance(live["threads"], bool):
            raise ConfigError(f"{src}: live.threads: expected true or false, got {live['threads']!r}")
        cfg.live.threads = live["threads"]
    streams = live.get("streams", {})
    if not isinstance(streams, dict):
        raise ConfigError(f'{src}: live.streams must be a table of "room name" = "https://…"')
    for room, url in streams.items():
        if not isinstance(url, str) or not url.strip().startswith(("http://", "https://")):
            raise ConfigError(
                f'{src}: live.streams.{room}: expected a URL such as "https://example.org/live/hall", got {url!r}'
            )
        if not room.strip():
            raise ConfigError(f"{src}: live.streams: a room name is empty")
        cfg.live.streams[room.strip()] = url.strip()


def load_config(path: Path | None) -> Config:
    """Read a config file, or the defaults (the sample programme) when there is none."""
    if path is None:
        default = Path("config.toml")
        if not default.is_file():
            return Config()
        path = default
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file (copy config.example.toml to start one)")
    import tomllib  # here: without a config file (the sample, `--sessions DIR`), no TOML is read

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    _hide_secrets(data)
    if "discord" in data and isinstance(data["discord"], dict) and "token" in data["discord"]:
        raise ConfigError(
            f"{path}: discord.token: the token never goes in the file; set the DISCORD_TOKEN environment variable instead"
        )
    return parse_config(data, path)
