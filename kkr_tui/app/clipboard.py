"""Copy to the clipboard and say truthfully what happened.

OSC 52 asks the terminal to set the clipboard; it works over SSH and in most modern
terminals, but a terminal never answers, so we cannot know whether it did. Where a
system clipboard tool is present (``wl-copy`` on Wayland, ``xclip``/``xsel`` on X11,
``pbcopy`` on macOS) it is used as well, and its exit status is known. The message then
says which way worked, and never "copied" when nothing may have been.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kkr_tui.i18n import _

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True)
class CopyReport:
    """What happened to one copy."""

    tool: str | None
    """The system tool that took the text (None: none present, or it failed)."""
    tool_error: str | None = None

    def message(self, what: str) -> str:
        """One line for the notification; ``what`` names what was copied."""
        if self.tool is not None:
            return _("{what} is on the clipboard ({tool}).").format(what=what, tool=self.tool)
        if self.tool_error:
            return _(
                "{what} was sent to the terminal's clipboard; {error}. If pasting gives "
                "nothing, your terminal does not allow it."
            ).format(what=what, error=self.tool_error)
        return _(
            "{what} was sent to the terminal's clipboard (OSC 52). If pasting gives "
            "nothing, your terminal does not allow it; installing wl-copy or xclip helps."
        ).format(what=what)


def clipboard_tool(
    environ: dict[str, str] | None = None, platform: str | None = None
) -> list[str] | None:
    """The command line of the system clipboard tool for this session, if one is present."""
    env = dict(os.environ) if environ is None else environ
    platform = platform or sys.platform
    candidates: list[list[str]] = []
    if platform == "darwin":
        candidates.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    for command in candidates:
        if shutil.which(command[0]):
            return command
    return None


def copy_with_tool(text: str, command: list[str]) -> str | None:
    """Run the tool; None when it took the text, else why not (one line)."""
    try:
        done = subprocess.run(
            command,
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _("{tool} failed: {reason}").format(tool=command[0], reason=exc)
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return _("{tool} failed: {reason}").format(
            tool=command[0], reason=reason[0] if reason else done.returncode
        )
    return None


def copy_everywhere(app: App[Any], text: str) -> CopyReport:
    """OSC 52 through the app, then the system tool when present. Call from a thread
    worker: the tool may take a moment, the terminal write goes through the app's thread."""
    app.call_from_thread(app.copy_to_clipboard, text)
    command = clipboard_tool()
    if command is None:
        return CopyReport(tool=None)
    error = copy_with_tool(text, command)
    return CopyReport(tool=None, tool_error=error) if error else CopyReport(tool=command[0])
