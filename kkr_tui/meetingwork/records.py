"""Records of the meeting-work features, re-exported from :mod:`kkr_tui.records`.

The store produces these rows, so they live with the store's other records (the store
imports nothing from meetingwork); meetingwork code may keep importing them from here.
"""

from __future__ import annotations

from kkr_tui.records import Anchor, ChangedItem, ChangeKind, DocItem, ItemMark, Note, NoteHit

__all__ = ["Anchor", "ChangeKind", "ChangedItem", "DocItem", "ItemMark", "Note", "NoteHit"]
