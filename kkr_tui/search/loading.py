"""Reading a store's vocabulary in short, resumable steps.

A load is a sequence of steps of about 20-40 ms at 1M items (a page of terms, or a
slice of the finishing sort), so the reader can run it in the background between
keypresses; a large store's first step reads the saved snapshot instead, when one
matches (:mod:`.snapshot`).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

from kkr_tui.search import snapshot
from kkr_tui.search.shapes import Shapes
from kkr_tui.search.vocabulary import Vocabulary, VocabularyBuilder

if TYPE_CHECKING:
    from kkr_tui.store import Store

#: Terms read per step of a vocabulary load (about 25 ms at 1M items, so the reader's
#: calls queued behind a background step wait little).
VOCABULARY_PAGE = 10_000
#: Vocabularies this large are saved for the next start (~0.1 s to read at 1M items,
#: against ~5 s to rebuild); smaller ones load from the database in under a second.
SNAPSHOT_AFTER_TERMS = 200_000


class VocabularyLoad:
    """A vocabulary being read from a store in pages, resumable between calls.

    It never keeps the store itself: each :meth:`step` is handed the store.
    """

    def __init__(self, token: tuple[int, int], *, give_back_memory: bool = False) -> None:
        """``give_back_memory``: hand the page buffers the build freed back to the OS
        before the shapes of a vocabulary to be saved are built (:mod:`.memory`), so the
        two peaks do not add up in a long-lived reader (~30 MB at 1M items)."""
        self.token = token
        self._give_back_memory = give_back_memory
        self._builder = VocabularyBuilder()
        self._after: str | None = None
        self._finishing: Generator[None, None, Vocabulary] | None = None
        self._key: tuple[str, int] | None = None
        self._first = True
        #: A vocabulary to be saved, and its shapes being built in steps before that.
        self._saving: tuple[Vocabulary, Generator[None, None, Shapes]] | None = None
        #: True once the vocabulary came from the store's pages (not the snapshot): such a
        #: load allocated and freed its page buffers, which may be worth giving back.
        self.built = False

    def step(self, store: Store) -> Vocabulary | None:
        """Read one page, or do one slice of the finishing work (each about 20-40 ms
        at 1M items); the vocabulary after the last. The first step reads the saved
        snapshot instead when one matches the store's content exactly (see
        :mod:`kkr_tui.search.snapshot`), before any page: only large vocabularies are
        saved, and for a small store the look is one failed open (the cache folder is
        named without platformdirs, :mod:`kkr_tui.userdirs`)."""
        if self._first:
            self._first = False
            self._key = store.content_version()
            parts = snapshot.load(self._key) if self._key is not None else None
            if parts is not None:
                return Vocabulary(*parts)
        self.built = True
        if self._saving is not None:
            built, shaping = self._saving
            try:
                next(shaping)
            except StopIteration as shaped:
                shapes: Shapes = shaped.value
                self._saving = None
                assert self._key is not None
                if snapshot.save(self._key, built.terms, built.docs, built.frequent, shapes):
                    # The saved file, mapped, in place of the built lists: the same
                    # terms, but only the pages a search touches stay in memory (the
                    # built ones held ~80 MB at 1M items for as long as the reader ran).
                    parts = snapshot.load(self._key)
                    if parts is not None:
                        return Vocabulary(*parts)
                return Vocabulary(built.terms, built.docs, built.frequent, shapes)
            return None
        if self._finishing is None:
            page = store.vocabulary_page(self._after, VOCABULARY_PAGE)
            if page:
                self._builder.add(page)
                self._after = page[-1][0]
            if len(page) == VOCABULARY_PAGE:
                return None
            self._finishing = self._builder.finishing()
        try:
            next(self._finishing)
        except StopIteration as done:
            vocab: Vocabulary = done.value
            if self._key is not None and len(vocab) >= SNAPSHOT_AFTER_TERMS:
                # The snapshot carries the typo look-up's shapes: built in steps first.
                if self._give_back_memory:
                    from kkr_tui.search.memory import release_free_memory

                    release_free_memory()
                self._saving = vocab, Shapes.building(vocab.terms, vocab.docs)
                return None
            return vocab
        return None
