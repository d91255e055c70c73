"""The command palette (ctrl+p) and the help (``?``), and Textual's own words in ours.

Textual brings a palette, system commands and a ctrl+c hint in English; they are
offered here in the user's language, with the reader's commands and keys from the one
list in :mod:`kkr_tui.app.actions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from kkr_tui.app.reader.base import ReaderBase
from kkr_tui.i18n import N_, _

if TYPE_CHECKING:
    from textual.command import Provider

#: Textual's own words that reach the footer (the command palette key's label).
TEXTUAL_WORDS = (N_("palette"), N_("Open the command palette"))
#: Textual's keys every screen inherits (tab, shift+tab, ctrl+c): an overlay's help lists
#: them, translated by ``actions.translate_bindings`` like our own.
TEXTUAL_SCREEN_WORDS = (N_("Focus Next"), N_("Focus Previous"), N_("Copy selected text"))
#: Textual's own palette commands we keep, in our words (others are for developers).
SYSTEM_COMMANDS = {
    "Theme": (N_("Theme"), N_("Choose the colours")),
    "Quit": (N_("Quit"), N_("Quit the reader")),
    "Maximize": (N_("Maximize"), N_("Let the focused panel fill the screen")),
    "Minimize": (N_("Minimize"), N_("Back to the normal layout")),
}


def _kkr_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (Textual allows a callable)."""
    from kkr_tui.app.commands import KkrCommands

    return KkrCommands


class PaletteAndHelp(ReaderBase):
    """The palette's commands and the help screen, in the user's language."""

    COMMANDS = App.COMMANDS | {_kkr_commands}
    ENABLE_COMMAND_PALETTE = True

    def action_help(self) -> None:
        """Help for what is in front: its keys, the search syntax, what the marks mean."""
        from kkr_tui.app.screens.help import HelpScreen, help_for

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(help_for(self, self.screen)))

    def action_command_palette(self) -> None:
        """``ctrl+p``: Textual's palette, its own words in the user's language."""
        from textual.command import CommandPalette

        from kkr_tui.app.commands import Palette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's "Theme" command: the themes, with a Danish search field."""
        from textual.theme import ThemeProvider

        from kkr_tui.app.commands import Palette

        self.push_screen(Palette(_("Search for themes…"), providers=[ThemeProvider]))

    def action_help_quit(self) -> None:
        """``ctrl+c`` where it does not copy: say how to quit (Textual says it in English)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    _("Press {key} to quit the reader").format(
                        key=self.get_key_display(active.binding) or key
                    ),
                    title=_("Do you want to quit?"),
                    markup=False,
                )
                return

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, minus those that would duplicate ours."""
        for command in super().get_system_commands(screen):
            ours = SYSTEM_COMMANDS.get(command.title)
            if ours is not None:
                yield SystemCommand(_(ours[0]), _(ours[1]), command.callback, command.discover)
