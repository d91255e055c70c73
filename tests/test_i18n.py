"""The catalogue: every message a user can see has a Danish translation, the shipped
``.mo`` is the ``.po`` compiled, and the language is chosen as the README says.

Extraction runs over the imported package (under ``.ci/run`` the installed wheel), so
a message added without ``python tools/i18n.py`` fails here, naming the message.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from cli_process import kkr_tui_stdout

import kkr_tui
from kkr_tui import i18n

babel = pytest.importorskip("babel", reason="Babel (the [test] extra) extracts the messages")

from kkr_tui import i18n_tools  # noqa: E402 - needs babel, skipped above without it

PACKAGE = Path(kkr_tui.__file__).resolve().parent


def test_every_marked_message_is_in_the_danish_catalogue() -> None:
    in_code = i18n_tools.message_keys(i18n_tools.extract())
    in_catalogue = i18n_tools.message_keys(i18n_tools.read_catalogue("da"))
    missing = sorted(ident for _ctx, ident in in_code - in_catalogue)
    unused = sorted(ident for _ctx, ident in in_catalogue - in_code)
    assert not missing, f"run `python tools/i18n.py` and translate: {missing}"
    assert not unused, f"run `python tools/i18n.py` to drop: {unused}"
    assert len(in_code) > 50  # extraction found the code at all


def test_every_message_has_a_danish_translation() -> None:
    assert i18n_tools.untranslated(i18n_tools.read_catalogue("da")) == []


def test_the_shipped_catalogue_is_the_po_compiled() -> None:
    assert i18n_tools.compiled("da") == i18n_tools.compile_to_dict("da")


def test_placeholders_survive_translation() -> None:
    """A translation that drops or renames ``{n}`` would raise KeyError on screen."""
    import re

    field = re.compile(r"\{(\w*)\}|%\((\w+)\)|%[sr]")
    for message in i18n_tools.read_catalogue("da"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(field.findall(ids[-1]))
        for text in strings:
            assert sorted(field.findall(text)) == wanted, (ids[0], text)


@pytest.mark.parametrize(
    ("environ", "configured", "expected"),
    [
        ({}, None, "da"),
        ({"LANG": "C.UTF-8"}, None, "da"),
        ({"LANG": "de_DE.UTF-8"}, None, "da"),
        ({"LANG": "en_GB.UTF-8"}, None, "en"),
        ({"LANG": "da_DK.UTF-8", "LC_ALL": "en_US.UTF-8"}, None, "en"),
        ({"LANGUAGE": "de:en", "LANG": "da_DK.UTF-8"}, None, "en"),
        ({"LANG": "en_US.UTF-8"}, "da", "da"),
        ({"LANG": "da_DK.UTF-8"}, "en", "en"),
        ({"KKR_TUI_LANG": "da", "LANG": "en_US.UTF-8"}, "en", "da"),
        ({}, "klingon", "da"),
    ],
)
def test_language_choice(environ: dict[str, str], configured: str | None, expected: str) -> None:
    assert i18n.choose_language(configured, environ) == expected


def test_danish_by_default_english_on_request() -> None:
    assert i18n._("no matches") == "ingen hits"
    assert i18n.ngettext(
        "{n} stored document no longer exists on disk; skipped",
        "{n} stored documents no longer exist on disk; skipped",
        2,
    ).startswith("{n} gemte dokumenter")
    i18n.set_language("en")
    assert i18n._("no matches") == "no matches"
    i18n.set_language("da")


def test_config_language_chooses_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.delenv(i18n.ENV_VAR)
    monkeypatch.setattr("kkr_tui.userdirs.config_file", lambda: str(config))
    assert i18n.set_language(None) == "en"
    assert i18n._("no matches") == "no matches"


@pytest.mark.parametrize(
    ("language", "words"), [("da", "vis denne hjælp"), ("en", "show this help")]
)
def test_cli_help_in_the_chosen_language(language: str, words: str, tmp_path: Path) -> None:
    env = {"PATH": "", "KKR_TUI_LANG": language, "XDG_CONFIG_HOME": str(tmp_path)}
    out = kkr_tui_stdout("--help", env=env, cwd=tmp_path)
    assert words in out
    danish = ("brug:", "kommandoer", "tilvalg", "søg i gemte punkter")
    assert all(w in out for w in danish) == (language == "da"), out


def _literal(node: ast.expr) -> bool:
    """A string the user would read as it is written: a non-empty literal or an f-string."""
    if isinstance(node, ast.JoinedStr):
        return True
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(node.value.strip())
    )


def test_no_notification_bypasses_the_catalogue() -> None:
    """``notify("...")`` or ``title="..."`` with a bare literal reaches the user untranslated."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "notify"
            ):
                continue
            texts = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "title"]
            if any(_literal(t) for t in texts):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_nothing_shadows_the_translation_function() -> None:
    """``_, x = pair`` in a function that also says ``_("…")`` makes that call a call of
    a tuple element (a crash found only when the message shows). A comprehension's own
    ``_`` is harmless: it lives in the comprehension's scope."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "kkr_tui.i18n import" not in source:
            continue
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            in_comprehension = {
                id(node)
                for comp in ast.walk(function)
                if isinstance(comp, ast.comprehension)
                for node in ast.walk(comp.target)
            }
            stores = [
                node
                for node in ast.walk(function)
                if isinstance(node, ast.Name)
                and node.id == "_"
                and isinstance(node.ctx, ast.Store)
                and id(node) not in in_comprehension
            ]
            calls = any(
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                for node in ast.walk(function)
            )
            if stores and calls:
                offenders.append(f"{path.relative_to(PACKAGE)}:{stores[0].lineno}")
    assert offenders == []
