"""The conference's name from the Hugo site around its sessions folder: config title, home page title, or nothing."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.programme.site import MAX_BYTES, site_name
from tests.paths import CORPORA, PROGRAMMES, needs_shared


def site(tmp_path: Path, files: Mapping[str, str | bytes], sessions: str = "site/content/sessions") -> Path:
    """A folder tree with the given files (paths relative to tmp_path) and a sessions folder; returns the latter."""
    for rel, content in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    folder = tmp_path / sessions
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "talk-1.md").write_text('---\ntitle: "A talk"\n---\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("site/hugo.toml", 'baseURL = "https://example.org/"\ntitle = "Tide Conf 2026"\n[params]\ntitle = "no"\n'),
        ("site/config.toml", 'title = "Tide Conf 2026"\n'),
        ("site/config.yaml", 'baseURL: https://example.org/\ntitle: "Tide Conf 2026"  # the name\n'),
        ("site/hugo.yml", "title: 'Tide Conf 2026'\n"),
        ("site/hugo.yaml", "title: Tide Conf 2026\nparams:\n  title: nope\n"),
        ("site/config.json", '{"baseURL": "https://example.org/", "title": "Tide Conf 2026"}'),
        ("site/config/_default/hugo.toml", 'title = "Tide Conf 2026"\n'),
        ("site/config/_default/config.yaml", "title: Tide Conf 2026\n"),
    ],
)
def test_the_site_configuration_names_the_conference(tmp_path, rel, text):
    """A Hugo site's configuration title, in any of its file names and formats, is the conference's name."""
    assert site_name(site(tmp_path, {rel: text})) == "Tide Conf 2026"


def test_a_multilingual_site_without_a_title_uses_its_first_language(tmp_path):
    """A site that titles each language, not itself, is named by the language of lowest weight."""
    text = "[languages.zh]\nweight = 2\ntitle = '潮汐大会 2026'\n[languages.en]\nweight = 1\ntitle = 'Tide Conf 2026'\n"
    assert site_name(site(tmp_path, {"site/hugo.toml": text})) == "Tide Conf 2026"


@pytest.mark.parametrize(
    "home",
    [
        '---\ntitle: "Tide Conf 2026"\ndescription: the home page\n---\nWelcome.\n',
        "+++\ntitle = 'Tide Conf 2026'\n+++\nWelcome.\n",
        '{\n  "title": "Tide Conf 2026"\n}\nWelcome.\n',
    ],
)
def test_the_home_page_names_the_conference_when_the_configuration_does_not(tmp_path, home):
    """Without a titled site configuration, content/_index.md's title (YAML, TOML or JSON front matter) is the name."""
    folder = site(tmp_path, {"site/hugo.toml": 'baseURL = "https://example.org/"\n', "site/content/_index.md": home})
    assert site_name(folder) == "Tide Conf 2026"


def test_the_configuration_comes_before_the_home_page(tmp_path):
    """When both say a name, the site configuration's title wins over the home page's."""
    files = {"site/hugo.toml": 'title = "Tide Conf 2026"\n', "site/content/_index.md": "---\ntitle: Home\n---\n"}
    assert site_name(site(tmp_path, files)) == "Tide Conf 2026"


def test_the_sessions_sections_own_page_is_not_the_conference(tmp_path):
    """content/sessions/_index.md titles the list of sessions ("Sessions"), not the conference: it is not read."""
    folder = site(tmp_path, {"site/content/sessions/_index.md": "---\ntitle: Sessions\n---\n"})
    assert site_name(folder) is None


def test_a_site_with_languages_in_content_folders_is_found_three_levels_up(tmp_path):
    """content/en/sessions on a multilingual site: the configuration three folders up names it."""
    folder = site(tmp_path, {"site/hugo.toml": 'title = "Tide Conf 2026"\n'}, sessions="site/content/en/sessions")
    assert site_name(folder) == "Tide Conf 2026"


def test_a_configuration_further_up_is_not_the_programmes(tmp_path):
    """A config four folders above the sessions belongs to something else and is not read."""
    folder = site(tmp_path, {"a/hugo.toml": 'title = "Somebody Else"\n'}, sessions="a/b/c/d/sessions")
    assert site_name(folder) is None


def test_a_confbot_configuration_above_the_sessions_names_nothing(tmp_path):
    """confbot's own config.toml ([conference] name, no top-level title) is not a Hugo site's."""
    folder = site(tmp_path, {"conf/config.toml": '[conference]\nname = "Tide Conf"\n'}, sessions="conf/sessions")
    assert site_name(folder) is None


@pytest.mark.parametrize(
    "files",
    [
        {"site/hugo.toml": "title = \n[[[ not toml"},
        {"site/config.json": '{"title": '},
        {"site/config.json": '["title", "Tide"]'},
        {"site/hugo.toml": "title = 2026\n"},
        {"site/hugo.toml": 'title = "   "\n'},
        {"site/config.yaml": "title: >\n  Tide Conf\n"},
        {"site/hugo.toml": b"\xff\xfe\x00title = 'x'"},
        {"site/hugo.toml": 'title = "Tide Conf 2026"\n' + "#" * MAX_BYTES},
        {"site/content/_index.md": "---\ntitle: Tide Conf\n"},  # front matter never closed
        {"site/content/_index.md": "No front matter at all.\n"},
    ],
    ids=[
        "bad-toml",
        "cut-json",
        "json-list",
        "number",
        "blank",
        "block-scalar",
        "binary",
        "too-big",
        "open-front-matter",
        "plain-page",
    ],
)
def test_broken_or_odd_site_files_name_nothing_and_never_raise(tmp_path, files):
    """A site file that cannot be read as a name (broken, binary, huge, odd types) is passed over quietly."""
    assert site_name(site(tmp_path, files)) is None


def test_a_long_title_is_clipped_and_spaces_are_tidied(tmp_path):
    """A title is one line of at most 100 characters."""
    name = site_name(site(tmp_path, {"site/hugo.toml": 'title = """Tide\n   Conf  ' + "x" * 200 + '"""\n'}))
    assert name is not None and name.startswith("Tide Conf xxx") and len(name) == 100 and name.endswith("…")


def test_a_folder_named_like_a_configuration_or_a_missing_sessions_folder_is_no_name(tmp_path):
    """A directory called hugo.toml, or a sessions folder that does not exist, gives None."""
    folder = site(tmp_path, {})
    (tmp_path / "site" / "hugo.toml").mkdir()
    assert site_name(folder) is None
    assert site_name(tmp_path / "nowhere" / "sessions") is None


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions that bind")
def test_an_unreadable_configuration_names_nothing(tmp_path):
    """A configuration the bot may not read is passed over, not a crash."""
    folder = site(tmp_path, {"site/hugo.toml": 'title = "Tide Conf 2026"\n'})
    config = tmp_path / "site" / "hugo.toml"
    config.chmod(0)
    try:
        assert site_name(folder) is None
    finally:
        config.chmod(0o644)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), name=st.sampled_from(["hugo.toml", "config.yaml", "config.json"]))
def test_any_bytes_in_a_site_file_give_a_name_or_none(tmp_path_factory, data, name):
    """Whatever a site file holds, site_name answers a short one-line name or None, and never raises."""
    root = tmp_path_factory.mktemp("site")
    (root / name).write_bytes(data)
    (root / "content" / "_index.md").parent.mkdir()
    (root / "content" / "_index.md").write_bytes(b"---\n" + data + b"\n---\n")
    sessions = root / "content" / "sessions"
    sessions.mkdir()
    found = site_name(sessions)
    assert found is None or (found.strip() and "\n" not in found and len(found) <= 100)


# --- the real programmes ------------------------------------------------------------------------------------------

SITE_FILES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml")


@needs_shared
@pytest.mark.parametrize("programme", PROGRAMMES)
def test_the_real_programmes_keep_no_site_around_their_sessions(programme):
    """None of the four real programmes ships its Hugo site's configuration or home page (the folders hold only
    sessions/, tracks/ and at most rooms.yaml), so each has no name of its own and the bot uses a neutral one."""
    sessions = CORPORA / programme / "sessions"
    above = list(sessions.resolve().parents)[:3]
    present = [
        p
        for folder in above
        for p in [*(folder / n for n in SITE_FILES), folder / "config", folder / "_index.md"]
        if p.exists()
    ]
    assert present == []
    assert {p.name for p in (CORPORA / programme).iterdir()} <= {"sessions", "tracks", "rooms.yaml"}
    assert site_name(sessions) is None
