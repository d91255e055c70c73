"""How kkr-tui words dates, document types and citations, everywhere it shows them.

One module so the reader, the CLI, briefings and the tree can never disagree on how a
meeting is named: KL's documents write dates ``18.06.2025`` and call the documents
*Dagsorden* and *Referat*, and a citation is the line a secretary pastes into a memo.
Below every layer (it needs only :mod:`kkr_tui.sanitize`, for citations), so the app
imports it from the core instead of keeping its own copy.
"""

from __future__ import annotations

#: Document types as the front pages name them (headings, the reader, briefings).
DOC_TYPE_NAMES = {"agenda": "Dagsorden", "minutes": "Referat"}

#: What a date nobody found reads as in the reader, citations and briefings.
UNKNOWN_DATE = "ukendt dato"


def danish_date(iso: str | None, unknown: str = UNKNOWN_DATE) -> str:
    """``2025-06-18`` -> ``18.06.2025``, the form KL's documents and citations use.

    ``unknown`` when there is no date; anything not ``YYYY-MM-DD`` is shown as it is.
    """
    if not iso:
        return unknown
    parts = iso.split("-")
    if len(iso) != 10 or len(parts) != 3:
        return iso
    year, month, day = parts
    return f"{day}.{month}.{year}"


def doc_type_name(doc_type: str | None) -> str:
    """``Dagsorden`` or ``Referat``, as printed on a front page (others as they are)."""
    return DOC_TYPE_NAMES.get(doc_type or "", doc_type or "")


def doc_type_word(doc_type: str | None) -> str:
    """``dagsorden`` or ``referat``, for the middle of a line (``added … referat``)."""
    return doc_type_name(doc_type).lower()


def citation(
    council: str | None, meeting_date: str | None, number: str, case_number: str | None, title: str
) -> str:
    """``KKR Hovedstaden, møde 18.06.2025, pkt. 3.4 (SAG-2025-02162): <title>``.

    Every field is one clean line: the citation is pasted into other documents.
    """
    # Imported here: the read records import this module, a search cites nothing, and
    # sanitize's patterns cost ~0.8 ms to compile.
    from kkr_tui.sanitize import clean_line

    case = f" ({clean_line(case_number)})" if case_number else ""
    return (
        f"{clean_line(council or '') or 'KKR'}, møde {danish_date(meeting_date)}, "
        f"pkt. {clean_line(number)}{case}: {clean_line(title)}"
    )
