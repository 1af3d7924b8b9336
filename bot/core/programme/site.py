"""The conference's own name, read from the Hugo site that holds the sessions folder, when there is one.

A Hugo conference site keeps its sessions in `content/sessions/` (or `content/<lang>/sessions/`) and its name
in the site configuration at the site's root: `hugo.toml`, `config.toml`, their `.yaml`/`.yml`/`.json` forms or
`config/_default/…`, as a top-level `title` (or, on a multilingual site with none, the first language's `title`).
Failing that, the home page's front matter, `content/_index.md`, has a `title`.

`site_name(sessions_dir)` looks at the three folders above the sessions folder, nearest first, for a site
configuration with a title, then for an `_index.md` with one (the sessions folder's own `_index.md` is the
section's page, titled "Sessions", not the conference). It reads a few small text files, never raises and
returns None when no site says a name. A confbot `config.toml` has no top-level `title`, so it never answers.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from bot.core.text import clip

__all__ = ["site_name"]

LEVELS = 3  # site/content/<lang>/sessions: the site root is three folders up
MAX_BYTES = 256 * 1024  # a site config or a home page is a few kilobytes; anything bigger is not one
MAX_NAME = 100
_CONFIG_NAMES = ("hugo", "config")
_CONFIG_KINDS = ("toml", "yaml", "yml", "json")
_INDEX_NAMES = ("_index.md", "_index.en.md")
# A top-level `title:` line of YAML: the only key we need, so no YAML parser (and none of its alias bombs).
_YAML_TITLE = re.compile(r"^title\s*:[ \t]*(?P<value>[^\n]*?)[ \t]*$", re.MULTILINE)
_YAML_LANG_TITLE = re.compile(r"^[ \t]+title\s*:[ \t]*(?P<value>[^\n]*?)[ \t]*$", re.MULTILINE)


def site_name(sessions_dir: Path) -> str | None:
    """The conference's name from the Hugo site above `sessions_dir`, or None; never raises."""
    try:
        folders = _folders_above(Path(sessions_dir))
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop while resolving
        return None
    for folder in folders:
        for path in _config_files(folder):
            name = _config_title(path)
            if name:
                return name
    for folder in folders:
        for index in _INDEX_NAMES:
            name = _index_title(folder / index)
            if name:
                return name
    return None


def _folders_above(sessions_dir: Path) -> list[Path]:
    return list(sessions_dir.resolve().parents)[:LEVELS]


def _config_files(folder: Path) -> list[Path]:
    found = []
    for base in (folder, folder / "config" / "_default"):
        for stem in _CONFIG_NAMES:
            for kind in _CONFIG_KINDS:
                path = base / f"{stem}.{kind}"
                if _is_small_file(path):
                    found.append(path)
    return found


def _is_small_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size <= MAX_BYTES
    except OSError:
        return False


def _read(path: Path) -> str | None:
    if not _is_small_file(path):
        return None
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
        return raw.decode("utf-8-sig") if len(raw) <= MAX_BYTES else None
    except (OSError, UnicodeDecodeError):
        return None


def _config_title(path: Path) -> str | None:
    text = _read(path)
    if text is None:
        return None
    kind = path.suffix.lstrip(".")
    if kind == "toml":
        return _title_of(_load_toml(text))
    if kind == "json":
        return _title_of(_load_json(text))
    return _yaml_title(text)


def _load_toml(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _title_of(data: Any) -> str | None:
    """A mapping's top-level `title`; else, on a multilingual site, the title of its first language."""
    if not isinstance(data, dict):
        return None
    name = _clean(data.get("title"))
    if name:
        return name
    languages = data.get("languages")
    if isinstance(languages, dict):
        ranked = sorted((v for v in languages.values() if isinstance(v, dict)), key=_weight)
        for language in ranked:
            name = _clean(language.get("title"))
            if name:
                return name
    return None


def _weight(language: dict[str, Any]) -> int:
    """A Hugo language's `weight` (lower first); languages without one come last."""
    weight = language.get("weight")
    return weight if isinstance(weight, int) and not isinstance(weight, bool) else 1_000_000


def _yaml_title(text: str) -> str | None:
    m = _YAML_TITLE.search(text)
    if m:
        return _clean(_unquote(m.group("value")))
    if re.search(r"^languages\s*:", text, re.MULTILINE):
        lm = _YAML_LANG_TITLE.search(text[text.find("languages") :])
        if lm:
            return _clean(_unquote(lm.group("value")))
    return None


def _unquote(value: str) -> str:
    """A YAML scalar written on one line: quoted ("…", '…') or plain, with any trailing # comment dropped."""
    value = value.strip()
    if value in ("|", ">", "|-", ">-", "|+", ">+"):  # a block scalar on the following lines: not worth a guess
        return ""
    if value[:1] in ("'", '"'):
        end = value.find(value[0], 1)
        return value[1:end] if end > 0 else ""
    return value.split(" #", 1)[0]


def _index_title(path: Path) -> str | None:
    """The `title` of a Hugo page's front matter: YAML between `---`, TOML between `+++`, or a JSON object."""
    text = _read(path)
    if text is None:
        return None
    text = text.lstrip()
    if text.startswith("---"):
        end = text.find("\n---", 3)
        return _yaml_title(text[3:end]) if end != -1 else None
    if text.startswith("+++"):
        end = text.find("\n+++", 3)
        return _title_of(_load_toml(text[3:end])) if end != -1 else None
    if text.startswith("{"):
        decoder = json.JSONDecoder()
        try:
            data, _ = decoder.raw_decode(text)
        except (ValueError, RecursionError):
            return None
        return _title_of(data)
    return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    name = " ".join(value.split())
    return clip(name, MAX_NAME) if name else None
