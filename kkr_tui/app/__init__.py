"""The Textual reader; the only package that imports Textual.

``run_app`` is what the CLI calls. Textual itself is imported inside it, so commands
like ``kkr-tui search`` never pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def run_app(
    db_path: Path,
    *,
    first_run_ingest: bool = True,
    sample_docs: Iterable[Path] | None = None,
    config_path: Path | None = None,
    read_only: bool | None = None,
) -> None:
    """Open the reader on ``db_path``.

    With ``first_run_ingest`` an empty (or missing) database is first filled from
    ``sample_docs`` (default: the bundled samples), with a progress bar.
    ``config_path`` defaults to the platformdirs config file (theme, ``[keymap]``).
    ``read_only`` None opens read-only only when the database cannot be written.
    """
    import logging

    from kkr_tui import paths
    from kkr_tui.app.app import KkrApp
    from kkr_tui.app.failures import log_to_file

    if not first_run_ingest:
        samples: list[Path] = []
    elif sample_docs is None:
        samples = paths.sample_documents()
    else:
        samples = list(sample_docs)
    app = KkrApp(
        Path(db_path),
        sample_docs=samples,
        config_path=config_path if config_path is not None else paths.config_path(),
        read_only=read_only,
    )
    handler = log_to_file(paths.log_path())
    try:
        app.run()
    finally:
        logging.getLogger("kkr_tui").removeHandler(handler)
        handler.close()
