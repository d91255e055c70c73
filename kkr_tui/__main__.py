"""Allow ``python -m kkr_tui``."""

from kkr_tui.launch import main

raise SystemExit(main())
