# ruff: noqa: F401, F811  (pytest fixtures imported from app_fixtures)
"""No English left on screen in Danish mode: Textual's own words included.

The reader is driven through every screen a user reaches from the keyboard, at 80×24
and 200×60; everything it shows is collected — what is drawn, and what is there but
scrolled away (the whole help, every palette entry, every footer key, placeholders) —
and searched for English words of a user interface. Words the documents themselves
use (KL writes "taskforce", "Prepare", "life-science") are not held against the reader.

Textual writes "Search for commands…", "No matches found", "Search for themes…" and
"Do you want to quit?" itself; the reader gives them in the user's language
(:class:`kkr_tui.app.commands.Palette`, ``KkrApp.search_themes`` and ``action_help_quit``).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from app_fixtures import make_app, sample_db, sample_db_template, screen_text, settle
from textual.command import CommandList
from textual.content import Content
from textual.widgets import Input, OptionList, Static

from kkr_tui.textfold import fold

#: Words of a user interface in English that Danish does not use (no "for", "to",
#: "and", "is", "link", "note", "status": Danish words too).
ENGLISH = frozenset(
    [
        "search",
        "commands",
        "command",
        "matches",
        "found",
        "themes",
        "theme",
        "help",
        "quit",
        "close",
        "cancel",
        "save",
        "copy",
        "paste",
        "open",
        "opening",
        "next",
        "previous",
        "back",
        "forward",
        "settings",
        "notes",
        "related",
        "decisions",
        "export",
        "briefing",
        "press",
        "loading",
        "error",
        "failed",
        "warning",
        "item",
        "items",
        "meeting",
        "meetings",
        "keys",
        "show",
        "hide",
        "screenshot",
        "maximize",
        "minimize",
        "light",
        "dark",
        "down",
        "up",
        "top",
        "bottom",
        "page",
        "pages",
        "the",
        "of",
        "with",
        "you",
        "your",
        "this",
        "that",
        "not",
        "none",
        "nothing",
        "here",
        "there",
        "what",
        "new",
        "changed",
        "read",
        "unread",
        "list",
        "text",
        "reload",
        "fetch",
        "documents",
        "document",
        "source",
        "file",
        "files",
        "do",
        "want",
        "yes",
    ]
)
WORD = re.compile(r"[A-Za-zÆØÅæøå]+")


def _texts(node: Any) -> list[str]:
    """What ``node`` holds as text, whether or not it is scrolled into view."""
    out: list[str] = []
    for widget in node.walk_children(with_self=True):
        if isinstance(widget, Static):
            content = widget.content
            if isinstance(content, Content):
                out.append(content.plain)
            elif isinstance(content, str):
                out.append(content)
        if isinstance(widget, Input):
            out += [widget.placeholder, widget.value]
        if isinstance(widget, OptionList):
            for option in widget.options:
                prompt = option.prompt
                out.append(getattr(prompt, "plain", prompt if isinstance(prompt, str) else ""))
    return out


def _shown(app: Any) -> str:
    screen = app.screen
    keys = [b.binding.description for b in screen.active_bindings.values() if b.binding.show]
    toasts = [str(n.message) + " " + str(n.title) for n in app._notifications]
    return "\n".join([screen_text(app), *keys, *toasts, *_texts(screen)])


async def _tour(app: Any) -> dict[str, str]:
    """Every screen a user reaches by key, and what it shows."""
    seen: dict[str, str] = {}
    async with app.run_test(size=SIZE) as pilot:

        async def look(name: str) -> None:
            await settle(pilot)
            seen[name] = _shown(app)

        async def typing(text: str) -> None:
            for ch in text:
                await pilot.press(ch)

        await look("start")
        await pilot.press("question_mark")
        await look("help")
        await pilot.press("escape")
        await pilot.press("j", "right_square_bracket")
        await look("meeting item")
        app.show_text()
        await pilot.press("tab")
        await look("link cursor")
        await pilot.press("slash")
        await typing("kommune")
        await pilot.press("enter")
        await look("find")
        await pilot.press("escape", "escape")
        await pilot.press("slash")
        await look("search")
        await typing("sundhed")
        await look("search hits")
        await pilot.press("question_mark")
        await look("search help")
        await pilot.press("escape")
        app.screen.query_one(Input).value = "xqzzyx"
        await look("search without hits")
        await pilot.press("escape")
        for key, name in (("d", "decisions"), ("D", "others"), ("w", "whats new"), ("o", "open")):
            await pilot.press(key)
            await look(name)
            await pilot.press("question_mark")
            await look(f"{name} help")
            assert "Taster her" in seen[f"{name} help"], name  # the overlay's own help
            await pilot.press("escape", "escape")
            await settle(pilot)
        await pilot.press("n")
        await look("note editor")
        await typing("hej")
        await pilot.press("escape")
        await look("note editor asks")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("x")
        await look("export")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await look("palette")
        await typing("zzqxq")
        command_list = app.screen.query_one(CommandList)
        for _ in range(100):  # Textual waits half a second before it says so
            await pilot.pause(0.05)
            if command_list.option_count:
                break
        await look("palette without matches")
        assert command_list.option_count == 1
        await pilot.press("escape")
        await settle(pilot)
        app.search_themes()
        await look("themes")
        await pilot.press("escape")
        await settle(pilot)
        app.action_help_quit()
        await look("ctrl+c")
    return seen


SIZE = (80, 24)


def _english(text: str, allowed: frozenset[str]) -> set[str]:
    words = {w for w in WORD.findall(text)}
    return {w for w in words if w.lower() in ENGLISH and fold(w) not in allowed}


@pytest.fixture(scope="module")
def document_words() -> frozenset[str]:
    """Every word the sample documents use (their text is shown as printed)."""
    from kkr_tui.paths import sample_documents

    words: set[str] = set()
    for path in sample_documents():
        words |= {fold(w) for w in WORD.findall(path.read_text(encoding="utf-8"))}
    return frozenset(words)


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_no_english_words_on_any_screen(
    size: tuple[int, int], sample_db: Path, document_words: frozenset[str]
) -> None:
    global SIZE
    SIZE = size
    app = make_app(sample_db)
    app.open_url = lambda *a, **k: None
    seen = asyncio.run(_tour(app))
    assert len(seen) >= 20  # the tour reached every screen
    assert "Søg efter kommandoer…" in seen["palette"]
    assert "Ingen hits" in seen["palette without matches"]
    assert "Søg efter temaer…" in seen["themes"]
    assert "Vil du lukke?" in seen["ctrl+c"]
    # Theme names are names ("textual-light", "nord"), shown as Textual spells them.
    names = frozenset(fold(w) for theme in app.available_themes for w in WORD.findall(theme))
    found = {name: _english(text, document_words | names) for name, text in seen.items()}
    assert {name: words for name, words in found.items() if words} == {}


async def _bilag_tour(app: Any, item_id: int) -> dict[str, str]:
    """The fetched bilag: the item's list, the bilag view, its find, its help; then
    ``H`` without a network (the site is gone by then)."""
    from synced_bilag import until_fetched

    seen: dict[str, str] = {}
    async with app.run_test(size=SIZE) as pilot:

        async def look(name: str) -> None:
            await settle(pilot)
            seen[name] = _shown(app)

        await settle(pilot)
        app.open_view(("item", item_id))
        await look("item with bilag")
        app.query_one("#bilag-list").focus()
        await pilot.press("enter")
        await look("bilag view")
        await pilot.press("right")
        await look("bilag page 2")
        await pilot.press("slash")
        await look("bilag find")
        await pilot.press("escape")
        await pilot.press("question_mark")
        await look("bilag help")
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("H")
        await until_fetched(pilot, app)
        await look("fetch without a network")
    return seen


@pytest.mark.slow
def test_no_english_in_the_bilag_view_fetching_and_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document_words: frozenset[str]
) -> None:
    from synced_bilag import bilag_item_id, synced_store

    global SIZE
    SIZE = (80, 24)
    db, site = synced_store(tmp_path, monkeypatch)
    config = tmp_path / "reader.toml"
    config.write_text(f'[sync]\nbase_url = "{site.url}"\ndelay = 0\nretries = 0\n')
    app = make_app(db, config_path=config)
    seen = asyncio.run(_bilag_tour(app, bilag_item_id(db)))

    async def read_only() -> str:
        app = make_app(db, read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            return _shown(app)

    seen["read-only"] = asyncio.run(read_only())
    assert "Side 2 af 3" in seen["bilag page 2"]
    assert "ingen forbindelse" in seen["fetch without a network"]
    names = frozenset(fold(w) for w in WORD.findall(" ".join(app.available_themes)))
    bilag_words = frozenset(
        fold(w) for w in WORD.findall(seen["bilag view"] + seen["bilag page 2"])
    )
    found = {name: _english(text, document_words | names) for name, text in seen.items()}
    # The generated bilag's own text is data too; nothing here is in English.
    assert not bilag_words & ENGLISH
    assert {name: words for name, words in found.items() if words} == {}


def test_no_english_while_an_older_archive_is_upgraded(
    tmp_path: Path, document_words: frozenset[str]
) -> None:
    """The upgrade of a schema-3 archive (held at a step): the panel, the pane's word on
    what happens, the footer."""
    from app_fixtures import held_app, until_held
    from old_databases import v3_database

    async def tour() -> str:
        app, held = held_app(v3_database(tmp_path / "kkr.db"))
        async with app.run_test(size=(80, 24)) as pilot:
            await until_held(pilot, held)
            shown = _shown(app)
            app.go_on.set()
        return shown

    shown = asyncio.run(tour())
    assert "Opgraderer arkivet til ny version" in shown
    assert _english(shown, document_words) == set()
