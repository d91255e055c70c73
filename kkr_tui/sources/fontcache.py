"""Build each PDF font once per document instead of once per page.

pypdf's ``extract_text`` turns every font resource of a page into a ``Font`` (encoding,
character map, widths) from scratch, for every page, although a document's pages
share the same few font objects; and each page's text extractor starts with a
placeholder font whose WinAnsi table it rebuilds by decoding all 256 bytes. On
meeting PDFs that rebuilding is about a quarter of the extraction time. Inside
:func:`shared_fonts`:

- ``Font.from_font_resource`` answers a font dictionary it has already seen with the
  ``Font`` it built then. The extracted text is identical, because pypdf only reads
  those objects while extracting (the one write, ``space_width``, sets the same value
  on every page).
- the extractor's ``encoding_dict_from_named_encoding`` returns a fresh copy of the
  table built the first time, so nothing shared can be changed through it.

The cache belongs to one reader and is active only on the thread inside the ``with``
block, so no object outlives its document and other threads' pypdf calls are left
alone. If a pypdf version lacks either hook, that part simply runs uncached.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Built objects by key: ``id`` of a font dictionary -> (that dictionary, its ``Font``);
#: ``("encoding", name)`` -> (None, the encoding table).
FontCache = dict[object, tuple[Any, Any]]

_local = threading.local()
_install_lock = threading.Lock()
_installed: bool | None = None


def _active() -> FontCache | None:
    return getattr(_local, "cache", None)


def _wrap_font_builder() -> bool:
    try:
        from pypdf.generic._font import Font
    except ImportError:
        return False
    original = Font.__dict__.get("from_font_resource")
    if not isinstance(original, classmethod):
        return False
    build = original.__func__

    def from_font_resource(cls: type, pdf_font_dict: Any) -> Any:
        cache = _active()
        if cache is None:
            return build(cls, pdf_font_dict)
        hit = cache.get(id(pdf_font_dict))
        if hit is not None and hit[0] is pdf_font_dict:
            return hit[1]
        font = build(cls, pdf_font_dict)
        cache[id(pdf_font_dict)] = (pdf_font_dict, font)
        return font

    Font.from_font_resource = classmethod(from_font_resource)
    return True


def _wrap_encoding_table() -> bool:
    try:
        from pypdf._text_extraction import _text_extractor
    except ImportError:
        return False
    build = getattr(_text_extractor, "encoding_dict_from_named_encoding", None)
    if not callable(build):
        return False

    def encoding_dict_from_named_encoding(encoding: str) -> dict[int, str]:
        cache = _active()
        if cache is None:
            return build(encoding)
        hit = cache.get(("encoding", encoding))
        if hit is None:
            hit = cache[("encoding", encoding)] = (None, build(encoding))
        return dict(hit[1])

    _text_extractor.encoding_dict_from_named_encoding = encoding_dict_from_named_encoding
    return True


def _install() -> bool:
    """Wrap pypdf's builders once; False if this pypdf has neither hook."""
    global _installed
    with _install_lock:
        if _installed is None:
            fonts = _wrap_font_builder()
            tables = _wrap_encoding_table()
            _installed = fonts or tables
        return _installed


@contextmanager
def shared_fonts(cache: FontCache) -> Iterator[None]:
    """Within the block, this thread's pypdf builds each font and encoding table once.

    ``cache`` belongs to one reader (a new dict per document); a font dictionary is
    kept beside its ``Font`` so its ``id`` cannot be reused by another object while the
    cache lives. The previous cache of the thread, if any, is restored afterwards.
    """
    if not _install():
        yield
        return
    previous = _active()
    _local.cache = cache
    try:
        yield
    finally:
        _local.cache = previous
