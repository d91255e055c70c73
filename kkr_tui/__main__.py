"""Allow ``python -m kkr_tui``."""

from kkr_tui.cli import main

raise SystemExit(main())
