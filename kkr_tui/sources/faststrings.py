"""Read a content stream's string operands a run of bytes at a time, not byte by byte.

pypdf reads every literal string ``(...)`` of a page's content stream with one
``stream.read(1)`` per byte and every hex string ``<...>`` likewise; on meeting PDFs
that loop is about a fifth of the extraction time (959k one-byte reads for 198
pages). Inside :func:`fast_strings` the two readers pypdf's object parser calls are
answered by versions that find the next ``(``, ``)`` or backslash (or the closing
``>``) with a regular expression over the stream's buffer and copy the bytes between
in one slice.

They return exactly what pypdf's own readers return, and leave the stream at the same
place: escapes, octal codes (an overflowing one keeps its backslash, as pypdf does),
nested parentheses and escaped line breaks are handled the same way, and anything
else (an unknown escape, which pypdf warns about, a string that never ends, a bad
hex digit, a stream that is not in memory) is handed to pypdf's reader from the
string's start, so warnings and errors stay pypdf's. ``tests/test_sources_faststrings.py``
compares the two on generated strings.

The fast readers are active only on the thread inside the ``with`` block; other pypdf
calls in the process are left alone.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any

_local = threading.local()
_install_lock = threading.Lock()
_installed: bool | None = None

#: What ends a run of plain bytes in a literal string.
_LITERAL_SPECIAL = re.compile(rb"[()\\]")
_OCTAL = b"01234567"
_LINE_BREAK = b"\n\r"
#: pypdf's whitespace (``pypdf._utils.WHITESPACES``), skipped inside hex strings.
_HEX_SPACE = b"\x00\t\n\f\r "
_HEX_DIGITS = b"0123456789abcdefABCDEF"
_HEX_END = re.compile(rb">")

#: The exact pypdf releases these replacements (and :mod:`.fastcontent`'s tokeniser) were
#: compared with by ``tests/test_sources_faststrings.py`` and ``test_sources_fastcontent.py``.
#: They mirror pypdf's private readers, so on any other release — a patch release that
#: hardens the parser included — they stay off and pypdf reads as it always does
#: (slower, never different) until the tests have passed on it. pyproject.toml pins
#: pypdf to one of these.
VERIFIED_PYPDF: tuple[str, ...] = ("7.1.1",)

Reader = Callable[..., Any]


def literal_bytes(
    view: memoryview | bytes, start: int, escapes: dict[bytes, int]
) -> tuple[bytes, int]:
    """The bytes of the literal string whose ``(`` is at ``start``, and where it ends.

    Raises LookupError for what pypdf's reader must handle itself.
    """
    search = _LITERAL_SPECIAL.search
    at = start + 1
    found = search(view, at)
    if found is None:
        raise LookupError("unterminated")
    end = found.start()
    if view[end] == 0x29:  # ")": the common case, nothing to unescape
        return bytes(view[at:end]), end + 1
    out = bytearray()
    depth = 1
    size = len(view)
    while True:
        found = search(view, at)
        if found is None:
            raise LookupError("unterminated")
        end = found.start()
        out += view[at:end]
        char = view[end]
        if char == 0x28:  # "("
            depth += 1
            out.append(char)
            at = end + 1
        elif char == 0x29:  # ")"
            depth -= 1
            if depth == 0:
                return bytes(out), end + 1
            out.append(char)
            at = end + 1
        else:
            at = _unescape(view, end + 1, size, out, escapes)


def _unescape(
    view: memoryview | bytes, at: int, size: int, out: bytearray, escapes: dict[bytes, int]
) -> int:
    """Append the escape after a backslash (``view[at]`` is its first byte); return the
    position after it. Raises LookupError where pypdf warns or fails."""
    if at >= size:
        raise LookupError("unterminated")
    token = bytes(view[at : at + 1])
    code = escapes.get(token)
    if code is not None:
        out.append(code)
        return at + 1
    if token in _OCTAL:
        digits = token
        for ahead in range(at + 1, min(at + 3, size)):
            following = bytes(view[ahead : ahead + 1])
            if following not in _OCTAL:
                break
            digits += following
        value = int(digits, 8)
        if value > 255:
            out.append(0x5C)  # pypdf keeps the backslash and reads the digits as text
            return at
        out.append(value)
        return at + len(digits)
    if token in _LINE_BREAK:
        if at + 1 < size and view[at + 1] in _LINE_BREAK:
            return at + 2
        return at + 1
    raise LookupError("unknown escape")


def hex_bytes(view: memoryview | bytes, start: int) -> tuple[bytes, int]:
    """The bytes of the hex string whose ``<`` is at ``start``, and where it ends."""
    found = _HEX_END.search(view, start + 1)
    if found is None:
        raise LookupError("unterminated")
    end = found.start()
    digits = bytes(view[start + 1 : end]).translate(None, _HEX_SPACE)
    if digits.translate(None, _HEX_DIGITS):
        raise LookupError("bad digit")
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii")), end + 1


def pypdf_verified() -> bool:
    """True if the installed pypdf is a release the fast paths were compared with."""
    try:
        import pypdf
    except ImportError:
        return False
    return str(getattr(pypdf, "__version__", "")) in VERIFIED_PYPDF


def active() -> bool:
    """True on a thread inside :func:`fast_strings`."""
    return getattr(_local, "active", False)


def escape_table() -> dict[bytes, int] | None:
    """pypdf's table of one-character escapes (``\\n`` -> 10, ``\\(`` -> 40, ...), if it has one."""
    try:
        from pypdf.generic import _utils
    except ImportError:
        return None
    table = getattr(_utils, "__ESCAPE_DICT__", None)
    return table if isinstance(table, dict) else None


def _wrap(original: Reader, read: Callable[[memoryview, int], tuple[bytes, int]]) -> Reader:
    from pypdf.generic._utils import create_string_object

    def reader(stream: Any, forced_encoding: Any = None) -> Any:
        if not active() or type(stream) is not BytesIO:
            return original(stream, forced_encoding)
        start = stream.tell()
        try:
            with stream.getbuffer() as view:
                data, end = read(view, start)
        except Exception:  # noqa: BLE001 - LookupError for pypdf's cases, or any surprise:
            return original(stream, forced_encoding)  # the stream is still at the string
        stream.seek(end)
        return create_string_object(data, forced_encoding)

    # Functions take attributes at run time; mypy does not know this one.
    reader.__wrapped__ = original  # type: ignore[attr-defined]
    return reader


def _install() -> bool:
    """Put the fast readers where pypdf's object parser looks them up, once."""
    global _installed
    with _install_lock:
        if _installed is None:
            _installed = _replace_readers()
        return _installed


def _replace_readers() -> bool:
    if not pypdf_verified():
        return False
    try:
        from pypdf.generic import _data_structures
    except ImportError:
        return False
    escapes = escape_table()
    literal = getattr(_data_structures, "read_string_from_stream", None)
    hexadecimal = getattr(_data_structures, "read_hex_string_from_stream", None)
    if escapes is None or not callable(literal) or not callable(hexadecimal):
        return False
    fast_literal = _wrap(literal, lambda view, start: literal_bytes(view, start, escapes))
    setattr(_data_structures, "read_string_from_stream", fast_literal)  # noqa: B010
    setattr(_data_structures, "read_hex_string_from_stream", _wrap(hexadecimal, hex_bytes))  # noqa: B010
    return True


@contextmanager
def fast_strings() -> Iterator[None]:
    """Within the block, this thread's pypdf reads content-stream strings in slices."""
    if not _install():
        yield
        return
    previous = getattr(_local, "active", False)
    _local.active = True
    try:
        yield
    finally:
        _local.active = previous
