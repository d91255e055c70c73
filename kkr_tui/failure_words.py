"""How a whole-file failure reads, in the user's language, wherever it is shown.

The stages that fail (sources, parser, the reading child) hand out a
:class:`~kkr_tui.model.FileFailure`: a cause code, its numbers and a library's own
words as a detail. The sentence is chosen here, when ``ingest``, ``sync``, ``parse``
or the reader say it, so every one of them words a failure the same way, a reading
child never decides the language, and pypdf's English stays out of the line (it is
the ``detail``: ``--json`` and ``--debug`` show it).
"""

from __future__ import annotations

from kkr_tui.i18n import N_, _
from kkr_tui.model import (
    FileCause,
    FileFailure,
    NetWhy,
    NotAMeetingCode,
    SyncCause,
    SyncFailure,
    page_warnings_line,
)
from kkr_tui.sanitize import clean_line

#: English message ids, full sentences; ``{name}`` fields are the failure's parameters.
MESSAGES: dict[FileCause, str] = {
    "not_found": N_("the file does not exist"),
    "is_directory": N_("it is a folder, not a file"),
    "not_regular": N_("it is not an ordinary file (a device or a pipe)"),
    "permission": N_("you do not have permission to read the file"),
    "symlink_loop": N_("the file is a link that leads round in a circle"),
    "invalid_name": N_("the file name is not valid"),
    "os_error": N_("the system could not read the file"),
    "too_large": N_("the file is larger than {mb} MB, far more than any meeting document"),
    "no_suffix": N_("the file name has no type; kkr-tui reads .pdf and .txt files"),
    "unsupported_type": N_("kkr-tui cannot read '{suffix}' files, only .pdf and .txt"),
    "empty": N_("the file is empty"),
    "not_pdf": N_("the file is not a PDF, although its name says so"),
    "encrypted": N_("the PDF is protected by a password"),
    "encrypted_needs_crypto": N_(
        "the PDF is encrypted, and opening it needs the Python package 'cryptography'"
    ),
    "damaged": N_("the PDF is damaged and cannot be read"),
    "truncated": N_("the PDF is cut off (an incomplete download?)"),
    "no_xref": N_("the PDF is cut off or lacks its cross-reference table"),
    "no_pages": N_("the PDF has no pages"),
    "no_page_readable": N_("none of the PDF's pages could be read"),
    "no_text_extracted": N_("the PDF is damaged: no text could be taken out of it"),
    "scanned": N_("the PDF has no text layer (a scanned document), so its text cannot be read"),
    "no_text": N_("the file contains no text"),
    "pdf_named_txt": N_("the file is a PDF with a .txt name"),
    "binary": N_("the file holds binary data, not text"),
    "broken_utf16": N_("the text is not UTF-8 (damaged UTF-16)"),
    "unknown_encoding": N_("the text is not UTF-8, and its encoding is unknown"),
    "cp1252": N_("the text is not UTF-8 (it looks like Windows cp1252); save it as UTF-8"),
    "timeout": N_("reading the file took longer than {seconds} s and was stopped"),
    "memory": N_("the file needs more memory than a document may take"),
    "worker_died": N_(
        "the process reading the file stopped unexpectedly (out of memory, or killed)"
    ),
    "no_process": N_("no process could be started to read the file"),
    "unexpected": N_("an unexpected error stopped the reading"),
    "not_a_meeting": N_("it is not a KKR meeting document: {why}"),
}

#: Why the parser found no meeting (the ``why`` of ``not_a_meeting``).
NOT_A_MEETING_WHY: dict[NotAMeetingCode, str] = {
    "no_text": N_("the document has no text"),
    "no_structure": N_("no numbered sections and items (such as '1.' and '1.1.') found"),
}


def _values(failure: FileFailure) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in failure.params:
        values[name] = f"{value:g}" if isinstance(value, float) else clean_line(str(value))
    why = failure.param("why")
    if failure.cause == "not_a_meeting" and isinstance(why, str):
        words = NOT_A_MEETING_WHY.get(why)  # type: ignore[call-overload]
        values["why"] = _(words) if words else clean_line(why)
    return values


def describe(failure: FileFailure) -> str:
    """The sentence the user reads (no library words: see :func:`technical`)."""
    message = MESSAGES.get(failure.cause)
    if message is None:  # a cause from a newer kkr-tui: say so rather than fail
        return clean_line(failure.cause)
    try:
        return _(message).format(**_values(failure))
    except (KeyError, IndexError):  # a parameter is missing: the sentence without it
        return clean_line(failure.cause)


def describe_store(cause: SyncCause) -> str:
    """The sentence for a file the store refused (``disk_full``, ``damaged_database``:
    ``IngestResult.store_cause``, the codes of the summary's ``stopped``), the same
    words as a sync failure of that cause."""
    message = SYNC_MESSAGES.get(cause)
    return _(message) if message else clean_line(cause)


def technical(failure: FileFailure) -> str:
    """The library's own words, as a labelled line for ``--debug`` ("" when none)."""
    if not failure.detail:
        return ""
    return _("technical detail: {detail}").format(detail=clean_line(failure.detail))


#: The words of a sync failure (:class:`~kkr_tui.model.SyncFailure`), English message
#: ids; ``{why}`` is the :data:`NET_WHY` words, ``{reason}`` the inner failure's.
SYNC_MESSAGES: dict[SyncCause, str] = {
    "timeout": N_("no answer within {seconds} s"),
    "no_connection": N_("no connection ({why})"),
    "connection_broke": N_("the connection broke ({why})"),
    "transfer_broke": N_("the transfer broke off ({why})"),
    "transfer_stalled": N_("the transfer stalled (no answer)"),
    "http_status": N_("the server answered {status} {phrase}"),
    "redirect_elsewhere": N_("redirected to another host ({url})"),
    "too_many_redirects": N_("too many redirects"),
    "disallowed": N_("robots.txt asks crawlers not to fetch it"),
    "robots_unavailable": N_(
        "robots.txt could not be read ({reason}); nothing is fetched this time"
    ),
    "too_large": N_("the file is too large ({size}, the limit is {limit})"),
    "over_limit": N_("the file is larger than the limit of {limit}"),
    "not_pdf": N_("not a PDF (the server sent something else)"),
    "incomplete_pdf": N_("incomplete PDF (the transfer broke off)"),
    "outside_blocks": N_("not meeting material (outside the meeting blocks)"),
    "not_stored": N_("it could not be stored in the database; it is tried again next time"),
    "disk_full": N_(
        "the disk is full, so it was not stored (what is stored is kept); "
        "it is stored next time, once there is room"
    ),
    "damaged_database": N_(
        "the database is damaged, so it was not stored; nothing more is written to it"
    ),
}

#: What the system said about a connection, by :data:`~kkr_tui.model.NetWhy` code.
NET_WHY: dict[NetWhy, str] = {
    "certificate": N_("the site's certificate could not be verified"),
    "tls": N_("the secure connection (TLS) could not be set up"),
    "lookup_failed": N_("the host name could not be looked up; is the network down?"),
    "name_not_found": N_("the host name could not be found"),
    "refused": N_("the connection was refused"),
    "reset": N_("the connection was closed by the other end"),
    "no_network": N_("no network"),
    "host_unreachable": N_("the host cannot be reached"),
    "proxy_unusable": N_(
        "the proxy named by HTTP_PROXY, HTTPS_PROXY or ALL_PROXY cannot be used:"
        " an unknown scheme, or SOCKS without the socksio package"
    ),
}

#: The ``why`` of a failure whose system error named nothing ("" code), by cause.
_NO_WHY: dict[str, str] = {
    "no_connection": N_("the connection could not be made"),
    "connection_broke": N_("the server stopped answering mid-way"),
    "transfer_broke": N_("the server stopped sending"),
}

_BYTE_PARAMS = ("size", "limit")


def describe_sync(failure: SyncFailure) -> str:
    """The sentence the user reads for a sync failure, in the user's language."""
    message = SYNC_MESSAGES.get(failure.cause)
    if message is None:  # a cause from a newer kkr-tui
        return clean_line(failure.cause)
    values: dict[str, str] = {}
    for name, value in failure.params:
        if name in _BYTE_PARAMS and isinstance(value, int | float):
            values[name] = f"{value / 1024 / 1024:.1f} MB"
        elif isinstance(value, float):
            values[name] = f"{value:g}"
        else:
            values[name] = clean_line(str(value))
    if "{why}" in message:
        why = NET_WHY.get(str(failure.param("why") or ""))  # type: ignore[call-overload]
        values["why"] = _(why or _NO_WHY[failure.cause])
    if failure.inner is not None:
        values["reason"] = describe_sync(failure.inner)
    try:
        return _(message).format(**values).rstrip()
    except (KeyError, IndexError):
        return clean_line(failure.cause)


def stored_words(text: str | None) -> str:
    """A reason the store kept for sync (manifest, bilag), in the user's language: a
    code is worded now; the words an older kkr-tui stored are shown as they are."""
    from kkr_tui.reason_codes import decode

    reason = decode(text)
    if reason is None:
        return ""
    if isinstance(reason, str):
        return clean_line(reason)
    if isinstance(reason, FileFailure):
        return describe(reason)
    if isinstance(reason, SyncFailure):
        return describe_sync(reason)
    return page_warnings_line(reason)
