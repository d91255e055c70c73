"""Giving freed memory back to the operating system after a large, short-lived build.

Loading the search vocabulary of a 1M-item store allocates and frees ~70 MB of page
buffers between the long-lived term lists. glibc's allocator keeps such holes in its
heap, so the process would stay ~70 MB larger than what it holds for as long as it
runs. ``malloc_trim`` hands them back. Elsewhere (macOS, musl, Windows) this does
nothing: those allocators return large blocks on their own or have no such call.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes  # ~10 ms with ctypes.util (subprocess): only a large vocabulary needs it
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    call: Callable[[int], int] = trim
    return call


def release_free_memory() -> bool:
    """Return the allocator's free heap memory to the OS; True if it could be asked."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
