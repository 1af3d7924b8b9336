"""The message catalogue is complete: both languages for every key, the same placeholders, every key the code asks for."""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.i18n import STRINGS, tr

BOT = Path(__file__).resolve().parents[1] / "bot"


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@dataclass(frozen=True)
class Use:
    """One `tr(...)` call in bot/: its key (or the key's fixed start, for keys built at run time) and keywords."""

    where: str
    key: str
    exact: bool
    keywords: frozenset[str] | None  # None when the call passes **kwargs


def uses() -> list[Use]:
    found = []
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name != "tr":
                continue
            where = f"{path.relative_to(BOT.parent)}:{node.lineno}"
            first = node.args[0]
            keywords = (
                None if any(k.arg is None for k in node.keywords) else frozenset(k.arg for k in node.keywords if k.arg)
            )
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append(Use(where, first.value, True, keywords))
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                found.append(Use(where, str(first.values[0].value), False, keywords))  # tr(f"lang.{code}")
            elif (
                isinstance(first, ast.BinOp)
                and isinstance(first.left, ast.Constant)
                and isinstance(first.left.value, str)
            ):
                found.append(Use(where, first.left.value, False, keywords))  # tr("star." + delivery)
    return found


USES = uses()


def test_the_scan_finds_the_calls():
    """The source scan sees the catalogue in use (so an empty scan cannot pass the tests below)."""
    assert len([u for u in USES if u.exact]) > 50
    assert any(not u.exact for u in USES)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    """Every message has English and Chinese text, and both fill in the same {placeholders}."""
    en, zh = STRINGS[key]
    assert en.strip() and zh.strip(), f"{key}: a language is empty"
    assert placeholders(en) == placeholders(zh), f"{key}: {placeholders(en)} in English, {placeholders(zh)} in Chinese"


@pytest.mark.parametrize("use", USES, ids=[u.where for u in USES])
def test_every_key_the_code_asks_for_exists_with_its_placeholders(use):
    """Every `tr("…")` in bot/ names a key of the catalogue and gives exactly the placeholders its text needs."""
    if not use.exact:
        assert any(k.startswith(use.key) for k in STRINGS), f"{use.where}: no key starts with {use.key!r}"
        return
    assert use.key in STRINGS, f"{use.where}: no key {use.key!r} in bot/i18n.py"
    if use.keywords is not None:
        en, _ = STRINGS[use.key]
        assert use.keywords == placeholders(en), f"{use.where}: {use.key!r} takes {placeholders(en) or 'nothing'}"


def test_tr_speaks_chinese_only_for_zh():
    """Chinese for "zh", English for any other language."""
    assert tr("help.title", "zh") == "命令"
    assert tr("help.title", "en") == tr("help.title", "fr") == "Commands"
    assert tr("page", "zh", i=1, n=4) == "第 1/4 页"
