"""Fixtures shared by the whole suite: where the sample documents are, a fresh database path,
a store filled with the search corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_fixtures import config_home, site  # noqa: F401 - the sync tests' fixtures, by name
from sync_proxy import proxy_environment

from kkr_tui import i18n
from kkr_tui.paths import sample_docs_dir
from kkr_tui.store import Store


@pytest.fixture(autouse=True)
def danish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test reads what a user reads by default (Danish), whatever the machine's
    locale or config file say; subprocesses too, through ``$KKR_TUI_LANG``."""
    monkeypatch.setenv(i18n.ENV_VAR, "da")
    i18n.set_language("da")


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test never writes to the machine's clipboard (xclip, wl-copy, pbcopy); the
    clipboard tests put their own fake tool in place."""
    monkeypatch.setattr("kkr_tui.app.clipboard.clipboard_tool", lambda *a, **k: None)


@pytest.fixture(autouse=True, scope="session")
def no_machine_proxy() -> Iterator[None]:
    """No test goes through a proxy the machine names: sync honours HTTP(S)_PROXY and
    ALL_PROXY (as httpx does, 127.0.0.1 included unless NO_PROXY says otherwise), so on
    a machine that sets them a test's request to its local site would leave for the
    proxy. For the whole session, so module-scoped set-ups that sync are covered and a
    test's ``monkeypatch.undo()`` cannot bring them back; the proxy tests set their own
    (``sync_proxy.proxy_environment``)."""
    with pytest.MonkeyPatch.context() as patch:
        proxy_environment(patch)
        yield


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


@pytest.fixture
def good_pdf(tmp_path: Path) -> Path:
    """A clean meeting PDF (``pdf_factory.DANISH_PAGES``), the baseline that
    the hostile PDFs of the budget and page-warning tests are made from."""
    from pdf_factory import DANISH_PAGES, build_meeting_pdf

    return build_meeting_pdf(tmp_path / "good.pdf", list(DANISH_PAGES))


@pytest.fixture
def corpus_store(tmp_path: Path):
    """A store holding ``store_factory.corpus_meetings()``: the samples and made-up meetings
    of every council that the search tests query."""
    from store_factory import corpus_meetings, fill_store

    store = Store(tmp_path / "kkr.db")
    fill_store(store, corpus_meetings())
    yield store
    store.close()
