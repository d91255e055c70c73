"""What the reader has viewed, for back and forward (``backspace``, ``alt+→``).

A view is ``("item", id)`` or ``("meeting", id)``. Moving through the tree with the
cursor is browsing: a run of such views keeps only its last, so back goes to what the
reader opened, not to every line the cursor passed over.
"""

from __future__ import annotations

from collections.abc import Iterator

View = tuple[str, int]


class History:
    """The views in the order they were seen, and where back/forward stand."""

    def __init__(self) -> None:
        self._views: list[View] = []
        self._index = -1
        self._last_was_browsing = False

    def __iter__(self) -> Iterator[View]:
        return iter(self._views)

    def __len__(self) -> int:
        return len(self._views)

    def record(self, view: View, *, browsing: bool) -> None:
        """Remember ``view`` as the newest; forward history after the current one is dropped."""
        if self._index >= 0 and self._views[self._index] == view:
            return
        del self._views[self._index + 1 :]
        if browsing and self._last_was_browsing and self._views:
            self._views[-1] = view
        else:
            self._views.append(view)
        self._index = len(self._views) - 1
        self._last_was_browsing = browsing

    def back(self) -> View | None:
        """The view before the current one (and stand there), or None at the start."""
        return self._step(-1)

    def forward(self) -> View | None:
        """The view after the current one (and stand there), or None at the end."""
        return self._step(1)

    def _step(self, delta: int) -> View | None:
        index = self._index + delta
        if not 0 <= index < len(self._views):
            return None
        self._index = index
        self._last_was_browsing = False
        return self._views[index]
