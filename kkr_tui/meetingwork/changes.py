"""What changed in the items What's new lists: the kept earlier version against today's.

The store says *that* an item changed (its change mark) and keeps what the user last
saw of it (:meth:`Store.previous_versions`); :mod:`kkr_tui.meetingwork.itemdiff` says
*what* differs. This module puts them together for the reader and ``kkr-tui new``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kkr_tui.i18n import _, ngettext
from kkr_tui.meetingwork.itemdiff import ItemDiff, PartDiff, item_diff
from kkr_tui.records import ChangedItem, ItemVersion, PartVersion

if TYPE_CHECKING:
    from kkr_tui.store import Store


@dataclass(frozen=True, slots=True)
class ItemChange:
    """A changed item and what changed in it. ``diff`` is None when the earlier version
    was not kept (a change marked by an older release, or one over the store's bounds):
    then only *that* it changed is known. ``previous_doc_type`` is the document the
    earlier version came from; ``from_agenda`` is True when it is the agenda's and the
    item now the minutes' (the minutes arrived since)."""

    item_id: int
    diff: ItemDiff | None
    previous_doc_type: str | None = None
    from_agenda: bool = False
    kept_at: str | None = None
    cut: bool = False


def _diff(
    previous: ItemVersion, title: str, parts: Sequence[PartVersion], doc_type: str
) -> ItemDiff:
    # The minutes do not repeat an Indstilling they took over unchanged (the reader
    # shows it from the agenda): a part only the agenda had is not "removed".
    carried = previous.doc_type == "agenda" and doc_type == "minutes"
    return item_diff(previous.title, previous.parts, title, parts, keep_removed=not carried)


def item_changes(store: Store, item_ids: Sequence[int]) -> dict[int, ItemChange]:
    """``{item id: ItemChange}`` for those of ``item_ids`` marked changed and not opened
    since (items that are new, or not marked, are absent)."""
    marks = store.item_marks(item_ids)
    changed = [i for i in item_ids if marks.get(i) is not None and marks[i].change == "changed"]
    if not changed:
        return {}
    kept = store.previous_versions(changed)
    out: dict[int, ItemChange] = {}
    for item_id in changed:
        previous = kept.get(item_id)
        if previous is None:
            out[item_id] = ItemChange(item_id, None)
            continue
        item = store.item(item_id)
        parts = [PartVersion(p.kind, p.heading, p.text) for p in item.parts]
        out[item_id] = ItemChange(
            item_id,
            _diff(previous, item.title, parts, item.doc_type),
            previous.doc_type,
            previous.doc_type == "agenda" and item.doc_type == "minutes",
            previous.kept_at,
            previous.cut,
        )
    return out


def item_change(store: Store, item_id: int) -> ItemChange | None:
    """What changed in one item since the user last saw it (None: not marked changed).
    Called before the item is marked read, which drops the kept version."""
    return item_changes(store, [item_id]).get(item_id)


def whats_new(store: Store) -> list[tuple[ChangedItem, ItemChange | None]]:
    """Every item marked new or changed, newest meeting first, with what changed in the
    changed ones (the CLI's ``kkr-tui new``; the reader asks per item)."""
    items = store.changed_items()
    changes = item_changes(store, [c.item_id for c in items if c.kind == "changed"])
    return [(c, changes.get(c.item_id)) for c in items]


# -- wording shared by the reader and ``kkr-tui new`` ------------------------------------


def not_kept_line() -> str:
    """What is said of a change whose earlier version the store does not have."""
    return _("(the earlier version was not kept: only that the item changed is known)")


def word_counts(part: PartDiff) -> str:
    """``1 ord fjernet, 2 ord tilføjet``."""
    return ", ".join(
        [
            ngettext("{n} word removed", "{n} words removed", part.removed_words).format(
                n=part.removed_words
            ),
            ngettext("{n} word added", "{n} words added", part.added_words).format(
                n=part.added_words
            ),
        ]
    )


def part_line(part: PartDiff) -> str:
    """One changed part in words: ``Indstilling: ændret (1 ord fjernet, 2 ord
    tilføjet)``, ``Beslutning: ny``, ``Bilag: fjernet``."""
    name = part.heading or part.kind
    if part.status == "added":
        return _("{part}: new").format(part=name)
    if part.status == "removed":
        return _("{part}: removed").format(part=name)
    if not part.compared:
        return _("{part}: changed (the earlier text was too long to keep)").format(part=name)
    return _("{part}: changed ({words})").format(part=name, words=word_counts(part))
