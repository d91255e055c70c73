"""Where kkr-tui keeps and finds things: database, config, bundled samples and styles.

One module answers "where" so the CLI, the app and ``kkr-tui locate`` can never
disagree. The bundled folders live at the top of the source tree (``styles/``,
``sample_docs/``) and are force-included into the wheel as ``kkr_tui/styles`` and
``kkr_tui/sample_docs``; the lookups below try the installed location first and fall
back to the source tree, so both an editable checkout and a wheel work.
"""

from __future__ import annotations

import os
from pathlib import Path

from kkr_tui.userdirs import APP_NAME, config_file, user_dir

DB_ENV_VAR = "KKR_TUI_DB"
DB_FILE_NAME = "kkr.db"

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The per-user data folder (platformdirs'), where the default database lives."""
    return Path(user_dir("data"))


def config_dir() -> Path:
    """The per-user config folder (platformdirs')."""
    return Path(user_dir("config"))


def cache_dir() -> Path:
    """The per-user cache folder (platformdirs'): files kkr-tui can always rebuild."""
    return Path(user_dir("cache"))


def log_path() -> Path:
    """The reader's log file: what failed in the background, with tracebacks.

    In the platformdirs user log folder (``~/.local/state/kkr-tui/log`` on Linux):
    the terminal belongs to the reader while it runs, so errors are written here.
    """
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False)) / "kkr-tui.log"


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: ``explicit`` (``--db``) > ``$KKR_TUI_DB`` > the data folder.

    ``~`` is expanded in both overrides because users type it in shells and env files
    that do not expand it for them.
    """
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return data_dir() / DB_FILE_NAME


def config_path() -> Path:
    """The config file (key remapping, theme, language); it may not exist yet."""
    return Path(config_file())


def _bundled(name: str) -> Path:
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def sample_docs_dir() -> Path:
    """The folder of bundled sample documents the app ingests on its first run."""
    return _bundled("sample_docs")


def styles_dir() -> Path:
    """The folder of the app's ``.tcss`` style sheets."""
    return _bundled("styles")


def sample_documents() -> list[Path]:
    """The bundled sample documents, sorted by name (empty if the folder is missing)."""
    folder = sample_docs_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in {".txt", ".pdf"})


def database_is_read_only(db_path: Path) -> bool:
    """True when this process cannot write the database (file or folder not writable).

    SQLite in WAL mode writes ``-wal``/``-shm`` files beside the database, so a
    writable file in a read-only folder is read-only in practice too.
    """
    folder = db_path.parent
    if db_path.exists():
        return not (os.access(db_path, os.W_OK) and os.access(folder, os.W_OK))
    return folder.exists() and not os.access(folder, os.W_OK)
