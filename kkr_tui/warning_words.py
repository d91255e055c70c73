"""How a parser warning reads, in the user's language, wherever it is shown.

The parser hands out codes and numbers (:class:`~kkr_tui.model.ParseWarning`) so it
stays pure and the store and ``--json`` keep something stable; the words are chosen
here, when the CLI prints or the reader draws, so ``kkr-tui parse``, the ingest lines,
the item pane and the meeting overview word a warning the same way — and a database
written by an older kkr-tui (English lines) reads in Danish too.
"""

from __future__ import annotations

from kkr_tui.i18n import N_, _
from kkr_tui.model import ParseWarning, ParseWarningCode
from kkr_tui.sanitize import clean_line

#: English message ids; ``{name}`` fields are the warning's parameters.
MESSAGES: dict[ParseWarningCode, str] = {
    "no_council": N_("no council name found"),
    "no_date": N_("no meeting date found"),
    "no_case_number": N_("no case number line (SAG-…) after the title"),
    "no_beslutning": N_("minutes without a Beslutning heading for this item"),
    "item_numbering_jump": N_(
        "item numbering jumps from {section}.{previous} to {section}.{found}"
    ),
    "section_numbering_jump": N_("section numbering jumps from {previous} to {found}"),
    "first_section": N_("the first section found is {found}, not 1"),
}


def describe(warning: ParseWarning) -> str:
    """One line for the user; a stored line of unknown words comes back as it was
    (cleaned of control characters: it is data)."""
    if warning.code == "text":
        return clean_line(str(warning.param("text")))
    message = MESSAGES.get(warning.code)
    if message is None:  # a code from a newer kkr-tui: say so rather than fail
        return clean_line(warning.code)
    values = {name: clean_line(str(value)) for name, value in warning.params}
    try:
        return _(message).format(**values)
    except (KeyError, IndexError):  # a damaged stored row lacks a parameter
        return clean_line(warning.code)
