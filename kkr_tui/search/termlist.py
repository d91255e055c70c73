"""A compact, read-only list of many short strings: UTF-8 bytes plus an offset array.

The search vocabulary of a 1M-item store has 1.7 M terms. As a ``list[str]`` each term
costs a ~50-byte object header and an 8-byte pointer on top of its characters (about
120 MB for the terms alone, 400 MB for the structures built from them); here a term
costs its UTF-8 bytes, a newline and 4 bytes of offset. Neighbouring terms come back as
one C-speed ``split``, and the bytes themselves can be scanned with ``find``.

The bytes are a ``bytes`` object when the list is built, or a read-only ``mmap`` of the
saved vocabulary (:mod:`kkr_tui.search.snapshot`): such a list is used where it lies in
the file, never read into memory as a whole, and costs nothing to open. Bytes rather
than ``str`` for both: a file can only be mapped as bytes, and one character beyond
U+00FF anywhere in a ``str`` makes CPython store every character of it in 2 or 4
bytes.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, islice
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from mmap import mmap
    from typing import TypeAlias

    #: Where each string starts: an array when built, a view of the snapshot file when
    #: read back from it (``memoryview.cast``: the offsets are never copied).
    Offsets: TypeAlias = "array[int] | memoryview"
    #: The strings' UTF-8 bytes: built in memory, or mapped from the snapshot file.
    #: (Both for the type checker only: a ``Union`` with a name in quotes compiles that
    #: name when the module loads, ~1 ms each on the way to every search.)
    Text: TypeAlias = "bytes | mmap"

#: Offsets are 4-byte unsigned while the text fits; beyond 4 GB, 8-byte.
_SMALL, _LARGE = "I", "Q"
_SMALL_MAX = 0xFFFF_FFFF
#: How terms are encoded ("surrogatepass": whatever Python strings SQLite gave back).
_CODEC = ("utf-8", "surrogatepass")
_NL = 10  # b"\n"[0]


class TermList(Sequence[str]):
    """Strings without newlines, kept as ``b"\\n" + b"\\n".join(utf8 strings) + b"\\n"``.

    ``starts[i]`` is where string ``i`` begins in ``text`` (a byte offset);
    ``starts[len]`` is ``len(text)``, so string ``i`` is the UTF-8 of
    ``text[starts[i]:starts[i + 1] - 1]``. Byte order is code point order, so a list of
    sorted strings is sorted as bytes too.
    """

    __slots__ = ("starts", "text")

    def __init__(self, strings: Iterable[str] = ()) -> None:
        """Build from ``strings`` (none may contain a newline)."""
        built = TermList.from_chunks([list(strings)])
        self.text: Text = built.text
        self.starts: Offsets = built.starts

    @classmethod
    def from_chunks(cls, chunks: Iterable[Sequence[str]]) -> TermList:
        """Build from successive chunks of strings, so the caller never holds them all
        as objects at once (a database cursor read in pages)."""
        builder = TermListBuilder()
        for chunk in chunks:
            builder.add(chunk)
        return builder.finish()

    @classmethod
    def adopt(cls, text: Text, starts: Offsets) -> TermList:
        """Wrap an already built ``text`` and its ``starts`` without copying them (a
        builder's result, or a saved list read back)."""
        built = cls.__new__(cls)
        built.text, built.starts = text, starts
        return built

    def __len__(self) -> int:
        return len(self.starts) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            lo, hi, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(lo, hi, step)]
            return self.span(lo, hi)
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("TermList index out of range")
        return self.text[self.starts[index] : self.starts[index + 1] - 1].decode(*_CODEC)

    def span(self, lo: int, hi: int) -> list[str]:
        """Strings ``lo`` to ``hi - 1`` as a list, in one ``split``."""
        if hi <= lo:
            return []
        return self.text[self.starts[lo] : self.starts[hi] - 1].decode(*_CODEC).split("\n")

    def raw(self, lo: int, hi: int) -> bytes:
        """The UTF-8 of strings ``lo`` to ``hi - 1`` joined by newlines (``hi > lo``)."""
        return self.text[self.starts[lo] : self.starts[hi] - 1]

    def __iter__(self) -> Iterator[str]:
        step = 65536
        for lo in range(0, len(self), step):
            yield from self.span(lo, min(lo + step, len(self)))

    def bisect(self, key: str, lo: int = 0, hi: int | None = None) -> int:
        """``bisect.bisect_left`` for a sorted list, comparing UTF-8 bytes (the same
        order as the strings'): no string is decoded on the way, which made a look-up of
        a 1M-item vocabulary's ~21 probes a few times dearer."""
        target = key.encode(*_CODEC)
        text, starts = self.text, self.starts
        if hi is None:
            hi = len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if text[starts[mid] : starts[mid + 1] - 1] < target:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def index_at(self, position: int) -> int:
        """The index of the string whose bytes or trailing newline are at ``position``
        of :attr:`text` (-1 for the leading newline)."""
        return bisect_right(self.starts, position) - 1

    def find(self, needle: str, start: int = 0) -> int:
        """Where ``needle`` (UTF-8) next occurs in :attr:`text` from ``start``, or -1."""
        return self.text.find(needle.encode(*_CODEC), start)

    def starts_string(self, position: int) -> bool:
        """True if ``position`` of :attr:`text` is the first byte of a string."""
        return position > 0 and self.text[position - 1] == _NL

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TermList):
            return NotImplemented
        return self.text[:] == other.text[:]

    # Unhashable, as list is (equal by content); mypy wants __hash__ a method.
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TermList({len(self)} strings, {len(self.text)} bytes)"

    def nbytes(self) -> int:
        """Memory held by the text and offsets (what this layout is for)."""
        return len(self.text) + self.starts.itemsize * len(self.starts)


class TermListBuilder:
    """Collects a :class:`TermList` chunk by chunk (for loading that runs in steps)."""

    __slots__ = ("_parts", "_position", "_starts")

    def __init__(self) -> None:
        self._parts = [b"\n"]
        self._starts = array(_SMALL, [1])
        self._position = 1

    def add(self, chunk: Sequence[str]) -> None:
        """Append ``chunk``'s strings; a string with a newline is a ``ValueError``."""
        if not chunk:
            return
        joined = "\n".join(chunk) + "\n"
        if joined.count("\n") != len(chunk):
            raise ValueError("a TermList string may not contain a newline")
        data = joined.encode(*_CODEC)
        if len(data) == len(joined):  # ASCII: a string's bytes are its characters
            lengths: Iterable[int] = map(len, chunk)
        else:
            lengths = [len(s.encode(*_CODEC)) for s in chunk]
        if self._starts.typecode == _SMALL and self._position + len(data) > _SMALL_MAX:
            self._starts = array(_LARGE, self._starts)
        # Each start is the previous one plus the string's length and its newline,
        # summed in C (a Python function per term was most of a small store's load).
        self._starts.extend(
            islice(accumulate(map(_ONE.__add__, lengths), initial=self._position), 1, None)
        )
        self._parts.append(data)
        self._position += len(data)

    def finish(self) -> TermList:
        """The list of everything added (the builder is then empty again)."""
        built = TermList.adopt(b"".join(self._parts), self._starts)
        # Empty again: the fields __init__ sets (mypy forbids calling __init__).
        self.__init__()  # type: ignore[misc]
        return built


_ONE = 1
