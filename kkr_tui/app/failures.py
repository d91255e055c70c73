"""A worker that stops on an error is logged and shown, never a silent death.

Textual reports a failed worker only to the node that started it, as a
``Worker.StateChanged`` message that does not bubble: the app, the search screen and
the meeting tree each pass theirs to :func:`report_worker_failure`. It logs the
error with its traceback (logger ``kkr_tui``; the reader writes it to
:func:`kkr_tui.paths.log_path`) and notifies the user, naming what failed (Danish by default).
A store error (busy, read-only, gone) is the user's to act on and is shown as the
store words it; anything else is a bug, shown with its type so a report can name it.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from textual.app import App
from textual.worker import Worker, WorkerState

from kkr_tui.i18n import N_, _

log = logging.getLogger("kkr_tui.app")

#: What each worker does, by worker name (the method's name, or the coroutine's for
#: ``run_worker``), as the notification names it (translated when shown).
WHAT_FAILED: dict[str, str] = {
    "start_up": N_("Opening the database"),
    "warm_search": N_("Preparing the search"),
    "show": N_("Showing the item or meeting"),
    "show_for": N_("Finding related items"),
    "redraw_marks": N_("Redrawing the marks in the list"),
    "open_view": N_("Opening the view"),
    "action_next_item": N_("Moving to another item"),
    "action_next_meeting": N_("Moving to another meeting"),
    "edit_note": N_("Opening the note"),
    "save_note": N_("Saving the note"),
    "load_decisions": N_("The meeting's decisions"),
    "detect_changes_in_steps": N_("Looking for what is new or changed"),
    "load_whats_new": N_("What is new or changed"),
    "load_notes": N_("All notes"),
    "load_meeting": N_("Exporting the briefing"),
    "write_briefing": N_("Writing the briefing"),
    "load_others": N_("How the others decided"),
    "check_for_changes": N_("Looking for changes in the database"),
    "copy_text": N_("Copying"),
    "run_search": N_("The search"),
    "load_children": N_("Loading the meeting tree"),
    "_sync_worker": N_("Fetching new documents"),
    "_after_sync": N_("Showing what was fetched"),
    "show_page": N_("Showing the page of the bilag"),
    "action_find_next": N_("Searching the bilag"),
    "open_bilag_hit": N_("Opening the bilag at the page found"),
}


def is_store_error(error: BaseException | None) -> bool:
    """A StoreError, checked without importing the store (and sqlite_utils) to ask."""
    errors = sys.modules.get("kkr_tui.store.errors")
    return error is not None and errors is not None and isinstance(error, errors.StoreError)


def what_failed(worker: Worker[object]) -> str:
    """The worker's job as the user reads it; an unlisted worker is named by its own name."""
    key = worker.name or worker.group
    if key in WHAT_FAILED:
        return _(WHAT_FAILED[key])
    return _("Background job '{name}'").format(name=key)


def report_worker_failure(app: App[Any], event: Worker.StateChanged) -> bool:
    """Log and show ``event``'s worker error; False when the worker did not fail."""
    if event.state != WorkerState.ERROR:
        return False
    worker, error = event.worker, event.worker.error
    what = what_failed(worker)
    if error is None:  # Textual sets the error before the state; kept for safety
        log.error("%s (worker %s) failed without an error", what, worker.name)
        app.notify(what, title=_("Error"), severity="error", markup=False)
        return True
    log.error("%s (worker %s) failed", what, worker.name or worker.group, exc_info=error)
    if is_store_error(error):
        title = _("Database · {what}").format(what=what)
        app.notify(str(error), title=title, severity="error", markup=False)
    else:
        app.notify(
            # The kind of error stays: this is a fault to report, and its name finds it.
            ": ".join((type(error).__name__, str(error))),
            title=_("{what} failed").format(what=what),
            severity="error",
            markup=False,
        )
    return True


def log_to_file(path: Path) -> logging.Handler:
    """Send the ``kkr_tui`` logger's warnings and errors to ``path`` while the reader runs.

    The terminal belongs to Textual, so Python's last-resort handler (stderr) would
    draw over the screen. Returns the handler to remove; a file that cannot be written
    (a read-only home) gets a handler that drops the lines, and the notification still
    shows the failure.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("kkr_tui")
    logger.addHandler(handler)
    return handler
