"""Files in, meetings stored: the one ingest pipeline the CLI and the app share.

Reading and parsing are pure and slow (pypdf is 7-40 ms a page), storing is fast
and must happen on one writer, one document per transaction. So this module finds
the files, skips the ones whose sha256 is already stored *before* parsing them (a
re-run over an unchanged folder costs only hashing), reads every PDF in a child
process under a budget (:mod:`kkr_tui.ingest_reader`), several at once with ``jobs``
(:mod:`kkr_tui.ingest_pool`), and stores the results in input order on the calling
thread. The values they share live in :mod:`kkr_tui.ingest_types`.

Nothing here prints or imports a UI: progress goes to a callback, cancellation comes
in through a :class:`threading.Event`, and every per-file failure becomes a result
with a human reason instead of an exception, so one bad file never stops a run.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kkr_tui.i18n import _
from kkr_tui.ingest_types import (
    STATUS_WORDS,
    IngestCancelled,
    IngestEvent,
    IngestResult,
    ParsedFile,
    ResultNote,
    Status,
    StopCause,
    failed_result,
    read_and_parse,
    summary_text,
)
from kkr_tui.model import FileFailure
from kkr_tui.wording import danish_date, doc_type_word

if TYPE_CHECKING:
    from kkr_tui.ingest_reader import ReadBudget
    from kkr_tui.model import Meeting
    from kkr_tui.records import DocumentRow
    from kkr_tui.store import Store

__all__ = [
    "IngestCancelled",
    "IngestEvent",
    "IngestResult",
    "IngestRun",
    "IngestSummary",
    "ParsedFile",
    "Status",
    "discover",
    "file_sha256",
    "ingest_paths",
    "meeting_label",
    "read_and_parse",
    "stale_paths",
    "stored_documents",
]


#: After a run that stored something, merge full-text index segments for this share of
#: the run's time (at least TIDY_MIN_S): cheap, and the index never drifts far from
#: fully merged (see ``Store.tidy_index``).
TIDY_SHARE = 0.1
TIDY_MIN_S = 0.5


@dataclass(slots=True)
class IngestSummary:
    """All results of a run, in input order, and whether it was cancelled."""

    results: list[IngestResult] = field(default_factory=list)
    cancelled: bool = False
    #: Why the run stopped storing (a full disk, a damaged database), in words: "" if
    #: it did not; ``stop_cause`` is the same as a code (``--json``).
    stopped: str = ""
    stop_cause: StopCause | None = None

    def count(self, status: Status) -> int:
        """How many files ended with ``status``."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> int:
        """Failed files; the CLI exits 1 when this is non-zero."""
        return self.count("failed")

    def line(self) -> str:
        """The summary line, e.g. ``added 2, updated 0, unchanged 1, failed 0``; when the
        store stopped the run, why (the counts say what was stored before)."""
        return summary_text({s: self.count(s) for s in STATUS_WORDS}, self.stopped)


def meeting_label(council: str | None, meeting_date: str | None, doc_type: str) -> str:
    """``KKR Hovedstaden 18.06.2025 dagsorden``: how result lines name a document."""
    date = danish_date(meeting_date, unknown="?")
    name = council or _("unknown council")
    return f"{name} {date} {doc_type_word(doc_type)}"


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[IngestResult]]:
    """Expand files and folders into the document files to ingest, plus failures.

    Folders are walked recursively, following symlinks but never entering a real
    directory twice, so a link loop cannot hang the walk. Files given by name are
    taken whatever their suffix (the reader then says why it cannot read them); inside
    folders only ``.pdf`` and ``.txt`` (any case) count. Each real file appears once.
    """
    files: list[Path] = []
    failures: list[IngestResult] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for found in _walk(p):
                add(found)
        elif p.exists() or p.is_symlink():
            add(p)
        else:
            failures.append(failed_result(str(p), FileFailure("not_found")))
    return files, failures


def _walk(root: Path) -> Iterator[Path]:
    from kkr_tui.sources import is_supported

    visited: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in visited:
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            if is_supported(name):
                yield Path(dirpath, name)


def file_sha256(path: Path) -> str:
    """The file's sha256: identity of a stored document, checked before any parsing.

    Only a regular file of bounded size is hashed (a FIFO or ``/dev/zero`` would hang
    here, before any reader could refuse it); otherwise
    :class:`~kkr_tui.sources.errors.UnreadableDocumentError` says why.
    """
    from kkr_tui.sources.errors import open_regular_file

    digest = hashlib.sha256()
    with open_regular_file(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def version_key(version: str) -> tuple[int, ...]:
    """Order parser versions by their numbers ("1.10" > "1.9"); no numbers sorts first."""
    return tuple(int(n) for n in re.findall(r"\d+", version))


class IngestRun:
    """One ingest run: the state shared by the sequential and the pooled paths."""

    def __init__(
        self,
        store: Store,
        total: int,
        progress: Callable[[IngestEvent], None] | None,
        reparse: bool,
        named: frozenset[str] = frozenset(),
    ) -> None:
        from kkr_tui.parser import PARSER_VERSION

        self.store = store
        self.total = total
        self.progress = progress
        self.reparse = reparse
        self.named = named
        self.parser_version = PARSER_VERSION
        self.summary = IngestSummary()
        self._labels: dict[
            tuple[int, str], tuple[str, tuple[str | None, str | None, str] | None]
        ] = {}
        from kkr_tui.ingest_reader import DEFAULT_BUDGET

        self.budget: ReadBudget = DEFAULT_BUDGET

    def emit(self, path: str, result: IngestResult | None = None) -> None:
        if result is not None:
            self.summary.results.append(result)
        if self.progress is not None:
            self.progress(IngestEvent(len(self.summary.results), self.total, path, result))

    def page_callback(self, path: str, cancel: threading.Event) -> Callable[[int, int], None]:
        """Per-page progress for ``path`` that stops the read as soon as ``cancel`` is set."""

        def on_page(page: int, pages: int) -> None:
            if cancel.is_set():
                raise IngestCancelled(path)
            if self.progress is not None:
                done = len(self.summary.results)
                self.progress(IngestEvent(done, self.total, path, None, page, pages))

        return on_page

    def check(self, path: Path) -> tuple[str, IngestResult | None]:
        """Hash ``path``; return its sha256 and a final result if it needs no parsing."""
        from kkr_tui.sources.errors import UnreadableDocumentError, os_error_failure

        try:
            sha = file_sha256(path)
        except UnreadableDocumentError as error:
            return "", failed_result(str(path), error.failure)
        except OSError as error:
            return "", failed_result(str(path), os_error_failure(error))
        row = self.store.find_document(sha)
        if row is None:
            return sha, self._superseded(path, sha)
        stale = version_key(row.parser_version or "") < version_key(self.parser_version)
        if self.reparse and stale:
            return sha, None
        label, document = self._stored_label(row)
        return sha, IngestResult(str(path), "unchanged", label=label, document=document)

    def _superseded(self, path: Path, sha: str) -> IngestResult | None:
        """``unchanged`` for a file found in a folder whose document another file
        replaced since (two versions of one agenda side by side): re-runs then settle
        on the stored version instead of swapping the two at every run. A file named
        on its own is always read: naming it asks for that version."""
        resolved = str(path.resolve())
        if resolved in self.named:
            return None
        row = self.store.superseding_document(sha, resolved)
        if row is None:
            return None
        reason = _("the stored version is {path}").format(path=row.path)
        label, document = self._stored_label(row)
        note = ResultNote("superseded", (("path", row.path),))
        return IngestResult(str(path), "unchanged", reason, label, document=document, note=note)

    def _stored_label(
        self, row: DocumentRow
    ) -> tuple[str, tuple[str | None, str | None, str] | None]:
        """The stored document's label and its (council, date, type), for the line."""
        key = (row.meeting_id, row.doc_type)
        if key not in self._labels:
            try:
                detail = self.store.meeting(row.meeting_id)
                label = meeting_label(detail.council, detail.meeting_date, row.doc_type)
                document = (detail.council, detail.meeting_date, row.doc_type)
            except Exception:  # noqa: BLE001 - a label is cosmetic; never fail a run on it
                label, document = "", None
            self._labels[key] = (label, document)
        return self._labels[key]

    def _save(self, meeting: Meeting, path: str, sha: str) -> Status:
        return self.store.save_document(
            meeting, path=path, sha256=sha, parser_version=self.parser_version, reparse=self.reparse
        )

    def store_parsed(self, path: Path, sha: str, parsed: ParsedFile) -> IngestResult:
        """Write one parsed document in its own transaction (the store guarantees that)."""
        meeting = parsed.meeting
        if meeting is None:
            return failed_result(str(path), parsed.failure, parsed.detail)
        label = meeting_label(meeting.council, meeting.meeting_date, meeting.doc_type)
        document = (meeting.council, meeting.meeting_date, meeting.doc_type)
        if self.summary.stop_cause is not None:
            return self._refused(path, self.summary.stop_cause, label, document)
        from kkr_tui.store.errors import DamagedDatabaseError, DiskFullError

        try:
            status = self._save(meeting, str(path.resolve()), sha)
        except (DiskFullError, DamagedDatabaseError) as error:
            # No later file can be stored either: stop, and say so in the summary.
            self.summary.stopped = str(error)
            full = isinstance(error, DiskFullError)
            self.summary.stop_cause = "disk_full" if full else "damaged_database"
            return self._refused(path, self.summary.stop_cause, label, document)
        except Exception as error:  # noqa: BLE001 - reported per file, the run goes on
            return IngestResult(
                str(path),
                "failed",
                # The exception's class name is for the log (the traceback), not the line.
                _("could not be stored in the database: {error}").format(error=error),
                label,
                traceback.format_exc(),
                store_failed=True,
                document=document,
            )
        return IngestResult(
            str(path), status, label=label, page_warnings=meeting.page_warnings, document=document
        )

    @staticmethod
    def _refused(
        path: Path,
        cause: StopCause,
        label: str,
        document: tuple[str | None, str | None, str] | None,
    ) -> IngestResult:
        """A file the store could not take because the disk is full or the database is
        damaged: its line says so (the code worded by ``failure_words.describe_store``),
        and ``--json`` gives the code as the failure's cause."""
        from kkr_tui.failure_words import describe_store

        return IngestResult(
            str(path),
            "failed",
            describe_store(cause),
            label,
            store_failed=True,
            document=document,
            store_cause=cause,
        )


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[IngestEvent], None] | None = None,
    cancel: threading.Event | None = None,
    reparse: bool = False,
    jobs: int = 1,
    budget: ReadBudget | None = None,
) -> IngestSummary:
    """Ingest files and folders into ``store``; never raises for a bad file.

    ``reparse`` re-reads files whose stored parser version is older than the current
    one. ``jobs`` > 1 reads and parses in that many processes while this thread stays
    the only writer. PDFs are always read in a child process under ``budget``
    (memory, time per page, time per file: :class:`~kkr_tui.ingest_reader.ReadBudget`).
    When ``cancel`` is set, no new file is started and every child reading a file is
    killed at once (nothing of its file is stored; a file already parsed is stored
    whole). The summary then says ``cancelled``.
    """
    from kkr_tui.ingest_reader import DEFAULT_BUDGET

    started = time.monotonic()
    paths = list(paths)
    files, failures = discover(paths)
    named = frozenset(str(Path(p).resolve()) for p in paths if os.path.isfile(p))
    runner = IngestRun(store, len(files) + len(failures), progress, reparse, named)
    runner.budget = budget or DEFAULT_BUDGET
    for failure in failures:
        runner.emit(failure.path, failure)
    cancel = cancel or threading.Event()
    try:
        if jobs > 1 and len(files) > 1:
            from kkr_tui.ingest_pool import run_pooled

            run_pooled(runner, files, cancel, jobs, runner.budget)
        else:
            _run_sequential(runner, files, cancel)
    finally:
        _settle_terms(store)
    runner.summary.cancelled = cancel.is_set()
    wrote = runner.summary.count("added") + runner.summary.count("updated")
    if wrote and not runner.summary.cancelled:
        store.tidy_index(max(TIDY_MIN_S, TIDY_SHARE * (time.monotonic() - started)))
    return runner.summary


def _settle_terms(store: Store) -> None:
    """Fold the run's term counts into the search vocabulary's table once, at the end
    (cheaper than per document). If the store is busy they stay pending: readers add
    them in and the next write settles them, so nothing is lost."""
    from kkr_tui.store.errors import StoreError

    with suppress(StoreError):
        store.settle_terms()


def _run_sequential(runner: IngestRun, files: list[Path], cancel: threading.Event) -> None:
    for path in files:
        if cancel.is_set() or runner.summary.stopped:
            return
        runner.emit(str(path))
        sha, done = runner.check(path)
        if done is None:
            try:
                parsed = _read(runner, path, cancel)
            except IngestCancelled:
                return
            done = runner.store_parsed(path, sha, parsed)
        runner.emit(str(path), done)


def _read(runner: IngestRun, path: Path, cancel: threading.Event) -> ParsedFile:
    """Read and parse one file: a PDF in a child process under the run's budget (pypdf
    can take gigabytes or minutes on a hostile file), a text file here (bounded by the
    text reader's size limit)."""
    on_page = runner.page_callback(str(path), cancel)
    if path.suffix.lower() == ".pdf":
        from kkr_tui.ingest_reader import read_guarded

        return read_guarded(str(path), cancel, on_page, runner.budget)
    return read_and_parse(str(path), on_page)


def stored_documents(store: Store) -> list[tuple[str, str]]:
    """``(path, parser_version)`` of every stored document, for ``--reparse`` without paths."""
    return [(row.path, row.parser_version or "") for row in store.documents()]


def stale_paths(store: Store) -> tuple[list[str], int]:
    """Stored documents to re-read with ``--reparse`` and no paths: ``(existing, missing)``.

    Every stored file that still exists is returned (the caller ingests them with
    ``reparse=True``, which parses only those with an older parser version); the count
    of stored files that no longer exist is returned so the CLI can say so.
    """
    existing: list[str] = []
    missing = 0
    for path, _version in stored_documents(store):
        if os.path.isfile(path):
            existing.append(path)
        else:
            missing += 1
    return sorted(set(existing)), missing
