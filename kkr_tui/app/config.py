"""The user's config file: remembered theme and remapped keys.

A small TOML file in the platformdirs config folder, e.g.::

    theme = "textual-light"
    language = "en"          # Danish unless set (or an English locale)

    [keymap]
    search = "ctrl+s"
    next_item = "right_square_bracket,ctrl+j"

The keymap maps binding ids (see the help screen) to keys, and goes straight to
``App.set_keymap``. A broken file must never stop the reader from opening, so loading
reports problems instead of raising; saving rewrites only the line of the setting
remembered (theme, tree width, whether the tree is hidden).

``tomllib`` and ``json`` are imported only when a file is read or the theme saved:
the config is loaded on the way to the first frame, mostly with no file at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_THEME_LINE = re.compile(r"^\s*theme\s*=")
_TABLE_LINE = re.compile(r"^\s*\[")
_EXPORT_DIR_LINE = re.compile(r"^\s*export_dir\s*=")


@dataclass
class AppConfig:
    """What the app reads from the config file."""

    theme: str | None = None
    #: The folder the last briefing was exported to (the export dialog starts there).
    export_dir: str | None = None
    language: str | None = None
    #: Width of the meeting list in columns (None: the style sheet's), and whether it shows.
    tree_width: int | None = None
    tree_hidden: bool = False
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def load_config(path: Path | None) -> AppConfig:
    """Read the config file; a missing file is the default config, a broken one a problem."""
    config = AppConfig()
    if path is None or not path.is_file():
        return config
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        config.problems.append(f"could not read {path}: {exc}")
        return config
    theme = data.get("theme")
    if isinstance(theme, str):
        config.theme = theme
    export_dir = data.get("export_dir")
    if isinstance(export_dir, str) and export_dir.strip():
        config.export_dir = export_dir
    language = data.get("language")
    if isinstance(language, str):
        config.language = language
    width = data.get("tree_width")
    if isinstance(width, int) and not isinstance(width, bool) and 10 <= width <= 200:
        config.tree_width = width
    if isinstance(data.get("tree_hidden"), bool):
        config.tree_hidden = data["tree_hidden"]
    keymap = data.get("keymap", {})
    if isinstance(keymap, dict):
        for binding_id, keys in keymap.items():
            if isinstance(keys, str) and keys.strip():
                config.keymap[str(binding_id)] = keys.strip()
            elif isinstance(keys, list) and all(isinstance(k, str) for k in keys):
                config.keymap[str(binding_id)] = ",".join(k.strip() for k in keys)
            else:
                config.problems.append(f"keymap.{binding_id}: expected a key string")
    else:
        config.problems.append("keymap: expected a table")
    return config


def save_theme(path: Path | None, theme: str) -> None:
    """Remember the theme, keeping every other line of the file as the user wrote it."""
    _save_top_level(path, "theme", theme, _THEME_LINE)


def save_export_dir(path: Path | None, folder: str) -> None:
    """Remember the folder a briefing was last exported to."""
    _save_top_level(path, "export_dir", folder, _EXPORT_DIR_LINE)


def save_setting(path: Path | None, key: str, value: str | int | bool) -> None:
    """Remember one top-level setting (tree width, whether the list is hidden, …)."""
    _save_top_level(path, key, value, re.compile(rf"^\s*{re.escape(key)}\s*="))


def _save_top_level(
    path: Path | None, key: str, value: str | int | bool, existing: re.Pattern[str]
) -> None:
    """Set ``key = "value"`` before the first table, keeping every other line as written."""
    if path is None:
        return
    import json

    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    new_line = f"{key} = {json.dumps(value)}"
    for index, line in enumerate(lines):
        if _TABLE_LINE.match(line):
            lines.insert(index, new_line)
            break
        if existing.match(line):
            lines[index] = new_line
            break
    else:
        lines.append(new_line)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
