"""The message catalogue is complete: both languages for every key, the same placeholders, every key the code asks for."""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.i18n import STRINGS, listing, sentences, tr

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


# Calls whose first argument is a catalogue key: tr itself, tr_or, the time parser's ctx.error and _words.
CATALOGUE_CALLS = {"tr", "tr_or", "error", "_words"}
KEY = re.compile(r"[a-z_]+(?:\.[a-z_]+)+\.?")


def _names_a_key(first: ast.expr) -> bool:
    if isinstance(first, ast.Constant):
        return isinstance(first.value, str) and KEY.fullmatch(first.value) is not None
    if isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
        return KEY.fullmatch(str(first.values[0].value)) is not None
    return False


def uses() -> list[Use]:
    found = []
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in CATALOGUE_CALLS:
                continue
            if name != "tr" and not _names_a_key(node.args[0]):
                continue  # log.error("…") and the like: text, not a key
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


def test_lists_take_a_comma_in_english_and_the_enumeration_comma_in_chinese():
    """Names in a reply: "A, B" in English, "甲、B" in Chinese (as the calendar file already wrote them)."""
    assert listing(["Ann Lee", "王华杰"], "en") == "Ann Lee, 王华杰"
    assert listing(["Ann Lee", "王华杰"], "zh") == "Ann Lee、王华杰"
    assert listing([], "zh") == ""


def test_sentences_take_a_space_in_english_and_none_after_a_chinese_full_stop():
    """Notes joined into one reply text: "A. B." in English, "甲。乙。" in Chinese; empty parts are left out."""
    assert sentences(["Taken as X.", None, "", "14 match."], "en") == "Taken as X. 14 match."
    assert sentences(["按 X 处理。", "14 场议程匹配。"], "zh") == "按 X 处理。14 场议程匹配。"
    assert sentences(["Kafka", "实践"], "zh") == "Kafka 实践"  # no full stop: words keep their space


# --- descriptions: every command and option has both languages in the catalogue ---------------------------


def _commands():
    from bot.commands import REGISTRY

    return sorted(REGISTRY.values(), key=lambda c: c.name)


@pytest.mark.parametrize("cmd", _commands(), ids=lambda c: c.name)
def test_every_command_and_option_is_described_in_both_languages(cmd):
    """/help, Discord's command list and its Chinese localization find each command's and option's description
    in the catalogue (cmd.<command>, cmd.<command>.<option>), English as declared, Chinese within Discord's 100."""
    key = f"cmd.{cmd.name}"
    assert key in STRINGS, f"add {key!r} to bot/i18n.py with the English and Chinese of /{cmd.name}'s description"
    assert STRINGS[key][0] == cmd.description, f"{key}: the catalogue's English differs from what /{cmd.name} declares"
    assert cmd.describe("zh") == STRINGS[key][1] and len(STRINGS[key][1]) <= 100
    for opt in cmd.options:
        okey = f"cmd.{cmd.name}.{opt.name}"
        assert okey in STRINGS, f"add {okey!r} to bot/i18n.py with both languages of the option's description"
        assert STRINGS[okey][0] == opt.description, f"{okey}: the catalogue's English differs from the declared"
        assert opt.describe("zh") == STRINGS[okey][1] and len(STRINGS[okey][1]) <= 100


def test_no_description_is_left_for_a_command_that_is_gone():
    """Every cmd.* key names a command (and option) that exists, so the catalogue holds no dead descriptions."""
    known = {f"cmd.{c.name}" for c in _commands()} | {f"cmd.{c.name}.{o.name}" for c in _commands() for o in c.options}
    assert {k for k in STRINGS if k.startswith("cmd.")} == known


# --- no handler writes user-visible English of its own ---------------------------------------------------------

# What a reader sees, by the call that carries it: (positional indexes, keywords) of each.
_VISIBLE = {
    "Reply": ({0, 1}, {"title", "text", "footer"}),
    "Entry": ({0}, {"title", "lines", "body"}),
    "Section": ({0}, {"heading"}),
    "Action": ({2}, {"label"}),
    "UserError": ({0, 1}, {"message", "hint"}),
    "NotAllowed": ({0, 1}, {"message", "hint"}),
    "error_reply": ({0, 1}, {"message", "hint"}),
}
_ENGLISH = re.compile(r"[A-Za-z]{2,}")
_TEXT_CALLS = {"join", "format", "clip"}  # calls whose arguments are themselves shown; any other call's are not


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literals(node: ast.AST, assigned: dict[str, list[ast.expr]], seen: frozenset[str] = frozenset()):
    """English string literals a reader would see in an expression, following local names to what they were set to."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and _ENGLISH.search(node.value):
            yield node.value
        return
    if isinstance(node, ast.Call):
        if _name(node.func) in _TEXT_CALLS:
            for part in [*node.args, *(k.value for k in node.keywords)]:
                yield from _literals(part, assigned, seen)
        if isinstance(node.func, ast.Attribute):  # ", ".join(...): the separator is shown too
            yield from _literals(node.func.value, assigned, seen)
        return
    if isinstance(node, ast.Compare | ast.Subscript):  # `lang == "en"`, `s["sessions"]`: tested or looked up, not shown
        return
    if isinstance(node, ast.IfExp):
        for part in (node.body, node.orelse):
            yield from _literals(part, assigned, seen)
        return
    if isinstance(node, ast.Name):
        if node.id not in seen:
            for value in assigned.get(node.id, []):
                yield from _literals(value, assigned, seen | {node.id})
        return
    for child in ast.iter_child_nodes(node):
        yield from _literals(child, assigned, seen)


def _assignments(function: ast.AST) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            found.setdefault(node.target.id, []).append(node.value)
    return found


def english_of_its_own() -> list[tuple[str, int, str]]:
    """Every English literal that bot/commands and bot/frontends put into a reply, an entry or a user error."""
    found = []
    for path in sorted([*(BOT / "commands").rglob("*.py"), *(BOT / "frontends").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        for function in [tree, *functions]:
            assigned = _assignments(function)
            for node in ast.walk(function):
                if not isinstance(node, ast.Call) or _name(node.func) not in _VISIBLE:
                    continue
                positions, keywords = _VISIBLE[_name(node.func)]
                shown = [a for i, a in enumerate(node.args) if i in positions]
                shown += [k.value for k in node.keywords if k.arg in keywords]
                for expr in shown:
                    for literal in _literals(expr, assigned):
                        found.append((str(path.relative_to(BOT.parent)), node.lineno, literal))
    return sorted(set(found))


def test_the_english_scan_sees_a_handler_writing_english():
    """The scan finds English written straight into a reply or an error, also through a local variable."""
    source = (
        "def f(ctx, ok):\n"
        "    status = 'Posted.' if ok else tr('x', ctx.lang)\n"
        "    raise UserError(f'No such {ok} here', tr('y', ctx.lang))\n"
        "    return Reply(title='📣', text=status, footer=', '.join(['/next', tr('z', ctx.lang)]))\n"
    )
    tree = ast.parse(source)
    function = tree.body[0]
    calls = [n for n in ast.walk(function) if isinstance(n, ast.Call) and _name(n.func) in ("Reply", "UserError")]
    seen = {
        lit
        for call in calls
        for arg in [*call.args, *(k.value for k in call.keywords)]
        for lit in _literals(arg, _assignments(function))
    }
    assert seen == {"Posted.", "No such ", " here", "/next"}


def test_no_handler_writes_english_of_its_own():
    """Replies, entries, buttons and user errors in the command layer and the front ends take their words from
    the catalogue (tr), so a Chinese reader sees no English but the programme's own names."""
    own = [f"{where}:{line}: {literal!r}" for where, line, literal in english_of_its_own()]
    assert not own, "English outside the catalogue:\n" + "\n".join(own)
