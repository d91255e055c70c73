"""The citation line, now worded by :mod:`kkr_tui.wording` with dates and document types.

Kept as a name for code written against it this session; import from kkr_tui.wording.
"""

from __future__ import annotations

from kkr_tui.wording import citation, danish_date

__all__ = ["citation", "danish_date"]
