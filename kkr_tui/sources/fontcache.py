"""Build each PDF font once per document instead of once per page.

pypdf's ``extract_text`` turns every font resource of a page into a ``Font`` (encoding,
character map, widths) from scratch, for every page, although a document's pages
share the same few font objects. On meeting PDFs that rebuilding is a sixth of the
extraction time. Inside :func:`shared_fonts`, ``Font.from_font_resource`` answers a
font dictionary it has already seen on this thread with the ``Font`` it built then;
the extracted text is identical, because pypdf only reads those objects while
extracting (the one write, ``space_width``, sets the same value on every page).

The cache belongs to one reader and is active only on the thread inside the ``with``
block, so no object outlives its document and other threads' pypdf calls are left
alone. If a
pypdf version lacks the hook, extraction simply runs uncached.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: id of a font dictionary -> (that dictionary, the ``Font`` pypdf built from it).
FontCache = dict[int, tuple[Any, Any]]

_local = threading.local()
_install_lock = threading.Lock()
_installed = False


def _install() -> bool:
    """Wrap ``Font.from_font_resource`` once; False if this pypdf has no such hook."""
    global _installed
    with _install_lock:
        if _installed:
            return True
        try:
            from pypdf.generic._font import Font
        except ImportError:
            return False
        original = Font.__dict__.get("from_font_resource")
        if not isinstance(original, classmethod):
            return False
        build = original.__func__

        def from_font_resource(cls: type, pdf_font_dict: Any) -> Any:
            cache: FontCache | None = getattr(_local, "cache", None)
            if cache is None:
                return build(cls, pdf_font_dict)
            hit = cache.get(id(pdf_font_dict))
            if hit is not None and hit[0] is pdf_font_dict:
                return hit[1]
            font = build(cls, pdf_font_dict)
            cache[id(pdf_font_dict)] = (pdf_font_dict, font)
            return font

        Font.from_font_resource = classmethod(from_font_resource)
        _installed = True
        return True


@contextmanager
def shared_fonts(cache: FontCache) -> Iterator[None]:
    """Within the block, this thread's pypdf builds each font dictionary's ``Font`` once.

    ``cache`` belongs to one reader (a new dict per document); the font dictionary is
    kept beside its ``Font`` so its ``id`` cannot be reused by another object while the
    cache lives. The previous cache of the thread, if any, is restored afterwards.
    """
    if not _install():
        yield
        return
    previous = getattr(_local, "cache", None)
    _local.cache = cache
    try:
        yield
    finally:
        _local.cache = previous
