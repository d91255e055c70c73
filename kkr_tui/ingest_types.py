"""The values an ingest run passes around: results, progress events, a parsed file.

Shared by :mod:`kkr_tui.ingest` (the run, storing), :mod:`kkr_tui.ingest_reader` (reading
one file in a child process under a budget) and :mod:`kkr_tui.ingest_pool` (several such
children at once), so none of them imports another for its types. Also here:
:func:`read_and_parse`, the one function that turns a path into a meeting or a reason,
wherever it runs.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from kkr_tui.i18n import N_, _

if TYPE_CHECKING:
    import threading

    from kkr_tui.model import FileFailure, Meeting, PageWarning

Status = Literal["added", "updated", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one file. ``label`` names the meeting, ``detail`` holds a traceback.

    ``page_warnings``: pages of a stored document that could not be read (stored empty)
    and repairs; the result line must show them, the document is stored all the same.

    ``store_failed``: the file was read but the store could not take it (busy, full,
    damaged): the file itself is fine and worth trying again, unlike one that cannot be
    read. A flag, not a look at ``reason``, whose wording follows the user's language.
    ``store_cause`` says why when it is known as a code (a full disk, a damaged
    database: the same codes as the summary's ``stopped``), so ``--json`` can tell a
    script that the disk, not the database, refused the file.

    ``failure``: why a file that could not be read or parsed failed, as a code
    (``reason`` is its sentence); None for the store's failures and every other status.

    ``document``: the stored (or parsed) document the file is, as ``(council,
    meeting_date, doc_type)`` codes (ISO date, ``agenda``/``minutes``), for ``--json``;
    ``label`` is the same in words. None when the file is no document.
    """

    path: str
    status: Status
    reason: str = ""
    label: str = ""
    detail: str = ""
    page_warnings: tuple[PageWarning, ...] = ()
    store_failed: bool = False
    failure: FileFailure | None = None
    document: tuple[str | None, str | None, str] | None = None
    note: ResultNote | None = None
    store_cause: StopCause | None = None


#: Why a file that was found was not stored again, a stable code (``ingest --json``'s
#: ``note``); ``IngestResult.reason`` is its sentence in the user's language.
NoteCode = Literal["superseded"]

#: Why the store stopped a run, a stable code (``ingest --json`` and ``sync --json``:
#: ``stopped``); ``IngestSummary.stopped`` is the store's sentence.
StopCause = Literal["disk_full", "damaged_database"]


@dataclass(frozen=True, slots=True)
class ResultNote:
    """A remark on a result that is not a failure, as a code and its values (no words:
    ``--json`` prints them, the line words them): ``superseded`` = another file of the
    same document is the stored version (``path``)."""

    code: NoteCode
    params: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict[str, object]:
        """``{"code": …, "params": {…}}``, as a parse warning prints."""
        return {"code": self.code, "params": dict(self.params)}


def failed_result(path: str, failure: FileFailure | None, detail: str = "") -> IngestResult:
    """A file that could not be read or parsed: its cause, worded now for the line
    (``detail``: a traceback, for ``--debug``)."""
    from kkr_tui.failure_words import describe
    from kkr_tui.model import FileFailure

    failure = failure or FileFailure("unexpected")
    return IngestResult(path, "failed", describe(failure), detail=detail, failure=failure)


@dataclass(frozen=True, slots=True)
class IngestEvent:
    """Progress: ``result`` is None when work on ``path`` starts, else its outcome.

    While a file is read, events with ``page`` of ``pages`` (and no result) follow, so a
    1,000-page PDF shows movement instead of a frozen bar.
    """

    done: int
    total: int
    path: str
    result: IngestResult | None = None
    page: int = 0
    pages: int = 0


class IngestCancelled(Exception):
    """Raised from a page callback when the run is cancelled mid-file; never stored."""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A reader's answer: a meeting, or why there is none (a code: a reading child
    never words it, the one that shows it does) and a traceback."""

    meeting: Meeting | None
    failure: FileFailure | None = None
    detail: str = ""

    @property
    def reason(self) -> str:
        """Why there is no meeting, in the user's language ("" when there is one)."""
        from kkr_tui.failure_words import describe

        return describe(self.failure) if self.failure is not None else ""


PageCallback = Callable[[int, int], None]


class Runner(Protocol):
    """What a way of reading files (one process, or several) needs from the run."""

    def emit(self, path: str, result: IngestResult | None = None) -> None:
        """Report that work on ``path`` starts (no result) or ended."""

    def page_callback(self, path: str, cancel: threading.Event) -> PageCallback:
        """Per-page progress for ``path`` that raises IngestCancelled once ``cancel`` is set."""

    def check(self, path: Path) -> tuple[str, IngestResult | None]:
        """Hash ``path``: its sha256 and a final result if it needs no reading."""

    def store_parsed(self, path: Path, sha: str, parsed: ParsedFile) -> IngestResult:
        """Store one parsed file (or report why it failed)."""


def read_and_parse(
    path: str, on_page: PageCallback | None = None, page_seconds: float | None = None
) -> ParsedFile:
    """Read and parse one file; every failure becomes a cause (runs in child processes too).

    ``on_page(done, total)`` is called per page read; it may raise
    :class:`IngestCancelled`, which is the one exception passed through.
    ``page_seconds`` stops a PDF page that takes longer (it becomes a failed page with a
    warning); it works in a process's main thread only.
    """
    from kkr_tui.model import FileFailure, NotAMeetingError
    from kkr_tui.parser import parse
    from kkr_tui.sources import UnreadableDocumentError, read_document

    try:
        return ParsedFile(parse(read_document(path, on_page, page_seconds=page_seconds)))
    except IngestCancelled:
        raise
    except UnreadableDocumentError as error:
        return ParsedFile(None, error.failure)
    except NotAMeetingError as error:
        return ParsedFile(None, FileFailure("not_a_meeting", (("why", error.code),)))
    except MemoryError:
        return ParsedFile(None, FileFailure("memory"), traceback.format_exc())
    except Exception as error:  # noqa: BLE001 - one bad file must never stop a run
        detail = f"{type(error).__name__}: {error}"
        return ParsedFile(None, FileFailure("unexpected", detail=detail), traceback.format_exc())


def is_not_a_meeting(failure: FileFailure | None) -> bool:
    """Whether a file failed because the parser found no meeting in it (sync keeps such
    a file as a bilag)."""
    return failure is not None and failure.cause == "not_a_meeting"


#: How a file's status is worded in result lines and the summary (the words ``sync``
#: uses); the status values themselves stay English (JSON, ``IngestResult.status``).
STATUS_WORDS: dict[Status, str] = {
    "added": N_("added"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "failed": N_("failed"),
}


def summary_text(counts: dict[Status, int], stopped: str = "") -> str:
    """``tilføjet 2, opdateret 0, uændret 1, fejl 0`` (+ why the store stopped the run)."""
    text = ", ".join(
        _("{status} {count}").format(status=_(word), count=counts.get(status, 0))
        for status, word in STATUS_WORDS.items()
    )
    return _("{counts}; stopped: {reason}").format(counts=text, reason=stopped) if stopped else text
