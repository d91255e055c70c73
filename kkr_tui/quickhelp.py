"""``kkr-tui --help`` from text laid out in advance, without argparse or the catalogue.

Building the argument parser means importing argparse, reading the catalogue and
looking up every command's help, about three times Python's own start; the answer is
the same text every time. So the top-level help of each language is laid out by
argparse itself at 80 columns (what it does when the output is piped) and shipped as
``locale/<language>/help.txt``. ``python tools/i18n.py`` writes the files with the
catalogues, and ``tests/test_quickhelp.py`` fails when they differ from what the
parser prints, so they cannot go stale.

A terminal narrower than 80 columns gets argparse's own help, laid out to fit it.
"""

from __future__ import annotations

import os
import sys

#: The width the help is laid out for: argparse's when the output is not a terminal.
WIDTH = 80
HELP_FILE = "help.txt"


def help_path(language: str) -> str:
    """Where the laid-out help of ``language`` is kept."""
    from kkr_tui.i18n import LOCALE_FOLDER

    return os.path.join(LOCALE_FOLDER, language, HELP_FILE)


def columns() -> int:
    """The output's width as argparse finds it (``shutil.get_terminal_size``: a positive
    ``$COLUMNS``, else the terminal's, else 80), without importing shutil."""
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        width = 0
    if width <= 0 and sys.__stdout__ is not None:
        try:
            width = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            width = 0
    return width if width > 0 else WIDTH


def laid_out_help() -> str | None:
    """The top-level help in the user's language, or None when argparse must lay it
    out (a narrower terminal, a file missing from this installation)."""
    if columns() < WIDTH:
        return None
    from kkr_tui.i18n import choose_language, configured_language

    try:
        with open(help_path(choose_language(configured_language())), encoding="utf-8") as file:
            return file.read()
    except OSError:
        return None
