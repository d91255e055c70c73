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
    sample_docs: Iterable[Path] | Path | None = None,
    config_path: Path | None = None,
) -> None:
    """Open the reader on ``db_path``; an empty database is first filled from ``sample_docs``.

    ``sample_docs`` is a folder or a list of files; ``config_path`` defaults to the
    platformdirs config file (theme, ``[keymap]``).
    """
    from kkr_tui.app.app import KkrApp
    from kkr_tui.paths import config_path as default_config_path

    if isinstance(sample_docs, Path):
        folder = sample_docs
        sample_docs = (
            sorted(p for p in folder.iterdir() if p.suffix.lower() in {".pdf", ".txt"})
            if folder.is_dir()
            else []
        )
    app = KkrApp(
        Path(db_path),
        sample_docs=sample_docs,
        config_path=config_path if config_path is not None else default_config_path(),
    )
    app.run()
