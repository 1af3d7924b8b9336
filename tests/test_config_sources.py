"""`[conference] source` and `poll_minutes`: the programme as a folder, a file or a URL, and how often a URL is
fetched; mistakes name the option and the file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_config


def write(folder: Path, text: str) -> Path:
    path = folder / "confbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_url_source_is_fetched_and_polled(tmp_path):
    """source = an https URL names one programme document; poll_minutes says how often it is fetched again."""
    cfg = load_config(
        write(tmp_path, '[conference]\nsource = "https://pretalx.example.org/x/schedule.json"\npoll_minutes = 2\n')
    )
    assert cfg.programme_source == "https://pretalx.example.org/x/schedule.json"
    assert cfg.poll_interval == timedelta(minutes=2)


def test_a_file_source_is_relative_to_the_config_file(tmp_path):
    """source = a file (existing or not yet) is a document beside the config file; the default poll is 5 minutes."""
    (tmp_path / "export.xml").write_text("<schedule/>", encoding="utf-8")
    cfg = load_config(write(tmp_path, '[conference]\nsource = "export.xml"\n'))
    assert cfg.programme_source == str(tmp_path / "export.xml") and cfg.poll_interval == timedelta(minutes=5)
    later = load_config(write(tmp_path, '[conference]\nsource = "later/schedule.ics"\n'))
    assert later.programme_source == str(tmp_path / "later/schedule.ics")


def test_a_folder_source_is_the_sessions_folder(tmp_path):
    """source = a folder is today's folder of Markdown sessions (as `sessions` is)."""
    (tmp_path / "content" / "sessions").mkdir(parents=True)
    cfg = load_config(write(tmp_path, '[conference]\nsource = "content/sessions"\n'))
    assert cfg.programme_source is None and cfg.sessions_dir == tmp_path / "content" / "sessions"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('source = "ftp://example.org/schedule.xml"', "only http:// and https:// URLs"),
        ('source = ""', "expected a folder, a file or an http(s) URL"),
        ("source = 5", "expected text in quotes"),
        ('source = "a.json"\nsessions = "b"', "conference.source and conference.sessions both name the programme"),
        ("poll_minutes = 0", "conference.poll_minutes: expected a whole number of minutes from 1 to 1440"),
    ],
)
def test_wrong_sources_are_refused_naming_the_option(tmp_path, text, says):
    """A source that cannot be a programme, or two programmes at once, is refused at start with the option named."""
    path = write(tmp_path, f"[conference]\n{text}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and says in str(caught.value)


def test_a_configured_zone_is_kept_over_the_programmes(tmp_path):
    """timezone in the file is the conference's zone even when the programme names another."""
    cfg = load_config(write(tmp_path, '[conference]\ntimezone = "Europe/Vienna"\nsource = "https://x.org/s.json"\n'))
    assert cfg.timezone_given
    cfg.adopt_document(ZoneInfo("Asia/Kolkata"), "DebConf 23")
    assert cfg.timezone.key == "Europe/Vienna" and cfg.known_name() == "DebConf 23"
