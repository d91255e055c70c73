"""Name a meeting or an item on the command line: an id, or "council date [number]".

``hovedstaden 2025-06-18 3.4``, ``"KKR Hovedstaden" 18.06.2025 3.4`` and ``1234`` (an
item id) all work; the council is a prefix of its name without "KKR" and may be left out
when only one council met that day. Uses only the Store's public reads.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kkr_tui.i18n import _, ngettext
from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from kkr_tui.store import Store

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DANISH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_NUMBER = re.compile(r"^\d{1,2}\.\d{1,2}\.?$")


def _date(token: str) -> str | None:
    if m := _ISO.match(token):
        return token
    if m := _DANISH.match(token):
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return None


def _council_key(name: str) -> str:
    folded = fold(name)
    return folded[4:] if folded.startswith("kkr ") else folded


def find_meeting(store: Store, spec: str) -> int:
    """The id of the meeting named by ``spec`` (a meeting id, or council words and a date)."""
    spec = spec.strip()
    if spec.isdigit():
        return store.meeting(int(spec)).id
    date = None
    words = []
    for token in spec.split():
        found = _date(token)
        if found:
            date = found
        elif not _NUMBER.match(token):
            words.append(token)
    if date is None:
        raise LookupError(
            _("no date in {spec}: give e.g. {example}").format(
                spec=repr(spec), example="'hovedstaden 2025-06-18'"
            )
        )
    wanted = _council_key(" ".join(words))
    councils = [c for c in store.councils() if _council_key(c).startswith(wanted)]
    matches = [
        m.id
        for council in councils
        for m in store.meetings(council, int(date[:4]))
        if m.meeting_date == date
    ]
    if not matches:
        raise LookupError(_("no meeting matches {spec}").format(spec=repr(spec)))
    if len(matches) > 1:
        raise LookupError(
            ngettext(
                "{spec} matches {n} meeting: name the council",
                "{spec} matches {n} meetings: name the council",
                len(matches),
            ).format(spec=repr(spec), n=len(matches))
        )
    return matches[0]


def find_item(store: Store, spec: str) -> int:
    """The id of the item named by ``spec`` (an item id, or "council date number")."""
    spec = spec.strip()
    if spec.isdigit():
        return store.item(int(spec)).id
    numbers = [t for t in spec.split() if _NUMBER.match(t)]
    if not numbers:
        raise LookupError(
            _("no item number in {spec}: give e.g. {example}").format(
                spec=repr(spec), example="'hovedstaden 2025-06-18 3.4'"
            )
        )
    meeting_id = find_meeting(store, spec)
    rows = store.find_items_by_number(numbers[-1], meeting_id)
    if not rows:
        raise LookupError(_("no item {number} in that meeting").format(number=numbers[-1]))
    return rows[0].id
