"""How the other councils decided: each related item's Indstilling next to its Beslutning.

"How did the other councils decide on the refugee quota?" should be one key in the
reader. For the item in view this gathers, newest first, every related item
(:mod:`.related`) with the recommendation and decision of its meeting read together
(:mod:`.merged`: the agenda's Indstilling when the minutes leave it out) and how the
decision was read (:mod:`.decisions`). No SQL, no Textual: the app draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kkr_tui.meetingwork.merged import MergedItem, merged_item
from kkr_tui.meetingwork.related import RelatedItem, related_items

if TYPE_CHECKING:
    from kkr_tui.store import Store


@dataclass(frozen=True, slots=True)
class OtherDecision:
    """One related item as the view shows it."""

    related: RelatedItem
    merged: MergedItem | None

    @property
    def indstilling(self) -> str:
        return (self.merged.indstilling if self.merged else None) or ""

    @property
    def beslutning(self) -> str | None:
        """The decision text; None while only the agenda is stored."""
        return self.merged.beslutning if self.merged else None


def other_decisions(store: Store, item_id: int) -> list[OtherDecision]:
    """The related items of ``item_id`` with Indstilling and Beslutning, newest first."""
    return [
        OtherDecision(rel, merged_item(store, rel.item_id)) for rel in related_items(store, item_id)
    ]
