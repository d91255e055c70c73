"""The per-user folders (data, config, cache, log) as platformdirs names them, cheaply.

Every command asks for the config folder (the language may be set there) and most for
the data folder (the default database), but importing platformdirs costs about twice
Python's own start (it loads tempfile, shutil, random and pathlib), more than a whole
``kkr-tui --help`` may take. On Linux with ``$HOME`` absolute and the ``$XDG_*_HOME``
variable unset, blank or absolute, every platformdirs release we allow (>= 4.2)
answers the same simple rule, so it is computed here; any other case (macOS, Windows,
Android, a relative path, no ``$HOME``) asks platformdirs itself.
``tests/test_userdirs.py`` holds the two answers equal.

Strings, not ``Path``: ``kkr-tui --help`` reads the config file through this module
and must not import pathlib either; :mod:`kkr_tui.paths` wraps them.
"""

from __future__ import annotations

import os
import sys

APP_NAME = "kkr-tui"
CONFIG_FILE_NAME = "config.toml"

#: kind -> (XDG variable, default under ``$HOME``) on Linux.
_XDG = {
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "config": ("XDG_CONFIG_HOME", "~/.config"),
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
    "state": ("XDG_STATE_HOME", "~/.local/state"),
}


def _simple(kind: str) -> str | None:
    """The folder by the XDG rule, or None when platformdirs must decide."""
    if sys.platform != "linux" or "ANDROID_DATA" in os.environ:
        return None
    variable, default = _XDG[kind]
    base = os.environ.get(variable, "")
    if base.strip():
        # Older platformdirs take a relative value as it is, newer ones ignore it.
        return os.path.join(base, APP_NAME) if os.path.isabs(base) else None
    if not os.environ.get("HOME", "").startswith("/"):
        return None
    return os.path.join(os.path.expanduser(default), APP_NAME)


def user_dir(kind: str) -> str:
    """The per-user folder of ``kind`` ("data", "config", "cache" or "state")."""
    simple = _simple(kind)
    if simple is not None:
        return simple
    import platformdirs

    ask = {
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
        "state": platformdirs.user_state_dir,
    }[kind]
    return ask(APP_NAME, appauthor=False)


def config_file() -> str:
    """The config file (key remapping, theme, language); it may not exist."""
    return os.path.join(user_dir("config"), CONFIG_FILE_NAME)
