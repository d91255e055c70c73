"""How reading a document can fail, as a cause the user's language words when shown.

Every failure of the readers is an :class:`UnreadableDocumentError` carrying a
:class:`~kkr_tui.model.FileFailure` (a cause code, its numbers, and a library's own
words as a detail), so the CLI and the app can report "x.pdf: PDF-filen er beskyttet
med en adgangskode" instead of a traceback, and ``--json`` keeps the code. File-system
failures are mapped to causes here, once, for both readers.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from kkr_tui.model import FileCause, FileFailure


class UnreadableDocumentError(Exception):
    """A file could not be turned into pages; ``failure`` says why (a code), ``reason``
    words it in the user's language."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        cause: FileCause | FileFailure,
        params: tuple[tuple[str, int | float | str], ...] = (),
        detail: str = "",
    ) -> None:
        failure = cause if isinstance(cause, FileFailure) else FileFailure(cause, params, detail)
        super().__init__(failure.cause)
        self.path = str(path)
        self.failure = failure

    @property
    def reason(self) -> str:
        """The sentence for the user (the words are chosen now, not when raised)."""
        from kkr_tui.failure_words import describe

        return describe(self.failure)

    def __str__(self) -> str:
        return self.reason

    def __reduce__(self) -> tuple[type, tuple[str, FileFailure]]:
        return (type(self), (self.path, self.failure))


def os_error_failure(error: OSError) -> FileFailure:
    """The cause of an OS error, without the path (the caller reports the path)."""
    if isinstance(error, FileNotFoundError):
        return FileFailure("not_found")
    if isinstance(error, IsADirectoryError):
        return FileFailure("is_directory")
    if isinstance(error, PermissionError):
        return FileFailure("permission")
    if error.errno == errno.ELOOP:
        return FileFailure("symlink_loop")
    return FileFailure("os_error", detail=error.strerror or type(error).__name__)


def check_regular_file(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a Path if it names a regular file, else raise with a clear reason.

    Checked before reading so a FIFO or device named ``x.txt`` cannot block or flood
    the reader.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as error:
        raise UnreadableDocumentError(p, os_error_failure(error)) from None
    except ValueError:
        raise UnreadableDocumentError(p, "invalid_name") from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableDocumentError(p, "is_directory")
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableDocumentError(p, "not_regular")
    return p


#: No document kkr-tui reads comes near this; a bigger file is refused before it is hashed.
MAX_FILE_BYTES = 1024 * 1024 * 1024


def too_large(limit: int) -> FileFailure:
    """The cause for a file over ``limit`` bytes."""
    return FileFailure("too_large", (("mb", limit // (1024 * 1024)),))


def open_regular_file(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file of at most ``limit`` bytes.

    Opened without blocking and checked on the open descriptor (``fstat``), so a FIFO
    or device swapped in after an earlier check can neither block the open nor be read:
    a FIFO named ``x.pdf`` or a link to ``/dev/zero`` would otherwise hang the hash or
    feed it forever.
    """
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except OSError as error:
        raise UnreadableDocumentError(p, os_error_failure(error)) from None
    except ValueError:
        raise UnreadableDocumentError(p, "invalid_name") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableDocumentError(p, "is_directory")
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableDocumentError(p, "not_regular")
        if st.st_size > limit:
            raise UnreadableDocumentError(p, too_large(limit))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path``; OS errors become :class:`UnreadableDocumentError`."""
    try:
        with open_regular_file(path) as fh:
            return fh.read(size)
    except OSError as error:
        raise UnreadableDocumentError(path, os_error_failure(error)) from None


def read_all(path: Path, limit: int) -> bytes:
    """All bytes of ``path`` up to ``limit``; a larger file is refused rather than loaded."""
    try:
        with open_regular_file(path, limit) as fh:
            # read(limit + 1) would reserve the whole limit (1 GB) up front, which a
            # reading child's memory budget refuses: read what the file holds, plus
            # whatever it grew by meanwhile, up to the limit.
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(min(size, limit) + 1)
            if len(data) > size:
                data += fh.read(limit + 1 - len(data))
    except OSError as error:
        raise UnreadableDocumentError(path, os_error_failure(error)) from None
    if len(data) > limit:
        raise UnreadableDocumentError(path, too_large(limit))
    return data
