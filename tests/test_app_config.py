"""The config file: keymap and theme are read leniently and the theme is saved without loss."""

from __future__ import annotations

from pathlib import Path

import pytest

from kkr_tui.app.config import load_config, save_theme


def test_missing_file_is_the_default(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nope.toml")
    assert config.theme is None and config.keymap == {} and config.problems == []


def test_keymap_and_theme_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = "nord"\n[keymap]\nsearch = "ctrl+s"\nnext_item = ["n", "right_square_bracket"]\n'
        "copy = 3\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.theme == "nord"
    assert config.keymap == {"search": "ctrl+s", "next_item": "n,right_square_bracket"}
    assert config.problems == ["keymap.copy: expected a key string"]


def test_broken_file_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("theme = [unclosed\n", encoding="utf-8")
    config = load_config(path)
    assert config.theme is None and len(config.problems) == 1


def test_save_theme_keeps_everything_else(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    save_theme(path, "textual-light")
    assert load_config(path).theme == "textual-light"
    path.write_text('# mine\n[keymap]\ncopy = "y"\n', encoding="utf-8")
    save_theme(path, "nord")
    save_theme(path, "dracula")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# mine\ntheme = "dracula"\n[keymap]')
    assert load_config(path).keymap == {"copy": "y"}


def test_the_readme_keymap_example_is_valid_and_steals_no_key() -> None:
    """The README's [keymap] example must work as printed: known ids, no key taken from
    another command (``next_item = "n"`` once silently took the note key)."""
    import re
    import tomllib

    from kkr_tui.app.actions import keymap_problems

    readme = Path(__file__).resolve().parent.parent / "README.md"
    if not readme.is_file():
        pytest.skip("no README beside the tests")
    block = re.search(r"```toml\n(\[keymap\].*?)```", readme.read_text(encoding="utf-8"), re.S)
    assert block, "the README shows a [keymap] example"
    keymap = tomllib.loads(block.group(1))["keymap"]
    assert keymap and keymap_problems(keymap) == []
    assert "keymap: n er lagt på både next_item og edit_note" in keymap_problems({"next_item": "n"})
