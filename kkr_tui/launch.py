"""The ``kkr-tui`` console script's first stop: ``--version`` and ``--help`` answered
before anything loads.

The command-line module imports argparse and builds a parser, which costs more than
Python's own start; scripts and package managers ask for the version often, so it is
answered from here with nothing but this package's ``__init__``, and the top-level help
is read from the text argparse laid out in advance (:mod:`kkr_tui.quickhelp`).
Everything else goes to :func:`kkr_tui.cli.main`.
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run ``kkr-tui``; returns the exit code."""
    if sys.argv[1:] == ["--version"]:
        from kkr_tui import __version__

        print(f"kkr-tui {__version__}")
        return 0
    if sys.argv[1:] in (["--help"], ["-h"]):
        from kkr_tui.quickhelp import laid_out_help

        text = laid_out_help()
        if text is not None:
            sys.stdout.write(text)
            return 0
    from kkr_tui.cli import main as cli_main

    return cli_main()
