"""What changed in a changed item, drawn for the reader: the pane's block and What's new.

The words come from :mod:`kkr_tui.meetingwork.changes` (the same as ``kkr-tui new``);
here they get styles. Removed words are struck through, added words underlined and
bold — told apart without colour too — and each in the theme's error/success colour.
Document text is data: every piece is a ``Content`` built from the plain string with a
style by span, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from kkr_tui.i18n import _, ngettext
from kkr_tui.sanitize import clean_line, clean_text

if TYPE_CHECKING:
    from kkr_tui.meetingwork.changes import ItemChange
    from kkr_tui.meetingwork.itemdiff import Span

#: How removed and added words look (strike / underline, so colour is not needed).
REMOVED_STYLE = "strike $text-error"
ADDED_STYLE = "bold underline $text-success"
#: The most characters of one hunk shown (an added part is shown in full below it).
HUNK_CHARS = 600
#: How many hunks of one part the pane shows; the rest are counted.
PANE_HUNKS = 6


def legend() -> Content:
    """``Fjernet tekst er overstreget, ny tekst understreget`` with the two styles shown."""
    return Content.assemble(
        (_("removed text"), REMOVED_STYLE),
        " " + _("is struck through,") + " ",
        (_("added text"), ADDED_STYLE),
        " " + _("is underlined."),
    )


def marked(spans: Iterable[Span], *, one_line: bool = False, limit: int = HUNK_CHARS) -> Content:
    """Spans as Content: unchanged text plain, removed struck through, added underlined.
    ``one_line`` folds paragraph breaks into spaces; at most ``limit`` characters. The
    gap before a span is never styled (an underlined space reads as a word)."""
    pieces: list[tuple[str, str] | str] = []
    left = limit
    for span in spans:
        if left <= 0:
            break
        lead, text = _shown(span.text, one_line=one_line)
        if len(text) > left:
            text = text[:left].rstrip() + " …"
        left -= len(lead) + len(text)
        pieces.append(lead)
        if span.op == "removed":
            pieces.append((text, REMOVED_STYLE))
        elif span.op == "added":
            pieces.append((text, ADDED_STYLE))
        else:
            pieces.append(text)
    return Content.assemble(*pieces)


def _shown(text: str, *, one_line: bool) -> tuple[str, str]:
    """A span's text made safe, split into the gap before it (a space, or in the pane a
    paragraph break) and the words; ``one_line`` folds every gap into one space."""
    lead = ""
    if text[:1].isspace():
        lead = "\n\n" if not one_line and text.lstrip(" ").startswith("\n") else " "
    if one_line:
        return lead, " ".join(clean_line(text).split())
    return lead, clean_text(text).strip()


def _hunk_lines(spans: Sequence[Span], *, one_line: bool, count: int) -> list[Content]:
    from kkr_tui.meetingwork.itemdiff import hunks

    found = hunks(spans)
    out: list[Content] = []
    for hunk in found[:count]:
        body = marked(hunk.spans, one_line=one_line)
        before = Content("… ") if hunk.cut_before else Content("")
        after = Content(" …") if hunk.cut_after else Content("")
        out.append(Content.assemble(before, body, after))
    if len(found) > count:
        more = len(found) - count
        text = ngettext(
            "… and {n} more change in this part", "… and {n} more changes in this part", more
        ).format(n=more)
        out.append(Content(text).stylize("$text-muted"))
    return out


def change_lines(
    change: ItemChange, *, one_line: bool = False, hunks_per_part: int = PANE_HUNKS
) -> list[Content]:
    """The change as lines: compared with what, a changed title, then each part that
    differs with its changed words in context."""
    from kkr_tui.meetingwork.changes import not_kept_line, part_line

    if change.diff is None:
        return [Content(not_kept_line()).stylize("$text-warning")]
    out: list[Content] = []
    if change.from_agenda:
        out.append(Content(_("compared with the agenda")).stylize("$text-muted"))
    diff = change.diff
    if diff.title is not None:
        out.append(
            Content.assemble(
                (_("Title: {text}").format(text=""), "bold"), marked(diff.title, one_line=True)
            )
        )
    for part in diff.changed_parts:
        out.append(Content(clean_line(part_line(part))).stylize("bold"))
        out.extend(_hunk_lines(part.spans, one_line=one_line, count=hunks_per_part))
    if not diff.changed_parts and diff.title is None:
        out.append(Content(_("Only spaces or line breaks differ.")).stylize("$text-muted"))
    return out


def summary(change: ItemChange | None) -> Content:
    """One line for the What's new list: the parts that differ, or that the earlier
    version was not kept."""
    from kkr_tui.meetingwork.changes import not_kept_line, part_line

    if change is None or change.diff is None:
        return Content(not_kept_line())
    lines = [clean_line(part_line(p)) for p in change.diff.changed_parts]
    if change.diff.title is not None:
        lines.insert(0, _("Title changed"))
    return Content(" · ".join(lines) or _("Only spaces or line breaks differ."))


def change_block(change: ItemChange) -> Vertical:
    """The pane's block under the facts line: what changed since the user last saw it."""
    widgets = [
        Static(Content(_("Changed since you last saw it")), classes="part-heading"),
        Static(legend(), classes="change-legend"),
        *(Static(line, classes="change-line") for line in change_lines(change)),
    ]
    return Vertical(*widgets, classes="part part--change")
