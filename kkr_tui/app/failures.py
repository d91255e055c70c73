"""A worker that stops on an error is logged and shown, never a silent death.

Textual reports a failed worker only to the node that started it, as a
``Worker.StateChanged`` message that does not bubble: the app, the search screen and
the meeting tree each pass theirs to :func:`report_worker_failure`. It logs the
error with its traceback (logger ``kkr_tui``; the reader writes it to
:func:`kkr_tui.paths.log_path`) and notifies the user, naming in Danish what failed.
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

log = logging.getLogger("kkr_tui.app")

#: What each worker does, by worker name (the method's name, or the coroutine's for
#: ``run_worker``), as the notification names it.
WHAT_FAILED: dict[str, str] = {
    "start_up": "Åbning af databasen",
    "warm_search": "Forberedelse af søgningen",
    "show": "Visning af punktet eller mødet",
    "open_view": "Åbning af visningen",
    "action_next_item": "Skift til et andet punkt",
    "action_next_meeting": "Skift til et andet møde",
    "action_edit_note": "Åbning af noten",
    "_save_note": "Gemning af noten",
    "action_decisions": "Mødets beslutninger",
    "detect_changes_in_steps": "Søgning efter nyt og ændret",
    "action_whats_new": "Nyt og ændret",
    "action_all_notes": "Alle noter",
    "action_export_briefing": "Eksport af briefing",
    "check_for_changes": "Kig efter ændringer i databasen",
    "run_search": "Søgningen",
    "load_children": "Indlæsning af mødetræet",
}


def is_store_error(error: BaseException | None) -> bool:
    """A StoreError, checked without importing the store (and sqlite_utils) to ask."""
    errors = sys.modules.get("kkr_tui.store.errors")
    return error is not None and errors is not None and isinstance(error, errors.StoreError)


def what_failed(worker: Worker[object]) -> str:
    """The Danish name of the worker's job; an unlisted worker is named by its own name."""
    key = worker.name or worker.group
    return WHAT_FAILED.get(key, f"Baggrundsarbejdet '{key}'")


def report_worker_failure(app: App[Any], event: Worker.StateChanged) -> bool:
    """Log and show ``event``'s worker error; False when the worker did not fail."""
    if event.state != WorkerState.ERROR:
        return False
    worker, error = event.worker, event.worker.error
    what = what_failed(worker)
    if error is None:  # Textual sets the error before the state; kept for safety
        log.error("%s (worker %s) failed without an error", what, worker.name)
        app.notify(what, title="Fejl", severity="error", markup=False)
        return True
    log.error("%s (worker %s) failed", what, worker.name or worker.group, exc_info=error)
    if is_store_error(error):
        app.notify(str(error), title=f"Database · {what}", severity="error", markup=False)
    else:
        app.notify(
            f"{type(error).__name__}: {error}",
            title=f"{what} mislykkedes",
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
