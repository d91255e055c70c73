"""The data model shared by every layer: pages in, meetings out.

Frozen records (:mod:`kkr_tui.record`) so a parsed meeting can be handed between threads (ingest
workers, the app) without anyone mutating it behind another's back. Nothing here
knows about PDFs, SQL or Textual.
"""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from kkr_tui.i18n import N_
from kkr_tui.record import record

#: Canonical part names in the order KL's template uses them.
PART_KINDS: tuple[str, ...] = (
    "Baggrund",
    "Indstilling",
    "Sagsfremstilling",
    "Bilag",
    "Beslutning",
)

#: Part kind for text that sits between the case line and the first heading.
UNTITLED_PART = "Tekst"

COUNCILS: tuple[str, ...] = (
    "KKR Hovedstaden",
    "KKR Sjælland",
    "KKR Syddanmark",
    "KKR Midtjylland",
    "KKR Nordjylland",
)

DocType = Literal["agenda", "minutes"]
#: "heading" is an inner, unnumbered heading inside a part's text (a bold line in the PDF,
#: e.g. "Proces" or a forum name under "Siden sidst"); it is not one of the PART_KINDS.
BlockKind = Literal["paragraph", "bullet", "numbered", "heading"]


@record
class Page:
    """One page of a source document: its text and its link-annotation URIs.

    ``number`` is 1-based and counts extracted pages (not the printed ``SIDE`` number).
    ``text`` is the page text as extracted, lines separated by ``\\n``.
    """

    number: int
    text: str
    links: tuple[str, ...] = ()


#: What the parser was unsure of. Stable: ``kkr-tui parse --json`` prints them and the
#: store keeps them; the words are chosen where a warning is shown (:mod:`kkr_tui.warning_words`).
ParseWarningCode = Literal[
    "no_council",  # no council name found
    "no_date",  # no meeting date found
    "no_case_number",  # an item without its SAG-… line
    "no_beslutning",  # an item of minutes without a Beslutning heading
    "item_numbering_jump",  # section, previous, found
    "section_numbering_jump",  # previous, found
    "first_section",  # found (the first section is not 1)
    "text",  # text: a warning stored as words by an older kkr-tui, shown as it is
]
PARSE_WARNING_CODES: frozenset[str] = frozenset(get_args(ParseWarningCode))

#: The English lines older versions stored, read back as codes so an old database's
#: warnings are shown in the reader's language too (kkr-tui ≤ 0.x stored words).
_LEGACY_WARNINGS: tuple[tuple[re.Pattern[str], ParseWarningCode, tuple[str, ...]], ...] = (
    (re.compile(r"no council name found"), "no_council", ()),
    (re.compile(r"no meeting date found"), "no_date", ()),
    (re.compile(r"no case number line \(SAG-…\) after the title"), "no_case_number", ()),
    (re.compile(r"minutes without a Beslutning heading for this item"), "no_beslutning", ()),
    (
        re.compile(r"item numbering jumps from (\d+)\.(\d+) to \1\.(\d+)"),
        "item_numbering_jump",
        ("section", "previous", "found"),
    ),
    (
        re.compile(r"section numbering jumps from (\d+) to (\d+)"),
        "section_numbering_jump",
        ("previous", "found"),
    ),
    (re.compile(r"the first section found is (\d+), not 1"), "first_section", ("found",)),
)


@record
class ParseWarning:
    """Where the parser was unsure: a code and its numbers, no words.

    The parser stays pure and speaks no language; the CLI and the reader word a
    warning in the user's language when they show it. ``params`` are ``(name, value)``
    pairs (a tuple, so the warning stays hashable and frozen).
    """

    code: ParseWarningCode
    params: tuple[tuple[str, int | str], ...] = ()

    def param(self, name: str) -> int | str:
        """The parameter ``name`` ("" when absent: a damaged stored row still shows)."""
        return dict(self.params).get(name, "")

    def as_json(self) -> dict[str, object]:
        """``{"code": …, "params": {…}}``: how the store keeps it and ``--json`` prints it."""
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_json(cls, entry: object) -> ParseWarning | None:
        """A warning from the store: an object written by :meth:`as_json`, or the English
        line an older kkr-tui stored (recognised when it can be, else kept as text).
        ``None`` for anything else (page warnings share the column)."""
        if isinstance(entry, str):
            return cls.from_text(entry)
        if not isinstance(entry, dict) or entry.get("code") not in PARSE_WARNING_CODES:
            return None
        raw = entry.get("params")
        params = raw if isinstance(raw, dict) else {}
        return cls(
            entry["code"],
            tuple((str(k), v if isinstance(v, int | str) else str(v)) for k, v in params.items()),
        )

    @classmethod
    def from_text(cls, text: str) -> ParseWarning:
        """An older kkr-tui's English line as a code; unknown words stay ``text``."""
        for pattern, code, names in _LEGACY_WARNINGS:
            found = pattern.fullmatch(text.strip())
            if found is not None:
                values = [int(v) for v in found.groups()]
                return cls(code, tuple(zip(names, values, strict=True)))
        return cls("text", (("text", text),))


PageWarningKind = Literal["failed", "repaired"]
#: Why a page could not be read (or a file was repaired), as the sources find it.
PageCause = Literal["", "timeout", "memory", "truncated", "no_xref", "damaged"]
#: Their words, English message ids (``{seconds}``: the page's time budget), translated
#: only when shown, so a database read in another language reads in that one.
PAGE_CAUSE_WORDS: dict[str, str] = {
    "timeout": N_("took longer than {seconds} s"),
    "memory": N_("needs more memory than a page may take"),
    "truncated": N_("file is truncated"),
    "no_xref": N_("file is truncated or lacks its cross-reference table"),
    "damaged": N_("its content is damaged"),
}


@record
class PageWarning:
    """Text that may be missing: a page that could not be read, or a damaged file repaired.

    A failed page is kept with empty text so the rest of the document is stored; this
    warning travels with the document (reader → parser → store → app) so that the gap
    is never silent. ``page`` is 1-based; 0 means the whole document (a repair).
    """

    kind: PageWarningKind
    page: int
    reason: str
    """The reason as it was read (pypdf's own words for a damaged page): the detail,
    kept for ``--json`` and the log; shown as it is only when there is no ``cause``."""
    cause: PageCause = ""
    """Why, as a code the user's language words when shown ("": an older kkr-tui
    stored only ``reason``, which is then shown as it was)."""
    params: tuple[tuple[str, int | float | str], ...] = ()

    @property
    def why(self) -> str:
        """The reason in the user's language."""
        from kkr_tui.i18n import _

        words = PAGE_CAUSE_WORDS.get(self.cause) if self.cause else None
        if words is None:
            return self.reason
        values = {
            name: f"{value:g}" if isinstance(value, float) else str(value)
            for name, value in self.params
        }
        try:
            return _(words).format(**values)
        except (KeyError, IndexError):
            return self.reason

    @property
    def text(self) -> str:
        """One line for the ingest result, ``kkr-tui parse`` and the item pane."""
        from kkr_tui.i18n import _

        if self.kind == "repaired":
            return _("damaged PDF repaired ({reason}); text may be missing").format(reason=self.why)
        return _("page {page} could not be read ({reason}); its text is missing").format(
            page=self.page, reason=self.why
        )

    def as_json(self) -> dict[str, object]:
        """How the store keeps it and ``--json`` prints it (``cause`` a stable code)."""
        out: dict[str, object] = {"kind": self.kind, "page": self.page, "reason": self.reason}
        if self.cause:
            out["cause"] = self.cause
            out["params"] = dict(self.params)
        return out

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> PageWarning:
        """A stored page warning; an older kkr-tui's row (no ``cause``) keeps its words."""
        cause = entry.get("cause", "")
        raw = entry.get("params")
        params = raw if isinstance(raw, dict) else {}
        return cls(
            entry["kind"],
            int(entry.get("page", 0)),
            str(entry.get("reason", "")),
            cause if cause in PAGE_CAUSE_WORDS else "",
            tuple(
                (str(k), v if isinstance(v, int | float | str) else str(v))
                for k, v in params.items()
            ),
        )


def page_warnings_line(warnings: tuple[PageWarning, ...], limit: int = 3) -> str:
    """All of a document's page warnings in one bounded line (a hostile file can fail
    on every one of a thousand pages): the first ``limit`` and how many more."""
    from kkr_tui.i18n import _

    shown = "; ".join(w.text for w in warnings[:limit])
    rest = len(warnings) - limit
    return _("{shown}; and {rest} more").format(shown=shown, rest=rest) if rest > 0 else shown


@record
class SourceDocument:
    """A file turned into pages. Both the PDF and the text reader produce this.

    ``page_warnings`` lists the pages that failed (kept with empty text) and repairs.
    """

    name: str
    pages: tuple[Page, ...]
    kind: Literal["pdf", "text"] = "text"
    metadata: tuple[tuple[str, str], ...] = ()
    page_warnings: tuple[PageWarning, ...] = ()


@record
class Block:
    """A paragraph or a list entry of a part's text.

    ``marker`` is the bullet or number as printed (``"–"``, ``"-"``, ``"•"``, ``"1."``,
    ``"2)"``); ``text`` never repeats it.
    """

    kind: BlockKind
    text: str
    marker: str = ""


@record
class Part:
    """One part of an item: Baggrund, Indstilling, Sagsfremstilling, Bilag or Beslutning.

    ``heading`` is the heading as printed (``"Vedlagte bilag:"``), ``kind`` the canonical name.
    """

    kind: str
    heading: str
    blocks: tuple[Block, ...] = ()

    @property
    def text(self) -> str:
        """The part as plain text: one block per paragraph, lists with their markers."""
        out = []
        for block in self.blocks:
            out.append(f"{block.marker} {block.text}" if block.marker else block.text)
        return "\n\n".join(out)


@record
class Item:
    """An agenda item ("3.4 Strategi for mobilitet …") with everything printed under it."""

    number: str
    title: str
    case_number: str | None = None
    initials: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
    attachments: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    first_page: int = 0
    last_page: int = 0
    warnings: tuple[ParseWarning, ...] = ()
    #: The document's page warnings whose pages this item's text may have lost.
    page_warnings: tuple[PageWarning, ...] = ()

    def part(self, kind: str) -> Part | None:
        """The first part of the given canonical kind, or None."""
        for p in self.parts:
            if p.kind == kind:
                return p
        return None


@record
class Section:
    """A top-level section ("3. Regionalpolitiske sager") and its items."""

    number: int
    title: str
    items: tuple[Item, ...] = ()
    page: int = 0


@record
class Participant:
    """A name from the participant list of minutes; ``absent`` for the Afbud part."""

    name: str
    detail: str = ""
    absent: bool = False


@record
class Meeting:
    """A parsed meeting document: facts, sections, items and what the parser noticed."""

    source: str
    council: str | None
    meeting_date: str | None  # ISO yyyy-mm-dd
    doc_type: DocType
    sections: tuple[Section, ...] = ()
    place: str | None = None
    meeting_time: str | None = None
    participants: tuple[Participant, ...] = ()
    #: Link URIs found in the document that belong to no item (e.g. on a cover page).
    links: tuple[str, ...] = ()
    page_count: int = 0
    warnings: tuple[ParseWarning, ...] = ()
    #: Pages that could not be read and repairs, as the reader reported them.
    page_warnings: tuple[PageWarning, ...] = ()

    def items(self) -> list[Item]:
        """Every item in document order."""
        return [item for section in self.sections for item in section.items]


#: Why the parser finds no meeting in a document: a code, worded when shown
#: (:mod:`kkr_tui.failure_words`), so the parser stays language-free.
NotAMeetingCode = Literal["no_text", "no_structure"]


class NotAMeetingError(ValueError):
    """The input has no KKR meeting structure at all (no sections and items).

    ``code`` says which; ``str(error)`` is the code too (no words: see
    :mod:`kkr_tui.failure_words`)."""

    def __init__(self, code: NotAMeetingCode) -> None:
        super().__init__(code)
        self.code: NotAMeetingCode = code


#: Why a whole file could not be read or stored as a meeting, as the stage that failed
#: finds it. Stable: ``kkr-tui parse --json`` prints it; the words are chosen when shown
#: (:mod:`kkr_tui.failure_words`), never by the stage that failed.
FileCause = Literal[
    # the file system
    "not_found",
    "is_directory",
    "not_regular",
    "permission",
    "symlink_loop",
    "invalid_name",
    "os_error",
    "too_large",
    "no_suffix",
    "unsupported_type",
    # any file
    "empty",
    # a PDF
    "not_pdf",
    "encrypted",
    "encrypted_needs_crypto",
    "damaged",
    "truncated",
    "no_xref",
    "no_pages",
    "no_page_readable",
    "no_text_extracted",
    "scanned",
    # a text file
    "no_text",
    "pdf_named_txt",
    "binary",
    "broken_utf16",
    "unknown_encoding",
    "cp1252",
    # the reading process
    "timeout",
    "memory",
    "worker_died",
    "no_process",
    "unexpected",
    # the parser
    "not_a_meeting",
]


@record
class FileFailure:
    """Why a whole file failed: a ``cause`` code with its numbers (``params``) and the
    ``detail`` a library gave in its own (English) words, kept for ``--json`` and
    ``--debug``, never the sentence the user reads."""

    cause: FileCause
    params: tuple[tuple[str, int | float | str], ...] = ()
    detail: str = ""

    def param(self, name: str) -> int | float | str | None:
        """The value of one parameter (None when absent)."""
        return next((value for key, value in self.params if key == name), None)

    def as_json(self) -> dict[str, object]:
        """The stable shape for ``--json``: ``{"cause", "params", "detail"}``."""
        return {"cause": self.cause, "params": dict(self.params), "detail": self.detail}


#: Why ``kkr-tui sync`` could not fetch a page or a file, or passed a link by, as the
#: client and the download find it. Stable: the manifest stores it (as
#: :mod:`kkr_tui.reason_codes` encodes it) and ``--json`` prints it; the words are
#: chosen when shown (:func:`kkr_tui.failure_words.describe_sync`).
SyncCause = Literal[
    # no answer, or none that could be used
    "timeout",  # {seconds}
    "no_connection",  # {why}: a NetWhy code
    "connection_broke",  # {why}
    "transfer_broke",  # {why}
    "transfer_stalled",
    "http_status",  # {status}, {phrase}
    "redirect_elsewhere",  # {url}
    "too_many_redirects",
    # the site's wishes
    "disallowed",
    "robots_unavailable",  # inner: why robots.txt could not be read
    # the file
    "too_large",  # {size}, {limit} in bytes: the size the server declared
    "over_limit",  # {limit} in bytes: the body grew past it
    "not_pdf",
    "incomplete_pdf",
    # what sync decided
    "outside_blocks",  # a PDF outside every meeting block (footer, policy): skipped
    "not_stored",  # the document could not be written (another program held the store)
    "disk_full",  # the disk is full: stored next run, once there is room
    "damaged_database",  # the database is damaged: nothing more is written to it
]

#: What the operating system or TLS said about a connection (the ``why`` of
#: ``no_connection``, ``connection_broke`` and ``transfer_broke``; "" when it named
#: nothing), found by :mod:`kkr_tui.sync.netreason`.
NetWhy = Literal[
    "",
    "certificate",
    "tls",
    "lookup_failed",
    "name_not_found",
    "refused",
    "reset",
    "no_network",
    "host_unreachable",
    "proxy_unusable",
]


@record
class SyncFailure:
    """Why sync failed on a request or a file, or skipped a link: a ``cause`` code with
    its numbers, never words (the manifest keeps it, so a language chosen later, or a
    reworded message, applies to rows stored before). ``inner`` is the failure behind
    it (``robots_unavailable``: why robots.txt could not be read)."""

    cause: SyncCause
    params: tuple[tuple[str, int | float | str], ...] = ()
    inner: SyncFailure | None = None

    def param(self, name: str) -> int | float | str | None:
        """The value of one parameter (None when absent)."""
        return next((value for key, value in self.params if key == name), None)

    def as_json(self) -> dict[str, object]:
        """The stable shape for ``--json`` and the store: ``{"cause", "params"}`` (and
        ``"inner"`` in the same shape when there is one)."""
        out: dict[str, object] = {"cause": self.cause, "params": dict(self.params)}
        if self.inner is not None:
            out["inner"] = self.inner.as_json()
        return out
