"""The export command has one Danish name, Mødeoplæg, wherever a user meets it.

It was called "Mødeoplæg" in the palette and help, "Eksportér mødeoverblik" in its
dialog and "mødeoverblik" in ``kkr-tui --help``: three names for one thing made a user
wonder whether they were three things.
"""

from __future__ import annotations

import pytest

from kkr_tui import i18n
from kkr_tui.app import actions
from kkr_tui.i18n import _

NAME = "mødeoplæg"
OTHER_NAMES = ("overblik", "briefing", "eksport")

babel = pytest.importorskip("babel", reason="Babel (the [test] extra) reads the catalogue")

from kkr_tui import i18n_tools  # noqa: E402 - needs babel, skipped above without it


def _briefing_messages() -> list[tuple[str, str]]:
    out = []
    for message in i18n_tools.read_catalogue("da"):
        ident = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string if isinstance(message.string, str) else message.string[0]
        if ident and ("briefing" in ident.lower() or ident == "Export"):
            out.append((ident, text))
    return out


def test_every_message_about_the_briefing_names_it_modeoplaeg() -> None:
    found = _briefing_messages()
    assert len(found) >= 8  # the command, its help, dialog, notices, failures, CLI
    for ident, text in found:
        assert NAME in text.lower(), (ident, text)
        for other in OTHER_NAMES:
            assert other not in text.lower(), (ident, text)


def test_palette_help_and_dialog_use_the_same_name() -> None:
    assert i18n.language() == "da"
    command = actions.command("export")
    if command is None:  # registered by the meeting-work module
        actions._register_features()
        command = actions.command("export")
    assert command is not None
    assert _(command.label) == "Mødeoplæg"
    assert NAME in _(command.help).lower()
    assert _("Export briefing · {meeting}").startswith("Mødeoplæg")


def test_the_cli_help_names_it_modeoplaeg(capsys: pytest.CaptureFixture[str]) -> None:
    from kkr_tui.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    lines = capsys.readouterr().out.splitlines()
    line = next(ln for ln in lines if ln.strip().startswith("export"))
    assert NAME in line.lower() and "overblik" not in line.lower()
