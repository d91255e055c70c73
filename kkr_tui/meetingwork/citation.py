"""The citation line a secretary pastes into a memo, for headless use (CLI, briefings).

Same format as the app's ``c`` key (``kkr_tui.app.render.citation``, which the core may
not import): ``KKR Hovedstaden, møde 18.06.2025, pkt. 3.4 (SAG-2025-02162): <title>``.
"""

from __future__ import annotations

from kkr_tui.sanitize import clean_line


def danish_date(iso: str | None) -> str:
    """``2025-06-18`` -> ``18.06.2025``; "ukendt dato" when unknown."""
    if not iso or len(iso) != 10:
        return iso or "ukendt dato"
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def citation(
    council: str | None, meeting_date: str | None, number: str, case_number: str | None, title: str
) -> str:
    """The citation line for an item."""
    case = f" ({clean_line(case_number)})" if case_number else ""
    return (
        f"{clean_line(council or '') or 'KKR'}, møde {danish_date(meeting_date)}, "
        f"pkt. {clean_line(number)}{case}: {clean_line(title)}"
    )
