"""Links in the reading pane: one at a time is current, ``enter`` opens that one.

A terminal has no pointer the keyboard can move over text, so the pane keeps a link
cursor as text browsers do (lynx, w3m): ``tab`` moves it to the next link of the item
(in the text, then the Links list), ``shift+tab`` back; past the last link ``tab`` goes
on to the meeting list as before. The current link is drawn reversed and scrolled
into view; ``enter`` opens it, and a click opens the link clicked. Frogmouth, the
Textual Markdown browser, leaves this to the mouse (its issues #107 and #126).

A widget that draws links is a :class:`LinkText`: it holds a builder that draws it
with any one of its links marked, so the pane can find every link by walking its
children (whoever built the part) and re-draw only the two widgets a step touches.

Links are document data: what opens is decided here (:func:`target`), never by the
text — web addresses and files on this computer open, anything else (``javascript:``,
``mailto:``, a network share) is refused with one line saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from rich.console import RenderableType
from rich.style import Style as RichStyle
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from kkr_tui.app.limits import MAX_LINK_CHARS
from kkr_tui.i18n import _

#: How the current link is marked on top of its underline.
CURRENT_STYLE = RichStyle(reverse=True, bold=True)

Builder = Callable[["LinkMarks"], RenderableType]


class LinkMarks:
    """Numbers the links of one widget as they are drawn and marks the current one."""

    def __init__(self, current: int | None = None) -> None:
        self.current = current
        self.urls: list[str] = []

    def link(self, text: Text, start: int, end: int, url: str) -> None:
        """Make ``text[start:end]`` a link to ``url`` (cut to :data:`MAX_LINK_CHARS`)."""
        style = RichStyle(link=url[:MAX_LINK_CHARS], underline=True)
        if len(self.urls) == self.current:
            style += CURRENT_STYLE
        text.stylize(style, start, end)
        self.urls.append(url[:MAX_LINK_CHARS])


class LinkText(Static):
    """A Static whose content has links the pane's link cursor can land on."""

    def __init__(self, builder: Builder, **kwargs: Any) -> None:
        marks = LinkMarks()
        super().__init__(builder(marks), **kwargs)
        self.builder = builder
        self.urls: tuple[str, ...] = tuple(marks.urls)
        self.current: int | None = None

    def mark(self, current: int | None) -> None:
        """Draw again with link ``current`` marked (``None``: none)."""
        if current == self.current:
            return
        self.current = current
        self.update(self.builder(LinkMarks(current)))

    def line_of(self, index: int, width: int) -> int:
        """The line (from the widget's top) link ``index`` starts on at ``width`` columns."""
        console = self.app.console
        options = console.options.update_width(max(1, width))
        marks = LinkMarks(index)
        lines = console.render_lines(self.builder(marks), options, pad=False)
        wanted = self.urls[index]
        for y, line in enumerate(lines):
            for segment in line:
                style = segment.style
                if style is not None and style.link == wanted and style.reverse:
                    return y
        return 0


@dataclass(frozen=True)
class LinkSpot:
    """One link in the pane: the widget drawing it and which of its links it is."""

    widget: LinkText
    index: int

    @property
    def url(self) -> str:
        """The link's address, as the document gives it."""
        return self.widget.urls[self.index]


def spots(root: Widget) -> list[LinkSpot]:
    """Every link under ``root``, in the order they are drawn."""
    return [
        LinkSpot(widget, n)
        for widget in root.walk_children(LinkText)
        if widget.display
        for n in range(len(widget.urls))
    ]


def target(url: str) -> str | None:
    """What opening ``url`` opens: a web address as it is, a file on this computer as
    a ``file:`` address; ``None`` for anything else (refused)."""
    address = url.strip()
    scheme = urlsplit(address).scheme.lower()
    if scheme in ("http", "https"):
        return address
    if scheme == "file":
        parts = urlsplit(address)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path))
    elif not scheme and address.startswith(("/", "~")):
        path = Path(address).expanduser()
    else:
        return None
    return path.resolve().as_uri() if path.is_file() else None


def refusal(url: str) -> str:
    """The one line saying why ``url`` is not opened."""
    from kkr_tui.app.limits import link_label
    from kkr_tui.app.render import safe

    shown = link_label(safe(url))
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme in ("", "file"):
        return _("{link} is not opened: no such file on this computer").format(link=shown)
    return _("{link} is not opened: only web addresses (http, https) and files open").format(
        link=shown
    )
