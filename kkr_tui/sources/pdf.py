"""Read a PDF into pages: extracted text plus link-annotation URIs, one page at a time.

pypdf is imported inside the functions: importing it costs about 250 ms and the
app's first frame must not pay for it. Pages are extracted one by one so a caller can
report progress and the reader never holds more than one page's parse state. pypdf's
log output is captured, because a malformed PDF can emit hundreds of warnings and
they must not spray the terminal under a running TUI.
"""

from __future__ import annotations

import io
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from kkr_tui.i18n import N_, _
from kkr_tui.model import FileCause, FileFailure, Page, PageCause, PageWarning, SourceDocument
from kkr_tui.sanitize import clean_line, clean_text
from kkr_tui.sources.errors import (
    UnreadableDocumentError,
    check_regular_file,
    os_error_failure,
    read_all,
    read_head,
)
from kkr_tui.sources.fastcontent import fast_parsing

#: The PDF header may follow a little junk; readers accept it within the first 1 KB.
_HEAD_BYTES = 1024
#: pypdf holds the whole file in memory anyway; refuse files no meeting PDF reaches.
MAX_PDF_BYTES = 1024 * 1024 * 1024
#: Below this many non-space characters per page on average, the PDF has no text layer.
MIN_CHARS_PER_PAGE = 20
_MAX_LOG_MESSAGES = 50
#: Appended to a PDF whose cross-reference data is lost (typically a cut-off download):
#: a bad startxref makes pypdf rebuild the xref by scanning objects, and /Size lets it
#: search those objects for the catalog.
_REPAIR_TRAILER = b"\ntrailer\n<< /Size %d >>\nstartxref\n0\n%%%%EOF\n"
_REASON_CHARS = 80

#: pypdf's wording for a cut-off file, in the user's terms.
_FRIENDLY = {
    "stream has ended unexpectedly": N_("file is truncated"),
    "startxref not found": N_("file is truncated or lacks its cross-reference table"),
}
#: Byte offsets and raw byte dumps pypdf appends to parse errors: noise to a user.
_BYTES_DUMP_RE = re.compile(r"\s*(?:@\s*\d+|:\s*b['\"]).*$")

_log_setup_lock = threading.Lock()
_log_capture: _LogCapture | None = None


class _LogCapture:
    """Collects pypdf log records for the thread that is reading, drops everyone else's.

    Wrapped around a ``logging.Handler`` built on first use, so importing this module
    does not import :mod:`logging`.
    """

    def __init__(self) -> None:
        import logging

        self._local = threading.local()
        capture = self

        class _Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                capture.emit(record)

        self.handler = _Handler(logging.DEBUG)
        logger = logging.getLogger("pypdf")
        logger.addHandler(self.handler)
        logger.propagate = False

    def start(self) -> list[str]:
        messages: list[str] = []
        self._local.messages = messages
        return messages

    def stop(self) -> None:
        self._local.messages = None

    def emit(self, record: Any) -> None:
        messages = getattr(self._local, "messages", None)
        if messages is not None and len(messages) < _MAX_LOG_MESSAGES:
            try:
                messages.append(clean_line(record.getMessage()))
            except Exception:
                messages.append(clean_line(str(record.msg)))


def _import_pypdf() -> ModuleType:
    """Import pypdf on first use and route its logger into the capture handler."""
    global _log_capture
    import pypdf

    with _log_setup_lock:
        if _log_capture is None:
            _log_capture = _LogCapture()
    return pypdf


#: pypdf's words for the damage a page warning can name (the rest is "damaged").
_CAUSES: dict[str, PageCause] = {
    "stream has ended unexpectedly": "truncated",
    "startxref not found": "no_xref",
}


def _cause(error: BaseException) -> PageCause:
    """What a page warning says about ``error`` (words chosen when it is shown)."""
    return _CAUSES.get(clean_line(str(error)).lower(), "damaged")


def _detail(error: BaseException) -> str:
    """pypdf's own words for ``error``, bounded: the technical detail of a failure
    (``--json``, ``--debug``), never the sentence the user reads."""
    text = _BYTES_DUMP_RE.sub("", clean_line(str(error))) or type(error).__name__
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 1].rstrip() + "…"


def _short(error: BaseException) -> str:
    """A one-line, bounded description of a pypdf exception for a reason string."""
    text = clean_line(str(error)) or type(error).__name__
    friendly = _FRIENDLY.get(text.lower())
    text = _(friendly) if friendly else text
    text = _BYTES_DUMP_RE.sub("", text) or type(error).__name__
    if len(text) > _REASON_CHARS:
        text = text[: _REASON_CHARS - 1].rstrip() + "…"
    if text[:2].isupper():
        return text
    return text[0].lower() + text[1:]


class _Damaged(Exception):
    """Internal: pypdf could not open the file; ``reason`` is the short description
    (kept as a repair's page warning), ``failure`` what the file fails with."""

    def __init__(
        self,
        reason: str,
        cause: PageCause = "damaged",
        detail: str = "",
        whole: FileCause | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cause: PageCause = cause
        self.failure = FileFailure(whole or cause or "damaged", detail=detail or reason)


class PdfSource:
    """An opened PDF: page count and metadata up front, pages on demand.

    Use as a context manager or call :meth:`close`. Opening already validates the
    file (empty, not a PDF, damaged, encrypted), so errors surface before any progress
    is reported.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path: Path = check_regular_file(path)
        self.log: list[str] = []
        self.failures: list[PageWarning] = []
        self.failed_pages: set[int] = set()
        self.repaired_from: str | None = None
        self.repaired_cause: PageCause = ""
        self.repaired_failure: FileFailure | None = None
        head = read_head(self.path, _HEAD_BYTES)
        if not head:
            raise UnreadableDocumentError(self.path, "empty")
        if b"%PDF-" not in head:
            raise UnreadableDocumentError(self.path, "not_pdf")
        data = read_all(self.path, MAX_PDF_BYTES)
        # pypdf's catalog search costs a scan of the file per object number it tries;
        # bound it by the number of objects the file can hold, not pypdf's 10,000.
        self._object_bound = data.count(b"obj") + 8
        self._pypdf = _import_pypdf()
        with self._capturing():
            self._reader, self.page_count = self._open_or_repair(data)
            self.metadata: tuple[tuple[str, str], ...] = self._read_metadata()

    def _capturing(self) -> _Capturing:
        return _Capturing(self.log)

    def _fail(self, cause: FileCause, detail: str = "") -> UnreadableDocumentError:
        return UnreadableDocumentError(self.path, cause, detail=detail)

    def _open_or_repair(self, data: bytes) -> tuple[Any, int]:
        """Open the PDF; if it is damaged, try once more with a rebuilt trailer.

        The repaired reader is kept only if it finds pages; otherwise the original
        reason is reported, which describes the damage better than the repair's.
        """
        try:
            return self._open(io.BytesIO(data))
        except _Damaged as damage:
            try:
                trailer = _REPAIR_TRAILER % self._object_bound
                reader, count = self._open(io.BytesIO(data + trailer))
            except _Damaged:
                raise UnreadableDocumentError(self.path, damage.failure) from None
            self.repaired_from = damage.reason
            self.repaired_cause = damage.cause
            self.repaired_failure = damage.failure
            return reader, count

    def _open(self, stream: io.BytesIO) -> tuple[Any, int]:
        pypdf = self._pypdf
        errors = pypdf.errors
        try:
            reader = pypdf.PdfReader(
                stream, strict=False, root_object_recovery_limit=self._object_bound
            )
        except (errors.FileNotDecryptedError, errors.WrongPasswordError):
            raise self._fail("encrypted") from None
        except errors.DependencyError:
            raise self._fail("encrypted_needs_crypto") from None
        except OSError as error:
            raise UnreadableDocumentError(self.path, os_error_failure(error)) from None
        except Exception as error:
            raise _Damaged(_short(error), _cause(error), _detail(error)) from None
        if reader.is_encrypted:
            try:
                result = reader.decrypt("")
            except errors.DependencyError:
                raise self._fail("encrypted_needs_crypto") from None
            except Exception:
                result = pypdf.PasswordType.NOT_DECRYPTED
            if result == pypdf.PasswordType.NOT_DECRYPTED:
                raise self._fail("encrypted")
        try:
            count = len(reader.pages)
        except errors.FileNotDecryptedError:
            raise self._fail("encrypted") from None
        except Exception as error:
            raise _Damaged(_short(error), _cause(error), _detail(error)) from None
        if count == 0:
            raise _Damaged("no pages", whole="no_pages")
        return reader, count

    def _read_metadata(self) -> tuple[tuple[str, str], ...]:
        try:
            info = self._reader.metadata
        except Exception:
            return ()
        if not info:
            return ()
        pairs: list[tuple[str, str]] = []
        for key, attr in (("title", "title"), ("author", "author"), ("subject", "subject")):
            value = _safe_attr(info, attr)
            if value:
                pairs.append((key, value))
        created = _creation_date(info)
        if created:
            pairs.append(("creation_date", created))
        return tuple(pairs)

    def pages(self, page_seconds: float | None = None) -> Iterator[Page]:
        """Yield every page in order; a page that fails to extract yields empty text.

        Failures are recorded in :attr:`failures` as :class:`PageWarning` instead of
        raised, so one broken page does not lose the other 999. A page that takes longer
        than ``page_seconds`` (enforced in a process's main thread only, see
        :func:`page_time_limit`) or runs out of memory fails the same way.
        """
        for index in range(self.page_count):
            with self._capturing(), fast_parsing():
                page = self._page(index, page_seconds)
            yield page

    def _page(self, index: int, page_seconds: float | None = None) -> Page:
        number = index + 1
        try:
            with page_time_limit(page_seconds):
                page = self._reader.pages[index]
                raw = page.extract_text()
                links = page_links(page)
        except PageTimeout:
            seconds = float(page_seconds or 0)
            reason = _("took longer than {seconds} s").format(seconds=f"{seconds:g}")
            self._record(number, reason, "timeout", (("seconds", seconds),))
            return Page(number=number, text="")
        except MemoryError:
            self._record(number, _("needs more memory than a page may take"), "memory")
            return Page(number=number, text="")
        except Exception as error:
            self._record(number, _short(error), _cause(error))
            return Page(number=number, text="")
        return Page(number=number, text=clean_page_text(raw or ""), links=links)

    def _record(
        self,
        number: int,
        reason: str,
        cause: PageCause,
        params: tuple[tuple[str, int | float | str], ...] = (),
    ) -> None:
        self.failed_pages.add(number)
        self.failures.append(PageWarning("failed", number, reason, cause, params))

    def forget_parsed(self) -> None:
        """Let go of the objects pypdf parsed for the pages read so far (its cache of
        resolved objects: content streams, fonts); what a later page needs is parsed
        again. Reading a long file page by page, this keeps memory flat: a 1,000-page
        bilag took 45 MB without it, 35 MB with it cleared every 25 pages."""
        cache = getattr(self._reader, "resolved_objects", None)
        if isinstance(cache, dict):
            cache.clear()

    def close(self) -> None:
        """Release the reader (pypdf holds the whole file in memory)."""
        self._reader = None

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class PageTimeout(BaseException):
    """A page ran over its time: a BaseException, so pypdf's ``except Exception`` blocks
    cannot swallow it on its way out of the page."""


@contextmanager
def page_time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`PageTimeout` in this block once ``seconds`` have passed.

    A timer signal interrupts pure-Python work such as pypdf's between two bytecodes;
    it repeats every 50 ms until the block ends, in case something catches it. Signals
    reach only a process's main thread, so elsewhere (the app's reading thread) the
    block runs unbounded: the ingest reads PDFs in a child process's main thread, where
    this holds.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds is None or seconds <= 0 or not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Capturing:
    """Context manager: pypdf log messages of this thread go into ``sink`` (bounded)."""

    def __init__(self, sink: list[str]) -> None:
        self._sink = sink

    def __enter__(self) -> None:
        assert _log_capture is not None
        self._messages = _log_capture.start()

    def __exit__(self, *exc: object) -> None:
        assert _log_capture is not None
        _log_capture.stop()
        room = _MAX_LOG_MESSAGES - len(self._sink)
        self._sink.extend(self._messages[: max(room, 0)])


def clean_page_text(raw: str) -> str:
    """Sanitise extracted text line by line, so an escape sequence cannot eat a newline."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(clean_text(line) for line in raw.split("\n"))


def page_links(page: Any) -> tuple[str, ...]:
    """The URIs of a page's link annotations in annotation order, duplicates kept.

    Every annotation is read on its own: a broken one is skipped, never the page.
    """
    try:
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        entries = list(annots) if annots is not None else []
    except Exception:
        return ()
    links: list[str] = []
    for entry in entries:
        try:
            uri = _annotation_uri(entry)
        except Exception:
            continue
        if uri:
            links.append(uri)
    return tuple(links)


def _annotation_uri(entry: Any) -> str | None:
    annot = entry.get_object()
    if annot.get("/Subtype") != "/Link":
        return None
    action = annot.get("/A")
    if action is None:
        return None
    action = action.get_object()
    uri = action.get("/URI")
    if uri is None:
        return None
    return clean_line(_decode_uri(uri.get_object())) or None


def _decode_uri(uri: Any) -> str:
    """A URI string as the author meant it.

    The spec says URIs are byte strings; Word writes UTF-8 bytes there, which pypdf
    decodes as PDFDocEncoding ("IgangsÃ¦ttelse"). Prefer the raw bytes as UTF-8, then
    pypdf's own decoding, then latin-1.
    """
    raw = bytes(uri) if isinstance(uri, bytes) else getattr(uri, "original_bytes", None)
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            if isinstance(uri, bytes):
                return raw.decode("latin-1")
    return str(uri)


def _safe_attr(info: Any, attr: str) -> str:
    try:
        value = getattr(info, attr)
    except Exception:
        return ""
    return clean_line(str(value)) if value else ""


def _creation_date(info: Any) -> str:
    try:
        value = info.creation_date
    except Exception:
        value = None
    if isinstance(value, datetime):
        return value.isoformat()
    try:
        raw = info.creation_date_raw
    except Exception:
        return ""
    return clean_line(str(raw)) if raw else ""


def pdf_page_count(path: str | os.PathLike[str]) -> int:
    """Number of pages, for a progress total before extraction starts."""
    with PdfSource(path) as source:
        return source.page_count


def iter_pdf_pages(path: str | os.PathLike[str]) -> Iterator[Page]:
    """Yield the pages of a PDF one by one (validation errors raise before the first page)."""
    source = PdfSource(path)
    return _iterate(source)


def _iterate(source: PdfSource) -> Iterator[Page]:
    with source:
        yield from source.pages()


def read_pdf(
    path: str | os.PathLike[str],
    progress: Callable[[int, int], None] | None = None,
    page_seconds: float | None = None,
) -> SourceDocument:
    """Read a PDF into a :class:`SourceDocument`, calling ``progress(done, total)`` per page.

    Raises :class:`UnreadableDocumentError` when no page could be extracted or the
    pages hold (almost) no text, as with scanned documents. Pages that failed while
    others succeeded are kept with empty text and listed, with a repair of the file, in
    ``page_warnings``. An exception raised by ``progress`` propagates unchanged, so a caller can
    cancel by raising.
    """
    with PdfSource(path) as source:
        pages: list[Page] = []
        for page in source.pages(page_seconds):
            pages.append(page)
            if progress is not None:
                progress(page.number, source.page_count)
    _refuse_unusable(source, pages)
    repairs = (
        [PageWarning("repaired", 0, source.repaired_from, source.repaired_cause)]
        if source.repaired_from
        else []
    )
    return SourceDocument(
        name=source.path.name,
        pages=tuple(pages),
        kind="pdf",
        metadata=source.metadata,
        page_warnings=(*repairs, *source.failures),
    )


def _refuse_unusable(source: PdfSource, pages: list[Page]) -> None:
    """Raise if extraction failed everywhere or found (almost) no text.

    "No text" means a scan only when pypdf saw nothing wrong; with repairs or pypdf
    warnings it is damage, and saying "scanned" would send the user the wrong way.
    """
    failure = unusable(source, sum(len("".join(page.text.split())) for page in pages))
    if failure is not None:
        raise UnreadableDocumentError(source.path, failure)


def unusable(source: PdfSource, chars: int, min_chars: int | None = None) -> FileFailure | None:
    """Why a PDF whose pages were all read (``chars`` non-space characters) is of no
    use, or None. ``min_chars`` defaults to :data:`MIN_CHARS_PER_PAGE` a page."""
    if len(source.failed_pages) == source.page_count:
        if source.repaired_failure is not None:
            return source.repaired_failure
        return FileFailure("no_page_readable", detail=source.failures[0].reason)
    if chars >= (MIN_CHARS_PER_PAGE * source.page_count if min_chars is None else min_chars):
        return None
    if source.repaired_failure is not None:
        return source.repaired_failure
    if source.log:
        return FileFailure("no_text_extracted", detail=source.log[0])
    return FileFailure("scanned")
