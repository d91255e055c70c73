"""How the reader is laid out: side by side or one pane at a time, the list's width,
whether it is hidden, and the theme, the user's choices remembered in the config file.

A narrow terminal shows the list or the text, never both (titles in a 28-column list
were cut to 18 characters), so "show the text" is a layout question every part asks:
the answers are here, once.
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget

from kkr_tui.app.config import save_theme
from kkr_tui.app.reader.base import DARK_THEME, LIGHT_THEME, ReaderBase
from kkr_tui.i18n import _

#: Below this many columns the reader shows one pane at a time (the list, or the text):
#: side by side, titles in a 28-column list were cut to 18 characters.
NARROW_BELOW = 100
TREE_MIN, TREE_MAX_SHARE = 20, 0.7


class ReaderLayout(ReaderBase):
    """The panes' places and sizes, and the theme."""

    #: Width of the meeting list in columns when the user chose one (``<`` ``>``).
    tree_width: int | None = None

    def on_resize(self, event: Any) -> None:
        self._fit_layout(event.size.width)

    def _fit_layout(self, width: int) -> None:
        """Side by side when there is room, else one pane at a time (``-narrow``), the
        list then as wide as the screen whatever width it was given."""
        narrow = width < NARROW_BELOW
        self.screen_stack[0].set_class(narrow, "-narrow")
        if narrow or self.tree_width is None:
            self.tree.styles.clear_rule("width")
            self.tree.styles.clear_rule("max_width")
        else:
            self.tree.styles.width = self.tree_width
            self.tree.styles.max_width = None

    def _focus_moved(self, focused: Widget | None) -> None:
        """In the narrow layout, the pane in front is the one that has focus."""
        if focused is None or not self.screen_stack:
            return
        main = self.screen_stack[0]
        if focused.screen is not main:
            return
        in_text = any(node.id == "right" for node in focused.ancestors_with_self)
        main.set_class(in_text, "-text-in-front")

    @property
    def narrow(self) -> bool:
        """Whether the reader shows one pane at a time."""
        return bool(self.screen_stack) and self.screen_stack[0].has_class("-narrow")

    def show_text(self) -> None:
        """Bring the reading pane to the front (narrow layout) and focus it."""
        self.screen_stack[0].add_class("-text-in-front")
        self.pane.focus()

    def show_list(self) -> None:
        """Bring the meeting list to the front (narrow layout) and focus it."""
        main = self.screen_stack[0]
        main.remove_class("-text-in-front")
        main.remove_class("-tree-hidden")
        self.tree.focus()

    def action_focus_next(self) -> None:
        """``tab``: in the narrow layout, switch between list and text; else as usual."""
        if self.narrow and self.screen is self.screen_stack[0]:
            in_text = self.screen.has_class("-text-in-front")
            self.show_list() if in_text else self.show_text()
            return
        super().action_focus_next()

    def action_focus_previous(self) -> None:
        """``shift+tab``: as ``tab``."""
        if self.narrow and self.screen is self.screen_stack[0]:
            self.action_focus_next()
            return
        super().action_focus_previous()

    def action_tree_width(self, step: int) -> None:
        """Narrower or wider meeting list (``<`` ``>``), remembered in the config file."""
        main = self.screen_stack[0]
        main.remove_class("-tree-hidden")
        width = self.tree.outer_size.width or TREE_MIN
        limit = max(TREE_MIN, int(self.size.width * TREE_MAX_SHARE))
        self.tree_width = max(TREE_MIN, min(limit, width + step))
        self._fit_layout(self.size.width)
        self._remember("tree_width", self.tree_width)

    def action_toggle_tree(self) -> None:
        """Hide or show the meeting list (``L``), remembered in the config file."""
        main = self.screen_stack[0]
        hidden = not main.has_class("-tree-hidden")
        if hidden:
            main.add_class("-tree-hidden")
            self.show_text()
        else:
            self.show_list()
        self._remember("tree_hidden", hidden)

    def _remember(self, key: str, value: int | bool) -> None:
        from kkr_tui.app.config import save_setting

        try:
            save_setting(self.config_path, key, value)
        except OSError as exc:
            self.notify(
                _("Could not save the setting: {reason}").format(reason=exc),
                severity="warning",
                markup=False,
            )

    def action_toggle_theme(self) -> None:
        """Switch between light and dark; remembered in the config file."""
        self.theme = DARK_THEME if not self.current_theme.dark else LIGHT_THEME

    def _theme_changed(self, theme: Any) -> None:
        if self._remember_theme:
            try:
                save_theme(self.config_path, theme.name)
            except OSError as exc:
                self.notify(
                    _("Could not save the theme: {reason}").format(reason=exc),
                    severity="warning",
                    markup=False,
                )
