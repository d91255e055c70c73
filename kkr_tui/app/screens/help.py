"""Help generated from the bindings actually in force, so remapped keys are shown as remapped.

The app hands over (group title, node) pairs; the screen reads each node's bindings,
applies the user's keymap and lists key, description and binding id (the name to use
in the ``[keymap]`` table of the config file).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

HelpRow = tuple[str, str, str]


def binding_rows(node: DOMNode, keymap: dict[str, str], key_display: object) -> list[HelpRow]:
    """(keys, description, id) for each described binding of ``node``, keymap applied."""
    bindings_map = node._bindings.copy()
    if keymap:
        bindings_map.apply_keymap(keymap)
    grouped: dict[str, tuple[list[str], Binding]] = {}
    for key, bindings in bindings_map.key_to_bindings.items():
        for binding in bindings:
            if binding.system or not binding.description:
                continue
            ident = binding.id or binding.action
            keys, _ = grouped.setdefault(ident, ([], binding))
            shown = key_display(binding.with_key(key)) if callable(key_display) else key
            if shown not in keys:
                keys.append(shown)
    return [(" ".join(keys), b.description, b.id or "") for keys, b in grouped.values()]


def help_content(groups: Iterable[tuple[str, list[HelpRow]]]) -> Content:
    """The help text: one block per group, keys in a column."""
    lines: list[Content] = []
    for title, rows in groups:
        if not rows:
            continue
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(title, "bold $text-primary"))
        for keys, description, ident in rows:
            lines.append(
                Content.assemble(
                    (f"  {keys:<18} ", "bold $text-accent"),
                    f"{description:<30} ",
                    (ident, "$text-muted"),
                )
            )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key of the reader, grouped by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", "Close help", id="help.close"),
    ]

    def __init__(self, groups: list[tuple[str, list[HelpRow]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("Keys", id="help-title")
            yield Static(help_content(self.groups), id="help-body")
            yield Static(
                'Remap keys in the [keymap] table of the config file: binding id = "keys".',
                id="help-footer",
                markup=False,
            )

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
