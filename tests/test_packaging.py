"""The wheel carries the styles and the sample documents, and an installed package finds them.

A top-level ``styles/`` or ``sample_docs/`` is not in a wheel unless hatch force-includes
it; without them a non-editable install cannot open the app on its first run. Two
proofs, whichever the environment allows: build the wheel (needs hatchling importable)
and install it into a scratch folder; or, when the tests run against a non-editable
install (as ``.ci/run`` does), read the installed distribution's file list.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import kkr_tui
from kkr_tui import paths

PACKAGE = Path(kkr_tui.__file__).resolve().parent
SOURCE_ROOT = PACKAGE.parent
FROM_SOURCE = (SOURCE_ROOT / "pyproject.toml").is_file()


def _required(names: list[str]) -> None:
    assert any(n.startswith("kkr_tui/styles/") and n.endswith(".tcss") for n in names)
    samples = [n for n in names if n.startswith("kkr_tui/sample_docs/") and n.endswith(".txt")]
    assert len(samples) == 5, samples
    # The Danish catalogue, compiled: without it the reader falls back to English ids.
    assert "kkr_tui/locale/da/LC_MESSAGES/kkr_tui.mo" in names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FROM_SOURCE:
        pytest.skip("tests run against an installed package; no source tree to build")
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling is not installed, so the wheel cannot be built offline")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(out), str(SOURCE_ROOT)],
        check=True,
        timeout=120,
    )
    (built,) = out.glob("kkr_tui-*.whl")
    return built


def test_wheel_contains_styles_and_samples(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    _required(names)
    assert "kkr_tui/cli.py" in names
    assert not any(n.startswith(("tests/", "kkr_tui/tests/")) for n in names)


def test_installed_wheel_finds_its_bundled_folders(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target)]
        + [str(wheel)],
        check=True,
        timeout=120,
    )
    code = (
        "import json, kkr_tui, kkr_tui.paths as p\n"
        "from kkr_tui.i18n import _\n"
        "print(json.dumps([kkr_tui.__file__, str(p.sample_docs_dir()), str(p.styles_dir()),"
        " [x.name for x in p.sample_documents()], _('no matches')]))"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "KKR_TUI_LANG": "da"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    module_file, samples, styles, names, danish = json.loads(out.stdout)
    assert danish == "ingen hits"  # the compiled catalogue shipped and is found
    assert Path(module_file).is_relative_to(target)
    assert Path(samples) == target / "kkr_tui" / "sample_docs"
    assert Path(styles) == target / "kkr_tui" / "styles"
    assert len(names) == 5


def test_installed_distribution_lists_styles_and_samples() -> None:
    if FROM_SOURCE:
        pytest.skip("running from the source tree (editable install); covered by the wheel tests")
    files = metadata.files("kkr-tui") or []
    _required([f.as_posix() for f in files])
    assert (PACKAGE / "sample_docs").is_dir()
    assert paths.sample_docs_dir() == PACKAGE / "sample_docs"


def test_ci_tests_the_installed_package() -> None:
    """``.ci/run`` sets KKR_TUI_EXPECT_INSTALLED so a source tree shadowing the wheel fails."""
    if not os.environ.get("KKR_TUI_EXPECT_INSTALLED"):
        pytest.skip("only meaningful under .ci/run")
    assert not FROM_SOURCE, f"tests imported kkr_tui from the source tree: {PACKAGE}"
    assert "site-packages" in PACKAGE.parts
