"""What ``o`` offers to open: the source document at the item's page, its fetched bilag
and its links (``enter`` in the text without a link under the cursor: the links only).

Plain functions of what the pane shows, so the pane can offer them without a store
call (it fetched the item's bilag when it drew them). Only what exists is offered: a
source file that has gone is said once; a link opens only when :func:`links.target`
allows it (web addresses and files here, never ``javascript:`` and the like).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kkr_tui.app.render import safe
from kkr_tui.i18n import _

if TYPE_CHECKING:
    from kkr_tui.records import ItemDetail, MeetingDetail

#: (label, url) of one thing to open.
Choice = tuple[str, str]


def source_choice(
    item: ItemDetail | None, meeting: MeetingDetail | None
) -> tuple[Choice | None, str | None]:
    """The source document of what is on screen, at the item's page; or why not
    (a file that has gone), or neither (no file is known)."""
    path: str | None = None
    page = 0
    if item is not None:
        path, page = item.source_path, item.first_page
    elif meeting is not None and meeting.documents:
        path = meeting.documents[-1].path
    if not path:
        return None, None
    source = Path(path)
    if not source.is_file():
        return None, _("Source file not found: {path}").format(path=safe(path))
    url = source.resolve().as_uri()
    if page and source.suffix.lower() == ".pdf":
        url += f"#page={page}"
    label = (
        _("The source document, page {page}: {name}").format(page=page, name=source.name)
        if page
        else _("The source document: {name}").format(name=source.name)
    )
    return (label, url), None


def bilag_choices(bilag: Sequence[Any]) -> list[Choice]:
    """The item's fetched bilag whose PDF is on this disk."""
    out = []
    for row in bilag:
        if row.path and Path(row.path).is_file():
            label = _("Bilag: {title}").format(title=safe(row.title))
            out.append((label, Path(row.path).resolve().as_uri()))
    return out


def link_choices(item: ItemDetail | None) -> list[Choice]:
    """The item's links that may be opened."""
    from kkr_tui.app.links import target

    out = []
    for url in item.urls if item is not None else ():
        clean = safe(url)
        opens = target(clean)
        if opens is not None:
            out.append((_("Link: {url}").format(url=clean), opens))
    return out
