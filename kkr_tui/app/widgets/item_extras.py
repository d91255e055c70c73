"""What the item pane adds under an item from beyond its own document.

The decision at a glance (how the Beslutning reads against the Indstilling), my note,
and the parts the meeting's other document holds (Indstilling from the agenda,
Beslutning from the minutes). Drawn like the item's own parts, so ``i``/``b`` and the
find reach them by class; everything from documents or notes is rendered literally.

The model is imported where a part is built, not here: this module is imported on the
way to the first frame, which a reader who only reads should not pay for.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from kkr_tui.app.find import findable
from kkr_tui.app.links import LinkText
from kkr_tui.app.render import part_body, safe
from kkr_tui.i18n import _

if TYPE_CHECKING:
    from textual.widget import Widget

    from kkr_tui.meetingwork.merged import MergedItem
    from kkr_tui.model import Part
    from kkr_tui.records import Note


def part_class(kind: str) -> str:
    """CSS class for a part kind: ``Indstilling`` → ``part--indstilling``."""
    import re

    slug = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "tekst"
    return f"part--{slug}"


def _part(kind: str, heading: str, text: str) -> Part:
    from kkr_tui.model import Block, Part

    blocks = tuple(Block("paragraph", p) for p in text.split("\n\n") if p.strip())
    return Part(kind, heading, blocks)


def part_widget(kind: str, heading: str, text: str, extra_class: str = "") -> Vertical:
    """A part as the item pane draws it (so ``i``/``b`` find it by class)."""
    return Vertical(
        Static(Content(safe(heading)), classes="part-heading"),
        findable(
            LinkText(partial(part_body, _part(kind, heading, text)), classes="part-body"), text
        ),
        classes=f"part {part_class(kind)} {extra_class}".strip(),
    )


def note_markdown(text: str) -> Any:
    """The note as Markdown, every line break kept as typed (a note is often a list of
    short lines, which Markdown would otherwise run together). The note is the user's
    own text, so Markdown is wanted here; it is still never Textual markup."""
    from rich.markdown import Markdown

    lines = text.replace("\r\n", "\n").split("\n")
    # A line followed by another non-blank line ends in Markdown's hard break.
    kept = [
        line + "  " if line.strip() and i + 1 < len(lines) and lines[i + 1].strip() else line
        for i, line in enumerate(lines)
    ]
    return Markdown("\n".join(kept), hyperlinks=False)


def note_widget(text: str) -> Vertical:
    """My note on the item, as the pane draws it."""
    return Vertical(
        Static(Content(_("My notes")), classes="part-heading"),
        findable(Static(note_markdown(text), classes="part-body"), text),
        classes="part part--note",
    )


def decision_line(merged: MergedItem) -> Static:
    """``✓ godkendt som indstillet`` / ``⚠ udsat (afviger)`` / ``? uafklaret …``."""
    reading = merged.reading
    style = "decision-departs" if reading.departs else "decision-follows"
    if reading.unsure:
        style = "decision-unsure"
    return Static(Content(safe(reading.line)), classes=f"decision {style}")


def extras(
    own_kinds: set[str], merged: MergedItem | None, note: Note | None
) -> tuple[list[Widget], list[Widget]]:
    """What goes right under the facts line, and what goes at the end of the item.

    Under the facts: the decision line, my note, the Indstilling the other document
    holds; at the end: the Beslutning the minutes hold when this is the agenda."""
    under: list[Widget] = []
    end: list[Widget] = []
    if merged is not None and merged.beslutning:
        under.append(decision_line(merged))
    if note is not None:
        under.append(note_widget(note.text))
    if merged is None:
        return under, end
    if "Indstilling" not in own_kinds and merged.indstilling:
        heading = (
            _("Indstilling (from the agenda)")
            if merged.indstilling_source == "agenda"
            else _("Indstilling (from the minutes)")
        )
        under.append(part_widget("Indstilling", heading, merged.indstilling))
    if "Beslutning" not in own_kinds and merged.beslutning:
        end.append(part_widget("Beslutning", _("Beslutning (from the minutes)"), merged.beslutning))
    return under, end
