"""How reading a document can fail, in words a user can act on.

Every failure of the readers is an :class:`UnreadableDocumentError` with a short
lowercase reason, so the CLI and the app can report "x.pdf: encrypted PDF (password
required)" instead of a traceback. File-system failures are mapped to reasons here,
once, for both readers.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from kkr_tui.i18n import _


class UnreadableDocumentError(Exception):
    """A file could not be turned into pages; ``reason`` says why, ``str(e)`` is the reason."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(reason)
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.path, self.reason))


def os_error_reason(error: OSError) -> str:
    """A short reason for an OS error, without the path (the caller reports the path)."""
    if isinstance(error, FileNotFoundError):
        return _("file not found")
    if isinstance(error, IsADirectoryError):
        return _("is a directory, not a file")
    if isinstance(error, PermissionError):
        return _("permission denied")
    if error.errno == errno.ELOOP:
        return _("too many levels of symbolic links")
    detail = error.strerror or type(error).__name__
    return _("cannot read file: {detail}").format(detail=detail.lower())


def check_regular_file(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a Path if it names a regular file, else raise with a clear reason.

    Checked before reading so a FIFO or device named ``x.txt`` cannot block or flood
    the reader.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as error:
        raise UnreadableDocumentError(p, os_error_reason(error)) from None
    except ValueError:
        raise UnreadableDocumentError(p, _("invalid file name")) from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableDocumentError(p, _("is a directory, not a file"))
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableDocumentError(p, _("not a regular file"))
    return p


#: No document kkr-tui reads comes near this; a bigger file is refused before it is hashed.
MAX_FILE_BYTES = 1024 * 1024 * 1024


def too_large(limit: int) -> str:
    """The reason for a file over ``limit`` bytes."""
    return _("file too large (over {mb} MB)").format(mb=limit // (1024 * 1024))


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
        raise UnreadableDocumentError(p, os_error_reason(error)) from None
    except ValueError:
        raise UnreadableDocumentError(p, _("invalid file name")) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableDocumentError(p, _("is a directory, not a file"))
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableDocumentError(p, _("not a regular file"))
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
        raise UnreadableDocumentError(path, os_error_reason(error)) from None


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
        raise UnreadableDocumentError(path, os_error_reason(error)) from None
    if len(data) > limit:
        raise UnreadableDocumentError(path, too_large(limit))
    return data
