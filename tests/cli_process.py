"""``python -m kkr_tui`` run as a process of its own, for tests of what a user's shell sees
(``--help`` laid out in advance, the language chosen by the environment or config).

Run from ``cwd`` away from the clone: ``-m`` puts the working folder first on
``sys.path``, and under CI the installed wheel, not the source tree, must answer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def kkr_tui_stdout(*args: str, env: dict[str, str], cwd: Path) -> str:
    """What ``python -m kkr_tui ARGS`` prints with exactly ``env``; it must exit 0."""
    return subprocess.run(
        [sys.executable, "-m", "kkr_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=True,
    ).stdout
