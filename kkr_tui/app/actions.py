"""The reader's actions, listed once: keys, footer, command palette and help come from here.

Before, bindings, palette entries and help text were three lists that drifted (the
palette said "(n)" after a remap had moved the key). Each :class:`Command` names its
binding id (the name used in the config's ``[keymap]``), default keys, what it does in
a word (footer) and in a line (help, palette), and where it works. Texts are English
message ids, translated when shown (:mod:`kkr_tui.i18n`).

Every command of the reader is registered in the one list at the end of this module,
in the order the help shows them: a list spread over feature modules had an order
that depended on which module was imported first, and a check outside the reader
(``kkr-tui locate`` checking the ``[keymap]``) had to import every feature to see them
all. The widgets and the app ask :func:`bindings` for their scope.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.keys import _normalize_key_list  # Textual's own spelling of keys (pinned)

from kkr_tui.i18n import N_, _

Scope = Literal["app", "tree", "pane"]

#: Help groups, in the order the help screen shows them.
SCOPE_TITLES: dict[Scope, str] = {
    "app": N_("Everywhere in the reader"),
    "tree": N_("In the meeting list"),
    "pane": N_("In the text"),
}


@dataclass(frozen=True)
class Command:
    """One thing the reader can do."""

    id: str
    """Binding id: the name for ``[keymap]`` in the config file."""
    keys: str
    """Default keys, Textual's comma-separated key names ("" = palette only)."""
    action: str
    """The Textual action string."""
    label: str
    """A word or two (footer, palette name); an English message id."""
    help: str
    """One line saying what it does (help, palette); an English message id."""
    scope: Scope = "app"
    palette: bool = True
    typed: bool = False
    """A printable key: off while the user types in an input or the note editor."""
    writes: bool = False
    """Writes to the database: off in read-only mode."""

    @property
    def action_name(self) -> str:
        """The action without its arguments (``jump`` of ``jump('Indstilling')``): what
        Textual's ``check_action`` is asked about."""
        return self.action.split("(")[0]


_COMMANDS: dict[str, Command] = {}


def register(*commands: Command) -> None:
    """Add commands to the registry (a feature module calls this at import)."""
    for command in commands:
        _COMMANDS[command.id] = command


def commands(scope: Scope | None = None) -> list[Command]:
    """Every registered command (of ``scope``), in registration order."""
    return [c for c in _COMMANDS.values() if scope is None or c.scope == scope]


def command(ident: str) -> Command | None:
    """The command with binding id ``ident``."""
    return _COMMANDS.get(ident)


def typed_actions() -> frozenset[str]:
    """Action names (without arguments) bound to printable keys."""
    return frozenset(c.action_name for c in _COMMANDS.values() if c.typed)


def write_actions() -> frozenset[str]:
    """Action names that write to the database."""
    return frozenset(c.action_name for c in _COMMANDS.values() if c.writes)


#: The footer's order (what a reader reaches for first); it fits 80 columns.
FOOTER_ORDER = (
    "pane.find",
    "search",
    "jump_indstilling",
    "jump_beslutning",
    "edit_note",
    "related",
    "decisions",
    "help",
)


def bindings(scope: Scope) -> list[Binding]:
    """Textual bindings of ``scope``, footer ones first in :data:`FOOTER_ORDER`;
    descriptions are message ids until :func:`translate_bindings` runs on the instance."""
    rank = {ident: n for n, ident in enumerate(FOOTER_ORDER)}
    ordered = sorted(commands(scope), key=lambda c: rank.get(c.id, len(rank)))
    return [
        Binding(c.keys, c.action, c.label, show=c.id in rank, id=c.id) for c in ordered if c.keys
    ]


def translate_bindings(node: DOMNode) -> None:
    """Give ``node``'s own copy of its bindings descriptions in the user's language.

    Textual copies a class's bindings into each instance when it is made, so this
    changes nothing shared and follows the language chosen by then, not the one in
    force when the class was imported.
    """
    node._bindings = BindingsMap.from_keys(
        {
            key: [
                dataclasses.replace(
                    binding,
                    description=_(binding.description) if binding.description else "",
                    tooltip=_(binding.tooltip) if binding.tooltip else "",
                )
                for binding in found
            ]
            for key, found in node._bindings.key_to_bindings.items()
        }
    )


def keymap_problems(keymap: dict[str, str], builtin: Iterable[str] = ()) -> list[str]:
    """What is wrong with a ``[keymap]`` table: unknown ids, and keys bound twice.

    A key is bound twice when two commands that work at the same time (the app's and
    the tree's, or the app's and the pane's) end up on it; Textual would quietly let
    one of them win. ``builtin`` are further ids that may be remapped.
    """
    problems: list[str] = []
    known = set(_COMMANDS) | set(builtin)
    for ident in keymap:
        if ident not in known:
            problems.append(_("keymap: unknown binding id {id}").format(id=ident))
    keys_now = {c.id: keys_of(c, keymap) for c in _COMMANDS.values()}
    for scope in ("tree", "pane"):
        together = [c for c in _COMMANDS.values() if c.scope in ("app", scope)]
        seen: dict[str, str] = {}
        for c in together:
            for key in keys_now[c.id]:
                other = seen.get(key)
                if other is not None and other != c.id and (c.id in keymap or other in keymap):
                    problem = _("keymap: {key} is bound to both {first} and {second}").format(
                        key=key, first=other, second=c.id
                    )
                    if problem not in problems:
                        problems.append(problem)
                seen.setdefault(key, c.id)
    return problems


def keys_of(command: Command, keymap: dict[str, str]) -> list[str]:
    """The keys ``command`` is on, the user's keymap applied (Textual key names)."""
    keys = keymap.get(command.id, command.keys)
    return [k for k in _normalize_key_list(keys).split(",") if k] if keys else []


def _widget_key(
    ident: str, keys: str, action: str, label: str, help: str, *, typed: bool = True
) -> Command:
    """A key of the tree or the pane, the widget named by the id's first word
    (``tree.down``): in its own help and footer, never in the palette."""
    scope: Scope = "tree" if ident.startswith("tree.") else "pane"
    return Command(ident, keys, action, label, help, scope=scope, palette=False, typed=typed)


def _reader_key(
    ident: str,
    keys: str,
    label: str,
    help: str,
    *,
    action: str = "",
    typed: bool = True,
    writes: bool = False,
    palette: bool = True,
) -> Command:
    """A command of the whole reader: its action is named as its binding id unless said,
    and its key is a printable one (``typed``) unless said."""
    return Command(
        ident, keys, action or ident, label, help, palette=palette, typed=typed, writes=writes
    )


# -- the reader's own commands, in the order the help lists them ------------------------

register(
    _reader_key("search", "slash,ctrl+f", N_("Search"),
                N_("Search the items of every council"), typed=False),
    _reader_key("jump_indstilling", "i", N_("Indstilling"),
                N_("Go to the recommendation (Indstilling)"), action="jump('Indstilling')"),
    _reader_key("jump_beslutning", "b", N_("Beslutning"),
                N_("Go to the decision (Beslutning)"), action="jump('Beslutning')"),
    _reader_key("prev_item", "left_square_bracket", N_("Previous item"),
                N_("The previous item, across sections")),
    _reader_key("next_item", "right_square_bracket", N_("Next item"),
                N_("The next item, across sections")),
    _reader_key("prev_meeting", "left_curly_bracket", N_("Previous meeting"),
                N_("The previous meeting of the same council")),
    _reader_key("next_meeting", "right_curly_bracket", N_("Next meeting"),
                N_("The next meeting of the same council")),
    _reader_key("back", "backspace,alt+left", N_("Back"),
                N_("Back to what you read before"), typed=False),
    _reader_key("forward", "alt+right", N_("Forward"), N_("Forward again after Back"), typed=False),
    _reader_key("copy", "c", N_("Copy"), N_("Copy the item with its citation")),
    _reader_key("copy_citation", "C", N_("Copy citation"),
                N_("Copy only the citation, with page and link")),
    _reader_key("open_source", "o", N_("Open"),
                N_("Open the source document at the item's page, or one of its links")),
    _reader_key("toggle_theme", "t", N_("Light/dark"),
                N_("Switch between a light and a dark theme (remembered)")),
    _reader_key("tree_narrower", "less_than_sign", N_("Narrower list"),
                N_("Make the meeting list narrower (remembered)"), action="tree_width(-4)"),
    _reader_key("tree_wider", "greater_than_sign", N_("Wider list"),
                N_("Make the meeting list wider (remembered)"), action="tree_width(4)"),
    _reader_key("toggle_tree", "L", N_("Hide/show list"),
                N_("Hide or show the meeting list (remembered)")),
    # Sync's command lives here, not in app/sync_actions.py: the help lists commands
    # in registration order, which must not depend on which module was imported first.
    _reader_key("fetch_documents", "H", N_("Fetch new documents"),
                N_("Fetch new agendas, minutes and bilag from KL's pages; press again to stop"),
                writes=True),
    _reader_key("help", "question_mark,f1", N_("Help"),
                N_("Keys, search syntax and what the marks mean"), typed=False),
    _reader_key("quit_q", "q", N_("Quit"), N_("Quit the reader"), action="quit", palette=False),
    _widget_key("tree.down", "j", "cursor_down", N_("Down"), N_("Next line")),
    _widget_key("tree.up", "k", "cursor_up", N_("Up"), N_("Previous line")),
    _widget_key("tree.collapse", "h,left", "collapse_or_parent", N_("Close"),
                N_("Close the line, or go to the line above it")),
    _widget_key("tree.expand", "l,right", "expand_or_child", N_("Open"),
                N_("Open the line, or go into it")),
    _widget_key("tree.first", "g", "scroll_home", N_("First"), N_("To the first line")),
    _widget_key("tree.last", "G", "scroll_end", N_("Last"), N_("To the last line")),
    _widget_key("pane.down", "j", "scroll_down", N_("Down"), N_("Scroll down")),
    _widget_key("pane.up", "k", "scroll_up", N_("Up"), N_("Scroll up")),
    _widget_key("pane.top", "g", "scroll_home", N_("Top"), N_("To the top")),
    _widget_key("pane.bottom", "G", "scroll_end", N_("Bottom"), N_("To the bottom")),
    _widget_key("pane.page_down", "space", "page_down", N_("Page down"),
                N_("One screen down")),
    _widget_key("pane.find", "slash,ctrl+f", "app.find", N_("Find"),
                N_("Find in the open item"), typed=False),
    _widget_key("pane.find_next", "n", "app.find_step(1)", N_("Next match"),
                N_("The next match of the find (then n is the note key again after Esc)")),
    _widget_key("pane.find_previous", "N", "app.find_step(-1)", N_("Previous match"),
                N_("The previous match of the find")),
    _widget_key("pane.next_link", "tab", "next_link(1)", N_("Next link"),
                N_("To the next link in the text (after the last: to the list)"),
                typed=False),
    _widget_key("pane.previous_link", "shift+tab", "next_link(-1)", N_("Previous link"),
                N_("To the previous link in the text"), typed=False),
    _widget_key("pane.open_link", "enter", "open_link", N_("Open link"),
                N_("Open the link under the cursor (without one: the item's link, or a choice)"),
                typed=False),
    _widget_key("pane.to_list", "escape", "app.show_list", N_("To the list"),
                N_("Back to the meeting list"), typed=False),
    # Other programs' changes (app/watcher.py) and the meeting work (the screens
    # app/screens/{decisions,others,whats_new,notes,export}.py, the note in the pane).
    _reader_key("reload", "R", N_("Reload"),
                N_("Show the documents another program has stored since")),
    _reader_key("edit_note", "n", N_("Note"),
                N_("Write your own note on the item (Markdown)"), writes=True),
    _reader_key("related", "r", N_("Related"),
                N_("The same case or topic in other meetings; 1–9 opens one"),
                action="focus_related"),
    _reader_key("decisions", "d", N_("Decisions"),
                N_("Every decision of the meeting; ⚠ where it departs from the recommendation")),
    _reader_key("others_decisions", "D", N_("How the others decided"),
                N_("Related items' Indstilling and Beslutning side by side, newest first")),
    _reader_key("whats_new", "w", N_("What's new"),
                N_("Items new or changed since you last looked")),
    _reader_key("export", "x", N_("Briefing"),
                N_("Write a briefing of the meeting, Markdown or HTML"), action="export_briefing"),
    _reader_key("all_notes", "", N_("All notes"), N_("Every note you have written"), typed=False),
)  # fmt: skip
