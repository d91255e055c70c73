"""Errors the store raises, in one place so callers can catch :class:`StoreError` broadly."""

from __future__ import annotations


class StoreError(Exception):
    """The database cannot be used (missing in read-only mode, not ours, too new)."""


class SchemaError(StoreError):
    """The database was written by a newer kkr-tui, or is not a kkr-tui database."""


class StoreBusyError(StoreError):
    """Another process held the database lock for longer than the busy timeout."""


class StoreReadOnlyError(StoreError):
    """A write was attempted on a Store opened with ``read_only=True``."""


class NotFoundError(StoreError, LookupError):
    """A meeting, section or item id that is not (or no longer) in the store."""


class NoteTooLargeError(StoreError, ValueError):
    """A note over the size a note may have (:data:`kkr_tui.store.notes.MAX_NOTE_BYTES`)."""


class DamagedDatabaseError(StoreError):
    """The file is not a database or its pages are damaged; nothing is written to it."""


class DiskFullError(StoreError):
    """The disk (or the database's size limit) is full: a write was rolled back."""


class SchemaTooOldError(SchemaError):
    """The database has an older schema, which only a writable open can migrate."""


class MigrationCancelled(StoreError):
    """The opener stopped the migration of an older database (the reader was quit):
    it was rolled back, the file is as it was, the next writable open starts it again."""
