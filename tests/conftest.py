"""Fixtures shared by the whole suite: where the sample documents are, a fresh database path."""

from __future__ import annotations

from pathlib import Path

import pytest

from kkr_tui.paths import sample_docs_dir


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The bundled sample documents (source tree or installed wheel, whichever is imported)."""
    folder = sample_docs_dir()
    assert sorted(folder.glob("*.txt")), f"no sample documents in {folder}"
    return folder


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """A database path in a fresh temporary folder; the file does not exist yet."""
    return tmp_path / "db" / "kkr.db"
