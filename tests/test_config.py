"""Configuration: the shipped example loads, every option overrides its default, mistakes name option and file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, ConfigError, load_config, parse_config
from tests.paths import REPO


def write(folder: Path, text: str, name: str = "confbot.toml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def test_shipped_example_loads():
    """config.example.toml as shipped loads, with the values it writes."""
    cfg = load_config(REPO / "config.example.toml")
    assert cfg.name == "Harbour Open Source Summit 2026"
    assert cfg.timezone == ZoneInfo("Asia/Shanghai")
    assert cfg.sessions_dir == REPO / "sessions"
    assert cfg.tracks_dir is None and cfg.resolved_tracks_dir() == REPO / "sessions" / "tracks"
    assert cfg.language == "en"
    assert cfg.lengths.default == timedelta(minutes=40)
    assert cfg.lengths.per_track == {"keynote": timedelta(minutes=30), "5minstalk": timedelta(minutes=5)}
    assert cfg.database == REPO / "confbot.db"
    assert cfg.reminders.lead == timedelta(minutes=10) and cfg.reminders.delivery == "dm"
    d = cfg.discord
    assert (d.guild_id, d.announcements_channel_id, d.reminders_channel_id) == (None, None, None)  # 0 = not set
    assert d.organizer_role == "Organizer" and d.token_env == "DISCORD_TOKEN"
    assert d.api_base is None and d.gateway_url is None
    assert cfg.source == REPO / "config.example.toml"


def test_every_option_overrides_its_default(tmp_path):
    """Each option in the file replaces the built-in default."""
    path = write(
        tmp_path / "conf",
        """
[conference]
name = "Tide Conf"
timezone = "Europe/Berlin"
sessions = "programme"
tracks = "programme/streams"
language = "zh"

[lengths]
default_minutes = 25
[lengths.tracks]
Keynote = 45
lightning = 5

[database]
path = "data/bot.sqlite"

[reminders]
lead_minutes = 15
delivery = "channel"

[discord]
guild_id = 123456789012345678
announcements_channel_id = "223456789012345678"
reminders_channel_id = 323456789012345678
organizer_role = "Crew"
api_base = "http://127.0.0.1:8080/api/v10"
gateway_url = "ws://127.0.0.1:8080/"
token_env = "TIDE_BOT_TOKEN"
""",
    )
    base = (tmp_path / "conf").resolve()
    default = Config()
    cfg = load_config(path)
    assert cfg.name == "Tide Conf" != default.name
    assert cfg.timezone == ZoneInfo("Europe/Berlin")
    assert cfg.sessions_dir == base / "programme"
    assert cfg.tracks_dir == base / "programme" / "streams" and cfg.resolved_tracks_dir() == cfg.tracks_dir
    assert cfg.language == "zh"
    assert cfg.lengths.default == timedelta(minutes=25)
    assert cfg.lengths.per_track == {"keynote": timedelta(minutes=45), "lightning": timedelta(minutes=5)}
    assert cfg.lengths.for_track("keynote") == timedelta(minutes=45)
    assert cfg.lengths.for_track("data") == timedelta(minutes=25)
    assert cfg.database == base / "data" / "bot.sqlite"
    assert cfg.reminders.lead == timedelta(minutes=15) and cfg.reminders.delivery == "channel"
    d = cfg.discord
    assert (d.guild_id, d.announcements_channel_id, d.reminders_channel_id) == (
        123456789012345678,
        223456789012345678,
        323456789012345678,
    )
    assert d.organizer_role == "Crew"
    assert d.api_base == "http://127.0.0.1:8080/api/v10" and d.gateway_url == "ws://127.0.0.1:8080/"
    assert d.token_env == "TIDE_BOT_TOKEN"


def test_defaults_do_not_leak_between_configs(tmp_path):
    """A per-track length set in one file does not appear in the next config read."""
    load_config(write(tmp_path, "[lengths.tracks]\nkeynote = 45\n"))
    assert Config().lengths.per_track == {}
    assert load_config(write(tmp_path, "", "empty.toml")).lengths.per_track == {}


def test_empty_file_gives_the_defaults(tmp_path):
    """An empty config file is the sample programme's defaults, with paths next to the file."""
    cfg = load_config(write(tmp_path, ""))
    default = Config()
    assert (cfg.name, cfg.timezone, cfg.sessions_dir, cfg.language) == (
        default.name,
        default.timezone,
        default.sessions_dir,
        default.language,
    )


def test_token_comes_from_the_named_environment_variable(tmp_path, monkeypatch):
    """The bot token is read from the environment variable token_env names, and blank means none."""
    cfg = load_config(write(tmp_path, '[discord]\ntoken_env = "TIDE_BOT_TOKEN"\n'))
    monkeypatch.delenv("TIDE_BOT_TOKEN", raising=False)
    assert cfg.discord.token is None
    monkeypatch.setenv("TIDE_BOT_TOKEN", "  ")
    assert cfg.discord.token is None
    monkeypatch.setenv("TIDE_BOT_TOKEN", " abc.def ")
    assert cfg.discord.token == "abc.def"


def test_token_in_the_file_is_refused(tmp_path):
    """A token written in the file is refused, naming discord.token, the file, and the environment variable."""
    path = write(tmp_path, '[discord]\ntoken = "MTIz.abc.def"\n')
    message = refused(path)
    assert str(path) in message and "discord.token" in message and "DISCORD_TOKEN" in message
    assert "MTIz.abc.def" not in message  # the secret is not echoed back


def test_token_refused_by_parse_config_too():
    """parse_config on its own also refuses a token in [discord]."""
    with pytest.raises(ConfigError, match=r"discord\.token"):
        parse_config({"discord": {"token": "secret"}}, Path("/etc/confbot.toml"))


@pytest.mark.parametrize(
    "text, option",
    [
        ("[conference]\nname = 5\n", "conference.name"),
        ("[conference]\ntimezone = 8\n", "conference.timezone"),
        ('[conference]\ntimezone = ""\n', "conference.timezone"),
        ('[conference]\nsessions = ["a", "b"]\n', "conference.sessions"),
        ("[conference]\ntracks = 3\n", "conference.tracks"),
        ('[conference]\nlanguage = "fr"\n', "conference.language"),
        ("[conference]\nlanguage = true\n", "conference.language"),
        ('[lengths]\ndefault_minutes = "40"\n', "lengths.default_minutes"),
        ("[lengths]\ndefault_minutes = 0\n", "lengths.default_minutes"),
        ("[lengths]\ndefault_minutes = true\n", "lengths.default_minutes"),
        ("[lengths]\ndefault_minutes = 40.5\n", "lengths.default_minutes"),
        ("[lengths]\ntracks = 30\n", "lengths.tracks"),
        ('[lengths.tracks]\nkeynote = "half an hour"\n', "lengths.tracks.keynote"),
        ("[lengths.tracks]\nkeynote = -5\n", "lengths.tracks.keynote"),
        ("[database]\npath = 1\n", "database.path"),
        ("[reminders]\nlead_minutes = 0\n", "reminders.lead_minutes"),
        ("[reminders]\nlead_minutes = 100000\n", "reminders.lead_minutes"),
        ('[reminders]\ndelivery = "email"\n', "reminders.delivery"),
        ('[discord]\nguild_id = "my server"\n', "discord.guild_id"),
        ("[discord]\nguild_id = -1\n", "discord.guild_id"),
        ("[discord]\nguild_id = true\n", "discord.guild_id"),
        ("[discord]\nannouncements_channel_id = 1.5\n", "discord.announcements_channel_id"),
        ("[discord]\nreminders_channel_id = [1]\n", "discord.reminders_channel_id"),
        ("[discord]\norganizer_role = 7\n", "discord.organizer_role"),
        ('[discord]\napi_base = "127.0.0.1:8080"\n', "discord.api_base"),
        ("[discord]\ngateway_url = 8080\n", "discord.gateway_url"),
        ("[discord]\ntoken_env = 1\n", "discord.token_env"),
        ("[conference]\nbogus = 1\n", "conference.bogus"),
        ("[discord]\nguild = 1\n", "discord.guild"),
        ("[bogus]\nx = 1\n", "[bogus]"),
        ('conference = "Tide Conf"\n', "[conference]"),
    ],
)
def test_wrong_values_are_refused_naming_option_and_file(tmp_path, text, option):
    """A wrong type, value, section or option is refused with a message naming the option and the file."""
    path = write(tmp_path, text)
    message = refused(path)
    assert str(path) in message
    assert option in message


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Asia/Shang hai", "../../etc/passwd", "UTC+8"])
def test_bad_time_zone_is_refused_with_an_example(tmp_path, zone):
    """An unknown time zone is refused, naming conference.timezone, the file, and an example of a good one."""
    path = write(tmp_path, f'[conference]\ntimezone = "{zone}"\n')
    message = refused(path)
    assert str(path) in message and "conference.timezone" in message and "Asia/Shanghai" in message


def test_unknown_option_lists_the_known_ones(tmp_path):
    """An unknown option's message lists what the section does take."""
    message = refused(write(tmp_path, "[reminders]\nlead = 10\n"))
    assert "reminders.lead" in message and "lead_minutes" in message and "delivery" in message


def test_not_toml_is_refused_naming_the_file(tmp_path):
    """A file that is not TOML is refused, naming the file."""
    path = write(tmp_path, "[conference\nname = 'x'\n")
    message = refused(path)
    assert str(path) in message and "TOML" in message


def test_not_utf8_is_refused_naming_the_file(tmp_path):
    """A file that is not UTF-8 is refused, naming the file."""
    path = tmp_path / "latin1.toml"
    path.write_bytes('[conference]\nname = "Caf\xe9"\n'.encode("latin-1"))
    message = refused(path)
    assert str(path) in message and "UTF-8" in message


def test_missing_file_is_refused_naming_it(tmp_path):
    """A config path that does not exist is refused, naming it and how to start one."""
    path = tmp_path / "nope.toml"
    message = refused(path)
    assert str(path) in message and "config.example.toml" in message


def test_relative_paths_resolve_against_the_files_folder(tmp_path, monkeypatch):
    """sessions, tracks and database written relative are relative to the config file, wherever the bot starts."""
    write(
        tmp_path / "deploy" / "etc",
        '[conference]\nsessions = "../programme"\ntracks = "tracks"\n[database]\npath = "state/bot.db"\n',
    )
    monkeypatch.chdir(tmp_path)  # somewhere else entirely
    cfg = load_config(Path("deploy/etc/confbot.toml"))
    etc = (tmp_path / "deploy" / "etc").resolve()
    assert cfg.sessions_dir.resolve() == (tmp_path / "deploy" / "programme").resolve()
    assert cfg.tracks_dir == etc / "tracks"
    assert cfg.database == etc / "state" / "bot.db"
    assert cfg.sessions_dir.is_absolute() and cfg.database.is_absolute()


def test_absolute_paths_and_memory_database_are_kept(tmp_path):
    """Absolute paths stay as written, and ":memory:" stays an in-memory database."""
    programme = (tmp_path / "elsewhere").resolve()
    path = write(
        tmp_path / "conf", f'[conference]\nsessions = "{programme.as_posix()}"\n[database]\npath = ":memory:"\n'
    )
    cfg = load_config(path)
    assert cfg.sessions_dir == programme
    assert str(cfg.database) == ":memory:"


def test_config_toml_in_the_current_folder_is_read(tmp_path, monkeypatch):
    """Without --config, ./config.toml is read when present, else the sample programme's defaults."""
    monkeypatch.chdir(tmp_path)
    assert load_config(None).name == Config().name
    write(tmp_path, '[conference]\nname = "Local Conf"\n', "config.toml")
    cfg = load_config(None)
    assert cfg.name == "Local Conf"
    assert cfg.source == Path("config.toml")


def test_parse_config_without_a_file_names_config():
    """Validating a dict with no file still gives a message naming the option."""
    with pytest.raises(ConfigError, match=r"<config>: conference.timezone"):
        parse_config({"conference": {"timezone": "Nowhere/Atlantis"}})


@pytest.mark.parametrize("value", ["", "  "])
def test_blank_token_env_is_refused(tmp_path, value):
    """An empty token_env is refused, naming discord.token_env and the file."""
    path = write(tmp_path, f'[discord]\ntoken_env = "{value}"\n')
    message = refused(path)
    assert str(path) in message and "discord.token_env" in message


def test_empty_database_path_is_refused(tmp_path):
    """An empty database.path is refused, naming the option and the file."""
    path = write(tmp_path, '[database]\npath = ""\n')
    message = refused(path)
    assert str(path) in message and "database.path" in message


def test_quoted_zero_id_means_not_set(tmp_path):
    """guild_id = "0", like guild_id = 0, means no guild is set."""
    cfg = load_config(write(tmp_path, '[discord]\nguild_id = "0"\nreminders_channel_id = "0"\n'))
    assert cfg.discord.guild_id is None and cfg.discord.reminders_channel_id is None


# --- the conference's name: --name > the file's conference.name > the programme's site > a neutral one -----------


def hugo_site(root: Path, title: str) -> Path:
    """A Hugo site titled `title` with an empty sessions folder in content/sessions; returns that folder."""
    write(root, f'baseURL = "https://example.org/"\ntitle = "{title}"\n', "hugo.toml")
    sessions = root / "content" / "sessions"
    sessions.mkdir(parents=True)
    return sessions


def test_the_sample_is_served_under_its_own_name():
    """With nothing configured, the sample programme keeps its name."""
    assert Config().name == Config().conference_name("zh") == "Harbour Open Source Summit 2026 (sample)"


def test_another_programme_without_a_name_is_the_conference(tmp_path):
    """A programme folder with no site and no configured name is "the conference" (大会), never the sample's name."""
    cfg = Config(sessions_dir=tmp_path / "sessions")
    assert cfg.known_name() is None
    assert (cfg.name, cfg.conference_name("en"), cfg.conference_name("zh")) == ("the conference",) * 2 + ("大会",)


def test_a_programme_in_a_hugo_site_is_named_by_the_site(tmp_path):
    """Sessions inside a Hugo site take the site's title as the conference's name, in both languages."""
    cfg = Config(sessions_dir=hugo_site(tmp_path / "site", "Tide Conf 2026"))
    assert cfg.known_name() == cfg.name == cfg.conference_name("zh") == "Tide Conf 2026"


def test_the_files_name_comes_before_the_sites(tmp_path):
    """conference.name in the config file wins over the site's title; a blank one leaves the site's."""
    sessions = hugo_site(tmp_path / "site", "Tide Conf 2026")
    named = load_config(write(tmp_path, f'[conference]\nname = "Tide File"\nsessions = "{sessions}"\n'))
    assert named.name == "Tide File"
    blank = load_config(write(tmp_path, f'[conference]\nname = "  "\nsessions = "{sessions}"\n', "blank.toml"))
    assert blank.name == "Tide Conf 2026"


def test_the_name_follows_the_sessions_folder(tmp_path):
    """Pointing an unnamed config at another folder changes the name with it: the sample's goes with the sample."""
    cfg = Config()
    cfg.sessions_dir = hugo_site(tmp_path / "site", "Tide Conf 2026")
    assert cfg.name == "Tide Conf 2026"
    cfg.sessions_dir = tmp_path / "elsewhere"
    assert cfg.name == "the conference"
