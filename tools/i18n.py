#!/usr/bin/env python3
"""Bring the translation catalogues up to date: ``python tools/i18n.py``.

Extracts every ``_()``/``N_()``/``ngettext()``/``pgettext()`` message of ``kkr_tui``
with Babel, adds new ids to ``kkr_tui/locale/da/LC_MESSAGES/kkr_tui.po`` (empty, for you
to translate), drops ids no longer used, compiles the ``.mo`` the reader reads, and lists
what still lacks a Danish translation. Translate those in the ``.po`` and run it again.
Needs Babel (in the ``[test]`` extra).
"""

from __future__ import annotations

import sys

from kkr_tui.i18n_tools import po_path, refresh


def main() -> int:
    """Refresh the catalogues; exit 1 while any message is untranslated."""
    missing = refresh()
    status = 0
    for language, ids in missing.items():
        print(f"{po_path(language)}: {len(ids)} untranslated")
        for ident in ids:
            print(f"  {ident!r}")
        status = status or (1 if ids else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
