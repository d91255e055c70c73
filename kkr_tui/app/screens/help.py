"""Help for what is in front: its keys (as remapped), how to search, what the marks mean.

The reader's keys come from the command registry (:mod:`kkr_tui.app.actions`) with the
user's keymap applied, so help can never disagree with the keys; an overlay (search,
a list, the note editor) shows its own keys first. Nothing of Textual's internals and
no binding ids: those are for the config file and the README.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from kkr_tui.app import actions
from kkr_tui.i18n import N_, _

if TYPE_CHECKING:
    from kkr_tui.app.reader.base import ReaderBase

HelpRow = tuple[str, str]
HelpGroup = tuple[str, list[HelpRow]]

SEARCH_SYNTAX: list[tuple[str, str]] = [
    ("okonomi", N_("words; æ/ø/å may be typed as ae/oe/aa, small typos are forgiven")),
    ("SAG-2025-02162", N_("a case number finds the items with that case number")),
    ("3.4", N_("an item number")),
    ("council:midt", N_("only one council (hovedstaden, sjaelland, syd, midt, nord)")),
    ("year:2025", N_("only one year")),
    ("type:referat", N_("only minutes (referat) or agendas (dagsorden)")),
]

MARKS: list[tuple[str, str]] = [
    ("●", N_("new since you last looked")),
    ("◆", N_("changed since you last looked")),
    ("✎", N_("you have written a note on the item")),
    ("✓", N_("decided as recommended")),
    ("⚠", N_("the decision departs from the recommendation (Indstilling)")),
    ("?", N_("the text of the decision does not settle how it was decided")),
]


def _rows_of_screen(app: ReaderBase, screen: Screen[object]) -> list[HelpRow]:
    """The keys an overlay screen defines itself (descriptions already translated)."""
    rows: dict[str, tuple[list[str], str]] = {}
    for key, bindings in screen._bindings.key_to_bindings.items():
        for binding in bindings:
            if not binding.description or binding.system:
                continue
            keys, _text = rows.setdefault(binding.action, ([], binding.description))
            shown = app.get_key_display(binding.with_key(key))
            if shown not in keys:
                keys.append(shown)
    return [(" ".join(keys), text) for keys, text in rows.values()]


def reader_groups(app: ReaderBase) -> list[HelpGroup]:
    """Every command of the reader, by where it works, with the keys in force."""
    groups: list[HelpGroup] = []
    for scope, title in actions.SCOPE_TITLES.items():
        rows = [
            (app.keys_for(c.id), _(c.help))
            for c in actions.commands(scope)
            if c.keys and app.keys_for(c.id)
        ]
        if scope == "app":
            rows.append(("^p", _("All commands, themes and the links of the item")))
        if rows:
            groups.append((_(title), rows))
    return groups


def help_for(app: ReaderBase, screen: Screen[object]) -> list[HelpGroup]:
    """The help of ``screen``: an overlay's own keys first, then what applies there."""
    name = type(screen).__name__
    groups: list[HelpGroup] = []
    own = _rows_of_screen(app, screen) if screen is not app.screen_stack[0] else []
    if own:
        groups.append((_("Keys here"), own))
    syntax = [(example, _(text)) for example, text in SEARCH_SYNTAX]
    marks = [(mark, _(text)) for mark, text in MARKS]
    if name == "SearchScreen":
        groups.append((_("How to search"), syntax))
        groups.append(
            (
                _("Moving in the hits"),
                [("↑ ↓", _("previous / next hit")), ("enter", _("open the hit"))],
            )
        )
    elif name == "NoteEditor":
        groups.append((_("Notes"), [("", _("Notes are Markdown; line breaks are kept."))]))
    elif own:
        groups.append((_("Marks"), marks))
    else:
        groups.extend(reader_groups(app))
        groups.append((_("How to search"), syntax))
        groups.append((_("Marks"), marks))
    return groups


def help_content(groups: list[HelpGroup]) -> Content:
    """The help as plain text with styles: one block per group, keys in a column."""
    lines: list[Content] = []
    for title, rows in groups:
        if not rows:
            continue
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(title, "bold $text-primary"))
        for keys, description in rows:
            lines.append(Content.assemble((f"  {keys:<14} ", "bold $text-accent"), description))
    return Content("\n").join(lines)


def help_table(groups: list[HelpGroup]) -> Any:
    """The help as drawn: keys in a column, descriptions wrapped beside them (a hanging
    indent, so a long line at 80 columns stays readable)."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    first = True
    for title, rows in groups:
        if not rows:
            continue
        if not first:
            table.add_row("", "")
        first = False
        table.add_row(Text(title, style="bold underline"), "")
        for keys, description in rows:
            table.add_row(Text("  " + keys), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """Help for the screen that was in front."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", N_("Close help"), id="help.close"),
    ]

    def __init__(self, groups: list[HelpGroup]) -> None:
        super().__init__()
        actions.translate_bindings(self)
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(_("Help"), id="help-title", markup=False)
            yield Static(help_table(self.groups), id="help-body")
            yield Static(
                _(
                    "Keys can be changed in the [keymap] table of the settings file "
                    "(kkr-tui locate shows where it is; the README lists the names)."
                ),
                id="help-footer",
                markup=False,
            )
        yield Footer(compact=True, show_command_palette=False)

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
