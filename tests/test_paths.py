"""Where things live: overrides in the right order, bundled folders found from the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from kkr_tui import paths


@pytest.fixture(autouse=True)
def _no_env_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)


def test_default_database_is_in_the_user_data_folder() -> None:
    db = paths.database_path()
    assert db.name == "kkr.db"
    assert db.parent == paths.data_dir()
    assert "kkr-tui" in str(db)


def test_environment_overrides_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.DB_ENV_VAR, str(tmp_path / "env.db"))
    assert paths.database_path() == tmp_path / "env.db"


def test_explicit_path_beats_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.DB_ENV_VAR, str(tmp_path / "env.db"))
    assert paths.database_path(str(tmp_path / "cli.db")) == tmp_path / "cli.db"


def test_blank_environment_value_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DB_ENV_VAR, "  ")
    assert paths.database_path() == paths.data_dir() / "kkr.db"


def test_tilde_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.database_path("~/x.db") == tmp_path / "x.db"


def test_config_file_is_toml_in_config_folder() -> None:
    assert paths.config_path() == paths.config_dir() / "config.toml"


def test_sample_documents_are_the_five_bundled_texts() -> None:
    docs = paths.sample_documents()
    assert len(docs) == 5
    assert all(p.suffix == ".txt" and p.stat().st_size > 1000 for p in docs)
    assert docs == sorted(docs)


def test_styles_folder_sits_beside_the_samples() -> None:
    styles = paths.styles_dir()
    assert styles.name == "styles"
    assert styles.parent == paths.sample_docs_dir().parent
