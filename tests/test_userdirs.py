"""The per-user folders computed without platformdirs are the ones platformdirs names.

``kkr_tui.userdirs`` answers the common Linux case itself (importing platformdirs costs
more than ``kkr-tui --help`` may take); every environment below must get platformdirs'
own answer, whichever way it was computed.
"""

from __future__ import annotations

import platformdirs
import pytest

from kkr_tui import paths, userdirs

ASK = {
    "data": platformdirs.user_data_dir,
    "config": platformdirs.user_config_dir,
    "cache": platformdirs.user_cache_dir,
    "state": platformdirs.user_state_dir,
}

ENVIRONMENTS = [
    {},
    {"HOME": "/home/anna"},
    {"HOME": "/home/anna/"},
    {"HOME": "/"},
    {"HOME": "/home/anna", "XDG_{X}_HOME": "/srv/xdg"},
    {"HOME": "/home/anna", "XDG_{X}_HOME": "/srv/xdg/"},
    {"HOME": "/home/anna", "XDG_{X}_HOME": ""},
    {"HOME": "/home/anna", "XDG_{X}_HOME": "   "},
    {"HOME": "/home/anna", "XDG_{X}_HOME": "relative/xdg"},
    {"HOME": "relative", "XDG_{X}_HOME": "/srv/xdg"},
    {"HOME": "relative"},
    {"HOME": "/home/anna", "ANDROID_DATA": "/data", "ANDROID_ROOT": "/system"},
]


@pytest.mark.parametrize("kind", sorted(ASK))
@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_same_folder_as_platformdirs(
    kind: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    monkeypatch.delenv("ANDROID_ROOT", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name.replace("{X}", kind.upper()), value)
    try:
        expected = ASK[kind](userdirs.APP_NAME, appauthor=False)
    except (RuntimeError, KeyError):
        pytest.skip("platformdirs itself finds no folder here")
    assert userdirs.user_dir(kind) == expected


def test_the_common_case_needs_no_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual Linux set-up is the one answered without platformdirs."""
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("HOME", "/home/anna")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    monkeypatch.setitem(__import__("sys").modules, "platformdirs", None)  # import fails
    assert userdirs.config_file() == "/home/anna/.config/kkr-tui/config.toml"
    assert str(paths.config_path()) == userdirs.config_file()
