"""``kkr-tui --help`` is read from text laid out in advance; it must be argparse's own.

The files under ``kkr_tui/locale/<language>/help.txt`` are written by
``python tools/i18n.py``; a change to a command's help or its translation without
running it fails here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_process import kkr_tui_stdout

from kkr_tui.cli import laid_out_help
from kkr_tui.i18n import LANGUAGES
from kkr_tui.quickhelp import WIDTH, columns, help_path


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_help_is_what_argparse_prints(language: str) -> None:
    shipped = Path(help_path(language)).read_text(encoding="utf-8")
    assert shipped == laid_out_help(language, WIDTH), (
        f"{help_path(language)} is stale: run python tools/i18n.py"
    )


def _help(tmp_path: Path, *, language: str, width: int, arg: str = "--help") -> str:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "KKR_TUI_LANG": language,
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "COLUMNS": str(width),
    }
    return kkr_tui_stdout(arg, env=env, cwd=tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("arg", ["--help", "-h"])
def test_help_in_a_process_is_the_laid_out_text(language: str, arg: str, tmp_path: Path) -> None:
    out = _help(tmp_path, language=language, width=WIDTH, arg=arg)
    assert out == laid_out_help(language, WIDTH)
    wide = _help(tmp_path, language=language, width=200, arg=arg)
    assert wide == out  # laid out for 80 columns, which fit any wider terminal


def test_a_narrow_terminal_gets_help_laid_out_to_fit(tmp_path: Path) -> None:
    out = _help(tmp_path, language="da", width=50)
    assert out == laid_out_help("da", 50)
    assert out != laid_out_help("da", WIDTH)
    assert max(len(line) for line in out.splitlines()) <= 50


def test_the_language_of_the_config_file_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "kkr-tui").mkdir()
    (tmp_path / "kkr-tui" / "config.toml").write_text('language = "en"\n', encoding="utf-8")
    env = {"PATH": "", "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path), "COLUMNS": "80"}
    out = kkr_tui_stdout("--help", env=env, cwd=tmp_path)
    assert out == laid_out_help("en", WIDTH)


def test_columns_as_argparse_finds_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    for value in ("120", "0", "-3", "x", ""):
        monkeypatch.setenv("COLUMNS", value)
        assert columns() == shutil.get_terminal_size().columns
